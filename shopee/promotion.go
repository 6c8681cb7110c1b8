package shopee

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"liveboard"
)

// The calls in this file follow the product specification's paths; no
// public client shows them, so their answers are read tolerantly: the
// envelope of any family, fields under the names they plausibly go by,
// and a field of an unexpected type left unknown rather than failing.

// Streamer is an account a shop may pick to stream its promotion.
type Streamer struct {
	UserID   int64
	UserName string
	Nickname string
	Avatar   string
}

// StreamerSelectors returns the streamers the account may choose from for
// a streaming promotion (streaming_promotion/streamer_selector).
func (c *Client) StreamerSelectors(ctx context.Context,
	a Auth) ([]Streamer, error) {
	cl := call{
		endpoint: "streamerSelector",
		service:  ServiceSeller,
		path:     "/api/v4/streaming_promotion/streamer_selector/",
		referer:  pageURL(a.Region, ServiceSeller, "/"),
		family:   anyFamily,
		use:      cachedRead,
	}

	var raw json.RawMessage
	if err := c.get(ctx, a, cl, &raw); err != nil {
		return nil, err
	}
	items := looseItems(raw, "list", "streamers", "streamer_list", "items")
	out := make([]Streamer, 0, len(items))
	for _, it := range items {
		out = append(out, Streamer{
			UserID:   deref(it.int("user_id", "userid", "userId", "uid")),
			UserName: it.text("username", "user_name", "userName"),
			Nickname: it.text("nickname", "nick_name", "nickName", "name"),
			Avatar:   it.text("avatar", "portrait", "avatar_url"),
		})
	}
	return out, nil
}

// looseItems returns the objects of data: data itself when it is an
// array, else the first named field of it that is one.
func looseItems(data json.RawMessage, names ...string) []loose {
	if items, ok := looseList(data); ok {
		return items
	}
	if m, ok := looseObject(data); ok {
		items, _ := m.list(names...)
		return items
	}
	return nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// PromotedItem is an item promoted in the account's live room. Prices
// are read in 1/100000 of a currency unit, as Shopee's item APIs write
// them; nil fields were not reported.
type PromotedItem struct {
	PromoID    int64
	ItemID     int64
	ShopID     int64
	Name       string
	Image      string
	Price      *liveboard.Money
	PromoPrice *liveboard.Money
	Stock      *int64
	Sold       *int64
	StartTime  *time.Time
	EndTime    *time.Time
}

// PromotedItemPage is one page of promoted items.
type PromotedItemPage struct {
	// Total is how many items there are over all pages; 0 when Shopee
	// did not say.
	Total int
	Items []PromotedItem
}

// itemPath is the specification's path of promoted items.
const itemPath = "/api/v1/item/promotion"

// PromotedItems returns limit promoted items from offset
// (item/promotion).
func (c *Client) PromotedItems(ctx context.Context, a Auth,
	offset, limit int) (*PromotedItemPage, error) {
	const endpoint = "itemPromotion"
	if offset < 0 || limit < 1 || limit > 100 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: offset must be 0 or more and limit 1 to 100",
			endpoint)
	}

	query := url.Values{"offset": {strconv.Itoa(offset)},
		"limit": {strconv.Itoa(limit)}}
	var raw json.RawMessage
	cl := itemCall(endpoint, itemPath, query)
	if err := c.get(ctx, a, cl, &raw); err != nil {
		return nil, err
	}

	p := &PromotedItemPage{}
	if m, ok := looseObject(raw); ok {
		p.Total = int(deref(m.int("total", "total_count", "totalCount")))
	}
	for _, it := range looseItems(raw, "items", "list", "item_list",
		"promotions") {
		p.Items = append(p.Items, promotedItem(it))
	}
	return p, nil
}

// PromotedItem returns one promotion's item (item/promotion/{id}). An
// unknown promotion fails with ErrNotFound.
func (c *Client) PromotedItem(ctx context.Context, a Auth,
	promoID int64) (*PromotedItem, error) {
	const endpoint = "itemPromotionDetail"
	if promoID < 1 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: promotion id must be positive", endpoint)
	}

	cl := itemCall(endpoint, itemPath+"/"+strconv.FormatInt(promoID, 10),
		nil)
	cl.ifEmpty = ErrNotFound
	var raw json.RawMessage
	if err := c.get(ctx, a, cl, &raw); err != nil {
		return nil, err
	}

	m, ok := looseObject(raw)
	if inner, nested := m.object("item", "promotion"); nested {
		m = inner
	}
	if !ok {
		return nil, failer{endpoint: endpoint}.fail(ErrBadAnswer, 200, 0,
			"data is not an object")
	}
	it := promotedItem(m)
	if it.PromoID == 0 {
		it.PromoID = promoID
	}
	return &it, nil
}

// itemCall describes a GET of promoted items on the live-room host.
func itemCall(endpoint, path string, query url.Values) call {
	return call{endpoint: endpoint, service: ServiceLive, path: path,
		query: query, family: anyFamily, use: cachedRead}
}

func promotedItem(m loose) PromotedItem {
	return PromotedItem{
		PromoID: deref(m.int("promo_id", "promotion_id", "promoId",
			"promotionId", "id")),
		ItemID: deref(m.int("item_id", "itemid", "itemId")),
		ShopID: deref(m.int("shop_id", "shopid", "shopId")),
		Name:   m.text("name", "title", "item_name", "itemName"),
		Image:  m.text("image", "cover", "image_url", "coverImage"),
		Price:  m.micros("price", "original_price", "price_before_discount"),
		PromoPrice: m.micros("promo_price", "promotion_price",
			"discount_price", "promoPrice"),
		Stock:     m.int("stock", "promo_stock"),
		Sold:      m.int("sold", "sold_count", "soldCount"),
		StartTime: m.unix("start_time", "startTime"),
		EndTime:   m.unix("end_time", "endTime"),
	}
}
