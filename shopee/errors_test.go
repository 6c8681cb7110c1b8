package shopee

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

// assertKind checks that err is an *Error of kind, names its endpoint, and
// carries the matching liveboard code and a safe message naming the
// endpoint.
func assertKind(t *testing.T, err, kind error) *Error {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}

	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %T, want *Error", err)
	}
	if prefix := "shopee " + e.Endpoint + ": "; !strings.HasPrefix(
		err.Error(), prefix) {
		t.Errorf("Error() = %q, want prefix %q", err.Error(), prefix)
	}
	if got, want := liveboard.ErrorCode(err),
		kindInfos[kind].code; got != want {
		t.Errorf("liveboard.ErrorCode = %s, want %s", got, want)
	}
	if msg := liveboard.ErrorMessage(err); !strings.Contains(msg,
		e.Endpoint) {
		t.Errorf("liveboard.ErrorMessage = %q, want it to name %q",
			msg, e.Endpoint)
	}
	return e
}

func TestErrorKinds(t *testing.T) {
	antibot := `{"is_login":false,"action_type":2,"error":90309999,` +
		`"redirect_to_error_page":true}`

	tests := []struct {
		name    string
		status  int
		body    string
		kind    error
		outcome string
	}{
		{"ErrChallenge403", 403, antibot, ErrChallenge, "challenge"},
		{"ErrChallengeSupplyCode", 200, `{"code":90309999,"msg":"blocked"}`,
			ErrChallenge, "challenge"},
		{"ErrLoginRequired401", 401, ``, ErrLoginRequired, "login_required"},
		{"ErrLoginRequired403", 403, `Forbidden`, ErrLoginRequired,
			"login_required"},
		{"ErrLoginRequiredCode", 200, `{"code":1,"msg":"not login"}`,
			ErrLoginRequired, "login_required"},
		{"ErrRateLimited", 429, ``, ErrRateLimited, "rate_limited"},
		{"ErrUnavailable500", 500, `oops`, ErrUnavailable, "unavailable"},
		{"ErrUnavailable502", 502, `<html>bad gateway</html>`,
			ErrUnavailable, "unavailable"},
		{"ErrUnavailable503", 503, ``, ErrUnavailable, "unavailable"},
		{"ErrBadAnswerHTML", 200,
			"<!DOCTYPE html>\n<html><title>Shopee</title></html>",
			ErrBadAnswer, "bad_answer"},
		{"ErrBadAnswerTruncated", 200, `{"code":0,"data":{"ccu":3`,
			ErrBadAnswer, "bad_answer"},
		{"ErrBadAnswerNoCode", 200, `{"data":{"ccu":3}}`, ErrBadAnswer,
			"bad_answer"},
		{"ErrBadAnswerWrongType", 200, `{"code":0,"data":{"ccu":true}}`,
			ErrBadAnswer, "bad_answer"},
		{"ErrBadAnswerNotObject", 200, `[1,2]`, ErrBadAnswer, "bad_answer"},
		{"ErrBadAnswer404", 404, `not found`, ErrBadAnswer, "bad_answer"},
		{"ErrBadAnswerRedirect", 302, ``, ErrBadAnswer, "bad_answer"},
		{"ErrRejected400", 400, `{"code":7,"msg":"bad"}`, ErrRejected,
			"rejected"},
		{"ErrNotFoundEmptyData", 200, `{"code":0,"msg":"","data":{}}`,
			ErrNotFound, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := newTestClient(t, http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					if tt.status == 302 {
						w.Header().Set("Location", "/buyer/login")
					}
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
				}))

			got, err := c.Overview(context.Background(), testAuth, 1)
			if got != nil {
				t.Errorf("Overview = %+v, want nil", got)
			}
			e := assertKind(t, err, tt.kind)
			if e.Endpoint != "overview" {
				t.Errorf("Endpoint = %q, want overview", e.Endpoint)
			}
			if e.HTTPStatus != tt.status {
				t.Errorf("HTTPStatus = %d, want %d", e.HTTPStatus, tt.status)
			}
			if diff := cmp.Diff([]string{"overview " + tt.outcome},
				rec.outcomes()); diff != "" {
				t.Errorf("observations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header string
		body   string
		want   string
	}{
		{"LoginCode", 200, "", `{"code":1,"msg":"not login","data":null}`,
			`shopee overview: login required (code 1, "not login")`},
		{"Challenge", 403, "", string(fixture(t,
			"err-90309999-antibot.json")),
			`shopee overview: anti-bot challenge (HTTP 403, code 90309999)`},
		{"RetryAfter", 429, "30", ``,
			`shopee overview: rate limited (HTTP 429, retry after 30s)`},
		{"HTMLExcerpt", 200, "", "<html>\n\n<body>Please\tlog in</body>",
			`shopee overview: unexpected answer ("HTML instead of JSON: ` +
				`<html> <body>Please log in</body>")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
				}))

			_, err := c.Overview(context.Background(), testAuth, 1)
			if err == nil {
				t.Fatal("err = nil")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() = %s\nwant      %s", got, tt.want)
			}
		})
	}
}

func TestLongExcerptIsCut(t *testing.T) {
	c, _ := newTestClient(t, answer(500, strings.Repeat("x", 5000)))

	_, err := c.Overview(context.Background(), testAuth, 1)
	e := assertKind(t, err, ErrUnavailable)
	if n := len([]rune(e.Message)); n > maxExcerpt+1 {
		t.Errorf("Message has %d runes, want at most %d", n, maxExcerpt+1)
	}
}

func TestTooLargeAnswer(t *testing.T) {
	body := `{"code":0,"data":{"x":"` + strings.Repeat("a", maxBody) + `"}}`
	c, _ := newTestClient(t, answer(200, body))

	_, err := c.Overview(context.Background(), testAuth, 1)
	assertKind(t, err, ErrBadAnswer)
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Duration
	}{
		{"Seconds", "120", 2 * time.Minute},
		{"HTTPDate", now.Add(90 * time.Second).Format(http.TimeFormat),
			90 * time.Second},
		{"Absent", "", 0},
		{"PastDate", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"Garbage", "soon", 0},
		{"Negative", "-5", 0},
		{"Huge", "99999999999999", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.header, now); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.header, got,
					tt.want)
			}
		})
	}
}

func TestRateLimitedRetryAfter(t *testing.T) {
	tests := []struct {
		name     string
		header   func() string
		min, max time.Duration
	}{
		{"Seconds", func() string { return "30" }, 30 * time.Second,
			30 * time.Second},
		{"HTTPDate", func() string {
			return time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)
		}, 60 * time.Second, 2 * time.Minute},
		{"Absent", func() string { return "" }, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					if h := tt.header(); h != "" {
						w.Header().Set("Retry-After", h)
					}
					w.WriteHeader(http.StatusTooManyRequests)
				}))

			_, err := c.SessionList(context.Background(), testAuth, 1, 10)
			e := assertKind(t, err, ErrRateLimited)
			if e.RetryAfter < tt.min || e.RetryAfter > tt.max {
				t.Errorf("RetryAfter = %v, want %v to %v", e.RetryAfter,
					tt.min, tt.max)
			}
		})
	}
}

func TestLiveEnvelopeErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		kind error
	}{
		{"ErrRejected", `{"err_code":7913016,"err_msg":"ErrorSVFailed"}`,
			ErrRejected},
		{"ErrChallenge", `{"err_code":90309999,"err_msg":""}`, ErrChallenge},
		{"ErrBadAnswerNoErrCode", `{"data":{"ongoing_live":null}}`,
			ErrBadAnswer},
		{"ErrBadAnswerNoData", `{"err_code":0,"err_msg":""}`, ErrBadAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, answer(200, tt.body))

			got, err := c.LiveOngoing(context.Background(),
				liveboard.RegionID, 900000123)
			if got != nil {
				t.Errorf("LiveOngoing = %+v, want nil", got)
			}
			e := assertKind(t, err, tt.kind)
			if e.Endpoint != "liveOngoing" {
				t.Errorf("Endpoint = %q, want liveOngoing", e.Endpoint)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, rec := mustClient(t, Config{BaseURL: "http://" + addr})

	_, err = c.UserInfo(context.Background(), testAuth)
	assertKind(t, err, ErrUnavailable)
	if diff := cmp.Diff([]string{"userInfo unavailable"},
		rec.outcomes()); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
}

// stall answers nothing until the client gives up.
func stall(entered chan<- struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if entered != nil {
			entered <- struct{}{}
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
}

func TestTimeout(t *testing.T) {
	c, _ := newTestClient(t, stall(nil))
	c.http.Timeout = 50 * time.Millisecond

	_, err := c.Overview(context.Background(), testAuth, 1)
	e := assertKind(t, err, ErrUnavailable)
	if e.Message != "timed out" {
		t.Errorf("Message = %q, want %q", e.Message, "timed out")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Error("a client timeout reads as the caller's deadline")
	}
}

func TestCallerContext(t *testing.T) {
	t.Run("Canceled", func(t *testing.T) {
		entered := make(chan struct{}, 1)
		c, rec := newTestClient(t, stall(entered))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-entered
			cancel()
		}()

		_, err := c.Overview(ctx, testAuth, 1)
		assertCanceled(t, err, context.Canceled)
		if diff := cmp.Diff([]string{"overview canceled"},
			rec.outcomes()); diff != "" {
			t.Errorf("observations (-want +got):\n%s", diff)
		}
	})

	t.Run("AlreadyCanceled", func(t *testing.T) {
		c, _ := newTestClient(t, answer(200, `{"code":0}`))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()

		_, err := c.UserInfo(ctx, testAuth)
		assertCanceled(t, err, context.Canceled)
	})

	t.Run("DeadlineExceeded", func(t *testing.T) {
		c, _ := newTestClient(t, stall(nil))
		ctx, cancel := context.WithTimeout(context.Background(),
			50*time.Millisecond)
		defer cancel()

		_, err := c.Overview(ctx, testAuth, 1)
		assertCanceled(t, err, context.DeadlineExceeded)
	})
}

func assertCanceled(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	var e *Error
	if errors.As(err, &e) {
		t.Errorf("err is a Shopee kind (%v), want the context's error", e.Kind)
	}
	if !strings.HasPrefix(err.Error(), "shopee ") {
		t.Errorf("Error() = %q, want it to name the endpoint", err.Error())
	}
}

func TestInvalidInput(t *testing.T) {
	c, rec := newTestClient(t, answer(200, `{"code":0}`))
	ctx := context.Background()

	bad := testAuth
	bad.Region = "XX"
	_, err1 := c.UserInfo(ctx, bad)
	bad = testAuth
	bad.Cookies = "SPC_EC=a\r\nX-Evil: 1"
	_, err2 := c.UserInfo(ctx, bad)
	_, err3 := c.SessionList(ctx, testAuth, 0, 10)
	_, err4 := c.Sessions(ctx, testAuth, 0, nil)
	_, err5 := c.LiveOngoing(ctx, liveboard.RegionID, 0)

	for i, err := range []error{err1, err2, err3, err4, err5} {
		if got := liveboard.ErrorCode(err); got != liveboard.EInvalid {
			t.Errorf("case %d: ErrorCode = %q (%v), want %s", i+1, got, err,
				liveboard.EInvalid)
		}
	}
	if strings.Contains(err2.Error(), "X-Evil") {
		t.Errorf("error repeats the cookie string: %v", err2)
	}
	if got := rec.outcomes(); len(got) != 0 {
		t.Errorf("observations = %v, want none: no request was sent", got)
	}
}
