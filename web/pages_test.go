package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

// TestSecurityHeaders checks the headers of every kind of answer, and
// that pages hold no inline script or style the policy would have to
// allow.
func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	b := h.browser(t)
	answers := map[string]page{"sign-in page": b.get("/signin")}
	accounts := b.signIn(adminEmail)
	answers["accounts page"] = accounts
	answers["QR page"] = b.form(accounts, "/accounts/qr", nil)
	answers["script"] = b.get("/static/qr.js")
	answers["missing page"] = b.get("/nowhere")
	answers["refused post"] = b.post("/accounts/1/remove", url.Values{})

	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
	}
	for name, p := range answers {
		csp := p.header.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'self'",
			"script-src 'self'", "frame-ancestors 'none'",
			"form-action 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, part) {
				t.Errorf("%s: policy %q lacks %s", name, csp, part)
			}
		}
		if strings.Contains(csp, "unsafe-inline") ||
			strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: policy %q allows inline code", name, csp)
		}
		for header, value := range want {
			if got := p.header.Get(header); got != value {
				t.Errorf("%s: %s = %q, want %q", name, header, got, value)
			}
		}
		checkNoInlineCode(t, name, p.body)
	}
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	scriptTag    = regexp.MustCompile(`<script[^>]*>`)
	handlerAttr  = regexp.MustCompile(`\son[a-z]+\s*=`)
)

func checkNoInlineCode(t *testing.T, name, body string) {
	t.Helper()
	if !strings.HasPrefix(body, "<!DOCTYPE html>") {
		return
	}
	for _, tag := range scriptTag.FindAllString(body, -1) {
		if !strings.Contains(tag, ` src="/static/`) {
			t.Errorf("%s: script without a src of our own: %s", name, tag)
		}
	}
	if inlineScript.MatchString(body) || handlerAttr.MatchString(body) ||
		strings.Contains(body, "<style") || strings.Contains(body, "style=") {
		t.Errorf("%s: inline script or style in the page", name)
	}
}

// TestPagesNeedASession sends every route that is not public a request
// without a session: pages redirect to the sign-in page, the rest get
// 401. The route list is the server's own.
func TestPagesNeedASession(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	b := h.browser(t)
	param := regexp.MustCompile(`\{[^}]+\}`)

	for _, r := range h.web.Routes() {
		if r.Public {
			continue
		}
		path := param.ReplaceAllString(strings.TrimSuffix(r.Path, "{$}"),
			"1")
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			p := b.do(r.Method, path, url.Values{})
			if r.Method == http.MethodGet {
				if p.status != http.StatusSeeOther ||
					p.location() != "/signin" {
					t.Errorf("%d to %q, want the sign-in page", p.status,
						p.location())
				}
				return
			}
			wantStatus(t, p, http.StatusUnauthorized)
		})
	}
}

// TestAccountsPageByRole checks what each role sees and may do on the
// accounts page, and that other studios' people see nothing of it.
func TestAccountsPageByRole(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	a := h.accounts[1]
	if err := h.store.RecordAccountFailure(ctx, a.ID, t0,
		"Shopee overview: the login is no longer valid", true); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		email                     string
		relogin, connect, removal bool
	}{
		{viewerEmail, false, false, false},
		{operatorEmail, true, false, false},
		{adminEmail, true, true, true},
		{ownerEmail, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			p := h.browser(t).signIn(tt.email)
			for _, acc := range h.accounts {
				if !strings.Contains(p.body, acc.UserName) {
					t.Errorf("does not list %s", acc.UserName)
				}
			}
			if !strings.Contains(p.body, "needs re-login") ||
				!strings.Contains(p.body, "no longer valid") {
				t.Error("does not show the account needing a new login")
			}
			got := []bool{
				strings.Contains(p.body, "Log in again by QR"),
				strings.Contains(p.body, "Show a login QR code"),
				strings.Contains(p.body, `/remove"`),
			}
			want := []bool{tt.relogin, tt.connect, tt.removal}
			for i, what := range []string{"re-login", "connect", "remove"} {
				if got[i] != want[i] {
					t.Errorf("%s offered: %t, want %t", what, got[i], want[i])
				}
			}
			// Only the account that needs it is urged to log in again;
			// the healthy ones offer it quietly.
			if n := strings.Count(p.body, ">Log in again by QR<"); tt.relogin &&
				n != 1 {
				t.Errorf("%d accounts urged to log in again, want 1", n)
			}
			quiet := strings.Count(p.body, `class="quiet">New login by QR<`)
			if want := len(h.accounts) - 1; tt.relogin && quiet != want {
				t.Errorf("%d quiet new-login buttons, want %d", quiet, want)
			}
		})
	}

	t.Run("refused to a lower role", func(t *testing.T) {
		b := h.browser(t)
		p := b.signIn(operatorEmail)
		wantStatus(t, b.form(p, "/accounts/"+itoa(a.ID)+"/remove", nil),
			http.StatusForbidden)
		wantStatus(t, b.form(p, "/accounts/qr", nil), http.StatusForbidden)
	})
	t.Run("other studios see nothing", func(t *testing.T) {
		b := h.browser(t)
		p := b.signIn(otherEmail)
		for _, acc := range h.accounts {
			if strings.Contains(p.body, acc.UserName) {
				t.Errorf("the owner of studio 2 sees %s", acc.UserName)
			}
		}
		wantStatus(t, b.form(p, "/accounts/"+itoa(a.ID)+"/remove", nil),
			http.StatusNotFound)
		wantStatus(t, b.form(p, "/studio", url.Values{
			"studio_id": {itoa(h.studio1.ID)}}), http.StatusNotFound)
		wantStatus(t, b.form(p, "/accounts/qr", url.Values{
			"account_id": {itoa(a.ID)}}), http.StatusNotFound)
	})
}

