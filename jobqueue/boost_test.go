package jobqueue

import (
	"context"
	"strconv"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// TestBoostRounds runs a plan of two rounds through the queue, its first
// round queued twice as two instances would: each round waits for the
// clock, gives once, and the plan finishes with the budget spent.
func TestBoostRounds(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clock, sim, client, st, quiet := newWorld(t, e, 1, 1)
		studio := &liveboard.Studio{Name: "S", Region: liveboard.RegionID}
		if err := st.CreateStudio(ctx, studio); err != nil {
			t.Fatal(err)
		}
		sa := sim.Accounts()[0]
		a := &liveboard.Account{StudioID: studio.ID, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := st.CreateAccount(ctx, a, sa.Cookie); err != nil {
			t.Fatal(err)
		}
		syncer := &workflow.Syncer{Store: st, Shopee: client,
			Now: clock.Now, Logger: quiet}
		if _, err := syncer.SyncAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
		var live shopeesim.SessionTruth
		for _, tr := range sim.Sessions(sa.UserID) {
			if tr.Live {
				live = tr
			}
		}

		booster := &workflow.Booster{Store: st, Shopee: client,
			Now: clock.Now, Logger: quiet}
		q, err := New(st, syncer, Config{Logger: quiet, Booster: booster,
			BoostPoll: 20 * time.Millisecond, testOnly: true,
			PollInterval: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, done := context.WithTimeout(ctx, 10*time.Second)
			defer done()
			if err := q.Stop(stop); err != nil {
				t.Error(err)
			}
		})

		p := &liveboard.BoostPlan{AccountID: a.ID,
			ShopeeSessionID: strconv.FormatInt(live.SessionID, 10),
			TotalCoins:      250, CoinsPerClaim: 10, ClaimTimes: 10,
			Interval: time.Minute}
		if err := booster.Start(ctx, p); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := q.StartBoost(ctx, p.ID, clock.Now()); err != nil {
				t.Fatal(err)
			}
		}

		waitPlan := func(what string, ok func(*liveboard.BoostPlan) bool) {
			t.Helper()
			deadline := time.Now().Add(15 * time.Second)
			for {
				got, err := st.BoostPlan(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if ok(got) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("plan never %s: %+v", what, got)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		waitPlan("gave round 1", func(p *liveboard.BoostPlan) bool {
			return len(p.Rounds) == 1 &&
				p.Rounds[0].Status == liveboard.RoundDone
		})
		// Round 2 waits for its time.
		time.Sleep(100 * time.Millisecond)
		if got, _ := st.BoostPlan(ctx, p.ID); len(got.Rounds) != 1 {
			t.Fatalf("round 2 ran before its time: %+v", got.Rounds)
		}
		clock.Advance(time.Minute)
		waitPlan("gave round 2", func(p *liveboard.BoostPlan) bool {
			return len(p.Rounds) == 2 &&
				p.Rounds[1].Status == liveboard.RoundDone
		})
		clock.Advance(time.Minute)
		waitPlan("finished", func(p *liveboard.BoostPlan) bool {
			return p.Status == liveboard.BoostFinished
		})

		tr, _ := sim.Coins(live.SessionID)
		if tr.TotalCoins != 200 {
			t.Errorf("the simulator gave %d coins, want 200",
				tr.TotalCoins)
		}
		if n := sim.Calls()[shopeesim.EndpointCoinStart]; n != 2 {
			t.Errorf("%d giveaways started, want 2", n)
		}
	})
}
