package httpapi

import (
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"liveboard"
	"liveboard/workflow"
)

// keyLimits holds one token bucket per API key. A nil *keyLimits lets
// everything through.
type keyLimits struct {
	every rate.Limit
	burst int

	mu   sync.Mutex
	byID map[int64]*keyLimit
}

type keyLimit struct {
	lim      *rate.Limiter
	lastSeen time.Time
}

// newKeyLimits returns limits of perSecond requests on average with
// bursts of burst (perSecond when smaller), or nil for no limit.
func newKeyLimits(perSecond float64, burst int) *keyLimits {
	if perSecond <= 0 {
		return nil
	}
	burst = max(burst, int(math.Ceil(perSecond)), 1)
	return &keyLimits{every: rate.Limit(perSecond), burst: burst,
		byID: map[int64]*keyLimit{}}
}

// idleLimit is how long a key's bucket is kept after its last request;
// by then it is full again anyway.
const idleLimit = 10 * time.Minute

// allow takes a token from the key's bucket at now. When the bucket is
// empty it sets Retry-After, in whole seconds, and returns ERateLimited.
func (l *keyLimits) allow(w http.ResponseWriter, keyID int64,
	now time.Time) error {
	if l == nil {
		return nil
	}

	l.mu.Lock()
	kl, ok := l.byID[keyID]
	if !ok {
		l.forgetIdle(now)
		kl = &keyLimit{lim: rate.NewLimiter(l.every, l.burst)}
		l.byID[keyID] = kl
	}
	kl.lastSeen = now
	res := kl.lim.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	if wait > 0 {
		res.CancelAt(now)
	}
	l.mu.Unlock()

	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return liveboard.Errorf(liveboard.ERateLimited,
		"too many requests with this API key; retry in %d s", max(secs, 1))
}

// forgetIdle drops buckets unused for idleLimit. The caller holds l.mu.
func (l *keyLimits) forgetIdle(now time.Time) {
	for id, kl := range l.byID {
		if now.Sub(kl.lastSeen) > idleLimit {
			delete(l.byID, id)
		}
	}
}

// APIContentSecurityPolicy is the policy of every API answer: JSON loads
// nothing and is framed nowhere.
const APIContentSecurityPolicy = "default-src 'none'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// setSecurityHeaders sets the headers every answer carries.
func setSecurityHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", APIContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// cors adds the CORS headers for an allowed origin, and answers its
// preflight requests itself, reporting true then. Requests from other
// origins get no CORS header, so browsers keep their pages from reading
// the answers.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || !strings.HasPrefix(r.URL.Path, "/api/") ||
		!slices.Contains(s.cfg.CORSOrigins, origin) {
		return false
	}

	h := w.Header()
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", "Retry-After")

	preflight := r.Method == http.MethodOptions &&
		r.Header.Get("Access-Control-Request-Method") != ""
	if !preflight {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// RemoteIP returns the host of the request's remote address: the
// address of whoever connected, with no proxy header trusted.
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// defaultAccounts builds the account manager on the API's store and
// Shopee client, or returns nil when the client cannot log in.
func defaultAccounts(cfg Config) *workflow.Accounts {
	sh, ok := cfg.Shopee.(workflow.AccountShopee)
	if !ok || cfg.Store == nil {
		return nil
	}
	m := &workflow.Accounts{Store: cfg.Store, Shopee: sh, Now: cfg.Now,
		Logger: cfg.Logger}
	if cfg.Queue != nil {
		m.Queue = cfg.Queue
	}
	return m
}
