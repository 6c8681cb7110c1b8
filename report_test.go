package liveboard

import "testing"

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		kind           PeriodKind
		date           string
		from, to       string
		prevFrom, prev string
		days           int
	}{
		{PeriodDaily, "2026-11-20", "2026-11-20", "2026-11-20",
			"2026-11-19", "2026-11-19", 1},
		// 2026-11-20 is a Friday; weeks start on Monday.
		{PeriodWeekly, "2026-11-20", "2026-11-16", "2026-11-22",
			"2026-11-09", "2026-11-15", 7},
		{PeriodWeekly, "2026-11-16", "2026-11-16", "2026-11-22",
			"2026-11-09", "2026-11-15", 7},
		{PeriodWeekly, "2026-11-22", "2026-11-16", "2026-11-22",
			"2026-11-09", "2026-11-15", 7},
		{PeriodMonthly, "2026-03-31", "2026-03-01", "2026-03-31",
			"2026-02-01", "2026-02-28", 31},
		{PeriodMonthly, "2028-02-10", "2028-02-01", "2028-02-29",
			"2028-01-01", "2028-01-31", 29},
	}
	for _, tt := range tests {
		p, err := PeriodOf(tt.kind, tt.date)
		if err != nil {
			t.Fatal(err)
		}
		prev := p.Previous()
		if p.From != tt.from || p.To != tt.to || p.Days() != tt.days ||
			prev.From != tt.prevFrom || prev.To != tt.prev {
			t.Errorf("%s %s: %+v (prev %+v), want %s..%s prev %s..%s",
				tt.kind, tt.date, p, prev, tt.from, tt.to, tt.prevFrom,
				tt.prev)
		}
	}

	for _, bad := range []struct {
		kind PeriodKind
		date string
	}{{"yearly", "2026-01-01"}, {PeriodDaily, "01/02/2026"},
		{PeriodWeekly, "9999-12-31"}, {PeriodMonthly, "0001-01-01"}} {
		if _, err := PeriodOf(bad.kind, bad.date); ErrorCode(err) != EInvalid {
			t.Errorf("PeriodOf(%q, %q) error %v, want EInvalid", bad.kind,
				bad.date, err)
		}
	}
}

func TestChangeOf(t *testing.T) {
	c := ChangeOf(150, 100)
	if c.Delta != 50 || c.Percent == nil || *c.Percent != 50 {
		t.Errorf("ChangeOf(150, 100) = %+v", c)
	}
	if c := ChangeOf(5, 0); c.Percent != nil || c.Delta != 5 {
		t.Errorf("ChangeOf(5, 0) = %+v, want no percent", c)
	}
}
