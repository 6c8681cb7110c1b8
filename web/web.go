// Package web serves Liveboard's dashboard: server-rendered pages for
// people signed in with a password. Pages are html/template files and
// their assets are embedded; nothing loads from another site and no
// inline script runs, so the Content-Security-Policy allows scripts and
// styles from the dashboard itself only.
//
// Every page but the sign-in page needs a browser session. Every form
// carries a CSRF token bound to the session (the sign-in form one bound
// to a cookie of its own), and cross-origin form posts are refused
// outright. Each page lives in a file of its own; routes.go is the one
// list of what the dashboard answers.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"liveboard"
	"liveboard/livestream"
	"liveboard/workflow"
)

//go:embed templates static
var assets embed.FS

// Config holds what the dashboard needs. Store and Accounts are required.
type Config struct {
	Store    liveboard.Store
	Accounts *workflow.Accounts

	// SessionTTL is how long a sign-in lasts; 12 hours by default.
	SessionTTL time.Duration
	// InsecureCookies leaves the Secure attribute off the cookies, for a
	// dashboard served over plain HTTP. Never set it where the dashboard
	// faces a network.
	InsecureCookies bool
	// Throttle limits sign-in attempts; DefaultThrottle when zero.
	Throttle ThrottleConfig

	// ClientIP returns the address a request came from, for throttling
	// and the audit log; the connection's remote address by default.
	ClientIP func(*http.Request) string
	Logger   *slog.Logger
	Now      func() time.Time

	// StreamPoll is how often a live wall stream looks for snapshots
	// that NotifyStored did not announce; 1 s by default.
	StreamPoll time.Duration
	// Channels sends test messages to alert channels; without it the
	// alert settings offer no test.
	Channels ChannelTester
	// Optimizer reviews the studio's ads campaigns for the campaigns
	// page; without it the page shows the auto-pause settings and log
	// only.
	Optimizer *workflow.Optimizer
	// Booster starts and stops coin boost plans, and Boosts queues
	// their rounds; without both the boosts page only lists plans.
	Booster *workflow.Booster
	Boosts  workflow.BoostQueue
	// AllowPrivateWebhooks lets admins add webhooks whose URL names
	// localhost or a private, loopback or link-local address; by default
	// adding one is refused as invalid.
	AllowPrivateWebhooks bool
}

// ChannelTester sends a test message to an alert channel now. problem
// says why the channel did not take it, in words safe to show; err is a
// failure to try at all.
type ChannelTester interface {
	SendTest(ctx context.Context, channelID int64) (problem string,
		err error)
}

// Server is the dashboard's HTTP handler.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	routes   []Route
	pages    map[string]*template.Template
	static   http.Handler
	throttle *throttle
	cop      *http.CrossOriginProtection
	// live wakes and ends the live wall's streams.
	live livestream.Hub
}

// Route is one method and path pattern the dashboard answers.
type Route struct {
	Method string
	Path   string
	// Public routes need no session.
	Public bool
}

// New returns the dashboard.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Accounts == nil {
		return nil, errors.New("web: a store and an account manager " +
			"are required")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = remoteIP
	}
	if cfg.StreamPoll <= 0 {
		cfg.StreamPoll = time.Second
	}

	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}

	s := &Server{cfg: cfg, mux: http.NewServeMux(), pages: pages,
		static:   http.StripPrefix("/static/", http.FileServerFS(static)),
		throttle: newThrottle(cfg.Throttle),
		cop:      http.NewCrossOriginProtection()}
	s.install()
	return s, nil
}

// Routes lists every route the dashboard answers, in the order
// registered.
func (s *Server) Routes() []Route { return s.routes }

// ContentSecurityPolicy is the policy of every page: the dashboard's own
// scripts, styles and images only, no framing, forms posting only to the
// dashboard.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; " +
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; " +
	"object-src 'none'"

// ServeHTTP answers a request, with the security headers on every
// answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}

	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.fail(w, r, nil, liveboard.Errorf(liveboard.ENotFound,
			"there is no page at %s", r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// remoteIP returns the host of the request's remote address.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
