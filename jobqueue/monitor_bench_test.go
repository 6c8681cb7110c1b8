package jobqueue

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// The benchmark's world: 250 accounts with four sessions on air each,
// every Shopee answer 100 ms late.
const (
	benchAccounts = 250
	benchPerAcct  = 4
	benchLatency  = 100 * time.Millisecond
)

// benchWorkers is how many accounts one instance looks at at once.
var benchWorkers = DefaultMonitorWorkers

// BenchmarkMonitorTick runs monitoring ticks of 1,000 live sessions on
// 250 accounts through the running queue, each tick 30 s of simulated
// time after the last, and reports per tick: the time until every look
// has stored its snapshots (ns/op), Shopee calls made and the fewest the
// monitoring strategy allows, and the process's CPU time and allocations
// (the simulator runs in the same process and is counted too; a
// PostgreSQL server is not), with the slowest tick, the peak resident
// memory, the mean time a look runs and the mean time it waits for a
// worker. Every tenth tick, five minutes on, reads every session in full.
//
// The Shopee client's rate limits are off: they run on the wall clock,
// and ticks here follow each other at once rather than 30 s apart, so
// the limits would measure their own refill rather than the monitor.
func BenchmarkMonitorTick(b *testing.B) {
	for _, e := range sqlstoretest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) { benchTicks(b, e) })
	}
}

// bench is the benchmark's running system.
type bench struct {
	clock  *shopeesim.ManualClock
	sim    *shopeesim.Server
	queue  *Queue
	events *events
	stored atomic.Int64
	target atomic.Int64
	done   chan struct{}

	lastFull map[int64]time.Time // by session: when last read in full
}

func benchTicks(b *testing.B, e sqlstoretest.Engine) {
	bn := newBench(b, e)
	at := bn.clock.Now()
	bn.tick(b, at) // reads every session in full: not measured

	var calls, minimum, cpu, alloc, slowest float64
	b.ResetTimer()
	for b.Loop() {
		prev := at
		at = at.Add(tick)
		want := bn.minimum(prev, at)
		bn.sim.ResetCalls()
		cpu0, mem0, start := cpuTime(), allocated(), time.Now()

		bn.tick(b, at)

		slowest = max(slowest, time.Since(start).Seconds())
		cpu += (cpuTime() - cpu0).Seconds()
		alloc += float64(allocated()-mem0) / (1 << 20)
		minimum += float64(want)
		for _, n := range bn.sim.Calls() {
			calls += float64(n)
		}
	}
	n := float64(b.N)
	look, wait := bn.lookTimes()
	b.ReportMetric(look, "look-s")
	b.ReportMetric(wait, "wait-s")
	b.ReportMetric(slowest, "max-s/tick")
	b.ReportMetric(calls/n, "calls/tick")
	b.ReportMetric(minimum/n, "min-calls/tick")
	b.ReportMetric(cpu/n, "cpu-s/tick")
	b.ReportMetric(alloc/n, "alloc-MB/tick")
	b.ReportMetric(maxRSS(), "maxRSS-MB")
}

func newBench(b *testing.B, e sqlstoretest.Engine) *bench {
	b.Helper()
	bn := &bench{clock: shopeesim.NewManualClock(t0),
		done: make(chan struct{}, 1), lastFull: map[int64]time.Time{}}
	bn.sim = shopeesim.New(shopeesim.Options{Seed: 5, Clock: bn.clock,
		Accounts: benchAccounts, LiveNow: benchAccounts, HistoryDays: -1})
	bn.addSessions()
	srv := httptest.NewServer(bn.sim)
	b.Cleanup(srv.Close)
	b.Cleanup(bn.sim.Close)

	client, err := shopee.New(shopee.Config{BaseURL: srv.URL,
		AccountRate: -1, HostRate: -1,
		HTTPClient: &http.Client{Timeout: 20 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 512}}})
	if err != nil {
		b.Fatal(err)
	}

	quiet := slog.New(slog.DiscardHandler)
	opts := sqlstoretest.Options()
	opts.Now, opts.Logger = bn.clock.Now, quiet
	st := e.Open(b, opts)
	if err := Migrate(context.Background(), st, quiet); err != nil {
		b.Fatal(err)
	}
	seedBench(b, st, bn.sim)

	syncer := &workflow.Syncer{Store: st, Shopee: client,
		Now: bn.clock.Now, Logger: quiet}
	monitor := &workflow.Monitor{Store: st, Shopee: client, Syncer: syncer,
		Now: bn.clock.Now, Logger: quiet, Stored: bn.onStored}
	bn.queue, err = New(st, syncer, Config{Logger: quiet, Monitor: monitor,
		MonitorWorkers: benchWorkers, manualTicks: true})
	if err != nil {
		b.Fatal(err)
	}
	bn.start(b)
	bn.sim.SetFaults("", shopeesim.Faults{Latency: benchLatency})
	return bn
}

