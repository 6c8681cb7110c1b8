package shopee

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// call describes one endpoint's request and how its answer reads.
type call struct {
	// endpoint is the short name used in errors and for the Observer.
	endpoint string
	service  Service
	path     string
	query    url.Values
	referer  string
	family   family
	// ifEmpty is the kind returned when the answer's data is empty or
	// absent; nil accepts that and leaves the result untouched.
	ifEmpty error

	// method is GET when empty. body, when set, is sent with
	// contentType.
	method      string
	body        []byte
	contentType string
	// use says how the answer may be shared: reads of live figures are
	// only collapsed, other reads are also cached, writes neither.
	use use
}

// use is how a call's answer may be shared between callers.
type use int

const (
	// liveRead answers change from one moment to the next: concurrent
	// identical calls are collapsed into one, nothing is kept.
	liveRead use = iota
	// cachedRead answers are also kept for the cache's TTL.
	cachedRead
	// write changes something on Shopee: never shared, and it drops the
	// account's cached answers. Repeating it changes nothing more.
	write
	// writeOnce changes something on Shopee and must not be repeated
	// unless Shopee refused it before acting (HTTP 429).
	writeOnce
)

// isWrite reports whether calls of u change something on Shopee.
func (u use) isWrite() bool { return u == write || u == writeOnce }

// validator is implemented by decoded data that can tell when a field it
// cannot do without is missing.
type validator interface {
	validate() error
}

// get sends cl as a GET request on behalf of a and decodes the answer's
// data into out. Cookies are sent only when a has some.
func (c *Client) get(ctx context.Context, a Auth, cl call, out any) error {
	return c.do(ctx, a, cl, out)
}

// post sends cl as a POST request with body encoded as JSON, and decodes
// the answer's data into out (nil to ignore it).
func (c *Client) post(ctx context.Context, a Auth, cl call, body,
	out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: cannot encode the request", cl.endpoint)
	}
	cl.method = http.MethodPost
	cl.body = b
	cl.contentType = "application/json"
	return c.do(ctx, a, cl, out)
}

// do runs cl through the cache and the resilience policies and decodes
// the answer's data into out.
func (c *Client) do(ctx context.Context, a Auth, cl call, out any) error {
	if err := a.check(cl.endpoint); err != nil {
		return err
	}

	data, err := c.fetch(ctx, a, cl, freshLike(out))
	if err != nil || out == nil || emptyJSON(data) {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		f := failer{endpoint: cl.endpoint, cookies: a.Cookies}
		return f.fail(ErrBadAnswer, http.StatusOK, 0, "data: "+err.Error())
	}
	return nil
}

// send makes one request for cl and returns the answer's data. The
// Observer hears of it.
func (c *Client) send(ctx context.Context, a Auth, cl call,
	fresh func() any) (json.RawMessage, error) {
	req, err := c.newRequest(ctx, a, cl)
	if err != nil {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: cannot build the request", cl.endpoint)
	}

	start := time.Now()
	data, err := c.exchange(req, a, cl, fresh)
	if c.observer != nil {
		c.observer.ObserveCall(cl.endpoint, outcome(err), time.Since(start))
	}
	return data, err
}

// exchange sends req and reads its answer.
func (c *Client) exchange(req *http.Request, a Auth, cl call,
	fresh func() any) (json.RawMessage, error) {
	f := failer{endpoint: cl.endpoint, cookies: a.Cookies}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, f.transport(req.Context(), err)
	}
	defer resp.Body.Close()

	body, err := readBody(resp.Body)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, f.fail(ErrBadAnswer, resp.StatusCode, 0, err.Error())
	case err != nil:
		return nil, f.transport(req.Context(), err)
	}

	if err := checkStatus(f, resp, body); err != nil {
		return nil, err
	}
	return decodeAnswer(f, cl, resp.StatusCode, body, fresh)
}

func (c *Client) newRequest(ctx context.Context, a Auth,
	cl call) (*http.Request, error) {
	method := cl.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	u := c.url(a.Region, cl.service, cl.path, cl.query)
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}

	h := req.Header
	switch cl.service {
	case ServiceLive:
		h.Set("User-Agent", mobileUserAgent)
		h.Set("Accept", "application/json")
	case ServiceSeller:
		c.setSellerHeaders(h, a)
	default:
		c.setBrowserHeaders(h, a.Region)
	}
	if cl.body != nil {
		h.Set("Content-Type", cl.contentType)
	}
	if cl.referer != "" {
		h.Set("Referer", cl.referer)
	}
	if a.Cookies != "" {
		h.Set("Cookie", a.Cookies)
	}
	return req, nil
}

// setSellerHeaders sets what the seller centre's ads pages send: their
// origin, and the CSRF token mirrored from its cookie when there is one.
func (c *Client) setSellerHeaders(h http.Header, a Auth) {
	h.Set("User-Agent", c.userAgent)
	h.Set("Accept", "application/json")
	h.Set("Origin", pageURL(a.Region, ServiceSeller, ""))
	if token := cookieValue(a.Cookies, "csrftoken"); token != "" {
		h.Set("X-Csrftoken", token)
	}
}

