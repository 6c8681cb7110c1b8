package shopee

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/failsafe-go/failsafe-go/retrypolicy"
	"golang.org/x/time/rate"
)

// Defaults of the resilience settings in Config. An account's own rate
// is the politeness that matters to Shopee, which throttles per login;
// its burst lets one monitoring look at an account (a session list and
// four overviews) go out at once. The host limit guards against runaway loops: its burst lets one
// monitoring tick of 250 accounts with four live sessions each (about
// 2,250 calls) go out at once, its rate caps what follows.
const (
	DefaultMaxAttempts    = 4
	DefaultRetryDelay     = 250 * time.Millisecond
	DefaultRetryMaxDelay  = 10 * time.Second
	DefaultMaxRetryAfter  = 30 * time.Second
	DefaultCallTimeout    = time.Minute
	DefaultAttemptTimeout = 20 * time.Second
	DefaultAccountRate    = 2.0
	DefaultAccountBurst   = 5
	DefaultHostRate       = 100.0
	DefaultHostBurst      = 2500
	DefaultBreakerDelay   = 30 * time.Second
	DefaultCacheTTL       = 5 * time.Minute
)

// The circuit breaker of a host opens when breakerFailures of its last
// breakerWindow requests failed at the host's end (HTTP 5xx, timeouts,
// unreadable answers), and closes again after breakerSuccesses trial
// requests in a row succeed. Three failures in four leave room for the
// odd bad minute without tripping.
const (
	breakerFailures  = 15
	breakerWindow    = 20
	breakerSuccesses = 2
)

// jitterFactor spreads each retry's wait by up to a quarter either way,
// so clients that failed together do not retry together.
const jitterFactor = 0.25

// maxLimiters bounds how many per-account limiters are kept; beyond it
// they start afresh, which at worst lets one burst through.
const maxLimiters = 10_000

// settings are a Config's resilience fields with defaults filled in.
type settings struct {
	maxAttempts    int
	retryDelay     time.Duration
	retryMaxDelay  time.Duration
	maxRetryAfter  time.Duration
	callTimeout    time.Duration
	attemptTimeout time.Duration
	accountRate    rate.Limit
	accountBurst   int
	hostRate       rate.Limit
	hostBurst      int
	breakerDelay   time.Duration
	cacheTTL       time.Duration
}

