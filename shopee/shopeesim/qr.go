package shopeesim

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	qr "github.com/piglig/go-qr"

	"liveboard"
)

// Endpoint names of the QR login, as Calls counts them and SetFaults
// takes them.
const (
	EndpointGenQRCode    = "gen_qrcode"
	EndpointQRCodeStatus = "qrcode_status"
	EndpointQRCodeLogin  = "qrcode_login"
)

// QR code statuses, as qrcode_status reports them.
const (
	QRNew       = "NEW"
	QRScanned   = "SCANNED"
	QRConfirmed = "CONFIRMED"
	QRExpired   = "EXPIRED"
	QRCanceled  = "CANCELED"
)

// DefaultQRLifetime is how long a QR code lives unless Options says
// otherwise. Shopee's own lifetime is not publicly known; clients give up
// after one to three minutes.
const DefaultQRLifetime = 3 * time.Minute

// QRAuto makes QR codes move on by themselves, for demos and browser
// tests: each code is scanned ScanAfter after it was issued and confirmed
// ConfirmAfter later. It is confirmed as the first account whose login
// has expired or is refused (so that logging in again works), else as a
// new account in the code's region.
type QRAuto struct {
	ScanAfter    time.Duration
	ConfirmAfter time.Duration
}

// QRCode is a login QR code the simulator issued, as tests see it.
type QRCode struct {
	ID     string           `json:"qrcode_id"`
	Region liveboard.Region `json:"region"`
	Status string           `json:"status"`
	// UserID is the account that confirmed it; 0 before.
	UserID int64 `json:"user_id"`
	// LoggedIn reports whether qrcode_login used its token.
	LoggedIn bool `json:"logged_in"`
}

// Errors of the QR lifecycle methods.
var (
	ErrUnknownQR = errors.New("shopeesim: no such QR code")
	ErrQRState   = errors.New("shopeesim: the QR code is not in a state " +
		"that allows this")
)

// Paths of the shopping site's login API.
const (
	qrPrefix      = "/api/v2/authentication/"
	genQRPath     = qrPrefix + "gen_qrcode"
	qrStatusPath  = qrPrefix + "qrcode_status"
	qrLoginPath   = qrPrefix + "qrcode_login"
	simQRCodePath = "/_sim/qrcodes"
)

// Error codes of the login API. Shopee's values are not publicly known;
// these are the simulator's.
const (
	errQRUnknown      = 10001
	errQRTokenInvalid = 10002
	errQRDevice       = 10003
)

// qrCode is one issued code and where it is.
type qrCode struct {
	id     string
	region liveboard.Region
	// device is the SPC_F cookie set with the code; qrcode_login must
	// come from the same browser.
	device string
	issued time.Time
	status string
	// scanned and confirmed are when those steps happened.
	scanned, confirmed time.Time
	userID             int64
	token              string
	used               bool
}

// qrBook holds every code. The Server's mu guards it.
type qrBook struct {
	codes    map[string]*qrCode
	order    []*qrCode
	byToken  map[string]*qrCode
	rng      *rand.Rand
	auto     *QRAuto
	lifetime time.Duration
	history  int
}

func newQRBook(o Options) *qrBook {
	b := &qrBook{
		codes:    map[string]*qrCode{},
		byToken:  map[string]*qrCode{},
		rng:      rand.New(rand.NewPCG(uint64(o.Seed), 0x9c0de)),
		lifetime: o.QRLifetime,
		history:  o.HistoryDays,
	}
	if o.QRAuto != nil {
		auto := *o.QRAuto
		b.auto = &auto
	}
	if b.lifetime <= 0 {
		b.lifetime = DefaultQRLifetime
	}
	return b
}

// serveQR answers the login API and the QR view; it reports false for
// any other path.
func (s *Server) serveQR(w http.ResponseWriter, r *http.Request) bool {
	var endpoint, method string
	var answer func(*http.Request, time.Time) reply
	switch r.URL.Path {
	case genQRPath:
		endpoint, method, answer = EndpointGenQRCode, http.MethodGet, s.genQR
	case qrStatusPath:
		endpoint, method, answer = EndpointQRCodeStatus, http.MethodGet,
			s.qrStatus
	case qrLoginPath:
		endpoint, method, answer = EndpointQRCodeLogin, http.MethodPost,
			s.qrLogin
	case simQRCodePath:
		jsonReply(http.StatusOK, s.QRCodes()).write(w)
		return true
	default:
		return false
	}

	if r.Method != method {
		w.Header().Set("Allow", method)
		writeJSON(w, http.StatusMethodNotAllowed,
			plainError{Error: "method not allowed"})
		return true
	}
	s.serveLoginAPI(w, r, endpoint, answer)
	return true
}

