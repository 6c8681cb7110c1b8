package workflow_test

import (
	"errors"
	"testing"
	"time"

	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// mixedFaults fail a quarter of all requests, each in one of the ways
// Shopee fails that another try may get past.
var mixedFaults = shopeesim.Faults{
	Rate: 0.25,
	Kinds: []shopeesim.FaultKind{
		shopeesim.RateLimit, shopeesim.RateLimitNoHeader,
		shopeesim.Error500, shopeesim.Error502, shopeesim.Error503,
		shopeesim.Timeout, shopeesim.HTMLPage, shopeesim.TruncatedJSON,
	},
	Hold: 10 * time.Second,
}

// resilientClient is the test client's configuration for a Shopee that
// fails often: enough tries that a call failing all of them is
// vanishingly rare (0.25^10), requests given up after 100 ms, and
// Retry-After waits of a second or two honoured.
func resilientClient() shopee.Config {
	cfg := fastClient()
	cfg.MaxAttempts = 10
	cfg.AttemptTimeout = 100 * time.Millisecond
	cfg.MaxRetryAfter = 2 * time.Second
	return cfg
}

func TestSyncUnderFaultsMatchesGroundTruth(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarnessWith(t, e, shopeesim.Options{Seed: 13,
			HistoryDays: 10}, resilientClient())
		h.sim.SetFaults("", mixedFaults)

		r := h.syncAll()
		if r.Accounts != len(h.sims) || r.Failed != 0 || r.Fetched == 0 {
			t.Fatalf("report %+v", r)
		}
		checkTruth(t, h)

		// Requests beyond one per call are the retries that got the
		// sync through.
		calls := 0
		for _, n := range h.sim.Calls() {
			calls += n
		}
		needed := r.Listed*2 + len(h.sims)
		if calls <= needed {
			t.Errorf("%d requests for about %d calls: the faults did "+
				"not bite", calls, needed)
		}
		t.Logf("%d requests for %d sessions", calls, r.Listed)

		t.Run("AndAgainLater", func(t *testing.T) {
			h.clock.Advance(20 * time.Minute)
			h.syncAll()
			checkTruth(t, h)
		})
	})
}

func TestSyncUnderFaultsAntiBotCostsOneCall(t *testing.T) {
	h := newHarnessWith(t, sqlstoretest.Engines(t)[0],
		shopeesim.Options{Seed: 17, HistoryDays: 5}, resilientClient())
	h.sim.SetFaults("", mixedFaults)
	blocked := h.sims[1]
	h.sim.SetAccountFault(blocked.UserID, shopeesim.AntiBot)
	others := func(i int) bool { return i != 1 }

	_, err := h.syncer.SyncAll(ctx, nil)
	if !errors.Is(err, workflow.ErrNeedsRelogin) {
		t.Fatalf("SyncAll error = %v, want ErrNeedsRelogin", err)
	}
	checkTruthOf(t, h, others)

	h.clock.Advance(10 * time.Minute)
	if _, err := h.syncer.SyncAll(ctx, nil); err != nil {
		t.Fatalf("second sync: %v", err)
	}
	checkTruthOf(t, h, others)
	if n := h.calls.of(blocked.Cookie); n != 1 {
		t.Errorf("the blocked account cost %d calls over two syncs, "+
			"want 1", n)
	}
	a, err := h.store.Account(ctx, h.accounts[1].ID)
	if err != nil || !a.Health.NeedsRelogin {
		t.Errorf("blocked account: %+v, %v", a, err)
	}
}
