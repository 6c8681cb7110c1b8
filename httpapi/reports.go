package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"liveboard"
)

// report is a studio's figures for one period, next to the period before.
type report struct {
	StudioID int64                `json:"studio_id"`
	Period   liveboard.PeriodKind `json:"period"`
	From     string               `json:"from"`
	To       string               `json:"to"`
	Timezone string               `json:"timezone"`
	Currency string               `json:"currency"`

	Totals   analyticsJSON   `json:"totals"`
	Previous previousJSON    `json:"previous"`
	Change   map[string]any  `json:"change"`
	Daily    []analyticsJSON `json:"daily"`
	Accounts []accountTotals `json:"accounts"`
	Top      []sessionJSON   `json:"top_sessions"`
	days     []liveboard.DailyAnalytics
	region   liveboard.Region
}

type previousJSON struct {
	From   string        `json:"from"`
	To     string        `json:"to"`
	Totals analyticsJSON `json:"totals"`
}

type accountTotals struct {
	AccountID int64           `json:"account_id"`
	UserName  string          `json:"user_name"`
	Sessions  int64           `json:"sessions"`
	Viewers   int64           `json:"total_viewers"`
	Orders    int64           `json:"total_orders"`
	Revenue   liveboard.Money `json:"total_revenue"`
}

type changeJSON struct {
	Delta   float64  `json:"delta"`
	Percent *float64 `json:"percent"`
}

// topSessions is how many sessions a report lists, by revenue.
const topSessions = 5

// getReport answers GET /reports/{period}: the daily, weekly (Monday to
// Sunday) or monthly report of a studio containing date (today in the
// studio's zone by default), compared with the period before it, as JSON,
// CSV or an Excel workbook (format=json|csv|xlsx).
func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}

	q := r.URL.Query()
	date := q.Get("date")
	if date == "" {
		date = liveboard.DateIn(s.cfg.Now(), st.Region.Location())
	}
	period, err := liveboard.PeriodOf(
		liveboard.PeriodKind(r.PathValue("period")), date)
	if err != nil {
		return err
	}

	format := q.Get("format")
	switch format {
	case "", "json", "csv", "xlsx":
	default:
		return liveboard.Errorf(liveboard.EInvalid,
			"format must be json, csv or xlsx, got %q", format)
	}

	rep, err := s.buildReport(ctx, st, period)
	if err != nil {
		return err
	}

	name := fmt.Sprintf("liveboard-%d-%s-%s", st.ID, period.Kind, period.From)
	switch format {
	case "csv":
		return writeFile(w, name+".csv", "text/csv; charset=utf-8",
			rep.csv())
	case "xlsx":
		body, err := rep.xlsx()
		if err != nil {
			return err
		}
		return writeFile(w, name+".xlsx", "application/"+
			"vnd.openxmlformats-officedocument.spreadsheetml.sheet", body)
	}
	s.writeData(w, http.StatusOK, rep)
	return nil
}

func (s *Server) buildReport(ctx context.Context, st *liveboard.Studio,
	p liveboard.Period) (*report, error) {
	days, err := s.cfg.Store.DailyAnalytics(ctx, st.ID, p.From, p.To)
	if err != nil {
		return nil, err
	}
	prev := p.Previous()
	prevDays, err := s.cfg.Store.DailyAnalytics(ctx, st.ID, prev.From,
		prev.To)
	if err != nil {
		return nil, err
	}

	start, end, err := p.Bounds(st.Region.Location())
	if err != nil {
		return nil, err
	}
	sessions, err := s.allSessions(ctx, liveboard.SessionFilter{
		StudioIDs: []int64{st.ID}, StartedFrom: start, StartedBefore: end})
	if err != nil {
		return nil, err
	}

	cur := liveboard.SumAnalytics(st.ID, days)
	old := liveboard.SumAnalytics(st.ID, prevDays)
	rep := &report{
		StudioID: st.ID, Period: p.Kind, From: p.From, To: p.To,
		Timezone: st.Region.Location().String(),
		Currency: st.Region.Currency(),
		Totals:   newAnalyticsJSON(cur),
		Previous: previousJSON{From: prev.From, To: prev.To,
			Totals: newAnalyticsJSON(old)},
		Change:   changes(cur, old),
		Daily:    []analyticsJSON{},
		Accounts: []accountTotals{},
		Top:      []sessionJSON{},
		days:     days,
		region:   st.Region,
	}
	for _, d := range days {
		rep.Daily = append(rep.Daily, newAnalyticsJSON(d))
	}
	if err := s.addSessionParts(ctx, rep, sessions); err != nil {
		return nil, err
	}
	return rep, nil
}