func newSettings(cfg Config) settings {
	s := settings{
		maxAttempts:    orInt(cfg.MaxAttempts, DefaultMaxAttempts),
		retryDelay:     orDuration(cfg.RetryDelay, DefaultRetryDelay),
		retryMaxDelay:  orDuration(cfg.RetryMaxDelay, DefaultRetryMaxDelay),
		maxRetryAfter:  orDuration(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		callTimeout:    orDuration(cfg.CallTimeout, DefaultCallTimeout),
		attemptTimeout: orDuration(cfg.AttemptTimeout, DefaultAttemptTimeout),
		accountRate:    orRate(cfg.AccountRate, DefaultAccountRate),
		accountBurst:   orInt(cfg.AccountBurst, DefaultAccountBurst),
		hostRate:       orRate(cfg.HostRate, DefaultHostRate),
		hostBurst:      orInt(cfg.HostBurst, DefaultHostBurst),
		breakerDelay:   orDuration(cfg.BreakerDelay, DefaultBreakerDelay),
		cacheTTL:       orDuration(cfg.CacheTTL, DefaultCacheTTL),
	}
	s.maxAttempts = max(s.maxAttempts, 1)
	s.retryMaxDelay = max(s.retryMaxDelay, s.retryDelay)
	if s.callTimeout < 0 {
		s.callTimeout = DefaultCallTimeout
	}
	return s
}

// Effective returns cfg with the defaults filled in where it leaves a
// setting zero, as the client applies them; a rate limit that is off
// shows as -1.
func (cfg Config) Effective() Config {
	s := newSettings(cfg)
	perSecond := func(l rate.Limit) float64 {
		if l == rate.Inf {
			return -1
		}
		return float64(l)
	}
	cfg.MaxAttempts = s.maxAttempts
	cfg.RetryDelay, cfg.RetryMaxDelay = s.retryDelay, s.retryMaxDelay
	cfg.MaxRetryAfter = s.maxRetryAfter
	cfg.CallTimeout, cfg.AttemptTimeout = s.callTimeout, s.attemptTimeout
	cfg.AccountRate, cfg.AccountBurst = perSecond(s.accountRate),
		s.accountBurst
	cfg.HostRate, cfg.HostBurst = perSecond(s.hostRate), s.hostBurst
	cfg.BreakerDelay, cfg.CacheTTL = s.breakerDelay, s.cacheTTL
	return cfg
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orDuration(v, def time.Duration) time.Duration {
	if v == 0 {
		return def
	}
	return v
}

// orRate turns a requests-per-second setting into a limit: the default
// when zero, none when negative.
func orRate(v, def float64) rate.Limit {
	switch {
	case v == 0:
		return rate.Limit(def)
	case v < 0:
		return rate.Inf
	}
	return rate.Limit(v)
}

// resilience holds the state the policies share between calls: rate
// limiters per account and per host, a circuit breaker per host, the read
// cache and the calls in flight.
type resilience struct {
	settings
	observer Observer

	mu       sync.Mutex
	accounts map[string]*rate.Limiter
	hosts    map[string]*rate.Limiter
	breakers map[string]breaker

	cache   *answerCache
	flights flights
}

func newResilience(s settings, obs Observer) *resilience {
	r := &resilience{
		settings: s,
		observer: obs,
		accounts: map[string]*rate.Limiter{},
		hosts:    map[string]*rate.Limiter{},
		breakers: map[string]breaker{},
	}
	if s.cacheTTL > 0 {
		r.cache = newAnswerCache(s.cacheTTL)
	}
	return r
}

// fetch returns the data of cl's answer: from the cache, from an
// identical call already in flight, or from Shopee. Writes go straight
// to Shopee and drop the account's cached answers.
func (c *Client) fetch(ctx context.Context, a Auth, cl call,
	fresh func() any) (json.RawMessage, error) {
	acct := accountKey(a)
	if cl.use.isWrite() {
		data, err := c.run(ctx, a, cl, fresh)
		if c.res.cache != nil {
			c.res.cache.drop(acct)
		}
		return data, err
	}

	key := c.url(a.Region, cl.service, cl.path, cl.query) + "\n" +
		cl.method + "\n" + string(cl.body)
	cached := cl.use == cachedRead && c.res.cache != nil
	var gen uint64
	if cached {
		var data json.RawMessage
		var ok bool
		if data, gen, ok = c.res.cache.get(acct, key); ok {
			return data, nil
		}
	}

	run := func(ctx context.Context) (json.RawMessage, error) {
		return c.run(ctx, a, cl, fresh)
	}
	data, err := c.collapse(ctx, cl.endpoint, acct+"\n"+key, run)
	if err == nil && cached {
		c.res.cache.put(acct, key, data, gen)
	}
	return data, err
}

// collapse runs fn once for all the concurrent callers with the same
// key: the first runs it, the others wait for its answer. A waiting
// caller whose context ends stops waiting; if the call it waited for was
// stopped by the first caller's context, it makes its own.
func (c *Client) collapse(ctx context.Context, endpoint, key string,
	fn func(context.Context) (json.RawMessage, error)) (json.RawMessage,
	error) {
	f, first := c.res.flights.join(key)
	if first {
		f.data, f.err = fn(ctx)
		c.res.flights.leave(key, f)
		return f.data, f.err
	}

	select {
	case <-f.done:
		if errors.Is(f.err, errCanceled) && ctx.Err() == nil {
			return fn(ctx)
		}
		return f.data, f.err
	case <-ctx.Done():
		return nil, &canceledError{endpoint: endpoint, cause: ctx.Err()}
	}
}

// flights are the calls in flight, by key.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight is one call in flight; done closes once data and err are set.
// waiters counts the callers that joined it.
type flight struct {
	done    chan struct{}
	data    json.RawMessage
	err     error
	waiters int
}

// join returns the flight of key, and whether the caller starts it.
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	if f, ok := fs.m[key]; ok {
		f.waiters++
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f := &flight{done: make(chan struct{})}
	fs.m[key] = f
	return f, true
}

// waiting returns how many callers wait for flights to end.
func (fs *flights) waiting() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for _, f := range fs.m {
		n += f.waiters
	}
	return n
}

// leave ends the flight: later callers start afresh, waiting ones read
// its result.
func (fs *flights) leave(key string, f *flight) {
	fs.mu.Lock()
	delete(fs.m, key)
	fs.mu.Unlock()
	close(f.done)
}

// run sends cl within the call's deadline, retrying what may succeed on
// a second try, through the host's circuit breaker.
func (c *Client) run(ctx context.Context, a Auth, cl call,
	fresh func() any) (json.RawMessage, error) {
	callCtx, cancel := context.WithTimeout(ctx, c.res.callTimeout)
	defer cancel()
	deadline, _ := callCtx.Deadline()
	host := Host(a.Region, cl.service)

	cb := c.res.breaker(host)
	var last *Error
	data, err := failsafe.With(c.res.retryPolicy(cl, cb, deadline),
		cb).WithContext(callCtx).Get(
		func() (json.RawMessage, error) {
			data, err := c.attempt(callCtx, a, cl, host, fresh)
			errors.As(err, &last)
			return data, err
		})
	if err == nil {
		return data, nil
	}
	return nil, c.callError(ctx, callCtx, cl, host, err, last)
}

// attempt waits for the account's and the host's rate limits, then
// sends one request; the HTTP client's timeout bounds it.
func (c *Client) attempt(ctx context.Context, a Auth, cl call, host string,
	fresh func() any) (json.RawMessage, error) {
	if err := c.res.wait(ctx, a, host); err != nil {
		return nil, err
	}
	return c.send(ctx, a, cl, fresh)
}

// callError turns how a call ended into its error: the caller's own
// cancellation, the last answer when the call ran out of time or
// retries, or the host's open circuit breaker.
func (c *Client) callError(ctx, callCtx context.Context, cl call,
	host string, err error, last *Error) error {
	f := failer{endpoint: cl.endpoint}
	switch {
	case ctx.Err() != nil:
		return &canceledError{endpoint: cl.endpoint, cause: ctx.Err()}
	case errors.Is(err, circuitbreaker.ErrOpen):
		return f.fail(ErrUnavailable, 0, 0, "calls to "+host+
			" are paused after repeated failures")
	case errors.Is(err, errNoTime):
		if last != nil {
			return last
		}
		return f.fail(ErrRateLimited, 0, 0, "the rate limit of this "+
			"account or host leaves no time before the deadline")
	case callCtx.Err() != nil || errors.Is(err, errCanceled):
		if last != nil {
			return last
		}
		return f.fail(ErrUnavailable, 0, 0, "timed out")
	}
	return err
}

// retryPolicy decides, for one call through the breaker cb, which
// failures are tried again and how long to wait before each try.
func (r *resilience) retryPolicy(cl call, cb breaker,
	deadline time.Time) retrypolicy.RetryPolicy[json.RawMessage] {
	b := retrypolicy.NewBuilder[json.RawMessage]().
		AbortIf(func(_ json.RawMessage, err error) bool {
			return err != nil && !r.retryable(cl, cb, err, deadline)
		}).
		WithMaxAttempts(r.maxAttempts).
		WithBackoff(r.retryDelay, r.retryMaxDelay).
		WithJitterFactor(jitterFactor).
		WithDelayFunc(func(e attempt) time.Duration {
			return waitAsked(cb, e.LastError())
		}).
		ReturnLastFailure()
	if obs, ok := r.observer.(RetryObserver); ok {
		b = b.OnRetryScheduled(func(e retryScheduled) {
			obs.ObserveRetry(cl.endpoint, outcome(e.LastError()), e.Delay)
		})
	}
	return b.Build()
}

// Short names of the policies' generic types.
type (
	breaker        = circuitbreaker.CircuitBreaker[json.RawMessage]
	attempt        = failsafe.ExecutionAttempt[json.RawMessage]
	retryScheduled = failsafe.ExecutionScheduledEvent[json.RawMessage]
)

// retryable reports whether another try of cl may succeed where err
// failed: a rate limit or an open circuit breaker whose wait fits,
// Shopee being unavailable, or an answer that came back broken. A
// refused login, the anti-bot wall, a missing item or a refused request
// stay as they are. A write that must not be repeated is tried again
// only when Shopee refused it before acting on it: a rate limit, or a
// request the breaker kept back.
func (r *resilience) retryable(cl call, cb breaker, err error,
	deadline time.Time) bool {
	if errors.Is(err, circuitbreaker.ErrOpen) {
		wait := cb.RemainingDelay()
		return wait <= r.retryMaxDelay && time.Until(deadline) > wait
	}
	var e *Error
	if !errors.As(err, &e) {
		return false
	}

	switch {
	case e.Kind == ErrRateLimited:
		return e.RetryAfter <= r.maxRetryAfter &&
			time.Until(deadline) > e.RetryAfter
	case cl.use == writeOnce:
		return false
	case e.Kind == ErrUnavailable:
		return true
	}
	return e.Kind == ErrBadAnswer && e.HTTPStatus >= 200 &&
		e.HTTPStatus < 300
}

// waitAsked returns the wait before the next try that err asks for: at
// least the Retry-After of a rate-limited answer, or until the open
// circuit breaker lets trial requests through. Other failures take the
// policy's backoff (-1). The jitter applied afterwards takes at most a
// quarter off, which the extra third here makes up for.
func waitAsked(cb breaker, err error) time.Duration {
	var wait time.Duration
	var se *Error
	switch {
	case errors.Is(err, circuitbreaker.ErrOpen):
		wait = cb.RemainingDelay()
	case errors.As(err, &se):
		wait = se.RetryAfter
	}
	if wait <= 0 {
		return -1
	}
	return wait + wait/3
}

// hostFault reports whether err says something about the host's health
// rather than about the request or the login.
func hostFault(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Kind == ErrUnavailable || e.Kind == ErrBadAnswer &&
		e.HTTPStatus >= 200 && e.HTTPStatus < 300
}

// breaker returns the host's circuit breaker, made on first use.
func (r *resilience) breaker(host string) breaker {
	r.mu.Lock()
	defer r.mu.Unlock()

	if cb, ok := r.breakers[host]; ok {
		return cb
	}
	b := circuitbreaker.NewBuilder[json.RawMessage]().
		HandleIf(func(_ json.RawMessage, err error) bool {
			return hostFault(err)
		}).
		WithFailureThresholdRatio(breakerFailures, breakerWindow).
		WithSuccessThreshold(breakerSuccesses).
		WithDelay(r.breakerDelay)
	if obs, ok := r.observer.(BreakerObserver); ok {
		b = b.OnStateChanged(func(e circuitbreaker.StateChangedEvent) {
			obs.ObserveBreaker(host, stateName(e.NewState))
		})
	}
	cb := b.Build()
	r.breakers[host] = cb
	return cb
}

// stateName names a breaker state for observers.
func stateName(s circuitbreaker.State) string {
	switch s {
	case circuitbreaker.OpenState:
		return "open"
	case circuitbreaker.HalfOpenState:
		return "half_open"
	}
	return "closed"
}

// errNoTime means a rate limit would make a request wait past its
// context's deadline.
var errNoTime = errors.New("no time left for the rate limit")

// wait blocks until both the account's and the host's limits allow one
// more request. It fails at once with errNoTime when the context would
// end first, and with the context's error when it ends while waiting.
func (r *resilience) wait(ctx context.Context, a Auth, host string) error {
	var limits []*rate.Limiter
	if key := limitKey(a); key != "" {
		limits = append(limits, r.limiter(r.accounts, key, r.accountRate,
			r.accountBurst))
	}
	limits = append(limits, r.limiter(r.hosts, host, r.hostRate,
		r.hostBurst))

	for _, l := range limits {
		if err := l.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return errNoTime
		}
	}
	return nil
}

