package web

import "net/http"

// home answers GET /: the live wall, where people watch their streams.
func (s *Server) home(w http.ResponseWriter, r *http.Request, _ *visit) error {
	http.Redirect(w, r, "/live", http.StatusSeeOther)
	return nil
}
