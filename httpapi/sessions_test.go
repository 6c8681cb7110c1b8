package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

const (
	sessionsPath = "/api/live-streaming/sessions"
	syncPath     = "/api/live-streaming/sessions/sync"
	listPath     = "/api/live-streaming/creator/session-list"
)

// sessionOut is a LiveSession as the API writes it; money stays the
// exact JSON number text.
type sessionOut struct {
	ID               int64        `json:"id"`
	StudioID         int64        `json:"studio_id"`
	AccountID        int64        `json:"shopee_account_id"`
	SessionID        string       `json:"session_id"`
	SessionName      string       `json:"session_name"`
	Status           string       `json:"status"`
	TotalViewers     *int64       `json:"total_viewers"`
	TotalOrders      *int64       `json:"total_orders"`
	TotalRevenue     *json.Number `json:"total_revenue"`
	TotalComments    *int64       `json:"total_comments"`
	TotalLikes       *int64       `json:"total_likes"`
	TotalShares      *int64       `json:"total_shares"`
	CampaignSpent    json.Number  `json:"campaign_spent"`
	CreatedAt        string       `json:"created_at"`
	Region           string       `json:"region"`
	Currency         string       `json:"currency"`
	StartedAt        string       `json:"started_at"`
	EndedAt          *string      `json:"ended_at"`
	DurationSeconds  int64        `json:"duration_seconds"`
	ViewersNow       *int64       `json:"viewers_now"`
	PeakViewers      *int64       `json:"peak_viewers"`
	Views            *int64       `json:"views"`
	ConfirmedOrders  *int64       `json:"confirmed_orders"`
	ConfirmedRevenue *json.Number `json:"confirmed_revenue"`
	SyncedAt         string       `json:"synced_at"`
	UpdatedAt        string       `json:"updated_at"`
	ShareLink        string       `json:"share_link"`
}

