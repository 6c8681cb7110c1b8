package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// TestRefusedLoginStopsCalls makes Shopee refuse an account's login on
// a pass-through route: the account is marked as needing a new login,
// and later calls with its stored login are refused without reaching
// Shopee, until it logs in again; a raw cookie string still goes through.
func TestRefusedLoginStopsCalls(t *testing.T) {
	t.Parallel()
	for _, fault := range []shopeesim.FaultKind{shopeesim.AntiBot,
		shopeesim.LoginExpired} {
		t.Run(fault.String(), func(t *testing.T) {
			h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
			a := h.accounts[0]
			h.sim.SetAccountFault(a.ShopeeUserID, fault)
			h.sim.ResetCalls()
			byAccount := map[string]any{"account_id": a.ID}

			res := h.post(t, api+"/campaign/expense-today", viewer1,
				byAccount)
			if res.status != http.StatusConflict {
				t.Fatalf("status %d, want 409; body %s", res.status,
					res.body)
			}
			checkAccountHealth(t, h, a, true)

			for _, path := range []string{"/campaign/expense-today",
				"/promotions/today", "/creator/user-info"} {
				wantError(t, h.post(t, api+path, viewer1, byAccount),
					http.StatusConflict, liveboard.EShopeeLogin)
			}
			calls := 0
			for _, n := range h.sim.Calls() {
				calls += n
			}
			if calls != 1 {
				t.Errorf("%d calls reached Shopee, want 1", calls)
			}

			h.heal(t, a)
			dataOf[map[string]any](t, h.post(t, api+"/promotions/today",
				viewer1, byAccount), http.StatusOK)
		})
	}
}

// TestPassThroughFailures checks what the new routes answer for Shopee's
// other failures: the account is not marked, and a rate limit passes its
// wait on.
func TestPassThroughFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      shopeesim.FaultKind
		status     int
		code       string
		retryAfter string
	}{
		{"rate limited", shopeesim.RateLimit, http.StatusTooManyRequests,
			liveboard.EShopeeRateLimited, "1"},
		{"gateway down", shopeesim.Error502, http.StatusBadGateway,
			liveboard.EShopeeUnavailable, ""},
		{"broken answer", shopeesim.TruncatedJSON, http.StatusBadGateway,
			liveboard.EShopeeBadAnswer, ""},
	}
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	a := h.accounts[0]
	live := h.liveSession(t, a)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.sim.SetAccountFault(a.ShopeeUserID, tt.fault)
			defer h.sim.ClearAccountFault(a.ShopeeUserID)

			for _, path := range []string{"/creator/overview",
				"/coins/reward-info", "/creator/session-info"} {
				res := h.post(t, api+path, operator1, map[string]any{
					"account_id": a.ID, "session_id": live.SessionID})
				wantError(t, res, tt.status, tt.code)
				if got := res.header.Get("Retry-After"); got != tt.retryAfter {
					t.Errorf("%s: Retry-After %q, want %q", path, got,
						tt.retryAfter)
				}
			}
			for _, got := range h.accountList(t, operator1) {
				if got.ID == a.ID && got.NeedsRelogin {
					t.Error("a passing failure marked the account")
				}
			}
		})
	}
}

func TestSMMPanel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{smm: true})

	t.Run("services", func(t *testing.T) {
		type service struct {
			ServiceID int64           `json:"service_id"`
			Name      string          `json:"name"`
			Rate      liveboard.Money `json:"rate"`
			Min       int64           `json:"min"`
			Max       int64           `json:"max"`
		}
		got := dataOf[struct {
			Services []service `json:"services"`
		}](t, h.get(t, api+"/external/smm/services", instanceAdmin),
			http.StatusOK)
		rate, _ := liveboard.ParseMoney("12.5")
		if len(got.Services) != 2 || got.Services[0] != (service{
			ServiceID: 101, Name: "Shopee Live Viewers", Rate: rate,
			Min: 100, Max: 5000}) {
			t.Errorf("services %+v", got.Services)
		}
	})

	t.Run("balance", func(t *testing.T) {
		got := dataOf[struct {
			Balance  liveboard.Money `json:"balance"`
			Currency string          `json:"currency"`
		}](t, h.get(t, api+"/external/smm/balance", instanceAdmin),
			http.StatusOK)
		want, _ := liveboard.ParseMoney("100.84292")
		if got.Balance != want || got.Currency != "USD" {
			t.Errorf("balance %+v", got)
		}
	})

	t.Run("status", func(t *testing.T) {
		type order struct {
			OrderID int64  `json:"order_id"`
			Status  string `json:"status"`
			Error   string `json:"error"`
		}
		got := dataOf[struct {
			Orders []order `json:"orders"`
		}](t, h.get(t, api+"/external/smm/status?orders=9001,5",
			instanceAdmin), http.StatusOK)
		want := []order{{OrderID: 9001, Status: "Partial"},
			{OrderID: 5, Error: "Incorrect order ID"}}
		if diff := cmp.Diff(want, got.Orders); diff != "" {
			t.Errorf("orders (-want +got):\n%s", diff)
		}
		wantError(t, h.get(t, api+"/external/smm/status?orders=x",
			instanceAdmin), http.StatusBadRequest, liveboard.EInvalid)
	})

	t.Run("administrators only", func(t *testing.T) {
		for _, as := range []who{owner1, narrowAdmin} {
			wantError(t, h.get(t, api+"/external/smm/balance", as),
				http.StatusForbidden, liveboard.EForbidden)
		}
		if n := h.smm.Calls("balance"); n != 1 {
			t.Errorf("the panel saw %d balance calls, want 1", n)
		}
	})

	t.Run("panel down", func(t *testing.T) {
		h.smm.SetDown(true)
		defer h.smm.SetDown(false)
		wantError(t, h.get(t, api+"/external/smm/services", instanceAdmin),
			http.StatusBadGateway, liveboard.EExternal)
	})

	t.Run("not configured", func(t *testing.T) {
		plain := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
		wantError(t, plain.get(t, api+"/external/smm/services",
			instanceAdmin), http.StatusNotFound, liveboard.ENotFound)
	})

	if h.smm.Calls("add") != 0 {
		t.Error("an order was placed")
	}
}
