package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"liveboard"
)

// testBadInput sends malformed requests: each must get a 400 whose
// message says what is wrong.
func testBadInput(t *testing.T, h *harness) {
	a := h.accounts[0]
	session := h.allSessions(t, owner1)[0]
	snapshots := fmt.Sprintf("%s/%d/snapshots", sessionsPath, session.ID)
	const (
		analytics = "/api/live-streaming/analytics/summary"
		share     = "/api/live-streaming/share-link/"
		accounts  = "/api/live-streaming/accounts"
	)
	account := fmt.Sprintf(`{"account_id":%d}`, a.ID)
	huge := `{"access_token":"` + strings.Repeat("a", 1<<20+10) + `"}`
	padded := account + strings.Repeat(" ", 1<<20+10)

	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		message string // a part of the message that says what is wrong
	}{
		{"malformed JSON", "POST", listPath, `{"account_id" 1}`,
			"not valid JSON"},
		{"cut-short JSON", "POST", listPath, `{"account_id":`,
			"cut short"},
		{"empty body", "POST", listPath, "", "empty"},
		{"blank body", "POST", syncPath, "  \n", "empty"},
		{"not an object", "POST", listPath, `[1,2]`, "JSON object"},
		{"unknown field", "POST", listPath, `{"acount_id":1}`,
			`unknown field "acount_id"`},
		{"id as text", "POST", listPath, `{"account_id":"one"}`,
			`"account_id" must be a whole number`},
		{"page as text", "POST", listPath, `{"account_id":1,"page":"2"}`,
			`"page" must be a whole number`},
		{"token as a number", "POST", listPath, `{"access_token":5}`,
			`"access_token" must be a string`},
		{"session id as a boolean", "POST", syncPath,
			`{"shopee_account_id":1,"session_id":true}`, "session_id"},
		{"session id not a number", "POST", syncPath,
			`{"shopee_account_id":1,"session_id":"abc"}`,
			"not a Shopee id"},
		{"session id a fraction", "POST", syncPath,
			`{"shopee_account_id":1,"session_id":1.5}`, "not a Shopee id"},
		{"session id negative", "POST", syncPath,
			`{"shopee_account_id":1,"session_id":-4}`, "not a Shopee id"},
		{"data after the object", "POST", listPath,
			account + ` {"page":2}`, "after the JSON object"},
		{"text after the object", "POST", listPath, account + ` trailing`,
			"after the JSON object"},
		{"body over 1 MiB", "POST", listPath, huge, "1 MiB"},
		{"padding over 1 MiB", "POST", listPath, padded, "1 MiB"},
		{"page below 1 in a body", "POST", listPath,
			`{"account_id":1,"page":-1}`, "page"},
		{"page size over 100 in a body", "POST", listPath,
			`{"account_id":1,"page_size":101}`, "page_size"},
		{"no login given", "POST", listPath, `{"page":1}`,
			"account_id"},
		{"no account to sync", "POST", syncPath, `{"session_id":"1"}`,
			"shopee_account_id"},
		{"nothing to sync", "POST", syncPath, `{}`, "shopee_account_id"},
		{"bad region for a cookie", "POST", listPath,
			`{"access_token":"SPC_EC=x","region":"XX"}`, "unknown region"},
		{"page 0", "GET", sessionsPath + "?page=0", "", "page"},
		{"page not a number", "GET", sessionsPath + "?page=two", "",
			"page"},
		{"page size 0", "GET", sessionsPath + "?page_size=0", "",
			"page_size"},
		{"page size over 500", "GET", sessionsPath + "?page_size=501", "",
			"page_size"},
		{"status paused", "GET", sessionsPath + "?status=paused", "",
			"paused"},
		{"account id 0", "GET", sessionsPath + "?account_id=0", "",
			"account_id"},
		{"studio id not a number", "GET", sessionsPath + "?studio_id=one",
			"", "studio_id"},
		{"impossible date", "GET", sessionsPath + "?from=2026-13-45", "",
			"from"},
		{"February 30", "GET", sessionsPath + "?from=2026-02-30", "",
			"from"},
		{"time without a zone", "GET",
			sessionsPath + "?to=2026-03-01T10:00:00", "", "to"},
		{"page in exponent form", "GET", sessionsPath + "?page=1e3", "",
			"page"},
		{"negative page size", "GET", sessionsPath + "?page_size=-1", "",
			"page_size"},
		{"studio id too big", "GET",
			sessionsPath + "?studio_id=99999999999999999999", "",
			"studio_id"},
		{"date in words", "GET", sessionsPath + "?to=yesterday", "",
			"to"},
		{"session id not a number", "GET", sessionsPath + "/abc", "",
			"session id"},
		{"session id a space", "GET", sessionsPath + "/%20", "",
			"session id"},
		{"session id 0", "GET", sessionsPath + "/0", "", "session id"},
		{"session id negative", "GET", sessionsPath + "/-3", "",
			"session id"},
		{"session id too big", "GET",
			sessionsPath + "/99999999999999999999", "", "session id"},
		{"snapshots of a non-numeric id", "GET",
			sessionsPath + "/abc/snapshots", "", "session id"},
		{"snapshots since a bad time", "GET", snapshots + "?since=noon",
			"", "since"},
		{"days 0", "GET", analytics + "?days=0", "", "days"},
		{"days 9999", "GET", analytics + "?days=9999", "", "days"},
		{"days not a number", "GET", analytics + "?days=week", "", "days"},
		{"share link of a non-numeric id", "GET", share + "sess_123", "",
			"not a Shopee id"},
		{"share link of id 0", "GET", share + "0", "", "not a Shopee id"},
		{"share link in a bad region", "GET", share + "123?region=XX", "",
			"unknown region"},
		{"accounts of a non-numeric studio", "GET",
			accounts + "?studio_id=x", "", "studio_id"},
		{"studio id with a space", "GET", sessionsPath + "?studio_id=%201",
			"", "studio_id"},
		{"studio id with a plus", "GET", sessionsPath + "?studio_id=%2B1",
			"", "studio_id"},
		{"share link of a signed id", "GET", share + "+123", "",
			"not a Shopee id"},
		{"share link with leading zeros", "GET", share + "000123", "",
			"not a Shopee id"},
		{"from after to", "GET", sessionsPath +
			"?from=2026-03-05&to=2026-03-01", "", "from must come before to"},
		{"a long value is cut short", "GET", sessionsPath + "?studio_id=" +
			strings.Repeat("9x", 500), "", `…`},
		{"page beyond Shopee's", "POST", listPath,
			`{"account_id":1,"page":9223372036854775807}`, "page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.call(t, tt.method, tt.path, owner1, tt.body)
			got := wantError(t, res, http.StatusBadRequest,
				liveboard.EInvalid)
			if !strings.Contains(got.Message, tt.message) {
				t.Errorf("message %q does not mention %q", got.Message,
					tt.message)
			}
		})
	}
}

