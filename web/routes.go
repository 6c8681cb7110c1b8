package web

import (
	"net/http"
	"strings"
)

// install registers every route. This is the one list of what the
// dashboard answers; a page added elsewhere is not served.
func (s *Server) install() {
	s.route(Route{Method: "GET", Path: "/static/", Public: true}, s.static)
	s.public("GET /signin", s.signinPage)
	s.public("POST /signin", s.signin)

	s.page("POST /signout", s.signout)
	s.page("GET /{$}", s.home)
	s.page("POST /studio", s.switchStudio)
	s.page("GET /live", s.livePage)
	s.page("GET /live/events", s.liveEvents)
	s.page("GET /sessions", s.sessionsPage)
	s.page("GET /sessions/{id}", s.sessionPage)
	s.page("GET /analytics", s.analyticsPage)
	s.page("GET /alerts", s.alertsPage)
	s.page("POST /alerts/{id}/acknowledge", s.acknowledgeAlert)
	s.page("GET /alerts/settings", s.alertSettingsPage)
	s.page("POST /alerts/rules", s.saveAlertRules)
	s.page("POST /alerts/channels", s.addChannel)
	s.page("POST /alerts/channels/{id}/remove", s.removeChannel)
	s.page("POST /alerts/channels/{id}/test", s.testChannel)
	s.page("GET /campaigns", s.campaignsPage)
	s.page("POST /campaigns/auto-pause", s.saveAutoPause)
	s.page("GET /boosts", s.boostsPage)
	s.page("POST /boosts", s.startBoost)
	s.page("POST /boosts/{id}/stop", s.stopBoost)
	s.page("GET /accounts", s.accountsPage)
	s.page("POST /accounts/cookies", s.connectCookies)
	s.page("POST /accounts/qr", s.startQR)
	s.page("GET /accounts/qr/status", s.qrStatus)
	s.page("POST /accounts/qr/finish", s.finishQR)
	s.page("POST /accounts/{id}/remove", s.removeAccount)
}

// publicFunc answers a request that needs no session; pageFunc one of a
// signed-in person, described by v. Both return their error for the
// caller to show.
type (
	publicFunc func(w http.ResponseWriter, r *http.Request) error
	pageFunc   func(w http.ResponseWriter, r *http.Request, v *visit) error
)

func (s *Server) public(pattern string, h publicFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.route(Route{Method: method, Path: path, Public: true},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := s.checkOrigin(r); err != nil {
				s.fail(w, r, nil, err)
				return
			}
			if err := h(w, r); err != nil {
				s.fail(w, r, nil, err)
			}
		}))
}

// page registers a route that needs a browser session: without one,
// pages redirect to the sign-in page and other requests get 401. Posts
// must carry the session's CSRF token.
func (s *Server) page(pattern string, h pageFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.route(Route{Method: method, Path: path},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			v, err := s.visit(r)
			if err == nil {
				err = s.checkPost(r, v)
			}
			if err == nil {
				err = h(w, r, v)
			}
			if err != nil {
				s.fail(w, r, v, err)
			}
		}))
}

// maxForm caps the body of a form post.
const maxForm = 64 << 10

func (s *Server) route(rt Route, h http.Handler) {
	s.routes = append(s.routes, rt)
	s.mux.Handle(rt.Method+" "+rt.Path, h)
}
