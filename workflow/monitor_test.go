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

// tick is how far the clock moves between looks.
const tick = 30 * time.Second

// monitor returns a monitor on the harness's store, simulator and clock.
func (h *harness) monitor() *workflow.Monitor {
	return &workflow.Monitor{Store: h.store,
		Shopee: h.syncer.Shopee.(*shopee.Client), Syncer: h.syncer,
		Now: h.clock.Now, Logger: quiet}
}

// look advances the clock by d, runs one tick and returns its report.
func (h *harness) look(m *workflow.Monitor, d time.Duration) workflow.MonitorReport {
	h.t.Helper()
	r, err := h.tryLook(m, d)
	if err != nil {
		h.t.Fatalf("Tick: %v", err)
	}
	return r
}

// tryLook is look for ticks that may fail.
func (h *harness) tryLook(m *workflow.Monitor,
	d time.Duration) (workflow.MonitorReport, error) {
	h.clock.Advance(d)
	return m.Tick(ctx)
}

// overviewMetrics is what the overview reports of a session: every
// metric but product clicks, which it does not carry.
func overviewMetrics(tr shopeesim.SessionTruth) liveboard.Metrics {
	m := wantMetrics(tr)
	m.ProductClicks = nil
	return m
}

// wantProducts is the stored form of the simulator's products, best
// sellers first.
func wantProducts(ps []shopeesim.ProductTruth) []liveboard.Product {
	out := make([]liveboard.Product, len(ps))
	for i, p := range ps {
		out[i] = liveboard.Product{
			ItemID: p.ItemID, Title: p.Title, CoverImage: p.CoverImage,
			MinPrice: liveboard.Ptr(p.Price), MaxPrice: liveboard.Ptr(p.Price),
			Clicks: liveboard.Ptr(p.Clicks), ClickThroughRate: liveboard.Ptr(p.CTR),
			AddToCart: liveboard.Ptr(p.ATC), Orders: liveboard.Ptr(p.Orders),
			Revenue: liveboard.Ptr(p.Revenue), ItemsSold: liveboard.Ptr(p.ItemsSold),
			ConversionRate:          liveboard.Ptr(p.COR),
			ConfirmedOrders:         liveboard.Ptr(p.ConfirmedOrders),
			ConfirmedRevenue:        liveboard.Ptr(p.ConfirmedRevenue),
			ConfirmedItemsSold:      liveboard.Ptr(p.ConfirmedItemsSold),
			ConfirmedConversionRate: liveboard.Ptr(p.ConfirmedCOR),
		}
	}
	return liveboard.TopProducts(out, len(out))
}

// liveTruths returns every session on air now, by Shopee id.
func (h *harness) liveTruths() map[int64]shopeesim.SessionTruth {
	out := map[int64]shopeesim.SessionTruth{}
	for _, sa := range h.sims {
		for _, tr := range h.sim.Sessions(sa.UserID) {
			if tr.Live {
				out[tr.SessionID] = tr
			}
		}
	}
	return out
}

// storedSession returns the stored session with a Shopee id.
func (h *harness) storedSession(id int64) liveboard.Session {
	h.t.Helper()
	list, _, err := h.store.Sessions(ctx, liveboard.SessionFilter{
		ShopeeSessionID: strconv.FormatInt(id, 10)})
	if err != nil || len(list) != 1 {
		h.t.Fatalf("session %d: %d stored, %v", id, len(list), err)
	}
	return list[0]
}

func TestMonitorSnapshotsLiveSessions(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3})
		m := h.monitor()
		live := h.liveTruths()
		if len(live) != 2 {
			t.Fatalf("%d live sessions, the test wants 2", len(live))
		}

		r := h.look(m, 0)
		if r.Accounts != 3 || r.Live != 2 || r.Snapshots != 2 {
			t.Errorf("report %+v, want 3 accounts, 2 live", r)
		}
		for id, tr := range live {
			se := h.storedSession(id)
			snaps, err := h.store.Snapshots(ctx, se.ID, time.Time{})
			if err != nil || len(snaps) != 1 {
				t.Fatalf("session %d: %d snapshots, %v", id, len(snaps), err)
			}
			if diff := cmp.Diff(overviewMetrics(tr), snaps[0].Metrics); diff != "" {
				t.Errorf("snapshot of %d (-truth +got):\n%s", id, diff)
			}
			if se.Status != liveboard.SessionOngoing {
				t.Errorf("session %d stored as %s", id, se.Status)
			}

			truth, _ := h.sim.Products(id, h.clock.Now())
			got, err := h.store.SessionProducts(ctx, se.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantProducts(truth), got); diff != "" {
				t.Errorf("products of %d (-truth +got):\n%s", id, diff)
			}
		}
	})
}

