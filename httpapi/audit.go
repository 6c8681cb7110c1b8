package httpapi

import (
	"net/http"

	"liveboard"
)

// audit records a sensitive action done by the request's caller in a
// studio (0 for none). Handlers that edit campaigns or act with coins
// call it with liveboard.AuditCampaignEdit or liveboard.AuditCoinAction.
// A failure to record is logged, not returned: the action is done.
func (s *Server) audit(r *http.Request, action liveboard.AuditAction,
	studioID int64, target, detail string) {
	e := liveboard.NewAuditEntry(principalFrom(r.Context()),
		s.cfg.ClientIP(r), s.cfg.Now(), action, studioID, target)
	e.Detail = detail
	if err := s.cfg.Store.RecordAudit(r.Context(), e); err != nil {
		s.cfg.Logger.Error("record audit entry", "action", action,
			"error", err)
	}
}

type auditJSON struct {
	ID       int64                 `json:"id"`
	At       string                `json:"at"`
	UserID   int64                 `json:"user_id"`
	KeyID    int64                 `json:"api_key_id"`
	StudioID int64                 `json:"studio_id"`
	IP       string                `json:"ip"`
	Action   liveboard.AuditAction `json:"action"`
	Target   string                `json:"target"`
	Detail   string                `json:"detail"`
}

// auditLog answers GET /audit: a studio's audit log, newest first. It
// needs the admin role.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	studioID := st.ID
	if err := requireRole(ctx, studioID, liveboard.RoleAdmin); err != nil {
		return err
	}
	limit, err := queryInt(r.URL.Query(), "limit", 100, 1, 500)
	if err != nil {
		return err
	}

	entries, err := s.cfg.Store.AuditLog(ctx, liveboard.AuditFilter{
		StudioID: studioID, Limit: int(limit)})
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(entries))
	for i, e := range entries {
		out[i] = auditJSON{ID: e.ID, At: regionTime(e.At, st.Region), UserID: e.UserID,
			KeyID: e.KeyID, StudioID: e.StudioID, IP: e.IP, Action: e.Action,
			Target: e.Target, Detail: e.Detail}
	}
	s.writeData(w, http.StatusOK, map[string]any{"studio_id": studioID,
		"entries": out})
	return nil
}
