package shopee

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"liveboard"
)

// QR login statuses, as qrcode_status reports them.
const (
	// QRNew: the code is shown and waits for a phone.
	QRNew = "NEW"
	// QRScanned: a phone scanned it; its owner must confirm.
	QRScanned = "SCANNED"
	// QRConfirmed: the owner confirmed; the answer carries the token
	// QRCodeLogin takes.
	QRConfirmed = "CONFIRMED"
	// QRExpired and QRCanceled end the attempt: start again with a new
	// code.
	QRExpired  = "EXPIRED"
	QRCanceled = "CANCELED"
)

// authPath is where the shopping site serves its login API. Its calls
// report to the Observer as "gen_qrcode", "qrcode_status" and
// "qrcode_login".
const authPath = "/api/v2/authentication/"

// QRCode is a login QR code Shopee issued.
type QRCode struct {
	// ID is Shopee's id of the code. It holds characters such as + / =
	// and is sent URL-encoded.
	ID string
	// Link is what the code encodes, for rendering it anew: see QRLink.
	Link string
	// Image is Shopee's own picture of the code, a PNG; nil when the
	// answer had none that decodes.
	Image []byte
}

// QRLink returns what a login QR code encodes:
// https://shopee.<tld>/universal-link/qrcode-login?id=<id>. The Shopee app
// opens it when the code is scanned.
func QRLink(region liveboard.Region, qrcodeID string) string {
	return pageURL(region, ServiceAuth, "/universal-link/qrcode-login?"+
		url.Values{"id": {qrcodeID}}.Encode())
}

// QRStatus is what qrcode_status answered.
//
// Token is a secret: QRStatus prints itself with Token redacted in every
// fmt verb and in log/slog, and Token is left out of JSON.
type QRStatus struct {
	// Status is one of the QR* statuses, or another Shopee may add.
	Status string
	// Token is set once Status is QRConfirmed; QRCodeLogin takes it.
	Token string `json:"-"`
}

// String describes s with its token redacted.
func (s QRStatus) String() string {
	return fmt.Sprintf("shopee.QRStatus{Status: %s, Token: %s}", s.Status,
		redactedCookies(s.Token))
}

// Format writes String for every verb.
func (s QRStatus) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, s.String())
}

// LogValue logs s with its token redacted.
func (s QRStatus) LogValue() slog.Value {
	return slog.GroupValue(slog.String("status", s.Status),
		slog.String("token", redactedCookies(s.Token)))
}

type wireQRCode struct {
	ID     string `json:"qrcode_id"`
	Base64 string `json:"qrcode_base64"`
}

func (w *wireQRCode) validate() error {
	if w.ID == "" {
		return errors.New("no qrcode_id")
	}
	return nil
}

type wireQRStatus struct {
	Status string `json:"status"`
	Token  string `json:"qrcode_token"`
}

func (w *wireQRStatus) validate() error {
	switch {
	case w.Status == "":
		return errors.New("no status")
	case w.Status == QRConfirmed && w.Token == "":
		return errors.New("CONFIRMED without a qrcode_token")
	}
	return nil
}

// GenQRCode asks Shopee for a login QR code. a gives the region and the
// browser's cookie jar so far ("" to start). The Auth returned holds that
// jar with what Shopee set, and a csrftoken cookie of the client's own
// when it had none; pass it to the next steps, as a browser would.
func (c *Client) GenQRCode(ctx context.Context, a Auth) (*QRCode, Auth, error) {
	a.Cookies = withCSRFToken(a.Cookies)
	var w wireQRCode
	hdr, err := c.authCall(ctx, a, authRequest{endpoint: "gen_qrcode",
		method: http.MethodGet, path: authPath + "gen_qrcode"}, &w)
	if err != nil {
		return nil, a, err
	}

	a.Cookies = mergeSetCookies(a.Cookies, hdr, time.Now())
	qr := &QRCode{ID: w.ID, Link: QRLink(a.Region, w.ID)}
	if img, err := base64.StdEncoding.DecodeString(w.Base64); err == nil &&
		len(img) > 0 {
		qr.Image = img
	}
	return qr, a, nil
}

