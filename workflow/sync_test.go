package workflow_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// checkTruth compares every stored session of every account with the
// simulator's ground truth at the clock's time.
func checkTruth(t *testing.T, h *harness) {
	t.Helper()
	checkTruthOf(t, h, func(int) bool { return true })
}

// checkTruthOf compares the stored sessions of the accounts, by index,
// that keep returns true for with the simulator's ground truth.
func checkTruthOf(t *testing.T, h *harness, keep func(i int) bool) {
	t.Helper()
	now := h.clock.Now()
	for i, sa := range h.sims {
		if !keep(i) {
			continue
		}
		stored := h.stored(h.accounts[i].ID)
		truths := h.sim.Sessions(sa.UserID)
		if len(stored) != len(truths) {
			t.Errorf("account %s: %d sessions stored, simulator has %d",
				sa.UserName, len(stored), len(truths))
		}
		for _, tr := range truths {
			se, ok := stored[tr.SessionID]
			if !ok {
				t.Errorf("session %d not stored", tr.SessionID)
				continue
			}
			checkSession(t, se, tr, now)
		}
	}
}

func checkSession(t *testing.T, se liveboard.Session,
	tr shopeesim.SessionTruth, now time.Time) {
	t.Helper()
	want := liveboard.SessionEnded
	if tr.Live {
		want = liveboard.SessionOngoing
	}
	if se.Status != want || se.Title != tr.Title ||
		!se.StartedAt.Equal(tr.Start) || se.Duration != tr.Duration {
		t.Errorf("session %d: status %s title %q start %v duration %v; "+
			"want %s %q %v %v", tr.SessionID, se.Status, se.Title,
			se.StartedAt, se.Duration, want, tr.Title, tr.Start, tr.Duration)
	}
	if diff := cmp.Diff(wantMetrics(tr), se.Metrics); diff != "" {
		t.Errorf("session %d metrics (-truth +stored):\n%s",
			tr.SessionID, diff)
	}
	if !tr.Live && (se.EndedAt == nil || !se.EndedAt.Equal(tr.End) ||
		se.FinalSyncedAt == nil) {
		t.Errorf("ended session %d: ended_at %v final %v, want end %v",
			tr.SessionID, se.EndedAt, se.FinalSyncedAt, tr.End)
	}
	if !se.SyncedAt.Equal(now) && tr.Live {
		t.Errorf("live session %d synced at %v, want %v", tr.SessionID,
			se.SyncedAt, now)
	}
}

func TestSyncMatchesGroundTruth(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 7})
		r := h.syncAll()
		if r.Accounts != 3 || r.Failed != 0 || r.Fetched == 0 {
			t.Fatalf("report %+v", r)
		}
		checkTruth(t, h)

		t.Run("FollowsTheClock", func(t *testing.T) {
			h.clock.Advance(10 * time.Minute)
			h.syncAll()
			checkTruth(t, h)
		})

		t.Run("LiveSessionEnds", func(t *testing.T) {
			var live shopeesim.SessionTruth
			for _, tr := range h.sim.Sessions(h.sims[0].UserID) {
				if tr.Live {
					live = tr
				}
			}
			if live.SessionID == 0 {
				t.Fatal("scenario has no live session on account 0")
			}
			h.clock.Set(live.End.Add(time.Minute))
			h.syncAll()
			checkTruth(t, h)
		})
	})
}

// dump reads everything the sync writes, for before/after comparisons.
func dump(t *testing.T, h *harness) any {
	t.Helper()
	sessions, _, err := h.store.Sessions(ctx, liveboard.SessionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var snaps []liveboard.Snapshot
	for _, se := range sessions {
		s, err := h.store.Snapshots(ctx, se.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, s...)
	}
	days, err := h.store.DailyAnalytics(ctx, h.studio.ID, "2000-01-01",
		"2100-01-01")
	if err != nil {
		t.Fatal(err)
	}
	return struct {
		Sessions  []liveboard.Session
		Snapshots []liveboard.Snapshot
		Days      []liveboard.DailyAnalytics
	}{sessions, snaps, days}
}

func TestSyncTwiceChangesNothing(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3})
		first := h.syncAll()
		before := dump(t, h)

		h.sim.ResetCalls()
		second := h.syncAll()
		if diff := cmp.Diff(before, dump(t, h)); diff != "" {
			t.Errorf("second sync changed the data (-before +after):\n%s",
				diff)
		}

		// Ended sessions are archived after their final sync: only the
		// live ones are fetched again.
		live := 0
		for _, sa := range h.sims {
			for _, tr := range h.sim.Sessions(sa.UserID) {
				if tr.Live {
					live++
				}
			}
		}
		calls := h.sim.Calls()
		if calls[shopeesim.EndpointOverview] != live ||
			second.Archived != first.Fetched-live {
			t.Errorf("second sync: %d overviews for %d live sessions, "+
				"%d archived of %d", calls[shopeesim.EndpointOverview], live,
				second.Archived, first.Fetched)
		}
	})
}