// calls returns the simulator's calls since the last reset, and resets.
func (h *harness) callsSince() map[string]int {
	c := h.sim.Calls()
	h.sim.ResetCalls()
	return c
}

// moved counts live sessions whose placed orders or add-to-cart changed
// between two times.
func (h *harness) moved(from, to time.Time) int {
	n := 0
	for id := range h.liveTruths() {
		a, _ := h.sim.Truth(id, from)
		b, _ := h.sim.Truth(id, to)
		if a.Metrics.PlacedOrders != b.Metrics.PlacedOrders ||
			a.Metrics.ATC != b.Metrics.ATC {
			n++
		}
	}
	return n
}

func TestMonitorCallsOnlyWhatChanged(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		shopeesim.Options{Seed: 3})
	m := h.monitor()
	accounts := len(h.sims)

	h.look(m, 0)
	want := map[string]int{shopeesim.EndpointSessionList: accounts,
		shopeesim.EndpointOverview: 2, shopeesim.EndpointSessionInfo: 2,
		shopeesim.EndpointProducts: 2}
	if diff := cmp.Diff(want, h.callsSince()); diff != "" {
		t.Errorf("first look: calls (-want +got):\n%s", diff)
	}

	for i := 1; i < 10; i++ {
		before := h.clock.Now()
		h.look(m, tick)
		want := map[string]int{shopeesim.EndpointSessionList: accounts,
			shopeesim.EndpointOverview: 2}
		if n := h.moved(before, h.clock.Now()); n > 0 {
			want[shopeesim.EndpointProducts] = n
		}
		if diff := cmp.Diff(want, h.callsSince()); diff != "" {
			t.Errorf("look %d: calls (-want +got):\n%s", i, diff)
		}
	}

	// Five minutes after the first look: a full read of each.
	h.look(m, tick)
	calls := h.callsSince()
	if calls[shopeesim.EndpointSessionInfo] != 2 ||
		calls[shopeesim.EndpointProducts] != 2 {
		t.Errorf("look after 5 minutes: calls %v, want a full read of "+
			"both live sessions", calls)
	}
}

func TestMonitorArchivesEndedSession(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3, LiveNow: -1,
			HistoryDays: 3})
		m := h.monitor()
		sa := h.sims[0]
		id := h.sim.AddSession(sa.UserID, shopeesim.SessionSpec{
			Start: t0.Add(-10 * time.Minute), Duration: 11 * time.Minute,
			PeakViewers: 500})

		h.look(m, 0)
		if se := h.storedSession(id); se.Status != liveboard.SessionOngoing {
			t.Fatalf("before its end the session is %s", se.Status)
		}

		r := h.look(m, 2*time.Minute)
		se := h.storedSession(id)
		tr, _ := h.sim.Truth(id, h.clock.Now())
		if r.Ended != 1 || se.Status != liveboard.SessionEnded ||
			se.FinalSyncedAt == nil {
			t.Fatalf("report %+v, session %s, final %v; want archived",
				r, se.Status, se.FinalSyncedAt)
		}
		if diff := cmp.Diff(wantMetrics(tr), se.Metrics); diff != "" {
			t.Errorf("final figures (-truth +got):\n%s", diff)
		}
		truth, _ := h.sim.Products(id, h.clock.Now())
		got, _ := h.store.SessionProducts(ctx, se.ID)
		if diff := cmp.Diff(wantProducts(truth), got); diff != "" {
			t.Errorf("final products (-truth +got):\n%s", diff)
		}

		t.Run("EarlyEndAlert", func(t *testing.T) {
			if len(r.Alerts) != 1 ||
				r.Alerts[0].Rule != liveboard.RuleEarlyEnd ||
				r.Alerts[0].Evidence.Duration != 11*time.Minute {
				t.Errorf("alerts %+v, want one early end after 11 min",
					r.Alerts)
			}
		})
		t.Run("NotReadAgain", func(t *testing.T) {
			h.callsSince()
			h.look(m, tick)
			calls := h.callsSince()
			if calls[shopeesim.EndpointOverview] != 0 {
				t.Errorf("archived session read again: %v", calls)
			}
		})
	})
}

