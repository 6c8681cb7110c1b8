package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"liveboard"
	"liveboard/password"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/web"
	"liveboard/workflow"
)

var ctx = context.Background()

// t0 is when the simulated world starts.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// cheap keeps password checks fast; the format is the real one.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1}

// The people of the harness: one per role in studio 1, the owner of
// studio 2, and someone in both.
const (
	ownerEmail    = "owner@example.test"
	adminEmail    = "admin@example.test"
	operatorEmail = "operator@example.test"
	viewerEmail   = "viewer@example.test"
	otherEmail    = "other@example.test"
	bothEmail     = "both@example.test"
	thePassword   = "a long enough password"
)

// harness is the dashboard on a store with two studios, studio 1 holding
// the simulator's accounts, and a person per role.
type harness struct {
	clock *shopeesim.ManualClock
	sim   *shopeesim.Server
	store *sqlstore.Store
	web   *web.Server
	// monitor looks at live sessions as the service's does, and wakes
	// the dashboard's live streams.
	monitor *workflow.Monitor
	// optimizer reviews campaigns for the campaigns page.
	optimizer *workflow.Optimizer
	// queue takes the first rounds of the boosts started.
	queue    *boostQueue
	url      string
	logs     *logBuffer
	studio1  liveboard.Studio
	studio2  liveboard.Studio
	accounts []liveboard.Account
	users    map[string]int64
	// secrets must appear in no page and no log line.
	secrets []string
}

type options struct {
	throttle web.ThrottleConfig
	channels web.ChannelTester
}

func newHarness(t *testing.T, e sqlstoretest.Engine, o options) *harness {
	t.Helper()
	h := &harness{clock: shopeesim.NewManualClock(t0), logs: &logBuffer{},
		users: map[string]int64{}}
	t.Cleanup(func() { h.checkLogs(t) })
	logger := slog.New(slog.NewTextHandler(h.logs,
		&slog.HandlerOptions{Level: slog.LevelDebug}))

	h.sim = shopeesim.New(shopeesim.Options{Seed: 3, Clock: h.clock,
		Accounts: 3, HistoryDays: 2})
	simSrv := httptest.NewServer(h.sim)
	t.Cleanup(simSrv.Close)
	t.Cleanup(h.sim.Close)
	client, err := shopee.New(shopee.Config{BaseURL: simSrv.URL})
	if err != nil {
		t.Fatal(err)
	}

	storeOpts := sqlstoretest.Options()
	storeOpts.Now, storeOpts.Logger = h.clock.Now, logger
	h.store = e.Open(t, storeOpts)
	h.seed(t)

	accounts := &workflow.Accounts{Store: h.store, Shopee: client,
		Now: h.clock.Now, Logger: logger}
	h.optimizer = &workflow.Optimizer{Store: h.store, Shopee: client,
		Now: h.clock.Now, Logger: logger}
	h.queue = &boostQueue{}
	booster := &workflow.Booster{Store: h.store, Shopee: client,
		Now: h.clock.Now, Logger: logger}
	h.web, err = web.New(web.Config{Store: h.store, Accounts: accounts,
		Throttle: o.throttle, Logger: logger, Now: h.clock.Now,
		ClientIP: testIP, Channels: o.channels, Optimizer: h.optimizer,
		Booster: booster, Boosts: h.queue})
	if err != nil {
		t.Fatal(err)
	}
	h.monitor = &workflow.Monitor{Store: h.store, Shopee: client,
		Now: h.clock.Now, Logger: logger, Stored: h.web.NotifyStored}
	srv := httptest.NewServer(h.web)
	t.Cleanup(srv.Close)
	t.Cleanup(h.web.Close)
	h.url = srv.URL
	return h
}

// tick moves the clock on by d and has the monitor look at every
// account, storing a snapshot of each live session.
func (h *harness) tick(t *testing.T, d time.Duration) {
	t.Helper()
	h.clock.Advance(d)
	if _, err := h.monitor.Tick(ctx); err != nil {
		t.Fatal(err)
	}
}

// testIP lets a test say where a request comes from.
func testIP(r *http.Request) string {
	if ip := r.Header.Get("X-Test-IP"); ip != "" {
		return ip
	}
	return "192.0.2.1"
}

