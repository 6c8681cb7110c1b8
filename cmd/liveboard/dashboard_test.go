package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoDashboard signs in to the demo's dashboard as the printed demo
// user, then connects an account by QR through the API, which the
// simulator's automatic mode scans and confirms, and finds it on the
// accounts page.
func TestDemoDashboard(t *testing.T) {
	d := startDemo(t)
	m := waitFor(t, d.stdout, regexp.MustCompile(
		`Dashboard:\s+(\S+)\n\s+Sign in as:\s+(\S+)\n\s+Password:\s+(\S+)`),
		5*time.Second)
	dashboard, email, pw := m[1], m[2], m[3]

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The demo serves plain HTTP on loopback, which Go's jar, like
	// browsers, trusts with Secure cookies.
	browser := &http.Client{Jar: jar}
	form := fetch(t, browser, "GET", dashboard+"signin", nil)
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).
		FindStringSubmatch(form)
	if token == nil {
		t.Fatalf("no sign-in form:\n%.400s", form)
	}
	wall := fetch(t, browser, "POST", dashboard+"signin", url.Values{
		"csrf_token": {token[1]}, "email": {email}, "password": {pw}})
	if !strings.Contains(wall, "Live now at Demo Studio") {
		t.Fatalf("signing in did not lead to the live wall:\n%.600s",
			wall)
	}

	name := connectByQR(t, d)
	page := fetch(t, browser, "GET", dashboard+"accounts", nil)
	if !strings.Contains(page, name) {
		t.Errorf("the accounts page does not list %s", name)
	}
}

// fetch sends a request with the browser and returns the page.
func fetch(t *testing.T, c *http.Client, method, target string,
	form url.Values) string {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s\n%.400s", method, target, res.Status, b)
	}
	return string(b)
}

// connectByQR starts a QR login through the API, waits for the
// simulator to confirm it by itself, finishes it and returns the new
// account's name.
func connectByQR(t *testing.T, d *demo) string {
	t.Helper()
	var started struct {
		Data struct {
			QRCodeID string `json:"qrcode_id"`
		} `json:"data"`
	}
	apiCall(t, d, "POST", "/auth/qrcode", `{"studio_id":1}`, &started)
	id := started.Data.QRCodeID

	deadline := time.Now().Add(20 * time.Second)
	for {
		var st struct {
			Data struct {
				Status string `json:"status"`
			} `json:"data"`
		}
		apiCall(t, d, "GET", "/auth/qrcode/status?"+url.Values{
			"qrcode_id": {id}}.Encode(), "", &st)
		if st.Data.Status == "CONFIRMED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("QR login still %s after 20 s", st.Data.Status)
		}
		time.Sleep(500 * time.Millisecond)
	}

	var account struct {
		Data struct {
			UserName string `json:"user_name"`
		} `json:"data"`
	}
	body, _ := json.Marshal(map[string]any{"qrcode_id": id, "studio_id": 1})
	apiCall(t, d, "POST", "/auth/qrcode/login", string(body), &account)
	return account.Data.UserName
}

func apiCall(t *testing.T, d *demo, method, path, body string, v any) {
	t.Helper()
	req, err := http.NewRequest(method, d.api+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+d.key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %s: %s", method, path, res.Status, b)
	}
	decodeExact(t, b, v)
}