// addSessionParts fills the per-account totals and the top sessions.
func (s *Server) addSessionParts(ctx context.Context, rep *report,
	sessions []liveboard.Session) error {
	accounts := accountCache{store: s.cfg.Store}
	for _, t := range liveboard.TotalsByAccount(sessions) {
		a, err := accounts.get(ctx, t.AccountID)
		if err != nil {
			return err
		}
		rep.Accounts = append(rep.Accounts, accountTotals{
			AccountID: t.AccountID, UserName: a.UserName,
			Sessions: t.Sessions, Viewers: t.Viewers, Orders: t.Orders,
			Revenue: t.Revenue})
	}

	slices.SortStableFunc(sessions, func(a, b liveboard.Session) int {
		return cmp.Compare(revenueOf(b), revenueOf(a))
	})
	for _, se := range sessions[:min(topSessions, len(sessions))] {
		a, err := accounts.get(ctx, se.AccountID)
		if err != nil {
			return err
		}
		rep.Top = append(rep.Top, newSessionJSON(&se, a))
	}
	return nil
}

// revenueOf returns a session's placed GMV, zero when unknown.
func revenueOf(se liveboard.Session) liveboard.Money {
	if se.Metrics.PlacedGMV == nil {
		return 0
	}
	return *se.Metrics.PlacedGMV
}

func changes(cur, old liveboard.DailyAnalytics) map[string]any {
	money := func(m liveboard.Money) float64 {
		return float64(m) / liveboard.MoneyScale
	}
	c := func(a, b float64) changeJSON {
		ch := liveboard.ChangeOf(a, b)
		return changeJSON{Delta: ch.Delta, Percent: ch.Percent}
	}
	return map[string]any{
		"total_sessions": c(float64(cur.TotalSessions),
			float64(old.TotalSessions)),
		"total_viewers": c(float64(cur.TotalViewers),
			float64(old.TotalViewers)),
		"total_orders": c(float64(cur.TotalOrders), float64(old.TotalOrders)),
		"total_revenue": c(money(cur.TotalRevenue),
			money(old.TotalRevenue)),
		"average_order_value": c(money(cur.AverageOrderValue),
			money(old.AverageOrderValue)),
		"conversion_rate": c(cur.ConversionRate, old.ConversionRate),
	}
}

// allSessions returns every session matching f, paging through the store.
func (s *Server) allSessions(ctx context.Context,
	f liveboard.SessionFilter) ([]liveboard.Session, error) {
	var all []liveboard.Session
	for {
		f.Offset = len(all)
		page, total, err := s.cfg.Store.Sessions(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

// reportHeader names the columns of the CSV and workbook exports.
var reportHeader = []string{"date", "total_sessions", "total_viewers",
	"total_orders", "total_revenue", "average_order_value",
	"conversion_rate", "total_ad_spend", "total_commission",
	"roi_percentage"}

// analyticsRow is one row of the exports; the average order value and
// ROI cells are empty where the JSON shows null.
func analyticsRow(date string, d liveboard.DailyAnalytics) []string {
	aov, roi := "", ""
	if d.TotalOrders > 0 {
		aov = d.AverageOrderValue.String()
	}
	if d.TotalAdSpend > 0 {
		roi = strconv.FormatFloat(d.ROIPercentage, 'f', -1, 64)
	}
	return []string{date, strconv.FormatInt(d.TotalSessions, 10),
		strconv.FormatInt(d.TotalViewers, 10),
		strconv.FormatInt(d.TotalOrders, 10), d.TotalRevenue.String(), aov,
		strconv.FormatFloat(d.ConversionRate, 'f', -1, 64),
		d.TotalAdSpend.String(), d.TotalCommission.String(), roi}
}

// rows returns the daily rows and a total row, money as exact decimals in
// major units, as the JSON shows it.
func (rep *report) rows() [][]string {
	out := [][]string{reportHeader}
	for _, d := range rep.days {
		out = append(out, analyticsRow(d.Date, d))
	}
	return append(out, analyticsRow("total",
		liveboard.SumAnalytics(rep.StudioID, rep.days)))
}

func (rep *report) csv() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.WriteAll(rep.rows()) // writes to memory cannot fail
	return buf.Bytes()
}

func (rep *report) xlsx() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()

	sheet := "Daily"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("report workbook: %w", err)
	}
	for i, row := range rep.rows() {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
			if n, err := strconv.ParseFloat(v, 64); err == nil && i > 0 {
				cells[j] = n
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return nil, fmt.Errorf("report workbook: %w", err)
		}
	}

	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("report workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func writeFile(w http.ResponseWriter, name, contentType string,
	body []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition",
		fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}
