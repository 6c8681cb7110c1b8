package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// qrStatus polls the QR login as who and returns its status.
func (h *harness) qrStatus(t *testing.T, as who, id string) string {
	t.Helper()
	res := h.get(t, qrStatusPath+"?"+url.Values{"qrcode_id": {id},
		"region": {"ID"}}.Encode(), as)
	return dataOf[struct {
		Status string `json:"status"`
	}](t, res, http.StatusOK).Status
}

func (h *harness) startQR(t *testing.T, as who, body map[string]any) qrStarted {
	t.Helper()
	return dataOf[qrStarted](t, h.post(t, qrPath, as, body),
		http.StatusCreated)
}

// loginWorks reports whether the account's stored login is accepted by
// the simulated Shopee as the account's user.
func (h *harness) loginWorks(t *testing.T, a accountOut) bool {
	t.Helper()
	cookies, err := h.store.AccountCookies(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	srvURL := h.simURL(t)
	client, err := shopee.New(shopee.Config{BaseURL: srvURL})
	if err != nil {
		t.Fatal(err)
	}
	me, err := client.UserInfo(context.Background(), shopee.Auth{
		Region: liveboard.Region(a.Region), Cookies: cookies})
	return err == nil && me.UserID == a.ShopeeUserID
}

// TestQRLoginThroughTheAPI runs a QR login from start to stored account:
// NEW, SCANNED, CONFIRMED, login, and the account with its identity;
// then a new login of an existing account, and attempts that end.
func TestQRLoginThroughTheAPI(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})

		t.Run("connects a new account", func(t *testing.T) {
			testQRConnect(t, h)
		})
		t.Run("logs an account in again", func(t *testing.T) {
			testQRRelogin(t, h)
		})
		t.Run("expired", func(t *testing.T) {
			testQREnds(t, h, func(id string) {
				h.clock.Advance(shopeesim.DefaultQRLifetime)
			}, "EXPIRED")
		})
		t.Run("canceled", func(t *testing.T) {
			testQREnds(t, h, func(id string) {
				_ = h.sim.ScanQR(id)
				_ = h.sim.CancelQR(id)
			}, "CANCELED")
		})
	})
}

func testQRConnect(t *testing.T, h *harness) {
	started := h.startQR(t, admin1, map[string]any{
		"studio_id": h.studio1.ID})
	wantLink := "https://shopee.co.id/universal-link/qrcode-login?id=" +
		url.QueryEscape(started.QRCodeID)
	if started.Link != wantLink || !strings.HasPrefix(started.SVG, "<svg") ||
		started.Status != "NEW" {
		t.Errorf("started = %+v, want link %s and an SVG", started, wantLink)
	}

	id := started.QRCodeID
	steps := []struct {
		do   func() error
		want string
	}{
		{func() error { return nil }, "NEW"},
		{func() error { return h.sim.ScanQR(id) }, "SCANNED"},
		{func() error { _, err := h.sim.ConfirmQR(id, 0); return err },
			"CONFIRMED"},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatal(err)
		}
		if got := h.qrStatus(t, admin1, id); got != st.want {
			t.Fatalf("status = %s, want %s", got, st.want)
		}
	}

	h.queue.take()
	res := h.post(t, qrLoginPath, admin1, map[string]any{"qrcode_id": id,
		"studio_id": h.studio1.ID})
	got := dataOf[accountOut](t, res, http.StatusCreated)
	sims := h.sim.Accounts()
	newest := sims[len(sims)-1]
	want := accountOut{ID: got.ID, StudioID: h.studio1.ID, Region: "ID",
		ShopeeUserID: newest.UserID, UserName: newest.UserName}
	if got != want {
		t.Errorf("account = %+v, want %+v", got, want)
	}
	stored := dataOf[accountOut](t, h.get(t, accountsPath+"/"+itoa(got.ID),
		viewer1), http.StatusOK)
	if stored != want {
		t.Errorf("GET the account = %+v, want %+v", stored, want)
	}
	if !h.loginWorks(t, got) {
		t.Error("the stored login does not work on Shopee")
	}
	if q := h.queue.take(); !slices.Equal(q, []int64{got.ID}) {
		t.Errorf("queued syncs = %v, want the new account", q)
	}
	if s := h.qrStatus(t, admin1, id); s != "LOGGED_IN" {
		t.Errorf("status after login = %s", s)
	}
	wantError(t, h.post(t, qrLoginPath, admin1, map[string]any{
		"qrcode_id": id}), http.StatusConflict, liveboard.EConflict)
}

func testQRRelogin(t *testing.T, h *harness) {
	a := h.accounts[1]
	h.sim.ExpireLogin(a.ShopeeUserID)
	err := h.store.RecordAccountFailure(context.Background(), a.ID,
		h.clock.Now(), "login expired", true)
	if err != nil {
		t.Fatal(err)
	}

	started := h.startQR(t, operator1, map[string]any{"account_id": a.ID})
	_ = h.sim.ScanQR(started.QRCodeID)
	if _, err := h.sim.ConfirmQR(started.QRCodeID,
		a.ShopeeUserID); err != nil {
		t.Fatal(err)
	}
	res := h.post(t, qrLoginPath, operator1, map[string]any{
		"qrcode_id": started.QRCodeID, "account_id": a.ID})
	got := dataOf[accountOut](t, res, http.StatusOK)
	if got.ID != a.ID || got.NeedsRelogin || got.Failures != 0 {
		t.Errorf("account after a new login = %+v", got)
	}
	if !h.loginWorks(t, got) {
		t.Error("the new login does not work on Shopee")
	}
}

func testQREnds(t *testing.T, h *harness, end func(id string), want string) {
	before := len(h.accountList(t, owner1))
	started := h.startQR(t, admin1, map[string]any{
		"studio_id": h.studio1.ID})
	end(started.QRCodeID)

	if got := h.qrStatus(t, admin1, started.QRCodeID); got != want {
		t.Fatalf("status = %s, want %s", got, want)
	}
	e := wantError(t, h.post(t, qrLoginPath, admin1, map[string]any{
		"qrcode_id": started.QRCodeID}), http.StatusConflict,
		liveboard.EConflict)
	if !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not say %s", e.Message, want)
	}
	if after := len(h.accountList(t, owner1)); after != before {
		t.Errorf("%d accounts after an ended login, want %d", after, before)
	}
}
