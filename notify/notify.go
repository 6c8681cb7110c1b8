// Package notify sends alerts out of Liveboard: to a Telegram chat through
// the Telegram Bot API, or as JSON to a webhook. It only sends; what to
// send, when, and how often to try again is decided by its callers.
//
// Bot tokens and webhook URLs are secrets: they never appear in an error
// or a log line, only the channel's kind does.
//
// Webhook URLs come from studio admins, so by default a webhook is only
// ever sent to a public address: the address each connection is about to
// use is checked, whatever the host name resolved to, and redirects are
// not followed. The Telegram Bot API's base URL is the operator's own
// setting and is not checked.
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
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"liveboard"
)

// DefaultTelegramURL is the Telegram Bot API.
const DefaultTelegramURL = "https://api.telegram.org"

// Sender sends alerts to channels. Its zero value is ready to use and
// sends webhooks to public addresses only. A Sender must not be copied
// after first use.
type Sender struct {
	// HTTPClient sends the requests to the Telegram Bot API; by default
	// one with a 15 s timeout. Webhooks never go through it: they have a
	// client of their own that checks the addresses it connects to.
	HTTPClient *http.Client
	// TelegramURL is the base URL of the Bot API; DefaultTelegramURL if
	// empty.
	TelegramURL string
	// AllowPrivate lets webhooks reach addresses that are not public
	// (see liveboard.PublicAddr): receivers on the operator's own network,
	// and tests. Without it such a webhook fails for good, and webhooks
	// ignore the environment's HTTP proxy, as the proxy's address would be
	// the one checked.
	AllowPrivate bool

	once  sync.Once
	hooks *http.Client
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

// Send sends the alert to a channel of kind configured by cfg, its times
// in region's zone. test marks a message sent to check the channel, not a
// real alert.
func (s *Sender) Send(ctx context.Context, kind liveboard.ChannelKind,
	cfg liveboard.ChannelConfig, a *liveboard.Alert,
	region liveboard.Region, test bool) error {
	if err := cfg.Check(kind); err != nil {
		return err
	}
	if kind == liveboard.ChannelTelegram {
		return s.telegram(ctx, cfg, Text(a, region, test))
	}
	return s.webhook(ctx, cfg, a.ID, newPayload(a, region, test))
}

func (s *Sender) client() *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return defaultClient
}

var defaultClient = &http.Client{Timeout: 15 * time.Second}

// webhookClient returns the client webhooks are sent with, made on first
// use.
func (s *Sender) webhookClient() *http.Client {
	s.once.Do(func() { s.hooks = newWebhookClient(s.AllowPrivate) })
	return s.hooks
}

// newWebhookClient returns a client that follows no redirect and, unless
// allowPrivate, connects only to public addresses.
func newWebhookClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	t := http.DefaultTransport.(*http.Transport).Clone()
	if !allowPrivate {
		d.ControlContext = refusePrivate
		t.Proxy = nil
	}
	t.DialContext = d.DialContext
	return &http.Client{Timeout: 15 * time.Second, Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
}

// errNotPublic is why a connection to an address that is not public was
// refused.
var errNotPublic = errors.New("the address is not allowed " +
	"(not a public address)")

// refusePrivate runs before each connection is made, with the address it
// will use, after any name has been resolved.
func refusePrivate(_ context.Context, _, address string,
	_ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !liveboard.PublicAddr(ap.Addr()) {
		return errNotPublic
	}
	return nil
}

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
	text string) error {
	base := strings.TrimSuffix(s.TelegramURL, "/")
	if base == "" {
		base = DefaultTelegramURL
	}
	body, err := json.Marshal(telegramMessage{ChatID: cfg.ChatID,
		Text: text, DisableWebPagePreview: true})
	if err != nil {
		return fmt.Errorf("notify: telegram: %w", err)
	}

	u := base + "/bot" + url.PathEscape(cfg.BotToken) + "/sendMessage"
	status, answer, header, err := s.post(ctx, s.client(), u, body, nil)
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
	alertID int64, p Payload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}

	h := http.Header{}
	h.Set("X-Liveboard-Event", "alert")
	h.Set("X-Liveboard-Alert", strconv.FormatInt(alertID, 10))
	if cfg.Secret != "" {
		mac := hmac.New(sha256.New, []byte(cfg.Secret))
		mac.Write(body)
		h.Set("X-Liveboard-Signature",
			"sha256="+hex.EncodeToString(mac.Sum(nil)))
	}

	status, _, header, err := s.post(ctx, s.webhookClient(), cfg.URL, body,
		h)
	if err != nil {
		return &Error{Kind: liveboard.ChannelWebhook, Detail: err.Error(),
			Permanent: errors.Is(err, errNotPublic)}
	}
	if status/100 == 2 {
		return nil
	}
	e := httpError(liveboard.ChannelWebhook, status, header)
	e.Detail = "the webhook did not accept the alert"
	if status/100 == 3 {
		e.Detail = "the webhook answered with a redirect, " +
			"which is not followed"
		e.Permanent = true
	}
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
func (s *Sender) post(ctx context.Context, client *http.Client, u string,
	body []byte, h http.Header) (int, []byte, http.Header, error) {
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

	resp, err := client.Do(req)
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
	if errors.Is(err, errNotPublic) {
		return errNotPublic
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return errors.New("timed out")
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	// A lookup error names the resolver, an address of our network.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return fmt.Errorf("cannot connect: no such host %s",
				dnsErr.Name)
		}
		return fmt.Errorf("cannot connect: %s could not be looked up",
			dnsErr.Name)
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