// QRCodeStatus asks where the QR code is: see the QR* statuses. a holds
// the jar GenQRCode returned; the Auth returned holds it with what
// Shopee set meanwhile.
func (c *Client) QRCodeStatus(ctx context.Context, a Auth,
	qrcodeID string) (*QRStatus, Auth, error) {
	if qrcodeID == "" {
		return nil, a, liveboard.Errorf(liveboard.EInvalid,
			"shopee qrcode_status: the QR code id is empty")
	}

	var w wireQRStatus
	hdr, err := c.authCall(ctx, a, authRequest{endpoint: "qrcode_status",
		method: http.MethodGet, path: authPath + "qrcode_status",
		query: url.Values{"qrcode_id": {qrcodeID}}}, &w)
	if err != nil {
		return nil, a, err
	}
	a.Cookies = mergeSetCookies(a.Cookies, hdr, time.Now())
	return &QRStatus{Status: w.Status, Token: w.Token}, a, nil
}

// qrLoginBody is what qrcode_login takes: the token, and the device
// fingerprints the shopping site's own page sends, which Shopee does not
// seem to check.
type qrLoginBody struct {
	Token             string           `json:"qrcode_token"`
	DeviceFingerprint string           `json:"device_sz_fingerprint"`
	ClientIdentifier  clientIdentifier `json:"client_identifier"`
	SupportIVS        bool             `json:"support_ivs"`
}

type clientIdentifier struct {
	SecurityDeviceFingerprint string `json:"security_device_fingerprint"`
}

// QRCodeLogin finishes a confirmed QR login with its one-time token.
// Shopee answers with the login as Set-Cookie headers; the Auth returned
// holds the whole jar: a's cookies with those set over them. An answer
// that sets no cookie is ErrBadAnswer.
func (c *Client) QRCodeLogin(ctx context.Context, a Auth,
	token string) (Auth, error) {
	if token == "" {
		return a, liveboard.Errorf(liveboard.EInvalid,
			"shopee qrcode_login: the login token is empty")
	}

	device := cookieValue(a.Cookies, "SPC_F")
	body := qrLoginBody{Token: token, DeviceFingerprint: device,
		ClientIdentifier: clientIdentifier{device}, SupportIVS: true}
	hdr, err := c.authCall(ctx, a, authRequest{endpoint: "qrcode_login",
		method: http.MethodPost, path: authPath + "qrcode_login",
		body: body, secret: token}, nil)
	if err != nil {
		return a, err
	}

	if len(hdr.Values("Set-Cookie")) == 0 {
		return a, &Error{Endpoint: "qrcode_login", Kind: ErrBadAnswer,
			HTTPStatus: http.StatusOK,
			Message:    "the answer set no login cookie"}
	}
	a.Cookies = mergeSetCookies(a.Cookies, hdr, time.Now())
	return a, nil
}

// authRequest describes a call to the shopping site's login API.
type authRequest struct {
	endpoint string
	method   string
	path     string
	query    url.Values
	// body is sent as JSON when not nil.
	body any
	// secret is kept out of error messages, like the cookies.
	secret string
}

// authCall sends r on behalf of a, decodes the answer's data into out
// (nil to ignore it) and returns the answer's headers.
func (c *Client) authCall(ctx context.Context, a Auth, r authRequest,
	out any) (http.Header, error) {
	if err := a.check(r.endpoint); err != nil {
		return nil, err
	}

	req, err := c.newAuthRequest(ctx, a, r)
	if err != nil {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: cannot build the request", r.endpoint)
	}

	start := time.Now()
	hdr, err := c.authExchange(req, a, r, out)
	if c.observer != nil {
		c.observer.ObserveCall(r.endpoint, outcome(err), time.Since(start))
	}
	return hdr, err
}

