package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

func TestAdSpend(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		b := mustAccount(t, s, st.ID, 2)
		other := mustStudio(t, s, "Other")
		c := mustAccount(t, s, other.ID, 3)
		at := time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC)
		record := func(sp liveboard.AdSpend, want bool) {
			t.Helper()
			ok, err := s.RecordAdSpend(ctx, sp)
			if err != nil || ok != want {
				t.Fatalf("record %+v: %t, %v; want %t", sp, ok, err, want)
			}
		}

		first := liveboard.AdSpend{AccountID: a.ID, Date: "2026-03-10",
			Spend: 1_250_000_000, UpdatedAt: at}
		record(first, true)
		// The day's running total grows; the latest report replaces it.
		latest := first
		latest.Spend, latest.UpdatedAt = 4_000_000_001, at.Add(15*time.Minute)
		record(latest, true)
		// A report older than the stored one arrives late: refused.
		stale := first
		stale.Spend, stale.UpdatedAt = 3_000_000_000, at.Add(5*time.Minute)
		record(stale, false)

		yesterday := liveboard.AdSpend{AccountID: a.ID, Date: "2026-03-09",
			Spend: 7, UpdatedAt: at.Add(-6 * time.Hour)}
		record(yesterday, true)
		fromB := liveboard.AdSpend{AccountID: b.ID, Date: "2026-03-10",
			Spend: 0, UpdatedAt: at}
		record(fromB, true)
		record(liveboard.AdSpend{AccountID: c.ID, Date: "2026-03-10",
			Spend: 99, UpdatedAt: at}, true)

		// A removed account's spend was still spent.
		if err := s.RemoveAccount(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.AdSpends(ctx, st.ID, "2026-03-01", "2026-03-10")
		if err != nil {
			t.Fatal(err)
		}
		want := []liveboard.AdSpend{yesterday, latest, fromB}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ad spend (-want +got):\n%s", diff)
		}

		bad := liveboard.AdSpend{AccountID: a.ID, Date: "10 Mar",
			UpdatedAt: at}
		_, err = s.RecordAdSpend(ctx, bad)
		wantCode(t, "bad date", err, liveboard.EInvalid)
		bad.Date, bad.Spend = "2026-03-11", -1
		_, err = s.RecordAdSpend(ctx, bad)
		wantCode(t, "negative spend", err, liveboard.EInvalid)
	})
}

func TestRefreshDailyAnalyticsAdSpend(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		b := mustAccount(t, s, st.ID, 2)
		loc := st.Region.Location()
		date := "2026-03-10"
		from, to, err := liveboard.DayBounds(date, loc)
		if err != nil {
			t.Fatal(err)
		}

		se := sampleSession(st.ID, a.ID, "5001", from.Add(9*time.Hour))
		revenue := liveboard.Money(1_234_567_890_123)
		se.Metrics.PlacedGMV = &revenue
		// Sessions' own campaign figures are never counted.
		se.CampaignSpent = liveboard.MoneyFromMajor(1)
		if err := s.SaveSession(ctx, se, nil); err != nil {
			t.Fatal(err)
		}
		at := from.Add(12 * time.Hour)
		for _, sp := range []liveboard.AdSpend{
			{AccountID: a.ID, Date: date, Spend: 98_765_432_101,
				UpdatedAt: at},
			{AccountID: b.ID, Date: date, Spend: 1_000_000_003,
				UpdatedAt: at},
			{AccountID: b.ID, Date: "2026-03-11", Spend: 5, UpdatedAt: to},
		} {
			if _, err := s.RecordAdSpend(ctx, sp); err != nil {
				t.Fatal(err)
			}
		}

		err = s.RefreshDailyAnalytics(ctx, st.ID, date, from, to,
			func(ss []liveboard.Session,
				spend liveboard.Money) liveboard.DailyAnalytics {
				return liveboard.SummarizeDay(st, date, ss, spend)
			})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.DailyAnalytics(ctx, st.ID, date, date)
		if err != nil || len(got) != 1 {
			t.Fatalf("analytics: %v, %v", got, err)
		}

		spend := liveboard.Money(98_765_432_101 + 1_000_000_003)
		commission := liveboard.Commission(revenue, st.CommissionBasisPoints)
		roi, ok := liveboard.ROI(revenue, spend, commission)
		d := got[0]
		if d.TotalAdSpend != spend || d.TotalRevenue != revenue ||
			d.TotalCommission != commission || !ok ||
			d.ROIPercentage != roi {
			t.Errorf("spend %s, revenue %s, commission %s, ROI %v; "+
				"want %s, %s, %s, %v", d.TotalAdSpend, d.TotalRevenue,
				d.TotalCommission, d.ROIPercentage, spend, revenue,
				commission, roi)
		}
	})
}
