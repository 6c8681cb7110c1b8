package shopee

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

const productAnswer = `{"code":0,"msg":"","data":{"total":2,"list":[
 {"itemId":24042796292,"title":"Serum Vitamin C Original",
  "coverImage":"https://cf.example.invalid/a.jpg",
  "minPrice":49900,"maxPrice":"59900.5","productClicks":321,"ctr":12.5,
  "atc":120,"ordersCreated":17,"revenue":848300.10,"itemSold":17,
  "cor":5.3,"confirmedOrderCnt":15,"confirmedRevenue":748500.09,
  "confirmedItemSold":15,"confirmedCor":4.67},
 {"itemId":"24042696092","title":"Gamis Polos","coverImage":"",
  "minPrice":null,"maxPrice":null,"productClicks":null,"ctr":null,
  "atc":null,"ordersCreated":null,"revenue":null,"itemSold":null,
  "cor":null,"confirmedOrderCnt":null,"confirmedRevenue":null,
  "confirmedItemSold":null,"confirmedCor":null}]}}`

func money(s string) *liveboard.Money {
	m, err := liveboard.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return &m
}

func TestSessionProducts(t *testing.T) {
	var got *http.Request
	c, rec := newTestClient(t, http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			got = r.Clone(context.Background())
			answer(http.StatusOK, productAnswer)(w, r)
		}))

	page, err := c.SessionProducts(context.Background(), testAuth, 114156365,
		2, 50)
	if err != nil {
		t.Fatal(err)
	}

	want := &ProductPage{Total: 2, Items: []liveboard.Product{
		{
			ItemID: 24042796292, Title: "Serum Vitamin C Original",
			CoverImage: "https://cf.example.invalid/a.jpg",
			MinPrice:   money("49900"), MaxPrice: money("59900.5"),
			Clicks: liveboard.Ptr[int64](321), ClickThroughRate: liveboard.Ptr(12.5),
			AddToCart: liveboard.Ptr[int64](120), Orders: liveboard.Ptr[int64](17),
			Revenue: money("848300.1"), ItemsSold: liveboard.Ptr[int64](17),
			ConversionRate:          liveboard.Ptr(5.3),
			ConfirmedOrders:         liveboard.Ptr[int64](15),
			ConfirmedRevenue:        money("748500.09"),
			ConfirmedItemsSold:      liveboard.Ptr[int64](15),
			ConfirmedConversionRate: liveboard.Ptr(4.67),
		},
		{ItemID: 24042696092, Title: "Gamis Polos"},
	}}
	if diff := cmp.Diff(want, page); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}

	wantQuery := url.Values{"sessionId": {"114156365"}, "productName": {""},
		"productListTimeRange": {"0"}, "productListOrderBy": {"productClicks"},
		"sort": {"desc"}, "page": {"2"}, "pageSize": {"50"}}
	if diff := cmp.Diff(wantQuery, got.URL.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if got.URL.Path != supplyPath+"/realtime/dashboard/productList" ||
		got.Header.Get("Referer") !=
			"https://creator.shopee.co.id/dashboard/live/114156365" ||
		got.Header.Get("Cookie") != secretCookie {
		t.Errorf("request %s, referer %q", got.URL.Path,
			got.Header.Get("Referer"))
	}
	if diff := cmp.Diff([]string{"productList ok"}, rec.outcomes()); diff != "" {
		t.Errorf("observed (-want +got):\n%s", diff)
	}
}

func TestSessionProductsFailures(t *testing.T) {
	tests := []struct {
		name string
		body string
		kind error
	}{
		{"ErrNotFoundOnEmptyData", `{"code":0,"msg":"","data":{}}`,
			ErrNotFound},
		{"ErrBadAnswerWithoutItemID",
			`{"code":0,"data":{"list":[{"title":"x"}]}}`, ErrBadAnswer},
		{"ErrBadAnswerOnTextMoney",
			`{"code":0,"data":{"list":[{"itemId":1,"revenue":"lots"}]}}`,
			ErrBadAnswer},
		{"ErrLoginRequired", `{"code":90001,"msg":"not login"}`,
			ErrLoginRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, answer(http.StatusOK, tt.body))
			_, err := c.SessionProducts(context.Background(), testAuth, 1,
				1, 10)
			if !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want %v", err, tt.kind)
			}
		})
	}

	t.Run("ErrInvalidPage", func(t *testing.T) {
		c, _ := newTestClient(t, answer(http.StatusOK, productAnswer))
		_, err := c.SessionProducts(context.Background(), testAuth, 1, 0, 10)
		if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
			t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
		}
	})
}
