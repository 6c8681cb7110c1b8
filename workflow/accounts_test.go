package workflow_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// people are the principals of the account tests: one per role in the
// harness's studio, and an owner of another studio.
type people struct {
	owner, admin, operator, viewer, outsider workflow.Actor
}

func newPeople(t *testing.T, h *harness) people {
	as := func(role liveboard.Role, studio int64) workflow.Actor {
		u := &liveboard.User{Email: string(role) + "@" +
			strconv.FormatInt(studio, 10) + ".test"}
		if err := h.store.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		return workflow.Actor{IP: "192.0.2.7", Principal: &liveboard.Principal{
			UserID: u.ID, Roles: map[int64]liveboard.Role{studio: role}}}
	}
	return people{
		owner:    as(liveboard.RoleOwner, h.studio.ID),
		admin:    as(liveboard.RoleAdmin, h.studio.ID),
		operator: as(liveboard.RoleOperator, h.studio.ID),
		viewer:   as(liveboard.RoleViewer, h.studio.ID),
		outsider: as(liveboard.RoleOwner, h.studio.ID+1000),
	}
}

// queued records the account syncs asked for.
type queued struct {
	mu  sync.Mutex
	ids []int64
}

func (q *queued) EnqueueAccountSync(_ context.Context, id int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

// accountsHarness is a harness with the account manager on its own
// client of the simulator.
type accountsHarness struct {
	*harness
	client *shopee.Client
	m      *workflow.Accounts
	queue  *queued
	people people
}

func newAccountsHarness(t *testing.T, e sqlstoretest.Engine) *accountsHarness {
	h := newHarness(t, e, shopeesim.Options{Accounts: 3})
	srv := httptest.NewServer(h.sim)
	t.Cleanup(srv.Close)
	client, err := shopee.New(shopee.Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ah := &accountsHarness{harness: h, client: client, queue: &queued{},
		people: newPeople(t, h)}
	ah.m = &workflow.Accounts{Store: h.store, Shopee: client,
		Queue: ah.queue, Now: h.clock.Now, Logger: quiet}
	return ah
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := liveboard.ErrorCode(err); got != code {
		t.Fatalf("%s: code %q (%v), want %q", what, got, err, code)
	}
}

func (h *accountsHarness) status(t *testing.T, who workflow.Actor,
	id string, want liveboard.QRStatus) {
	t.Helper()
	st, err := h.m.QRStatus(ctx, who, id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != want {
		t.Fatalf("status = %s, want %s", st.Status, want)
	}
}

// worksOnShopee reports whether the account's stored login is accepted.
func (h *accountsHarness) worksOnShopee(t *testing.T, a *liveboard.Account) bool {
	t.Helper()
	cookies, err := h.store.AccountCookies(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	me, err := h.client.UserInfo(ctx, shopee.Auth{Region: a.Region,
		Cookies: cookies})
	return err == nil && me.UserID == a.ShopeeUserID
}

func TestQRLoginConnectsAnAccount(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newAccountsHarness(t, e)
		admin := h.people.admin

		started, err := h.m.StartQR(ctx, admin,
			workflow.QRStart{StudioID: h.studio.ID})
		if err != nil {
			t.Fatal(err)
		}
		if started.Region != liveboard.RegionID || !strings.HasPrefix(
			started.Link, "https://shopee.co.id/universal-link/") {
			t.Errorf("started = %+v", started)
		}
		h.status(t, admin, started.QRCodeID, liveboard.QRNew)

		if err := h.sim.ScanQR(started.QRCodeID); err != nil {
			t.Fatal(err)
		}
		h.status(t, admin, started.QRCodeID, liveboard.QRScanned)
		uid, err := h.sim.ConfirmQR(started.QRCodeID, 0)
		if err != nil {
			t.Fatal(err)
		}
		h.status(t, admin, started.QRCodeID, liveboard.QRConfirmed)

		a, created, err := h.m.FinishQR(ctx, admin,
			workflow.QRFinish{QRCodeID: started.QRCodeID})
		if err != nil {
			t.Fatal(err)
		}
		sims := h.sim.Accounts()
		newest := sims[len(sims)-1]
		if !created || a.ShopeeUserID != uid || a.UserName != newest.UserName ||
			a.StudioID != h.studio.ID || a.Health.LastSuccessAt == nil {
			t.Errorf("account = %+v, created %t; want Shopee user %d (%s)",
				a, created, uid, newest.UserName)
		}
		if !h.worksOnShopee(t, a) {
			t.Error("the stored login does not work on Shopee")
		}
		if !slices.Contains(h.queue.ids, a.ID) {
			t.Errorf("no sync queued for the new account: %v", h.queue.ids)
		}
		h.status(t, admin, started.QRCodeID, liveboard.QRLoggedIn)
		_, sec, err := h.store.QRLogin(ctx, started.QRCodeID)
		if err != nil || sec != (liveboard.QRSecrets{}) {
			t.Errorf("the finished QR login keeps its secrets (%v)", err)
		}
		h.wantAudit(t, liveboard.AuditAccountConnect, a.ID)

		_, _, err = h.m.FinishQR(ctx, admin,
			workflow.QRFinish{QRCodeID: started.QRCodeID})
		wantCode(t, "finishing twice", err, liveboard.EConflict)
	})
}

// wantAudit checks the newest audit entry.
func (h *accountsHarness) wantAudit(t *testing.T,
	action liveboard.AuditAction, accountID int64) {
	t.Helper()
	log, err := h.store.AuditLog(ctx, liveboard.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != action || log[0].IP == "" ||
		!strings.HasPrefix(log[0].Target, "account "+strconv.FormatInt(accountID, 10)+" ") {
		t.Errorf("newest audit entry = %+v, want %s of account %d", log,
			action, accountID)
	}
}

func TestQRLoginAgain(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newAccountsHarness(t, e)
		a := h.accounts[1]
		h.sim.ExpireLogin(a.ShopeeUserID)
		if err := h.store.RecordAccountFailure(ctx, a.ID, t0, "expired",
			true); err != nil {
			t.Fatal(err)
		}
		op := h.people.operator

		relogin := func(as int64) (*liveboard.Account, error) {
			started, err := h.m.StartQR(ctx, op,
				workflow.QRStart{AccountID: a.ID})
			if err != nil {
				t.Fatal(err)
			}
			_ = h.sim.ScanQR(started.QRCodeID)
			if _, err := h.sim.ConfirmQR(started.QRCodeID, as); err != nil {
				t.Fatal(err)
			}
			got, created, err := h.m.FinishQR(ctx, op, workflow.QRFinish{
				QRCodeID: started.QRCodeID, AccountID: a.ID})
			if created {
				t.Error("a new login of an account made a new account")
			}
			return got, err
		}

		t.Run("ErrConflictForAnotherUser", func(t *testing.T) {
			_, err := relogin(h.accounts[0].ShopeeUserID)
			wantCode(t, "login as another user", err, liveboard.EConflict)
			got, _ := h.store.Account(ctx, a.ID)
			if !got.Health.NeedsRelogin {
				t.Error("a refused login cleared needs-relogin")
			}
		})
		t.Run("ReplacesTheLogin", func(t *testing.T) {
			got, err := relogin(a.ShopeeUserID)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != a.ID || got.Health.NeedsRelogin ||
				got.Health.ConsecutiveFailures != 0 {
				t.Errorf("account after relogin = %+v", got)
			}
			if !h.worksOnShopee(t, got) {
				t.Error("the new login does not work on Shopee")
			}
			h.wantAudit(t, liveboard.AuditAccountRelogin, a.ID)
			if _, err := h.syncer.SyncAccount(ctx, a.ID, nil); err != nil {
				t.Errorf("sync after relogin: %v", err)
			}
		})
	})
}

func TestQRLoginEnds(t *testing.T) {
	tests := []struct {
		name string
		end  func(h *accountsHarness, id string)
		want liveboard.QRStatus
	}{
		{"Expired", func(h *accountsHarness, id string) {
			h.clock.Advance(shopeesim.DefaultQRLifetime)
		}, liveboard.QRExpired},
		{"Canceled", func(h *accountsHarness, id string) {
			_ = h.sim.ScanQR(id)
			_ = h.sim.CancelQR(id)
		}, liveboard.QRCanceled},
		{"TooOldForLiveboard", func(h *accountsHarness, id string) {
			_ = h.sim.ScanQR(id)
			_, _ = h.sim.ConfirmQR(id, 0)
			h.clock.Advance(workflow.MaxQRAge)
		}, liveboard.QRExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newAccountsHarness(t, sqlstoretest.Engines(t)[0])
			admin := h.people.admin
			started, err := h.m.StartQR(ctx, admin,
				workflow.QRStart{StudioID: h.studio.ID})
			if err != nil {
				t.Fatal(err)
			}
			tt.end(h, started.QRCodeID)
			h.status(t, admin, started.QRCodeID, tt.want)

			_, _, err = h.m.FinishQR(ctx, admin,
				workflow.QRFinish{QRCodeID: started.QRCodeID})
			wantCode(t, "finish", err, liveboard.EConflict)
			if _, sec, _ := h.store.QRLogin(ctx,
				started.QRCodeID); sec != (liveboard.QRSecrets{}) {
				t.Error("an ended QR login keeps its secrets")
			}
			list, _ := h.store.Accounts(ctx, h.studio.ID)
			if len(list) != len(h.accounts) {
				t.Errorf("%d accounts after an ended login, want %d",
					len(list), len(h.accounts))
			}
		})
	}
}

