package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/notify"
)

const token = "123456789:AAH-secret-bot-token"

var ctx = context.Background()

// at is 12:00:00 in Jakarta, stored in UTC with a fraction of a second.
var at = time.Date(2026, 11, 20, 5, 0, 0, 123456789, time.UTC)

func alert() *liveboard.Alert {
	return &liveboard.Alert{
		ID: 7, StudioID: 1, AccountID: 2, SessionID: 3,
		ShopeeSessionID: "114156365", Rule: liveboard.RuleViewerDrop,
		Title:   "Viewers dropped 50% on studio_aurora_01",
		Message: "Viewers fell from 1,200 to 600 in 2 min.",
		Evidence: liveboard.Evidence{
			Level: liveboard.Ptr[int64](1200), Viewers: liveboard.Ptr[int64](600),
			ViewersAt: &at, DropPercent: liveboard.Ptr(50.0),
			Window: 5 * time.Minute,
		},
		FiredAt: at,
	}
}

// request is what a fake server received.
type request struct {
	path   string
	header http.Header
	body   []byte
}

// fake starts a server that records requests and answers with status and
// body.
func fake(t *testing.T, status int, body string) (string, *[]request) {
	t.Helper()
	var got []request
	srv := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got = append(got, request{r.URL.Path, r.Header.Clone(), b})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
	t.Cleanup(srv.Close)
	return srv.URL, &got
}

func TestTelegram(t *testing.T) {
	base, got := fake(t, 200, `{"ok":true,"result":{"message_id":5}}`)
	// The Bot API's URL is the operator's, so it may be on loopback even
	// for a Sender that refuses private webhooks.
	s := &notify.Sender{TelegramURL: base}
	cfg := liveboard.ChannelConfig{BotToken: token, ChatID: "-1001234"}

	if err := s.Send(ctx, liveboard.ChannelTelegram, cfg, alert(),
		liveboard.RegionID, false); err != nil {
		t.Fatal(err)
	}
	if len(*got) != 1 || (*got)[0].path != "/bot"+token+"/sendMessage" {
		t.Fatalf("requests %+v", *got)
	}
	var msg map[string]any
	if err := json.Unmarshal((*got)[0].body, &msg); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"chat_id": "-1001234",
		"text": "Liveboard alert: Viewers dropped 50% on studio_aurora_01\n" +
			"Viewers fell from 1,200 to 600 in 2 min.\n" +
			"Fired 2026-11-20 12:00:00 WIB",
		"disable_web_page_preview": true}
	if diff := cmp.Diff(want, msg); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
}

