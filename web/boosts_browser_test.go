package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"liveboard/sqlstore/sqlstoretest"
)

// TestBrowserCampaignsAndBoosts opens the campaigns and boosts pages on
// a phone-sized screen as an operator, then starts a boost through the
// form and finds it listed as running.
func TestBrowserCampaignsAndBoosts(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	session := h.liveSession(t, "Coins tonight")
	c := newChrome(t, h)
	c.do("use a phone-sized screen", chromedp.EmulateViewport(360, 740))
	c.signIn(operatorEmail)

	c.do("open the campaigns page", chromedp.Navigate(h.url+"/campaigns"),
		chromedp.WaitVisible(chromedp.CSS("#auto-pause")))
	if n := eval[int](c, `document.querySelectorAll("tr[data-campaign]")`+
		`.length`); n == 0 {
		t.Error("the campaigns page lists no campaign")
	}
	checkFitsScreen(t, c)
	c.screenshot("campaigns")

	c.do("fill in the boost form", chromedp.Navigate(h.url+"/boosts"),
		chromedp.WaitVisible(chromedp.CSS("#start-boost")),
		chromedp.SetValue(chromedp.CSS("#boost-session"), session),
		chromedp.SetValue(chromedp.CSS(`[name="total_coins"]`), "500"),
		chromedp.SetValue(chromedp.CSS(`[name="coins_per_claim"]`), "5"),
		chromedp.SetValue(chromedp.CSS(`[name="claim_times"]`), "10"),
		chromedp.SetValue(chromedp.CSS(`[name="interval_seconds"]`), "120"))
	checkFitsScreen(t, c)
	c.screenshot("boost-form")
	c.do("start the boost",
		chromedp.Click(chromedp.CSS("#start-boost button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
		chromedp.WaitVisible(chromedp.CSS("#plans li.plan.running")))
	plan := eval[string](c, `document.querySelector("#plans li.plan")`+
		`.textContent`)
	for _, want := range []string{"session " + session, "running",
		"0 of 500", "5 × 10 every 120 s"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the listed plan lacks %q: %s", want, plan)
		}
	}
	if q := h.queue.queued(); len(q) != 1 {
		t.Errorf("queued %v, want one plan", q)
	}
	checkFitsScreen(t, c)
	c.screenshot("boost-started")
}