func (c *Client) authExchange(req *http.Request, a Auth, r authRequest,
	out any) (http.Header, error) {
	f := failer{endpoint: r.endpoint,
		cookies: a.Cookies + "; secret=" + r.secret}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, f.transport(req.Context(), err)
	}
	defer resp.Body.Close()

	body, err := readBody(resp.Body)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, f.fail(ErrBadAnswer, resp.StatusCode, 0, err.Error())
	case err != nil:
		return nil, f.transport(req.Context(), err)
	}
	if err := checkStatus(f, resp, body); err != nil {
		return nil, err
	}

	if out == nil {
		out = &json.RawMessage{}
	}
	cl := call{endpoint: r.endpoint, family: buyerFamily}
	data, err := decodeAnswer(f, cl, resp.StatusCode, body, freshLike(out))
	if err != nil {
		return nil, err
	}
	if !emptyJSON(data) {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, f.fail(ErrBadAnswer, resp.StatusCode, 0,
				"data: "+err.Error())
		}
	}
	return resp.Header, nil
}

func (c *Client) newAuthRequest(ctx context.Context, a Auth,
	r authRequest) (*http.Request, error) {
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}

	u := c.url(a.Region, ServiceAuth, r.path, r.query)
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, err
	}

	h := req.Header
	h.Set("User-Agent", c.userAgent)
	h.Set("Accept", "application/json")
	if r.body != nil {
		h.Set("Content-Type", "application/json")
	}
	h.Set("X-Api-Source", "pc")
	h.Set("X-Shopee-Language", languages[a.Region])
	h.Set("X-Requested-With", "XMLHttpRequest")
	h.Set("Referer", pageURL(a.Region, ServiceAuth, "/buyer/login/qr"))
	if a.Cookies != "" {
		h.Set("Cookie", a.Cookies)
	}
	if token := cookieValue(a.Cookies, "csrftoken"); token != "" {
		h.Set("X-CSRFToken", token)
	}
	return req, nil
}

// languages holds the language the shopping site's page asks for in each
// region.
var languages = map[liveboard.Region]string{
	liveboard.RegionID: "id",
	liveboard.RegionMY: "en",
	liveboard.RegionTH: "th",
	liveboard.RegionVN: "vi",
	liveboard.RegionPH: "en",
	liveboard.RegionSG: "en",
	liveboard.RegionTW: "zh-Hant",
	liveboard.RegionBR: "pt-BR",
}

// withCSRFToken returns the jar with a random 32-character csrftoken
// cookie added when it has none, as the shopping site's page sets one
// before it calls the login API.
func withCSRFToken(jar string) string {
	if cookieValue(jar, "csrftoken") != "" {
		return jar
	}
	token := strings.ReplaceAll(rand.Text()+rand.Text(), "=", "")[:32]
	return joinCookies(parseCookies(jar), cookie{"csrftoken", token})
}

// cookie is one name and value of a Cookie header.
type cookie struct{ name, value string }

// parseCookies splits a Cookie header into its cookies, in order. Pieces
// without a name are dropped.
func parseCookies(header string) []cookie {
	var out []cookie
	for piece := range strings.SplitSeq(header, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(piece), "=")
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, cookie{name, strings.TrimSpace(value)})
		}
	}
	return out
}

func joinCookies(cookies []cookie, extra ...cookie) string {
	parts := make([]string, 0, len(cookies)+len(extra))
	for _, c := range append(cookies, extra...) {
		parts = append(parts, c.name+"="+c.value)
	}
	return strings.Join(parts, "; ")
}

// mergeSetCookies returns the jar with the answer's Set-Cookie headers
// applied at now: a new value replaces the old one in place, a cookie
// that expires is removed, a new one is added at the end. Domain and path
// are not kept: every cookie of the jar goes to every Shopee host, as the
// login cookies are set for the parent domain.
func mergeSetCookies(jar string, hdr http.Header, now time.Time) string {
	cookies := parseCookies(jar)
	for _, sc := range (&http.Response{Header: hdr}).Cookies() {
		i := indexCookie(cookies, sc.Name)
		gone := sc.MaxAge < 0 ||
			!sc.Expires.IsZero() && !sc.Expires.After(now)
		switch {
		case gone && i >= 0:
			cookies = append(cookies[:i], cookies[i+1:]...)
		case gone:
		case i >= 0:
			cookies[i].value = sc.Value
		default:
			cookies = append(cookies, cookie{sc.Name, sc.Value})
		}
	}
	return joinCookies(cookies)
}

func indexCookie(cookies []cookie, name string) int {
	for i, c := range cookies {
		if c.name == name {
			return i
		}
	}
	return -1
}
