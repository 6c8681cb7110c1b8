package workflow_test

import (
	"strconv"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// boostFixture is a synced harness with a booster and one live session
// of the first account.
type boostFixture struct {
	*harness
	booster *workflow.Booster
	client  *shopee.Client
	live    shopeesim.SessionTruth
	account liveboard.Account
}

func newBoostFixture(t *testing.T, e sqlstoretest.Engine) *boostFixture {
	t.Helper()
	h := newHarness(t, e, shopeesim.Options{Seed: 5, Accounts: 2})
	h.syncAll()
	cfg := fastClient()
	cfg.BaseURL, cfg.CacheTTL = h.url, -1
	client, err := shopee.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &boostFixture{harness: h, client: client, account: h.accounts[0],
		booster: &workflow.Booster{Store: h.store, Shopee: client,
			Now: h.clock.Now, Logger: quiet}}
	for _, tr := range h.sim.Sessions(h.sims[0].UserID) {
		if tr.Live {
			f.live = tr
		}
	}
	if !f.live.Live {
		t.Fatal("the first account has no session on air")
	}
	return f
}

// start stores a running plan for the live session.
func (f *boostFixture) start(total, perClaim, times int64,
	minViewers *int64) *liveboard.BoostPlan {
	f.t.Helper()
	p := &liveboard.BoostPlan{AccountID: f.account.ID,
		ShopeeSessionID: strconv.FormatInt(f.live.SessionID, 10),
		TotalCoins:      total, CoinsPerClaim: perClaim, ClaimTimes: times,
		Interval: time.Minute, MinViewers: minViewers}
	if err := f.booster.Start(ctx, p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// round runs round n at the clock's time.
func (f *boostFixture) round(p *liveboard.BoostPlan,
	n int) workflow.RoundOutcome {
	f.t.Helper()
	out, err := f.booster.Round(ctx, p.ID, n)
	if err != nil {
		f.t.Fatalf("round %d: %v", n, err)
	}
	return out
}

// given returns the coins the simulator's giveaways hand out in the
// live session.
func (f *boostFixture) given() int64 {
	tr, _ := f.sim.Coins(f.live.SessionID)
	return tr.TotalCoins
}

func (f *boostFixture) plan(id int64) *liveboard.BoostPlan {
	f.t.Helper()
	p, err := f.store.BoostPlan(ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// TestBoostRunsToBudget runs a plan of three rounds: each gives out on
// schedule, the fourth finds the budget spent, and the claims of every
// round and the session's coins are stored.
func TestBoostRunsToBudget(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		f := newBoostFixture(t, e)
		p := f.start(350, 10, 10, nil)

		for n := 1; n <= 3; n++ {
			out := f.round(p, n)
			if out.Ended || !out.Next.Equal(f.clock.Now().Add(time.Minute)) {
				t.Fatalf("round %d: %+v, want the next a minute later",
					n, out)
			}
			if got := f.given(); got != int64(n)*100 {
				t.Fatalf("after round %d the simulator gave %d coins, "+
					"want %d", n, got, n*100)
			}
			f.clock.Set(out.Next)
		}
		if out := f.round(p, 4); !out.Ended {
			t.Fatalf("round 4: %+v, want the plan ended", out)
		}
		if got := f.given(); got != 300 {
			t.Errorf("the simulator gave %d coins, want 300", got)
		}

		got := f.plan(p.ID)
		if got.Status != liveboard.BoostFinished || len(got.Rounds) != 3 {
			t.Fatalf("plan %s with %d rounds, want finished with 3",
				got.Status, len(got.Rounds))
		}
		for _, r := range got.Rounds {
			if r.Status != liveboard.RoundDone || r.Coins != 100 ||
				r.Claimed == nil || *r.Claimed != 100 {
				t.Errorf("round %+v, want done, 100 coins, 100 claimed", r)
			}
		}
		se, err := f.store.Session(ctx, p.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		if se.CoinsDistributed != 300 {
			t.Errorf("session coins distributed %d, want 300",
				se.CoinsDistributed)
		}
		// A sync, which reads no coins, keeps them.
		f.syncAll()
		if se, _ := f.store.Session(ctx, p.SessionID); se.CoinsDistributed != 300 {
			t.Errorf("after a sync, coins distributed %d, want 300",
				se.CoinsDistributed)
		}
	})
}

// TestBoostEndsWithSession ends a plan whose session went off air.
func TestBoostEndsWithSession(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		f := newBoostFixture(t, e)
		p := f.start(1000, 10, 10, nil)
		f.round(p, 1)

		f.clock.Set(f.live.End.Add(time.Minute))
		if out := f.round(p, 2); !out.Ended {
			t.Fatalf("round 2: %+v, want the plan ended", out)
		}
		if got := f.plan(p.ID); got.Status != liveboard.BoostSessionEnded ||
			len(got.Rounds) != 1 {
			t.Errorf("plan %s with %d rounds, want session_ended with 1",
				got.Status, len(got.Rounds))
		}
		if got := f.given(); got != 100 {
			t.Errorf("the simulator gave %d coins, want 100", got)
		}
	})
}

// TestBoostSkipsSmallAudience skips a round while too few watch, and
// starting a plan on a session that ended is refused.
func TestBoostSkipsSmallAudience(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		f := newBoostFixture(t, e)
		p := f.start(1000, 10, 10, new(int64(1_000_000_000)))
		out := f.round(p, 1)
		if out.Ended || out.Next.IsZero() {
			t.Fatalf("round 1: %+v, want the next one scheduled", out)
		}
		got := f.plan(p.ID)
		if len(got.Rounds) != 1 ||
			got.Rounds[0].Status != liveboard.RoundSkipped ||
			got.Rounds[0].Viewers == nil {
			t.Fatalf("rounds %+v, want one skipped with its viewers",
				got.Rounds)
		}
		if n := f.given(); n != 0 {
			t.Errorf("the simulator gave %d coins, want none", n)
		}

		f.clock.Set(f.live.End.Add(time.Hour))
		f.syncAll()
		q := &liveboard.BoostPlan{AccountID: f.account.ID,
			ShopeeSessionID: strconv.FormatInt(f.live.SessionID, 10),
			TotalCoins:      100, CoinsPerClaim: 1, ClaimTimes: 1,
			Interval: time.Minute}
		err := f.booster.Start(ctx, q)
		if liveboard.ErrorCode(err) != liveboard.EInvalid {
			t.Errorf("starting on an ended session: %v, want EInvalid", err)
		}
	})
}