// TestStudioSwitcher checks that someone in two studios can switch
// between them, and sees each with their role there.
func TestStudioSwitcher(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	b := h.browser(t)
	p := b.signIn(bothEmail)
	if !strings.Contains(p.body, `name="studio_id"`) ||
		!strings.Contains(p.body, "Shopee accounts of Studio Dua") {
		t.Fatalf("no switcher, or not on studio 2 first:\n%.600s", p.body)
	}

	sw := b.form(p, "/studio", url.Values{"studio_id": {itoa(h.studio1.ID)}})
	if sw.status != http.StatusSeeOther {
		t.Fatalf("switch: %d", sw.status)
	}
	p = b.get(sw.location())
	if !strings.Contains(p.body, "Shopee accounts of Studio Satu") ||
		!strings.Contains(p.body, "Studio switched.") {
		t.Errorf("after switching:\n%.800s", p.body)
	}
	if strings.Contains(p.body, "Show a login QR code") {
		t.Error("a viewer of studio 1 is offered to connect accounts")
	}
}

// TestQRLoginFromTheDashboard connects an account by QR as an admin
// does in a browser: the page with the code, the status its script
// polls, and the finish.
func TestQRLoginFromTheDashboard(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, options{})
		b := h.browser(t)
		accounts := b.signIn(adminEmail)

		qr := b.form(accounts, "/accounts/qr", nil)
		wantStatus(t, qr, http.StatusOK)
		statusURL := attr(t, qr.body, "data-status-url")
		id, err := url.ParseQuery(strings.TrimPrefix(statusURL,
			"/accounts/qr/status?"))
		if err != nil || !strings.Contains(qr.body, "<svg") ||
			!strings.Contains(qr.body, `src="/static/qr.js"`) {
			t.Fatalf("QR page without code, script or status URL:\n%.600s",
				qr.body)
		}
		qrID := id.Get("qrcode_id")

		poll := func(want liveboard.QRStatus) {
			t.Helper()
			b.header.Set("Accept", "application/json")
			defer b.header.Del("Accept")
			p := b.get(statusURL)
			wantStatus(t, p, http.StatusOK)
			var got struct {
				Status  liveboard.QRStatus `json:"status"`
				Message string             `json:"message"`
			}
			if err := json.Unmarshal([]byte(p.body), &got); err != nil {
				t.Fatal(err)
			}
			if got.Status != want || got.Message == "" {
				t.Fatalf("status = %+v, want %s", got, want)
			}
		}
		poll(liveboard.QRNew)
		_ = h.sim.ScanQR(qrID)
		poll(liveboard.QRScanned)
		if _, err := h.sim.ConfirmQR(qrID, 0); err != nil {
			t.Fatal(err)
		}
		poll(liveboard.QRConfirmed)

		done := b.form(qr, "/accounts/qr/finish", url.Values{
			"qrcode_id": {qrID}})
		if done.status != http.StatusSeeOther ||
			done.location() != "/accounts?done=connected" {
			t.Fatalf("finish: %d to %q\n%.400s", done.status,
				done.location(), done.body)
		}
		sims := h.sim.Accounts()
		for _, sa := range sims {
			h.secrets = append(h.secrets, cookieValues(sa.Cookie)...)
		}
		page := b.get(done.location())
		if !strings.Contains(page.body, sims[len(sims)-1].UserName) ||
			!strings.Contains(page.body, "The account is connected.") {
			t.Errorf("the new account is not listed:\n%.600s", page.body)
		}
		wantActions(t, h, h.studio1.ID, liveboard.AuditAccountConnect,
			liveboard.AuditLogin)
	})
}

func attr(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(name + `="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in the page", name)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// TestPasteCookies connects by cookie string: it works, is never shown
// back, and a refused one says why without echoing it.
func TestPasteCookies(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	b := h.browser(t)
	p := b.signIn(operatorEmail)
	a := h.accounts[0]
	fresh := h.sim.Relogin(a.ShopeeUserID)
	h.secrets = append(h.secrets, cookieValues(fresh)...)

	done := b.form(p, "/accounts/cookies", url.Values{
		"account_id": {itoa(a.ID)}, "cookies": {fresh}})
	if done.status != http.StatusSeeOther ||
		done.location() != "/accounts?done=relogin" {
		t.Fatalf("paste: %d to %q\n%.400s", done.status, done.location(),
			done.body)
	}

	const bogus = "SPC_EC=bogus-value-that-is-long-enough"
	h.secrets = append(h.secrets, "bogus-value-that-is-long-enough")
	refused := b.form(p, "/accounts/cookies", url.Values{
		"account_id": {itoa(a.ID)}, "cookies": {bogus}})
	wantStatus(t, refused, http.StatusConflict)
	if !strings.Contains(refused.body, "log in to Shopee again") {
		t.Errorf("the refusal does not say why:\n%.600s", refused.body)
	}

	wantStatus(t, b.form(p, "/accounts/cookies", url.Values{
		"cookies": {fresh}}), http.StatusForbidden)
}