func TestMonitorReloginAlertOnce(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3})
		m := h.monitor()
		blocked := h.sims[0]
		h.sim.SetAccountFault(blocked.UserID, shopeesim.AntiBot)

		first, err := h.tryLook(m, 0)
		if !errors.Is(err, shopee.ErrChallenge) {
			t.Fatalf("first look: err %v, want the challenge", err)
		}
		second := h.look(m, tick)
		if len(first.Alerts) != 1 ||
			first.Alerts[0].Rule != liveboard.RuleRelogin ||
			len(second.Alerts) != 0 || second.Skipped != 1 {
			t.Fatalf("first look alerts %+v, second %+v; want one relogin "+
				"alert then a skipped account", first.Alerts, second)
		}
		if n := h.calls.of(blocked.Cookie); n != 1 {
			t.Errorf("the blocked account was called %d times, want 1", n)
		}

		cookie := h.sim.Relogin(blocked.UserID)
		if err := h.store.ReplaceAccountCookies(ctx, h.accounts[0].ID,
			cookie); err != nil {
			t.Fatal(err)
		}
		h.look(m, tick)
		open, err := h.store.OpenAlerts(ctx, h.accounts[0].ID)
		if err != nil || len(open) != 0 {
			t.Errorf("open alerts after a new login: %+v, %v", open, err)
		}
	})
}

// dropSession adds a session of the first account that has run 30
// minutes at t0, to lose half its viewers over two minutes from minute 33.
func (h *harness) dropSession() int64 {
	return h.sim.AddSession(h.sims[0].UserID, shopeesim.SessionSpec{
		Start: t0.Add(-30 * time.Minute), Duration: 2 * time.Hour,
		PeakViewers: 2000,
		Drops: []shopeesim.Drop{{At: 33 * time.Minute, Factor: 0.5,
			Over: 2 * time.Minute}},
	})
}

func TestMonitorViewerDrop(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3, Accounts: 1,
			LiveNow: -1, HistoryDays: -1})
		m := h.monitor()
		id := h.dropSession()

		var alerts []liveboard.Alert
		for i := range 20 {
			r := h.look(m, min(time.Duration(i), 1)*tick)
			alerts = append(alerts, r.Alerts...)
		}
		if len(alerts) != 1 || alerts[0].Rule != liveboard.RuleViewerDrop {
			t.Fatalf("alerts %+v, want one viewer drop", alerts)
		}

		ev := alerts[0].Evidence
		level, _ := h.sim.Truth(id, *ev.LevelAt)
		now, _ := h.sim.Truth(id, *ev.ViewersAt)
		if *ev.Level != level.Metrics.CCU || *ev.Viewers != now.Metrics.CCU ||
			*ev.DropPercent < 30 {
			t.Errorf("evidence %+v; truth %d at %v, %d at %v", ev,
				level.Metrics.CCU, ev.LevelAt, now.Metrics.CCU, ev.ViewersAt)
		}
	})
}

func TestMonitorMissingFiguresRaiseNothing(t *testing.T) {
	for _, kind := range []shopeesim.FaultKind{shopeesim.Error503,
		shopeesim.NullMetrics} {
		t.Run(kind.String(), func(t *testing.T) {
			h := newHarness(t, sqlstoretest.Engines(t)[0],
				shopeesim.Options{Seed: 3, Accounts: 1, LiveNow: -1,
					HistoryDays: -1})
			m := h.monitor()
			h.sim.AddSession(h.sims[0].UserID, shopeesim.SessionSpec{
				Start: t0.Add(-30 * time.Minute), Duration: 2 * time.Hour,
				PeakViewers: 2000})

			var alerts []liveboard.Alert
			for i := range 12 {
				if i == 4 || i == 5 {
					h.sim.SetFaults(shopeesim.EndpointOverview,
						shopeesim.Faults{Rate: 1,
							Kinds: []shopeesim.FaultKind{kind}})
				}
				r := h.look(m, tick)
				h.sim.ClearFaults()
				alerts = append(alerts, r.Alerts...)
			}
			if len(alerts) != 0 {
				t.Errorf("alerts %+v, want none", alerts)
			}
		})
	}
}

func TestSyncStoresProducts(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3, HistoryDays: 2})
		h.syncer.Products = h.syncer.Shopee.(*shopee.Client)
		h.syncAll()

		checked := 0
		for _, sa := range h.sims {
			for _, tr := range h.sim.Sessions(sa.UserID) {
				se := h.storedSession(tr.SessionID)
				truth, _ := h.sim.Products(tr.SessionID, h.clock.Now())
				got, err := h.store.SessionProducts(ctx, se.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(wantProducts(truth), got); diff != "" {
					t.Errorf("products of %d (-truth +got):\n%s",
						tr.SessionID, diff)
				}
				checked++
			}
		}
		if checked < 3 {
			t.Errorf("checked %d sessions, want several", checked)
		}
	})
}
