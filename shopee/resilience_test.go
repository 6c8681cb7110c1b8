package shopee

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

// retrying is a client config that retries at once, for tests.
func retrying(attempts int) Config {
	return Config{MaxAttempts: attempts, RetryDelay: time.Millisecond,
		RetryMaxDelay: time.Millisecond}
}

// sequence answers the requests it gets with the handlers in turn, the
// last one for all the rest, and counts them.
type sequence struct {
	n        atomic.Int32
	handlers []http.HandlerFunc
}

func (s *sequence) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	s.handlers[min(i, len(s.handlers)-1)](w, r)
}

func (s *sequence) count() int { return int(s.n.Load()) }

func overviewOK(t *testing.T) http.HandlerFunc {
	return answer(200, string(fixture(t, "07-overview.json")))
}

func TestRetriesWhatMayPass(t *testing.T) {
	seq := &sequence{handlers: []http.HandlerFunc{
		answer(503, "<html>busy</html>"),
		answer(200, "<!DOCTYPE html><html>log in</html>"),
		answer(200, `{"code":0,"data":{"ccu":`),
		answer(429, ""),
		overviewOK(t),
	}}
	c, rec := mustClient(t, retrying(5))
	c.base = newServer(t, seq)

	got, err := c.Overview(context.Background(), testAuth, 1)
	if err != nil || got.Metrics.ViewersNow == nil {
		t.Fatalf("Overview = %+v, %v", got, err)
	}
	want := []string{"overview unavailable", "overview bad_answer",
		"overview bad_answer", "overview rate_limited", "overview ok"}
	if diff := cmp.Diff(want, rec.outcomes()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	var retried []string
	for _, r := range rec.retried() {
		retried = append(retried, r.Endpoint+" "+r.Outcome)
	}
	if diff := cmp.Diff(want[:4], retried); diff != "" {
		t.Errorf("retries (-want +got):\n%s", diff)
	}
}

func TestNeverRetries(t *testing.T) {
	antibot := string(fixture(t, "err-90309999-antibot.json"))
	tests := []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"login required", 200, `{"code":1,"msg":"not login"}`,
			ErrLoginRequired},
		{"login wall", 401, ``, ErrLoginRequired},
		{"anti-bot wall", 403, antibot, ErrChallenge},
		{"not found", 200, `{"code":0,"data":{}}`, ErrNotFound},
		{"rejected", 400, `{"code":7}`, ErrRejected},
		{"wrong path", 404, `not found`, ErrBadAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := &sequence{handlers: []http.HandlerFunc{
				answer(tt.status, tt.body), overviewOK(t)}}
			c, rec := mustClient(t, retrying(4))
			c.base = newServer(t, seq)

			_, err := c.Overview(context.Background(), testAuth, 1)
			assertKind(t, err, tt.kind)
			if seq.count() != 1 || len(rec.retried()) != 0 {
				t.Errorf("%d requests, %d retries; want 1 and none",
					seq.count(), len(rec.retried()))
			}
		})
	}
}

func TestRetriesEndAfterMaxAttempts(t *testing.T) {
	seq := &sequence{handlers: []http.HandlerFunc{answer(500, "")}}
	c, _ := mustClient(t, retrying(3))
	c.base = newServer(t, seq)

	_, err := c.Overview(context.Background(), testAuth, 1)
	if e := assertKind(t, err, ErrUnavailable); e.HTTPStatus != 500 {
		t.Errorf("HTTPStatus = %d", e.HTTPStatus)
	}
	if seq.count() != 3 {
		t.Errorf("%d requests, want 3", seq.count())
	}
}

func rateLimited(retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(http.StatusTooManyRequests)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Run("WaitsAtLeastAsAsked", func(t *testing.T) {
		seq := &sequence{handlers: []http.HandlerFunc{rateLimited("2"),
			overviewOK(t)}}
		c, rec := mustClient(t, retrying(3))
		c.base = newServer(t, seq)
		// Stop the call once the retry is scheduled: its wait is what
		// counts, not waiting it out.
		ctx, cancel := context.WithCancel(context.Background())
		rec.onRetry = cancel

		_, err := c.Overview(ctx, testAuth, 1)
		assertCanceled(t, err, context.Canceled)
		r := rec.retried()
		if len(r) != 1 || r[0].D < 2*time.Second ||
			r[0].D > 2*time.Second*4/3*5/4 {
			t.Errorf("retries %+v, want one waiting 2 s to 3.3 s", r)
		}
	})

	t.Run("LongerThanMaxRetryAfterIsNotWaited", func(t *testing.T) {
		seq := &sequence{handlers: []http.HandlerFunc{rateLimited("60"),
			overviewOK(t)}}
		cfg := retrying(3)
		cfg.MaxRetryAfter = 10 * time.Second
		c, _ := mustClient(t, cfg)
		c.base = newServer(t, seq)

		_, err := c.Overview(context.Background(), testAuth, 1)
		e := assertKind(t, err, ErrRateLimited)
		if e.RetryAfter != time.Minute || seq.count() != 1 {
			t.Errorf("RetryAfter %v after %d requests; want 1m after 1",
				e.RetryAfter, seq.count())
		}
	})

	t.Run("WithoutHeaderBacksOff", func(t *testing.T) {
		seq := &sequence{handlers: []http.HandlerFunc{rateLimited(""),
			overviewOK(t)}}
		c, rec := mustClient(t, retrying(3))
		c.base = newServer(t, seq)

		if _, err := c.Overview(context.Background(), testAuth, 1); err != nil {
			t.Fatal(err)
		}
		if r := rec.retried(); len(r) != 1 || r[0].D > 2*time.Millisecond {
			t.Errorf("retries %+v, want one short backoff", r)
		}
	})
}

func TestCallTimeout(t *testing.T) {
	cfg := retrying(10)
	cfg.CallTimeout = 150 * time.Millisecond
	cfg.AttemptTimeout = 40 * time.Millisecond
	c, rec := mustClient(t, cfg)
	c.base = newServer(t, stall(nil))

	_, err := c.Overview(context.Background(), testAuth, 1)
	e := assertKind(t, err, ErrUnavailable)
	if e.Message != "timed out" || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want Shopee timing out", err)
	}
	if n := len(rec.outcomes()); n < 2 || n > 4 {
		t.Errorf("%d attempts within the call's deadline, want 2 to 4", n)
	}
}

func TestWriteOnceRetriedOnlyAfterRateLimit(t *testing.T) {
	ok := answer(200, `{"err_code":0,"data":{"coin_status":1}}`)
	tests := []struct {
		name     string
		first    http.HandlerFunc
		requests int
		kind     error
	}{
		{"server error", answer(500, ""), 1, ErrUnavailable},
		{"broken answer", answer(200, "<html>"), 1, ErrBadAnswer},
		{"rate limited", rateLimited(""), 2, nil},
	}
	plan := CoinPlan{Giveout: 10, CoinsPerClaim: 1, ClaimTimes: 1,
		Interval: 1}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := &sequence{handlers: []http.HandlerFunc{tt.first, ok}}
			c, _ := mustClient(t, retrying(4))
			c.base = newServer(t, seq)

			_, err := c.StartCoins(context.Background(), testAuth, 1, plan)
			if tt.kind != nil {
				assertKind(t, err, tt.kind)
			} else if err != nil {
				t.Fatal(err)
			}
			if seq.count() != tt.requests {
				t.Errorf("%d requests, want %d", seq.count(), tt.requests)
			}
		})
	}
}

func TestCircuitBreaker(t *testing.T) {
	var healthy atomic.Bool
	var creatorHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/supply/", func(w http.ResponseWriter, r *http.Request) {
		creatorHits.Add(1)
		if !healthy.Load() {
			answer(503, "")(w, r)
			return
		}
		overviewOK(t)(w, r)
	})
	mux.HandleFunc("/api/v1/", answer(200,
		string(fixture(t, "15-live_ongoing.json"))))
	cfg := retrying(1)
	cfg.BreakerDelay = 30 * time.Millisecond
	c, rec := mustClient(t, cfg)
	c.base = newServer(t, mux)
	ctx := context.Background()

	for range breakerFailures {
		_, err := c.Overview(ctx, testAuth, 1)
		assertKind(t, err, ErrUnavailable)
	}
	_, err := c.Overview(ctx, testAuth, 1)
	e := assertKind(t, err, ErrUnavailable)
	if !strings.Contains(e.Message, "paused") ||
		creatorHits.Load() != breakerFailures {
		t.Errorf("open breaker: %v after %d requests", err,
			creatorHits.Load())
	}
	if _, err := c.LiveOngoing(ctx, liveboard.RegionID, 1); err != nil {
		t.Errorf("another host's calls stopped too: %v", err)
	}

	healthy.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := c.Overview(ctx, testAuth, 1); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the breaker never let a trial request through")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := c.Overview(ctx, testAuth, 1); err != nil {
		t.Fatal(err)
	}
	host := Host(liveboard.RegionID, ServiceCreator)
	want := []string{host + " open", host + " half_open", host + " closed"}
	if diff := cmp.Diff(want, rec.states()); diff != "" {
		t.Errorf("breaker states (-want +got):\n%s", diff)
	}
}

func TestBreakerIgnoresRefusedLogins(t *testing.T) {
	seq := &sequence{handlers: []http.HandlerFunc{
		answer(200, `{"code":1,"msg":"not login"}`)}}
	c, rec := mustClient(t, retrying(1))
	c.base = newServer(t, seq)
	for range 2 * breakerWindow {
		_, err := c.Overview(context.Background(), testAuth, 1)
		assertKind(t, err, ErrLoginRequired)
	}
	if seq.count() != 2*breakerWindow || len(rec.states()) != 0 {
		t.Errorf("%d requests, breaker states %v", seq.count(),
			rec.states())
	}
}

func TestRateLimits(t *testing.T) {
	other := testAuth
	other.AccountID = 8
	other.Cookies = "SPC_EC=someone-else"
	tests := []struct {
		name    string
		cfg     Config
		second  func(c *Client, ctx context.Context) error
		limited bool
	}{
		{"same account waits", Config{AccountRate: 1, AccountBurst: 1},
			func(c *Client, ctx context.Context) error {
				_, err := c.UserInfo(ctx, testAuth)
				return err
			}, true},
		{"another account does not", Config{AccountRate: 1,
			AccountBurst: 1},
			func(c *Client, ctx context.Context) error {
				_, err := c.UserInfo(ctx, other)
				return err
			}, false},
		{"same host waits, whoever asks", Config{HostRate: 1, HostBurst: 1},
			func(c *Client, ctx context.Context) error {
				_, err := c.UserInfo(ctx, other)
				return err
			}, true},
		{"another host does not", Config{HostRate: 1, HostBurst: 1},
			func(c *Client, ctx context.Context) error {
				_, err := c.LiveOngoing(ctx, liveboard.RegionID, 5)
				return err
			}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/supply/", answer(200,
				string(fixture(t, "04-userInfo.json"))))
			mux.HandleFunc("/api/v1/", answer(200,
				string(fixture(t, "15-live_ongoing.json"))))
			c, rec := mustClient(t, tt.cfg)
			c.base = newServer(t, mux)

			if _, err := c.UserInfo(context.Background(), testAuth); err != nil {
				t.Fatal(err)
			}
			// A second request within the second would have to wait
			// past this deadline.
			ctx, cancel := context.WithTimeout(context.Background(),
				200*time.Millisecond)
			defer cancel()
			err := tt.second(c, ctx)
			if !tt.limited {
				if err != nil {
					t.Errorf("second call: %v", err)
				}
				return
			}
			assertKind(t, err, ErrRateLimited)
			if n := len(rec.outcomes()); n != 1 {
				t.Errorf("%d requests sent, want 1", n)
			}
		})
	}
}

