package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"liveboard"
	"liveboard/httpapi"
	"liveboard/metrics"
	"liveboard/notify"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/smmpanel"
	"liveboard/smmpanel/smmtest"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// t0 is the simulator's clock when a harness starts: 19:00 in Jakarta,
// when three of its four accounts are on air.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// jakarta is the zone of studio 1 and of its accounts.
var jakarta = liveboard.RegionID.Location()

// who names a caller the harness holds an API key for.
type who string

// The callers. Each has a key of its own; anonymous sends none.
const (
	anonymous     who = ""
	instanceAdmin who = "instance admin"
	owner1        who = "owner of studio 1"
	admin1        who = "admin of studio 1"
	operator1     who = "operator of studio 1"
	viewer1       who = "viewer of studio 1"
	member2       who = "owner of studio 2"
	// cappedOwner1 is studio 1's owner through a key capped at viewer.
	cappedOwner1 who = "owner of studio 1, key capped at viewer"
	// narrowAdmin is the instance admin through a key for studio 2 only.
	narrowAdmin who = "instance admin, key for studio 2"
	// narrowMember is a member of both studios (operator of studio 1,
	// owner of studio 2) through a key for studio 2 only.
	narrowMember who = "member of both studios, key for studio 2"
)

// setup varies a harness.
type setup struct {
	// noQueue leaves the API without a queue for background syncs.
	noQueue bool
	// rateLimit and rateBurst limit each API key; none when 0.
	rateLimit float64
	rateBurst int
	// corsOrigins are the origins allowed to call the API from pages.
	corsOrigins []string
	// smm gives the API a fake SMM panel, kept in harness.smm.
	smm bool
	// publicWebhooks keeps webhooks on public addresses, as a server does
	// by default; otherwise tests may send them to loopback.
	publicWebhooks bool
}

// harness is the API wired to a simulated Shopee, a fresh store holding
// two studios, their accounts and a synced dataset, and one API key per
// caller. Studio 1 (Indonesia) has the simulator's first three accounts,
// all on air at t0; studio 2 (Malaysia) has the fourth, offline.
type harness struct {
	sim    *shopeesim.Server
	clock  *shopeesim.ManualClock
	store  *sqlstore.Store
	syncer *workflow.Syncer
	api    *httpapi.Server
	url    string
	queue  *fakeQueue // nil with setup.noQueue
	smm    *smmtest.Panel
	logs   *logBuffer

	studio1, studio2 liveboard.Studio
	// accounts are the stored accounts in the simulator's order.
	accounts    []liveboard.Account
	simAccounts []shopeesim.Account

	users map[string]int64 // user ids by email
	keys  map[who]string
	// secrets must appear in no response and no log line.
	secrets []string
}

// newHarness builds a harness on engine e and syncs every account once.
func newHarness(t *testing.T, e sqlstoretest.Engine, s setup) *harness {
	t.Helper()
	h := &harness{logs: &logBuffer{}, users: map[string]int64{},
		keys: map[who]string{}}
	// Registered first, so it runs once every server has stopped.
	t.Cleanup(func() { h.checkLogs(t) })
	logger := slog.New(slog.NewTextHandler(h.logs,
		&slog.HandlerOptions{Level: slog.LevelDebug}))

	h.startSim()
	// One try per call and no rate limits: these tests check what the API
	// makes of each answer; the client's own tests cover its retries.
	client, err := shopee.New(shopee.Config{BaseURL: h.simURL(t),
		MaxAttempts: 1, AccountRate: -1, HostRate: -1})
	if err != nil {
		t.Fatalf("shopee client: %v", err)
	}

	h.store = e.Open(t, sqlstore.Options{Now: h.clock.Now, Logger: logger})
	h.syncer = &workflow.Syncer{Store: h.store, Shopee: client,
		Now: h.clock.Now, Logger: logger}
	h.startAPI(t, client, logger, s)

	h.seed(t)
	if _, err := h.syncer.SyncAll(context.Background(), nil); err != nil {
		t.Fatalf("sync all: %v", err)
	}
	return h
}

func (h *harness) startSim() {
	h.clock = shopeesim.NewManualClock(t0)
	h.sim = shopeesim.New(shopeesim.Options{
		Seed:     7,
		Clock:    h.clock,
		Accounts: 4,
		Regions: []liveboard.Region{liveboard.RegionID,
			liveboard.RegionID, liveboard.RegionID, liveboard.RegionMY},
		HistoryDays: 6,
	})
	h.simAccounts = h.sim.Accounts()
	for _, a := range h.simAccounts {
		h.secrets = append(h.secrets, cookieSecrets(a.Cookie)...)
	}
}

