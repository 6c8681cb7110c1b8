package sqlstore_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
)

// movableClock is a store clock a test moves.
type movableClock struct{ now time.Time }

func (c *movableClock) Now() time.Time { return c.now }

func openAt(t *testing.T, e sqlstoretest.Engine, clk *movableClock) *sqlstore.Store {
	opts := sqlstoretest.Options()
	opts.Now = clk.Now
	return e.Open(t, opts)
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := liveboard.ErrorCode(err); got != code {
		t.Errorf("%s: code = %q (%v), want %q", what, got, err, code)
	}
}

func mustUser(t *testing.T, s *sqlstore.Store, email string) *liveboard.User {
	t.Helper()
	u := &liveboard.User{Email: email, Name: email}
	if err := s.CreateUser(ctx, u, "hash-of-"+email); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsersAndPasswords(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		u := mustUser(t, s, "a@example.test")

		got, err := s.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Errorf("User (-want +got):\n%s", diff)
		}

		hash, err := s.PasswordHash(ctx, u.ID)
		if err != nil || hash != "hash-of-a@example.test" {
			t.Errorf("PasswordHash = %q, %v", hash, err)
		}
		if err := s.SetPasswordHash(ctx, u.ID, "new"); err != nil {
			t.Fatal(err)
		}
		if hash, _ := s.PasswordHash(ctx, u.ID); hash != "new" {
			t.Errorf("after SetPasswordHash: %q, want new", hash)
		}

		_, err = s.User(ctx, 999)
		wantCode(t, "User(999)", err, liveboard.ENotFound)
		wantCode(t, "SetPasswordHash(999)", s.SetPasswordHash(ctx, 999, "x"),
			liveboard.ENotFound)
	})
}

func TestRemoveAccount(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clk := &movableClock{now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
		s := openAt(t, e, clk)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 900000123)
		kept := mustAccount(t, s, st.ID, 900000456)
		if err := s.RecordAccountFailure(ctx, a.ID, clk.now, "expired",
			true); err != nil {
			t.Fatal(err)
		}

		clk.now = clk.now.Add(time.Hour)
		if err := s.RemoveAccount(ctx, a.ID); err != nil {
			t.Fatal(err)
		}

		t.Run("LeavesTheList", func(t *testing.T) {
			list, err := s.Accounts(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].ID != kept.ID {
				t.Errorf("Accounts = %+v, want only account %d", list,
					kept.ID)
			}
		})
		t.Run("ForgetsTheLogin", func(t *testing.T) {
			var raw []byte
			err := s.DB().QueryRowContext(ctx, `SELECT credentials
				FROM shopee_accounts WHERE id = $1`, a.ID).Scan(&raw)
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != 0 {
				t.Errorf("a removed account still holds %d bytes of login",
					len(raw))
			}
			_, err = s.AccountCookies(ctx, a.ID)
			wantCode(t, "AccountCookies", err, liveboard.ENotFound)
			wantCode(t, "ReplaceAccountCookies",
				s.ReplaceAccountCookies(ctx, a.ID, "SPC_EC=x"),
				liveboard.ENotFound)
		})
		t.Run("StillReadable", func(t *testing.T) {
			got, err := s.Account(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.RemovedAt == nil || !got.RemovedAt.Equal(clk.now) {
				t.Errorf("RemovedAt = %v, want %v", got.RemovedAt, clk.now)
			}
		})
		t.Run("ErrNotFoundTwice", func(t *testing.T) {
			wantCode(t, "second RemoveAccount", s.RemoveAccount(ctx, a.ID),
				liveboard.ENotFound)
		})
		t.Run("ComesBack", func(t *testing.T) {
			back := &liveboard.Account{StudioID: st.ID,
				Region: liveboard.RegionID, ShopeeUserID: 900000123,
				UserName: "renamed"}
			if err := s.CreateAccount(ctx, back, "SPC_EC=fresh"); err != nil {
				t.Fatal(err)
			}
			if back.ID != a.ID || !back.CreatedAt.Equal(a.CreatedAt) {
				t.Errorf("came back as %d created %v, want %d created %v",
					back.ID, back.CreatedAt, a.ID, a.CreatedAt)
			}
			got, err := s.Account(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(back, got); diff != "" {
				t.Errorf("account (-want +got):\n%s", diff)
			}
			if got.Health.NeedsRelogin || got.RemovedAt != nil {
				t.Errorf("came back with %+v", got)
			}
			cookies, err := s.AccountCookies(ctx, a.ID)
			if err != nil || cookies != "SPC_EC=fresh" {
				t.Errorf("AccountCookies = %q, %v", cookies, err)
			}
		})
	})
}

