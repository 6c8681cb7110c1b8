package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"liveboard"
)

type reportOut struct {
	StudioID int64          `json:"studio_id"`
	Period   string         `json:"period"`
	From     string         `json:"from"`
	To       string         `json:"to"`
	Totals   analyticsOut   `json:"totals"`
	Daily    []analyticsOut `json:"daily"`
	Previous struct {
		From   string       `json:"from"`
		To     string       `json:"to"`
		Totals analyticsOut `json:"totals"`
	} `json:"previous"`
	Accounts []struct {
		AccountID int64 `json:"account_id"`
		Sessions  int64 `json:"sessions"`
	} `json:"accounts"`
	Top []sessionOut `json:"top_sessions"`
}

// expectPeriod sums the days of want that fall in [from, to].
func expectPeriod(days []dayTotals, studioID int64, from,
	to string) (analyticsOut, []analyticsOut) {
	var total dayTotals
	daily := []analyticsOut{}
	for _, d := range days {
		if d.date < from || d.date > to {
			continue
		}
		daily = append(daily, d.row(studioID))
		total.add(d)
	}
	return total.row(studioID), daily
}

// testReports checks weekly and daily reports, and their CSV and Excel
// exports, against sums of the stored sessions.
func testReports(t *testing.T, h *harness) {
	studio := h.studio1
	loc := studio.Region.Location()
	sessions := h.listSessions(t, owner1, url.Values{
		"page_size": {"500"}}).Sessions
	days := expectDays(t, sessions, loc, studio.CommissionBasisPoints)
	today := h.clock.Now().In(loc)

	t.Run("WeekWithPrevious", func(t *testing.T) {
		got := dataOf[reportOut](t, h.get(t, "/api/live-streaming/"+
			"reports/weekly?studio_id=1", owner1), http.StatusOK)

		back := (int(today.Weekday()) + 6) % 7
		monday := today.AddDate(0, 0, -back)
		from := monday.Format(time.DateOnly)
		to := monday.AddDate(0, 0, 6).Format(time.DateOnly)
		if got.From != from || got.To != to || got.Period != "weekly" {
			t.Fatalf("period %s %s..%s, want weekly %s..%s", got.Period,
				got.From, got.To, from, to)
		}

		wantTotals, wantDaily := expectPeriod(days, studio.ID, from, to)
		wantTotals.Date = ""
		if diff := cmp.Diff(wantTotals, got.Totals); diff != "" {
			t.Errorf("totals (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantDaily, got.Daily); diff != "" {
			t.Errorf("daily (-want +got):\n%s", diff)
		}

		prevFrom := monday.AddDate(0, 0, -7).Format(time.DateOnly)
		prevTo := monday.AddDate(0, 0, -1).Format(time.DateOnly)
		wantPrev, _ := expectPeriod(days, studio.ID, prevFrom, prevTo)
		wantPrev.Date = ""
		if got.Previous.From != prevFrom ||
			!cmp.Equal(wantPrev, got.Previous.Totals) {
			t.Errorf("previous %s: %+v, want %s: %+v", got.Previous.From,
				got.Previous.Totals, prevFrom, wantPrev)
		}

		var sessionsInWeek int64
		for _, a := range got.Accounts {
			sessionsInWeek += a.Sessions
		}
		if sessionsInWeek != got.Totals.TotalSessions ||
			len(got.Top) > 5 || len(got.Top) == 0 {
			t.Errorf("accounts count %d sessions, totals %d; %d top",
				sessionsInWeek, got.Totals.TotalSessions, len(got.Top))
		}
	})

	t.Run("CSV", func(t *testing.T) {
		res := h.get(t, "/api/live-streaming/reports/monthly?format=csv",
			owner1)
		wantStatus(t, res, http.StatusOK)
		rows, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
		total, daily := expectPeriod(days, studio.ID,
			first.Format(time.DateOnly),
			first.AddDate(0, 1, -1).Format(time.DateOnly))
		if len(rows) != len(daily)+2 {
			t.Fatalf("%d CSV rows, want header + %d days + total",
				len(rows), len(daily))
		}
		last := rows[len(rows)-1]
		if last[0] != "total" || last[4] != total.TotalRevenue.String() ||
			last[3] != itoa(total.TotalOrders) {
			t.Errorf("total row %v, want revenue %s orders %d", last,
				total.TotalRevenue, total.TotalOrders)
		}
	})

	t.Run("Excel", func(t *testing.T) {
		res := h.get(t, "/api/live-streaming/reports/daily?format=xlsx&"+
			"date="+today.Format(time.DateOnly), owner1)
		wantStatus(t, res, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Daily")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := expectPeriod(days, studio.ID,
			today.Format(time.DateOnly), today.Format(time.DateOnly))
		if len(rows) < 2 || rows[len(rows)-1][1] != itoa(want.TotalSessions) {
			t.Errorf("workbook rows %v, want %d sessions today", rows,
				want.TotalSessions)
		}
	})

	t.Run("ErrBadPeriod", func(t *testing.T) {
		wantError(t, h.get(t, "/api/live-streaming/reports/yearly", owner1),
			http.StatusBadRequest, liveboard.EInvalid)
		wantError(t, h.get(t, "/api/live-streaming/reports/daily?"+
			"format=pdf", owner1), http.StatusBadRequest, liveboard.EInvalid)
		wantError(t, h.get(t, "/api/live-streaming/reports/daily?"+
			"studio_id=2", owner1), http.StatusNotFound, liveboard.ENotFound)
	})
}
