package httpapi_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

const (
	accountsPath  = "/api/live-streaming/accounts"
	studiosPath   = "/api/live-streaming/studios"
	analyticsPath = "/api/live-streaming/analytics/summary"
	sharePath     = "/api/live-streaming/share-link/"
)

// request is one API call of a table.
type request struct {
	method string
	path   string
	body   any
}

func (h *harness) do(t *testing.T, r request, as who) response {
	t.Helper()
	switch r.method {
	case http.MethodPost:
		return h.post(t, r.path, as, r.body)
	case http.MethodPut:
		return h.put(t, r.path, as, r.body)
	case http.MethodDelete:
		return h.call(t, r.method, r.path, as, "")
	}
	return h.get(t, r.path, as)
}

// testOtherStudiosAreNotFound checks that callers outside studio 1 get
// 404 for everything of studio 1, and that nothing reaches Shopee or the
// queue on their behalf.
func testOtherStudiosAreNotFound(t *testing.T, h *harness) {
	a := h.accounts[0]
	s := h.allSessions(t, owner1)[0]
	studio := itoa(h.studio1.ID)

	tests := []struct {
		name string
		req  request
	}{
		{"sessions of the studio", request{"GET",
			sessionsPath + "?studio_id=" + studio, nil}},
		{"session by id", request{"GET",
			sessionsPath + "/" + itoa(s.ID), nil}},
		{"snapshots", request{"GET",
			sessionsPath + "/" + itoa(s.ID) + "/snapshots", nil}},
		{"accounts", request{"GET",
			accountsPath + "?studio_id=" + studio, nil}},
		{"analytics", request{"GET",
			analyticsPath + "?studio_id=" + studio, nil}},
		{"share link in the studio", request{"GET",
			sharePath + s.SessionID + "?studio_id=" + studio, nil}},
		{"Shopee's session list", request{"POST", listPath,
			map[string]any{"account_id": a.ID}}},
		{"sync of a session", request{"POST", syncPath,
			map[string]any{"shopee_account_id": a.ID,
				"session_id": s.SessionID}}},
		{"queued sync of an account", request{"POST", syncPath,
			map[string]any{"shopee_account_id": a.ID}}},
		{"queued sync of the studio", request{"POST", syncPath,
			map[string]any{"studio_id": h.studio1.ID}}},
	}
	for _, as := range []who{member2, narrowAdmin, narrowMember} {
		t.Run(string(as), func(t *testing.T) {
			calls := h.sim.Calls()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res := h.do(t, tt.req, as)
					wantError(t, res, http.StatusNotFound,
						liveboard.ENotFound)
					checkNoStudio1Data(t, h, res)
				})
			}
			if got := h.sim.Calls(); !maps.Equal(calls, got) {
				t.Errorf("Shopee was called for another studio: "+
					"calls went from %v to %v", calls, got)
			}
			if got := h.queue.take(); len(got) != 0 {
				t.Errorf("syncs of another studio were queued: %v", got)
			}

			page := h.listSessions(t, as, url.Values{
				"account_id": {itoa(a.ID)}})
			if page.Total != 0 || len(page.Sessions) != 0 {
				t.Errorf("filtering by studio 1's account gave %d "+
					"sessions", page.Total)
			}
		})
	}
}

// checkNoStudio1Data fails the test if the answer names a session title,
// an account or a Shopee user of studio 1: things the request did not
// say itself.
func checkNoStudio1Data(t *testing.T, h *harness, res response) {
	t.Helper()
	body := string(res.body)
	for _, tr := range h.truths(h.studio1Accounts()...) {
		if strings.Contains(body, tr.Title) {
			t.Errorf("answer names studio 1's session %q", tr.Title)
		}
	}
	for _, a := range h.studio1Accounts() {
		if strings.Contains(body, a.UserName) ||
			strings.Contains(body, itoa(a.ShopeeUserID)) {
			t.Errorf("answer names studio 1's account %s", a.UserName)
		}
	}
}

// testNotFoundRevealsNothing checks that another studio's session reads
// exactly like one that does not exist.
func testNotFoundRevealsNothing(t *testing.T, h *harness) {
	theirs := h.allSessions(t, owner1)[0].ID
	var biggest int64
	for _, s := range h.allSessions(t, instanceAdmin) {
		biggest = max(biggest, s.ID)
	}
	missing := biggest + 1000

	for _, suffix := range []string{"", "/snapshots"} {
		for _, id := range []int64{theirs, missing} {
			path := fmt.Sprintf("%s/%d%s", sessionsPath, id, suffix)
			got := wantError(t, h.get(t, path, member2),
				http.StatusNotFound, liveboard.ENotFound)
			want := fmt.Sprintf("session %d not found", id)
			if got.Message != want {
				t.Errorf("GET %s: message %q, want %q", path,
					got.Message, want)
			}
		}
	}
}