// serveLoginAPI runs a login API endpoint: count, delay, faults, answer.
func (s *Server) serveLoginAPI(w http.ResponseWriter, r *http.Request,
	endpoint string, answer func(*http.Request, time.Time) reply) {
	s.count(endpoint)
	draw := s.drawFault(endpoint)
	if draw.delay > 0 {
		if res := s.wait(r, draw.delay); res != waited {
			res.write(w)
			return
		}
	}

	switch {
	case draw.kind == Timeout:
		s.hold(w, r, draw.hold)
	case draw.kind != 0 && !draw.kind.keepsAnswer():
		// The shopping site shows the same login wall as the live room
		// API to a caller it does not accept.
		faultReply(route{endpoint: endpoint, family: familyLive},
			draw.kind).write(w)
	case draw.kind != 0:
		reshape(answer(r, s.clock.Now()), draw.kind).write(w)
	default:
		answer(r, s.clock.Now()).write(w)
	}
}

// buyerEnvelope wraps the shopping site's answers. Its error field is
// left out where Shopee leaves it out.
type buyerEnvelope struct {
	Error    *int   `json:"error,omitempty"`
	ErrorMsg string `json:"error_msg,omitempty"`
	Data     any    `json:"data,omitempty"`
}

func buyerError(code int, msg string) reply {
	return jsonReply(http.StatusOK, buyerEnvelope{Error: &code,
		ErrorMsg: msg})
}

type genQRData struct {
	ID     string `json:"qrcode_id"`
	Base64 string `json:"qrcode_base64"`
}

type qrStatusData struct {
	Status string `json:"status"`
	Token  string `json:"qrcode_token,omitempty"`
}

// genQR issues a code for the region the request's page belongs to, with
// a device cookie, and answers its id and picture.
func (s *Server) genQR(r *http.Request, now time.Time) reply {
	region := refererRegion(r)

	s.mu.Lock()
	b := s.qr
	c := &qrCode{
		id:     base64.StdEncoding.EncodeToString(randomBytes(b.rng, 16)),
		region: region,
		device: randomAlnum(b.rng, 32),
		issued: now,
		status: QRNew,
	}
	b.codes[c.id] = c
	b.order = append(b.order, c)
	s.mu.Unlock()

	png, err := qrPNG(qrLink(region, c.id))
	if err != nil {
		return simError(http.StatusInternalServerError, err.Error())
	}
	rep := jsonReply(http.StatusOK, buyerEnvelope{Error: new(0),
		Data: genQRData{ID: c.id, Base64: png}})
	rep.header = http.Header{"Set-Cookie": {(&http.Cookie{Name: "SPC_F",
		Value: c.device, Domain: ".shopee." + tldOf[region], Path: "/",
		Secure: true}).String()}}
	return rep
}

// qrStatus answers where a code is.
func (s *Server) qrStatus(r *http.Request, now time.Time) reply {
	id := r.URL.Query().Get("qrcode_id")

	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.qr.codes[id]
	if !ok {
		return buyerError(errQRUnknown, "invalid qrcode_id")
	}
	s.advanceQR(c, now)

	data := qrStatusData{Status: c.status}
	if c.status == QRConfirmed {
		data.Token = c.token
	}
	return jsonReply(http.StatusOK, buyerEnvelope{Data: data})
}

type qrLoginRequest struct {
	Token string `json:"qrcode_token"`
}