func TestAPIKeys(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clk := &movableClock{now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
		s := openAt(t, e, clk)
		st := mustStudio(t, s, "Studio")
		other := mustStudio(t, s, "Other")
		u := mustUser(t, s, "k@example.test")

		var keys []*liveboard.APIKey
		for i, studio := range []int64{st.ID, other.ID, st.ID} {
			k := &liveboard.APIKey{UserID: u.ID, StudioID: &studio,
				Role: liveboard.RoleViewer, Name: "key", Prefix: "lb_x"}
			hash := bytes.Repeat([]byte{byte(i + 1)}, 32)
			if err := s.CreateAPIKey(ctx, k, hash); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}

		list, err := s.APIKeys(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []liveboard.APIKey{*keys[2], *keys[0]}
		if diff := cmp.Diff(want, list); diff != "" {
			t.Errorf("APIKeys (-want +got):\n%s", diff)
		}

		revokedAt := clk.now.Add(time.Minute)
		if err := s.RevokeAPIKey(ctx, keys[0].ID, revokedAt); err != nil {
			t.Fatal(err)
		}
		got, err := s.APIKey(ctx, keys[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RevokedAt == nil || !got.RevokedAt.Equal(revokedAt) {
			t.Errorf("RevokedAt = %v, want %v", got.RevokedAt, revokedAt)
		}
		_, err = s.APIKeyByHash(ctx, bytes.Repeat([]byte{1}, 32))
		wantCode(t, "revoked key by hash", err, liveboard.ENotFound)
		wantCode(t, "revoke twice", s.RevokeAPIKey(ctx, keys[0].ID,
			revokedAt), liveboard.ENotFound)
		_, err = s.APIKey(ctx, 999)
		wantCode(t, "APIKey(999)", err, liveboard.ENotFound)
	})
}

func TestWebSessions(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clk := &movableClock{now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
		s := openAt(t, e, clk)
		st := mustStudio(t, s, "Studio")
		u := mustUser(t, s, "w@example.test")
		hash := bytes.Repeat([]byte{7}, 32)

		ws := &liveboard.WebSession{UserID: u.ID, CSRFToken: "csrf",
			ExpiresAt: clk.now.Add(time.Hour)}
		if err := s.CreateWebSession(ctx, ws, hash); err != nil {
			t.Fatal(err)
		}

		got, err := s.WebSessionByHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ws, got); diff != "" {
			t.Errorf("session (-want +got):\n%s", diff)
		}

		if err := s.SetWebSessionStudio(ctx, ws.ID, st.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.WebSessionByHash(ctx, hash); got.StudioID != st.ID {
			t.Errorf("StudioID = %d, want %d", got.StudioID, st.ID)
		}
		wantCode(t, "unknown studio", s.SetWebSessionStudio(ctx, ws.ID, 999),
			liveboard.EInvalid)

		t.Run("Expires", func(t *testing.T) {
			clk.now = clk.now.Add(time.Hour)
			_, err := s.WebSessionByHash(ctx, hash)
			wantCode(t, "expired session", err, liveboard.ENotFound)

			// A new session of the same user clears the expired one.
			next := &liveboard.WebSession{UserID: u.ID, CSRFToken: "c2",
				ExpiresAt: clk.now.Add(time.Hour)}
			if err := s.CreateWebSession(ctx, next,
				bytes.Repeat([]byte{8}, 32)); err != nil {
				t.Fatal(err)
			}
			var n int
			err = s.DB().QueryRowContext(ctx,
				`SELECT COUNT(*) FROM web_sessions`).Scan(&n)
			if err != nil || n != 1 {
				t.Errorf("sessions stored = %d, %v; want 1", n, err)
			}

			if err := s.DeleteWebSession(ctx, next.ID); err != nil {
				t.Fatal(err)
			}
			_, err = s.WebSessionByHash(ctx, bytes.Repeat([]byte{8}, 32))
			wantCode(t, "deleted session", err, liveboard.ENotFound)
		})
	})
}

func TestQRLogins(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clk := &movableClock{now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
		s := openAt(t, e, clk)
		st := mustStudio(t, s, "Studio")
		u := mustUser(t, s, "q@example.test")
		a := mustAccount(t, s, st.ID, 900000123)

		q := &liveboard.QRLogin{QRCodeID: "abc+/=", StudioID: st.ID,
			UserID: u.ID, Region: liveboard.RegionID, AccountID: a.ID,
			Status: liveboard.QRNew}
		sec := liveboard.QRSecrets{Cookies: "SPC_F=device-secret-0001"}
		if err := s.CreateQRLogin(ctx, q, sec); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "same id twice", s.CreateQRLogin(ctx, q, sec),
			liveboard.EConflict)

		clk.now = clk.now.Add(time.Minute)
		q.Status = liveboard.QRConfirmed
		sec.Token = "token-secret-0001"
		if err := s.UpdateQRLogin(ctx, q, sec); err != nil {
			t.Fatal(err)
		}

		got, gotSec, err := s.QRLogin(ctx, "abc+/=")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(q, got); diff != "" {
			t.Errorf("QR login (-want +got):\n%s", diff)
		}
		if gotSec != sec {
			t.Error("secrets came back changed")
		}

		var raw []byte
		err = s.DB().QueryRowContext(ctx,
			`SELECT secrets FROM qr_logins`).Scan(&raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"device-secret-0001",
			"token-secret-0001"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s stored in the clear", secret)
			}
		}

		n, err := s.DeleteQRLoginsBefore(ctx, q.CreatedAt.Add(time.Second))
		if err != nil || n != 1 {
			t.Errorf("DeleteQRLoginsBefore = %d, %v; want 1", n, err)
		}
		_, _, err = s.QRLogin(ctx, "abc+/=")
		wantCode(t, "deleted QR login", err, liveboard.ENotFound)
	})
}

