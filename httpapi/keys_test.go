package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

type keyOut struct {
	ID        int64   `json:"id"`
	UserID    int64   `json:"user_id"`
	StudioID  *int64  `json:"studio_id"`
	Role      string  `json:"role"`
	Name      string  `json:"name"`
	Prefix    string  `json:"prefix"`
	RevokedAt *string `json:"revoked_at"`
}

type auditOut struct {
	UserID int64  `json:"user_id"`
	KeyID  int64  `json:"api_key_id"`
	IP     string `json:"ip"`
	Action string `json:"action"`
	Target string `json:"target"`
	Detail string `json:"detail"`
	At     string `json:"at"`
}

// audited reports whether studio 1's audit log holds an entry of action
// on target whose detail starts with detail.
func (h *harness) audited(t *testing.T, action, target,
	detail string) bool {
	t.Helper()
	for _, e := range h.auditLog(t) {
		if e.Action == action && e.Target == target &&
			strings.HasPrefix(e.Detail, detail) {
			return true
		}
	}
	return false
}

// TestAPIKeys creates, lists, uses and revokes keys through the API.
func TestAPIKeys(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		body := map[string]any{"studio_id": h.studio1.ID, "role": "viewer",
			"name": "wall screen"}

		created := dataOf[struct {
			Key    string `json:"key"`
			APIKey keyOut `json:"api_key"`
		}](t, h.post(t, apiKeysPath, operator1, body), http.StatusCreated)
		key := created.Key
		h.secrets = append(h.secrets, key)
		if !strings.HasPrefix(key, "lb_") ||
			!strings.HasPrefix(key, created.APIKey.Prefix) ||
			created.APIKey.Role != "viewer" {
			t.Errorf("created %+v", created.APIKey)
		}

		t.Run("acts as its user, capped at its role", func(t *testing.T) {
			h.keys["new key"] = key
			wantStatus(t, h.get(t, accountsPath, "new key"), http.StatusOK)
			wantError(t, h.post(t, syncPath, "new key", map[string]any{
				"studio_id": h.studio1.ID}), http.StatusForbidden,
				liveboard.EForbidden)
		})
		t.Run("no more than the caller's role", func(t *testing.T) {
			up := map[string]any{"studio_id": h.studio1.ID,
				"role": "admin", "name": "x"}
			wantError(t, h.post(t, apiKeysPath, operator1, up),
				http.StatusForbidden, liveboard.EForbidden)
			wantError(t, h.post(t, apiKeysPath, cappedOwner1, up),
				http.StatusForbidden, liveboard.EForbidden)
			wantError(t, h.post(t, apiKeysPath, operator1, map[string]any{
				"role": "viewer", "name": "x"}), http.StatusBadRequest,
				liveboard.EInvalid)
		})
		t.Run("listed without the key", func(t *testing.T) {
			own := h.keyList(t, operator1)
			if len(own) != 1 || own[0].ID != created.APIKey.ID {
				t.Errorf("the operator sees %+v, want only their key", own)
			}
			// Studio 1's keys: the owner's capped key and the new one.
			all := h.keyList(t, admin1)
			if len(all) != 2 || all[0].ID != created.APIKey.ID ||
				all[1].UserID != h.users["owner@example.test"] {
				t.Errorf("the admin sees %+v, want every key of the studio",
					all)
			}
		})
		t.Run("revoked", func(t *testing.T) {
			path := apiKeysPath + "/" + itoa(created.APIKey.ID)
			wantError(t, h.call(t, "DELETE", path, viewer1, ""),
				http.StatusForbidden, liveboard.EForbidden)
			got := dataOf[keyOut](t, h.call(t, "DELETE", path, admin1, ""),
				http.StatusOK)
			if got.RevokedAt == nil ||
				!strings.HasSuffix(*got.RevokedAt, "+07:00") {
				t.Errorf("revoked_at = %v, want a Jakarta time",
					got.RevokedAt)
			}
			wantError(t, h.get(t, accountsPath, "new key"),
				http.StatusUnauthorized, liveboard.EUnauthorized)
			wantError(t, h.call(t, "DELETE", path, admin1, ""),
				http.StatusNotFound, liveboard.ENotFound)
		})
		t.Run("audited", func(t *testing.T) {
			log := h.auditLog(t)
			want := []struct {
				action string
				user   string
			}{
				{"api_key.revoke", "admin@example.test"},
				{"api_key.create", "operator@example.test"},
			}
			for i, w := range want {
				got := log[i]
				if got.Action != w.action || got.UserID != h.users[w.user] ||
					got.KeyID == 0 || got.IP != "127.0.0.1" ||
					!strings.Contains(got.Target, "wall screen") ||
					!strings.HasSuffix(got.At, "+07:00") {
					t.Errorf("entry %d = %+v, want %s by %s", i, got,
						w.action, w.user)
				}
			}
		})
	})
}

func (h *harness) keyList(t *testing.T, as who) []keyOut {
	t.Helper()
	return dataOf[struct {
		Keys []keyOut `json:"api_keys"`
	}](t, h.get(t, apiKeysPath+"?studio_id="+itoa(h.studio1.ID), as),
		http.StatusOK).Keys
}

func (h *harness) auditLog(t *testing.T) []auditOut {
	t.Helper()
	return dataOf[struct {
		Entries []auditOut `json:"entries"`
	}](t, h.get(t, auditPath+"?studio_id="+itoa(h.studio1.ID), admin1),
		http.StatusOK).Entries
}

// TestAccountsThroughTheAPI connects an account by cookie string, reads
// it, and removes it: its sessions stay, it leaves the lists.
func TestAccountsThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	a := h.accounts[0]
	sessions := len(h.allSessions(t, owner1))

	wantError(t, h.post(t, accountsPath, admin1, map[string]any{
		"studio_id": h.studio1.ID, "cookies": "SPC_EC=nobody-at-all"}),
		http.StatusConflict, liveboard.EShopeeLogin)
	got := dataOf[accountOut](t, h.post(t, accountsPath, admin1,
		map[string]any{"studio_id": h.studio1.ID,
			"access_token": h.cookie(t, a)}), http.StatusOK)
	if got.ID != a.ID {
		t.Errorf("pasting a connected account's cookies gave account %d, "+
			"want %d", got.ID, a.ID)
	}

	path := accountsPath + "/" + itoa(a.ID)
	wantStatus(t, h.call(t, "DELETE", path, admin1, ""), http.StatusOK)
	wantError(t, h.get(t, path, admin1), http.StatusNotFound,
		liveboard.ENotFound)
	for _, listed := range h.accountList(t, owner1) {
		if listed.ID == a.ID {
			t.Error("a removed account is still listed")
		}
	}
	if after := len(h.allSessions(t, owner1)); after != sessions {
		t.Errorf("%d sessions after removing an account, want %d", after,
			sessions)
	}
	if log := h.auditLog(t); log[0].Action != "account.remove" ||
		log[1].Action != "account.relogin" {
		t.Errorf("audit log starts %+v", log[:2])
	}
}