// simURL serves the simulator and returns its address.
func (h *harness) simURL(t *testing.T) string {
	srv := httptest.NewServer(h.sim)
	t.Cleanup(srv.Close)
	// Cleanups run last first: release held requests, then stop.
	t.Cleanup(h.sim.Close)
	return srv.URL
}

// cookieSecrets returns a Cookie header and each long value in it; short
// values such as the numeric user id are public anyway.
func cookieSecrets(header string) []string {
	out := []string{header}
	for pair := range strings.SplitSeq(header, ";") {
		_, value, _ := strings.Cut(pair, "=")
		if len(value) >= 16 {
			out = append(out, value)
		}
	}
	return out
}

func (h *harness) startAPI(t *testing.T, client *shopee.Client,
	logger *slog.Logger, s setup) {
	m := metrics.New()
	cfg := httpapi.Config{
		Store: h.store, Shopee: client, Syncer: h.syncer,
		Ready:   h.store.Ping,
		Metrics: m.Handler(), Observer: m,
		Logger: logger, Now: h.clock.Now,
		Products: client, StreamPoll: 10 * time.Millisecond,
		Channels: &workflow.Deliverer{Store: h.store,
			Notifier:    &notify.Sender{AllowPrivate: !s.publicWebhooks},
			IsPermanent: notify.IsPermanent,
			Now:         h.clock.Now, Logger: logger},
		AllowPrivateWebhooks: !s.publicWebhooks,
		RateLimit:            s.rateLimit, RateBurst: s.rateBurst,
		CORSOrigins: s.corsOrigins,
	}
	if !s.noQueue {
		h.queue = &fakeQueue{}
		cfg.Queue = h.queue
		cfg.Boosts = h.queue
	}
	if s.smm {
		cfg.SMM = h.startSMM(t)
	}

	api, err := httpapi.New(cfg)
	if err != nil {
		t.Fatalf("httpapi.New: %v", err)
	}
	h.api = api
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	h.url = srv.URL
}

// startSMM serves a fake SMM panel and returns a client for it.
func (h *harness) startSMM(t *testing.T) *smmpanel.Client {
	h.smm = smmtest.New()
	srv := httptest.NewServer(h.smm)
	t.Cleanup(srv.Close)
	c, err := smmpanel.New(smmpanel.Config{URL: srv.URL + "/api/v2",
		Key: smmtest.Key})
	if err != nil {
		t.Fatalf("smm panel: %v", err)
	}
	h.secrets = append(h.secrets, smmtest.Key)
	return c
}

// seed stores the studios, accounts, users and API keys.
func (h *harness) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()

	h.studio1 = liveboard.Studio{Name: "Studio Satu",
		Region: liveboard.RegionID, CommissionBasisPoints: 500}
	h.studio2 = liveboard.Studio{Name: "Studio Dua",
		Region: liveboard.RegionMY, CommissionBasisPoints: 250}
	for _, st := range []*liveboard.Studio{&h.studio1, &h.studio2} {
		if err := h.store.CreateStudio(ctx, st); err != nil {
			t.Fatalf("create studio: %v", err)
		}
	}

	for i, sa := range h.simAccounts {
		studio := h.studio1.ID
		if i == len(h.simAccounts)-1 {
			studio = h.studio2.ID
		}
		a := liveboard.Account{StudioID: studio, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := h.store.CreateAccount(ctx, &a, sa.Cookie); err != nil {
			t.Fatalf("create account: %v", err)
		}
		h.accounts = append(h.accounts, a)
	}

	h.seedUsers(t)
	h.seedKeys(t)
}

func (h *harness) seedUsers(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	users := []struct {
		email  string
		admin  bool
		studio int64
		role   liveboard.Role
	}{
		{"root@example.test", true, 0, ""},
		{"owner@example.test", false, h.studio1.ID, liveboard.RoleOwner},
		{"admin@example.test", false, h.studio1.ID, liveboard.RoleAdmin},
		{"operator@example.test", false, h.studio1.ID,
			liveboard.RoleOperator},
		{"viewer@example.test", false, h.studio1.ID, liveboard.RoleViewer},
		{"other@example.test", false, h.studio2.ID, liveboard.RoleOwner},
		{"both@example.test", false, h.studio1.ID,
			liveboard.RoleOperator},
		{"both@example.test", false, h.studio2.ID, liveboard.RoleOwner},
	}
	for _, u := range users {
		id, ok := h.users[u.email]
		if !ok {
			user := liveboard.User{Email: u.email, Name: u.email,
				Admin: u.admin}
			if err := h.store.CreateUser(ctx, &user, ""); err != nil {
				t.Fatalf("create user %s: %v", u.email, err)
			}
			id = user.ID
			h.users[u.email] = id
		}
		if u.studio == 0 {
			continue
		}
		err := h.store.SetMembership(ctx, id, u.studio, u.role)
		if err != nil {
			t.Fatalf("set membership of %s: %v", u.email, err)
		}
	}
}

