package metrics_test

import (
	"testing"
	"time"

	"liveboard/metrics"
	"liveboard/shopee"
)

// The metrics are what the Shopee client reports to.
var (
	_ shopee.Observer        = (*metrics.Metrics)(nil)
	_ shopee.RetryObserver   = (*metrics.Metrics)(nil)
	_ shopee.BreakerObserver = (*metrics.Metrics)(nil)
)

// value returns the value of the metric name whose labels include
// labels, or -1 when there is none.
func value(t *testing.T, m *metrics.Metrics, name string,
	labels map[string]string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metric:
		for _, mt := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range mt.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metric
				}
			}
			if c := mt.GetCounter(); c != nil {
				return c.GetValue()
			}
			return mt.GetGauge().GetValue()
		}
	}
	return -1
}

func TestRetriesAndBreakers(t *testing.T) {
	m := metrics.New()
	m.ObserveRetry("overview", "unavailable", time.Second)
	m.ObserveRetry("overview", "unavailable", time.Second)
	m.ObserveRetry("sessionList", "rate_limited", time.Second)
	m.ObserveBreaker("creator.shopee.co.id", "open")
	m.ObserveBreaker("live.shopee.co.id", "open")
	m.ObserveBreaker("live.shopee.co.id", "half_open")
	m.ObserveBreaker("seller.shopee.co.id", "closed")

	const retries = "liveboard_upstream_retries_total"
	const breaker = "liveboard_upstream_breaker_open"
	tests := []struct {
		name   string
		metric string
		labels map[string]string
		want   float64
	}{
		{"overview retries", retries, map[string]string{
			"endpoint": "overview", "outcome": "unavailable"}, 2},
		{"session list retries", retries, map[string]string{
			"endpoint": "sessionList", "outcome": "rate_limited"}, 1},
		{"open breaker", breaker, map[string]string{
			"host": "creator.shopee.co.id"}, 1},
		{"half-open breaker", breaker, map[string]string{
			"host": "live.shopee.co.id"}, 0.5},
		{"closed breaker", breaker, map[string]string{
			"host": "seller.shopee.co.id"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := value(t, m, tt.metric, tt.labels); got != tt.want {
				t.Errorf("%s%v = %v, want %v", tt.metric, tt.labels, got,
					tt.want)
			}
		})
	}
}
