package liveboard

import (
	"time"
)

// PeriodKind is the length of a report's period.
type PeriodKind string

// The report periods. Weeks run Monday to Sunday.
const (
	PeriodDaily   PeriodKind = "daily"
	PeriodWeekly  PeriodKind = "weekly"
	PeriodMonthly PeriodKind = "monthly"
)

// Period is a run of whole days, From to To inclusive, as YYYY-MM-DD.
type Period struct {
	Kind PeriodKind
	From string
	To   string
}

// PeriodOf returns the period of kind that contains date (YYYY-MM-DD).
func PeriodOf(kind PeriodKind, date string) (Period, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return Period{}, Errorf(EInvalid, "date %q is not YYYY-MM-DD", date)
	}
	if d.Year() < 2000 || d.Year() > 2099 {
		return Period{}, Errorf(EInvalid, "date %q is out of range "+
			"(2000 to 2099)", date)
	}

	var from, to time.Time
	switch kind {
	case PeriodDaily:
		from, to = d, d
	case PeriodWeekly:
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		from = d.AddDate(0, 0, -back)
		to = from.AddDate(0, 0, 6)
	case PeriodMonthly:
		from = time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(0, 1, -1)
	default:
		return Period{}, Errorf(EInvalid, "unknown period %q "+
			"(want daily, weekly or monthly)", kind)
	}
	return Period{Kind: kind, From: from.Format(time.DateOnly),
		To: to.Format(time.DateOnly)}, nil
}

// Previous returns the period of the same kind just before p.
func (p Period) Previous() Period {
	from, _ := time.Parse(time.DateOnly, p.From)
	prev, _ := PeriodOf(p.Kind, from.AddDate(0, 0, -1).Format(time.DateOnly))
	return prev
}

// Days returns how many days the period covers.
func (p Period) Days() int {
	from, _ := time.Parse(time.DateOnly, p.From)
	to, _ := time.Parse(time.DateOnly, p.To)
	return int(to.Sub(from).Hours()/24) + 1
}

// Bounds returns the period's first instant and the first instant after
// it, in UTC, for days in loc.
func (p Period) Bounds(loc *time.Location) (start, end time.Time, err error) {
	start, _, err = DayBounds(p.From, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	_, end, err = DayBounds(p.To, loc)
	return start, end, err
}

// Change is how a figure moved against the previous period: the
// difference, and the relative change in percent (nil when the previous
// figure was zero, where a percentage means nothing).
type Change struct {
	Delta   float64
	Percent *float64
}

// ChangeOf compares cur with prev.
func ChangeOf(cur, prev float64) Change {
	c := Change{Delta: round6(cur - prev)}
	if prev != 0 {
		p := round6((cur - prev) / prev * 100)
		c.Percent = &p
	}
	return c
}

// AccountTotals sums one account's sessions in a period.
type AccountTotals struct {
	AccountID int64
	Sessions  int64
	Viewers   int64
	Orders    int64
	Revenue   Money
}

// TotalsByAccount sums sessions per account, in the order accounts first
// appear in sessions.
func TotalsByAccount(sessions []Session) []AccountTotals {
	index := map[int64]int{}
	var out []AccountTotals
	for _, se := range sessions {
		i, ok := index[se.AccountID]
		if !ok {
			i = len(out)
			index[se.AccountID] = i
			out = append(out, AccountTotals{AccountID: se.AccountID})
		}
		t := &out[i]
		t.Sessions++
		t.Viewers += value(se.Metrics.Viewers)
		t.Orders += value(se.Metrics.PlacedOrders)
		t.Revenue += value(se.Metrics.PlacedGMV)
	}
	return out
}
