package liveboard_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

var t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// series returns snapshots 30 s apart from t0 with the given viewers now
// and placed orders; a negative value is unknown.
func series(viewers, orders []int64) []liveboard.Snapshot {
	out := make([]liveboard.Snapshot, len(viewers))
	for i := range viewers {
		out[i].TakenAt = t0.Add(time.Duration(i) * 30 * time.Second)
		if viewers[i] >= 0 {
			out[i].Metrics.ViewersNow = liveboard.Ptr(viewers[i])
		}
		if orders != nil && orders[i] >= 0 {
			out[i].Metrics.PlacedOrders = liveboard.Ptr(orders[i])
		}
	}
	return out
}

func TestCheckDrop(t *testing.T) {
	rule := liveboard.DefaultAlertRules(1).ViewerDrop
	tests := []struct {
		name    string
		viewers []int64
		fires   bool
		level   int64
	}{
		{"HalvedFires", []int64{1000, 1010, 990, 760, 505}, true, 1010},
		{"NoiseQuiet", []int64{1000, 1040, 980, 1020, 950}, false, 0},
		{"UnknownNowNeverDrops", []int64{1000, 1000, 1000, -1}, false, 0},
		{"UnknownLevelsIgnored", []int64{-1, -1, 1000, 650}, true, 1000},
		{"OnlyUnknownBefore", []int64{-1, -1, 600}, false, 0},
		{"SmallAudienceIgnored", []int64{40, 40, 10}, false, 0},
		// Ten snapshots of 30 s: the 1000 is older than the 5 minute
		// window.
		{"OldLevelOutsideWindow", []int64{1000, 600, 600, 600, 600, 600,
			600, 600, 600, 600, 600, 500}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := series(tt.viewers, nil)
			cur := s[len(s)-1]
			ev, fires := rule.CheckDrop(s[:len(s)-1], cur)
			if fires != tt.fires {
				t.Fatalf("fires = %t, want %t (%+v)", fires, tt.fires, ev)
			}
			if fires && (*ev.Level != tt.level ||
				*ev.Viewers != *cur.Metrics.ViewersNow ||
				!ev.ViewersAt.Equal(cur.TakenAt)) {
				t.Errorf("evidence %+v, want level %d", ev, tt.level)
			}
		})
	}

	t.Run("EvidenceNumbers", func(t *testing.T) {
		s := series([]int64{1200, 1180, 600}, nil)
		ev, _ := rule.CheckDrop(s[:2], s[2])
		want := liveboard.Evidence{
			Level: liveboard.Ptr[int64](1200), LevelAt: &s[0].TakenAt,
			Viewers: liveboard.Ptr[int64](600), ViewersAt: &s[2].TakenAt,
			DropPercent: liveboard.Ptr(50.0), Window: 5 * time.Minute,
		}
		if diff := cmp.Diff(want, ev); diff != "" {
			t.Errorf("evidence (-want +got):\n%s", diff)
		}
	})
}

func TestCheckNoOrders(t *testing.T) {
	rule := liveboard.NoOrdersRule{Enabled: true, Window: 2 * time.Minute,
		MinViewers: 100}
	tests := []struct {
		name    string
		viewers []int64
		orders  []int64
		fires   bool
	}{
		{"QuietFires", []int64{300, 300, 300, 300, 300},
			[]int64{7, 7, 7, 7, 7}, true},
		{"OrderWithinWindow", []int64{300, 300, 300, 300, 300},
			[]int64{7, 7, 7, 8, 8}, false},
		{"TooShort", []int64{300, 300, 300, 300}, []int64{7, 7, 7, 7},
			false},
		{"FewViewersInWindow", []int64{300, 300, 80, 300, 300},
			[]int64{7, 7, 7, 7, 7}, false},
		{"FewViewersBeforeWindowDoNotMatter", []int64{50, 300, 300, 300,
			300, 300}, []int64{7, 7, 7, 7, 7, 7}, true},
		{"UnknownOrdersDoNotCover", []int64{300, 300, 300, 300, 300},
			[]int64{-1, -1, 7, 7, 7}, false},
		{"UnknownNow", []int64{300, 300, 300, 300, 300},
			[]int64{7, 7, 7, 7, -1}, false},
		{"UnknownInBetweenIgnored", []int64{300, -1, 300, 300, 300},
			[]int64{7, -1, 7, -1, 7}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := series(tt.viewers, tt.orders)
			ev, fires := rule.CheckNoOrders(s[:len(s)-1], s[len(s)-1])
			if fires != tt.fires {
				t.Fatalf("fires = %t, want %t (%+v)", fires, tt.fires, ev)
			}
			if fires && (*ev.Orders != 7 || ev.OrdersSince == nil) {
				t.Errorf("evidence %+v", ev)
			}
		})
	}
}

func TestCheckEarlyEnd(t *testing.T) {
	rule := liveboard.DefaultAlertRules(1).EarlyEnd
	hours := func(hs ...float64) []time.Duration {
		var out []time.Duration
		for _, h := range hs {
			out = append(out, time.Duration(h*float64(time.Hour)))
		}
		return out
	}
	tests := []struct {
		name   string
		ran    time.Duration
		recent []time.Duration
		fires  bool
	}{
		{"HalfOfUsual", 50 * time.Minute, hours(2, 2, 3, 1), true},
		{"Usual", 100 * time.Minute, hours(2, 2, 3, 1), false},
		{"VeryShortWithoutHistory", 10 * time.Minute, nil, true},
		{"ShortWithoutHistory", 50 * time.Minute, hours(3, 3), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, fires := rule.CheckEarlyEnd(tt.ran, tt.recent)
			if fires != tt.fires || ev.Duration != tt.ran {
				t.Errorf("fires = %t (%+v), want %t", fires, ev, tt.fires)
			}
		})
	}
}

func TestAlertRulesValidate(t *testing.T) {
	ok := liveboard.DefaultAlertRules(1)
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	bad := ok
	bad.NoOrders.Window = 0
	if code := liveboard.ErrorCode(bad.Validate()); code != liveboard.EInvalid {
		t.Errorf("zero window: code %q", code)
	}
}

func TestTopProducts(t *testing.T) {
	ps := []liveboard.Product{
		{ItemID: 3, Revenue: liveboard.Ptr(liveboard.Money(5))},
		{ItemID: 1},
		{ItemID: 2, Revenue: liveboard.Ptr(liveboard.Money(5)),
			Orders: liveboard.Ptr[int64](2)},
		{ItemID: 4, Clicks: liveboard.Ptr[int64](9)},
	}
	var got []int64
	for _, p := range liveboard.TopProducts(ps, 3) {
		got = append(got, p.ItemID)
	}
	if diff := cmp.Diff([]int64{2, 3, 4}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
