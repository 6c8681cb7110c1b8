package shopeesim

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Endpoint names, as Calls counts them and SetFaults takes them.
const (
	EndpointUserInfo    = "userInfo"
	EndpointSessionList = "sessionList"
	EndpointSessionInfo = "sessionInfo"
	EndpointOverview    = "overview"
	EndpointOngoing     = "ongoing"
)

// Server is the simulated Shopee. It serves every host's paths on one
// handler: the creator centre's supply API under both its creator prefix
// (/supply/api/lm/sellercenter/) and its seller-centre prefix
// (/api/supply/lm/sellercenter/), the live room API (/api/v1/), the ads
// API (/api/pas/v1/), the streamer selector (/api/v4/), and a plain JSON
// view of its ground truth under /_sim/. It is safe for concurrent use.
type Server struct {
	clock  Clock
	quirk  bool
	routes map[string]route
	// posts are the paths answered to POST instead of GET; patterns the
	// paths with an id segment, such as /api/v1/session/{id}/coin/start.
	posts    map[string]bool
	patterns []string

	mu    sync.RWMutex
	world *world
	qr    *qrBook

	callsMu sync.Mutex
	calls   map[string]int

	faultsMu sync.Mutex
	faults   map[string]Faults
	faultRNG *rand.Rand

	// extrasMu guards what the ads and coin endpoints change: the
	// accounts' campaigns and the sessions' coin giveaways. It is taken
	// after mu when both are needed.
	extrasMu sync.Mutex
	coins    map[int64][]*giveaway

	closing   chan struct{}
	closeOnce sync.Once
}

// New returns a simulator whose world is generated from opts as it stands
// at the clock's current time.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{
		clock:    opts.Clock,
		quirk:    *opts.StatusQuirk,
		world:    newWorld(opts, opts.Clock.Now()),
		qr:       newQRBook(opts),
		calls:    map[string]int{},
		faults:   map[string]Faults{},
		faultRNG: rand.New(rand.NewPCG(uint64(opts.Seed), 0xfa17)),
		coins:    map[int64][]*giveaway{},
		closing:  make(chan struct{}),
	}
	s.routes = s.routeTable()
	s.addRoutes()
	return s
}

// Close releases every request the simulator is holding back (latency,
// timeouts) with HTTP 503, so an http.Server serving it can shut down at
// once. Afterwards requests that would be delayed get HTTP 503 at once;
// the others are answered as before.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
}

// Accounts returns every account with its current login, in the order
// they were made.
func (s *Server) Accounts() []Account {
	s.mu.RLock()
	defer s.mu.RUnlock()

	out := make([]Account, len(s.world.accounts))
	for i, a := range s.world.accounts {
		out[i] = a.Account
	}
	return out
}

// Sessions returns the account's sessions that have started by the
// clock's time, newest first, with their truth at that time. It returns
// nil for an unknown account.
func (s *Server) Sessions(userID int64) []SessionTruth {
	now := s.clock.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()

	a, ok := s.world.byUser[userID]
	if !ok {
		return nil
	}
	var out []SessionTruth
	for _, ss := range slices.Backward(a.sessions) {
		if tr, ok := ss.truthAt(now); ok {
			out = append(out, tr)
		}
	}
	return out
}

// Truth returns what the simulator serves for the session at time at. It
// reports false for an unknown session and for a time before the session
// started.
func (s *Server) Truth(sessionID int64, at time.Time) (SessionTruth, bool) {
	s.mu.RLock()
	ss, ok := s.world.bySession[sessionID]
	s.mu.RUnlock()
	if !ok {
		return SessionTruth{}, false
	}
	return ss.truthAt(at)
}

