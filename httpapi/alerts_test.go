package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

const (
	rulesPath    = "/api/live-streaming/alerts/rules"
	channelsPath = "/api/live-streaming/alerts/channels"
	alertsPath   = "/api/live-streaming/alerts"
)

// put sends v as JSON with PUT, as who.
func (h *harness) put(t *testing.T, path string, as who, v any) response {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return h.call(t, http.MethodPut, path, as, string(b))
}

type rulesOut struct {
	ViewerDrop struct {
		Enabled       bool    `json:"enabled"`
		Percent       float64 `json:"percent"`
		WindowMinutes float64 `json:"window_minutes"`
	} `json:"viewer_drop"`
	NoOrders struct {
		Enabled bool `json:"enabled"`
	} `json:"no_orders"`
	CooldownMinutes float64 `json:"cooldown_minutes"`
	UpdatedAt       *string `json:"updated_at"`
}

func TestAlertRulesAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})

	got := dataOf[rulesOut](t, h.get(t, rulesPath+"?studio_id=1", viewer1),
		http.StatusOK)
	if got.ViewerDrop.Percent != 30 || got.ViewerDrop.WindowMinutes != 5 ||
		got.UpdatedAt != nil {
		t.Errorf("default rules %+v", got)
	}

	change := map[string]any{"studio_id": h.studio1.ID,
		"viewer_drop":      map[string]any{"percent": 45, "window_minutes": 2.5},
		"no_orders":        map[string]any{"enabled": false},
		"cooldown_minutes": 30}
	got = dataOf[rulesOut](t, h.put(t, rulesPath, admin1, change),
		http.StatusOK)
	if got.ViewerDrop.Percent != 45 || got.ViewerDrop.WindowMinutes != 2.5 ||
		!got.ViewerDrop.Enabled || got.NoOrders.Enabled ||
		got.CooldownMinutes != 30 || got.UpdatedAt == nil {
		t.Errorf("changed rules %+v", got)
	}
	again := dataOf[rulesOut](t, h.get(t, rulesPath+"?studio_id=1", viewer1),
		http.StatusOK)
	if again.ViewerDrop.Percent != 45 {
		t.Errorf("rules read back %+v", again)
	}

	tests := []struct {
		name   string
		as     who
		body   map[string]any
		status int
		code   string
	}{
		{"ErrOperatorCannot", operator1, change, http.StatusForbidden,
			liveboard.EForbidden},
		{"ErrOtherStudio", member2, change, http.StatusNotFound,
			liveboard.ENotFound},
		{"ErrOutOfRange", admin1, map[string]any{"studio_id": h.studio1.ID,
			"viewer_drop": map[string]any{"percent": 0}},
			http.StatusBadRequest, liveboard.EInvalid},
		{"ErrHugeMinutes", admin1, map[string]any{
			"studio_id": h.studio1.ID, "cooldown_minutes": 1e20},
			http.StatusBadRequest, liveboard.EInvalid},
		{"ErrHugeNegativeWindow", admin1, map[string]any{
			"studio_id":   h.studio1.ID,
			"viewer_drop": map[string]any{"window_minutes": -1e20}},
			http.StatusBadRequest, liveboard.EInvalid},
		{"ErrUnknownField", admin1, map[string]any{
			"studio_id": h.studio1.ID, "volume": 11},
			http.StatusBadRequest, liveboard.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, h.put(t, rulesPath, tt.as, tt.body), tt.status,
				tt.code)
		})
	}
}

// hook is a webhook endpoint that counts what it received and answers
// with status.
type hook struct {
	mu     sync.Mutex
	status int
	bodies [][]byte
}

func (k *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.bodies = append(k.bodies, b)
	w.WriteHeader(k.status)
}

func (k *hook) received() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.bodies)
}

type channelOut struct {
	ID     json.Number `json:"id"`
	Kind   string      `json:"kind"`
	Target string      `json:"target"`
}

func TestAlertChannelsAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	up := &hook{status: http.StatusNoContent}
	down := &hook{status: http.StatusServiceUnavailable}
	upURL, downURL := serveHook(t, up)+"/in/s3cret-path", serveHook(t, down)
	h.secrets = append(h.secrets, "s3cret-path", "987654:telegram-secret",
		"hook-signing-secret")

	create := func(as who, body map[string]any) response {
		t.Helper()
		return h.post(t, channelsPath, as, body)
	}
	ok := dataOf[channelOut](t, create(admin1, map[string]any{
		"studio_id": h.studio1.ID, "kind": "webhook", "name": "ops",
		"url": upURL, "secret": "hook-signing-secret"}), http.StatusCreated)
	bad := dataOf[channelOut](t, create(admin1, map[string]any{
		"studio_id": h.studio1.ID, "kind": "webhook", "url": downURL}),
		http.StatusCreated)
	dataOf[channelOut](t, create(admin1, map[string]any{
		"studio_id": h.studio1.ID, "kind": "telegram",
		"bot_token": "987654:telegram-secret", "chat_id": "-100"}),
		http.StatusCreated)

	list := dataOf[struct {
		Channels []channelOut `json:"channels"`
	}](t, h.get(t, channelsPath+"?studio_id=1", viewer1), http.StatusOK)
	if len(list.Channels) != 3 || list.Channels[0].Target != serveBase(upURL) {
		t.Errorf("channels %+v", list.Channels)
	}

	t.Run("SendTest", func(t *testing.T) {
		res := h.post(t, channelsPath+"/"+ok.ID.String()+"/test", admin1, nil)
		got := dataOf[map[string]any](t, res, http.StatusOK)
		if got["delivered"] != true || up.received() != 1 {
			t.Fatalf("test to a working webhook: %v, %d received", got,
				up.received())
		}
		up.mu.Lock()
		body := string(up.bodies[0])
		up.mu.Unlock()
		if !strings.Contains(body, `"test":true`) ||
			!strings.Contains(body, `"rule":"test"`) {
			t.Errorf("a test message reads as an alert: %s", body)
		}
		res = h.post(t, channelsPath+"/"+bad.ID.String()+"/test", admin1, nil)
		got = dataOf[map[string]any](t, res, http.StatusOK)
		if got["delivered"] != false || got["error"] == "" {
			t.Errorf("test to a failing webhook: %v", got)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		wantError(t, create(operator1, map[string]any{
			"studio_id": h.studio1.ID, "kind": "webhook", "url": upURL}),
			http.StatusForbidden, liveboard.EForbidden)
		wantError(t, create(admin1, map[string]any{
			"studio_id": h.studio1.ID, "kind": "webhook", "url": "ftp://x"}),
			http.StatusBadRequest, liveboard.EInvalid)
		wantError(t, create(admin1, map[string]any{
			"studio_id": h.studio1.ID, "kind": "pigeon"}),
			http.StatusBadRequest, liveboard.EInvalid)
		wantError(t, h.post(t, channelsPath+"/"+ok.ID.String()+"/test",
			member2, nil), http.StatusNotFound, liveboard.ENotFound)
	})

	t.Run("Delete", func(t *testing.T) {
		path := channelsPath + "/" + bad.ID.String()
		wantError(t, h.call(t, http.MethodDelete, path, member2, ""),
			http.StatusNotFound, liveboard.ENotFound)
		wantStatus(t, h.call(t, http.MethodDelete, path, admin1, ""),
			http.StatusOK)
		wantError(t, h.call(t, http.MethodDelete, path, admin1, ""),
			http.StatusNotFound, liveboard.ENotFound)
	})
}

// TestPrivateWebhooks checks that by default the API neither stores a
// webhook to a private address nor sends to one stored before, and says
// so without details of the connection.
func TestPrivateWebhooks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		setup{publicWebhooks: true})
	up := &hook{status: http.StatusNoContent}
	upURL := serveHook(t, up)

	for _, u := range []string{upURL + "/hook", "http://localhost:8080/",
		"http://[::1]:9911/", "http://10.1.2.3/",
		"http://169.254.169.254/latest/meta-data/"} {
		res := h.post(t, channelsPath, admin1, map[string]any{
			"studio_id": h.studio1.ID, "kind": "webhook", "url": u})
		wantError(t, res, http.StatusBadRequest, liveboard.EInvalid)
		if !strings.Contains(string(res.body), "public address") {
			t.Errorf("%s: refusal %s does not say why", u, res.body)
		}
	}

	// A channel stored before the guard existed.
	ch := &liveboard.Channel{StudioID: h.studio1.ID,
		Kind: liveboard.ChannelWebhook, Name: "old", Enabled: true}
	if err := h.store.CreateChannel(context.Background(), ch,
		liveboard.ChannelConfig{URL: upURL + "/hook"}); err != nil {
		t.Fatal(err)
	}
	res := h.post(t, channelsPath+"/"+itoa(ch.ID)+"/test", admin1, nil)
	got := dataOf[map[string]any](t, res, http.StatusOK)
	problem, _ := got["error"].(string)
	if got["delivered"] != false || up.received() != 0 ||
		!strings.Contains(problem, "not allowed") {
		t.Errorf("test to a loopback webhook: %v, %d received", got,
			up.received())
	}
	port := upURL[strings.LastIndex(upURL, ":")+1:]
	for _, leak := range []string{port, "127.0.0.1", "connect", "refused",
		"dial"} {
		if strings.Contains(problem, leak) {
			t.Errorf("the test's error %q shows %q", problem, leak)
		}
	}
}

