package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"liveboard"
	"liveboard/qrsvg"
	"liveboard/workflow"
)

// actor is who makes the request, for the account manager.
func (s *Server) actor(r *http.Request) workflow.Actor {
	return workflow.Actor{Principal: principalFrom(r.Context()),
		IP: s.cfg.ClientIP(r)}
}

// accounts returns the account manager, or an error saying this server
// cannot manage accounts.
func (s *Server) accounts() (*workflow.Accounts, error) {
	if s.cfg.Accounts == nil {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"this server cannot connect Shopee accounts")
	}
	return s.cfg.Accounts, nil
}

// pathID reads the positive id in the path's {id}.
func pathID(r *http.Request, what string) (int64, error) {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s id must be a positive number, got %q", what, text)
	}
	return id, nil
}

// parseOptionalRegion reads a region that may be left out.
func parseOptionalRegion(text string) (liveboard.Region, error) {
	if text == "" {
		return "", nil
	}
	return liveboard.ParseRegion(text)
}

// getAccount answers GET /accounts/{id}: one account and its health.
func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) error {
	m, err := s.accounts()
	if err != nil {
		return err
	}
	id, err := pathID(r, "account")
	if err != nil {
		return err
	}
	a, err := m.Account(r.Context(), s.actor(r), id, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newAccountJSON(*a))
	return nil
}

// removeAccount answers DELETE /accounts/{id}: the account's login is
// forgotten and it is no longer synced; its sessions stay.
func (s *Server) removeAccount(w http.ResponseWriter, r *http.Request) error {
	m, err := s.accounts()
	if err != nil {
		return err
	}
	id, err := pathID(r, "account")
	if err != nil {
		return err
	}
	if err := m.Remove(r.Context(), s.actor(r), id); err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, map[string]any{"id": id, "removed": true})
	return nil
}

type connectRequest struct {
	StudioID  int64  `json:"studio_id"`
	Region    string `json:"region"`
	AccountID int64  `json:"account_id"`
	Cookies   string `json:"cookies"`
	// AccessToken is the name other routes give a cookie string.
	AccessToken string `json:"access_token"`
}

// connectAccount answers POST /accounts: connect an account to a studio
// with a cookie string pasted from a logged-in browser, or give one a new
// login with account_id. 201 for a new account, 200 otherwise.
func (s *Server) connectAccount(w http.ResponseWriter, r *http.Request) error {
	m, err := s.accounts()
	if err != nil {
		return err
	}
	var req connectRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	region, err := parseOptionalRegion(req.Region)
	if err != nil {
		return err
	}
	cookies := req.Cookies
	if strings.TrimSpace(cookies) == "" {
		cookies = req.AccessToken
	}

	a, created, err := m.ConnectCookies(r.Context(), s.actor(r),
		workflow.CookieLogin{StudioID: req.StudioID, Region: region,
			AccountID: req.AccountID, Cookies: cookies})
	if err != nil {
		return err
	}
	s.writeAccount(w, a, created)
	return nil
}

func (s *Server) writeAccount(w http.ResponseWriter, a *liveboard.Account,
	created bool) {
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	s.writeData(w, status, newAccountJSON(*a))
}

type qrStartRequest struct {
	StudioID  int64  `json:"studio_id"`
	Region    string `json:"region"`
	AccountID int64  `json:"account_id"`
}

// qrPollInterval is how often clients should poll a QR login's status.
const qrPollInterval = 1500 * time.Millisecond

type qrStartJSON struct {
	QRCodeID     string           `json:"qrcode_id"`
	StudioID     int64            `json:"studio_id"`
	AccountID    *int64           `json:"account_id"`
	Region       liveboard.Region `json:"region"`
	Status       string           `json:"status"`
	Link         string           `json:"link"`
	SVG          string           `json:"svg"`
	ExpiresAt    string           `json:"expires_at"`
	PollInterval float64          `json:"poll_interval_seconds"`
}

// startQR answers POST /auth/qrcode: a Shopee login QR code, drawn as
// SVG, to connect an account to studio_id or to log account_id in again.
func (s *Server) startQR(w http.ResponseWriter, r *http.Request) error {
	m, err := s.accounts()
	if err != nil {
		return err
	}
	var req qrStartRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	region, err := parseOptionalRegion(req.Region)
	if err != nil {
		return err
	}

	started, err := m.StartQR(r.Context(), s.actor(r), workflow.QRStart{
		StudioID: req.StudioID, Region: region, AccountID: req.AccountID})
	if err != nil {
		return err
	}
	svg, err := qrsvg.Render(started.Link)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusCreated, qrStartJSON{
		QRCodeID: started.QRCodeID, StudioID: started.StudioID,
		AccountID: optionalID(started.AccountID), Region: started.Region,
		Status: string(liveboard.QRNew), Link: started.Link, SVG: svg,
		ExpiresAt:    regionTime(started.ExpiresAt, started.Region),
		PollInterval: qrPollInterval.Seconds(),
	})
	return nil
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

type qrStateJSON struct {
	QRCodeID  string           `json:"qrcode_id"`
	StudioID  int64            `json:"studio_id"`
	AccountID *int64           `json:"account_id"`
	Region    liveboard.Region `json:"region"`
	Status    string           `json:"status"`
}

// qrStatus answers GET /auth/qrcode/status: where the caller's QR login
// stands, as Shopee says now.
func (s *Server) qrStatus(w http.ResponseWriter, r *http.Request) error {
	m, err := s.accounts()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	id := q.Get("qrcode_id")
	if id == "" {
		return liveboard.Errorf(liveboard.EInvalid, "qrcode_id is required")
	}
	region, err := parseOptionalRegion(q.Get("region"))
	if err != nil {
		return err
	}

	st, err := m.QRStatus(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	if region != "" && region != st.Region {
		return liveboard.Errorf(liveboard.EInvalid,
			"this QR login is for region %s, not %s", st.Region, region)
	}
	s.writeData(w, http.StatusOK, qrStateJSON{QRCodeID: st.QRCodeID,
		StudioID: st.StudioID, AccountID: optionalID(st.AccountID),
		Region: st.Region, Status: string(st.Status)})
	return nil
}

type qrFinishRequest struct {
	QRCodeID  string `json:"qrcode_id"`
	StudioID  int64  `json:"studio_id"`
	AccountID int64  `json:"account_id"`
}

// finishQR answers POST /auth/qrcode/login: finish a confirmed QR login
// and store the account with its identity (201), or the account's new
// login (200).
func (s *Server) finishQR(w http.ResponseWriter, r *http.Request) error {
	m, err := s.accounts()
	if err != nil {
		return err
	}
	var req qrFinishRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.QRCodeID == "" {
		return liveboard.Errorf(liveboard.EInvalid, "qrcode_id is required")
	}

	a, created, err := m.FinishQR(r.Context(), s.actor(r), workflow.QRFinish{
		QRCodeID: req.QRCodeID, StudioID: req.StudioID,
		AccountID: req.AccountID})
	if err != nil {
		return err
	}
	s.writeAccount(w, a, created)
	return nil
}
