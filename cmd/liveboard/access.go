package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"liveboard/httpapi"
)

// accessFlags are the settings of who may reach what, shared by serve
// and demo.
type accessFlags struct {
	RateLimit       float64       `name:"rate-limit" env:"LIVEBOARD_RATE_LIMIT" default:"10" help:"Requests per second one API key may make on average; 0 for no limit."`
	RateBurst       int           `name:"rate-burst" env:"LIVEBOARD_RATE_BURST" default:"40" help:"Requests one API key may make at once before the rate limit applies."`
	CORSOrigins     []string      `name:"cors-origins" env:"LIVEBOARD_CORS_ORIGINS" help:"Browser origins (https://host[:port], comma-separated) whose pages may call the API; none by default."`
	SessionTTL      time.Duration `name:"session-ttl" env:"LIVEBOARD_SESSION_TTL" default:"12h" help:"How long a dashboard sign-in lasts."`
	InsecureCookies bool          `name:"insecure-cookies" env:"LIVEBOARD_INSECURE_COOKIES" help:"Send the dashboard's cookies without Secure, for plain HTTP on a network (not needed on localhost)."`
	TrustProxy      bool          `name:"trust-proxy" env:"LIVEBOARD_TRUST_PROXY" help:"Take the client's address from the last X-Forwarded-For entry, as set by one reverse proxy in front."`
	ProbeInterval   time.Duration `name:"probe-interval" env:"LIVEBOARD_PROBE_INTERVAL" default:"6h" help:"How often every account's Shopee login is checked with a cheap call; 0 turns it off."`
}

// validate refuses settings that make no sense.
func (f accessFlags) validate() error {
	switch {
	case f.RateLimit < 0:
		return fmt.Errorf("--rate-limit must be 0 (no limit) or more, "+
			"got %v", f.RateLimit)
	case f.RateBurst < 1:
		return fmt.Errorf("--rate-burst must be at least 1, got %d",
			f.RateBurst)
	case f.SessionTTL < time.Minute:
		return fmt.Errorf("--session-ttl must be at least 1m, got %v",
			f.SessionTTL)
	case f.ProbeInterval < 0:
		return fmt.Errorf("--probe-interval must be 0 (off) or more, "+
			"got %v", f.ProbeInterval)
	}
	return nil
}

// logAttrs returns the settings for the configuration log line.
func (f accessFlags) logAttrs() []any {
	return []any{"rate_limit", f.RateLimit, "rate_burst", f.RateBurst,
		"cors_origins", f.CORSOrigins, "session_ttl", f.SessionTTL,
		"insecure_cookies", f.InsecureCookies, "trust_proxy", f.TrustProxy,
		"probe_interval", f.ProbeInterval}
}

// clientIP returns how to tell where a request came from: the
// connection's address, or behind a trusted proxy the address it
// appended to X-Forwarded-For.
func clientIP(trustProxy bool) func(*http.Request) string {
	if !trustProxy {
		return httpapi.RemoteIP
	}
	return func(r *http.Request) string {
		values := r.Header.Values("X-Forwarded-For")
		if len(values) > 0 {
			last := values[len(values)-1]
			last = strings.TrimSpace(last[strings.LastIndex(last, ",")+1:])
			if ip := net.ParseIP(last); ip != nil {
				return ip.String()
			}
		}
		return httpapi.RemoteIP(r)
	}
}

// mount serves the API and its operations endpoints from api, and every
// other path, the dashboard's pages, from dashboard.
func mount(api, dashboard http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/api/"), p == "/healthz",
			p == "/readyz", p == "/metrics":
			api.ServeHTTP(w, r)
		default:
			dashboard.ServeHTTP(w, r)
		}
	})
}

// logCORS warns about origins that cannot match a browser's Origin.
func logCORS(logger *slog.Logger, origins []string) {
	for _, o := range origins {
		if !strings.HasPrefix(o, "https://") &&
			!strings.HasPrefix(o, "http://") || strings.HasSuffix(o, "/") {
			logger.Warn("CORS origin will never match: want "+
				"scheme://host[:port] without a path", "origin", o)
		}
	}
}
