package workflow_test

import (
	"sync/atomic"
	"testing"
	"time"

	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// requestCounter counts the client's requests and retries.
type requestCounter struct {
	calls, retries atomic.Int64
}

func (c *requestCounter) ObserveCall(string, string, time.Duration) {
	c.calls.Add(1)
}

func (c *requestCounter) ObserveRetry(string, string, time.Duration) {
	c.retries.Add(1)
}

// BenchmarkSync250Accounts runs the daily sync of 250 accounts, with two
// days of history each, against a simulator that answers every request
// after 100 ms. It reports the requests sent to Shopee, the retries
// among them, the sessions stored and the wall time of one sync, under
// the client's default limits, without rate limits, and without rate
// limits while a quarter of the requests fail. Run it with
// -bench Sync250 -benchtime 1x: one sync takes minutes under the
// default limits.
func BenchmarkSync250Accounts(b *testing.B) {
	noLimits := shopee.Config{AccountRate: -1, HostRate: -1}
	slow := shopeesim.Faults{Latency: 100 * time.Millisecond}
	faulty := mixedFaults
	faulty.Latency = slow.Latency
	faulty.Kinds = faulty.Kinds[:5] // no timeouts: they add seconds each
	variants := []struct {
		name   string
		cfg    shopee.Config
		faults shopeesim.Faults
	}{
		{"DefaultLimits", shopee.Config{}, slow},
		{"NoRateLimits", noLimits, slow},
		{"NoRateLimits25PercentFaults", noLimits, faulty},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			var calls, retries, stored, failed int64
			var wall time.Duration
			for range b.N {
				b.StopTimer()
				count := &requestCounter{}
				cfg := v.cfg
				cfg.Observer = count
				h := newHarnessWith(b, sqlstoretest.Engines(b)[0],
					shopeesim.Options{Seed: 250, Accounts: 250,
						HistoryDays: 2}, cfg)
				h.sim.SetFaults("", v.faults)
				b.StartTimer()

				start := time.Now()
				r, _ := h.syncer.SyncAll(ctx, nil)
				wall += time.Since(start)

				b.StopTimer()
				calls += count.calls.Load()
				retries += count.retries.Load()
				stored += int64(r.Fetched)
				failed += int64(r.Failed)
				h.sim.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(float64(calls)/n, "requests/op")
			b.ReportMetric(float64(retries)/n, "retries/op")
			b.ReportMetric(float64(stored)/n, "sessions/op")
			b.ReportMetric(float64(failed)/n, "failed/op")
			b.ReportMetric(wall.Seconds()/n, "wall-s/op")
		})
	}
}