func TestSyncWalksEveryPage(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		shopeesim.Options{Seed: 11, Accounts: 1, HistoryDays: 100})
	h.syncAll()

	pages := h.sim.Calls()[shopeesim.EndpointSessionList]
	n := len(h.sim.Sessions(h.sims[0].UserID))
	if n <= listPageSize || pages < 2 {
		t.Fatalf("%d sessions over %d pages; the test wants several pages",
			n, pages)
	}
	checkTruth(t, h)
}

func TestSyncStopsAtLookback(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		shopeesim.Options{Seed: 11, Accounts: 1, HistoryDays: 100})
	h.syncer.Lookback = 7 * 24 * time.Hour
	h.syncAll()

	since := h.clock.Now().Add(-h.syncer.Lookback)
	want := 0
	for _, tr := range h.sim.Sessions(h.sims[0].UserID) {
		if !tr.Start.Before(since) {
			want++
		}
	}
	got := len(h.stored(h.accounts[0].ID))
	if got != want || h.sim.Calls()[shopeesim.EndpointSessionList] != 1 {
		t.Errorf("stored %d sessions with %d list calls; want %d with 1",
			got, h.sim.Calls()[shopeesim.EndpointSessionList], want)
	}
}

func TestSyncAntiBotStopsOnlyThatAccount(t *testing.T) {
	for _, kind := range []shopeesim.FaultKind{shopeesim.AntiBot,
		shopeesim.LoginExpired} {
		t.Run(kind.String(), func(t *testing.T) {
			h := newHarness(t, sqlstoretest.Engines(t)[0],
				shopeesim.Options{Seed: 5})
			blocked := h.sims[0]
			h.sim.SetAccountFault(blocked.UserID, kind)

			_, err := h.syncer.SyncAll(ctx, nil)
			if !errors.Is(err, workflow.ErrNeedsRelogin) {
				t.Fatalf("SyncAll error = %v, want ErrNeedsRelogin", err)
			}
			if n := h.calls.of(blocked.Cookie); n != 1 {
				t.Errorf("blocked account cost %d calls, want 1", n)
			}
			a, _ := h.store.Account(ctx, h.accounts[0].ID)
			if !a.Health.NeedsRelogin || a.Health.ConsecutiveFailures != 1 {
				t.Errorf("blocked account health %+v", a.Health)
			}
			for i := 1; i < len(h.sims); i++ {
				if len(h.stored(h.accounts[i].ID)) == 0 {
					t.Errorf("account %d not synced", i)
				}
			}

			h.syncAll()
			if n := h.calls.of(blocked.Cookie); n != 1 {
				t.Errorf("after a second sync the blocked account cost "+
					"%d calls, want still 1", n)
			}

			cookie := h.sim.Relogin(blocked.UserID)
			if err := h.store.ReplaceAccountCookies(ctx, h.accounts[0].ID,
				cookie); err != nil {
				t.Fatal(err)
			}
			h.syncAll()
			checkTruth(t, h)
		})
	}
}

func TestSyncTransientFailureThenRecovery(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 9})
		h.sim.SetFaults(shopeesim.EndpointOverview, shopeesim.Faults{
			Rate: 1, Kinds: []shopeesim.FaultKind{shopeesim.Error503}})

		r, err := h.syncer.SyncAll(ctx, nil)
		if !errors.Is(err, shopee.ErrUnavailable) || r.Fetched != 0 {
			t.Fatalf("with overview down: report %+v, error %v", r, err)
		}
		for _, a := range h.accounts {
			got, _ := h.store.Account(ctx, a.ID)
			if got.Health.NeedsRelogin || got.Health.LastError == "" {
				t.Errorf("account %d health after outage: %+v", a.ID,
					got.Health)
			}
		}

		h.sim.ClearFaults()
		h.syncAll()
		checkTruth(t, h)
	})
}

func TestSyncMissingMetricKeepsLastValue(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		shopeesim.Options{Seed: 2, Accounts: 1})
	h.syncAll()
	before := h.stored(h.accounts[0].ID)

	h.clock.Advance(time.Minute)
	h.sim.SetFaults("", shopeesim.Faults{Rate: 1,
		Kinds: []shopeesim.FaultKind{shopeesim.NullMetrics}})
	h.syncAll()

	for id, se := range h.stored(h.accounts[0].ID) {
		if se.Status != liveboard.SessionOngoing {
			continue
		}
		if diff := cmp.Diff(before[id].Metrics, se.Metrics); diff != "" {
			t.Errorf("session %d: null metrics changed stored values:\n%s",
				id, diff)
		}
	}
}

