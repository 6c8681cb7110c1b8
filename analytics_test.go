package liveboard

import "testing"

// TestSumAnalyticsROI checks that a period's ROI counts only the days
// with ad spend, while its other totals count every day.
func TestSumAnalyticsROI(t *testing.T) {
	rp := func(n int64) Money { return MoneyFromMajor(n) }
	days := []DailyAnalytics{
		{Date: "2026-11-01", TotalSessions: 2, TotalRevenue: rp(9_000_000),
			TotalCommission: rp(450_000)},
		{Date: "2026-11-02", TotalSessions: 1, TotalRevenue: rp(1_000_000),
			TotalCommission: rp(50_000), TotalAdSpend: rp(200_000)},
		{Date: "2026-11-03", TotalSessions: 1, TotalRevenue: rp(500_000),
			TotalCommission: rp(25_000), TotalAdSpend: rp(100_000)},
	}
	sum := SumAnalytics(1, days)

	if sum.TotalSessions != 4 || sum.TotalRevenue != rp(10_500_000) ||
		sum.TotalAdSpend != rp(300_000) {
		t.Errorf("totals %+v", sum)
	}
	// (1,500,000 − 300,000 − 75,000) / 300,000 × 100
	if sum.ROIPercentage != 375 {
		t.Errorf("ROI %v%%, want 375%% over the days with spend",
			sum.ROIPercentage)
	}

	none := SumAnalytics(1, days[:1])
	if none.ROIPercentage != 0 || none.TotalAdSpend != 0 {
		t.Errorf("period without spend: %+v", none)
	}
}
