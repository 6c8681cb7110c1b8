package jobqueue_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"liveboard"
	"liveboard/jobqueue"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// TestProbeJobs queues a probe of every account and checks that each
// account's health shows what Shopee said of its login.
func TestProbeJobs(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		ctx := context.Background()
		quiet := slog.New(slog.DiscardHandler)
		sim := shopeesim.New(shopeesim.Options{Seed: 5, Accounts: 2,
			HistoryDays: -1})
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		t.Cleanup(sim.Close)
		client, err := shopee.New(shopee.Config{BaseURL: srv.URL,
			AccountRate: -1, HostRate: -1})
		if err != nil {
			t.Fatal(err)
		}

		opts := sqlstoretest.Options()
		opts.Logger = quiet
		st := e.Open(t, opts)
		if err := jobqueue.Migrate(ctx, st, quiet); err != nil {
			t.Fatal(err)
		}
		studio := &liveboard.Studio{Name: "S", Region: liveboard.RegionID}
		if err := st.CreateStudio(ctx, studio); err != nil {
			t.Fatal(err)
		}
		// The second account holds the first one's login: only a probe,
		// which checks whose login it is, can tell.
		sims := sim.Accounts()
		var ids []int64
		for _, sa := range sims {
			a := &liveboard.Account{StudioID: studio.ID, Region: sa.Region,
				ShopeeUserID: sa.UserID, UserName: sa.UserName}
			if err := st.CreateAccount(ctx, a, sims[0].Cookie); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}

		q, err := jobqueue.New(st, &workflow.Syncer{Store: st,
			Shopee: client, Logger: quiet}, jobqueue.Config{
			SyncInterval: 24 * time.Hour, Logger: quiet,
			Prober: &workflow.Prober{Store: st, Shopee: client,
				Logger: quiet}})
		if err != nil {
			t.Fatal(err)
		}
		events, stop := q.Subscribe(river.EventKindJobCompleted)
		defer stop()
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		if err := q.EnqueueProbe(ctx); err != nil {
			t.Fatal(err)
		}

		waitForProbes(t, events, len(ids))
		for i, id := range ids {
			a, err := st.Account(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := i == 1
			if a.Health.NeedsRelogin != want || want &&
				!strings.Contains(a.Health.LastError, "not "+
					strconv.FormatInt(sims[1].UserID, 10)) {
				t.Errorf("account %d: needs relogin %t (%q), want %t", id,
					a.Health.NeedsRelogin, a.Health.LastError, want)
			}
		}
	})
}

func waitForProbes(t *testing.T, events <-chan *river.Event, n int) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for n > 0 {
		select {
		case ev := <-events:
			if ev.Job.Kind == (jobqueue.AccountProbeArgs{}).Kind() {
				n--
			}
		case <-timeout:
			t.Fatalf("%d probes still unfinished after 30 s", n)
		}
	}
}
