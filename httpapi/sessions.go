package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"liveboard"
)

// accountCache loads each account at most once per request.
type accountCache struct {
	store liveboard.Store
	byID  map[int64]*liveboard.Account
}

func (c *accountCache) get(ctx context.Context, id int64) (*liveboard.Account, error) {
	if a, ok := c.byID[id]; ok {
		return a, nil
	}
	a, err := c.store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.byID == nil {
		c.byID = map[int64]*liveboard.Account{}
	}
	c.byID[id] = a
	return a, nil
}

// visibleStudios returns the studios the caller may read: the one asked
// for in studio_id (ENotFound when not theirs), or all of theirs.
func (s *Server) visibleStudios(r *http.Request) ([]int64, error) {
	ctx := r.Context()
	p := principalFrom(ctx)

	id, err := queryInt(r.URL.Query(), "studio_id", 0, 1, maxID)
	if err != nil {
		return nil, err
	}
	if id != 0 {
		if err := s.requireStudio(ctx, id, liveboard.RoleViewer); err != nil {
			return nil, err
		}
		return []int64{id}, nil
	}

	if p.AllStudios == "" {
		ids := make([]int64, 0, len(p.Roles))
		for studioID := range p.Roles {
			ids = append(ids, studioID)
		}
		return ids, nil
	}

	studios, err := s.cfg.Store.Studios(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(studios))
	for i, st := range studios {
		ids[i] = st.ID
	}
	return ids, nil
}

// requireStudio is requireRole for a studio that must exist: a role held
// in every studio does not make up a studio that is not there.
func (s *Server) requireStudio(ctx context.Context, studioID int64,
	role liveboard.Role) error {
	if err := requireRole(ctx, studioID, role); err != nil {
		return err
	}
	if _, member := principalFrom(ctx).Roles[studioID]; member {
		return nil
	}
	_, err := s.cfg.Store.Studio(ctx, studioID)
	return err
}

type sessionPage struct {
	Sessions []sessionJSON `json:"sessions"`
	Total    int           `json:"total"`
	Page     int64         `json:"page"`
	PageSize int64         `json:"page_size"`
}

// listSessions answers GET /sessions: stored sessions, newest first,
// filtered by studio_id, account_id, status and a from/to date range.
func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()

	studios, err := s.visibleStudios(r)
	if err != nil {
		return err
	}
	f := liveboard.SessionFilter{StudioIDs: studios}

	if f.AccountID, err = queryInt(q, "account_id", 0, 1, 1<<62); err != nil {
		return err
	}
	if text := q.Get("status"); text != "" {
		if f.Status, err = liveboard.ParseSessionStatus(text); err != nil {
			return err
		}
	}
	zone := s.dateZone(ctx, studios)
	f.StartedFrom, err = queryTime(q.Get("from"), "from", zone, false)
	if err != nil {
		return err
	}
	f.StartedBefore, err = queryTime(q.Get("to"), "to", zone, true)
	if err != nil {
		return err
	}
	if !f.StartedFrom.IsZero() && !f.StartedBefore.IsZero() &&
		!f.StartedFrom.Before(f.StartedBefore) {
		return liveboard.Errorf(liveboard.EInvalid,
			"from must come before to")
	}

	page, size, err := pageParams(q, 50, 500)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = int(size), int((page-1)*size)

	list, total, err := s.cfg.Store.Sessions(ctx, f)
	if err != nil {
		return err
	}

	out := sessionPage{Sessions: []sessionJSON{}, Total: total, Page: page,
		PageSize: size}
	accounts := accountCache{store: s.cfg.Store}
	for i := range list {
		a, err := accounts.get(ctx, list[i].AccountID)
		if err != nil {
			return err
		}
		out.Sessions = append(out.Sessions, newSessionJSON(&list[i], a))
	}
	s.writeData(w, http.StatusOK, out)
	return nil
}

// queryTime reads an optional RFC 3339 time, or a YYYY-MM-DD date taken
// in loc: its first instant, or with endOfDay the first instant of the
// next day, so that a date range includes its last day.
func queryTime(text, name string, loc *time.Location,
	endOfDay bool) (time.Time, error) {
	if text == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, text); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, text, loc); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	return time.Time{}, liveboard.Errorf(liveboard.EInvalid,
		"%s must be a date (2026-11-01) or an RFC 3339 time, got %s",
		name, quote(text))
}

// dateZone returns the zone dates in a request's query are read in: the
// studio's when the request covers one studio, UTC otherwise.
func (s *Server) dateZone(ctx context.Context, studios []int64) *time.Location {
	if len(studios) != 1 {
		return time.UTC
	}
	st, err := s.cfg.Store.Studio(ctx, studios[0])
	if err != nil {
		return time.UTC
	}
	return st.Region.Location()
}

// storedSession loads a session by our id for a caller who may see it.
func (s *Server) storedSession(r *http.Request) (*liveboard.Session,
	*liveboard.Account, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, liveboard.Errorf(liveboard.EInvalid,
			"session id must be a positive number, got %q", r.PathValue("id"))
	}

	se, err := s.cfg.Store.Session(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := requireRole(ctx, se.StudioID, liveboard.RoleViewer); err != nil {
		return nil, nil, liveboard.Errorf(liveboard.ENotFound,
			"session %d not found", id)
	}

	a, err := s.cfg.Store.Account(ctx, se.AccountID)
	if err != nil {
		return nil, nil, err
	}
	return se, a, nil
}

// getSession answers GET /sessions/{id}.
func (s *Server) getSession(w http.ResponseWriter, r *http.Request) error {
	se, a, err := s.storedSession(r)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newSessionJSON(se, a))
	return nil
}

// sessionSnapshots answers GET /sessions/{id}/snapshots: the session's
// time series, oldest first.
func (s *Server) sessionSnapshots(w http.ResponseWriter, r *http.Request) error {
	se, a, err := s.storedSession(r)
	if err != nil {
		return err
	}

	since, err := queryTime(r.URL.Query().Get("since"), "since",
		a.Region.Location(), false)
	if err != nil {
		return err
	}
	snaps, err := s.cfg.Store.Snapshots(r.Context(), se.ID, since)
	if err != nil {
		return err
	}

	out := make([]snapshotJSON, len(snaps))
	for i, snap := range snaps {
		out[i] = newSnapshotJSON(snap, a.Region)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": se.ShopeeSessionID, "snapshots": out})
	return nil
}
