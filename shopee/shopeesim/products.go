package shopeesim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"liveboard"
)

// EndpointProducts is the live dashboard's product list, as Calls counts
// it and SetFaults takes it.
const EndpointProducts = "productList"

// An account's catalogue has one product per entry of its order cycle
// (basketLen products): order j of a session buys entry (offset+j) mod
// basketLen, so the products' orders, items and revenue add up exactly to
// the session's. Product clicks and add-to-cart are dealt out over the
// products by a per-session cycle of clickSlots slots in which every
// product has at least one slot; a product's share of the first n units
// is how often it fills the first n slots of the repeated cycle, so each
// product's counts never decrease and the counts add up to the session's.
const clickSlots = 64

// ProductTruth is one product of a session as the simulator serves it at
// one moment. Money is in the account's currency; CTR is the product's
// clicks per unique viewer of the session and COR its orders per click,
// as percentages rounded to two decimals.
type ProductTruth struct {
	ItemID     int64           `json:"item_id"`
	Title      string          `json:"title"`
	CoverImage string          `json:"cover_image"`
	Price      liveboard.Money `json:"price"`

	Clicks    int64           `json:"clicks"`
	ATC       int64           `json:"atc"`
	Orders    int64           `json:"orders"`
	ItemsSold int64           `json:"items_sold"`
	Revenue   liveboard.Money `json:"revenue"`
	CTR       float64         `json:"ctr"`
	COR       float64         `json:"cor"`

	ConfirmedOrders    int64           `json:"confirmed_orders"`
	ConfirmedItemsSold int64           `json:"confirmed_items_sold"`
	ConfirmedRevenue   liveboard.Money `json:"confirmed_revenue"`
	ConfirmedCOR       float64         `json:"confirmed_cor"`
}

// product is one catalogue entry of an account.
type product struct {
	itemID int64
	title  string
	cover  string
	price  liveboard.Money // unit price
	qty    int64           // items in each order of it
}

// Product names are a kind of goods and a selling point.
var (
	productKinds = []string{
		"Serum Vitamin C", "Gamis Polos", "Sneakers Putih", "Earbuds TWS",
		"Botol Susu Bayi", "Panci Anti Lengket", "Lipstik Matte",
		"Parfum Oud", "Hijab Voal", "Jam Tangan Digital", "Mobil Remote",
		"Keripik Pedas", "Kaos Oversize", "Case HP Bening", "Sapu Elektrik",
		"Tas Selempang",
	}
	productPerks = []string{
		"Original", "Best Seller", "Ready Stock", "Promo Live", "Premium",
		"Ukuran Lengkap", "Garansi Resmi", "Isi 2",
	}
)

// catalogOf returns the account's products, one per entry of its order
// cycle. Names and ids follow from the seed and the account; prices and
// quantities from its order cycle.
func catalogOf(seed int64, a *account) []product {
	rng := rand.New(rand.NewPCG(uint64(seed)^0xca7a1095,
		uint64(a.UserID)))
	base := 20_000_000_000 + rng.Int64N(9_000_000_000)

	items := make([]product, basketLen)
	for j := range items {
		qty := a.basket.quantity[j+1] - a.basket.quantity[j]
		value := a.basket.value[j+1] - a.basket.value[j]
		id := base + int64(j)*7_919 + rng.Int64N(7_000)
		items[j] = product{
			itemID: id,
			title: productKinds[rng.IntN(len(productKinds))] + " " +
				productPerks[rng.IntN(len(productPerks))],
			cover: fmt.Sprintf("https://cf.shopee.sim.invalid/item/%d.jpg",
				id),
			price: value / liveboard.Money(qty),
			qty:   qty,
		}
	}
	return items
}

