// Package shopee is a client for the Shopee web APIs Liveboard calls: the
// creator centre's supply API (identity, session list, live dashboard),
// the live-room API (live status, coin giveaways, promoted items) and the
// seller centre's ads API (live-stream campaigns, ads balance and spend),
// in the wire formats Shopee really uses, with retries, rate limits,
// circuit breakers and a read cache in front (see Config).
//
// Every call takes a context and the Auth of one account: its region, which
// picks the hosts, and its raw login cookies. Failures come back as *Error,
// whose Kind says what went wrong (login required, anti-bot challenge, rate
// limited, unavailable, unexpected answer, not found, rejected) and which
// also carries a *liveboard.Error, so both errors.Is with the kinds below
// and liveboard.ErrorCode work on it. Cookie values never appear in errors,
// logs or anything the client prints.
package shopee

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"liveboard"
)

// DefaultUserAgent is the User-Agent sent to the creator centre when Config
// names none: a current desktop Chrome, as the creator centre is a web page.
const DefaultUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) " +
	"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36"

// mobileUserAgent is the Shopee iOS app's User-Agent, which the public
// live-room API answers.
const mobileUserAgent = "ios/7.830 (ios 17.0; ; " +
	"iPhone 15 (A2846/A3089/A3090/A3092))"

// Config configures a Client. The zero value talks to the real Shopee
// hosts with the default resilience settings.
//
// Every call is retried when another try may succeed: HTTP 429 (after
// the Retry-After Shopee asks for, when it asks), HTTP 5xx, timeouts and
// unreadable answers (an HTML page, broken JSON). A refused login, the
// anti-bot wall, a missing item or a refused request are never retried.
// Requests wait for a rate limit per account and one per host, and a
// circuit breaker per host stops calls to a host that keeps failing.
// Zero fields take the Default* values of this package.
type Config struct {
	// BaseURL, when set, replaces every Shopee host with this one absolute
	// http or https URL (paths stay the same), for a simulator or a stub:
	// "http://127.0.0.1:9000".
	BaseURL string

	// HTTPClient sends the requests; by default one whose timeout is
	// AttemptTimeout. The client never follows redirects, whatever this
	// client's policy.
	HTTPClient *http.Client

	// UserAgent is sent to the creator centre; DefaultUserAgent if empty.
	UserAgent string

	// Observer, if set, is told about every HTTP request, and about
	// retries and circuit breakers when it also implements RetryObserver
	// and BreakerObserver.
	Observer Observer

	// MaxAttempts is how many times a call is tried in all; 1 or a
	// negative value turns retries off.
	MaxAttempts int
	// RetryDelay is the wait before the first retry; each further one
	// doubles it, up to RetryMaxDelay, spread by a quarter either way.
	RetryDelay    time.Duration
	RetryMaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out. When
	// Shopee asks for a longer wait, the call fails at once with
	// ErrRateLimited carrying the wait, for the caller to honour.
	MaxRetryAfter time.Duration
	// CallTimeout bounds a whole call, its retries and waits included.
	CallTimeout time.Duration
	// AttemptTimeout bounds one request. It replaces HTTPClient's timeout
	// when set; a negative value means none.
	AttemptTimeout time.Duration

	// AccountRate is how many requests per second one account may send,
	// AccountBurst how many at once after a quiet spell. HostRate and
	// HostBurst do the same for each Shopee host, all accounts together.
	// A negative rate means no limit.
	AccountRate  float64
	AccountBurst int
	HostRate     float64
	HostBurst    int

	// BreakerDelay is how long a host's circuit breaker stays open before
	// it lets trial requests through.
	BreakerDelay time.Duration

	// CacheTTL is how long the answers of reads that are not live figures
	// (user info, campaigns, ads data, promoted items, coin rewards) are
	// reused; a negative value turns the cache off. Live figures (session
	// list and info, overview, live status, coin giveaways) are never
	// reused, but concurrent identical calls of any read are collapsed
	// into one request. A call that changes something on Shopee drops the
	// account's cached answers.
	CacheTTL time.Duration
}

// Observer receives one call per HTTP request the client makes, for
// metrics. Endpoint is a short fixed name ("userInfo", "sessionList",
// "sessionInfo", "overview", "liveOngoing", "homepageQuery" and so on);
// outcome is "ok" or one of "login_required", "challenge",
// "rate_limited", "unavailable", "bad_answer", "not_found", "rejected",
// "canceled"; d is how long the request took, body included. ObserveCall
// must be safe for concurrent use.
type Observer interface {
	ObserveCall(endpoint, outcome string, d time.Duration)
}

// RetryObserver is told about every retry the client schedules: the
// endpoint, the outcome of the try that failed, and the wait before the
// next. It must be safe for concurrent use.
type RetryObserver interface {
	ObserveRetry(endpoint, outcome string, wait time.Duration)
}

// BreakerObserver is told when a host's circuit breaker changes state:
// "open", "half_open" or "closed". It must be safe for concurrent use.
type BreakerObserver interface {
	ObserveBreaker(host, state string)
}

// Client calls Shopee. It is safe for concurrent use.
type Client struct {
	base      string // BaseURL without a trailing slash, or ""
	http      *http.Client
	userAgent string
	observer  Observer
	res       *resilience
}

// New returns a client for cfg. It fails when BaseURL is not an absolute
// http or https URL.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}

	set := newSettings(cfg)
	hc := &http.Client{Timeout: max(set.attemptTimeout, 0)}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
		if cfg.AttemptTimeout != 0 {
			hc.Timeout = max(set.attemptTimeout, 0)
		}
	}
	// A redirect from Shopee's API means something changed; surface it
	// instead of carrying the login cookies to wherever it points.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}

	ua := cfg.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	return &Client{base: base, http: hc, userAgent: ua,
		observer: cfg.Observer, res: newResilience(set, cfg.Observer)}, nil
}

func parseBaseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}

	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("shopee: base url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", errors.New("shopee: base url must be an absolute " +
			"http or https URL")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", errors.New("shopee: base url must not carry a query, " +
			"fragment or user info")
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// Auth is what a call needs to act as one Shopee account.
//
// Cookies is a secret. Auth prints itself with Cookies redacted in every
// fmt verb and in log/slog, and Cookies is left out of JSON.
type Auth struct {
	// AccountID is Liveboard's id of the account, for metrics and limits;
	// Shopee never sees it.
	AccountID int64
	// Region picks the Shopee hosts and the region headers.
	Region liveboard.Region
	// Cookies is the raw Cookie header value of the account's Shopee
	// login: a cookie string pasted from a browser, or what QR login
	// returned.
	Cookies string `json:"-"`
}

// String describes a with its cookies redacted.
func (a Auth) String() string {
	return fmt.Sprintf("shopee.Auth{AccountID: %d, Region: %s, Cookies: %s}",
		a.AccountID, a.Region, redactedCookies(a.Cookies))
}

// Format writes String for every verb, so no fmt verb prints the cookies.
func (a Auth) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, a.String())
}

// LogValue logs a with its cookies redacted.
func (a Auth) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("account_id", a.AccountID),
		slog.String("region", string(a.Region)),
		slog.String("cookies", redactedCookies(a.Cookies)),
	)
}

func redactedCookies(c string) string {
	if c == "" {
		return "[none]"
	}
	return "[redacted]"
}

// check reports an Auth no request can be built from.
func (a Auth) check(endpoint string) error {
	if !a.Region.Valid() {
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: unknown region %q", endpoint, string(a.Region))
	}
	if strings.ContainsFunc(a.Cookies, isControl) {
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: the cookie string holds control characters",
			endpoint)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
