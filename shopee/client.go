// Package shopee is a client for the Shopee web APIs Liveboard reads: the
// creator centre's supply API (identity, session list, live dashboard) and
// the public live-room API, in the wire formats Shopee really uses.
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

// defaultTimeout bounds one request when Config names no HTTP client.
const defaultTimeout = 20 * time.Second

// Config configures a Client. The zero value talks to the real Shopee hosts.
type Config struct {
	// BaseURL, when set, replaces every Shopee host with this one absolute
	// http or https URL (paths stay the same), for a simulator or a stub:
	// "http://127.0.0.1:9000".
	BaseURL string

	// HTTPClient sends the requests; by default one with a 20 s timeout.
	// The client never follows redirects, whatever this client's policy.
	HTTPClient *http.Client

	// UserAgent is sent to the creator centre; DefaultUserAgent if empty.
	UserAgent string

	// Observer, if set, is told about every HTTP request.
	Observer Observer
}

// Observer receives one call per HTTP request the client makes, for
// metrics. Endpoint is a short fixed name ("userInfo", "sessionList",
// "sessionInfo", "overview", "liveOngoing"); outcome is "ok" or one of
// "login_required", "challenge", "rate_limited", "unavailable",
// "bad_answer", "not_found", "rejected", "canceled"; d is how long the
// request took, body included. ObserveCall must be safe for concurrent use.
type Observer interface {
	ObserveCall(endpoint, outcome string, d time.Duration)
}

// Client calls Shopee. It is safe for concurrent use.
type Client struct {
	base      string // BaseURL without a trailing slash, or ""
	http      *http.Client
	userAgent string
	observer  Observer
}

// New returns a client for cfg. It fails when BaseURL is not an absolute
// http or https URL.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}

	hc := &http.Client{Timeout: defaultTimeout}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
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
		observer: cfg.Observer}, nil
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
