package web

import (
	"testing"

	"liveboard"
)

// TestWallMetricsGrouped checks the live wall's numbers, on the page and
// in its events, are grouped as the region groups its money.
func TestWallMetricsGrouped(t *testing.T) {
	m := liveboard.Metrics{ViewersNow: liveboard.Ptr(int64(58_675)),
		Likes:     liveboard.Ptr(int64(2_042_807)),
		PlacedGMV: liveboard.Ptr(liveboard.MoneyFromMajor(43_251_600))}
	want := map[string]string{"viewers_now": "58.675",
		"likes": "2.042.807", "gmv": "Rp 43.251.600", "orders": "–"}
	for _, wm := range wallMetrics(m, liveboard.RegionID) {
		if w, ok := want[wm.Key]; ok && wm.Text != w {
			t.Errorf("%s = %q, want %q", wm.Key, wm.Text, w)
		}
	}
	for _, wm := range wallMetrics(m, liveboard.RegionMY) {
		if wm.Key == "likes" && wm.Text != "2,042,807" {
			t.Errorf("likes in Malaysia = %q, want 2,042,807", wm.Text)
		}
	}
}