func TestTelegramFailures(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		permanent bool
		retry     time.Duration
	}{
		{"UnknownChatPermanent", 400,
			`{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			true, 0},
		{"BadTokenPermanent", 401,
			`{"ok":false,"error_code":401,"description":"Unauthorized"}`,
			true, 0},
		{"FloodWaitTemporary", 429,
			`{"ok":false,"error_code":429,"description":"Too Many Requests",` +
				`"parameters":{"retry_after":7}}`, false, 7 * time.Second},
		{"GatewayTemporary", 502, `<html>bad gateway</html>`, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, _ := fake(t, tt.status, tt.body)
			s := &notify.Sender{TelegramURL: base}
			err := s.Send(ctx, liveboard.ChannelTelegram,
				liveboard.ChannelConfig{BotToken: token, ChatID: "1"},
				alert(), liveboard.RegionID, false)

			var e *notify.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *notify.Error", err)
			}
			if errors.Is(err, notify.ErrPermanent) != tt.permanent ||
				e.RetryAfter != tt.retry || e.Status != tt.status {
				t.Errorf("err %+v: permanent %t, want %t, retry %v",
					e, errors.Is(err, notify.ErrPermanent), tt.permanent,
					tt.retry)
			}
			if strings.Contains(err.Error(), "secret-bot-token") {
				t.Errorf("error shows the token: %v", err)
			}
		})
	}
}

func TestUnreachableHidesSecrets(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()

	s := &notify.Sender{TelegramURL: base, AllowPrivate: true}
	errs := []error{
		s.Send(ctx, liveboard.ChannelTelegram,
			liveboard.ChannelConfig{BotToken: token, ChatID: "1"},
			alert(), liveboard.RegionID, false),
		s.Send(ctx, liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: base + "/hook/secret-path-value"},
			alert(), liveboard.RegionID, false),
	}
	for _, err := range errs {
		if err == nil || errors.Is(err, notify.ErrPermanent) {
			t.Errorf("err = %v, want a temporary failure", err)
		}
		if err != nil && (strings.Contains(err.Error(), "secret") ||
			strings.Contains(err.Error(), base)) {
			t.Errorf("error shows the address: %v", err)
		}
	}
}

func TestWebhook(t *testing.T) {
	base, got := fake(t, 204, "")
	s := &notify.Sender{AllowPrivate: true}
	cfg := liveboard.ChannelConfig{URL: base + "/hook", Secret: "sign-key"}

	if err := s.Send(ctx, liveboard.ChannelWebhook, cfg, alert(),
		liveboard.RegionID, true); err != nil {
		t.Fatal(err)
	}
	if len(*got) != 1 {
		t.Fatalf("%d requests, want 1", len(*got))
	}
	req := (*got)[0]

	mac := hmac.New(sha256.New, []byte("sign-key"))
	mac.Write(req.body)
	if sig := req.header.Get("X-Liveboard-Signature"); sig !=
		"sha256="+hex.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %q does not sign the body", sig)
	}

	var p map[string]any
	if err := json.Unmarshal(req.body, &p); err != nil {
		t.Fatal(err)
	}
	// The API's names and times: Shopee's session id is session_id,
	// Liveboard's live_session_id; times in Jakarta, to the second.
	want := map[string]any{"event": "alert", "test": true,
		"alert": map[string]any{
			"id": 7.0, "studio_id": 1.0, "shopee_account_id": 2.0,
			"live_session_id": 3.0, "session_id": "114156365",
			"rule":    "viewer_drop",
			"title":   "Viewers dropped 50% on studio_aurora_01",
			"message": "Viewers fell from 1,200 to 600 in 2 min.",
			"evidence": map[string]any{"level": 1200.0, "viewers": 600.0,
				"viewers_at":   "2026-11-20T12:00:00+07:00",
				"drop_percent": 50.0, "window_minutes": 5.0},
			"fired_at": "2026-11-20T12:00:00+07:00"}}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("payload (-want +got):\n%s", diff)
	}

	t.Run("RefusedPermanent", func(t *testing.T) {
		base, _ := fake(t, 410, "gone")
		err := s.Send(ctx, liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: base}, alert(), liveboard.RegionID, false)
		if !errors.Is(err, notify.ErrPermanent) {
			t.Errorf("err = %v, want permanent", err)
		}
	})
	t.Run("DownTemporary", func(t *testing.T) {
		base, _ := fake(t, 503, "down")
		err := s.Send(ctx, liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: base}, alert(), liveboard.RegionID, false)
		if err == nil || errors.Is(err, notify.ErrPermanent) {
			t.Errorf("err = %v, want temporary", err)
		}
	})
	t.Run("ErrInvalidConfig", func(t *testing.T) {
		err := s.Send(ctx, liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: "not a url"}, alert(), liveboard.RegionID, false)
		if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
			t.Errorf("code %q, want %q", code, liveboard.EInvalid)
		}
	})
}

// TestWebhookRefusesPrivate checks that a default Sender connects to no
// address that is not public, whether the URL names it or a host name
// resolves to it, and says so without details of the connection.
func TestWebhookRefusesPrivate(t *testing.T) {
	base, got := fake(t, 204, "")
	port := base[strings.LastIndex(base, ":")+1:]
	urls := []string{
		base + "/hook",
		"http://localhost:" + port + "/hook",
		"http://[::1]:" + port + "/",
		"http://10.0.0.1:9/",
		"http://169.254.169.254/latest/meta-data/",
		"http://100.64.0.1/",
	}
	s := &notify.Sender{}
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := s.Send(ctx, liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: u}, alert(), liveboard.RegionID, true)
		cancel()
		if !errors.Is(err, notify.ErrPermanent) ||
			!strings.Contains(err.Error(), "not allowed") {
			t.Errorf("%s: err = %v, want a permanent refusal", u, err)
			continue
		}
		for _, leak := range []string{port, "127.0.0.1", "::1", "dial",
			"connect", "refused", "169.254"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%s: error %q shows %q", u, err, leak)
			}
		}
	}
	if len(*got) != 0 {
		t.Errorf("the loopback webhook received %d requests", len(*got))
	}

	t.Run("AllowPrivate", func(t *testing.T) {
		s := &notify.Sender{AllowPrivate: true}
		err := s.Send(ctx, liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: "http://localhost:" + port + "/hook"},
			alert(), liveboard.RegionID, true)
		if err != nil || len(*got) != 1 {
			t.Errorf("err = %v, %d requests, want it sent", err, len(*got))
		}
	})
}

// TestWebhookRedirectFails checks that a webhook's redirect is not
// followed and fails the send for good.
func TestWebhookRedirectFails(t *testing.T) {
	var followed bool
	srv := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/elsewhere" {
				followed = true
				return
			}
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		}))
	t.Cleanup(srv.Close)

	s := &notify.Sender{AllowPrivate: true}
	err := s.Send(ctx, liveboard.ChannelWebhook,
		liveboard.ChannelConfig{URL: srv.URL + "/hook"}, alert(), liveboard.RegionID, false)
	if !errors.Is(err, notify.ErrPermanent) || followed {
		t.Errorf("err = %v, followed %t; want a permanent failure, "+
			"not followed", err, followed)
	}
}

// TestLookupErrorHidesResolver sends to a host that does not exist: the
// error names the host, never the resolver Liveboard asked.
func TestLookupErrorHidesResolver(t *testing.T) {
	s := &notify.Sender{}
	err := s.Send(ctx, liveboard.ChannelWebhook,
		liveboard.ChannelConfig{URL: "https://no-such-host.invalid/hook"},
		alert(), liveboard.RegionID, false)
	if err == nil || !strings.Contains(err.Error(), "no-such-host.invalid") ||
		strings.Contains(err.Error(), ":53") {
		t.Errorf("err = %v, want one naming the host alone", err)
	}
}
