package shopeesim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	qr "github.com/piglig/go-qr"

	"liveboard"
)

// browser plays the shopping site's login page: it keeps the cookies the
// simulator sets and sends them back.
type browser struct {
	t       testing.TB
	s       *Server
	referer string
	jar     map[string]string
}

func newBrowser(t testing.TB, s *Server, region string) *browser {
	return &browser{t: t, s: s, jar: map[string]string{},
		referer: "https://shopee." + region + "/buyer/login/qr"}
}

func (b *browser) do(method, target, body string) response {
	b.t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Referer", b.referer)
	for name, value := range b.jar {
		r.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	w := httptest.NewRecorder()
	b.s.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		b.jar[c.Name] = c.Value
	}
	out, err := io.ReadAll(w.Result().Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{status: w.Code, header: w.Header(), body: out}
}

type buyerAnswer[T any] struct {
	Error    *int   `json:"error"`
	ErrorMsg string `json:"error_msg"`
	Data     T      `json:"data"`
}

func decodeBuyer[T any](t testing.TB, res response) buyerAnswer[T] {
	t.Helper()
	var ans buyerAnswer[T]
	if err := json.Unmarshal(res.body, &ans); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	return ans
}

func (b *browser) gen() string {
	b.t.Helper()
	ans := decodeBuyer[genQRData](b.t, b.do("GET", genQRPath, ""))
	if ans.Error == nil || *ans.Error != 0 || ans.Data.ID == "" {
		b.t.Fatalf("gen_qrcode answered %+v", ans)
	}
	return ans.Data.ID
}

func (b *browser) status(id string) qrStatusData {
	b.t.Helper()
	res := b.do("GET", qrStatusPath+"?"+url.Values{"qrcode_id": {id}}.Encode(),
		"")
	ans := decodeBuyer[qrStatusData](b.t, res)
	if ans.Error != nil {
		b.t.Fatalf("qrcode_status answered error %d %s", *ans.Error,
			ans.ErrorMsg)
	}
	return ans.Data
}

// login posts the token and returns the answer and the Cookie header the
// answer's cookies make.
func (b *browser) login(token string) (response, string) {
	b.t.Helper()
	body, _ := json.Marshal(map[string]any{"qrcode_token": token,
		"device_sz_fingerprint": "", "support_ivs": true})
	res := b.do("POST", qrLoginPath, string(body))
	var pairs []string
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		pairs = append(pairs, c.Name+"="+c.Value)
	}
	return res, strings.Join(pairs, "; ")
}

func wantQR(t *testing.T, b *browser, id, want string) qrStatusData {
	t.Helper()
	got := b.status(id)
	if got.Status != want {
		t.Fatalf("status = %s, want %s", got.Status, want)
	}
	if (got.Token != "") != (want == QRConfirmed) {
		t.Errorf("status %s with token %q", got.Status, got.Token)
	}
	return got
}

func userOf(t *testing.T, s *Server, cookie string) int64 {
	t.Helper()
	ans := getSupply[userInfoData](t, s, creator+"userInfo", cookie)
	if ans.Code != 0 {
		return 0
	}
	return ans.Data.UserID
}

func TestQRLoginAsExistingAccount(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[2]
	b := newBrowser(t, s, "co.id")

	id := b.gen()
	wantQR(t, b, id, QRNew)
	if err := s.ScanQR(id); err != nil {
		t.Fatal(err)
	}
	wantQR(t, b, id, QRScanned)
	if uid, err := s.ConfirmQR(id, a.UserID); err != nil || uid != a.UserID {
		t.Fatalf("ConfirmQR = %d, %v", uid, err)
	}
	token := wantQR(t, b, id, QRConfirmed).Token

	res, cookie := b.login(token)
	if res.status != http.StatusOK {
		t.Fatalf("login: %d %s", res.status, res.body)
	}
	if got := userOf(t, s, cookie); got != a.UserID {
		t.Errorf("the login is user %d, want %d", got, a.UserID)
	}
	if got := userOf(t, s, a.Cookie); got != 0 {
		t.Error("the account's previous login still works")
	}
	if got := s.Accounts()[2].Cookie; !strings.Contains(got,
		cookieOf(cookie, "SPC_EC")) {
		t.Error("Accounts does not show the new login")
	}

	again, _ := b.login(token)
	if ans := decodeBuyer[any](t, again); ans.Error == nil ||
		*ans.Error != errQRTokenInvalid {
		t.Errorf("second login with the token answered %s", again.body)
	}
	codes := s.QRCodes()
	if len(codes) != 1 || !codes[0].LoggedIn || codes[0].UserID != a.UserID {
		t.Errorf("QRCodes = %+v", codes)
	}
}