func serveHook(t *testing.T, k *hook) string {
	srv := httptest.NewServer(k)
	t.Cleanup(srv.Close)
	return srv.URL
}

// serveBase returns the scheme and host of a URL.
func serveBase(u string) string {
	for i := len("http://"); i < len(u); i++ {
		if u[i] == '/' {
			return u[:i]
		}
	}
	return u
}

type alertOut struct {
	ID             json.Number `json:"id"`
	StudioID       json.Number `json:"studio_id"`
	Rule           string      `json:"rule"`
	Open           bool        `json:"open"`
	AcknowledgedAt *string     `json:"acknowledged_at"`
	Evidence       struct {
		Level     json.Number `json:"level"`
		ViewersAt string      `json:"viewers_at"`
	} `json:"evidence"`
}

func TestAlertInboxAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	ctx := context.Background()
	at := h.clock.Now()
	fire := func(a liveboard.Account, rule liveboard.AlertRule) int64 {
		t.Helper()
		al := &liveboard.Alert{StudioID: a.StudioID, AccountID: a.ID,
			Rule: rule, Subject: liveboard.AccountSubject(a.ID),
			Title: string(rule), FiredAt: at,
			Evidence: liveboard.Evidence{Level: liveboard.Ptr[int64](900),
				ViewersAt: &at}}
		if _, err := h.store.FireAlert(ctx, al, 0); err != nil {
			t.Fatal(err)
		}
		return al.ID
	}
	mine := fire(h.accounts[0], liveboard.RuleViewerDrop)
	fire(h.accounts[1], liveboard.RuleRelogin)
	theirs := fire(h.accounts[3], liveboard.RuleRelogin)
	if err := h.store.ResolveAlert(ctx, h.studio1.ID, liveboard.RuleRelogin,
		liveboard.AccountSubject(h.accounts[1].ID), at); err != nil {
		t.Fatal(err)
	}

	inbox := func(query string, as who) []alertOut {
		t.Helper()
		return dataOf[struct {
			Alerts []alertOut `json:"alerts"`
		}](t, h.get(t, alertsPath+query, as), http.StatusOK).Alerts
	}
	all := inbox("", owner1)
	if len(all) != 2 || all[0].StudioID.String() != "1" {
		t.Fatalf("owner of studio 1 sees %+v", all)
	}
	if open := inbox("?status=open", owner1); len(open) != 1 ||
		open[0].ID.String() != itoa(mine) || open[0].Evidence.Level != "900" ||
		open[0].Evidence.ViewersAt != at.In(jakarta).Format(time.RFC3339) {
		t.Errorf("open alerts %+v", open)
	}

	t.Run("Acknowledge", func(t *testing.T) {
		path := alertsPath + "/" + itoa(mine) + "/acknowledge"
		wantError(t, h.post(t, path, viewer1, nil), http.StatusForbidden,
			liveboard.EForbidden)
		got := dataOf[alertOut](t, h.post(t, path, operator1, nil),
			http.StatusOK)
		if got.AcknowledgedAt == nil {
			t.Errorf("acknowledged alert %+v", got)
		}
		unread := inbox("?acknowledged=false", owner1)
		if len(unread) != 1 || unread[0].ID.String() == itoa(mine) {
			t.Errorf("unread after acknowledging: %+v", unread)
		}
	})
	t.Run("OtherStudios", func(t *testing.T) {
		wantError(t, h.post(t, alertsPath+"/"+itoa(theirs)+"/acknowledge",
			owner1, nil), http.StatusNotFound, liveboard.ENotFound)
		if got := inbox("", member2); len(got) != 1 ||
			got[0].ID.String() != strconv.FormatInt(theirs, 10) {
			t.Errorf("studio 2 sees %+v", got)
		}
	})
	t.Run("BadFilters", func(t *testing.T) {
		for _, q := range []string{"?status=closed", "?acknowledged=maybe",
			"?rule=tsunami"} {
			wantError(t, h.get(t, alertsPath+q, owner1),
				http.StatusBadRequest, liveboard.EInvalid)
		}
	})
}
