package httpapi_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

// analyticsOut is a LiveAnalytics row as the API writes it.
type analyticsOut struct {
	StudioID          int64       `json:"studio_id"`
	Date              string      `json:"date"`
	TotalSessions     int64       `json:"total_sessions"`
	TotalRevenue      json.Number `json:"total_revenue"`
	TotalViewers      int64       `json:"total_viewers"`
	TotalOrders       int64       `json:"total_orders"`
	AverageOrderValue json.Number `json:"average_order_value"`
	ConversionRate    json.Number `json:"conversion_rate"`
	ROIPercentage     json.Number `json:"roi_percentage"`
	TotalAdSpend      json.Number `json:"total_ad_spend"`
	TotalCommission   json.Number `json:"total_commission"`
}

type summaryOut struct {
	StudioID int64          `json:"studio_id"`
	Days     int            `json:"days"`
	From     string         `json:"from"`
	To       string         `json:"to"`
	Timezone string         `json:"timezone"`
	Currency string         `json:"currency"`
	Totals   analyticsOut   `json:"totals"`
	Daily    []analyticsOut `json:"daily"`
}

// dayTotals are the sums of a set of sessions, kept exact.
type dayTotals struct {
	date       string
	sessions   int64
	viewers    int64
	orders     int64
	revenue    liveboard.Money
	adSpend    liveboard.Money
	commission liveboard.Money
}

// row writes the totals as the API should, deriving the ratios: null
// (an empty number) for the average order value without orders and for
// the ROI without ad spend.
func (d dayTotals) row(studioID int64) analyticsOut {
	var aov, roi json.Number
	if d.orders > 0 {
		aov = number(liveboard.Money(roundedDiv(int64(d.revenue),
			d.orders)).String())
	}
	conversion := 0.0
	if d.viewers > 0 {
		conversion = math.Round(float64(d.orders)/
			float64(d.viewers)*1e6) / 1e6
	}
	if d.adSpend > 0 {
		profit := d.revenue - d.adSpend - d.commission
		roi = floatNumber(math.Round(float64(profit)/
			float64(d.adSpend)*100*1e6) / 1e6)
	}
	return analyticsOut{
		StudioID: studioID, Date: d.date, TotalSessions: d.sessions,
		TotalRevenue: number(d.revenue.String()), TotalViewers: d.viewers,
		TotalOrders:       d.orders,
		AverageOrderValue: aov,
		ConversionRate:    floatNumber(conversion),
		ROIPercentage:     roi,
		TotalAdSpend:      number(d.adSpend.String()),
		TotalCommission:   number(d.commission.String()),
	}
}

func (d *dayTotals) add(o dayTotals) {
	d.sessions += o.sessions
	d.viewers += o.viewers
	d.orders += o.orders
	d.revenue += o.revenue
	d.adSpend += o.adSpend
	d.commission += o.commission
}

// roundedDiv returns a/b, for a ≥ 0 and b > 0, rounded half up.
func roundedDiv(a, b int64) int64 {
	q, r := a/b, a%b
	if 2*r >= b {
		q++
	}
	return q
}

func number(s string) json.Number { return json.Number(s) }

func floatNumber(f float64) json.Number {
	b, _ := json.Marshal(f)
	return json.Number(b)
}

// expectDays sums the stored sessions into one dayTotals per day in loc
// on which at least one started, oldest first.
func expectDays(t *testing.T, sessions []sessionOut, loc *time.Location,
	commissionBP int64) []dayTotals {
	t.Helper()
	byDate := map[string]*dayTotals{}
	for _, s := range sessions {
		start, err := time.Parse(time.RFC3339, s.StartedAt)
		if err != nil {
			t.Fatalf("session %s: started_at: %v", s.SessionID, err)
		}
		date := start.In(loc).Format(time.DateOnly)
		d := byDate[date]
		if d == nil {
			d = &dayTotals{date: date}
			byDate[date] = d
		}
		d.sessions++
		d.viewers += count(s.TotalViewers)
		d.orders += count(s.TotalOrders)
		d.revenue += money(t, amount(s.TotalRevenue))
		// Ad spend comes from the accounts' daily spend, never from
		// sessions' campaign_spent; these tests store none.
	}

	var days []dayTotals
	for _, d := range byDate {
		d.commission = liveboard.Money(roundedDiv(
			int64(d.revenue)*commissionBP, 10_000))
		days = append(days, *d)
	}
	slices.SortFunc(days, func(a, b dayTotals) int {
		return strings.Compare(a.date, b.date)
	})
	return days
}

func money(t *testing.T, s string) liveboard.Money {
	t.Helper()
	m, err := liveboard.ParseMoney(s)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return m
}

// expectSummary is the summary of the last days days up to now.
func expectSummary(t *testing.T, studio liveboard.Studio,
	sessions []sessionOut, now time.Time, days int) summaryOut {
	t.Helper()
	loc := studio.Region.Location()
	to := now.In(loc).Format(time.DateOnly)
	from := now.In(loc).AddDate(0, 0, 1-days).Format(time.DateOnly)

	want := summaryOut{StudioID: studio.ID, Days: days, From: from, To: to,
		Timezone: loc.String(), Currency: studio.Region.Currency(),
		Daily: []analyticsOut{}}
	var total dayTotals
	for _, d := range expectDays(t, sessions, loc,
		studio.CommissionBasisPoints) {
		if d.date < from || d.date > to {
			continue
		}
		want.Daily = append(want.Daily, d.row(studio.ID))
		total.add(d)
	}
	want.Totals = total.row(studio.ID)
	return want
}

// testAnalyticsSummary checks the summary against sums of the stored
// sessions, made here day by day in the studio's zone.
func testAnalyticsSummary(t *testing.T, h *harness) {
	tests := []struct {
		name   string
		as     who
		studio liveboard.Studio
		query  url.Values
		days   int
	}{
		{"30 days by default", owner1, h.studio1, url.Values{}, 30},
		{"3 days", viewer1, h.studio1, url.Values{
			"studio_id": {itoa(h.studio1.ID)}, "days": {"3"}}, 3},
		{"today only", owner1, h.studio1, url.Values{"days": {"1"}}, 1},
		{"a studio in Malaysia", member2, h.studio2, url.Values{}, 30},
		{"an admin naming the studio", instanceAdmin, h.studio1,
			url.Values{"studio_id": {itoa(h.studio1.ID)},
				"days": {"366"}}, 366},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sessions := h.listSessions(t, instanceAdmin, url.Values{
				"studio_id": {itoa(tt.studio.ID)},
				"page_size": {"500"}}).Sessions
			want := expectSummary(t, tt.studio, sessions,
				h.clock.Now(), tt.days)
			if len(want.Daily) == 0 {
				t.Fatal("no sessions in the range: nothing to check")
			}

			res := h.get(t, analyticsPath+"?"+tt.query.Encode(), tt.as)
			got := dataOf[summaryOut](t, res, http.StatusOK)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("summary differs from the sessions' sums "+
					"(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("a caller of two studios must name one", func(t *testing.T) {
		res := h.get(t, analyticsPath, instanceAdmin)
		wantError(t, res, http.StatusBadRequest, liveboard.EInvalid)
	})
}