func TestAuditLog(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clk := &movableClock{now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
		s := openAt(t, e, clk)

		entries := []*liveboard.AuditEntry{
			{UserID: 1, StudioID: 1, IP: "192.0.2.1",
				Action: liveboard.AuditLogin},
			{UserID: 1, KeyID: 4, StudioID: 2, Action: liveboard.AuditKeyCreate,
				Target: "API key 4", Detail: "role viewer"},
			{UserID: 2, StudioID: 1, Action: liveboard.AuditAccountConnect,
				Target: "account 9"},
		}
		for _, en := range entries {
			clk.now = clk.now.Add(time.Second)
			if err := s.RecordAudit(ctx, en); err != nil {
				t.Fatal(err)
			}
		}

		tests := []struct {
			name   string
			filter liveboard.AuditFilter
			want   []*liveboard.AuditEntry
		}{
			{"All", liveboard.AuditFilter{},
				[]*liveboard.AuditEntry{entries[2], entries[1], entries[0]}},
			{"Studio", liveboard.AuditFilter{StudioID: 1},
				[]*liveboard.AuditEntry{entries[2], entries[0]}},
			{"User", liveboard.AuditFilter{UserID: 1, Limit: 1},
				[]*liveboard.AuditEntry{entries[1]}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.AuditLog(ctx, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var want []liveboard.AuditEntry
				for _, en := range tt.want {
					want = append(want, *en)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("AuditLog (-want +got):\n%s", diff)
				}
			})
		}
		wantCode(t, "no action", s.RecordAudit(ctx, &liveboard.AuditEntry{}),
			liveboard.EInvalid)
	})
}
