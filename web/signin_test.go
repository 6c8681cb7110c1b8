package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/web"
)

func TestSignInAndOut(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, options{})
		b := h.browser(t)

		if p := b.get("/accounts"); p.status != http.StatusSeeOther ||
			p.location() != "/signin" {
			t.Fatalf("signed out: %d to %q, want the sign-in page",
				p.status, p.location())
		}

		wrong := b.submitSignIn(ownerEmail, "not the password")
		wantStatus(t, wrong, http.StatusUnauthorized)
		if !strings.Contains(wrong.body, "Wrong email or password.") ||
			strings.Contains(wrong.body, "not the password") {
			t.Errorf("a wrong password answered:\n%.400s", wrong.body)
		}

		accounts := b.signIn(ownerEmail)
		wantStatus(t, accounts, http.StatusOK)
		checkSessionCookie(t, b)
		for _, a := range h.accounts {
			if !strings.Contains(accounts.body, a.UserName) {
				t.Errorf("the accounts page does not list %s", a.UserName)
			}
		}

		token := b.jar["__Host-lb_session"].Value
		out := b.form(accounts, "/signout", nil)
		if out.status != http.StatusSeeOther || out.location() != "/signin" {
			t.Fatalf("sign out: %d to %q", out.status, out.location())
		}
		if _, ok := b.jar["__Host-lb_session"]; ok {
			t.Error("the session cookie survived signing out")
		}

		// The old token no longer opens anything.
		b.jar["__Host-lb_session"] = &http.Cookie{
			Name: "__Host-lb_session", Value: token}
		if p := b.get("/accounts"); p.status != http.StatusSeeOther {
			t.Errorf("the token of a signed-out session: %d", p.status)
		}

		wantActions(t, h, h.studio1.ID, liveboard.AuditLogout,
			liveboard.AuditLogin, liveboard.AuditLoginFailed)
	})
}

// checkSessionCookie checks the session cookie's attributes.
func checkSessionCookie(t *testing.T, b *browser) {
	t.Helper()
	c, ok := b.jar["__Host-lb_session"]
	switch {
	case !ok:
		t.Fatal("no __Host-lb_session cookie")
	case !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode ||
		c.Path != "/" || c.Domain != "":
		t.Errorf("session cookie %+v: want Secure, HttpOnly, "+
			"SameSite=Lax, Path=/, no Domain", c)
	case c.MaxAge != int((12 * time.Hour).Seconds()):
		t.Errorf("session cookie lives %d s, want 12 h", c.MaxAge)
	}
}

// wantActions checks the newest audit entries of a studio.
func wantActions(t *testing.T, h *harness, studioID int64,
	want ...liveboard.AuditAction) {
	t.Helper()
	log, err := h.store.AuditLog(ctx, liveboard.AuditFilter{
		StudioID: studioID, Limit: len(want)})
	if err != nil {
		t.Fatal(err)
	}
	var got []liveboard.AuditAction
	for _, e := range log {
		got = append(got, e.Action)
		if e.IP != "192.0.2.1" || e.UserID == 0 {
			t.Errorf("audit entry %+v lacks who or where", e)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("audit log = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit log = %v, want %v", got, want)
		}
	}
}

func TestCSRF(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	b := h.browser(t)
	accounts := b.signIn(adminEmail)
	good := b.csrf(accounts)
	target := "/accounts/" + itoa(h.accounts[0].ID) + "/remove"

	other := h.browser(t)
	otherToken := other.csrf(other.signIn(ownerEmail))

	tests := []struct {
		name   string
		token  string
		header http.Header
	}{
		{"no token", "", nil},
		{"wrong token", good + "x", nil},
		{"another session's token", otherToken, nil},
		{"cross-site post with the right token", good,
			http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"other origin with the right token", good,
			http.Header{"Origin": {"https://evil.example.test"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.header = tt.header
			defer func() { b.header = http.Header{} }()
			form := url.Values{}
			if tt.token != "" {
				form.Set("csrf_token", tt.token)
			}
			wantStatus(t, b.post(target, form), http.StatusForbidden)
		})
	}
	if list, _ := h.store.Accounts(ctx, h.studio1.ID); len(list) !=
		len(h.accounts) {
		t.Fatal("a refused post removed an account")
	}

	t.Run("the right token", func(t *testing.T) {
		p := b.post(target, url.Values{"csrf_token": {good}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status = %d\n%.300s", p.status, p.body)
		}
	})
	t.Run("sign-in form", func(t *testing.T) {
		c := h.browser(t)
		form := c.get("/signin")
		delete(c.jar, "__Host-lb_csrf")
		p := c.post("/signin", url.Values{"csrf_token": {c.csrf(form)},
			"email": {ownerEmail}, "password": {thePassword}})
		wantStatus(t, p, http.StatusForbidden)
		if _, ok := c.jar["__Host-lb_session"]; ok {
			t.Error("a sign-in without its CSRF cookie started a session")
		}
	})
}

func TestSignInThrottle(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{
		throttle: web.ThrottleConfig{UserBurst: 3, UserEvery: time.Minute,
			IPBurst: 5, IPEvery: 10 * time.Second}})
	b := h.browser(t)

	for range 3 {
		wantStatus(t, b.submitSignIn(viewerEmail, "wrong password!"),
			http.StatusUnauthorized)
	}
	t.Run("per email", func(t *testing.T) {
		// Even the right password waits, and from another address too.
		b.header.Set("X-Test-IP", "198.51.100.9")
		defer b.header.Del("X-Test-IP")
		p := b.submitSignIn(viewerEmail, thePassword)
		wantStatus(t, p, http.StatusTooManyRequests)
		if got := p.header.Get("Retry-After"); got != "60" {
			t.Errorf("Retry-After = %q, want 60", got)
		}
		if _, ok := b.jar["__Host-lb_session"]; ok {
			t.Fatal("a throttled sign-in started a session")
		}
	})
	t.Run("per address", func(t *testing.T) {
		for _, email := range []string{"x1@example.test", "x2@example.test"} {
			wantStatus(t, b.submitSignIn(email, "wrong password!"),
				http.StatusUnauthorized)
		}
		wantStatus(t, b.submitSignIn(ownerEmail, thePassword),
			http.StatusTooManyRequests)
	})
	t.Run("recovers", func(t *testing.T) {
		h.clock.Advance(time.Minute)
		b.signIn(viewerEmail)
		if _, ok := b.jar["__Host-lb_session"]; !ok {
			t.Fatal("no session after the wait")
		}
	})
}