func cookieOf(header, name string) string {
	for pair := range strings.SplitSeq(header, "; ") {
		if n, v, _ := strings.Cut(pair, "="); n == name {
			return v
		}
	}
	return ""
}

func TestQRLoginAsNewAccount(t *testing.T) {
	s, _ := newSim(t, Options{})
	before := len(s.Accounts())
	b := newBrowser(t, s, "com.my")

	id := b.gen()
	if err := s.ScanQR(id); err != nil {
		t.Fatal(err)
	}
	uid, err := s.ConfirmQR(id, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, cookie := b.login(wantQR(t, b, id, QRConfirmed).Token)

	accounts := s.Accounts()
	if len(accounts) != before+1 {
		t.Fatalf("%d accounts, want %d", len(accounts), before+1)
	}
	added := accounts[before]
	if added.UserID != uid || added.Region != liveboard.RegionMY {
		t.Errorf("new account = %+v, want user %d in MY", added, uid)
	}
	if got := userOf(t, s, cookie); got != uid {
		t.Errorf("the login is user %d, want %d", got, uid)
	}
	if len(s.Sessions(uid)) == 0 {
		t.Error("the new account has no history")
	}
}

func TestQREnds(t *testing.T) {
	tests := []struct {
		name string
		run  func(s *Server, clk *ManualClock, id string)
		want string
	}{
		{"ExpiresUnscanned", func(s *Server, clk *ManualClock, id string) {
			clk.Advance(DefaultQRLifetime)
		}, QRExpired},
		{"ExpiresScanned", func(s *Server, clk *ManualClock, id string) {
			_ = s.ScanQR(id)
			clk.Advance(DefaultQRLifetime)
		}, QRExpired},
		{"ExpiresConfirmedUnused", func(s *Server, clk *ManualClock,
			id string) {
			_ = s.ScanQR(id)
			_, _ = s.ConfirmQR(id, s.Accounts()[0].UserID)
			clk.Advance(DefaultQRLifetime)
		}, QRExpired},
		{"Canceled", func(s *Server, clk *ManualClock, id string) {
			_ = s.ScanQR(id)
			_ = s.CancelQR(id)
		}, QRCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := newSim(t, Options{})
			b := newBrowser(t, s, "co.id")
			id := b.gen()
			tt.run(s, clk, id)
			wantQR(t, b, id, tt.want)

			if err := s.ScanQR(id); !errors.Is(err, ErrQRState) {
				t.Errorf("ScanQR after the end: %v, want ErrQRState", err)
			}
			if _, err := s.ConfirmQR(id, 0); !errors.Is(err, ErrQRState) {
				t.Errorf("ConfirmQR after the end: %v", err)
			}
		})
	}
}

func TestQRAuto(t *testing.T) {
	auto := &QRAuto{ScanAfter: 3 * time.Second, ConfirmAfter: 2 * time.Second}
	s, clk := newSim(t, Options{QRAuto: auto})
	expired := s.Accounts()[1]
	s.ExpireLogin(expired.UserID)
	b := newBrowser(t, s, "co.id")

	steps := []struct {
		at   time.Duration
		want string
	}{
		{2 * time.Second, QRNew},
		{3 * time.Second, QRScanned},
		{4 * time.Second, QRScanned},
		{5 * time.Second, QRConfirmed},
	}
	first := b.gen()
	start := clk.Now()
	for _, st := range steps {
		clk.Set(start.Add(st.at))
		wantQR(t, b, first, st.want)
	}
	_, cookie := b.login(b.status(first).Token)
	if got := userOf(t, s, cookie); got != expired.UserID {
		t.Errorf("first automatic login is user %d, want the expired "+
			"account %d", got, expired.UserID)
	}

	// Every login works now, so the next code brings a new account.
	second := b.gen()
	clk.Advance(5 * time.Second)
	_, cookie = b.login(wantQR(t, b, second, QRConfirmed).Token)
	accounts := s.Accounts()
	if got, want := userOf(t, s, cookie),
		accounts[len(accounts)-1].UserID; got != want || len(accounts) != 4 {
		t.Errorf("second automatic login is user %d of %d accounts, "+
			"want the new account %d", got, len(accounts), want)
	}
}

