package web_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// TestBrowserLiveWall signs in, opens the live wall and watches its
// numbers change in place as the monitor stores new snapshots, with no
// reload of the page, and a session that ends marked as ended.
func TestBrowserLiveWall(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	c := newChrome(t, h)
	sim := h.sim.Accounts()
	now := h.clock.Now()
	h.sim.AddSession(sim[0].UserID, shopeesim.SessionSpec{
		Title: "Flash sale night", Start: now.Add(-40 * time.Minute),
		Duration: 3 * time.Hour, PeakViewers: 800})
	// The third account has no live session of its own in this world,
	// so its tile follows this one to its end.
	h.sim.AddSession(sim[2].UserID, shopeesim.SessionSpec{
		Title: "Short morning live", Start: now.Add(-50 * time.Minute),
		Duration: 55 * time.Minute, PeakViewers: 300})
	h.tick(t, time.Second)

	c.do("use a wide screen", chromedp.EmulateViewport(1280, 800))
	c.signIn(ownerEmail)
	c.do("open the live wall", chromedp.Navigate(h.url+"/live"),
		chromedp.WaitVisible(chromedp.CSS("#live-wall")),
		chromedp.WaitVisible(chromedp.CSS(`#live-status`)))
	// Wait for the stream to be open before anything is stored.
	waitJS(t, c, `document.getElementById("live-status").textContent`+
		`.startsWith("Live:")`)
	eval[bool](c, `window.sameWall = true`)

	tile := `[data-account="` + itoa(h.accounts[0].ID) + `"]`
	before := tileNumbers(t, c, tile)
	if before == "" {
		t.Fatalf("the tile of %s shows no numbers", sim[0].UserName)
	}
	// At most four minutes pass here, so the short session is still on
	// air when the loop ends.
	changed := false
	for range 4 {
		h.tick(t, time.Minute)
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if tileNumbers(t, c, tile) != before {
				changed = true
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if changed {
			break
		}
	}
	if !changed {
		t.Fatalf("the live wall still shows %q after four minutes of "+
			"snapshots", before)
	}
	if !eval[bool](c, `window.sameWall === true`) {
		t.Error("the page was reloaded to show the new numbers")
	}
	waitJS(t, c, `document.querySelectorAll('`+tile+
		` .trend.up, `+tile+` .trend.down').length > 0`)
	when := eval[string](c, `Array.from(document.querySelectorAll('`+tile+
		` .session small')).filter(e => !e.hidden).`+
		`map(e => e.textContent).join(" | ")`)
	if !regexp.MustCompile(`^Started [-0-9]+ [0-9:]+ WIB \| ` +
		`Updated [-0-9]+ [0-9:]+ WIB$`).MatchString(when) {
		t.Errorf("the tile says %q, want when it started and when it "+
			"was updated", when)
	}
	// Every number stays on one line, "Rp" with its amount.
	broken := eval[string](c, `Array.from(document.querySelectorAll(`+
		`"#live-wall .num")).filter(e => e.getClientRects().length > 1)`+
		`.map(e => e.textContent).join(", ")`)
	if broken != "" {
		t.Errorf("numbers broken across lines: %s", broken)
	}

	// Past the end of the short session; Shopee may list a session as
	// live for a while after it ended, so the monitor may need more looks.
	ended := `[data-account="` + itoa(h.accounts[2].ID) + `"]`
	isEnded := `document.querySelector('` + ended +
		`').classList.contains("ended")`
	h.tick(t, 10*time.Minute)
	for i := 0; i < 5 && !eventually(c, isEnded, 3*time.Second); i++ {
		h.tick(t, time.Minute)
	}
	waitJS(t, c, isEnded)
	state := eval[string](c, `document.querySelector('`+ended+
		` .state').textContent`)
	if state != "Ended" {
		t.Errorf("the ended session's badge says %q", state)
	}
	c.screenshot("live-wall")
}

// tileNumbers returns the numbers a tile shows, joined.
func tileNumbers(t *testing.T, c *chrome, tile string) string {
	t.Helper()
	return strings.TrimSpace(eval[string](c, `Array.from(document.`+
		`querySelectorAll('`+tile+` .num')).map(e => e.textContent).`+
		`join(" ")`))
}

// waitJS waits until a script expression is true.
func waitJS(t *testing.T, c *chrome, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !eval[bool](c, expr) {
		if time.Now().After(deadline) {
			c.screenshot("timeout")
			t.Logf("page:\n%s", eval[string](c,
				`document.querySelector("main").outerHTML`))
			t.Fatalf("still not true after 10 s: %s", expr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eventually reports whether a script expression becomes true within d.
func eventually(c *chrome, expr string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !eval[bool](c, expr) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}
