package shopee

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"liveboard"
)

// The kinds of failure an *Error reports. Test for them with errors.Is.
var (
	// ErrLoginRequired means Shopee no longer accepts the login: HTTP 401,
	// a plain HTTP 403, or a supply-API code other than 0.
	ErrLoginRequired = errors.New("login required")
	// ErrChallenge means Shopee's anti-bot wall answered (error 90309999);
	// cookies alone will not pass it.
	ErrChallenge = errors.New("anti-bot challenge")
	// ErrRateLimited means Shopee answered HTTP 429; see
	// Error.RetryAfter.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable means Shopee could not be reached or failed: a
	// connection error, a timeout, or HTTP 5xx.
	ErrUnavailable = errors.New("unavailable")
	// ErrBadAnswer means the answer could not be read: an HTML page,
	// malformed JSON, a missing status field, HTTP 404 or a redirect.
	ErrBadAnswer = errors.New("unexpected answer")
	// ErrNotFound means Shopee answered with no data for the thing asked
	// about, such as a session this login does not own.
	ErrNotFound = errors.New("not found")
	// ErrRejected means Shopee refused the request itself: another 4xx
	// status, or a non-zero error code from the buyer or live-room API.
	ErrRejected = errors.New("request rejected")
)

// challengeCode is the error code of Shopee's anti-bot and login wall.
const challengeCode = 90309999

// kindInfo says how each kind is reported to observers and to our API.
type kindInfo struct {
	outcome string
	code    string
	// safe completes "Shopee <endpoint>: " into a sentence a user may see.
	safe string
}

var kindInfos = map[error]kindInfo{
	ErrLoginRequired: {"login_required", liveboard.EShopeeLogin,
		"the login is no longer valid; log in to Shopee again"},
	ErrChallenge: {"challenge", liveboard.EShopeeChallenge,
		"blocked by Shopee's anti-bot check; log in again from a browser"},
	ErrRateLimited: {"rate_limited", liveboard.EShopeeRateLimited,
		"too many requests; Shopee asks to wait"},
	ErrUnavailable: {"unavailable", liveboard.EShopeeUnavailable,
		"Shopee is not reachable right now"},
	ErrBadAnswer: {"bad_answer", liveboard.EShopeeBadAnswer,
		"Shopee gave an answer Liveboard cannot read"},
	ErrNotFound: {"not_found", liveboard.ENotFound,
		"Shopee has no such item for this login"},
	ErrRejected: {"rejected", liveboard.EShopeeBadAnswer,
		"Shopee rejected the request"},
}

// Error is a failed Shopee call.
type Error struct {
	// Endpoint is the short name of the call, such as "overview".
	Endpoint string
	// Kind is one of the Err* kinds of this package.
	Kind error
	// HTTPStatus is the answer's status code; 0 when none arrived.
	HTTPStatus int
	// Code is Shopee's error code from the answer, when it had one.
	Code int64
	// Message is Shopee's error text or a short, sanitised excerpt of an
	// unexpected answer. It never holds cookie values.
	Message string
	// RetryAfter is how long Shopee asked to wait (HTTP 429); 0 if it did
	// not say.
	RetryAfter time.Duration
}

// Error reads like `shopee overview: login required (code 1, "not login")`.
func (e *Error) Error() string {
	var details []string
	if e.HTTPStatus != 0 && e.HTTPStatus != 200 {
		details = append(details, fmt.Sprintf("HTTP %d", e.HTTPStatus))
	}
	if e.Code != 0 {
		details = append(details, fmt.Sprintf("code %d", e.Code))
	}
	if e.Message != "" {
		details = append(details, fmt.Sprintf("%q", e.Message))
	}
	if e.RetryAfter > 0 {
		details = append(details, "retry after "+e.RetryAfter.String())
	}

	s := "shopee " + e.Endpoint + ": " + e.kindText()
	if len(details) > 0 {
		s += " (" + strings.Join(details, ", ") + ")"
	}
	return s
}

func (e *Error) kindText() string {
	if e.Kind == nil {
		return "failed"
	}
	return e.Kind.Error()
}

// Unwrap returns the Kind and a *liveboard.Error carrying the kind's
// liveboard code and a short sentence naming the endpoint.
func (e *Error) Unwrap() []error {
	info, ok := kindInfos[e.Kind]
	if !ok {
		info = kindInfos[ErrBadAnswer]
	}

	safe := &liveboard.Error{
		Code:    info.code,
		Message: "Shopee " + e.Endpoint + ": " + info.safe,
	}
	if e.Kind == nil {
		return []error{safe}
	}
	return []error{e.Kind, safe}
}

// outcome names how a call ended, for the Observer.
func outcome(err error) string {
	var e *Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &e):
		if info, ok := kindInfos[e.Kind]; ok {
			return info.outcome
		}
	case errors.Is(err, errCanceled):
		return "canceled"
	}
	return "bad_answer"
}

// errCanceled marks a call stopped by its caller's context.
var errCanceled = errors.New("canceled")

// canceledError wraps the caller's context error, so errors.Is finds
// context.Canceled or context.DeadlineExceeded.
type canceledError struct {
	endpoint string
	cause    error
}

func (e *canceledError) Error() string {
	return "shopee " + e.endpoint + ": " + e.cause.Error()
}

func (e *canceledError) Unwrap() []error { return []error{e.cause, errCanceled} }

// scrub makes text from an answer fit for an error message: printable,
// single-line, at most maxExcerpt runes, and with every cookie value of
// the call replaced, in case a server echoed one back.
func scrub(text, cookies string) string {
	for _, secret := range cookieSecrets(cookies) {
		text = strings.ReplaceAll(text, secret, "[redacted]")
	}

	text = strings.Join(strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || !unicode.IsPrint(r)
	}), " ")

	if r := []rune(text); len(r) > maxExcerpt {
		text = string(r[:maxExcerpt]) + "…"
	}
	return text
}

// maxExcerpt is how many runes of an answer an error message keeps.
const maxExcerpt = 120

// minSecretLen keeps scrub from blanking out placeholders such as the "-"
// of a guest cookie.
const minSecretLen = 4

// cookieSecrets returns the cookie string and each cookie value in it,
// longest first, so a value inside another is replaced last.
func cookieSecrets(cookies string) []string {
	var secrets []string
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= minSecretLen {
			secrets = append(secrets, s)
		}
	}

	add(cookies)
	for pair := range strings.SplitSeq(cookies, ";") {
		_, value, _ := strings.Cut(pair, "=")
		add(value)
	}
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	return secrets
}
