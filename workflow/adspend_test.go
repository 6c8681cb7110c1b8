package workflow_test

import (
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// simSpend returns what the simulator's campaigns of every account of
// the harness cost today, at the clock's time.
func (h *harness) simSpend() liveboard.Money {
	var sum liveboard.Money
	for _, sa := range h.sims {
		for _, c := range h.sim.Campaigns(sa.UserID) {
			sum += c.Cost
		}
	}
	return sum
}

// today returns the studio's analytics row for the clock's day; a zero
// row when none is stored.
func (h *harness) today() liveboard.DailyAnalytics {
	h.t.Helper()
	date := liveboard.DateIn(h.clock.Now(), h.studio.Region.Location())
	rows, err := h.store.DailyAnalytics(ctx, h.studio.ID, date, date)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(rows) == 0 {
		return liveboard.DailyAnalytics{Date: date}
	}
	return rows[0]
}

func TestOptimizeKeepsAdSpend(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3, Accounts: 4})
		h.syncAll()
		o, _ := h.optimizer()
		date := h.today().Date

		t.Run("nothing from a failed read", func(t *testing.T) {
			h.sim.SetFaults(shopeesim.EndpointGetAdsData,
				shopeesim.Faults{Rate: 1,
					Kinds: []shopeesim.FaultKind{shopeesim.Error500}})
			defer h.sim.ClearFaults()
			if _, _, err := o.Optimize(ctx, h.studio.ID); err == nil {
				t.Fatal("no error from failed ads reads")
			}
			got, err := h.store.AdSpends(ctx, h.studio.ID, date, date)
			if err != nil || len(got) != 0 {
				t.Errorf("ad spend stored: %+v, %v", got, err)
			}
			if d := h.today(); d.TotalAdSpend != 0 {
				t.Errorf("analytics show %s ad spend", d.TotalAdSpend)
			}
		})

		check := func(t *testing.T) {
			t.Helper()
			if _, _, err := o.Optimize(ctx, h.studio.ID); err != nil {
				t.Fatal(err)
			}
			want := h.simSpend()
			d := h.today()
			if want <= 0 || d.TotalAdSpend != want {
				t.Fatalf("analytics ad spend %s, simulator %s",
					d.TotalAdSpend, want)
			}
			roi, ok := liveboard.ROI(d.TotalRevenue, want,
				d.TotalCommission)
			if !ok || d.ROIPercentage != roi {
				t.Errorf("ROI %v, want %v", d.ROIPercentage, roi)
			}
			if d.TotalSessions == 0 || d.TotalRevenue == 0 {
				t.Errorf("analytics %+v: want today's sessions", d)
			}

			spends, err := h.store.AdSpends(ctx, h.studio.ID, date, date)
			if err != nil {
				t.Fatal(err)
			}
			if len(spends) != len(h.accounts) {
				t.Fatalf("%d accounts' spend stored, want %d",
					len(spends), len(h.accounts))
			}
			for i, sp := range spends {
				ads, _ := h.sim.Ads(h.sims[i].UserID)
				if sp.AccountID != h.accounts[i].ID ||
					sp.Spend != ads.ExpenseToday ||
					!sp.UpdatedAt.Equal(h.clock.Now()) {
					t.Errorf("stored %+v, simulator spent %s at %v", sp,
						ads.ExpenseToday, h.clock.Now())
				}
			}
		}
		t.Run("spend and ROI in analytics", check)

		// By the evening the campaigns may have spent their budgets, so
		// the total need not grow; the later report is stored all the
		// same.
		t.Run("latest running total", func(t *testing.T) {
			h.clock.Advance(15 * time.Minute)
			check(t)
		})
	})
}
