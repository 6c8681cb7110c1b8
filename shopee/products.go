package shopee

import (
	"context"
	"errors"
	"strconv"

	"liveboard"
)

// ProductPage is one page of a live session's product list.
type ProductPage struct {
	// Total is how many products the list holds over all pages; 0 when
	// Shopee did not say.
	Total int
	Items []liveboard.Product
}

type wireProductPage struct {
	Total wireInt       `json:"total"`
	List  []wireProduct `json:"list"`
}

type wireProduct struct {
	ItemID            wireInt   `json:"itemId"`
	Title             string    `json:"title"`
	CoverImage        string    `json:"coverImage"`
	MinPrice          wireMoney `json:"minPrice"`
	MaxPrice          wireMoney `json:"maxPrice"`
	ProductClicks     wireInt   `json:"productClicks"`
	CTR               wireFloat `json:"ctr"`
	ATC               wireInt   `json:"atc"`
	OrdersCreated     wireInt   `json:"ordersCreated"`
	Revenue           wireMoney `json:"revenue"`
	ItemSold          wireInt   `json:"itemSold"`
	COR               wireFloat `json:"cor"`
	ConfirmedOrderCnt wireInt   `json:"confirmedOrderCnt"`
	ConfirmedRevenue  wireMoney `json:"confirmedRevenue"`
	ConfirmedItemSold wireInt   `json:"confirmedItemSold"`
	ConfirmedCOR      wireFloat `json:"confirmedCor"`
}

func (w *wireProductPage) validate() error {
	for _, p := range w.List {
		if p.ItemID.p == nil {
			return errors.New("a product has no itemId")
		}
	}
	return nil
}

func (w *wireProduct) product() liveboard.Product {
	return liveboard.Product{
		ItemID:     w.ItemID.value(),
		Title:      w.Title,
		CoverImage: w.CoverImage,
		MinPrice:   w.MinPrice.p,
		MaxPrice:   w.MaxPrice.p,

		Clicks:           w.ProductClicks.p,
		ClickThroughRate: w.CTR.p,
		AddToCart:        w.ATC.p,
		Orders:           w.OrdersCreated.p,
		Revenue:          w.Revenue.p,
		ItemsSold:        w.ItemSold.p,
		ConversionRate:   w.COR.p,

		ConfirmedOrders:         w.ConfirmedOrderCnt.p,
		ConfirmedRevenue:        w.ConfirmedRevenue.p,
		ConfirmedItemsSold:      w.ConfirmedItemSold.p,
		ConfirmedConversionRate: w.ConfirmedCOR.p,
	}
}

// SessionProducts returns one page (counted from 1) of the session's
// product list, as the live dashboard shows it: the figures of the whole
// session, most clicked products first. Money is read exactly, in the
// account's currency; figures Shopee did not report are nil. A session
// that is not this login's fails with ErrNotFound.
func (c *Client) SessionProducts(ctx context.Context, a Auth,
	sessionID int64, page, pageSize int) (*ProductPage, error) {
	const endpoint = "productList"
	if page < 1 || pageSize < 1 || sessionID < 1 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: session id, page and page size must be at "+
				"least 1", endpoint)
	}

	cl := dashboardCall(endpoint, a.Region, sessionID)
	cl.query.Set("productName", "")
	cl.query.Set("productListTimeRange", "0")
	cl.query.Set("productListOrderBy", "productClicks")
	cl.query.Set("sort", "desc")
	cl.query.Set("page", strconv.Itoa(page))
	cl.query.Set("pageSize", strconv.Itoa(pageSize))

	var w wireProductPage
	if err := c.get(ctx, a, cl, &w); err != nil {
		return nil, err
	}

	p := &ProductPage{Total: int(w.Total.value()),
		Items: make([]liveboard.Product, 0, len(w.List))}
	for i := range w.List {
		p.Items = append(p.Items, w.List[i].product())
	}
	return p, nil
}
