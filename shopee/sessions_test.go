package shopee

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// listServer serves sessionList pages; pages returns the total and the
// session ids of a page (counted from 1).
func listServer(t *testing.T, pages func(page, size int) (int, []int64),
	requests *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		total, ids := pages(page, size)

		list := make([]map[string]any, 0, len(ids))
		for _, id := range ids {
			list = append(list, map[string]any{"sessionId": id,
				"status": 2, "title": "s" + strconv.FormatInt(id, 10)})
		}
		body := map[string]any{"code": 0, "msg": "",
			"data": map[string]any{"total": total, "list": list}}
		if err := json.NewEncoder(w).Encode(body); err != nil {
			t.Error(err)
		}
	}
}

// sixSessions lists ids 6 to 1, newest first.
func sixSessions(total int) func(page, size int) (int, []int64) {
	all := []int64{6, 5, 4, 3, 2, 1}
	return func(page, size int) (int, []int64) {
		from := min((page-1)*size, len(all))
		to := min(from+size, len(all))
		return total, all[from:to]
	}
}

func ids(items []SessionItem) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, it.SessionID)
	}
	return out
}

func TestSessions(t *testing.T) {
	tests := []struct {
		name         string
		pages        func(page, size int) (int, []int64)
		stop         func(SessionItem) bool
		want         []int64
		wantRequests int32
	}{
		{
			name:         "AllPagesUntilTotal",
			pages:        sixSessions(6),
			want:         []int64{6, 5, 4, 3, 2, 1},
			wantRequests: 3,
		},
		{
			name:         "AllPagesUntilEmptyPage",
			pages:        sixSessions(0),
			want:         []int64{6, 5, 4, 3, 2, 1},
			wantRequests: 4,
		},
		{
			name:         "StopLeavesItemOut",
			pages:        sixSessions(6),
			stop:         func(it SessionItem) bool { return it.SessionID <= 3 },
			want:         []int64{6, 5, 4},
			wantRequests: 2,
		},
		{
			name: "DuplicatesSkipped",
			pages: func(page, _ int) (int, []int64) {
				return 0, map[int][]int64{1: {6, 5}, 2: {5, 4}, 3: {4, 3}}[page]
			},
			want:         []int64{6, 5, 4, 3},
			wantRequests: 4,
		},
		{
			name: "RepeatedFullPageEndsWalk",
			pages: func(int, int) (int, []int64) {
				return 0, []int64{2, 1}
			},
			want:         []int64{2, 1},
			wantRequests: 2,
		},
		{
			name: "PageCapFromTotal",
			pages: func(page, _ int) (int, []int64) {
				return 5, []int64{int64(page), int64(page + 1)}
			},
			want:         []int64{1, 2, 3, 4},
			wantRequests: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			c, _ := newTestClient(t, listServer(t, tt.pages, &requests))

			got, err := c.Sessions(context.Background(), testAuth, 2, tt.stop)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if n := requests.Load(); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestSessionsEndlessServer(t *testing.T) {
	var requests atomic.Int32
	c, _ := newTestClient(t, listServer(t, func(page, _ int) (int, []int64) {
		return 0, []int64{int64(2 * page), int64(2*page + 1)}
	}, &requests))

	got, err := c.Sessions(context.Background(), testAuth, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != maxSessionPages {
		t.Errorf("requests = %d, want %d", n, maxSessionPages)
	}
	if len(got) != 2*maxSessionPages {
		t.Errorf("len = %d, want %d", len(got), 2*maxSessionPages)
	}
}

func TestSessionsFailedPage(t *testing.T) {
	var requests atomic.Int32
	list := listServer(t, sixSessions(6), &requests)
	c, _ := newTestClient(t, http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "2" {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			list(w, r)
		}))

	got, err := c.Sessions(context.Background(), testAuth, 2, nil)
	assertKind(t, err, ErrUnavailable)
	if got != nil {
		t.Errorf("Sessions = %v, want nil", ids(got))
	}
}

func TestSessionItemLive(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	start := now.Add(-2 * time.Hour)

	tests := []struct {
		name string
		item SessionItem
		want bool
	}{
		{"Status1", SessionItem{Status: 1}, true},
		{"Status2Growing", SessionItem{Status: 2, StartTime: start,
			Duration: 2 * time.Hour}, true},
		{"Status2WithinTolerance", SessionItem{Status: 2, StartTime: start,
			Duration: 2*time.Hour - 4*time.Minute}, true},
		{"Status2AtTolerance", SessionItem{Status: 2, StartTime: start,
			Duration: 2*time.Hour - LiveTolerance}, true},
		{"Status2Ended", SessionItem{Status: 2, StartTime: start,
			Duration: 2*time.Hour - 6*time.Minute}, false},
		{"Status2EndFarAhead", SessionItem{Status: 2, StartTime: start,
			Duration: 3 * time.Hour}, false},
		{"Status2NoStart", SessionItem{Status: 2, Duration: time.Hour}, false},
		{"Status0", SessionItem{StartTime: start, Duration: 2 * time.Hour},
			false},
		{"Status3", SessionItem{Status: 3, StartTime: start,
			Duration: 2 * time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.item.Live(now); got != tt.want {
				t.Errorf("Live = %t, want %t", got, tt.want)
			}
		})
	}
}

func TestStillLive(t *testing.T) {
	prev := SessionItem{SessionID: 1, Status: 2, Duration: time.Hour}

	tests := []struct {
		name string
		cur  SessionItem
		want bool
	}{
		{"Grew", SessionItem{SessionID: 1, Status: 2,
			Duration: time.Hour + time.Minute}, true},
		{"Unchanged", SessionItem{SessionID: 1, Status: 2,
			Duration: time.Hour}, false},
		{"OtherSession", SessionItem{SessionID: 2, Status: 2,
			Duration: 2 * time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StillLive(prev, tt.cur); got != tt.want {
				t.Errorf("StillLive = %t, want %t", got, tt.want)
			}
		})
	}
}

func TestSessionListStatusQuirkFromWire(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	start := now.Add(-time.Hour)
	body := `{"code":0,"data":{"total":1,"list":[{"sessionId":1,"status":2,` +
		`"startTime":` + strconv.FormatInt(start.UnixMilli(), 10) +
		`,"duration":3600000}]}}`
	c, _ := newTestClient(t, answer(200, body))

	p, err := c.SessionList(context.Background(), testAuth, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Items[0].Live(now) {
		t.Error("status-2 session whose duration reaches now is not live")
	}
	if p.Items[0].Live(now.Add(LiveTolerance + time.Minute)) {
		t.Error("status-2 session is live past the tolerance")
	}
}
