package web_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// maxPageWeight is what a page may weigh with its own static assets: a
// phone on a slow network still opens it quickly.
const maxPageWeight = 300 << 10

var staticRef = regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)

// TestPageWeights fetches every kind of page as a signed-in owner, with
// data on it, and checks each weighs less than maxPageWeight together
// with the static files it loads.
func TestPageWeights(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	h.seedSessions(t, 30)
	live := h.sim.AddSession(h.sim.Accounts()[0].UserID, shopeesim.SessionSpec{
		Title: "Weighed live", Start: h.clock.Now().Add(-3 * time.Hour),
		Duration: 4 * time.Hour})
	h.tick(t, time.Minute)
	h.tick(t, time.Minute)
	id := h.sessionID(t, "Weighed live")

	b := h.browser(t)
	b.signIn(ownerEmail)
	wantStatus(t, b.form(b.get("/boosts"), "/boosts", h.boostValues(
		itoa(live), nil)), http.StatusSeeOther)
	qr := b.form(b.get("/accounts"), "/accounts/qr", nil)
	pages := map[string]page{"QR login": qr}
	for _, path := range []string{"/live", "/sessions",
		"/sessions/" + itoa(id), "/analytics?days=90", "/campaigns", "/boosts", "/alerts",
		"/alerts/settings", "/accounts"} {
		pages[path] = b.get(path)
	}
	for name, p := range pages {
		wantStatus(t, p, http.StatusOK)
		total := len(p.body)
		for _, m := range staticRef.FindAllStringSubmatch(p.body, -1) {
			asset := b.get(m[1])
			wantStatus(t, asset, http.StatusOK)
			total += len(asset.body)
		}
		t.Logf("%s: %d bytes with its assets", name, total)
		if total >= maxPageWeight {
			t.Errorf("%s weighs %d bytes, over %d", name, total,
				maxPageWeight)
		}
	}
}
