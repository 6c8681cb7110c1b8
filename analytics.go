package liveboard

import (
	"math"
	"time"
)

// DateIn returns the calendar day of t in loc, as YYYY-MM-DD.
func DateIn(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}

// DayBounds returns the first instant of date in loc and the first instant
// of the next day, in UTC. Days are not always 24 hours long.
func DayBounds(date string, loc *time.Location) (start, end time.Time, err error) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, time.Time{},
			Errorf(EInvalid, "date %q is not YYYY-MM-DD", date)
	}
	return d.UTC(), d.AddDate(0, 0, 1).UTC(), nil
}

// AdSpend is what one account's live-stream ads spent on one day, as
// Shopee last reported it: the day's running total, which only grows
// while the day lasts.
type AdSpend struct {
	AccountID int64
	// Date is the day, YYYY-MM-DD, in the account's region time zone:
	// Shopee's "today" for the account.
	Date  string
	Spend Money
	// UpdatedAt is when Shopee reported Spend.
	UpdatedAt time.Time
}

// SummarizeDay computes a studio's analytics for one day from the sessions
// that started on it, in the studio's time zone, and adSpend, what the
// studio's accounts spent on ads that day. Ad spend comes only from
// adSpend: sessions' CampaignSpent is not counted, so that no spend is
// counted twice. Unknown metrics count as nothing. Money sums are exact;
// the ratios are derived from them.
func SummarizeDay(st *Studio, date string, sessions []Session,
	adSpend Money) DailyAnalytics {
	d := DailyAnalytics{StudioID: st.ID, Date: date,
		TotalSessions: int64(len(sessions)), TotalAdSpend: adSpend}

	for _, se := range sessions {
		m := se.Metrics
		d.TotalViewers += value(m.Viewers)
		d.TotalOrders += value(m.PlacedOrders)
		d.TotalRevenue += value(m.PlacedGMV)
	}

	d.TotalCommission, _ = d.TotalRevenue.MulDiv(st.CommissionBasisPoints,
		10_000)
	d.deriveRatios()
	return d
}

// SumAnalytics adds up a studio's daily rows into one row covering them
// all, its ratios derived from the sums. Date is left empty. The ROI of
// the whole counts only the days with ad spend: a day without any is
// most often one before spend was recorded, and its revenue would make
// the spend look far better than it was.
func SumAnalytics(studioID int64, days []DailyAnalytics) DailyAnalytics {
	sum := DailyAnalytics{StudioID: studioID}
	var spentRevenue, spentCommission Money
	for _, d := range days {
		sum.TotalSessions += d.TotalSessions
		sum.TotalViewers += d.TotalViewers
		sum.TotalOrders += d.TotalOrders
		sum.TotalRevenue += d.TotalRevenue
		sum.TotalAdSpend += d.TotalAdSpend
		sum.TotalCommission += d.TotalCommission
		if d.TotalAdSpend > 0 {
			spentRevenue += d.TotalRevenue
			spentCommission += d.TotalCommission
		}
	}
	sum.deriveRatios()
	sum.ROIPercentage, _ = ROI(spentRevenue, sum.TotalAdSpend,
		spentCommission)
	return sum
}

// deriveRatios sets the average order value, conversion rate and ROI from
// the totals.
func (d *DailyAnalytics) deriveRatios() {
	d.AverageOrderValue, d.ConversionRate, d.ROIPercentage = 0, 0, 0
	if d.TotalOrders > 0 {
		d.AverageOrderValue, _ = d.TotalRevenue.MulDiv(1, d.TotalOrders)
	}
	if d.TotalViewers > 0 {
		d.ConversionRate = round6(float64(d.TotalOrders) /
			float64(d.TotalViewers))
	}
	d.ROIPercentage, _ = ROI(d.TotalRevenue, d.TotalAdSpend,
		d.TotalCommission)
}

func value[T ~int64](p *T) T {
	if p == nil {
		return 0
	}
	return *p
}

// round6 rounds to six decimal places, so that ratios read the same on
// every engine and in every response.
func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }
