package shopee

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"liveboard"
)

// The cookie values below must never show up in anything the client
// prints.
const (
	secretValue1 = "sekr3t-cookie-value"
	secretValue2 = "another-s3cret-token"
	secretCookie = "SPC_EC=" + secretValue1 + "; SPC_ST=" + secretValue2
)

var testAuth = Auth{
	AccountID: 7,
	Region:    liveboard.RegionID,
	Cookies:   secretCookie,
}

// observation is one ObserveCall.
type observation struct {
	Endpoint string
	Outcome  string
	D        time.Duration
}

// recorder is an Observer that keeps what it was told, retries and
// breaker states included. onRetry, when set, runs on every retry.
type recorder struct {
	mu       sync.Mutex
	calls    []observation
	retries  []observation
	breakers []string
	onRetry  func()
}

func (r *recorder) ObserveRetry(endpoint, outcome string,
	wait time.Duration) {
	r.mu.Lock()
	r.retries = append(r.retries, observation{endpoint, outcome, wait})
	hook := r.onRetry
	r.mu.Unlock()
	if hook != nil {
		hook()
	}
}

func (r *recorder) ObserveBreaker(host, state string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.breakers = append(r.breakers, host+" "+state)
}

func (r *recorder) retried() []observation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]observation(nil), r.retries...)
}

func (r *recorder) states() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.breakers...)
}

func (r *recorder) ObserveCall(endpoint, outcome string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, observation{endpoint, outcome, d})
}

func (r *recorder) outcomes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.calls {
		out = append(out, c.Endpoint+" "+c.Outcome)
	}
	return out
}

// newTestClient starts a server with h and returns a client pointed at it
// that records its observations.
func newTestClient(t *testing.T, h http.Handler) (*Client, *recorder) {
	t.Helper()
	return mustClient(t, Config{BaseURL: newServer(t, h)})
}

// newServer starts a test server with h and returns its URL.
func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// mustClient returns a client for cfg that records its observations.
// Unless cfg says otherwise, it neither retries, waits for rate limits
// nor caches, so each call is one request.
func mustClient(t *testing.T, cfg Config) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	cfg.Observer = rec
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 1
	}
	if cfg.AccountRate == 0 {
		cfg.AccountRate = -1
	}
	if cfg.HostRate == 0 {
		cfg.HostRate = -1
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = -1
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, rec
}

// fixture returns the contents of testdata/name.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// answer returns a handler that answers every request with status and
// body as JSON.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}