// cookieValue returns the value of the named cookie in a Cookie header,
// or "".
func cookieValue(cookies, name string) string {
	for pair := range strings.SplitSeq(cookies, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if ok && k == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// setBrowserHeaders sets what the creator centre's own page sends.
func (c *Client) setBrowserHeaders(h http.Header, region liveboard.Region) {
	h.Set("User-Agent", c.userAgent)
	h.Set("Accept", "application/json")
	h.Set("Language", "en")
	h.Set("X-Env", "live")
	h.Set("X-Region", strings.ToLower(string(region)))
	h.Set("X-Region-Domain", tlds[region])
	h.Set("X-Region-Timezone", zoneOffset(region, time.Now()))
	h.Set("X-Traceid", traceID())
	h.Set("Sec-Fetch-Site", "same-origin")
	h.Set("Sec-Fetch-Mode", "cors")
}

// zoneOffset returns the region's UTC offset at t, such as "+0700".
func zoneOffset(region liveboard.Region, t time.Time) string {
	return t.In(region.Location()).Format("-0700")
}

// traceID returns a fresh random request id like the page's own.
func traceID() string {
	return strings.ToLower(rand.Text()[:21])
}

// maxBody bounds how much of an answer is read.
const maxBody = 4 << 20

var errTooLarge = errors.New("answer larger than 4 MiB")

func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBody {
		return nil, errTooLarge
	}
	return body, nil
}

// failer builds the errors of one call. It holds the call's cookies only
// to keep their values out of messages.
type failer struct {
	endpoint string
	cookies  string
}

func (f failer) fail(kind error, status int, code int64, msg string) *Error {
	return &Error{
		Endpoint:   f.endpoint,
		Kind:       kind,
		HTTPStatus: status,
		Code:       code,
		Message:    scrub(msg, f.cookies),
	}
}

// transport reports a request that got no complete answer: the caller's
// context error when it was cancelled, else ErrUnavailable.
func (f failer) transport(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &canceledError{endpoint: f.endpoint, cause: ctx.Err()}
	}

	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return f.fail(ErrUnavailable, 0, 0, "timed out")
	}

	// The url.Error around the cause repeats the request URL; the cause
	// alone says what happened.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return f.fail(ErrUnavailable, 0, 0, err.Error())
}

// checkStatus classifies an answer whose HTTP status is not 2xx.
func checkStatus(f failer, resp *http.Response, body []byte) error {
	st := resp.StatusCode
	if st >= 200 && st < 300 {
		return nil
	}

	code, msg := bodyStatus(body)
	switch {
	case st == http.StatusForbidden && code == challengeCode:
		return f.fail(ErrChallenge, st, code, msg)
	case st == http.StatusForbidden || st == http.StatusUnauthorized:
		return f.fail(ErrLoginRequired, st, code, msg)
	case st == http.StatusTooManyRequests:
		e := f.fail(ErrRateLimited, st, code, msg)
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		return e
	case st >= 500:
		return f.fail(ErrUnavailable, st, code, msg)
	case st == http.StatusNotFound || st < 400:
		return f.fail(ErrBadAnswer, st, code, msg)
	}
	return f.fail(ErrRejected, st, code, msg)
}

// bodyStatus returns the status code and text of an error answer in any
// envelope family, or the body itself as the text when it has none.
func bodyStatus(body []byte) (code int64, msg string) {
	var env envelope
	if json.Unmarshal(body, &env) == nil {
		if code, msg = env.anyStatus(); code != 0 || msg != "" {
			return code, msg
		}
	}
	return 0, string(body)
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date;
// 0 when it is absent, unreadable or already past.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}

	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 || secs > maxRetryAfter {
			return 0
		}
		return time.Duration(secs) * time.Second
	}

	t, err := http.ParseTime(v)
	if err != nil || !t.After(now) {
		return 0
	}
	return t.Sub(now)
}

// maxRetryAfter caps a Retry-After in seconds, so a silly value cannot
// overflow a time.Duration.
const maxRetryAfter = 7 * 24 * 60 * 60

// decodeAnswer reads the envelope of a 2xx answer and returns its data,
// once it has decoded into a value from fresh (nil skips that check).
func decodeAnswer(f failer, cl call, st int, body []byte,
	fresh func() any) (json.RawMessage, error) {
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
		return nil, f.fail(ErrBadAnswer, st, 0,
			"HTML instead of JSON: "+string(body))
	}

	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, f.fail(ErrBadAnswer, st, 0,
			"malformed JSON: "+err.Error())
	}

	code, msg := env.status(cl.family)
	switch {
	case code == nil && cl.family.statusRequired():
		return nil, f.fail(ErrBadAnswer, st, 0,
			"no "+cl.family.statusField()+" in the answer")
	case code != nil && *code != 0:
		return nil, f.fail(cl.family.kind(*code), st, *code, msg)
	}
	return env.Data, checkData(f, cl, st, env.Data, fresh)
}

// checkData reports data that is absent when the call needs some, or
// that does not decode into a value from fresh.
func checkData(f failer, cl call, st int, data json.RawMessage,
	fresh func() any) error {
	if emptyJSON(data) {
		if cl.ifEmpty != nil {
			return f.fail(cl.ifEmpty, st, 0, "no data in the answer")
		}
		return nil
	}
	if fresh == nil {
		return nil
	}

	out := fresh()
	if err := json.Unmarshal(data, out); err != nil {
		return f.fail(ErrBadAnswer, st, 0, "data: "+err.Error())
	}
	if v, ok := out.(validator); ok {
		if err := v.validate(); err != nil {
			return f.fail(ErrBadAnswer, st, 0, "data: "+err.Error())
		}
	}
	return nil
}

// freshLike returns a maker of new values of out's type, to check an
// answer's data before it is shared; nil when out is nil.
func freshLike(out any) func() any {
	t := reflect.TypeOf(out)
	if t == nil || t.Kind() != reflect.Pointer {
		return nil
	}
	return func() any { return reflect.New(t.Elem()).Interface() }
}

// emptyJSON reports whether raw is absent, null, or an empty object,
// array or string.
func emptyJSON(raw json.RawMessage) bool {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return len(bytes.TrimSpace(raw)) == 0
	}

	switch v := v.(type) {
	case nil:
		return true
	case map[string]any:
		return len(v) == 0
	case []any:
		return len(v) == 0
	case string:
		return v == ""
	}
	return false
}
