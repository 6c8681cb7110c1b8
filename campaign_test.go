package liveboard_test

import (
	"strings"
	"testing"

	"liveboard"
)

func rp(n int64) *liveboard.Money {
	return liveboard.Ptr(liveboard.MoneyFromMajor(n))
}

func TestROI(t *testing.T) {
	tests := []struct {
		name                      string
		revenue, spend, commision liveboard.Money
		want                      float64
		ok                        bool
	}{
		{"profit", 300_000, 100_000, 20_000, 180, true},
		{"loss", 50_000, 100_000, 0, -50, true},
		{"break even", 110_000, 100_000, 10_000, 0, true},
		// 1/3 of a unit over three units: exact money, rounded ratio.
		{"rounded", 4, 3, 0, 33.333333, true},
		{"no spend", 500_000, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := liveboard.ROI(tt.revenue, tt.spend, tt.commision)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ROI = %v, %t; want %v, %t", got, ok, tt.want,
					tt.ok)
			}
		})
	}
}

func TestCommission(t *testing.T) {
	// 5% of Rp 1.234.567,89 is Rp 61.728,3945 exactly.
	got := liveboard.Commission(123_456_789_000, 500)
	if want := liveboard.Money(6_172_839_450); got != want {
		t.Errorf("Commission = %v, want %v", got, want)
	}
}

// TestReviewCampaign checks each suggestion rule in order, with a 10%
// commission, a floor of 0% and a minimum spend of Rp 50.000.
func TestReviewCampaign(t *testing.T) {
	set := liveboard.DefaultAutoPause(1, liveboard.RegionID)
	if set.Enabled || set.ROIFloorPercent != 0 ||
		set.MinSpend != liveboard.MoneyFromMajor(50_000) {
		t.Fatalf("defaults = %+v", set)
	}
	ongoing := func(budget, spend, revenue *liveboard.Money) liveboard.
		CampaignFigures {
		return liveboard.CampaignFigures{CampaignID: 7, State: "ongoing",
			DailyBudget: budget, Spend: spend, Revenue: revenue}
	}
	paused := ongoing(rp(100_000), rp(80_000), rp(10_000))
	paused.State = "paused"

	tests := []struct {
		name    string
		c       liveboard.CampaignFigures
		kind    liveboard.SuggestionKind
		roi     *float64
		comm    *liveboard.Money
		inWords string
	}{
		{"unknown revenue", ongoing(rp(100_000), rp(80_000), nil),
			liveboard.SuggestNone, nil, nil, "did not report"},
		{"unknown spend", ongoing(rp(100_000), nil, rp(10_000)),
			liveboard.SuggestNone, nil, rp(1_000), "did not report"},
		{"nothing spent", ongoing(rp(100_000), rp(0), rp(0)),
			liveboard.SuggestNone, nil, rp(0), "nothing spent"},
		// (10.000 − 80.000 − 1.000) / 80.000 = −88.75%
		{"paused already", paused, liveboard.SuggestNone,
			liveboard.Ptr(-88.75), rp(1_000), "is paused"},
		// (10.000 − 40.000 − 1.000) / 40.000 = −77.5%, but too early
		{"below min spend", ongoing(rp(100_000), rp(40_000), rp(10_000)),
			liveboard.SuggestNone, liveboard.Ptr(-77.5), rp(1_000),
			"Rp 40.000 spent, less than the Rp 50.000"},
		{"below floor", ongoing(rp(100_000), rp(80_000), rp(10_000)),
			liveboard.SuggestPause, liveboard.Ptr(-88.75), rp(1_000),
			"ROI -88.75% is below the floor of 0% after Rp 80.000 spent " +
				"for Rp 10.000 revenue"},
		// (300.000 − 95.000 − 30.000) / 95.000 = 184.210526%
		{"raise budget", ongoing(rp(100_000), rp(95_000), rp(300_000)),
			liveboard.SuggestRaiseBudget, liveboard.Ptr(184.210526),
			rp(30_000), "Rp 95.000 of the Rp 100.000 daily budget"},
		// Same ROI with half the budget left: fine as it is.
		{"above floor", ongoing(rp(190_000), rp(95_000), rp(300_000)),
			liveboard.SuggestNone, liveboard.Ptr(184.210526), rp(30_000),
			"above the floor"},
		{"unknown budget", ongoing(nil, rp(95_000), rp(300_000)),
			liveboard.SuggestNone, liveboard.Ptr(184.210526), rp(30_000),
			"above the floor"},
		// (100.000 − 80.000 − 10.000) / 80.000 = 12.5%
		{"watch", ongoing(rp(100_000), rp(80_000), rp(100_000)),
			liveboard.SuggestWatch, liveboard.Ptr(12.5), rp(10_000),
			"ROI 12.5% is less than 25 points above"},
		// (110.000 − 100.000 − 11.000) / 100.000 = −1%, just below.
		{"just below", ongoing(rp(100_000), rp(100_000), rp(110_000)),
			liveboard.SuggestPause, liveboard.Ptr(-1.0), rp(11_000),
			"below the floor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := liveboard.ReviewCampaign(tt.c, 1_000, set,
				liveboard.RegionID)
			if r.Suggestion != tt.kind {
				t.Errorf("suggestion = %s, want %s (%s)", r.Suggestion,
					tt.kind, r.Reason)
			}
			if !samePtr(r.ROI, tt.roi) {
				t.Errorf("ROI = %v, want %v", show(r.ROI), show(tt.roi))
			}
			if !samePtr(r.Commission, tt.comm) {
				t.Errorf("commission = %v, want %v", show(r.Commission),
					show(tt.comm))
			}
			if !strings.Contains(r.Reason, tt.inWords) {
				t.Errorf("reason %q does not say %q", r.Reason, tt.inWords)
			}
		})
	}
}

func TestReviewCampaignFloor(t *testing.T) {
	set := liveboard.DefaultAutoPause(1, liveboard.RegionID)
	set.ROIFloorPercent = 50
	// (150.000 − 100.000) / 100.000 = 50%: at the floor is not below.
	c := liveboard.CampaignFigures{State: "ongoing",
		Spend: rp(100_000), Revenue: rp(150_000)}
	if r := liveboard.ReviewCampaign(c, 0, set, liveboard.RegionID); r.
		Suggestion != liveboard.SuggestWatch {
		t.Errorf("at the floor: %s (%s), want watch", r.Suggestion,
			r.Reason)
	}
	c.Revenue = rp(149_999)
	if r := liveboard.ReviewCampaign(c, 0, set, liveboard.RegionID); r.
		Suggestion != liveboard.SuggestPause {
		t.Errorf("below the floor: %s (%s), want pause", r.Suggestion,
			r.Reason)
	}
}

func TestAutoPauseValidate(t *testing.T) {
	ok := liveboard.DefaultAutoPause(1, liveboard.RegionMY)
	if ok.MinSpend != liveboard.MoneyFromMajor(15) {
		t.Errorf("Malaysian min spend = %v, want RM 15", ok.MinSpend)
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	bad := ok
	bad.MinSpend = -1
	if liveboard.ErrorCode(bad.Validate()) != liveboard.EInvalid {
		t.Error("a negative min spend is accepted")
	}
	bad = ok
	bad.ROIFloorPercent = -5000
	if liveboard.ErrorCode(bad.Validate()) != liveboard.EInvalid {
		t.Error("a floor of -5000% is accepted")
	}
}

func samePtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func show[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}
