package web

import (
	"net/http"
	"strconv"

	"liveboard"
)

// switchStudio answers POST /studio: the studio switcher. The dashboard
// then shows the chosen studio, which must be one of the person's.
func (s *Server) switchStudio(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	id, err := strconv.ParseInt(r.PostFormValue("studio_id"), 10, 64)
	if err != nil || id <= 0 {
		return liveboard.Errorf(liveboard.EInvalid, "choose a studio")
	}
	if err := v.principal.Require(id, liveboard.RoleViewer); err != nil {
		return err
	}
	if err := s.cfg.Store.SetWebSessionStudio(r.Context(), v.session.ID,
		id); err != nil {
		return err
	}
	seeOther(w, r, "/accounts", "studio")
	return nil
}