func TestDailyAnalyticsSumSessions(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 4})
		h.syncAll()

		loc := h.studio.Region.Location()
		want := map[string]*liveboard.DailyAnalytics{}
		for _, sa := range h.sims {
			for _, tr := range h.sim.Sessions(sa.UserID) {
				date := tr.Start.In(loc).Format(time.DateOnly)
				d := want[date]
				if d == nil {
					d = &liveboard.DailyAnalytics{Date: date}
					want[date] = d
				}
				d.TotalSessions++
				d.TotalViewers += tr.Metrics.Viewers
				d.TotalOrders += tr.Metrics.PlacedOrders
				d.TotalRevenue += tr.Metrics.PlacedGMV
			}
		}

		days, err := h.store.DailyAnalytics(ctx, h.studio.ID, "2000-01-01",
			"2100-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != len(want) {
			t.Errorf("%d analytics rows, want %d", len(days), len(want))
		}
		for _, d := range days {
			w := want[d.Date]
			if w == nil {
				t.Errorf("unexpected analytics row %s", d.Date)
				continue
			}
			commission, _ := w.TotalRevenue.MulDiv(500, 10_000)
			if d.TotalSessions != w.TotalSessions ||
				d.TotalViewers != w.TotalViewers ||
				d.TotalOrders != w.TotalOrders ||
				d.TotalRevenue != w.TotalRevenue ||
				d.TotalCommission != commission {
				t.Errorf("%s: got %+v, want sums %+v", d.Date, d, w)
			}
			if w.TotalOrders > 0 {
				aov, _ := w.TotalRevenue.MulDiv(1, w.TotalOrders)
				if d.AverageOrderValue != aov {
					t.Errorf("%s: average order value %v, want %v",
						d.Date, d.AverageOrderValue, aov)
				}
			}
		}
	})
}

func TestIsLive(t *testing.T) {
	now := t0
	start := now.Add(-time.Hour)
	one, two := 1, 2
	item := func(status int, end time.Time) shopee.SessionItem {
		return shopee.SessionItem{SessionID: 1, Status: status,
			StartTime: start, Duration: end.Sub(start)}
	}
	stored := func(d time.Duration, at time.Time) *liveboard.Session {
		return &liveboard.Session{Status: liveboard.SessionOngoing,
			Duration: d, SyncedAt: at}
	}

	tests := []struct {
		name   string
		listed shopee.SessionItem
		info   *shopee.SessionInfo
		ov     *shopee.Overview
		stored *liveboard.Session
		want   bool
	}{
		{"Status1", item(1, now.Add(-time.Hour)), nil, nil, nil, true},
		{"InfoSaysLive", item(2, now.Add(-time.Hour)),
			&shopee.SessionInfo{Status: &one}, nil, nil, true},
		{"QuirkDurationReachesNow", item(2, now.Add(-30*time.Second)),
			nil, nil, nil, true},
		{"QuirkEndedLongAgo", item(2, now.Add(-time.Hour)), nil, nil, nil,
			false},
		{"DetailsSayEnded", item(2, now), &shopee.SessionInfo{Status: &two},
			&shopee.Overview{Status: &two}, nil, false},
		{"DurationStoppedGrowing", item(2, now.Add(-2*time.Minute)), nil,
			nil, stored(58*time.Minute, now.Add(-time.Minute)), false},
		{"DurationGrew", item(2, now.Add(-30*time.Second)), nil, nil,
			stored(50*time.Minute, now.Add(-time.Minute)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := workflow.IsLive(tt.listed, tt.info, tt.ov, tt.stored, now)
			if got != tt.want {
				t.Errorf("IsLive = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSyncQuirkWithoutDetailStatus(t *testing.T) {
	// With sessionList reporting status 2 for live sessions and no
	// status in the details, the growing duration alone must keep a
	// session on air.
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		shopeesim.Options{Seed: 6, Accounts: 1, LiveNow: 1})
	a := h.accounts[0]
	auth := shopee.Auth{AccountID: a.ID, Region: a.Region,
		Cookies: h.sims[0].Cookie}
	items, err := h.syncer.Shopee.Sessions(ctx, auth, 50,
		func(shopee.SessionItem) bool { return false })
	if err != nil {
		t.Fatal(err)
	}

	live := 0
	for _, it := range items {
		tr, _ := h.sim.Truth(it.SessionID, h.clock.Now())
		if tr.Live {
			live++
			if it.Status != 2 {
				t.Errorf("session %d: simulator quirk off (status %d)",
					it.SessionID, it.Status)
			}
		}
		got := workflow.IsLive(it, nil, nil, nil, h.clock.Now())
		if got != tr.Live {
			t.Errorf("session %s: IsLive = %v, truth %v",
				strconv.FormatInt(it.SessionID, 10), got, tr.Live)
		}
	}
	if live == 0 {
		t.Fatal("no live session in the scenario")
	}
}
