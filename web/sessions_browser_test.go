package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// TestBrowserSessionCharts opens the sessions list on a phone-sized
// screen, follows a session to its page and finds its charts drawn and
// labelled, with nothing wider than the screen.
func TestBrowserSessionCharts(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	c := newChrome(t, h)
	sim := h.sim.Accounts()
	h.sim.AddSession(sim[0].UserID, shopeesim.SessionSpec{
		Title: "Flash sale night", Start: h.clock.Now().Add(-time.Hour),
		Duration: 3 * time.Hour, PeakViewers: 800})
	for range 3 {
		h.tick(t, 2*time.Minute)
	}
	list, _, err := h.store.Sessions(ctx, liveboard.SessionFilter{
		StudioIDs: []int64{h.studio1.ID}, Status: liveboard.SessionOngoing})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, se := range list {
		if se.Title == "Flash sale night" {
			id = se.ID
		}
	}
	if id == 0 {
		t.Fatalf("the monitor stored no session called Flash sale night")
	}

	c.do("use a phone-sized screen", chromedp.EmulateViewport(360, 740))
	c.signIn(viewerEmail)
	link := chromedp.CSS(`#sessions a[href="/sessions/` + itoa(id) + `"]`)
	c.do("open the sessions list", chromedp.Navigate(h.url+"/sessions"),
		chromedp.WaitVisible(link))
	checkFitsScreen(t, c)
	hint := eval[string](c, `(() => { const s = getComputedStyle(`+
		`document.querySelector(".scroll"), "::before"); `+
		`return s.display === "none" ? "" : s.content; })()`)
	if !strings.Contains(hint, "Scroll sideways") {
		t.Errorf("the sessions table has no hint that it scrolls: %q", hint)
	}
	// A start time stays on one line.
	lines := eval[int](c, `(() => { const r = document.createRange(); `+
		`r.selectNodeContents(document.querySelector("#sessions td.when")); `+
		`return r.getClientRects().length; })()`)
	if lines != 1 {
		t.Errorf("a start time takes %d lines", lines)
	}
	c.screenshot("sessions")

	c.do("open the session", chromedp.Click(link),
		chromedp.WaitVisible(chromedp.CSS(`#chart-viewers svg`)))
	label := eval[string](c, `document.querySelector(`+
		`"#chart-viewers svg").getAttribute("aria-label")`)
	role := eval[string](c, `document.querySelector(`+
		`"#chart-viewers svg").getAttribute("role")`)
	if role != "img" || !strings.HasPrefix(label, "Viewers now: from ") {
		t.Errorf("viewers chart: role %q, label %q", role, label)
	}
	for _, id := range []string{"orders", "gmv", "comments", "likes"} {
		n := eval[int](c, `document.querySelectorAll("#chart-`+id+
			` svg[role=img] title").length`)
		if n != 1 {
			t.Errorf("chart %s has %d titles, want 1", id, n)
		}
	}
	gmv := eval[string](c, `document.querySelector("#chart-gmv svg")`+
		`.getAttribute("aria-label")`)
	if !strings.Contains(gmv, "Rp ") {
		t.Errorf("the GMV chart's label %q has no rupiah amounts", gmv)
	}
	checkFitsScreen(t, c)
	checkChartText(t, c)
	c.screenshot("session")

	c.do("use a wide screen", chromedp.EmulateViewport(1280, 800))
	checkChartText(t, c)
	hint = eval[string](c, `getComputedStyle(document.querySelector(`+
		`".scroll"), "::before").display`)
	if hint != "none" {
		t.Errorf("the scroll hint shows on a wide screen (%s)", hint)
	}
	c.screenshot("session-wide")
}

// checkChartText fails when a chart's axis text shows smaller than 9 px
// or larger than 18 px.
func checkChartText(t *testing.T, c *chrome) {
	t.Helper()
	sizes := eval[[]float64](c, `Array.from(document.querySelectorAll(`+
		`"figure.chart svg")).map(svg => { const text = `+
		`svg.querySelector("text"); return text.getBoundingClientRect()`+
		`.height; })`)
	if len(sizes) == 0 {
		t.Fatal("no chart text on the page")
	}
	for _, px := range sizes {
		// A line of text is about 1.2 times its font size.
		if px/1.2 < 9 || px/1.2 > 18 {
			t.Errorf("chart text shows at %.1f px at a width of %d px",
				px/1.2, eval[int](c, `window.innerWidth`))
		}
	}
}

// checkFitsScreen fails when the page is wider than the screen, so that
// the body would scroll sideways.
func checkFitsScreen(t *testing.T, c *chrome) {
	t.Helper()
	wide := eval[int](c, `document.documentElement.scrollWidth`)
	screen := eval[int](c, `window.innerWidth`)
	if wide > screen {
		t.Errorf("the page is %d px wide on a %d px screen: %s", wide,
			screen, eval[string](c, `Array.from(document.querySelectorAll(`+
				`"body *")).filter(e => !e.closest(".scroll") && `+
				`e.getBoundingClientRect().right > `+
				`window.innerWidth).slice(0, 5).map(e => e.tagName + "." + `+
				`e.className).join(", ")`))
	}
}
