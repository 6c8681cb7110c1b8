package web

import "net/http"

// home answers GET /: the accounts page, until the dashboard has an
// overview of its own.
func (s *Server) home(w http.ResponseWriter, r *http.Request, _ *visit) error {
	http.Redirect(w, r, "/accounts", http.StatusSeeOther)
	return nil
}