func TestAccountRoles(t *testing.T) {
	h := newAccountsHarness(t, sqlstoretest.Engines(t)[0])
	p := h.people
	a := h.accounts[0]
	newQR := workflow.QRStart{StudioID: h.studio.ID}
	reQR := workflow.QRStart{AccountID: a.ID}

	tests := []struct {
		name string
		who  workflow.Actor
		call func(who workflow.Actor) error
		code string
	}{
		{"viewer cannot connect", p.viewer, start(h, newQR),
			liveboard.EForbidden},
		{"operator cannot connect", p.operator, start(h, newQR),
			liveboard.EForbidden},
		{"admin connects", p.admin, start(h, newQR), ""},
		{"outsider does not see the studio", p.outsider, start(h, newQR),
			liveboard.ENotFound},
		{"viewer cannot log in again", p.viewer, start(h, reQR),
			liveboard.EForbidden},
		{"operator logs in again", p.operator, start(h, reQR), ""},
		{"outsider does not see the account", p.outsider, start(h, reQR),
			liveboard.ENotFound},
		{"operator cannot remove", p.operator, remove(h, a.ID),
			liveboard.EForbidden},
		{"outsider cannot remove", p.outsider, remove(h, a.ID),
			liveboard.ENotFound},
		{"admin removes", p.admin, remove(h, a.ID), ""},
		{"removed is not found", p.owner, remove(h, a.ID),
			liveboard.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.name, tt.call(tt.who), tt.code)
		})
	}
	h.wantAudit(t, liveboard.AuditAccountRemove, a.ID)
}