// clickCycle returns the session's cycle of product slots: every product
// once, in a shuffled order, then the rest drawn by the products' appeal
// in this session.
func clickCycle(seed, sessionID int64) [clickSlots]uint8 {
	rng := rand.New(rand.NewPCG(uint64(seed)^0xc1c4c1c4,
		uint64(sessionID)))
	var appeal [basketLen]float64
	total := 0.0
	for i := range appeal {
		appeal[i] = logUniform(rng, 0.2, 5)
		total += appeal[i]
	}

	var cycle [clickSlots]uint8
	for i, p := range rng.Perm(basketLen) {
		cycle[i] = uint8(p)
	}
	for i := basketLen; i < clickSlots; i++ {
		x := rng.Float64() * total
		p := 0
		for p < basketLen-1 && x >= appeal[p] {
			x -= appeal[p]
			p++
		}
		cycle[i] = uint8(p)
	}
	return cycle
}

// dealt returns how many of the first n units each product gets from the
// cycle.
func dealt(cycle *[clickSlots]uint8, n int64) [basketLen]int64 {
	var out [basketLen]int64
	if n <= 0 {
		return out
	}
	rounds, rest := n/clickSlots, int(n%clickSlots)
	for i, p := range cycle {
		out[p] += rounds
		if i < rest {
			out[p]++
		}
	}
	return out
}

// ordered returns how many of a session's first n orders buy each
// product, the session's cycle starting at offset.
func ordered(offset int, n int64) [basketLen]int64 {
	var out [basketLen]int64
	if n <= 0 {
		return out
	}
	rounds, rest := n/basketLen, int(n%basketLen)
	for j := range out {
		out[j] = rounds
	}
	for k := range rest {
		out[(offset+k)%basketLen]++
	}
	return out
}

// productsAt returns the session's products at t, which must not be
// before its start, in catalogue order. The caller holds s.mu for
// reading.
func (s *Server) productsAt(ss *session, t time.Time) []ProductTruth {
	a := s.world.byUser[ss.userID]
	items := catalogOf(s.world.seed, a)
	m := ss.metricsAt(t)

	cycle := clickCycle(s.world.seed, ss.id)
	clicks := dealt(&cycle, m.ProductClicks)
	atc := dealt(&cycle, m.ATC)
	orders := ordered(ss.plan.offset, m.PlacedOrders)
	confirmed := ordered(ss.plan.offset, m.ConfirmedOrders)

	out := make([]ProductTruth, len(items))
	for i, it := range items {
		sold, okSold := orders[i]*it.qty, confirmed[i]*it.qty
		out[i] = ProductTruth{
			ItemID: it.itemID, Title: it.title, CoverImage: it.cover,
			Price:  it.price,
			Clicks: clicks[i], ATC: atc[i],
			Orders: orders[i], ItemsSold: sold,
			Revenue: it.price * liveboard.Money(sold),
			CTR:     percent(clicks[i], m.Viewers),
			COR:     percent(orders[i], clicks[i]),

			ConfirmedOrders:    confirmed[i],
			ConfirmedItemsSold: okSold,
			ConfirmedRevenue:   it.price * liveboard.Money(okSold),
			ConfirmedCOR:       percent(confirmed[i], clicks[i]),
		}
	}
	return out
}

// Products returns what the simulator serves as the session's product
// list at time at, in catalogue order. It reports false for an unknown
// session and for a time before the session started.
func (s *Server) Products(sessionID int64, at time.Time) ([]ProductTruth,
	bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()

	ss, ok := s.world.bySession[sessionID]
	if !ok || !ss.started(at) {
		return nil, false
	}
	return s.productsAt(ss, at), true
}

type productListData struct {
	Total int               `json:"total"`
	List  []productListItem `json:"list"`
}

type productListItem struct {
	ItemID            int64           `json:"itemId"`
	Title             string          `json:"title"`
	CoverImage        string          `json:"coverImage"`
	MinPrice          liveboard.Money `json:"minPrice"`
	MaxPrice          liveboard.Money `json:"maxPrice"`
	ProductClicks     int64           `json:"productClicks"`
	CTR               float64         `json:"ctr"`
	ATC               int64           `json:"atc"`
	OrdersCreated     int64           `json:"ordersCreated"`
	Revenue           liveboard.Money `json:"revenue"`
	ItemSold          int64           `json:"itemSold"`
	COR               float64         `json:"cor"`
	ConfirmedOrderCnt int64           `json:"confirmedOrderCnt"`
	ConfirmedRevenue  liveboard.Money `json:"confirmedRevenue"`
	ConfirmedItemSold int64           `json:"confirmedItemSold"`
	ConfirmedCOR      float64         `json:"confirmedCor"`
}