func (h *harness) seedKeys(t *testing.T) {
	t.Helper()
	owner, viewer := liveboard.RoleOwner, liveboard.RoleViewer
	keys := []struct {
		who    who
		email  string
		role   liveboard.Role
		studio int64
	}{
		{instanceAdmin, "root@example.test", owner, 0},
		{owner1, "owner@example.test", owner, 0},
		{admin1, "admin@example.test", owner, 0},
		{operator1, "operator@example.test", owner, 0},
		{viewer1, "viewer@example.test", owner, 0},
		{member2, "other@example.test", owner, 0},
		{cappedOwner1, "owner@example.test", viewer, h.studio1.ID},
		{narrowAdmin, "root@example.test", owner, h.studio2.ID},
		{narrowMember, "both@example.test", owner, h.studio2.ID},
	}
	for _, k := range keys {
		var studio *int64
		if k.studio != 0 {
			studio = &k.studio
		}
		h.keys[k.who], _ = h.createKey(t, h.users[k.email], k.role, studio)
	}
}

// createKey stores a fresh API key for the user and returns it and its
// id.
func (h *harness) createKey(t *testing.T, userID int64, role liveboard.Role,
	studio *int64) (string, int64) {
	t.Helper()
	key, hash := httpapi.NewAPIKey()
	k := liveboard.APIKey{UserID: userID, StudioID: studio, Role: role,
		Name: "test key", Prefix: key[:8]}
	if err := h.store.CreateAPIKey(context.Background(), &k, hash); err != nil {
		t.Fatalf("create API key: %v", err)
	}
	h.secrets = append(h.secrets, key)
	return key, k.ID
}

// checkLogs fails the test when a log line holds a secret.
func (h *harness) checkLogs(t *testing.T) {
	logs := h.logs.String()
	for _, s := range h.secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs hold the secret %.12s…", s)
		}
	}
}

// cookie returns the simulator's current login of a stored account.
func (h *harness) cookie(t *testing.T, a liveboard.Account) string {
	t.Helper()
	for _, sa := range h.simAccounts {
		if sa.UserID == a.ShopeeUserID {
			return sa.Cookie
		}
	}
	t.Fatalf("account %d is not simulated", a.ID)
	return ""
}

// account returns the stored account with the id.
func (h *harness) account(t *testing.T, id int64) liveboard.Account {
	t.Helper()
	for _, a := range h.accounts {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no account %d", id)
	return liveboard.Account{}
}

// studio1Accounts returns the accounts of studio 1.
func (h *harness) studio1Accounts() []liveboard.Account {
	return h.accounts[:len(h.accounts)-1]
}

// liveSession returns a session of the account that is on air now.
func (h *harness) liveSession(t *testing.T,
	a liveboard.Account) shopeesim.SessionTruth {
	t.Helper()
	for _, tr := range h.sim.Sessions(a.ShopeeUserID) {
		if tr.Live {
			return tr
		}
	}
	t.Fatalf("account %d has no session on air", a.ID)
	return shopeesim.SessionTruth{}
}

// endedSession returns the account's newest session that has ended.
func (h *harness) endedSession(t *testing.T,
	a liveboard.Account) shopeesim.SessionTruth {
	t.Helper()
	for _, tr := range h.sim.Sessions(a.ShopeeUserID) {
		if !tr.Live {
			return tr
		}
	}
	t.Fatalf("account %d has no ended session", a.ID)
	return shopeesim.SessionTruth{}
}

// fakeQueue records the syncs the API queues.
type fakeQueue struct {
	mu     sync.Mutex
	ids    []int64
	boosts []int64
}

func (q *fakeQueue) EnqueueAccountSync(_ context.Context, id int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

// StartBoost records the plan whose first round is queued.
func (q *fakeQueue) StartBoost(_ context.Context, planID int64,
	_ time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.boosts = append(q.boosts, planID)
	return nil
}

// take returns the queued account ids and forgets them.
func (q *fakeQueue) take() []int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids := q.ids
	q.ids = nil
	return ids
}

// logBuffer collects log output from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
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

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// apiError is the error envelope.
type apiError struct {
	Status    string `json:"status"`
	Message   string `json:"message"`
	Code      string `json:"code"`
	Timestamp string `json:"timestamp"`
}

// call sends a request as who with a raw body ("" for none) and checks
// the answer; see send.
func (h *harness) call(t *testing.T, method, path string, as who,
	body string) response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.url+path, r)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != anonymous {
		key, ok := h.keys[as]
		if !ok {
			t.Fatalf("no key for %q", as)
		}
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return h.send(t, req)
}

