package shopeesim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaultKinds(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	live := liveSession(t, s, a.UserID)
	overview := sessionPath(creator, "realtime/dashboard/overview",
		live.SessionID)
	clean := get(t, s, overview, a.Cookie)

	tests := []struct {
		kind   FaultKind
		target string
		check  func(t *testing.T, res response)
	}{
		{RateLimit, overview, func(t *testing.T, res response) {
			wantStatus(t, res, http.StatusTooManyRequests)
			if got := res.header.Get("Retry-After"); got != "1" {
				t.Errorf("Retry-After = %q, want 1", got)
			}
		}},
		{RateLimitNoHeader, overview, func(t *testing.T, res response) {
			wantStatus(t, res, http.StatusTooManyRequests)
			if got := res.header.Get("Retry-After"); got != "" {
				t.Errorf("Retry-After = %q, want none", got)
			}
		}},
		{Error500, overview, statusCheck(http.StatusInternalServerError)},
		{Error502, overview, statusCheck(http.StatusBadGateway)},
		{Error503, overview, statusCheck(http.StatusServiceUnavailable)},
		{AntiBot, overview, func(t *testing.T, res response) {
			wantStatus(t, res, http.StatusForbidden)
			wantBody(t, res, `{"is_login":false,"action_type":2,`+
				`"error":90309999,"redirect_to_error_page":true}`)
		}},
		{LoginExpired, overview, func(t *testing.T, res response) {
			wantStatus(t, res, http.StatusOK)
			wantBody(t, res, `{"code":90001,"msg":"not login","data":null}`)
		}},
		{LoginExpired, ongoing + "?uid=" + itoa(a.UserID),
			func(t *testing.T, res response) {
				wantStatus(t, res, http.StatusForbidden)
				if !strings.Contains(string(res.body), "90309999") {
					t.Errorf("body %s, want the login wall", res.body)
				}
			}},
		{HTMLPage, overview, func(t *testing.T, res response) {
			wantStatus(t, res, http.StatusOK)
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct,
				"text/html") || json.Valid(res.body) {
				t.Errorf("Content-Type %q, body %s; want an HTML page", ct,
					res.body)
			}
		}},
		{TruncatedJSON, overview, func(t *testing.T, res response) {
			wantStatus(t, res, http.StatusOK)
			if json.Valid(res.body) || len(res.body) == 0 ||
				!strings.HasPrefix(string(clean.body), string(res.body)) {
				t.Errorf("body %s, want a cut-off prefix of %s", res.body,
					clean.body)
			}
		}},
		{NullMetrics, overview, checkNullMetrics},
		{NullMetrics, listPath(1, 5), checkNullMetrics},
		{ExtraFields, overview, func(t *testing.T, res response) {
			checkExtraFields(t, res, clean)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			s.SetFaults("", Faults{Rate: 1, Kinds: []FaultKind{tt.kind}})
			defer s.ClearFaults()
			tt.check(t, get(t, s, tt.target, a.Cookie))
		})
	}
}

func wantStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Errorf("status %d, want %d (body %s)", res.status, want, res.body)
	}
}

func wantBody(t *testing.T, res response, want string) {
	t.Helper()
	if got := string(res.body); got != want {
		t.Errorf("body %s, want %s", got, want)
	}
}

func statusCheck(want int) func(*testing.T, response) {
	return func(t *testing.T, res response) { wantStatus(t, res, want) }
}

func checkNullMetrics(t *testing.T, res response) {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	var ans struct {
		Code int `json:"code"`
		Data map[string]any
	}
	if err := json.Unmarshal(res.body, &ans); err != nil || ans.Code != 0 {
		t.Fatalf("body %s: code %d, err %v; want a success", res.body,
			ans.Code, err)
	}

	nulls := 0
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case nil:
			nulls++
		case float64:
			if !identityKeys[key] {
				t.Errorf("metric %s = %v, want null", key, v)
			}
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		}
	}
	walk("", ans.Data)
	if nulls == 0 {
		t.Errorf("no null metric in %s", res.body)
	}
	if !strings.Contains(string(res.body), `"status":`) {
		t.Errorf("status missing from %s", res.body)
	}
}

func checkExtraFields(t *testing.T, res response, clean response) {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	got := decodeJSON(t, res.body).(map[string]any)
	want := decodeJSON(t, clean.body).(map[string]any)

	diffs := shapeDiff("$", got, want)
	for _, d := range diffs {
		if !strings.HasSuffix(d, ": unexpected") {
			t.Errorf("known field changed: %s", d)
		}
	}
	for _, level := range []string{"$.", "$.data.", "$.data.engagementData."} {
		if !hasDiffAt(diffs, level) {
			t.Errorf("no unknown field directly under %s", level)
		}
	}
}

// hasDiffAt reports whether a difference names a key directly under
// prefix.
func hasDiffAt(diffs []string, prefix string) bool {
	for _, d := range diffs {
		key, ok := strings.CutPrefix(d, prefix)
		if ok && !strings.Contains(strings.TrimSuffix(key, ": unexpected"),
			".") {
			return true
		}
	}
	return false
}

