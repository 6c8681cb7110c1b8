package shopee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

// fixtureQRID is the qrcode_id of 01-gen_qrcode.json.
const fixtureQRID = "U0lNVUxBVE9SX1FS+ZXhhbXBsZQ/MDAwMQ=="

// loginExchange is 03-qrcode_login.json: an answer with its headers.
type loginExchange struct {
	Status  int `json:"status"`
	Headers struct {
		ContentType string   `json:"content-type"`
		SetCookie   []string `json:"set-cookie"`
	} `json:"headers"`
	Body json.RawMessage `json:"body"`
}

// qrServer answers the three QR endpoints from the fixtures and records
// the requests it got.
type qrServer struct {
	t        *testing.T
	status   string // fixture answering qrcode_status
	requests []*http.Request
	bodies   []string
}

func (s *qrServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.requests = append(s.requests, r)
	s.bodies = append(s.bodies, string(body))

	switch r.URL.Path {
	case authPath + "gen_qrcode":
		http.SetCookie(w, &http.Cookie{Name: "SPC_F", Value: "device-0001",
			Path: "/"})
		_, _ = w.Write(fixture(s.t, "01-gen_qrcode.json"))
	case authPath + "qrcode_status":
		_, _ = w.Write(fixture(s.t, s.status))
	case authPath + "qrcode_login":
		var ex loginExchange
		if err := json.Unmarshal(fixture(s.t, "03-qrcode_login.json"),
			&ex); err != nil {
			s.t.Fatal(err)
		}
		for _, c := range ex.Headers.SetCookie {
			w.Header().Add("Set-Cookie", c)
		}
		w.Header().Set("Content-Type", ex.Headers.ContentType)
		w.WriteHeader(ex.Status)
		_, _ = w.Write(ex.Body)
	default:
		http.NotFound(w, r)
	}
}

func TestQRLoginFlow(t *testing.T) {
	srv := &qrServer{t: t, status: "02-qrcode_status.json"}
	c, rec := newTestClient(t, srv)
	ctx := context.Background()
	start := Auth{Region: liveboard.RegionID}

	qr, a, err := c.GenQRCode(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("code", func(t *testing.T) {
		if qr.ID != fixtureQRID {
			t.Errorf("ID = %q, want %q", qr.ID, fixtureQRID)
		}
		want := "https://shopee.co.id/universal-link/qrcode-login?id=" +
			url.QueryEscape(fixtureQRID)
		if qr.Link != want {
			t.Errorf("Link = %q, want %q", qr.Link, want)
		}
		if !bytes.HasPrefix(qr.Image, []byte("\x89PNG")) {
			t.Errorf("Image is not a PNG: %.8q", qr.Image)
		}
		if cookieValue(a.Cookies, "SPC_F") != "device-0001" ||
			len(cookieValue(a.Cookies, "csrftoken")) != 32 {
			t.Errorf("jar after gen_qrcode = %q, want SPC_F and a "+
				"32-character csrftoken", a.Cookies)
		}
	})

	st, a, err := c.QRCodeStatus(ctx, a, qr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != QRNew || st.Token != "" {
		t.Errorf("status without error field = %+v, want NEW", *st)
	}

	srv.status = "02-qrcode_status-confirmed.json"
	st, a, err = c.QRCodeStatus(ctx, a, qr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != QRConfirmed ||
		st.Token != "EXAMPLE-QRTOKEN-7f3c2a91d0b84e6b" {
		t.Errorf("confirmed status = %s with token %q", st, st.Token)
	}

	done, err := c.QRCodeLogin(ctx, a, st.Token)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("jar", func(t *testing.T) {
		want := []cookie{
			{"csrftoken", cookieValue(a.Cookies, "csrftoken")},
			{"SPC_F", "device-0001"},
			{"SPC_EC", "EXAMPLE_SPC_EC_VALUE_0001"},
			{"SPC_ST", "EXAMPLE_SPC_ST_VALUE_0001"},
			{"SPC_U", "900000123"},
		}
		if diff := cmp.Diff(want, parseCookies(done.Cookies),
			cmp.AllowUnexported(cookie{})); diff != "" {
			t.Errorf("jar after login (-want +got):\n%s", diff)
		}
		if done.Region != liveboard.RegionID {
			t.Errorf("Region = %s", done.Region)
		}
	})

	t.Run("requests", func(t *testing.T) {
		checkQRRequests(t, srv, a)
	})
	if diff := cmp.Diff([]string{"gen_qrcode ok", "qrcode_status ok",
		"qrcode_status ok", "qrcode_login ok"}, rec.outcomes()); diff != "" {
		t.Errorf("observed (-want +got):\n%s", diff)
	}
}

// checkQRRequests checks what the client sent: methods, the encoded id,
// the page's headers and the login body.
func checkQRRequests(t *testing.T, srv *qrServer, a Auth) {
	t.Helper()
	wantMethods := []string{"GET", "GET", "GET", "POST"}
	for i, r := range srv.requests {
		if r.Method != wantMethods[i] {
			t.Errorf("request %d: %s, want %s", i, r.Method, wantMethods[i])
		}
		if got := r.Header.Get("Referer"); got !=
			"https://shopee.co.id/buyer/login/qr" {
			t.Errorf("request %d: Referer = %q", i, got)
		}
		if r.Header.Get("X-Api-Source") != "pc" ||
			r.Header.Get("X-Requested-With") != "XMLHttpRequest" {
			t.Errorf("request %d lacks the page's headers: %v", i, r.Header)
		}
		csrf, err := r.Cookie("csrftoken")
		if err != nil || r.Header.Get("X-CSRFToken") != csrf.Value {
			t.Errorf("request %d: X-CSRFToken does not mirror the cookie", i)
		}
	}

	status := srv.requests[1]
	if got := status.URL.Query().Get("qrcode_id"); got != fixtureQRID {
		t.Errorf("qrcode_id sent as %q, want %q", got, fixtureQRID)
	}
	if !strings.Contains(status.URL.RawQuery, "%2B") {
		t.Errorf("query %q does not encode the +", status.URL.RawQuery)
	}

	login := srv.requests[3]
	if ct := login.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("login Content-Type = %q", ct)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(srv.bodies[3]), &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"qrcode_token":          "EXAMPLE-QRTOKEN-7f3c2a91d0b84e6b",
		"device_sz_fingerprint": "device-0001",
		"client_identifier": map[string]any{
			"security_device_fingerprint": "device-0001"},
		"support_ivs": true,
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("login body (-want +got):\n%s", diff)
	}
	if c, err := login.Cookie("SPC_F"); err != nil || c.Value != "device-0001" {
		t.Errorf("login did not send the jar: %q", a.Cookies)
	}
}

func TestQRStatusAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   string
		kind   error
	}{
		{"ErrorZero", 200, `{"error":0,"data":{"status":"SCANNED"}}`,
			QRScanned, nil},
		{"Expired", 200, `{"data":{"status":"EXPIRED"}}`, QRExpired, nil},
		{"Canceled", 200, `{"data":{"status":"CANCELED"}}`, QRCanceled, nil},
		{"ErrRejected", 200, `{"error":2,"error_msg":"invalid qrcode"}`, "",
			ErrRejected},
		{"ErrNoStatus", 200, `{"data":{"state":"NEW"}}`, "", ErrBadAnswer},
		{"ErrConfirmedWithoutToken", 200,
			`{"data":{"status":"CONFIRMED"}}`, "", ErrBadAnswer},
		{"ErrChallenge", 403, string(fixture(t, "err-90309999-antibot.json")),
			"", ErrChallenge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, answer(tt.status, tt.body))
			st, _, err := c.QRCodeStatus(context.Background(),
				Auth{Region: liveboard.RegionVN}, "id")
			if tt.kind != nil {
				assertKind(t, err, tt.kind)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.Status != tt.want {
				t.Errorf("Status = %q, want %q", st.Status, tt.want)
			}
		})
	}
}

