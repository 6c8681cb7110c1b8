package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"

	"liveboard"
)

// errSignIn means the request has no valid browser session.
var errSignIn = liveboard.Errorf(liveboard.EUnauthorized,
	"sign in to see this page")

// visit is a signed-in person's request: who they are, what they may do
// and which studio the dashboard shows them.
type visit struct {
	session   *liveboard.WebSession
	user      *liveboard.User
	principal *liveboard.Principal

	// studios are the studios the person may open, by id; studio is the
	// one shown, nil when they have none.
	studios []liveboard.Studio
	studio  *liveboard.Studio
	role    liveboard.Role
}

// can reports whether the person holds at least role in the studio
// shown.
func (v *visit) can(role liveboard.Role) bool {
	return v != nil && v.studio != nil && v.role.Includes(role)
}

// sessionCookie and csrfCookie name the cookies; with Secure set they
// carry the __Host- prefix, which browsers only accept from the host
// itself over a secure connection, for the whole site.
func (s *Server) sessionCookie() string { return s.cookieName("lb_session") }
func (s *Server) csrfCookie() string    { return s.cookieName("lb_csrf") }

func (s *Server) cookieName(name string) string {
	if s.cfg.InsecureCookies {
		return name
	}
	return "__Host-" + name
}

// newToken returns 256 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails, per crypto/rand
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// setCookie sets an HttpOnly cookie for the whole site; maxAge < 0
// deletes it.
func (s *Server) setCookie(w http.ResponseWriter, name, value string,
	maxAge int, sameSite http.SameSite) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/",
		MaxAge: maxAge, HttpOnly: true, Secure: !s.cfg.InsecureCookies,
		SameSite: sameSite})
}

// visit loads the request's browser session and what its person may
// see. No session, or an expired one, is errSignIn.
func (s *Server) visit(r *http.Request) (*visit, error) {
	c, err := r.Cookie(s.sessionCookie())
	if err != nil || c.Value == "" {
		return nil, errSignIn
	}
	ctx := r.Context()
	ws, err := s.cfg.Store.WebSessionByHash(ctx, tokenHash(c.Value))
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return nil, errSignIn
	}
	if err != nil {
		return nil, err
	}

	v := &visit{session: ws}
	if v.user, err = s.cfg.Store.User(ctx, ws.UserID); err != nil {
		return nil, err
	}
	if v.principal, err = s.cfg.Store.Principal(ctx, ws.UserID); err != nil {
		return nil, err
	}
	if err := s.chooseStudio(ctx, v); err != nil {
		return nil, err
	}
	return v, nil
}

// chooseStudio fills in the studios the person may open and the one
// shown: the session's choice while they still belong to it, else their
// first.
func (s *Server) chooseStudio(ctx context.Context, v *visit) error {
	all, err := s.cfg.Store.Studios(ctx)
	if err != nil {
		return err
	}
	for _, st := range all {
		if _, ok := v.principal.Role(st.ID); ok {
			v.studios = append(v.studios, st)
		}
	}
	slices.SortFunc(v.studios, func(a, b liveboard.Studio) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	if len(v.studios) == 0 {
		return nil
	}

	pick := 0
	for i, st := range v.studios {
		if st.ID == v.session.StudioID {
			pick = i
		}
	}
	v.studio = &v.studios[pick]
	v.role, _ = v.principal.Role(v.studio.ID)
	return nil
}

// errCSRF refuses a post without the right token.
var errCSRF = liveboard.Errorf(liveboard.EForbidden,
	"this form has expired or did not come from this site: "+
		"reload the page and try again")

// checkPost refuses a state-changing request that comes from another
// site or lacks the session's CSRF token, in the csrf_token form field
// or the X-CSRF-Token header.
func (s *Server) checkPost(r *http.Request, v *visit) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	if err := s.checkOrigin(r); err != nil {
		return err
	}
	token := r.Header.Get("X-CSRF-Token")
	if token == "" {
		token = r.PostFormValue("csrf_token")
	}
	if !sameToken(token, v.session.CSRFToken) {
		return errCSRF
	}
	return nil
}

// checkOrigin refuses unsafe requests a browser sent from another site.
func (s *Server) checkOrigin(r *http.Request) error {
	if err := s.cop.Check(r); err != nil {
		return errCSRF
	}
	return nil
}

func sameToken(got, want string) bool {
	return got != "" && want != "" &&
		subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