func TestCache(t *testing.T) {
	userInfo := answer(200, string(fixture(t, "04-userInfo.json")))
	tests := []struct {
		name     string
		ttl      time.Duration
		call     func(c *Client, i int) error
		requests int
	}{
		{"reads are cached", time.Minute, func(c *Client, _ int) error {
			_, err := c.UserInfo(context.Background(), testAuth)
			return err
		}, 1},
		{"per login", time.Minute, func(c *Client, i int) error {
			a := testAuth
			a.Cookies += "; n=" + strings.Repeat("x", i)
			_, err := c.UserInfo(context.Background(), a)
			return err
		}, 3},
		{"not with the cache off", -1, func(c *Client, _ int) error {
			_, err := c.UserInfo(context.Background(), testAuth)
			return err
		}, 3},
		{"not live figures", time.Minute, func(c *Client, _ int) error {
			_, err := c.LiveOngoing(context.Background(),
				liveboard.RegionID, 5)
			return err
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/supply/", userInfo)
			mux.HandleFunc("/api/v1/", answer(200,
				string(fixture(t, "15-live_ongoing.json"))))
			c, rec := mustClient(t, Config{CacheTTL: tt.ttl})
			c.base = newServer(t, mux)

			for i := range 3 {
				if err := tt.call(c, i); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(rec.outcomes()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestCacheKeepsNoFailure(t *testing.T) {
	seq := &sequence{handlers: []http.HandlerFunc{answer(500, ""),
		answer(200, string(fixture(t, "04-userInfo.json")))}}
	c, _ := mustClient(t, Config{CacheTTL: time.Minute})
	c.base = newServer(t, seq)

	_, err := c.UserInfo(context.Background(), testAuth)
	assertKind(t, err, ErrUnavailable)
	for range 2 {
		if _, err := c.UserInfo(context.Background(), testAuth); err != nil {
			t.Fatal(err)
		}
	}
	if seq.count() != 2 {
		t.Errorf("%d requests, want 2", seq.count())
	}
}

func TestWriteDropsTheAccountsCache(t *testing.T) {
	var ads atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/pas/v1/meta/get_ads_data/",
		func(w http.ResponseWriter, r *http.Request) {
			ads.Add(1)
			_, _ = w.Write(fixture(t, "14-get_ads_data.json"))
		})
	mux.HandleFunc("/api/pas/v1/live_stream/edit/", answer(200,
		`{"code":0,"msg":""}`))
	c, _ := mustClient(t, Config{CacheTTL: time.Minute})
	c.base = newServer(t, mux)
	ctx := context.Background()

	for range 2 {
		if _, err := c.AdsData(ctx, testAuth); err != nil {
			t.Fatal(err)
		}
	}
	err := c.EditCampaign(ctx, testAuth, CampaignEdit{CampaignID: 1,
		Action: CampaignPause})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdsData(ctx, testAuth); err != nil {
		t.Fatal(err)
	}
	if ads.Load() != 2 {
		t.Errorf("%d ads data requests, want 2", ads.Load())
	}
}

// gate holds every request until it is opened, and says when the first
// one arrived.
type gate struct {
	entered  chan struct{}
	open     chan struct{}
	once     sync.Once
	requests atomic.Int32
	body     string
}

func newGate(body string) *gate {
	return &gate{entered: make(chan struct{}), open: make(chan struct{}),
		body: body}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.requests.Add(1)
	g.once.Do(func() { close(g.entered) })
	select {
	case <-g.open:
		answer(200, g.body)(w, r)
	case <-r.Context().Done():
	}
}

// waitForWaiters polls until n callers wait on flights in c.
func waitForWaiters(t *testing.T, c *Client, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.res.flights.waiting() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d callers joined, want %d", c.res.flights.waiting(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestConcurrentCallsCollapse(t *testing.T) {
	g := newGate(string(fixture(t, "07-overview.json")))
	c, _ := mustClient(t, Config{})
	c.base = newServer(t, g)

	const callers = 5
	results := make(chan error, callers)
	call := func() {
		ov, err := c.Overview(context.Background(), testAuth, 1)
		if err == nil && ov.Metrics.ViewersNow == nil {
			err = errors.New("no viewers")
		}
		results <- err
	}
	go call()
	<-g.entered
	for range callers - 1 {
		go call()
	}
	waitForWaiters(t, c, callers-1)
	close(g.open)

	for range callers {
		if err := <-results; err != nil {
			t.Error(err)
		}
	}
	if n := g.requests.Load(); n != 1 {
		t.Errorf("%d requests for %d identical calls, want 1", n, callers)
	}
}

func TestCollapsedCallerCarriesOnWhenTheFirstLeaves(t *testing.T) {
	g := newGate(string(fixture(t, "07-overview.json")))
	c, _ := mustClient(t, Config{})
	c.base = newServer(t, g)

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.Overview(ctx, testAuth, 1)
		first <- err
	}()
	<-g.entered
	second := make(chan error, 1)
	go func() {
		_, err := c.Overview(context.Background(), testAuth, 1)
		second <- err
	}()
	waitForWaiters(t, c, 1)
	cancel()
	assertCanceled(t, <-first, context.Canceled)
	close(g.open)

	if err := <-second; err != nil {
		t.Errorf("the caller that stayed got %v", err)
	}
	if n := g.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2: the one given up and its redo", n)
	}
}

func TestCacheKeepsNoAnswerReadBeforeADrop(t *testing.T) {
	c := newAnswerCache(time.Minute)
	_, gen, _ := c.get("a", "k")
	c.drop("a") // a change made while the read was in flight
	c.put("a", "k", []byte(`{"old":1}`), gen)
	if _, _, ok := c.get("a", "k"); ok {
		t.Error("an answer read before the change was kept")
	}

	_, gen, _ = c.get("a", "k")
	c.put("a", "k", []byte(`{"new":1}`), gen)
	if data, _, ok := c.get("a", "k"); !ok || string(data) != `{"new":1}` {
		t.Errorf("answer after the change: %s, %t", data, ok)
	}
}