// testUnknownRoutes checks the envelope of requests no route takes,
// with and without a key.
func testUnknownRoutes(t *testing.T, h *harness) {
	tests := []struct {
		name   string
		method string
		path   string
		status int
		code   string
		allow  string
	}{
		{"unknown API path", "GET", "/api/live-streaming/nothing", 404,
			liveboard.ENotFound, ""},
		{"unknown path", "GET", "/nothing", 404, liveboard.ENotFound, ""},
		{"root", "GET", "/", 404, liveboard.ENotFound, ""},
		{"delete sessions", "DELETE", sessionsPath, 405,
			"METHOD_NOT_ALLOWED", "GET"},
		{"put a session", "PUT", sessionsPath + "/1", 405,
			"METHOD_NOT_ALLOWED", "GET"},
		{"get the session list", "GET", listPath, 405,
			"METHOD_NOT_ALLOWED", "POST"},
		{"post health", "POST", "/healthz", 405, "METHOD_NOT_ALLOWED",
			"GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, as := range []who{anonymous, owner1} {
				res := h.call(t, tt.method, tt.path, as, "")
				wantError(t, res, tt.status, tt.code)
				if got := res.header.Get("Allow"); got != tt.allow {
					t.Errorf("Allow = %q, want %q", got, tt.allow)
				}
			}
		})
	}
}

// testMissingStudio checks that a role held in every studio does not make
// up one that does not exist, and that a refused key is told how to
// authenticate.
func testMissingStudio(t *testing.T, h *harness) {
	for _, path := range []string{
		sessionsPath + "?studio_id=999",
		"/api/live-streaming/accounts?studio_id=999",
		"/api/live-streaming/analytics/summary?studio_id=999",
		"/api/live-streaming/reports/weekly?studio_id=999",
	} {
		wantError(t, h.get(t, path, instanceAdmin), http.StatusNotFound,
			liveboard.ENotFound)
	}
	wantError(t, h.post(t, syncPath, instanceAdmin,
		map[string]any{"studio_id": 999}), http.StatusNotFound,
		liveboard.ENotFound)

	res := h.get(t, sessionsPath, anonymous)
	wantError(t, res, http.StatusUnauthorized, liveboard.EUnauthorized)
	if got := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(got,
		"Bearer") {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
	}
}
