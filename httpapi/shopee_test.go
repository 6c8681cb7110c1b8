package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// TestShopeeFailures makes Shopee fail for an account and checks the
// error each route that calls Shopee answers with.
func TestShopeeFailures(t *testing.T) {
	tests := []struct {
		name       string
		fault      shopeesim.FaultKind
		status     int
		code       string
		retryAfter string
		relogin    bool
	}{
		{"anti-bot wall", shopeesim.AntiBot, http.StatusConflict,
			liveboard.EShopeeChallenge, "", true},
		{"login expired", shopeesim.LoginExpired, http.StatusConflict,
			liveboard.EShopeeLogin, "", true},
		{"rate limited", shopeesim.RateLimit, http.StatusTooManyRequests,
			liveboard.EShopeeRateLimited, "1", false},
		{"rate limited without a delay", shopeesim.RateLimitNoHeader,
			http.StatusTooManyRequests, liveboard.EShopeeRateLimited, "",
			false},
		{"gateway down", shopeesim.Error503, http.StatusBadGateway,
			liveboard.EShopeeUnavailable, "", false},
		{"HTML instead of JSON", shopeesim.HTMLPage, http.StatusBadGateway,
			liveboard.EShopeeBadAnswer, "", false},
	}
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		a := h.accounts[0]
		live := h.liveSession(t, a)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.sim.SetAccountFault(a.ShopeeUserID, tt.fault)
				defer h.heal(t, a)

				calls := []request{
					{"POST", listPath, map[string]any{"account_id": a.ID}},
					{"POST", listPath, map[string]any{
						"access_token": h.cookie(t, a)}},
					{"POST", syncPath, map[string]any{
						"shopee_account_id": a.ID,
						"session_id":        live.SessionID}},
				}
				for _, c := range calls {
					res := h.do(t, c, operator1)
					got := wantError(t, res, tt.status, tt.code)
					if !strings.HasPrefix(got.Message, "Shopee ") {
						t.Errorf("message %q does not say Shopee failed",
							got.Message)
					}
					if ra := res.header.Get("Retry-After"); ra != tt.retryAfter {
						t.Errorf("Retry-After = %q, want %q", ra,
							tt.retryAfter)
					}
				}

				checkAccountHealth(t, h, a, tt.relogin)
				logs := h.logs.String()
				if !strings.Contains(logs, "status="+itoa(int64(tt.status))) {
					t.Errorf("no log line for the %d answers", tt.status)
				}
			})
		}
	})
}

// heal ends the account's fault and gives it its login back, which
// clears its failure count and its need of a new login.
func (h *harness) heal(t *testing.T, a liveboard.Account) {
	t.Helper()
	h.sim.ClearAccountFault(a.ShopeeUserID)
	err := h.store.ReplaceAccountCookies(context.Background(), a.ID,
		h.cookie(t, a))
	if err != nil {
		t.Fatalf("replace login: %v", err)
	}
}

// checkAccountHealth checks that the failed sync was recorded on the
// account, and whether it now needs a new login.
func checkAccountHealth(t *testing.T, h *harness, a liveboard.Account,
	relogin bool) {
	t.Helper()
	for _, got := range h.accountList(t, operator1) {
		if got.ID != a.ID {
			continue
		}
		if got.NeedsRelogin != relogin || got.Failures != 1 ||
			got.LastError == "" {
			t.Errorf("account health: needs_relogin %t, failures %d, "+
				"last_error %q; want %t, 1 and a message", got.NeedsRelogin,
				got.Failures, got.LastError, relogin)
		}
		return
	}
	t.Errorf("account %d not listed", a.ID)
}

// TestSecretsStayOut sends cookies in request bodies on paths that
// succeed and fail, then checks the logs hold lines about those requests
// but no cookie; every answer is checked for cookies as it arrives.
func TestSecretsStayOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	a := h.accounts[0]
	cookie := h.cookie(t, a)
	live := h.liveSession(t, a)

	bodies := []map[string]any{
		{"access_token": cookie},
		{"access_token": cookie, "region": "XX"},
		{"access_token": cookie, "page_size": 1000},
		{"account_id": a.ID, "access_token": cookie},
		{"access_token": cookie + "\x01"},
	}
	for _, b := range bodies {
		h.post(t, listPath, viewer1, b)
	}
	h.post(t, syncPath, operator1, map[string]any{
		"shopee_account_id": a.ID, "session_id": live.SessionID,
		"access_token": cookie})

	h.sim.SetAccountFault(a.ShopeeUserID, shopeesim.Error500)
	h.post(t, listPath, viewer1, bodies[0])
	h.sim.SetAccountFault(a.ShopeeUserID, shopeesim.AntiBot)
	h.post(t, syncPath, operator1, map[string]any{
		"shopee_account_id": a.ID, "session_id": live.SessionID})

	logs := h.logs.String()
	for _, want := range []string{"status=400", "status=502",
		"status=409"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the logs have no line with %s", want)
		}
	}
	for _, s := range h.secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs hold the secret %.12s…", s)
		}
	}
}