func TestFaultRate(t *testing.T) {
	s, _ := newSim(t, Options{})
	cookie := s.Accounts()[0].Cookie
	s.SetFaults(EndpointUserInfo, Faults{Rate: 0.25,
		Kinds: []FaultKind{Error503, RateLimit}})

	const n = 2000
	failed := map[int]int{}
	for range n {
		if res := get(t, s, creator+"userInfo", cookie); res.status != http.StatusOK {
			failed[res.status]++
		}
	}
	share := float64(failed[503]+failed[429]) / n
	if share < 0.22 || share > 0.28 {
		t.Errorf("%.3f of requests failed, want about 0.25 (%v)", share,
			failed)
	}
	if failed[503] < n/20 || failed[429] < n/20 {
		t.Errorf("failures by status %v, want both kinds", failed)
	}
	if got := s.Calls()[EndpointUserInfo]; got != n {
		t.Errorf("Calls counted %d userInfo requests, want %d", got, n)
	}

	other := get(t, s, listPath(1, 10), cookie)
	if other.status != http.StatusOK {
		t.Errorf("sessionList failed with %d; faults were for userInfo",
			other.status)
	}
}

func TestFaultsRepeatWithTheSeed(t *testing.T) {
	run := func() []int {
		s, _ := newSim(t, Options{Seed: 3})
		s.SetFaults("", Faults{Rate: 0.5})
		var got []int
		for range 50 {
			got = append(got, get(t, s, ongoing+"?uid=1", "").status)
		}
		return got
	}
	if diff := cmp.Diff(run(), run()); diff != "" {
		t.Errorf("same seed, different failures (-first +second):\n%s", diff)
	}
}

func TestEndpointFaultsOverrideGlobal(t *testing.T) {
	s, _ := newSim(t, Options{})
	s.SetFaults("", Faults{Rate: 1, Kinds: []FaultKind{Error502}})
	s.SetFaults(EndpointOngoing, Faults{})

	if got := get(t, s, ongoing+"?uid=1", "").status; got != http.StatusOK {
		t.Errorf("ongoing with its own empty faults: %d, want 200", got)
	}
	got := get(t, s, creator+"userInfo", "").status
	if got != http.StatusBadGateway {
		t.Errorf("userInfo under the global faults: %d, want 502", got)
	}
}

func TestAccountFault(t *testing.T) {
	s, _ := newSim(t, Options{})
	accts := s.Accounts()
	s.SetAccountFault(accts[0].UserID, AntiBot)

	if got := get(t, s, creator+"userInfo", accts[0].Cookie).status; got !=
		http.StatusForbidden {
		t.Errorf("faulted account: %d, want 403", got)
	}
	if got := get(t, s, creator+"userInfo", accts[1].Cookie).status; got !=
		http.StatusOK {
		t.Errorf("other account: %d, want 200", got)
	}

	cookie := s.Relogin(accts[0].UserID)
	if got := get(t, s, creator+"userInfo", cookie).status; got !=
		http.StatusOK {
		t.Errorf("after Relogin: %d, want 200", got)
	}

	s.SetAccountFault(accts[1].UserID, LoginExpired)
	wantBody(t, get(t, s, creator+"userInfo", accts[1].Cookie),
		`{"code":90001,"msg":"not login","data":null}`)
	s.ClearAccountFault(accts[1].UserID)
	wantStatus(t, get(t, s, creator+"userInfo", accts[1].Cookie), http.StatusOK)
}

// serve runs the simulator behind a real HTTP server for the test.
func serve(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func TestTimeoutHoldsUntilTheClientGivesUp(t *testing.T) {
	s, _ := newSim(t, Options{})
	srv := serve(t, s)
	s.SetFaults("", Faults{Rate: 1, Kinds: []FaultKind{Timeout}})

	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := fetch(ctx, srv.URL+ongoing+"?uid=1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the client's deadline", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("gave up after %s", took)
	}
}

func TestTimeoutAnswers504AfterTheHold(t *testing.T) {
	s, _ := newSim(t, Options{})
	srv := serve(t, s)
	s.SetFaults("", Faults{Rate: 1, Kinds: []FaultKind{Timeout},
		Hold: 30 * time.Millisecond})

	status, err := fetch(t.Context(), srv.URL+ongoing+"?uid=1")
	if err != nil || status != http.StatusGatewayTimeout {
		t.Errorf("status %d, err %v; want 504", status, err)
	}
}

func TestLatencyDelaysAndRespectsTheClient(t *testing.T) {
	s, _ := newSim(t, Options{})
	srv := serve(t, s)

	s.SetFaults("", Faults{Latency: 40 * time.Millisecond,
		Jitter: 20 * time.Millisecond})
	began := time.Now()
	if status, err := fetch(t.Context(), srv.URL+ongoing+"?uid=1"); err !=
		nil || status != http.StatusOK {
		t.Fatalf("status %d, err %v", status, err)
	}
	if took := time.Since(began); took < 40*time.Millisecond {
		t.Errorf("answered after %s, want at least the latency", took)
	}

	s.SetFaults("", Faults{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := fetch(ctx, srv.URL+ongoing+"?uid=1"); err == nil {
		t.Errorf("an hour's latency answered within 50 ms")
	}
}

func TestCloseReleasesHeldRequests(t *testing.T) {
	s, _ := newSim(t, Options{})
	srv := serve(t, s)
	s.SetFaults("", Faults{Rate: 1, Kinds: []FaultKind{Timeout}})

	done := make(chan int, 1)
	go func() {
		status, _ := fetch(context.Background(), srv.URL+ongoing+"?uid=1")
		done <- status
	}()
	time.Sleep(50 * time.Millisecond)
	s.Close()

	select {
	case status := <-done:
		if status != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("held request not released by Close")
	}
}

// fetch GETs url and returns the status.
func fetch(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}