func listItemOf(p ProductTruth) productListItem {
	return productListItem{
		ItemID: p.ItemID, Title: p.Title, CoverImage: p.CoverImage,
		MinPrice: p.Price, MaxPrice: p.Price,
		ProductClicks: p.Clicks, CTR: p.CTR, ATC: p.ATC,
		OrdersCreated: p.Orders, Revenue: p.Revenue, ItemSold: p.ItemsSold,
		COR:               p.COR,
		ConfirmedOrderCnt: p.ConfirmedOrders,
		ConfirmedRevenue:  p.ConfirmedRevenue,
		ConfirmedItemSold: p.ConfirmedItemsSold,
		ConfirmedCOR:      p.ConfirmedCOR,
	}
}

// productOrders are the orders productListOrderBy accepts.
var productOrders = map[string]func(ProductTruth) int64{
	"productClicks": func(p ProductTruth) int64 { return p.Clicks },
	"atc":           func(p ProductTruth) int64 { return p.ATC },
	"ordersCreated": func(p ProductTruth) int64 { return p.Orders },
	"itemSold":      func(p ProductTruth) int64 { return p.ItemsSold },
	"revenue":       func(p ProductTruth) int64 { return int64(p.Revenue) },
}

// productQuery is a validated productList query.
type productQuery struct {
	page, pageSize int
	name           string
	key            func(ProductTruth) int64
	ascending      bool
}

// parseProductQuery reads a productList query; a non-empty string says
// what is wrong with it. Absent paging means page 1 of 10, ordered by
// product clicks, most first.
func parseProductQuery(r *http.Request) (productQuery, string) {
	q := r.URL.Query()
	pq := productQuery{
		name:      strings.ToLower(q.Get("productName")),
		ascending: q.Get("sort") == "asc",
	}
	orderBy := cmp.Or(q.Get("productListOrderBy"), "productClicks")
	var ok bool
	if pq.key, ok = productOrders[orderBy]; !ok {
		return pq, "productListOrderBy is not a known order"
	}
	if pq.page, ok = intParam(q.Get("page"), 1); !ok || pq.page < 1 {
		return pq, "page must be a whole number of at least 1"
	}
	pq.pageSize, ok = intParam(q.Get("pageSize"), 10)
	if !ok || pq.pageSize < 1 || pq.pageSize > 100 {
		return pq, "pageSize must be a whole number from 1 to 100"
	}
	return pq, ""
}

// productList answers one page of a session's products, ordered as
// asked (ties by item id), optionally only those whose title contains
// productName, in any case. productListTimeRange is accepted and ignored:
// the figures always cover the whole session.
func (s *Server) productList(c *call) reply {
	ss, problem := s.ownSession(c)
	switch {
	case problem != "":
		return supplyInvalid(problem)
	case ss == nil:
		return supplyOK(empty{})
	}
	pq, problem := parseProductQuery(c.r)
	if problem != "" {
		return supplyInvalid(problem)
	}

	var matched []ProductTruth
	for _, p := range s.productsAt(ss, c.now) {
		if strings.Contains(strings.ToLower(p.Title), pq.name) {
			matched = append(matched, p)
		}
	}
	slices.SortStableFunc(matched, func(x, y ProductTruth) int {
		order := cmp.Compare(pq.key(y), pq.key(x))
		if pq.ascending {
			order = -order
		}
		return cmp.Or(order, cmp.Compare(x.ItemID, y.ItemID))
	})

	data := productListData{Total: len(matched), List: []productListItem{}}
	from := min((pq.page-1)*pq.pageSize, len(matched))
	to := min(from+pq.pageSize, len(matched))
	for _, p := range matched[from:to] {
		data.List = append(data.List, listItemOf(p))
	}
	return supplyOK(data)
}