// AddSession adds a session to the account and returns its new id, or 0
// for an unknown account. Zero fields of spec are filled as SessionSpec
// describes. A session may overlap the account's others.
func (s *Server) AddSession(userID int64, spec SessionSpec) int64 {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()

	w := s.world
	a, ok := w.byUser[userID]
	if !ok {
		return 0
	}
	w.lastID += 1 + w.ids.Int64N(50)
	id := w.lastID

	rng := rand.New(rand.NewPCG(uint64(w.seed), uint64(id)))
	if spec.Start.IsZero() {
		spec.Start = now
	}
	if spec.Duration <= 0 {
		spec.Duration = 2 * time.Hour
	}
	if spec.PeakViewers <= 0 {
		spec.PeakViewers = a.peakViewers(rng)
	}
	if spec.Title == "" {
		spec.Title = sessionTitle(rng)
	}
	spec.Drops = slices.Clone(spec.Drops)
	w.add(a, id, spec)
	return id
}

// ExpireLogin makes the account's current cookie unknown to the
// simulator, as when Shopee ends a login. Unknown accounts are ignored.
func (s *Server) ExpireLogin(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if a, ok := s.world.byUser[userID]; ok {
		s.world.expire(a)
	}
}

// Relogin issues the account a new login, clears any account fault, and
// returns the new Cookie header value; the old cookie stops working. It
// returns "" for an unknown account.
func (s *Server) Relogin(userID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()

	a, ok := s.world.byUser[userID]
	if !ok {
		return ""
	}
	a.fault = 0
	return s.world.login(a)
}

// Calls returns how many requests each endpoint has received, faulted
// ones included, keyed by the Endpoint names. The /_sim/ views are not
// counted.
func (s *Server) Calls() map[string]int {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()

	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// ResetCalls sets every endpoint's count back to zero.
func (s *Server) ResetCalls() {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()
	clear(s.calls)
}

func (s *Server) count(endpoint string) {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()
	s.calls[endpoint]++
}

// ServeHTTP answers one request the way Shopee would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveQR(w, r) {
		return
	}
	rt, pattern, ok := s.lookup(r)
	if !ok {
		writeJSON(w, http.StatusNotFound, plainError{Error: "not found"})
		return
	}
	if allow := s.allowed(pattern); !slices.Contains(allow, r.Method) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed,
			plainError{Error: "method not allowed"})
		return
	}

	if rt.endpoint == "" {
		rt.serve(&call{r: r, now: s.clock.Now()}).write(w)
		return
	}
	s.serveShopee(w, r, rt)
}

// serveShopee runs a Shopee endpoint: count, delay, faults, answer.
func (s *Server) serveShopee(w http.ResponseWriter, r *http.Request,
	rt route) {
	s.count(rt.endpoint)
	draw := s.drawFault(rt.endpoint)
	if draw.delay > 0 {
		if res := s.wait(r, draw.delay); res != waited {
			res.write(w)
			return
		}
	}

	s.mu.RLock()
	c := &call{r: r, now: s.clock.Now(), acct: s.caller(r)}
	kind := draw.kind
	if c.acct != nil && c.acct.fault != 0 {
		kind = c.acct.fault
	}
	var rep reply
	if kind != Timeout {
		rep = s.answer(rt, c, kind)
	}
	s.mu.RUnlock()

	if kind == Timeout {
		s.hold(w, r, draw.hold)
		return
	}
	rep.write(w)
}

// answer builds the endpoint's reply to c, shaped by a fault kind (zero
// for none). The caller holds s.mu for reading.
func (s *Server) answer(rt route, c *call, kind FaultKind) reply {
	if kind != 0 && !kind.keepsAnswer() {
		return faultReply(rt, kind)
	}

	var rep reply
	if rt.auth && c.acct == nil {
		rep = rt.family.expired()
	} else {
		rep = rt.serve(c)
	}
	if kind != 0 {
		rep = reshape(rep, kind)
	}
	return rep
}

// caller returns the account whose current login the request's SPC_EC
// cookie carries, or nil. The caller holds s.mu for reading.
func (s *Server) caller(r *http.Request) *account {
	ck, err := r.Cookie("SPC_EC")
	if err != nil || ck.Value == "" {
		return nil
	}
	return s.world.byEC[ck.Value]
}