// qrLogin trades a confirmed code's token for a new login of its
// account, sent as Set-Cookie headers. The login replaces the account's
// previous one, as Relogin does.
func (s *Server) qrLogin(r *http.Request, now time.Time) reply {
	var req qrLoginRequest
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req)
	if err != nil || req.Token == "" {
		return buyerError(errQRTokenInvalid, "qrcode_token is required")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.qr.byToken[req.Token]
	if ok {
		s.advanceQR(c, now)
	}
	switch {
	case !ok || c.used || c.status != QRConfirmed:
		return buyerError(errQRTokenInvalid, "invalid qrcode_token")
	case !sameDevice(r, c.device):
		return buyerError(errQRDevice, "device mismatch")
	}

	a := s.world.byUser[c.userID]
	a.fault = 0
	s.world.login(a)
	c.used = true
	return loginReply(a, c.region)
}

// loginReply sets the account's login cookies, as fixture 03 shows them.
func loginReply(a *account, region liveboard.Region) reply {
	domain := ".shopee." + tldOf[region]
	cookies := []http.Cookie{
		{Name: "SPC_EC", Value: a.jar.ec, HttpOnly: true},
		{Name: "SPC_ST", Value: a.jar.st, HttpOnly: true},
		{Name: "SPC_U", Value: fmt.Sprint(a.UserID)},
		{Name: "SPC_CDS", Value: a.jar.cds},
	}
	h := http.Header{}
	for _, c := range cookies {
		c.Domain, c.Path, c.Secure = domain, "/", true
		h.Add("Set-Cookie", c.String())
	}
	return reply{status: http.StatusOK, header: h, body: struct{}{}}
}

func sameDevice(r *http.Request, device string) bool {
	c, err := r.Cookie("SPC_F")
	return err == nil && c.Value == device
}

// advanceQR brings c up to now: the automatic scan and confirmation,
// when on, then expiry, in the order they fall due. The caller holds
// s.mu.
func (s *Server) advanceQR(c *qrCode, now time.Time) {
	b := s.qr
	if b.auto != nil && c.status == QRNew {
		if at := c.issued.Add(b.auto.ScanAfter); !at.After(now) &&
			at.Before(c.issued.Add(b.lifetime)) {
			c.status, c.scanned = QRScanned, at
		}
	}
	if b.auto != nil && c.status == QRScanned {
		if at := c.scanned.Add(b.auto.ConfirmAfter); !at.After(now) &&
			at.Before(c.issued.Add(b.lifetime)) {
			s.confirmQR(c, s.autoAccount(c.region), at)
		}
	}
	s.expireQR(c, now)
}

// expireQR ends a code whose time is up: unconfirmed codes live
// b.lifetime from issue, confirmed ones as long again from confirmation,
// until their token is used.
func (s *Server) expireQR(c *qrCode, now time.Time) {
	lifetime := s.qr.lifetime
	switch {
	case (c.status == QRNew || c.status == QRScanned) &&
		!now.Before(c.issued.Add(lifetime)):
		c.status = QRExpired
	case c.status == QRConfirmed && !c.used &&
		!now.Before(c.confirmed.Add(lifetime)):
		c.status = QRExpired
	}
}

// confirmQR confirms c as account a at t and gives it a token.
func (s *Server) confirmQR(c *qrCode, a *account, t time.Time) {
	c.status, c.confirmed, c.userID = QRConfirmed, t, a.UserID
	c.token = "SIMQRT-" + hex.EncodeToString(randomBytes(s.qr.rng, 16))
	s.qr.byToken[c.token] = c
}

// autoAccount returns the account an automatic confirmation logs in: the
// first whose login expired or is refused, else a new one.
func (s *Server) autoAccount(region liveboard.Region) *account {
	for _, a := range s.world.accounts {
		if !a.loggedIn || a.fault != 0 {
			return a
		}
	}
	return s.world.addAccount(region, s.clock.Now(), s.qr.history)
}

// addAccount creates the next account in region, with the history and
// schedule a generated one would have as of now.
func (w *world) addAccount(region liveboard.Region, now time.Time,
	historyDays int) *account {
	i := len(w.accounts)
	rng := rand.New(rand.NewPCG(uint64(w.seed), uint64(1000+i)))
	used := map[int64]bool{}
	for id := range w.byUser {
		used[id] = true
	}
	a := w.newAccount(rng, i, region, used)

	specs := a.schedule(rng, now, historyDays, false)
	slices.SortStableFunc(specs, func(x, y SessionSpec) int {
		return x.Start.Compare(y.Start)
	})
	for _, spec := range specs {
		w.lastID += 1 + w.ids.Int64N(3000)
		w.add(a, w.lastID, spec)
	}
	return a
}