func start(h *accountsHarness, req workflow.QRStart) func(workflow.Actor) error {
	return func(who workflow.Actor) error {
		_, err := h.m.StartQR(ctx, who, req)
		return err
	}
}

func remove(h *accountsHarness, id int64) func(workflow.Actor) error {
	return func(who workflow.Actor) error { return h.m.Remove(ctx, who, id) }
}

func TestQRLoginBelongsToWhoStartedIt(t *testing.T) {
	h := newAccountsHarness(t, sqlstoretest.Engines(t)[0])
	started, err := h.m.StartQR(ctx, h.people.admin,
		workflow.QRStart{StudioID: h.studio.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []workflow.Actor{h.people.owner, h.people.outsider} {
		_, err := h.m.QRStatus(ctx, who, started.QRCodeID)
		wantCode(t, "status by someone else", err, liveboard.ENotFound)
		_, _, err = h.m.FinishQR(ctx, who,
			workflow.QRFinish{QRCodeID: started.QRCodeID})
		wantCode(t, "finish by someone else", err, liveboard.ENotFound)
	}
	_, _, err = h.m.FinishQR(ctx, h.people.admin, workflow.QRFinish{
		QRCodeID: started.QRCodeID, StudioID: h.studio.ID + 1})
	wantCode(t, "finish in another studio", err, liveboard.ENotFound)
}

func TestConnectCookies(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newAccountsHarness(t, e)
		admin := h.people.admin
		sims := h.sim.Accounts()

		a, created, err := h.m.ConnectCookies(ctx, admin, workflow.CookieLogin{
			StudioID: h.studio.ID, Cookies: " " + sims[0].Cookie + " "})
		if err != nil {
			t.Fatal(err)
		}
		if created || a.ID != h.accounts[0].ID {
			t.Errorf("connecting a connected account: %+v, created %t; "+
				"want account %d logged in again", a, created,
				h.accounts[0].ID)
		}

		_, _, err = h.m.ConnectCookies(ctx, admin, workflow.CookieLogin{
			StudioID: h.studio.ID, Cookies: "SPC_EC=not-a-login"})
		wantCode(t, "refused cookie", err, liveboard.EShopeeLogin)
		_, _, err = h.m.ConnectCookies(ctx, admin, workflow.CookieLogin{
			StudioID: h.studio.ID})
		wantCode(t, "no cookie", err, liveboard.EInvalid)

		if err := h.m.Remove(ctx, admin, h.accounts[2].ID); err != nil {
			t.Fatal(err)
		}
		back, created, err := h.m.ConnectCookies(ctx, admin,
			workflow.CookieLogin{StudioID: h.studio.ID,
				Cookies: sims[2].Cookie})
		if err != nil || !created || back.ID != h.accounts[2].ID {
			t.Errorf("reconnecting a removed account: %+v, %t, %v", back,
				created, err)
		}
	})
}