func TestQRRefusals(t *testing.T) {
	s, _ := newSim(t, Options{})
	b := newBrowser(t, s, "co.id")
	id := b.gen()
	_ = s.ScanQR(id)
	_, _ = s.ConfirmQR(id, s.Accounts()[0].UserID)
	token := b.status(id).Token

	tests := []struct {
		name string
		run  func() response
		code int
	}{
		{"UnknownCode", func() response {
			return b.do("GET", qrStatusPath+"?qrcode_id=nope", "")
		}, errQRUnknown},
		{"UnknownToken", func() response {
			res, _ := b.login("SIMQRT-unknown")
			return res
		}, errQRTokenInvalid},
		{"OtherDevice", func() response {
			other := newBrowser(t, s, "co.id")
			res, _ := other.login(token)
			return res
		}, errQRDevice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := decodeBuyer[any](t, tt.run())
			if ans.Error == nil || *ans.Error != tt.code {
				t.Errorf("error = %v, want %d", ans.Error, tt.code)
			}
		})
	}

	if res := b.do("POST", genQRPath, ""); res.status !=
		http.StatusMethodNotAllowed {
		t.Errorf("POST gen_qrcode: %d, want 405", res.status)
	}
	if _, err := s.ConfirmQR("nope", 0); !errors.Is(err, ErrUnknownQR) {
		t.Errorf("ConfirmQR of an unknown code: %v", err)
	}
	if _, err := s.ConfirmQR(id, 42); !errors.Is(err, ErrQRState) {
		t.Errorf("ConfirmQR of a confirmed code: %v", err)
	}
}

func TestQRCodeEncodesTheLink(t *testing.T) {
	s, _ := newSim(t, Options{})
	b := newBrowser(t, s, "vn")
	ans := decodeBuyer[genQRData](t, b.do("GET", genQRPath, ""))

	raw, err := base64.StdEncoding.DecodeString(ans.Data.Base64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	text, err := qr.Decode(img)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://shopee.vn/universal-link/qrcode-login?id=" +
		url.QueryEscape(ans.Data.ID)
	if text != want {
		t.Errorf("QR code holds %q, want %q", text, want)
	}
}

// TestQRAnswersHaveFixtureShapes holds the login API to fixtures 01–03.
func TestQRAnswersHaveFixtureShapes(t *testing.T) {
	s, _ := newSim(t, Options{})
	b := newBrowser(t, s, "co.id")

	gen := b.do("GET", genQRPath, "")
	checkShape(t, gen, "01-gen_qrcode.json")
	id := decodeBuyer[genQRData](t, gen).Data.ID
	status := func() response {
		return b.do("GET", qrStatusPath+"?qrcode_id="+url.QueryEscape(id), "")
	}
	checkShape(t, status(), "02-qrcode_status.json")

	_ = s.ScanQR(id)
	_, _ = s.ConfirmQR(id, s.Accounts()[0].UserID)
	confirmed := status()
	checkShape(t, confirmed, "02-qrcode_status-confirmed.json")

	res, _ := b.login(decodeBuyer[qrStatusData](t, confirmed).Data.Token)
	var ex struct {
		Status  int `json:"status"`
		Headers struct {
			SetCookie []string `json:"set-cookie"`
		} `json:"headers"`
		Body json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(readFixture(t, "03-qrcode_login.json"),
		&ex); err != nil {
		t.Fatal(err)
	}
	if res.status != ex.Status {
		t.Errorf("login status %d, want %d", res.status, ex.Status)
	}
	got := cookieNames(res.header["Set-Cookie"])
	for _, name := range cookieNames(ex.Headers.SetCookie) {
		if !slices.Contains(got, name) {
			t.Errorf("login sets no %s cookie; it sets %v", name, got)
		}
	}
	if diffs := shapeDiff("$", decodeJSON(t, res.body),
		decodeJSON(t, ex.Body)); len(diffs) > 0 {
		t.Errorf("login body differs:\n%s", strings.Join(diffs, "\n"))
	}
}

func checkShape(t *testing.T, res response, name string) {
	t.Helper()
	want := readJSON(t, filepath.Join("testdata", name))
	if diffs := shapeDiff("$", decodeJSON(t, res.body), want); len(diffs) > 0 {
		t.Errorf("shape differs from %s:\n%s", name,
			strings.Join(diffs, "\n"))
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	v := readJSON(t, filepath.Join("testdata", name))
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func cookieNames(setCookies []string) []string {
	var names []string
	for _, c := range (&http.Response{Header: http.Header{
		"Set-Cookie": setCookies}}).Cookies() {
		names = append(names, c.Name)
	}
	return names
}
