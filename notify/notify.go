// Package notify sends alerts out of Liveboard: to a Telegram chat through
// the Telegram Bot API, or as JSON to a webhook. It only sends; what to
// send, when, and how often to try again is decided by its callers.
//
// Bot tokens and webhook URLs are secrets: they never appear in an error
// or a log line, only the channel's kind does.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// DefaultTelegramURL is the Telegram Bot API.
const DefaultTelegramURL = "https://api.telegram.org"

// Sender sends alerts to channels. Its zero value is ready to use.
type Sender struct {
	// HTTPClient sends the requests; by default one with a 15 s timeout.
	HTTPClient *http.Client
	// TelegramURL is the base URL of the Bot API; DefaultTelegramURL if
	// empty.
	TelegramURL string
}

// ErrPermanent marks a failure that sending again will not fix: the
// channel refused the alert (bad token, unknown chat, 4xx answer).
var ErrPermanent = errors.New("refused for good")

// Error is a failed send.
type Error struct {
	Kind liveboard.ChannelKind
	// Status is the HTTP status of the answer; 0 when none came.
	Status int
	// Detail says what went wrong; it never holds a secret.
	Detail string
	// Permanent is set when sending again will not help.
	Permanent bool
	// RetryAfter is how long the channel asked to wait, if it said.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := string(e.Kind) + ": "
	if e.Status != 0 {
		s += "HTTP " + strconv.Itoa(e.Status) + ": "
	}
	return s + e.Detail
}

// Unwrap returns ErrPermanent for a permanent failure.
func (e *Error) Unwrap() error {
	if e.Permanent {
		return ErrPermanent
	}
	return nil
}

// Send sends the alert to a channel of kind configured by cfg. test marks
// a message sent to check the channel, not a real alert.
func (s *Sender) Send(ctx context.Context, kind liveboard.ChannelKind,
	cfg liveboard.ChannelConfig, a *liveboard.Alert, test bool) error {
	if err := cfg.Check(kind); err != nil {
		return err
	}
	if kind == liveboard.ChannelTelegram {
		return s.telegram(ctx, cfg, a, test)
	}
	return s.webhook(ctx, cfg, a, test)
}

func (s *Sender) client() *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return defaultClient
}

var defaultClient = &http.Client{Timeout: 15 * time.Second}

// telegramMessage is the Bot API's sendMessage request.
type telegramMessage struct {
	ChatID                string `json:"chat_id"`
	Text                  string `json:"text"`
	DisableWebPagePreview bool   `json:"disable_web_page_preview"`
}

// telegramAnswer is the part of a Bot API answer read here.
type telegramAnswer struct {
	OK          bool   `json:"ok"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func (s *Sender) telegram(ctx context.Context, cfg liveboard.ChannelConfig,
	a *liveboard.Alert, test bool) error {
	base := strings.TrimSuffix(s.TelegramURL, "/")
	if base == "" {
		base = DefaultTelegramURL
	}
	body, err := json.Marshal(telegramMessage{ChatID: cfg.ChatID,
		Text: Text(a, test), DisableWebPagePreview: true})
	if err != nil {
		return fmt.Errorf("notify: telegram: %w", err)
	}

	u := base + "/bot" + url.PathEscape(cfg.BotToken) + "/sendMessage"
	status, answer, header, err := s.post(ctx, u, body, nil)
	if err != nil {
		return &Error{Kind: liveboard.ChannelTelegram, Detail: err.Error()}
	}

	var ans telegramAnswer
	_ = json.Unmarshal(answer, &ans)
	if status/100 == 2 && ans.OK {
		return nil
	}
	e := httpError(liveboard.ChannelTelegram, status, header)
	e.Detail = excerpt(ans.Description, cfg.BotToken)
	if e.Detail == "" {
		e.Detail = "the Bot API did not accept the message"
	}
	if ans.Parameters.RetryAfter > 0 {
		e.RetryAfter = time.Duration(ans.Parameters.RetryAfter) * time.Second
	}
	return e
}

func (s *Sender) webhook(ctx context.Context, cfg liveboard.ChannelConfig,
	a *liveboard.Alert, test bool) error {
	body, err := json.Marshal(newPayload(a, test))
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}

	h := http.Header{}
	h.Set("X-Liveboard-Event", "alert")
	h.Set("X-Liveboard-Alert", strconv.FormatInt(a.ID, 10))
	if cfg.Secret != "" {
		mac := hmac.New(sha256.New, []byte(cfg.Secret))
		mac.Write(body)
		h.Set("X-Liveboard-Signature",
			"sha256="+hex.EncodeToString(mac.Sum(nil)))
	}

	status, _, header, err := s.post(ctx, cfg.URL, body, h)
	if err != nil {
		return &Error{Kind: liveboard.ChannelWebhook, Detail: err.Error()}
	}
	if status/100 == 2 {
		return nil
	}
	e := httpError(liveboard.ChannelWebhook, status, header)
	e.Detail = "the webhook did not accept the alert"
	return e
}

// httpError classifies a refused request: statuses that say "wait" or
// "try later" are temporary, the other 4xx permanent.
func httpError(kind liveboard.ChannelKind, status int,
	header http.Header) *Error {
	e := &Error{Kind: kind, Status: status}
	switch {
	case status == http.StatusTooManyRequests:
		if secs, err := strconv.Atoi(header.Get("Retry-After")); err == nil &&
			secs > 0 {
			e.RetryAfter = time.Duration(secs) * time.Second
		}
	case status == http.StatusRequestTimeout:
	case status >= 400 && status < 500:
		e.Permanent = true
	}
	return e
}

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 64 << 10

// post sends body as JSON to u and returns the answer. Its errors never
// quote u, which may hold a secret.
func (s *Sender) post(ctx context.Context, u string, body []byte,
	h http.Header) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u,
		bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, errors.New("cannot build the request")
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Liveboard")

	resp, err := s.client().Do(req)
	if err != nil {
		return 0, nil, nil, transportError(ctx, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, nil, transportError(ctx, err)
	}
	return resp.StatusCode, answer, resp.Header, nil
}

// transportError says why no answer came, without the request URL.
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return errors.New("timed out")
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return fmt.Errorf("cannot connect: %s", opErr.Err.Error())
	}
	return errors.New("the request failed")
}

// excerpt shortens text from an answer and removes the secret from it.
func excerpt(text, secret string) string {
	if secret != "" {
		text = strings.ReplaceAll(text, secret, "[redacted]")
	}
	if r := []rune(text); len(r) > 160 {
		text = string(r[:160]) + "…"
	}
	return text
}

// IsPermanent reports whether err is a failure that sending again will
// not fix.
func IsPermanent(err error) bool { return errors.Is(err, ErrPermanent) }
