package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// TestBrowserQRConnect connects a new account by QR: the page shows the
// code, follows its status as the phone scans and confirms it, and
// finishes by itself on the accounts page, which lists the account.
func TestBrowserQRConnect(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	c := newChrome(t, h)
	c.signIn(adminEmail)
	c.do("ask for a QR code", chromedp.Navigate(h.url+"/accounts"),
		chromedp.Click(chromedp.CSS("#connect-qr button")),
		chromedp.WaitVisible(chromedp.CSS(".qr svg")))
	c.screenshot("qr-code")

	var code string
	for _, q := range h.sim.QRCodes() {
		if q.Status == shopeesim.QRNew {
			code = q.ID
		}
	}
	if code == "" {
		t.Fatal("the simulator has no new QR code")
	}
	if err := h.sim.ScanQR(code); err != nil {
		t.Fatal(err)
	}
	waitJS(t, c, `document.getElementById("qr-status").textContent`+
		`.startsWith("Scanned.")`)
	c.screenshot("qr-scanned")

	userID, err := h.sim.ConfirmQR(code, 0)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, a := range h.sim.Accounts() {
		if a.UserID == userID {
			name = a.UserName
		}
	}
	c.do("wait for the accounts page",
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	notice := eval[string](c, `document.querySelector("p.notice")`+
		`.textContent`)
	if notice != "The account is connected." {
		t.Errorf("notice = %q", notice)
	}
	table := eval[string](c, `document.querySelector("table.accounts")`+
		`.textContent`)
	if name == "" || !strings.Contains(table, name) {
		t.Errorf("the accounts page does not list %q", name)
	}
	c.screenshot("connected")
}