func (h *harness) seed(t *testing.T) {
	t.Helper()
	h.studio1 = liveboard.Studio{Name: "Studio Satu", Region: liveboard.RegionID}
	h.studio2 = liveboard.Studio{Name: "Studio Dua", Region: liveboard.RegionMY}
	for _, st := range []*liveboard.Studio{&h.studio1, &h.studio2} {
		if err := h.store.CreateStudio(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	for _, sa := range h.sim.Accounts() {
		a := liveboard.Account{StudioID: h.studio1.ID, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := h.store.CreateAccount(ctx, &a, sa.Cookie); err != nil {
			t.Fatal(err)
		}
		h.accounts = append(h.accounts, a)
		h.secrets = append(h.secrets, cookieValues(sa.Cookie)...)
	}

	hash, err := password.HashWith(thePassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	members := []struct {
		email  string
		studio int64
		role   liveboard.Role
	}{
		{ownerEmail, h.studio1.ID, liveboard.RoleOwner},
		{adminEmail, h.studio1.ID, liveboard.RoleAdmin},
		{operatorEmail, h.studio1.ID, liveboard.RoleOperator},
		{viewerEmail, h.studio1.ID, liveboard.RoleViewer},
		{otherEmail, h.studio2.ID, liveboard.RoleOwner},
		{bothEmail, h.studio1.ID, liveboard.RoleViewer},
		{bothEmail, h.studio2.ID, liveboard.RoleAdmin},
	}
	for _, m := range members {
		id, ok := h.users[m.email]
		if !ok {
			u := &liveboard.User{Email: m.email, Name: m.email}
			if err := h.store.CreateUser(ctx, u, hash); err != nil {
				t.Fatal(err)
			}
			id = u.ID
			h.users[m.email] = id
		}
		if err := h.store.SetMembership(ctx, id, m.studio, m.role); err != nil {
			t.Fatal(err)
		}
	}
	h.secrets = append(h.secrets, thePassword)
}

// cookieValues returns each long value of a Cookie header.
func cookieValues(header string) []string {
	var out []string
	for pair := range strings.SplitSeq(header, ";") {
		if _, v, _ := strings.Cut(pair, "="); len(v) >= 16 {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

func (h *harness) checkLogs(t *testing.T) {
	logs := h.logs.String()
	for _, s := range h.secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs hold the secret %.12s…", s)
		}
	}
}

// browser is a person's browser: it keeps the cookies the dashboard
// sets, as a browser would, and follows no redirect by itself.
type browser struct {
	h   *harness
	t   *testing.T
	jar map[string]*http.Cookie
	// header is sent with every request.
	header http.Header
}

func (h *harness) browser(t *testing.T) *browser {
	return &browser{h: h, t: t, jar: map[string]*http.Cookie{},
		header: http.Header{}}
}

// page is what the dashboard answered.
type page struct {
	status int
	header http.Header
	body   string
}

func (p page) location() string { return p.header.Get("Location") }

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.h.url+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.jar {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}

	client := &http.Client{CheckRedirect: func(*http.Request,
		[]*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 {
			delete(b.jar, c.Name)
			continue
		}
		b.jar[c.Name] = c
	}

	p := page{status: resp.StatusCode, header: resp.Header, body: string(out)}
	for _, s := range b.h.secrets {
		if strings.Contains(p.body, s) {
			b.t.Errorf("%s %s: the page holds the secret %.12s…", method,
				path, s)
		}
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	return b.do(http.MethodGet, path, nil)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	return b.do(http.MethodPost, path, form)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the CSRF token of the first form of the page.
func (b *browser) csrf(p page) string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no CSRF token in the page:\n%.400s", p.body)
	}
	return m[1]
}

// signIn signs in with the password and returns the first page after.
func (b *browser) signIn(email string) page {
	b.t.Helper()
	p := b.submitSignIn(email, thePassword)
	if p.status != http.StatusSeeOther || p.location() != "/" {
		b.t.Fatalf("sign in as %s: %d to %q\n%.400s", email, p.status,
			p.location(), p.body)
	}
	return b.get("/accounts")
}

func (b *browser) submitSignIn(email, pw string) page {
	b.t.Helper()
	form := b.get("/signin")
	return b.post("/signin", url.Values{"csrf_token": {b.csrf(form)},
		"email": {email}, "password": {pw}})
}

// form posts to path from a signed-in page, with its CSRF token.
func (b *browser) form(from page, path string, values url.Values) page {
	b.t.Helper()
	if values == nil {
		values = url.Values{}
	}
	values.Set("csrf_token", b.csrf(from))
	return b.post(path, values)
}

func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status = %d, want %d\n%.600s", p.status, status, p.body)
	}
}

// logBuffer collects log output from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// boostQueue notes the boost plans whose first round was queued.
type boostQueue struct {
	mu    sync.Mutex
	plans []int64
}

func (q *boostQueue) StartBoost(_ context.Context, planID int64,
	_ time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.plans = append(q.plans, planID)
	return nil
}

func (q *boostQueue) queued() []int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]int64(nil), q.plans...)
}