// addSessions gives every account three more sessions on air.
func (bn *bench) addSessions() {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, a := range bn.sim.Accounts() {
		for range benchPerAcct - 1 {
			bn.sim.AddSession(a.UserID, shopeesim.SessionSpec{
				Start:       t0.Add(-time.Duration(10+rng.IntN(40)) * time.Minute),
				Duration:    4 * time.Hour,
				PeakViewers: 200 + rng.IntN(3000),
			})
		}
	}
}

func seedBench(b *testing.B, st liveboard.Store, sim *shopeesim.Server) {
	ctx := context.Background()
	studio := &liveboard.Studio{Name: "Bench", Region: liveboard.RegionID}
	if err := st.CreateStudio(ctx, studio); err != nil {
		b.Fatal(err)
	}
	for _, sa := range sim.Accounts() {
		a := &liveboard.Account{StudioID: studio.ID, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := st.CreateAccount(ctx, a, sa.Cookie); err != nil {
			b.Fatal(err)
		}
	}
}

// start runs the queue and waits for the sync it runs at start, which
// stores every session, before latency is switched on.
func (bn *bench) start(b *testing.B) {
	ch, cancel := bn.queue.Subscribe()
	ev := &events{more: make(chan struct{})}
	bn.events = ev
	go ev.collect(ch)
	if err := bn.queue.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(),
			30*time.Second)
		defer done()
		_ = bn.queue.Stop(stop)
		cancel()
	})
	ev.waitFor(b, time.Minute, benchAccounts,
		kindIs((AccountSyncArgs{}).Kind()))
}

func (bn *bench) onStored() {
	if bn.stored.Add(1) == bn.target.Load() {
		bn.done <- struct{}{}
	}
}

// tick works the tick at and returns once every account's look has
// stored what it read.
func (bn *bench) tick(b *testing.B, at time.Time) {
	bn.clock.Set(at)
	bn.target.Store(bn.stored.Load() + benchAccounts)
	if err := bn.queue.EnqueueMonitorTick(context.Background(), at); err != nil {
		b.Fatal(err)
	}
	select {
	case <-bn.done:
	case <-time.After(2 * time.Minute):
		b.Fatalf("tick at %v: %d of %d looks stored", at,
			bn.stored.Load(), bn.target.Load())
	}
}

// minimum is the fewest calls the tick at can make, given the one before
// at prev: a list page per account, an overview per live session, and per
// session its products when orders or add-to-cart moved, or its details
// and products when a full read is due (every five minutes).
func (bn *bench) minimum(prev, at time.Time) int {
	n := 0
	for _, a := range bn.sim.Accounts() {
		n++
		for _, tr := range bn.sim.Sessions(a.UserID) {
			if !tr.Live {
				continue
			}
			n++
			n += bn.extra(tr.SessionID, prev, at)
		}
	}
	return n
}

func (bn *bench) extra(id int64, prev, at time.Time) int {
	last, ok := bn.lastFull[id]
	if !ok {
		last = prev
		bn.lastFull[id] = last
	}
	if at.Sub(last) >= workflow.DefaultFullSyncEvery {
		bn.lastFull[id] = at
		return 2
	}
	a, _ := bn.sim.Truth(id, prev)
	c, _ := bn.sim.Truth(id, at)
	if a.Metrics.PlacedOrders != c.Metrics.PlacedOrders ||
		a.Metrics.ATC != c.Metrics.ATC {
		return 1
	}
	return 0
}

// lookTimes returns how long a look ran and waited for a worker, on
// average, in seconds.
func (bn *bench) lookTimes() (run, wait float64) {
	bn.events.mu.Lock()
	defer bn.events.mu.Unlock()
	n := 0
	for _, e := range bn.events.done {
		if e.Job.Kind == (MonitorAccountArgs{}).Kind() {
			run += e.JobStats.RunDuration.Seconds()
			wait += e.JobStats.QueueWaitDuration.Seconds()
			n++
		}
	}
	return run / float64(max(n, 1)), wait / float64(max(n, 1))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func allocated() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// maxRSS returns the process's peak resident memory in MiB.
func maxRSS() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024
}
