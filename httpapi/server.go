// Package httpapi serves Liveboard's JSON API under /api/live-streaming,
// its OpenAPI document, and the operations endpoints (/healthz, /readyz,
// /metrics). Every API route needs an API key and sees only the studios
// its key may see.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"liveboard"
	"liveboard/livestream"
	"liveboard/shopee"
	"liveboard/workflow"
)

// Shopee is what the API calls on Shopee directly.
type Shopee interface {
	workflow.Shopee
	SessionList(ctx context.Context, a shopee.Auth,
		page, pageSize int) (*shopee.SessionPage, error)
	ShopeeEndpoints
}

// Queue takes background work the API asks for.
type Queue interface {
	EnqueueAccountSync(ctx context.Context, accountID int64) error
}

// Observer records answered requests, for metrics.
type Observer interface {
	ObserveRequest(route string, status int, d time.Duration)
}

// Config holds what the API needs. Store, Shopee and Syncer are required.
type Config struct {
	Store  liveboard.Store
	Shopee Shopee
	Syncer *workflow.Syncer
	Queue  Queue
	// SMM is the SMM panel read by the /external/smm routes; nil when
	// none is configured.
	SMM SMMPanel

	// Ready reports whether the service can take traffic: database up,
	// migrations applied. Nil means always ready.
	Ready func(ctx context.Context) error

	// Metrics serves /metrics when set.
	Metrics  http.Handler
	Observer Observer

	Logger *slog.Logger
	Now    func() time.Time

	// Products reads product lists from Shopee for
	// /items/session-products; the route answers 400 without it.
	Products ProductReader
	// Channels sends test messages to alert channels; the test route
	// answers 400 without it.
	Channels ChannelTester
	// AllowPrivateWebhooks lets admins add webhooks whose URL names
	// localhost or a private, loopback or link-local address; by default
	// adding one is refused as invalid.
	AllowPrivateWebhooks bool
	// StreamPoll is how often a live stream looks for snapshots stored
	// by other instances; 1 s by default. NotifyStored wakes the streams
	// of this one at once.
	StreamPoll time.Duration

	// Accounts connects, logs in again and removes Shopee accounts. When
	// nil, New builds one on Store and Shopee, if Shopee can log in.
	Accounts *workflow.Accounts

	// RateLimit is how many requests per second one API key may make on
	// average, with bursts of up to RateBurst; 0 means no limit.
	RateLimit float64
	RateBurst int

	// CORSOrigins are the browser origins (scheme://host[:port]) allowed
	// to call the API from their pages; none by default.
	CORSOrigins []string

	// ClientIP returns the address a request came from, for the audit
	// log; the connection's remote address by default.
	ClientIP func(*http.Request) string

	// Optimizer reviews studios' ads campaigns for
	// /campaigns/optimization. When nil, New builds one on Store and
	// Shopee.
	Optimizer *workflow.Optimizer

	// Booster checks and runs coin boost plans, and Boosts queues their
	// rounds; the boost routes that start or stop plans answer 400
	// without Boosts. When Booster is nil, New builds one on Store and
	// Shopee.
	Booster *workflow.Booster
	Boosts  Boosts
}

// Server is the API's HTTP handler.
type Server struct {
	cfg    Config
	mux    *http.ServeMux
	routes []Route
	doc    []byte
	limits *keyLimits

	// live wakes and ends the live streams.
	live livestream.Hub
}

// Route is one method and path pattern the API answers.
type Route struct {
	Method string
	Path   string
	// Public routes need no API key.
	Public bool
}

// New returns the API server.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.StreamPoll <= 0 {
		cfg.StreamPoll = time.Second
	}

	doc, err := openAPIJSON()
	if err != nil {
		return nil, err
	}

	if cfg.Accounts == nil {
		cfg.Accounts = defaultAccounts(cfg)
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = RemoteIP
	}
	if cfg.Optimizer == nil && cfg.Shopee != nil {
		cfg.Optimizer = &workflow.Optimizer{Store: cfg.Store,
			Shopee: cfg.Shopee, Now: cfg.Now, Logger: cfg.Logger}
	}
	if cfg.Booster == nil && cfg.Shopee != nil {
		cfg.Booster = &workflow.Booster{Store: cfg.Store,
			Shopee: cfg.Shopee, Now: cfg.Now, Logger: cfg.Logger}
	}

	s := &Server{cfg: cfg, mux: http.NewServeMux(), doc: doc,
		limits: newKeyLimits(cfg.RateLimit, cfg.RateBurst)}
	s.install()
	return s, nil
}

// Routes lists every route the server answers, in the order registered.
func (s *Server) Routes() []Route { return s.routes }

// ServeHTTP answers a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	setSecurityHeaders(rec, r)
	if s.cors(rec, r) {
		return
	}

	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		s.noRoute(rec, r)
	} else {
		s.mux.ServeHTTP(rec, r)
	}

	if s.cfg.Observer != nil {
		route := pattern
		if route == "" {
			route = "unmatched"
		}
		s.cfg.Observer.ObserveRequest(route, rec.status, time.Since(start))
	}
}

// noRoute answers a request no pattern matched: 405 when another method
// would match the path, else 404, in the error envelope.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost,
		http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" {
			w.Header().Set("Allow", m)
			s.writeError(w, r, liveboard.Errorf(EMethodNotAllowed,
				"%s is not allowed on %s", r.Method, r.URL.Path))
			return
		}
	}
	s.writeError(w, r, liveboard.Errorf(liveboard.ENotFound,
		"no route %s %s", r.Method, r.URL.Path))
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the real writer, for
// flushing server-sent events.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
