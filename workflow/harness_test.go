package workflow_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

var ctx = context.Background()

// quiet drops log lines: the tests check outcomes, not logs.
var quiet = slog.New(slog.DiscardHandler)

// listPageSize is the page size the sync asks sessionList for.
const listPageSize = 50

// t0 is when the simulated world is made: a Friday evening in Jakarta.
var t0 = time.Date(2026, 11, 20, 12, 30, 0, 0, time.UTC)

// harness is a simulator, a store with one studio holding the
// simulator's accounts, and a syncer between them, all on one clock.
type harness struct {
	t        testing.TB
	clock    *shopeesim.ManualClock
	sim      *shopeesim.Server
	store    *sqlstore.Store
	syncer   *workflow.Syncer
	studio   *liveboard.Studio
	accounts []liveboard.Account
	sims     []shopeesim.Account
	calls    *callCounter
	// url is where the simulator answers.
	url string
}

func newHarness(t *testing.T, e sqlstoretest.Engine, opts shopeesim.Options) *harness {
	t.Helper()
	return newHarnessWith(t, e, opts, fastClient())
}

// fastClient is the Shopee client's configuration in these tests: no
// rate limits, and retries and circuit breakers that wait for
// milliseconds rather than seconds.
func fastClient() shopee.Config {
	return shopee.Config{
		AccountRate:   -1,
		HostRate:      -1,
		RetryDelay:    time.Millisecond,
		RetryMaxDelay: 10 * time.Millisecond,
		BreakerDelay:  5 * time.Millisecond,
	}
}

// newHarnessWith builds a harness whose client has the configuration
// cfg, pointed at the simulator.
func newHarnessWith(t testing.TB, e sqlstoretest.Engine,
	opts shopeesim.Options, cfg shopee.Config) *harness {
	t.Helper()
	h := &harness{t: t, clock: shopeesim.NewManualClock(t0)}
	opts.Clock = h.clock
	h.sim = shopeesim.New(opts)
	h.calls = &callCounter{next: h.sim, byCookie: map[string]int{}}
	srv := httptest.NewServer(h.calls)
	t.Cleanup(srv.Close)
	t.Cleanup(h.sim.Close)

	cfg.BaseURL, h.url = srv.URL, srv.URL
	client, err := shopee.New(cfg)
	if err != nil {
		t.Fatal(err)
	}

	storeOpts := sqlstoretest.Options()
	storeOpts.Now = h.clock.Now
	storeOpts.Logger = quiet
	h.store = e.Open(t, storeOpts)
	h.syncer = &workflow.Syncer{Store: h.store, Shopee: client,
		Now: h.clock.Now, Lookback: 120 * 24 * time.Hour, Logger: quiet}

	h.studio = &liveboard.Studio{Name: "Studio", Region: liveboard.RegionID,
		CommissionBasisPoints: 500}
	if err := h.store.CreateStudio(ctx, h.studio); err != nil {
		t.Fatal(err)
	}
	h.sims = h.sim.Accounts()
	for _, sa := range h.sims {
		a := &liveboard.Account{StudioID: h.studio.ID, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := h.store.CreateAccount(ctx, a, sa.Cookie); err != nil {
			t.Fatal(err)
		}
		h.accounts = append(h.accounts, *a)
	}
	return h
}

func (h *harness) syncAll() workflow.Report {
	h.t.Helper()
	r, err := h.syncer.SyncAll(ctx, nil)
	if err != nil {
		h.t.Fatalf("SyncAll: %v", err)
	}
	return r
}

// stored returns every stored session of the account by Shopee id.
func (h *harness) stored(accountID int64) map[int64]liveboard.Session {
	h.t.Helper()
	list, _, err := h.store.Sessions(ctx, liveboard.SessionFilter{
		AccountID: accountID, Limit: 500})
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[int64]liveboard.Session{}
	for _, se := range list {
		id, _ := strconv.ParseInt(se.ShopeeSessionID, 10, 64)
		out[id] = se
	}
	return out
}

// callCounter counts the simulator's requests per account cookie.
type callCounter struct {
	next http.Handler

	mu       sync.Mutex
	byCookie map[string]int
}

func (c *callCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.byCookie[spcEC(r.Header.Get("Cookie"))]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *callCounter) of(cookie string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byCookie[spcEC(cookie)]
}

func spcEC(cookie string) string {
	for _, part := range strings.Split(cookie, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "SPC_EC="); ok {
			return v
		}
	}
	return ""
}

// wantSession is what a session synced at now must hold, from the
// simulator's ground truth.
func wantMetrics(tr shopeesim.SessionTruth) liveboard.Metrics {
	m := tr.Metrics
	ccu := m.CCU
	if !tr.Live {
		ccu = 0
	}
	return liveboard.Metrics{
		ViewersNow: &ccu, PeakViewers: &m.PCU, Viewers: &m.Viewers,
		Views: &m.Views, Comments: &m.Comments, Likes: &m.Likes,
		Shares: &m.Shares, NewFollowers: &m.NewFollowers,
		AddToCart: &m.ATC, ProductClicks: &m.ProductClicks,
		Buyers: &m.Buyers, PlacedOrders: &m.PlacedOrders,
		PlacedGMV: &m.PlacedGMV, ConfirmedOrders: &m.ConfirmedOrders,
		ConfirmedGMV: &m.ConfirmedGMV, PlacedItemsSold: &m.PlacedItemsSold,
		AvgViewTime: &m.AvgViewTime, ClickThroughRate: &m.CTR,
		ConversionRate: &m.CO,
	}
}
