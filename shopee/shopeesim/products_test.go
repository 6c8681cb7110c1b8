package shopeesim

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"liveboard"
)

func productsPath(id int64, query string) string {
	return sessionPath(creator, "realtime/dashboard/productList", id) +
		"&productName=&productListTimeRange=0" + query
}

// sums adds up the products' figures the way the session counts them.
func sums(ps []ProductTruth) Metrics {
	var m Metrics
	for _, p := range ps {
		m.ProductClicks += p.Clicks
		m.ATC += p.ATC
		m.PlacedOrders += p.Orders
		m.PlacedItemsSold += p.ItemsSold
		m.PlacedGMV += p.Revenue
		m.ConfirmedOrders += p.ConfirmedOrders
		m.ConfirmedItemsSold += p.ConfirmedItemsSold
		m.ConfirmedGMV += p.ConfirmedRevenue
	}
	return m
}

func TestProductsAddUpToTheSession(t *testing.T) {
	s, _ := newSim(t, Options{})
	for _, a := range s.Accounts()[:2] {
		tr := liveSession(t, s, a.UserID)
		var prev []ProductTruth
		for at := tr.Start; at.Before(tr.End.Add(10 * time.Minute)); at = at.Add(
			7*time.Minute + 30*time.Second) {
			ps, ok := s.Products(tr.SessionID, at)
			if !ok || len(ps) != basketLen {
				t.Fatalf("Products at %v: %d products, ok %t", at, len(ps), ok)
			}
			truth, _ := s.Truth(tr.SessionID, at)
			checkProductSums(t, at, truth.Metrics, ps)
			checkProductsGrow(t, at, prev, ps)
			prev = ps
		}
		if prev[0].Clicks == 0 && sums(prev).PlacedOrders == 0 {
			t.Errorf("session %d sold nothing; the test wants activity",
				tr.SessionID)
		}
	}
}

func checkProductSums(t *testing.T, at time.Time, want Metrics,
	ps []ProductTruth) {
	t.Helper()
	got := sums(ps)
	pairs := []struct {
		name      string
		got, want int64
	}{
		{"clicks", got.ProductClicks, want.ProductClicks},
		{"atc", got.ATC, want.ATC},
		{"orders", got.PlacedOrders, want.PlacedOrders},
		{"items", got.PlacedItemsSold, want.PlacedItemsSold},
		{"revenue", int64(got.PlacedGMV), int64(want.PlacedGMV)},
		{"confirmed orders", got.ConfirmedOrders, want.ConfirmedOrders},
		{"confirmed items", got.ConfirmedItemsSold, want.ConfirmedItemsSold},
		{"confirmed revenue", int64(got.ConfirmedGMV),
			int64(want.ConfirmedGMV)},
	}
	for _, p := range pairs {
		if p.got != p.want {
			t.Errorf("at %v: products' %s add up to %d, session has %d",
				at, p.name, p.got, p.want)
		}
	}
	for _, p := range ps {
		if p.ATC > p.Clicks || p.ConfirmedOrders > p.Orders ||
			p.Revenue != p.Price*liveboard.Money(p.ItemsSold) {
			t.Errorf("at %v: product %d is inconsistent: %+v", at,
				p.ItemID, p)
		}
	}
}

func checkProductsGrow(t *testing.T, at time.Time, prev,
	cur []ProductTruth) {
	t.Helper()
	for i := range prev {
		p, c := prev[i], cur[i]
		if c.ItemID != p.ItemID || c.Clicks < p.Clicks || c.ATC < p.ATC ||
			c.Orders < p.Orders || c.Revenue < p.Revenue {
			t.Errorf("at %v: product %d went back: %+v -> %+v", at,
				p.ItemID, p, c)
		}
	}
}

// productWire is the part of a productList item the tests read.
type productWire struct {
	ItemID        int64   `json:"itemId"`
	Title         string  `json:"title"`
	ProductClicks int64   `json:"productClicks"`
	Revenue       float64 `json:"revenue"`
	MinPrice      float64 `json:"minPrice"`
}

type productData struct {
	Total int           `json:"total"`
	List  []productWire `json:"list"`
}

func TestProductListAnswers(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[0]
	tr := liveSession(t, s, a.UserID)
	truth, _ := s.Products(tr.SessionID, clk.Now())

	t.Run("OrderedByClicks", func(t *testing.T) {
		ans := getSupply[productData](t, s, productsPath(tr.SessionID,
			"&productListOrderBy=productClicks&sort=desc&page=1&pageSize=100"),
			a.Cookie)
		if ans.Code != 0 || ans.Data.Total != basketLen ||
			len(ans.Data.List) != basketLen {
			t.Fatalf("answer code %d, total %d, %d items", ans.Code,
				ans.Data.Total, len(ans.Data.List))
		}
		ordered := slices.IsSortedFunc(ans.Data.List,
			func(x, y productWire) int {
				return cmp.Or(cmp.Compare(y.ProductClicks, x.ProductClicks),
					cmp.Compare(x.ItemID, y.ItemID))
			})
		if !ordered {
			t.Errorf("list not ordered by clicks: %+v", ans.Data.List)
		}
	})

	t.Run("Pages", func(t *testing.T) {
		ans := getSupply[productData](t, s, productsPath(tr.SessionID,
			"&productListOrderBy=revenue&sort=asc&page=2&pageSize=5"),
			a.Cookie)
		if ans.Data.Total != basketLen || len(ans.Data.List) != 5 {
			t.Errorf("page 2 of 5: total %d, %d items", ans.Data.Total,
				len(ans.Data.List))
		}
	})

	t.Run("FiltersByName", func(t *testing.T) {
		word := strings.Fields(truth[0].Title)[0]
		ans := getSupply[productData](t, s, sessionPath(creator,
			"realtime/dashboard/productList", tr.SessionID)+
			"&productName="+strings.ToUpper(word), a.Cookie)
		if len(ans.Data.List) == 0 {
			t.Fatalf("no product matches %q", word)
		}
		for _, p := range ans.Data.List {
			if !strings.Contains(p.Title, word) {
				t.Errorf("%q does not contain %q", p.Title, word)
			}
		}
	})

	t.Run("ErrUnknownOrder", func(t *testing.T) {
		ans := getSupply[any](t, s, productsPath(tr.SessionID,
			"&productListOrderBy=price"), a.Cookie)
		if ans.Code != codeInvalidParam {
			t.Errorf("code = %d, want %d", ans.Code, codeInvalidParam)
		}
	})

	t.Run("OthersSessionIsEmpty", func(t *testing.T) {
		other := s.Accounts()[1]
		ans := getSupply[map[string]any](t, s, productsPath(tr.SessionID,
			""), other.Cookie)
		if ans.Code != 0 || len(ans.Data) != 0 {
			t.Errorf("answer %+v, want success with empty data", ans)
		}
	})

	t.Run("NullMetricsKeepItemIDs", func(t *testing.T) {
		s.SetFaults(EndpointProducts, Faults{Rate: 1,
			Kinds: []FaultKind{NullMetrics}})
		defer s.ClearFaults()
		res := get(t, s, productsPath(tr.SessionID, ""), a.Cookie)
		body := string(res.body)
		if !strings.Contains(body, `"productClicks":null`) ||
			!strings.Contains(body, `"revenue":null`) ||
			!strings.Contains(body, `"itemId":2`) {
			t.Errorf("want null metrics and item ids kept: %s", body)
		}
	})
}
