package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"liveboard"
	"liveboard/password"
)

// csrfCookieAge is how long the sign-in form's CSRF cookie lives.
const csrfCookieAge = 3600

// signinPage answers GET /signin: the sign-in form, with a CSRF token
// bound to a cookie of its own, as there is no session yet.
func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.visit(r); err == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.showSignin(w, r, http.StatusOK, "", "")
	return nil
}

func (s *Server) showSignin(w http.ResponseWriter, r *http.Request,
	status int, email, problem string) {
	token := ""
	if c, err := r.Cookie(s.csrfCookie()); err == nil && len(c.Value) >= 32 {
		token = c.Value
	} else {
		token = newToken()
	}
	s.setCookie(w, s.csrfCookie(), token, csrfCookieAge,
		http.SameSiteStrictMode)
	s.render(w, status, "signin", view{Title: "Sign in", CSRF: token,
		Problem: problem, Data: map[string]string{"Email": email}})
}

// errWrongPassword is all a failed sign-in says, whatever failed, so
// that it tells nobody which emails exist.
const errWrongPassword = "Wrong email or password."

// signin answers POST /signin: it checks the password, throttled per
// address and per email, and starts a browser session.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(s.csrfCookie())
	if err != nil || !sameToken(r.PostFormValue("csrf_token"), c.Value) {
		return errCSRF
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	ip := s.cfg.ClientIP(r)
	now := s.cfg.Now()

	if wait := s.throttle.wait(ip, email, now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(seconds(wait)))
		s.showSignin(w, r, http.StatusTooManyRequests, email,
			"Too many sign-in attempts. Try again in "+
				strconv.Itoa(seconds(wait))+" s.")
		return nil
	}

	u, err := s.checkPassword(r.Context(), email, pw)
	if errors.Is(err, password.ErrMismatch) {
		s.throttle.failed(ip, email, now)
		s.auditSignin(r, u, liveboard.AuditLoginFailed)
		s.showSignin(w, r, http.StatusUnauthorized, email, errWrongPassword)
		return nil
	}
	if err != nil {
		return err
	}

	s.throttle.succeeded(email)
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.auditSignin(r, u, liveboard.AuditLogin)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// checkPassword returns the user with that email when pw is their
// password. A wrong password, an unknown email and a user without a
// password are all password.ErrMismatch, and take as long; the user is
// returned with it when there is one.
func (s *Server) checkPassword(ctx context.Context, email,
	pw string) (*liveboard.User, error) {
	u, err := s.cfg.Store.UserByEmail(ctx, email)
	if liveboard.ErrorCode(err) == liveboard.ENotFound || email == "" {
		return nil, password.CheckNobody(pw)
	}
	if err != nil {
		return nil, err
	}

	hash, err := s.cfg.Store.PasswordHash(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if hash == "" {
		return u, password.CheckNobody(pw)
	}
	switch err := password.Check(hash, pw); {
	case errors.Is(err, password.ErrMalformed):
		s.cfg.Logger.Error("unreadable password hash", "user_id", u.ID)
		return u, password.ErrMismatch
	case err != nil:
		return u, err
	}
	return u, nil
}

// startSession stores a new browser session for u and gives the browser
// its token.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request,
	u *liveboard.User) error {
	token := newToken()
	ws := &liveboard.WebSession{UserID: u.ID, CSRFToken: newToken(),
		ExpiresAt: s.cfg.Now().Add(s.cfg.SessionTTL)}
	if err := s.cfg.Store.CreateWebSession(r.Context(), ws,
		tokenHash(token)); err != nil {
		return err
	}
	s.setCookie(w, s.sessionCookie(), token,
		int(s.cfg.SessionTTL.Seconds()), http.SameSiteLaxMode)
	s.setCookie(w, s.csrfCookie(), "", -1, http.SameSiteStrictMode)
	return nil
}

// auditSignin records a sign-in, failed or not, in the audit log of
// every studio the person belongs to, so that each studio's admins see
// who came in; an unknown email is recorded outside studios.
func (s *Server) auditSignin(r *http.Request, u *liveboard.User,
	action liveboard.AuditAction) {
	ctx := r.Context()
	studios := []int64{0}
	var p *liveboard.Principal
	if u != nil {
		p, _ = s.cfg.Store.Principal(ctx, u.ID)
	}
	if p != nil && len(p.Roles) > 0 {
		studios = studios[:0]
		for id := range p.Roles {
			studios = append(studios, id)
		}
	}

	detail := "unknown email"
	if u != nil {
		detail = ""
	}
	for _, studioID := range studios {
		e := liveboard.NewAuditEntry(p, s.cfg.ClientIP(r), s.cfg.Now(),
			action, studioID, "dashboard")
		e.Detail = detail
		if err := s.cfg.Store.RecordAudit(ctx, e); err != nil {
			s.cfg.Logger.Error("record audit entry", "action", action,
				"error", err)
		}
	}
}

// signout answers POST /signout: the session ends here and now.
func (s *Server) signout(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	if err := s.cfg.Store.DeleteWebSession(r.Context(),
		v.session.ID); err != nil {
		return err
	}
	s.setCookie(w, s.sessionCookie(), "", -1, http.SameSiteLaxMode)
	s.auditSignin(r, v.user, liveboard.AuditLogout)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