// TestBoostRetryDoesNotGiveTwice runs a round again after its job died
// between recording it and recording Shopee's answer: a giveaway that
// started is taken as done, one that cannot be seen as unknown, and
// neither is sent again; unknown rounds count against the budget.
func TestBoostRetryDoesNotGiveTwice(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		f := newBoostFixture(t, e)
		p := f.start(250, 10, 10, nil)
		auth := shopee.Auth{AccountID: f.account.ID,
			Region: f.account.Region, Cookies: f.sims[0].Cookie}

		// Round 1 was recorded and sent; its job died before noting it.
		claim := func(n int) {
			r := &liveboard.BoostRound{PlanID: p.ID, Number: n,
				Status: liveboard.RoundPending, At: f.clock.Now(),
				Coins: 100}
			if ok, err := f.store.ClaimBoostRound(ctx, r); err != nil ||
				!ok {
				t.Fatalf("claim round %d: %v, %v", n, ok, err)
			}
		}
		claim(1)
		if _, err := f.client.StartCoins(ctx, auth, f.live.SessionID,
			shopee.CoinPlan{Giveout: 100, CoinsPerClaim: 10,
				ClaimTimes: 10, Interval: 6}); err != nil {
			t.Fatal(err)
		}
		out := f.round(p, 1)
		if got := f.given(); got != 100 {
			t.Fatalf("the simulator gave %d coins, want 100", got)
		}
		if r := f.plan(p.ID).Rounds[0]; r.Status != liveboard.RoundDone {
			t.Errorf("round 1 is %s, want done", r.Status)
		}

		// Round 2 was recorded but never reached Shopee.
		f.clock.Set(out.Next)
		claim(2)
		out = f.round(p, 2)
		if r := f.plan(p.ID).Rounds[1]; r.Status != liveboard.RoundUnknown {
			t.Errorf("round 2 is %s, want unknown", r.Status)
		}
		// 200 of 250 coins count as spent: no room for a third round.
		f.clock.Set(out.Next)
		if out := f.round(p, 3); !out.Ended {
			t.Errorf("round 3: %+v, want the plan ended", out)
		}
		if got := f.given(); got != 100 {
			t.Errorf("the simulator gave %d coins, want 100", got)
		}
		// The store refuses a round beyond the budget outright.
		r := &liveboard.BoostRound{PlanID: p.ID, Number: 3,
			Status: liveboard.RoundPending, At: f.clock.Now(), Coins: 100}
		if ok, err := f.store.ClaimBoostRound(ctx, r); err != nil || ok {
			t.Errorf("claim past the budget: %v, %v; want refused", ok, err)
		}
	})
}

// TestBoostStop stops a plan between rounds.
func TestBoostStop(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		f := newBoostFixture(t, e)
		p := f.start(1000, 10, 10, nil)
		out := f.round(p, 1)
		if err := f.booster.Stop(ctx, p.ID, "stopped by a test"); err != nil {
			t.Fatal(err)
		}
		if err := f.booster.Stop(ctx, p.ID, "again"); liveboard.ErrorCode(
			err) != liveboard.EInvalid {
			t.Errorf("stopping twice: %v, want EInvalid", err)
		}
		f.clock.Set(out.Next)
		if out := f.round(p, 2); !out.Ended {
			t.Errorf("round 2: %+v, want the plan ended", out)
		}
		got := f.plan(p.ID)
		if got.Status != liveboard.BoostStopped || len(got.Rounds) != 1 ||
			got.Rounds[0].Claimed == nil || *got.Rounds[0].Claimed != 100 {
			t.Errorf("plan %s, rounds %+v; want stopped after one "+
				"round with its claims", got.Status, got.Rounds)
		}
		if n := f.given(); n != 100 {
			t.Errorf("the simulator gave %d coins, want 100", n)
		}
	})
}
