package web

import (
	"testing"
	"time"

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

func TestTimesNameTheirZone(t *testing.T) {
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		r          liveboard.Region
		time, zone string
	}{
		{liveboard.RegionID, "2026-03-10 19:00 WIB", "WIB (UTC+7)"},
		{liveboard.RegionMY, "2026-03-10 20:00 MYT", "MYT (UTC+8)"},
		{liveboard.RegionBR, "2026-03-10 09:00 BRT", "BRT (UTC-3)"},
	}
	for _, tt := range tests {
		if got := localTime(at, tt.r); got != tt.time {
			t.Errorf("localTime in %s = %q, want %q", tt.r, got, tt.time)
		}
		if got := zoneText(tt.r); got != tt.zone {
			t.Errorf("zoneText(%s) = %q, want %q", tt.r, got, tt.zone)
		}
	}
}
