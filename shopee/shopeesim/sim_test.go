package shopeesim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"liveboard"
)

// t0 is the clock's start in tests: 19:00 in Jakarta.
var t0 = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

const (
	creator = "/supply/api/lm/sellercenter/"
	seller  = "/api/supply/lm/sellercenter/"
	ongoing = "/api/v1/shop_page/live/ongoing"
)

// newSim returns a simulator on a manual clock at t0. Unless opts says
// otherwise it has one Indonesian and one Malaysian account live and a
// third, Indonesian, offline.
func newSim(t testing.TB, opts Options) (*Server, *ManualClock) {
	t.Helper()
	clk := NewManualClock(t0)
	opts.Clock = clk
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	if opts.Regions == nil {
		opts.Regions = []liveboard.Region{
			liveboard.RegionID, liveboard.RegionMY, liveboard.RegionID,
		}
	}
	return New(opts), clk
}

// response is what a request to the simulator got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// get sends a GET with the cookie (none when empty) to the simulator.
func get(t testing.TB, s *Server, target, cookie string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	body, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: w.Code, header: w.Header(), body: body}
}

// supplyAnswer is a decoded supply API envelope.
type supplyAnswer[T any] struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data T      `json:"data"`
}

// getSupply sends a GET and decodes a successful supply API answer.
func getSupply[T any](t testing.TB, s *Server, target,
	cookie string) supplyAnswer[T] {
	t.Helper()
	res := get(t, s, target, cookie)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", target, res.status, res.body)
	}
	var ans supplyAnswer[T]
	if err := json.Unmarshal(res.body, &ans); err != nil {
		t.Fatalf("GET %s: decode %s: %v", target, res.body, err)
	}
	return ans
}

// liveSession returns the account's session on air now; it fails the
// test when there is none.
func liveSession(t testing.TB, s *Server, userID int64) SessionTruth {
	t.Helper()
	for _, tr := range s.Sessions(userID) {
		if tr.Live {
			return tr
		}
	}
	t.Fatalf("account %d has no live session", userID)
	return SessionTruth{}
}

// endedSession returns the account's newest ended session.
func endedSession(t testing.TB, s *Server, userID int64) SessionTruth {
	t.Helper()
	for _, tr := range s.Sessions(userID) {
		if !tr.Live {
			return tr
		}
	}
	t.Fatalf("account %d has no ended session", userID)
	return SessionTruth{}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func sessionPath(prefix, endpoint string, id int64) string {
	return prefix + endpoint + "?sessionId=" + itoa(id)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