func (r *resilience) limiter(m map[string]*rate.Limiter, key string,
	limit rate.Limit, burst int) *rate.Limiter {
	r.mu.Lock()
	defer r.mu.Unlock()

	if l, ok := m[key]; ok {
		return l
	}
	if len(m) >= maxLimiters {
		clear(m)
	}
	l := rate.NewLimiter(limit, max(burst, 1))
	m[key] = l
	return l
}

// limitKey names whose rate limit a call counts against: the stored
// account, else the login itself; "" for a call without a login.
func limitKey(a Auth) string {
	switch {
	case a.AccountID != 0:
		return "account " + strconv.FormatInt(a.AccountID, 10)
	case a.Cookies != "":
		return "login " + cookieDigest(a.Cookies)
	}
	return ""
}

// accountKey names whose answers a cache entry holds: the account and
// the very login, so one login never reads another's answers.
func accountKey(a Auth) string {
	return strconv.FormatInt(a.AccountID, 10) + " " + string(a.Region) +
		" " + cookieDigest(a.Cookies)
}

// cookieDigest is a short one-way digest of a cookie string, to tell
// logins apart without keeping them.
func cookieDigest(cookies string) string {
	sum := sha256.Sum256([]byte(cookies))
	return hex.EncodeToString(sum[:12])
}

