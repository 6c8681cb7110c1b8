package jobqueue

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// optimizedAt matches the optimisation of a studio in the round at.
func optimizedAt(studioID int64, at time.Time) func(*river.Event) bool {
	return func(ev *river.Event) bool {
		if ev.Job.Kind != (OptimizeStudioArgs{}).Kind() {
			return false
		}
		var args OptimizeStudioArgs
		_ = json.Unmarshal(ev.Job.EncodedArgs, &args)
		return args.StudioID == studioID && args.At.Equal(at)
	}
}

// TestCampaignRounds runs rounds of campaign optimisation through the
// queue: the first pauses the one campaign below the studio's floor, a
// round queued twice runs once, and the next round pauses nothing more.
func TestCampaignRounds(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		clock, sim, client, st, quiet := newWorld(t, e, 4, -1)
		studio := &liveboard.Studio{Name: "S", Region: liveboard.RegionID}
		if err := st.CreateStudio(ctx, studio); err != nil {
			t.Fatal(err)
		}
		worst, floor := int64(0), 0.0
		var rois []float64
		ids := map[float64]int64{}
		for _, sa := range sim.Accounts() {
			a := &liveboard.Account{StudioID: studio.ID, Region: sa.Region,
				ShopeeUserID: sa.UserID, UserName: sa.UserName}
			if err := st.CreateAccount(ctx, a, sa.Cookie); err != nil {
				t.Fatal(err)
			}
			for _, c := range sim.Campaigns(sa.UserID) {
				if c.State != "ongoing" ||
					c.Cost < liveboard.MoneyFromMajor(50_000) {
					continue
				}
				roi, _ := liveboard.ROI(c.BroadGMV, c.Cost, 0)
				rois = append(rois, roi)
				ids[roi] = c.CampaignID
			}
		}
		if len(rois) < 2 {
			t.Fatalf("want two ongoing campaigns, have %d", len(rois))
		}
		slices.Sort(rois)
		worst, floor = ids[rois[0]], (rois[0]+rois[1])/2
		if err := st.SaveAutoPauseSettings(ctx, &liveboard.AutoPauseSettings{
			StudioID: studio.ID, Enabled: true, ROIFloorPercent: floor,
			MinSpend: liveboard.MoneyFromMajor(50_000)}); err != nil {
			t.Fatal(err)
		}

		q, err := New(st, &workflow.Syncer{Store: st, Shopee: client,
			Now: clock.Now, Logger: quiet}, Config{Logger: quiet,
			Optimizer: &workflow.Optimizer{Store: st, Shopee: client,
				Now: clock.Now, Logger: quiet},
			CampaignInterval: 15 * time.Minute,
			PollInterval:     10 * time.Millisecond, testOnly: true,
			manualTicks: true})
		if err != nil {
			t.Fatal(err)
		}
		ch, cancel := q.Subscribe()
		ev := &events{more: make(chan struct{})}
		go ev.collect(ch)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, done := context.WithTimeout(ctx, 10*time.Second)
			defer done()
			if err := q.Stop(stop); err != nil {
				t.Error(err)
			}
			cancel()
		})

		// The round is queued twice, as two instances would.
		for range 2 {
			if err := q.EnqueueCampaignsTick(ctx, t0); err != nil {
				t.Fatal(err)
			}
		}
		ev.wait(t, 1, optimizedAt(studio.ID, t0))
		next := t0.Add(15 * time.Minute)
		clock.Set(next)
		if err := q.EnqueueCampaignsTick(ctx, next); err != nil {
			t.Fatal(err)
		}
		ev.wait(t, 1, optimizedAt(studio.ID, next))

		ev.mu.Lock()
		rounds := 0
		for _, e := range ev.done {
			if e.Job.Kind == (OptimizeStudioArgs{}).Kind() {
				rounds++
			}
		}
		ev.mu.Unlock()
		if rounds != 2 {
			t.Errorf("%d studio rounds ran, want 2", rounds)
		}
		if n := sim.Calls()[shopeesim.EndpointLiveStreamEdit]; n != 1 {
			t.Errorf("%d campaign edits sent, want 1", n)
		}
		acts, err := st.CampaignActions(ctx, studio.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 1 || acts[0].CampaignID != worst ||
			acts[0].Outcome != liveboard.ActionDone {
			t.Fatalf("actions %+v, want the pause of campaign %d", acts,
				worst)
		}
		for _, sa := range sim.Accounts() {
			for _, c := range sim.Campaigns(sa.UserID) {
				if c.CampaignID == worst && c.State != "paused" {
					t.Errorf("campaign %d is %s, want paused", worst,
						c.State)
				}
			}
		}
	})
}

// newWorld starts a simulator of accounts accounts, live of them on air
// (-1 for the scenario's choice), on a manual clock at t0, with a client
// without rate limits or cache, and a migrated store on that clock.
func newWorld(t *testing.T, e sqlstoretest.Engine, accounts, live int) (
	*shopeesim.ManualClock, *shopeesim.Server, *shopee.Client,
	*sqlstore.Store, *slog.Logger) {
	t.Helper()
	clock := shopeesim.NewManualClock(t0)
	sim := shopeesim.New(shopeesim.Options{Seed: 3, Clock: clock,
		Accounts: accounts, LiveNow: live, HistoryDays: -1})
	simURL := serve(t, sim)
	t.Cleanup(sim.Close)
	client, err := shopee.New(shopee.Config{BaseURL: simURL,
		AccountRate: -1, HostRate: -1, CacheTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	opts := sqlstoretest.Options()
	opts.Now, opts.Logger = clock.Now, quiet
	st := e.Open(t, opts)
	if err := Migrate(ctx, st, quiet); err != nil {
		t.Fatal(err)
	}
	return clock, sim, client, st, quiet
}