// get sends a GET as who.
func (h *harness) get(t *testing.T, path string, as who) response {
	t.Helper()
	return h.call(t, http.MethodGet, path, as, "")
}

// post sends v, encoded as JSON, as who.
func (h *harness) post(t *testing.T, path string, as who, v any) response {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode body: %v", err)
	}
	return h.call(t, http.MethodPost, path, as, string(b))
}

// send sends req and checks, whatever the status, that the answer holds
// no secret and matches the OpenAPI document: the operation's response
// when the document has the route, else the error envelope.
func (h *harness) send(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"),
		"text/event-stream") {
		// A stream of events never ends by itself: the status and
		// headers are the answer; closing the body hangs up.
		return response{status: resp.StatusCode, header: resp.Header}
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}

	res := response{status: resp.StatusCode, header: resp.Header,
		body: body}
	for _, s := range h.secrets {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("%s %s: the answer holds the secret %.12s…",
				req.Method, req.URL.Path, s)
		}
	}
	checkAgainstDoc(t, req, res)
	return res
}

// apiDoc is the OpenAPI document and a router over it, built once.
var apiDoc = sync.OnceValues(func() (*docRouter, error) {
	doc, err := httpapi.OpenAPI()
	if err != nil {
		return nil, err
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &docRouter{doc: doc, router: r}, nil
})

type docRouter struct {
	doc    *openapi3.T
	router routers.Router
}

func loadDoc(t *testing.T) *docRouter {
	t.Helper()
	d, err := apiDoc()
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	return d
}

// checkAgainstDoc fails the test for every problem docProblems finds.
func checkAgainstDoc(t *testing.T, req *http.Request, res response) {
	t.Helper()
	for _, p := range docProblems(loadDoc(t), req, res) {
		t.Errorf("%s %s: %s\nbody: %s", req.Method, req.URL.Path, p,
			res.body)
	}
}

// docProblems validates an answer against the operation the document
// gives for the request, refusing statuses the operation does not list.
// Every error answer, routed or not, must be the error envelope; an
// answer to a request the document has no route for must be an error.
func docProblems(d *docRouter, req *http.Request, res response) []string {
	var problems []string
	if res.status >= 400 {
		problems = append(problems, envelopeProblems(d.doc, res)...)
	}

	route, params, err := d.router.FindRoute(req)
	if err != nil {
		if res.status < 400 {
			problems = append(problems, fmt.Sprintf(
				"answered %d but the document has no such route",
				res.status))
		}
		return problems
	}

	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route},
		Status: res.status,
		Header: res.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true,
			MultiError: true},
	}
	in.SetBodyBytes(res.body)
	err = openapi3filter.ValidateResponse(context.Background(), in)
	if err != nil {
		problems = append(problems, fmt.Sprintf(
			"answer %d does not match the document: %v", res.status, err))
	}
	return problems
}

func envelopeProblems(doc *openapi3.T, res response) []string {
	var v any
	if err := json.Unmarshal(res.body, &v); err != nil {
		return []string{"error answer is not JSON: " + err.Error()}
	}
	schema := doc.Components.Schemas["ErrorEnvelope"].Value
	if err := schema.VisitJSON(v); err != nil {
		return []string{"error answer is not the envelope: " + err.Error()}
	}
	return nil
}

// wantStatus stops the test unless the answer has the status.
func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status = %d, want %d; body: %s", res.status, status,
			res.body)
	}
}

// wantError stops the test unless the answer is the error envelope with
// the status and code, and returns it.
func wantError(t *testing.T, res response, status int,
	code string) apiError {
	t.Helper()
	wantStatus(t, res, status)
	var e apiError
	if err := json.Unmarshal(res.body, &e); err != nil {
		t.Fatalf("decode error envelope: %v; body: %s", err, res.body)
	}
	if e.Status != "error" || e.Code != code {
		t.Fatalf("status, code = %q, %q; want error, %s; body: %s",
			e.Status, e.Code, code, res.body)
	}
	if e.Message == "" {
		t.Errorf("error %s has no message", code)
	}
	return e
}

// dataOf checks the success envelope and decodes its data into a T;
// JSON numbers decode into json.Number wherever T leaves the type open.
func dataOf[T any](t *testing.T, res response, status int) T {
	t.Helper()
	wantStatus(t, res, status)
	var env struct {
		Status    string `json:"status"`
		Data      T      `json:"data"`
		Timestamp string `json:"timestamp"`
	}
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("decode answer: %v; body: %s", err, res.body)
	}
	if env.Status != "success" {
		t.Fatalf("envelope status = %q, want success", env.Status)
	}
	return env.Data
}

// sorted returns a sorted copy of ids.
func sorted[T int64 | string](ids []T) []T {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