// QRCodes returns every code issued so far, oldest first, as it stands
// at the clock's time.
func (s *Server) QRCodes() []QRCode {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()

	out := []QRCode{}
	for _, c := range s.qr.order {
		s.advanceQR(c, now)
		out = append(out, QRCode{ID: c.id, Region: c.region,
			Status: c.status, UserID: c.userID, LoggedIn: c.used})
	}
	return out
}

// ScanQR plays a phone scanning the code. It fails with ErrUnknownQR or,
// unless the code is NEW, ErrQRState.
func (s *Server) ScanQR(id string) error {
	return s.stepQR(id, QRNew, func(c *qrCode, now time.Time) error {
		c.status, c.scanned = QRScanned, now
		return nil
	})
}

// ConfirmQR plays the phone's owner confirming a scanned code as the
// account with userID, or as a new account in the code's region when
// userID is 0, and returns the account's user id. It fails with
// ErrUnknownQR for an unknown code or account, and with ErrQRState
// unless the code is SCANNED.
func (s *Server) ConfirmQR(id string, userID int64) (int64, error) {
	var confirmed int64
	err := s.stepQR(id, QRScanned, func(c *qrCode, now time.Time) error {
		a, ok := s.world.byUser[userID]
		switch {
		case userID == 0:
			a = s.world.addAccount(c.region, now, s.qr.history)
		case !ok:
			return fmt.Errorf("%w: no account %d", ErrUnknownQR, userID)
		}
		s.confirmQR(c, a, now)
		confirmed = a.UserID
		return nil
	})
	return confirmed, err
}

// CancelQR plays the phone's owner refusing the login. It fails with
// ErrUnknownQR, or with ErrQRState once the code is confirmed or over.
func (s *Server) CancelQR(id string) error {
	return s.stepQR(id, "", func(c *qrCode, _ time.Time) error {
		c.status = QRCanceled
		return nil
	})
}

// stepQR runs step on the code when, brought up to the clock's time, it
// is in status from; from "" accepts NEW and SCANNED.
func (s *Server) stepQR(id, from string,
	step func(*qrCode, time.Time) error) error {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()

	c, ok := s.qr.codes[id]
	if !ok {
		return ErrUnknownQR
	}
	s.advanceQR(c, now)
	allowed := c.status == from ||
		from == "" && (c.status == QRNew || c.status == QRScanned)
	if !allowed {
		return fmt.Errorf("%w: it is %s", ErrQRState, c.status)
	}
	return step(c, now)
}

// tldOf holds each region's Shopee domain suffix.
var tldOf = map[liveboard.Region]string{
	liveboard.RegionID: "co.id",
	liveboard.RegionMY: "com.my",
	liveboard.RegionTH: "co.th",
	liveboard.RegionVN: "vn",
	liveboard.RegionPH: "ph",
	liveboard.RegionSG: "sg",
	liveboard.RegionTW: "tw",
	liveboard.RegionBR: "com.br",
}

// refererRegion returns the region whose shopping site the request's
// Referer names (https://shopee.co.id/... is Indonesia), as the
// simulator serves every region on one host; Indonesia when it names
// none.
func refererRegion(r *http.Request) liveboard.Region {
	u, err := url.Parse(r.Referer())
	if err == nil {
		tld := strings.TrimPrefix(u.Hostname(), "shopee.")
		for region, t := range tldOf {
			if t == tld {
				return region
			}
		}
	}
	return liveboard.RegionID
}

// qrLink is what a login QR code encodes.
func qrLink(region liveboard.Region, id string) string {
	return "https://shopee." + tldOf[region] +
		"/universal-link/qrcode-login?" + url.Values{"id": {id}}.Encode()
}

// qrPNG renders text as a QR code PNG, base64-encoded.
func qrPNG(text string) (string, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("encode QR code: %w", err)
	}
	png, err := code.ToPNGBytes(qr.NewQrCodeImgConfig(6, 4))
	if err != nil {
		return "", fmt.Errorf("render QR code: %w", err)
	}
	return base64.StdEncoding.EncodeToString(png), nil
}
