package httpapi_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"liveboard"
	"liveboard/httpapi"
)

// testAuthentication checks which Authorization headers let a request
// through.
func testAuthentication(t *testing.T, h *harness) {
	revoked := h.revokedKey(t)
	valid := h.keys[viewer1]

	tests := []struct {
		name   string
		header string
		status int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"empty bearer", "Bearer ", http.StatusUnauthorized},
		{"basic scheme", "Basic dXNlcjpwYXNzd29yZA==",
			http.StatusUnauthorized},
		{"key without a scheme", valid, http.StatusUnauthorized},
		{"token scheme", "Token " + valid, http.StatusUnauthorized},
		{"unknown key", "Bearer lb_" + strings.Repeat("a", 52),
			http.StatusUnauthorized},
		{"revoked key", "Bearer " + revoked, http.StatusUnauthorized},
		{"valid key", "Bearer " + valid, http.StatusOK},
		// RFC 9110 makes the scheme name case-insensitive.
		{"lower-case scheme", "bearer " + valid, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet,
				h.url+sessionsPath, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			res := h.send(t, req)
			if tt.status == http.StatusOK {
				wantStatus(t, res, http.StatusOK)
				return
			}
			wantError(t, res, tt.status, liveboard.EUnauthorized)
		})
	}
}

// revokedKey returns a key of studio 1's viewer that worked and has been
// revoked. The store has no way to revoke a key, so its row is updated
// directly.
func (h *harness) revokedKey(t *testing.T) string {
	t.Helper()
	key, id := h.createKey(t, h.users["viewer@example.test"],
		liveboard.RoleViewer, nil)

	req, err := http.NewRequest(http.MethodGet, h.url+sessionsPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	wantStatus(t, h.send(t, req), http.StatusOK)

	_, err = h.store.DB().ExecContext(context.Background(),
		`UPDATE api_keys SET revoked_at = $1 WHERE id = $2`,
		h.clock.Now(), id)
	if err != nil {
		t.Fatalf("revoke key: %v", err)
	}
	return key
}

// testEveryAPIRouteNeedsAKey sends every route a request without a key:
// public routes answer, the others refuse.
func testEveryAPIRouteNeedsAKey(t *testing.T, h *harness) {
	param := regexp.MustCompile(`\{[^}]+\}`)

	for _, r := range h.api.Routes() {
		path := param.ReplaceAllString(r.Path, "1")
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			body := ""
			if r.Method == http.MethodPost {
				body = "{}"
			}
			res := h.call(t, r.Method, path, anonymous, body)
			if r.Public {
				wantStatus(t, res, http.StatusOK)
				return
			}
			wantError(t, res, http.StatusUnauthorized,
				liveboard.EUnauthorized)
		})
	}
}

// testPublicRoutes checks what the routes open to all answer.
func testPublicRoutes(t *testing.T, h *harness) {
	tests := []struct {
		path        string
		contentType string
		body        string
	}{
		{"/healthz", "application/json", `"status":"ok"`},
		{"/readyz", "application/json", `"status":"ready"`},
		{"/api/openapi.json", "application/json", `"openapi":"3.0.3"`},
		{"/metrics", "text/plain", "liveboard_http_requests_total"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			// One request first, so the metrics have a request to count.
			h.get(t, tt.path, anonymous)
			res := h.get(t, tt.path, anonymous)
			wantStatus(t, res, http.StatusOK)
			ct := res.header.Get("Content-Type")
			if !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.contentType)
			}
			if !strings.Contains(string(res.body), tt.body) {
				t.Errorf("body does not hold %s:\n%.300s", tt.body,
					res.body)
			}
		})
	}
}

// TestNotReady checks /readyz when the service cannot take traffic.
func TestNotReady(t *testing.T) {
	t.Parallel()
	api, err := httpapi.New(httpapi.Config{
		Ready: func(context.Context) error {
			return errors.New("schema at version 0, want 1")
		},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("httpapi.New: %v", err)
	}
	srv := httptest.NewServer(api)
	defer srv.Close()
	h := &harness{url: srv.URL}

	got := wantError(t, h.get(t, "/readyz", anonymous),
		http.StatusServiceUnavailable, "NOT_READY")
	if !strings.Contains(got.Message, "schema at version 0") {
		t.Errorf("message %q does not say why", got.Message)
	}
	wantStatus(t, h.get(t, "/healthz", anonymous), http.StatusOK)
}