func TestProbe(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newAccountsHarness(t, e)
		var logs bytes.Buffer
		p := &workflow.Prober{Store: h.store, Shopee: h.client,
			Now: h.clock.Now, Logger: slog.New(slog.NewTextHandler(&logs,
				nil))}
		ok, expired, walled, down := h.accounts[0], h.accounts[1],
			h.accounts[2], h.accounts[2]
		h.sim.ExpireLogin(expired.ShopeeUserID)
		h.sim.SetAccountFault(walled.ShopeeUserID, shopeesim.AntiBot)

		for _, a := range []liveboard.Account{ok, expired, walled} {
			if err := p.ProbeAccount(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		h.sim.ClearAccountFault(walled.ShopeeUserID)

		want := map[int64]bool{ok.ID: false, expired.ID: true, walled.ID: true}
		for id, relogin := range want {
			a, _ := h.store.Account(ctx, id)
			if a.Health.NeedsRelogin != relogin {
				t.Errorf("account %d: needs relogin %t, want %t", id,
					a.Health.NeedsRelogin, relogin)
			}
		}
		if n := strings.Count(logs.String(), "needs a new login"); n != 2 {
			t.Errorf("%d warnings, want 2:\n%s", n, logs.String())
		}

		t.Run("ShopeeDown", func(t *testing.T) {
			_ = h.store.ReplaceAccountCookies(ctx, down.ID,
				h.sim.Relogin(down.ShopeeUserID))
			h.sim.SetFaults(shopeesim.EndpointUserInfo, shopeesim.Faults{
				Rate: 1, Kinds: []shopeesim.FaultKind{shopeesim.Error503}})
			defer h.sim.ClearFaults()
			if err := p.ProbeAccount(ctx, down.ID); err != nil {
				t.Fatal(err)
			}
			a, _ := h.store.Account(ctx, down.ID)
			got := []any{a.Health.NeedsRelogin, a.Health.ConsecutiveFailures}
			if diff := cmp.Diff([]any{false, 1}, got); diff != "" {
				t.Errorf("health after an outage (-want +got):\n%s", diff)
			}
		})
	})
}