type sessionPage struct {
	Sessions []sessionOut `json:"sessions"`
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"page_size"`
}

// figures are what both the API and the simulator's truth say about a
// session. A metric the API left null reads -1, an amount "null".
type figures struct {
	SessionID        string
	Title            string
	Status           string
	StartedAt        string
	EndedAt          string
	DurationSeconds  int64
	Viewers          int64
	Orders           int64
	Revenue          string
	Comments         int64
	Likes            int64
	Shares           int64
	ViewersNow       int64
	PeakViewers      int64
	Views            int64
	ConfirmedOrders  int64
	ConfirmedRevenue string
}

func (s sessionOut) figures() figures {
	f := figures{
		SessionID: s.SessionID, Title: s.SessionName, Status: s.Status,
		StartedAt: s.StartedAt, DurationSeconds: s.DurationSeconds,
		Viewers: count(s.TotalViewers), Orders: count(s.TotalOrders),
		Revenue:  amount(s.TotalRevenue),
		Comments: count(s.TotalComments), Likes: count(s.TotalLikes),
		Shares:     count(s.TotalShares),
		ViewersNow: count(s.ViewersNow), PeakViewers: count(s.PeakViewers),
		Views:            count(s.Views),
		ConfirmedOrders:  count(s.ConfirmedOrders),
		ConfirmedRevenue: amount(s.ConfirmedRevenue),
	}
	if s.EndedAt != nil {
		f.EndedAt = *s.EndedAt
	}
	return f
}

func count(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

func amount(p *json.Number) string {
	if p == nil {
		return "null"
	}
	return p.String()
}

// truthFigures are the simulator's truth as the API should show it for
// an account of the region.
func truthFigures(tr shopeesim.SessionTruth,
	region liveboard.Region) figures {
	loc := region.Location()
	m := tr.Metrics
	f := figures{
		SessionID: strconv.FormatInt(tr.SessionID, 10), Title: tr.Title,
		Status:          string(liveboard.SessionEnded),
		StartedAt:       tr.Start.In(loc).Format(time.RFC3339),
		DurationSeconds: int64(tr.Duration / time.Second),
		Viewers:         m.Viewers, Orders: m.PlacedOrders,
		Revenue:  m.PlacedGMV.String(),
		Comments: m.Comments, Likes: m.Likes, Shares: m.Shares,
		ViewersNow: m.CCU, PeakViewers: m.PCU, Views: m.Views,
		ConfirmedOrders:  m.ConfirmedOrders,
		ConfirmedRevenue: m.ConfirmedGMV.String(),
	}
	if tr.Live {
		f.Status = string(liveboard.SessionOngoing)
	} else {
		f.EndedAt = tr.End.In(loc).Format(time.RFC3339)
	}
	return f
}

// truths returns the simulator's sessions of the accounts, as they stand
// now.
func (h *harness) truths(
	accounts ...liveboard.Account) []shopeesim.SessionTruth {
	var out []shopeesim.SessionTruth
	for _, a := range accounts {
		out = append(out, h.sim.Sessions(a.ShopeeUserID)...)
	}
	return out
}

func truthIDs(trs []shopeesim.SessionTruth) []string {
	ids := make([]string, len(trs))
	for i, tr := range trs {
		ids[i] = strconv.FormatInt(tr.SessionID, 10)
	}
	return ids
}

func sessionIDs(list []sessionOut) []string {
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.SessionID
	}
	return ids
}

// listSessions answers GET /sessions with the query, as who.
func (h *harness) listSessions(t *testing.T, as who,
	q url.Values) sessionPage {
	t.Helper()
	return dataOf[sessionPage](t, h.get(t, sessionsPath+"?"+q.Encode(), as),
		http.StatusOK)
}

// allSessions returns every session who sees, newest first.
func (h *harness) allSessions(t *testing.T, as who) []sessionOut {
	t.Helper()
	page := h.listSessions(t, as, url.Values{"page_size": {"500"}})
	if page.Total != len(page.Sessions) {
		t.Fatalf("total = %d, but %d sessions came back", page.Total,
			len(page.Sessions))
	}
	return page.Sessions
}

// testListSessions checks GET /sessions against the simulator's truth.
func testListSessions(t *testing.T, h *harness) {
	t.Run("metrics equal the truth at sync time", func(t *testing.T) {
		testSessionsMatchTruth(t, h)
	})
	t.Run("times are in the account's zone", func(t *testing.T) {
		testSessionTimes(t, h)
	})
	t.Run("newest first", func(t *testing.T) {
		testNewestFirst(t, h)
	})
	t.Run("filters", func(t *testing.T) {
		testSessionFilters(t, h)
	})
	t.Run("pages", func(t *testing.T) {
		testSessionPages(t, h)
	})
}

func testSessionsMatchTruth(t *testing.T, h *harness) {
	list := h.allSessions(t, instanceAdmin)
	if diff := cmp.Diff(sorted(truthIDs(h.truths(h.accounts...))),
		sorted(sessionIDs(list))); diff != "" {
		t.Fatalf("session ids differ from the simulator's "+
			"(-want +got):\n%s", diff)
	}

	now := h.clock.Now()
	live := 0
	for _, s := range list {
		id, _ := strconv.ParseInt(s.SessionID, 10, 64)
		tr, ok := h.sim.Truth(id, now)
		if !ok {
			t.Fatalf("session %s is unknown to the simulator", s.SessionID)
		}
		region := liveboard.Region(s.Region)
		if diff := cmp.Diff(truthFigures(tr, region),
			s.figures()); diff != "" {
			t.Errorf("session %s differs from the truth (-want +got):\n%s",
				s.SessionID, diff)
		}
		if tr.Live {
			live++
		}
	}
	if live != 3 {
		t.Errorf("%d sessions on air, want 3 (one per live account)", live)
	}
}

func testSessionTimes(t *testing.T, h *harness) {
	zones := map[string]string{"ID": "+07:00", "MY": "+08:00"}
	for _, s := range h.allSessions(t, instanceAdmin) {
		zone := zones[s.Region]
		times := map[string]string{"started_at": s.StartedAt,
			"synced_at": s.SyncedAt, "created_at": s.CreatedAt,
			"updated_at": s.UpdatedAt}
		if s.EndedAt != nil {
			times["ended_at"] = *s.EndedAt
		}
		for name, v := range times {
			if _, err := time.Parse(time.RFC3339, v); err != nil ||
				!strings.HasSuffix(v, zone) {
				t.Errorf("session %s (%s): %s = %q, want RFC 3339 in %s",
					s.SessionID, s.Region, name, v, zone)
			}
		}

		synced, _ := time.Parse(time.RFC3339, s.SyncedAt)
		if !synced.Equal(h.clock.Now()) {
			t.Errorf("session %s: synced_at = %s, want %s", s.SessionID,
				s.SyncedAt, h.clock.Now())
		}
	}
}

func testNewestFirst(t *testing.T, h *harness) {
	list := h.allSessions(t, owner1)
	for i := 1; i < len(list); i++ {
		prev, _ := time.Parse(time.RFC3339, list[i-1].StartedAt)
		cur, _ := time.Parse(time.RFC3339, list[i].StartedAt)
		if cur.After(prev) {
			t.Errorf("session %d started %s, after the one before it (%s)",
				i, list[i].StartedAt, list[i-1].StartedAt)
		}
	}
}

func testSessionFilters(t *testing.T, h *harness) {
	studio1 := h.truths(h.studio1Accounts()...)
	a1 := h.accounts[1]
	from := t0.AddDate(0, 0, -3).In(jakarta)
	to := t0.AddDate(0, 0, -1).In(jakarta)
	day := t0.AddDate(0, 0, -2).In(jakarta)

	tests := []struct {
		name  string
		query url.Values
		want  func(tr shopeesim.SessionTruth) bool
	}{
		{"no filter", url.Values{},
			func(shopeesim.SessionTruth) bool { return true }},
		{"studio", url.Values{"studio_id": {itoa(h.studio1.ID)}},
			func(shopeesim.SessionTruth) bool { return true }},
		{"ongoing", url.Values{"status": {"ongoing"}},
			func(tr shopeesim.SessionTruth) bool { return tr.Live }},
		{"ended", url.Values{"status": {"ended"}},
			func(tr shopeesim.SessionTruth) bool { return !tr.Live }},
		{"account", url.Values{"account_id": {itoa(a1.ID)}},
			func(tr shopeesim.SessionTruth) bool {
				return tr.UserID == a1.ShopeeUserID
			}},
		{"from and to times", url.Values{
			"from": {from.Format(time.RFC3339)},
			"to":   {to.Format(time.RFC3339)}},
			func(tr shopeesim.SessionTruth) bool {
				return !tr.Start.Before(from) && tr.Start.Before(to)
			}},
		// Dates are days in the studio's zone, both ends included.
		{"from and to dates", url.Values{
			"from": {day.Format(time.DateOnly)},
			"to":   {day.Format(time.DateOnly)}},
			func(tr shopeesim.SessionTruth) bool {
				return tr.Start.In(jakarta).Format(time.DateOnly) ==
					day.Format(time.DateOnly)
			}},
		{"account and ongoing", url.Values{"account_id": {itoa(a1.ID)},
			"status": {"ongoing"}},
			func(tr shopeesim.SessionTruth) bool {
				return tr.UserID == a1.ShopeeUserID && tr.Live
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []shopeesim.SessionTruth
			for _, tr := range studio1 {
				if tt.want(tr) {
					want = append(want, tr)
				}
			}
			if len(want) == 0 {
				t.Fatal("the filter matches nothing in the dataset")
			}

			q := tt.query
			q.Set("page_size", "500")
			page := h.listSessions(t, owner1, q)
			if diff := cmp.Diff(sorted(truthIDs(want)),
				sorted(sessionIDs(page.Sessions))); diff != "" {
				t.Errorf("sessions differ (-want +got):\n%s", diff)
			}
			if page.Total != len(want) {
				t.Errorf("total = %d, want %d", page.Total, len(want))
			}
		})
	}
}

func testSessionPages(t *testing.T, h *harness) {
	all := sessionIDs(h.allSessions(t, owner1))
	const size = 7
	if len(all) <= 2*size {
		t.Fatalf("only %d sessions: too few to page through", len(all))
	}

	var got []string
	for page := 1; ; page++ {
		p := h.listSessions(t, owner1, url.Values{
			"page": {itoa(int64(page))}, "page_size": {itoa(size)}})
		if p.Page != page || p.PageSize != size || p.Total != len(all) {
			t.Errorf("page %d: page, page_size, total = %d, %d, %d; "+
				"want %d, %d, %d", page, p.Page, p.PageSize, p.Total,
				page, size, len(all))
		}
		if len(p.Sessions) == 0 {
			break
		}
		if len(p.Sessions) > size {
			t.Fatalf("page %d has %d sessions, more than %d", page,
				len(p.Sessions), size)
		}
		got = append(got, sessionIDs(p.Sessions)...)
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("pages put together differ from one big page "+
			"(-want +got):\n%s", diff)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// snapshotOut is one point of a session's time series.
type snapshotOut struct {
	TakenAt      string       `json:"taken_at"`
	ViewersNow   *int64       `json:"viewers_now"`
	TotalViewers *int64       `json:"total_viewers"`
	TotalOrders  *int64       `json:"total_orders"`
	TotalRevenue *json.Number `json:"total_revenue"`
}

type snapshotsOut struct {
	SessionID string        `json:"session_id"`
	Snapshots []snapshotOut `json:"snapshots"`
}

// testGetSession checks that each session reads the same alone as in
// the list.
func testGetSession(t *testing.T, h *harness) {
	for _, want := range h.allSessions(t, viewer1) {
		got := dataOf[sessionOut](t,
			h.get(t, sessionsPath+"/"+itoa(want.ID), viewer1),
			http.StatusOK)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("session %d differs from its list entry "+
				"(-list +get):\n%s", want.ID, diff)
		}
	}
}

// testSessionSnapshots checks the one snapshot the first sync stored.
func testSessionSnapshots(t *testing.T, h *harness) {
	s := h.allSessions(t, viewer1)[0]
	path := sessionsPath + "/" + itoa(s.ID) + "/snapshots"

	got := dataOf[snapshotsOut](t, h.get(t, path, viewer1), http.StatusOK)
	want := snapshotsOut{SessionID: s.SessionID, Snapshots: []snapshotOut{{
		TakenAt: s.SyncedAt, ViewersNow: s.ViewersNow,
		TotalViewers: s.TotalViewers, TotalOrders: s.TotalOrders,
		TotalRevenue: s.TotalRevenue}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snapshots differ (-want +got):\n%s", diff)
	}

	later := url.Values{"since": {
		h.clock.Now().Add(time.Second).Format(time.RFC3339)}}
	got = dataOf[snapshotsOut](t,
		h.get(t, path+"?"+later.Encode(), viewer1), http.StatusOK)
	if len(got.Snapshots) != 0 {
		t.Errorf("since after the only snapshot: got %d snapshots",
			len(got.Snapshots))
	}
}

// listedOut is a session of Shopee's list as the API writes it.
type listedOut struct {
	SessionID       string       `json:"session_id"`
	SessionName     string       `json:"session_name"`
	Status          string       `json:"status"`
	StartedAt       string       `json:"started_at"`
	DurationSeconds int64        `json:"duration_seconds"`
	TotalViewers    *int64       `json:"total_viewers"`
	TotalOrders     *int64       `json:"total_orders"`
	TotalRevenue    *json.Number `json:"total_revenue"`
	TotalComments   *int64       `json:"total_comments"`
	TotalLikes      *int64       `json:"total_likes"`
}

type listedPage struct {
	Total    int         `json:"total"`
	Page     int         `json:"page"`
	PageSize int         `json:"page_size"`
	Region   string      `json:"region"`
	Currency string      `json:"currency"`
	Sessions []listedOut `json:"sessions"`
}

// listedTruth is the truth as the session list shows it.
func listedTruth(tr shopeesim.SessionTruth, region liveboard.Region) listedOut {
	f := truthFigures(tr, region)
	m := tr.Metrics
	return listedOut{
		SessionID: f.SessionID, SessionName: f.Title, Status: f.Status,
		StartedAt: f.StartedAt, DurationSeconds: f.DurationSeconds,
		TotalViewers: &m.Viewers, TotalOrders: &m.PlacedOrders,
		TotalRevenue:  new(json.Number(m.PlacedGMV.String())),
		TotalComments: &m.Comments, TotalLikes: &m.Likes,
	}
}

// testCreatorSessionList checks pages of Shopee's session list, read
// with a stored login and with a raw cookie, against the truth.
func testCreatorSessionList(t *testing.T, h *harness) {
	a := h.accounts[0]
	my := h.accounts[len(h.accounts)-1]

	tests := []struct {
		name    string
		body    map[string]any
		account liveboard.Account
		page    int
	}{
		{"stored account", map[string]any{"account_id": a.ID,
			"page_size": 4}, a, 1},
		{"second page", map[string]any{"account_id": a.ID, "page": 2,
			"page_size": 4}, a, 2},
		{"raw cookie, Indonesia by default", map[string]any{
			"access_token": h.cookie(t, a), "page_size": 4}, a, 1},
		{"raw cookie with a region", map[string]any{
			"access_token": h.cookie(t, my), "region": "my",
			"page_size": 4}, my, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			truths := h.sim.Sessions(tt.account.ShopeeUserID)
			if len(truths) < tt.page*4 {
				t.Fatalf("account %d has only %d sessions",
					tt.account.ID, len(truths))
			}
			region := tt.account.Region
			var want []listedOut
			for _, tr := range truths[(tt.page-1)*4 : tt.page*4] {
				want = append(want, listedTruth(tr, region))
			}

			got := dataOf[listedPage](t, h.post(t, listPath, viewer1,
				tt.body), http.StatusOK)
			wantPage := listedPage{Total: len(truths), Page: tt.page,
				PageSize: 4, Region: string(region),
				Currency: region.Currency(), Sessions: want}
			if diff := cmp.Diff(wantPage, got); diff != "" {
				t.Errorf("page differs from the truth (-want +got):\n%s",
					diff)
			}
		})
	}
}

// TestSyncOneSession syncs sessions by id after the simulator's clock
// moved on.
func TestSyncOneSession(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		a0, a1 := h.accounts[0], h.accounts[1]
		live0, live1 := h.liveSession(t, a0), h.liveSession(t, a1)
		ended := h.endedSession(t, a0)

		tests := []struct {
			name    string
			advance time.Duration
			account liveboard.Account
			id      int64
			body    map[string]any
			// snapshot is whether a new snapshot is due: an ended
			// session's figures no longer change.
			snapshot bool
		}{
			{"live session, id as a string", 10 * time.Minute, a0,
				live0.SessionID, map[string]any{
					"shopee_account_id": a0.ID,
					"session_id":        itoa(live0.SessionID)}, true},
			{"live session, id as a number", 5 * time.Minute, a1,
				live1.SessionID, map[string]any{"account_id": a1.ID,
					"session_id": live1.SessionID,
					"studio_id":  h.studio1.ID}, true},
			{"ended session", time.Minute, a0, ended.SessionID,
				map[string]any{"shopee_account_id": a0.ID,
					"session_id": ended.SessionID}, false},
			{"raw cookie instead of the stored login", time.Minute, a0,
				live0.SessionID, map[string]any{
					"shopee_account_id": a0.ID,
					"session_id":        live0.SessionID,
					"access_token":      h.cookie(t, a0)}, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				testSyncOne(t, h, tt.advance, tt.account, tt.id, tt.body,
					tt.snapshot)
			})
		}

		t.Run("session not in the list", func(t *testing.T) {
			res := h.post(t, syncPath, operator1, map[string]any{
				"shopee_account_id": a0.ID, "session_id": "999999999"})
			wantError(t, res, http.StatusNotFound, liveboard.ENotFound)
		})
	})
}

// testSyncOne advances the clock, syncs one session as an operator and
// checks that the answer, the stored session and its newest snapshot all
// equal the truth at the new time. A new snapshot is due when snapshot
// is set; otherwise the figures are unchanged and none is added.
func testSyncOne(t *testing.T, h *harness, advance time.Duration,
	a liveboard.Account, id int64, body map[string]any, snapshot bool) {
	now := h.clock.Advance(advance)
	tr, ok := h.sim.Truth(id, now)
	if !ok {
		t.Fatalf("session %d unknown to the simulator", id)
	}
	want := truthFigures(tr, a.Region)
	before := h.snapshots(t, a, id)

	got := dataOf[sessionOut](t, h.post(t, syncPath, operator1, body),
		http.StatusOK)
	if diff := cmp.Diff(want, got.figures()); diff != "" {
		t.Errorf("answer differs from the truth (-want +got):\n%s", diff)
	}
	if got.SyncedAt != now.In(a.Region.Location()).Format(time.RFC3339) {
		t.Errorf("synced_at = %s, want %s", got.SyncedAt, now)
	}

	stored := dataOf[sessionOut](t,
		h.get(t, sessionsPath+"/"+itoa(got.ID), operator1), http.StatusOK)
	if diff := cmp.Diff(got, stored); diff != "" {
		t.Errorf("stored session differs from the answer "+
			"(-answer +stored):\n%s", diff)
	}

	after := h.snapshots(t, a, id)
	wantCount, wantTaken := len(before), ""
	if snapshot {
		wantCount, wantTaken = len(before)+1, got.SyncedAt
	} else if len(before) > 0 {
		wantTaken = before[len(before)-1].TakenAt
	}
	if len(after) != wantCount {
		t.Fatalf("%d snapshots after the sync, want %d", len(after),
			wantCount)
	}
	last := after[len(after)-1]
	if last.TakenAt != wantTaken ||
		amount(last.TotalRevenue) != want.Revenue {
		t.Errorf("newest snapshot taken %s with revenue %s; want %s, %s",
			last.TakenAt, amount(last.TotalRevenue), wantTaken,
			want.Revenue)
	}
}

// snapshots returns the stored snapshots of an account's session, by
// Shopee's id.
func (h *harness) snapshots(t *testing.T, a liveboard.Account,
	id int64) []snapshotOut {
	t.Helper()
	page := h.listSessions(t, instanceAdmin, url.Values{
		"account_id": {itoa(a.ID)}, "page_size": {"500"}})
	i := slices.IndexFunc(page.Sessions, func(s sessionOut) bool {
		return s.SessionID == itoa(id)
	})
	if i < 0 {
		t.Fatalf("session %d is not stored", id)
	}
	path := sessionsPath + "/" + itoa(page.Sessions[i].ID) + "/snapshots"
	return dataOf[snapshotsOut](t, h.get(t, path, instanceAdmin),
		http.StatusOK).Snapshots
}

type queuedOut struct {
	IDs []int64 `json:"queued_account_ids"`
}

// TestQueueSyncs checks syncs without a session id: queued when the
// server has a queue, refused when it has none.
func TestQueueSyncs(t *testing.T) {
	t.Parallel()
	e := sqlstoretest.Engines(t)[0]
	h := newHarness(t, e, setup{})
	var studio1 []int64
	for _, a := range h.studio1Accounts() {
		studio1 = append(studio1, a.ID)
	}

	tests := []struct {
		name string
		body map[string]any
		want []int64
	}{
		{"one account", map[string]any{
			"shopee_account_id": h.accounts[1].ID}, studio1[1:2]},
		{"account alias", map[string]any{"account_id": h.accounts[2].ID},
			studio1[2:3]},
		{"every account of a studio", map[string]any{
			"studio_id": h.studio1.ID}, studio1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dataOf[queuedOut](t, h.post(t, syncPath, operator1,
				tt.body), http.StatusAccepted)
			if diff := cmp.Diff(tt.want, got.IDs); diff != "" {
				t.Errorf("answered ids differ (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, h.queue.take()); diff != "" {
				t.Errorf("queued ids differ (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("no queue", func(t *testing.T) {
		h := newHarness(t, e, setup{noQueue: true})
		for _, body := range []map[string]any{
			{"shopee_account_id": h.accounts[0].ID},
			{"studio_id": h.studio1.ID},
		} {
			res := h.post(t, syncPath, operator1, body)
			got := wantError(t, res, http.StatusBadRequest,
				liveboard.EInvalid)
			if !strings.Contains(got.Message, "session_id") {
				t.Errorf("message %q does not point to session_id",
					got.Message)
			}
		}
	})
}
