package shopeesim

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"liveboard"
)

// bigWorld returns 250 accounts with 1,000 sessions on air: each account's
// own and three more added to it. It also returns an overview request
// for every live session.
func bigWorld(tb testing.TB) (*Server, *ManualClock, []*http.Request) {
	tb.Helper()
	s, clk := newSim(tb, Options{
		Accounts: 250, LiveNow: 250,
		Regions: []liveboard.Region{liveboard.RegionID,
			liveboard.RegionMY, liveboard.RegionTH},
	})

	var reqs []*http.Request
	for i, a := range s.Accounts() {
		ids := []int64{liveSession(tb, s, a.UserID).SessionID}
		for j := range 3 {
			ids = append(ids, s.AddSession(a.UserID, SessionSpec{
				Start:    t0.Add(-time.Duration(10*(i%7+j+1)) * time.Minute),
				Duration: 3 * time.Hour,
			}))
		}
		for _, id := range ids {
			r := httptest.NewRequest(http.MethodGet,
				sessionPath(creator, "realtime/dashboard/overview", id), nil)
			r.Header.Set("Cookie", a.Cookie)
			reqs = append(reqs, r)
		}
	}
	if len(reqs) != 1000 {
		tb.Fatalf("world has %d live sessions, want 1000", len(reqs))
	}
	return s, clk, reqs
}

// discard is a ResponseWriter that keeps only the status and size, so
// the benchmark measures the simulator.
type discard struct {
	header http.Header
	status int
	size   int
}

func (d *discard) Header() http.Header { return d.header }

func (d *discard) WriteHeader(status int) { d.status = status }

func (d *discard) Write(b []byte) (int, error) {
	d.size += len(b)
	return len(b), nil
}

// BenchmarkOverview answers overviews for 1,000 live sessions, moving the
// clock 30 s after each round, as a poller on a 30 s tick would.
func BenchmarkOverview(b *testing.B) {
	s, clk, reqs := bigWorld(b)
	w := &discard{header: http.Header{}}
	b.ReportAllocs()

	i := 0
	for b.Loop() {
		clear(w.header)
		w.size = 0
		s.ServeHTTP(w, reqs[i])
		if w.status != http.StatusOK || w.size < 500 {
			b.Fatalf("status %d, %d bytes", w.status, w.size)
		}
		if i++; i == len(reqs) {
			i = 0
			clk.Advance(30 * time.Second)
		}
	}
}

// BenchmarkTruth evaluates a live session's figures without HTTP.
func BenchmarkTruth(b *testing.B) {
	s, _ := newSim(b, Options{})
	tr := liveSession(b, s, s.Accounts()[0].UserID)
	b.ReportAllocs()

	at := t0
	for b.Loop() {
		at = at.Add(stepLen)
		if _, ok := s.Truth(tr.SessionID, at); !ok {
			b.Fatal("no truth")
		}
	}
}

func TestWorldMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large world")
	}
	before := heapInUse()

	s, clk, reqs := bigWorld(t)
	w := &discard{header: http.Header{}}
	for range 2 {
		for _, r := range reqs {
			s.ServeHTTP(w, r)
		}
		clk.Advance(30 * time.Second)
	}
	used := heapInUse() - before
	runtime.KeepAlive(s)

	t.Logf("250 accounts, 1000 live sessions: %.1f MB of heap",
		float64(used)/(1<<20))
	if used > 64<<20 {
		t.Errorf("world takes %d MB, want under 64 MB", used>>20)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
