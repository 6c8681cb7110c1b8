package shopeesim

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"liveboard"
)

// itemPromotionPath is the specification's path of promoted items.
const itemPromotionPath = "/api/v1/item/promotion"

// Streamer is an account a shop may pick to stream its promotion. No
// public source shows this endpoint; its fields are the simulator's
// guess.
type Streamer struct {
	UserID   int64  `json:"user_id"`
	UserName string `json:"username"`
	Nickname string `json:"nickname"`
	Avatar   string `json:"avatar"`
}

// PromotedItem is an item promoted in an account's live room. No public
// source shows these endpoints; the fields are the simulator's guess,
// with prices in Money, whose scale the wire's integers share.
type PromotedItem struct {
	PromoID    int64
	ItemID     int64
	ShopID     int64
	Name       string
	Image      string
	Price      liveboard.Money
	PromoPrice liveboard.Money
	Stock      int64
	Sold       int64
	Start      time.Time
	End        time.Time
}

// itemNouns and itemKinds name promoted items.
var (
	itemKinds = []string{"Premium", "Original", "Viral", "Hemat", "Mini",
		"Jumbo", "Glow", "Classic"}
	itemNouns = []string{"Serum Vitamin C", "Gamis Katun", "Sneakers",
		"Powerbank 10000mAh", "Botol Susu", "Panci Set", "Lip Cream",
		"Parfum 50ml", "Hijab Voal", "Jam Tangan", "Puzzle Kayu",
		"Keripik Pedas", "Kaos Oversize", "Case HP", "Rak Dapur"}
)

// drawStreamers draws the account itself and up to three other streamers.
func drawStreamers(rng *rand.Rand, a *account) []Streamer {
	out := []Streamer{{UserID: a.UserID, UserName: a.UserName,
		Nickname: a.UserName, Avatar: avatarURL(a.UserName)}}
	for i := range rng.IntN(4) {
		name := fmt.Sprintf("host_%s_%d", studioWords[rng.IntN(
			len(studioWords))], i+1)
		out = append(out, Streamer{
			UserID:   100_000_000 + rng.Int64N(900_000_000),
			UserName: name, Nickname: name, Avatar: avatarURL(name),
		})
	}
	return out
}

func avatarURL(name string) string {
	return "https://cf.shopee.sim.invalid/avatar/" + name + ".jpg"
}

// drawPromos draws four to ten promoted items, each on promotion for a
// week or two around the world's start.
func drawPromos(rng *rand.Rand, a *account,
	created time.Time) []PromotedItem {
	pr, ok := priceRanges[a.Region]
	if !ok {
		pr = priceRanges[liveboard.RegionID]
	}
	var out []PromotedItem
	for range 4 + rng.IntN(7) {
		price := roundPrice(logUniform(rng, pr.lo, pr.hi), pr.step)
		off := liveboard.Money(10 + rng.IntN(40))
		start := created.Truncate(time.Hour).Add(
			-time.Duration(rng.IntN(7*24)) * time.Hour)
		item := 10_000_000_000 + rng.Int64N(90_000_000_000)
		out = append(out, PromotedItem{
			PromoID: 700_000_000 + rng.Int64N(100_000_000),
			ItemID:  item,
			ShopID:  a.UserID,
			Name: itemKinds[rng.IntN(len(itemKinds))] + " " +
				itemNouns[rng.IntN(len(itemNouns))],
			Image:      fmt.Sprintf("https://cf.shopee.sim.invalid/item/%d.jpg", item),
			Price:      price,
			PromoPrice: max(price*(100-off)/100/pr.step*pr.step, pr.step),
			Stock:      10 + rng.Int64N(500),
			Sold:       rng.Int64N(2000),
			Start:      start,
			End:        start.Add(time.Duration(7+rng.IntN(8)) * 24 * time.Hour),
		})
	}
	return out
}

// Streamers returns the streamers the account may pick, or nil for an
// unknown account.
func (s *Server) Streamers(userID int64) []Streamer {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a, ok := s.world.byUser[userID]; ok {
		return append([]Streamer(nil), a.streamers...)
	}
	return nil
}

// PromotedItems returns the account's promoted items, or nil for an
// unknown account.
func (s *Server) PromotedItems(userID int64) []PromotedItem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a, ok := s.world.byUser[userID]; ok {
		return append([]PromotedItem(nil), a.promos...)
	}
	return nil
}

// v4Envelope wraps the shopping site's /api/v4 answers.
type v4Envelope struct {
	Error    int    `json:"error"`
	ErrorMsg string `json:"error_msg"`
	Data     any    `json:"data"`
}

type streamerList struct {
	List []Streamer `json:"list"`
}

// streamerSelector lists the streamers the caller may pick.
func (s *Server) streamerSelector(c *call) reply {
	return jsonReply(http.StatusOK, v4Envelope{
		Data: streamerList{List: c.acct.streamers}})
}

// itemJSON is a promoted item on the wire: prices as integers in
// 1/100000 of a unit, times in unix seconds.
type itemJSON struct {
	PromoID    int64  `json:"promo_id"`
	ItemID     int64  `json:"item_id"`
	ShopID     int64  `json:"shop_id"`
	Name       string `json:"name"`
	Image      string `json:"image"`
	Price      int64  `json:"price"`
	PromoPrice int64  `json:"promo_price"`
	Stock      int64  `json:"stock"`
	Sold       int64  `json:"sold"`
	StartTime  int64  `json:"start_time"`
	EndTime    int64  `json:"end_time"`
}

func itemOf(p PromotedItem) itemJSON {
	return itemJSON{PromoID: p.PromoID, ItemID: p.ItemID, ShopID: p.ShopID,
		Name: p.Name, Image: p.Image, Price: int64(p.Price),
		PromoPrice: int64(p.PromoPrice), Stock: p.Stock, Sold: p.Sold,
		StartTime: p.Start.Unix(), EndTime: p.End.Unix()}
}

type itemPage struct {
	TotalCount int        `json:"total_count"`
	Items      []itemJSON `json:"items"`
}

func liveOK(data any) reply {
	return jsonReply(http.StatusOK, liveEnvelope{Data: data})
}

func liveInvalid(msg string) reply {
	return jsonReply(http.StatusOK, liveEnvelope{
		ErrCode: errCodeInvalidParam, ErrMsg: msg})
}

// itemPromotion answers a page of the caller's promoted items: offset
// (0 by default) and limit (20 by default, at most 100).
func (s *Server) itemPromotion(c *call) reply {
	q := c.r.URL.Query()
	offset, ok1 := intParam(q.Get("offset"), 0)
	limit, ok2 := intParam(q.Get("limit"), 20)
	if !ok1 || !ok2 || offset < 0 || limit < 1 || limit > 100 {
		return liveInvalid("offset must be 0 or more and limit 1 to 100")
	}

	all := c.acct.promos
	page := itemPage{TotalCount: len(all), Items: []itemJSON{}}
	for _, p := range all[min(offset, len(all)):min(offset+limit, len(all))] {
		page.Items = append(page.Items, itemOf(p))
	}
	return liveOK(page)
}

// itemPromotionDetail answers one of the caller's promotions; another
// id gets no data.
func (s *Server) itemPromotionDetail(c *call) reply {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return liveInvalid("the promotion id must be a positive number")
	}
	for _, p := range c.acct.promos {
		if p.PromoID == id {
			return liveOK(itemOf(p))
		}
	}
	return liveOK(nil)
}
