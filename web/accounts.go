package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"liveboard"
	"liveboard/qrsvg"
	"liveboard/workflow"
)

// accountsData is the accounts page's own data.
type accountsData struct {
	Accounts []liveboard.Account
	// Relogins counts the accounts that need a new login.
	Relogins int
	Regions  []liveboard.Region
}

// accountsPage answers GET /accounts: the studio's Shopee accounts with
// their health, and the ways to connect or log them in again that the
// person's role allows.
func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	s.showAccounts(w, r, v, http.StatusOK, "")
	return nil
}

// showAccounts renders the accounts page with status and, when not "", a
// problem to show above it.
func (s *Server) showAccounts(w http.ResponseWriter, r *http.Request,
	v *visit, status int, problem string) {
	page := view{Title: "Accounts", Visit: v, Problem: problem,
		Notice: notices[r.URL.Query().Get("done")]}
	data := accountsData{Regions: liveboard.Regions}
	if v.studio != nil {
		list, err := s.cfg.Store.Accounts(r.Context(), v.studio.ID)
		if err != nil {
			s.fail(w, r, v, err)
			return
		}
		data.Accounts = list
		for _, a := range list {
			if a.Health.NeedsRelogin {
				data.Relogins++
			}
		}
	}
	page.Data = data
	s.render(w, status, "accounts", page)
}

// failOnAccounts shows an error of an account action on the accounts
// page, unless it is one the general error handling owns.
func (s *Server) failOnAccounts(w http.ResponseWriter, r *http.Request,
	v *visit, err error) error {
	code := liveboard.ErrorCode(err)
	status, known := statusOf[code]
	if !known || code == liveboard.ENotFound || code == liveboard.EForbidden {
		return err
	}
	s.showAccounts(w, r, v, status, liveboard.ErrorMessage(err))
	return nil
}

func (s *Server) actor(r *http.Request, v *visit) workflow.Actor {
	return workflow.Actor{Principal: v.principal, IP: s.cfg.ClientIP(r)}
}

// formID reads an optional positive id from the form; 0 when absent.
func formID(r *http.Request, name string) (int64, error) {
	text := strings.TrimSpace(r.PostFormValue(name))
	if text == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s must be a positive number", name)
	}
	return id, nil
}

func studioID(v *visit) int64 {
	if v.studio == nil {
		return 0
	}
	return v.studio.ID
}

// connectCookies answers POST /accounts/cookies: connect an account, or
// give one a new login (account_id), with a pasted cookie string. The
// cookie string is never shown back.
func (s *Server) connectCookies(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	accountID, err := formID(r, "account_id")
	if err != nil {
		return err
	}
	var region liveboard.Region
	if text := r.PostFormValue("region"); text != "" && accountID == 0 {
		if region, err = liveboard.ParseRegion(text); err != nil {
			return err
		}
	}

	_, created, err := s.cfg.Accounts.ConnectCookies(r.Context(),
		s.actor(r, v), workflow.CookieLogin{StudioID: studioID(v),
			Region: region, AccountID: accountID,
			Cookies: r.PostFormValue("cookies")})
	if err != nil {
		return s.failOnAccounts(w, r, v, err)
	}
	seeOther(w, r, "/accounts", doneNotice(created))
	return nil
}

func doneNotice(created bool) string {
	if created {
		return "connected"
	}
	return "relogin"
}

// qrData is the QR page's own data.
type qrData struct {
	QRCodeID  string
	AccountID int64
	// Account is the account logging in again; nil for a new one.
	Account   *liveboard.Account
	SVG       template.HTML
	Link      string
	StatusURL string
	// PollMillis is how often the page's script asks for the status.
	PollMillis int64
	ExpiresAt  time.Time
}

// qrPoll is how often the QR page polls its status.
const qrPoll = 1500 * time.Millisecond

// startQR answers POST /accounts/qr: a Shopee login QR code to scan,
// for a new account of the studio shown or, with account_id, a new login
// of that account. The page polls the status and finishes by itself.
func (s *Server) startQR(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	accountID, err := formID(r, "account_id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	m := s.cfg.Accounts
	started, err := m.StartQR(ctx, s.actor(r, v), workflow.QRStart{
		StudioID: studioID(v), AccountID: accountID})
	if err != nil {
		return s.failOnAccounts(w, r, v, err)
	}
	svg, err := qrsvg.Render(started.Link)
	if err != nil {
		return err
	}

	data := qrData{QRCodeID: started.QRCodeID, AccountID: accountID,
		// The SVG is drawn here from the link alone: it holds no text
		// from anyone.
		SVG: template.HTML(svg), Link: started.Link,
		StatusURL: "/accounts/qr/status?" + url.Values{
			"qrcode_id": {started.QRCodeID}}.Encode(),
		PollMillis: qrPoll.Milliseconds(), ExpiresAt: started.ExpiresAt}
	if accountID != 0 {
		if data.Account, err = m.Account(ctx, s.actor(r, v), accountID,
			workflow.RoleRelogin); err != nil {
			return err
		}
	}
	s.render(w, http.StatusOK, "qr", view{Title: "Log in by QR",
		Visit: v, Data: data})
	return nil
}

// qrMessages say in words what each status means for the person.
var qrMessages = map[liveboard.QRStatus]string{
	liveboard.QRNew:       "Scan the code with the Shopee app.",
	liveboard.QRScanned:   "Scanned. Confirm the login in the Shopee app.",
	liveboard.QRConfirmed: "Confirmed. Finishing the login…",
	liveboard.QRExpired:   "The code expired. Start again.",
	liveboard.QRCanceled:  "The login was canceled on the phone. Start again.",
	liveboard.QRLoggedIn:  "Logged in.",
}

// qrStatus answers GET /accounts/qr/status for the QR page's script:
// {"status", "message", "done"} as JSON.
func (s *Server) qrStatus(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	id := r.URL.Query().Get("qrcode_id")
	if id == "" {
		return liveboard.Errorf(liveboard.EInvalid, "qrcode_id is required")
	}
	st, err := s.cfg.Accounts.QRStatus(r.Context(), s.actor(r, v), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": st.Status,
		"message": qrMessages[st.Status], "done": st.Status.Done()})
	return nil
}

// finishQR answers POST /accounts/qr/finish: store the account of a
// confirmed QR login, then show the accounts page.
func (s *Server) finishQR(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	accountID, err := formID(r, "account_id")
	if err != nil {
		return err
	}
	_, created, err := s.cfg.Accounts.FinishQR(r.Context(), s.actor(r, v),
		workflow.QRFinish{QRCodeID: r.PostFormValue("qrcode_id"),
			AccountID: accountID})
	if err != nil {
		return s.failOnAccounts(w, r, v, err)
	}
	seeOther(w, r, "/accounts", doneNotice(created))
	return nil
}

// removeAccount answers POST /accounts/{id}/remove.
func (s *Server) removeAccount(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return liveboard.Errorf(liveboard.ENotFound, "no such account")
	}
	if err := s.cfg.Accounts.Remove(r.Context(), s.actor(r, v),
		id); err != nil {
		return err
	}
	seeOther(w, r, "/accounts", "removed")
	return nil
}