func TestQRLoginRefusals(t *testing.T) {
	const token = "tok3n-that-must-stay-secret"
	tests := []struct {
		name string
		h    http.HandlerFunc
		kind error
	}{
		{"ErrNoCookie", answer(200, `{}`), ErrBadAnswer},
		{"ErrRejectedEchoingToken", func(w http.ResponseWriter,
			r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, `{"error":3,"error_msg":%q}`, body)
		}, ErrRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, tt.h)
			_, err := c.QRCodeLogin(context.Background(), testAuth, token)
			e := assertKind(t, err, tt.kind)
			for _, s := range []string{token, secretValue1, secretValue2} {
				if strings.Contains(e.Error(), s) {
					t.Errorf("error shows a secret: %v", e)
				}
			}
		})
	}

	c, _ := newTestClient(t, answer(200, `{}`))
	_, err := c.QRCodeLogin(context.Background(), testAuth, "")
	if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
		t.Errorf("empty token: code %q, want %q", code, liveboard.EInvalid)
	}
}

func TestQRStatusRedactsToken(t *testing.T) {
	st := QRStatus{Status: QRConfirmed, Token: "secret-token-123"}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("qr", "status", st)
	b, _ := json.Marshal(st)
	for _, out := range []string{fmt.Sprintf("%v", st),
		fmt.Sprintf("%#v", &st), buf.String(), string(b)} {
		if strings.Contains(out, "secret-token-123") {
			t.Errorf("token shown in %s", out)
		}
	}
}

func TestMergeSetCookies(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		jar       string
		setCookie []string
		want      string
	}{
		{"AddsInOrder", "a=1", []string{"b=2; Path=/", "c=3"},
			"a=1; b=2; c=3"},
		{"ReplacesInPlace", "a=1; b=2", []string{"a=9; HttpOnly"},
			"a=9; b=2"},
		{"MaxAgeRemoves", "a=1; b=2", []string{"a=x; Max-Age=0"}, "b=2"},
		{"PastExpiryRemoves", "a=1; b=2",
			[]string{"b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}, "a=1"},
		{"FutureExpiryKeeps", "", []string{
			"a=1; Expires=" + now.Add(time.Hour).Format(http.TimeFormat)},
			"a=1"},
		{"GuestDash", "", []string{"SPC_EC=-"}, "SPC_EC=-"},
		{"NothingSet", "a=1;  b=2 ;", nil, "a=1; b=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{"Set-Cookie": tt.setCookie}
			if got := mergeSetCookies(tt.jar, hdr, now); got != tt.want {
				t.Errorf("merge = %q, want %q", got, tt.want)
			}
		})
	}
}
