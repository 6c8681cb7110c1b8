package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"liveboard"
)

// analyticsData is the analytics page's own data.
type analyticsData struct {
	Days     int
	Choices  []int
	From, To string
	// PrevFrom and PrevTo bound the period before, as long as this one.
	PrevFrom, PrevTo string
	Totals           []totalLine
	Daily            []liveboard.DailyAnalytics
	Chart            chart
}

// totalLine is one total of the period next to the period before.
type totalLine struct {
	Key, Label  string
	Now, Before string
	Change      change
}

// analyticsChoices are the periods the page offers, in days.
var analyticsChoices = []int{7, 14, 30, 90}

// analyticsPage answers GET /analytics: the studio's daily totals for the
// last days (7 by default, today included, in the studio's zone), summed
// and compared with the period of the same length just before.
func (s *Server) analyticsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	page := view{Title: "Analytics", Visit: v}
	if v.studio == nil {
		s.render(w, http.StatusOK, "analytics", page)
		return nil
	}
	days := 7
	if text := r.URL.Query().Get("days"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > 366 {
			return liveboard.Errorf(liveboard.EInvalid,
				"days must be between 1 and 366")
		}
		days = n
	}
	// A period the menu lacks, from a link or a bookmark, joins it.
	choices := analyticsChoices
	if !slices.Contains(choices, days) {
		choices = append(slices.Clone(choices), days)
		slices.Sort(choices)
	}

	st := v.studio
	loc := st.Region.Location()
	today := s.cfg.Now().In(loc)
	day := func(back int) string {
		return liveboard.DateIn(today.AddDate(0, 0, -back), loc)
	}
	data := analyticsData{Days: days, Choices: choices,
		From: day(days - 1), To: day(0),
		PrevFrom: day(2*days - 1), PrevTo: day(days)}

	ctx := r.Context()
	rows, err := s.cfg.Store.DailyAnalytics(ctx, st.ID, data.From, data.To)
	if err != nil {
		return err
	}
	prev, err := s.cfg.Store.DailyAnalytics(ctx, st.ID, data.PrevFrom,
		data.PrevTo)
	if err != nil {
		return err
	}
	data.Daily = rows
	data.Totals = totalLines(liveboard.SumAnalytics(st.ID, rows),
		liveboard.SumAnalytics(st.ID, prev), st.Region)
	if data.Chart, err = gmvChart(rows, st.Region, today); err != nil {
		return err
	}
	page.Data = data
	s.render(w, http.StatusOK, "analytics", page)
	return nil
}

// totalLines compares the totals of two periods.
func totalLines(now, before liveboard.DailyAnalytics,
	region liveboard.Region) []totalLine {
	money := func(m liveboard.Money) string { return region.FormatMoney(m) }
	n := region.FormatCount
	line := func(key, label, nowText, beforeText string, nowV,
		beforeV float64) totalLine {
		return totalLine{Key: key, Label: label, Now: nowText,
			Before: beforeText, Change: compare(nowV, beforeV)}
	}
	return []totalLine{
		line("sessions", "Sessions", n(now.TotalSessions),
			n(before.TotalSessions), float64(now.TotalSessions),
			float64(before.TotalSessions)),
		line("gmv", "GMV", money(now.TotalRevenue),
			money(before.TotalRevenue), float64(now.TotalRevenue),
			float64(before.TotalRevenue)),
		line("orders", "Orders", n(now.TotalOrders), n(before.TotalOrders),
			float64(now.TotalOrders), float64(before.TotalOrders)),
		line("viewers", "Viewers", n(now.TotalViewers),
			n(before.TotalViewers), float64(now.TotalViewers),
			float64(before.TotalViewers)),
		line("aov", "Average order value", money(now.AverageOrderValue),
			money(before.AverageOrderValue),
			float64(now.AverageOrderValue),
			float64(before.AverageOrderValue)),
		line("conversion", "Conversion (orders per viewer)",
			percent(now.ConversionRate), percent(before.ConversionRate),
			now.ConversionRate, before.ConversionRate),
	}
}

// gmvChart draws the period's GMV day by day, days without sessions as
// zero.
func gmvChart(rows []liveboard.DailyAnalytics, region liveboard.Region,
	today time.Time) (chart, error) {
	byDate := map[string]liveboard.Money{}
	for _, d := range rows {
		byDate[d.Date] = d.TotalRevenue
	}
	loc := region.Location()
	n := len(rows)
	var labels []string
	var values []float64
	if n > 0 {
		first, _ := time.ParseInLocation(time.DateOnly, rows[0].Date, loc)
		for t := first; !t.After(today); t = t.AddDate(0, 0, 1) {
			date := liveboard.DateIn(t, loc)
			labels = append(labels, date[5:])
			values = append(values, float64(byDate[date].Major()))
		}
	}
	summary := "no sessions in the period"
	if n > 0 {
		best := rows[0]
		for _, d := range rows {
			if d.TotalRevenue > best.TotalRevenue {
				best = d
			}
		}
		summary = "the best day was " + best.Date + " with " +
			region.FormatMoney(best.TotalRevenue)
	}
	return lineChart("chart-daily-gmv", "GMV by day", summary, labels,
		values, func(v float64) string {
			return region.FormatMoneyShort(liveboard.MoneyFromMajor(
				int64(math.Round(v))))
		})
}
