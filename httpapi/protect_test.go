package httpapi_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

// TestRateLimitPerKey checks that a key spending its burst gets 429 in
// the error envelope with Retry-After, that other keys are not slowed,
// and that the key recovers as time passes.
func TestRateLimitPerKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		setup{rateLimit: 0.5, rateBurst: 3})
	path := accountsPath + "/" + itoa(h.accounts[0].ID)

	for i := range 3 {
		if res := h.get(t, path, viewer1); res.status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d", i+1, res.status)
		}
	}
	res := h.get(t, path, viewer1)
	wantError(t, res, http.StatusTooManyRequests, liveboard.ERateLimited)
	if got := res.header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2 (one token every 2 s)", got)
	}

	wantStatus(t, h.get(t, path, owner1), http.StatusOK)

	h.clock.Advance(2 * time.Second)
	wantStatus(t, h.get(t, path, viewer1), http.StatusOK)
	wantError(t, h.get(t, path, viewer1), http.StatusTooManyRequests,
		liveboard.ERateLimited)
}

// testSecurityHeaders checks the headers on answers of every kind:
// public, keyed, refused, unrouted.
func testSecurityHeaders(t *testing.T, h *harness) {
	answers := map[string]response{
		"public":   h.get(t, "/healthz", anonymous),
		"keyed":    h.get(t, accountsPath, viewer1),
		"refused":  h.get(t, accountsPath, anonymous),
		"unrouted": h.get(t, "/api/live-streaming/nowhere", viewer1),
	}
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; " +
			"frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	}
	for kind, res := range answers {
		for name, value := range want {
			if got := res.header.Get(name); got != value {
				t.Errorf("%s answer: %s = %q, want %q", kind, name, got,
					value)
			}
		}
		if got := res.header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s answer allows origin %q with CORS off", kind, got)
		}
	}
}

func TestCORSAllowList(t *testing.T) {
	t.Parallel()
	const allowed = "https://dash.example.test"
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		setup{corsOrigins: []string{allowed}})

	send := func(method, origin string) response {
		req, err := http.NewRequest(method, h.url+accountsPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "GET")
			req.Header.Set("Access-Control-Request-Headers", "authorization")
			// A preflight is no API operation: it is checked apart from
			// the document.
			return sendRaw(t, req)
		}
		req.Header.Set("Authorization", "Bearer "+h.keys[viewer1])
		return h.send(t, req)
	}

	t.Run("allowed origin", func(t *testing.T) {
		res := send(http.MethodGet, allowed)
		wantStatus(t, res, http.StatusOK)
		if got := res.header.Get("Access-Control-Allow-Origin"); got != allowed {
			t.Errorf("Access-Control-Allow-Origin = %q", got)
		}
		pre := send(http.MethodOptions, allowed)
		wantStatus(t, pre, http.StatusNoContent)
		if got := pre.header.Get("Access-Control-Allow-Headers"); got !=
			"Authorization, Content-Type" {
			t.Errorf("preflight allows headers %q", got)
		}
	})
	t.Run("other origin", func(t *testing.T) {
		res := send(http.MethodGet, "https://evil.example.test")
		if got := res.header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Access-Control-Allow-Origin = %q for another origin",
				got)
		}
		pre := send(http.MethodOptions, "https://evil.example.test")
		if pre.status == http.StatusNoContent ||
			pre.header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("preflight of another origin answered %d with %v",
				pre.status, pre.header)
		}
	})
}

// sendRaw sends req and returns the answer unchecked.
func sendRaw(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header,
		body: body}
}