// answerCache keeps the data of read answers for a while, per account.
// Each account's generation counts the times its answers were dropped,
// so an answer read before a drop is not kept after it.
type answerCache struct {
	ttl time.Duration

	mu      sync.Mutex
	entries map[string]map[string]cachedAnswer
	gens    map[string]uint64
	size    int
}

type cachedAnswer struct {
	data    json.RawMessage
	expires time.Time
}

// maxCached bounds the cache; past it, expired entries go, and if that
// is not enough, everything does.
const maxCached = 20_000

func newAnswerCache(ttl time.Duration) *answerCache {
	return &answerCache{ttl: ttl,
		entries: map[string]map[string]cachedAnswer{},
		gens:    map[string]uint64{}}
}

// get returns the account's answer for key while it is fresh, and the
// account's generation, which put needs.
func (c *answerCache) get(acct, key string) (json.RawMessage, uint64,
	bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	e, ok := c.entries[acct][key]
	if !ok || time.Now().After(e.expires) {
		return nil, c.gens[acct], false
	}
	return e.data, c.gens[acct], true
}

// put keeps an answer read while the account was at generation gen,
// unless its answers were dropped since.
func (c *answerCache) put(acct, key string, data json.RawMessage,
	gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.gens[acct] != gen {
		return
	}
	if c.size >= maxCached {
		c.sweep()
	}
	m, ok := c.entries[acct]
	if !ok {
		m = map[string]cachedAnswer{}
		c.entries[acct] = m
	}
	if _, had := m[key]; !had {
		c.size++
	}
	m[key] = cachedAnswer{data: data, expires: time.Now().Add(c.ttl)}
}

// drop forgets every answer of the account.
func (c *answerCache) drop(acct string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size -= len(c.entries[acct])
	delete(c.entries, acct)
	c.gens[acct]++
}

// sweep removes expired entries, and everything when that is not
// enough. The caller holds c.mu.
func (c *answerCache) sweep() {
	now := time.Now()
	for acct, m := range c.entries {
		for k, e := range m {
			if now.After(e.expires) {
				delete(m, k)
				c.size--
			}
		}
		if len(m) == 0 {
			delete(c.entries, acct)
		}
	}
	if c.size >= maxCached {
		clear(c.entries)
		c.size = 0
	}
}