// testEachCallerSeesTheirStudios checks what every caller sees when it
// names no studio.
func testEachCallerSeesTheirStudios(t *testing.T, h *harness) {
	all := h.accounts
	studio1 := h.studio1Accounts()
	studio2 := all[len(all)-1:]
	s1, s2 := h.studio1.ID, h.studio2.ID

	tests := []struct {
		who      who
		accounts []liveboard.Account
		roles    map[int64]string
	}{
		{instanceAdmin, all, map[int64]string{s1: "owner", s2: "owner"}},
		{owner1, studio1, map[int64]string{s1: "owner"}},
		{admin1, studio1, map[int64]string{s1: "admin"}},
		{operator1, studio1, map[int64]string{s1: "operator"}},
		{viewer1, studio1, map[int64]string{s1: "viewer"}},
		{cappedOwner1, studio1, map[int64]string{s1: "viewer"}},
		{member2, studio2, map[int64]string{s2: "owner"}},
		{narrowAdmin, studio2, map[int64]string{s2: "owner"}},
		{narrowMember, studio2, map[int64]string{s2: "owner"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.who), func(t *testing.T) {
			sessions := h.listSessions(t, tt.who,
				url.Values{"page_size": {"500"}})
			want := sorted(truthIDs(h.truths(tt.accounts...)))
			if diff := cmp.Diff(want,
				sorted(sessionIDs(sessions.Sessions))); diff != "" {
				t.Errorf("sessions differ (-want +got):\n%s", diff)
			}

			var wantAccounts []int64
			for _, a := range tt.accounts {
				wantAccounts = append(wantAccounts, a.ID)
			}
			if diff := cmp.Diff(wantAccounts,
				h.accountIDs(t, tt.who)); diff != "" {
				t.Errorf("accounts differ (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.roles,
				h.studioRoles(t, tt.who)); diff != "" {
				t.Errorf("studios differ (-want +got):\n%s", diff)
			}
		})
	}
}

type accountOut struct {
	ID           int64  `json:"id"`
	StudioID     int64  `json:"studio_id"`
	Region       string `json:"region"`
	ShopeeUserID int64  `json:"shopee_user_id"`
	UserName     string `json:"user_name"`
	NeedsRelogin bool   `json:"needs_relogin"`
	LastError    string `json:"last_error"`
	Failures     int    `json:"consecutive_failures"`
}

func (h *harness) accountList(t *testing.T, as who) []accountOut {
	t.Helper()
	return dataOf[struct {
		Accounts []accountOut `json:"accounts"`
	}](t, h.get(t, accountsPath, as), http.StatusOK).Accounts
}

func (h *harness) accountIDs(t *testing.T, as who) []int64 {
	t.Helper()
	var ids []int64
	for _, a := range h.accountList(t, as) {
		ids = append(ids, a.ID)
	}
	return ids
}

// studioRoles returns the caller's role in each studio it sees.
func (h *harness) studioRoles(t *testing.T, as who) map[int64]string {
	t.Helper()
	studios := dataOf[struct {
		Studios []struct {
			ID   int64  `json:"id"`
			Role string `json:"role"`
		} `json:"studios"`
	}](t, h.get(t, studiosPath, as), http.StatusOK).Studios

	roles := map[int64]string{}
	for _, st := range studios {
		roles[st.ID] = st.Role
	}
	return roles
}

func TestSyncNeedsTheOperatorRole(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		a := h.accounts[0]
		live := h.liveSession(t, a)

		syncs := []struct {
			name   string
			body   map[string]any
			status int
		}{
			{"one session", map[string]any{"shopee_account_id": a.ID,
				"session_id": live.SessionID}, http.StatusOK},
			{"an account", map[string]any{"shopee_account_id": a.ID},
				http.StatusAccepted},
			{"a studio", map[string]any{"studio_id": h.studio1.ID},
				http.StatusAccepted},
		}
		for _, s := range syncs {
			t.Run(s.name, func(t *testing.T) {
				h.queue.take()
				for _, as := range []who{viewer1, cappedOwner1} {
					res := h.post(t, syncPath, as, s.body)
					wantError(t, res, http.StatusForbidden,
						liveboard.EForbidden)
				}
				if got := h.queue.take(); len(got) != 0 {
					t.Errorf("a viewer queued syncs: %v", got)
				}

				for _, as := range []who{operator1, admin1, owner1,
					instanceAdmin} {
					wantStatus(t, h.post(t, syncPath, as, s.body), s.status)
				}
			})
		}

		t.Run("viewers may read Shopee's list", func(t *testing.T) {
			res := h.post(t, listPath, viewer1,
				map[string]any{"account_id": a.ID})
			wantStatus(t, res, http.StatusOK)
		})
	})
}
