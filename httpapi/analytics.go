package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"liveboard"
	"liveboard/shopee"
)

// analyticsSummary answers GET /analytics/summary: a studio's daily
// analytics for the last days (30 by default, today included, in the
// studio's zone) and their totals.
func (s *Server) analyticsSummary(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	days, err := queryInt(r.URL.Query(), "days", 30, 1, 366)
	if err != nil {
		return err
	}

	loc := st.Region.Location()
	today := s.cfg.Now().In(loc)
	from := liveboard.DateIn(today.AddDate(0, 0, -int(days-1)), loc)
	to := liveboard.DateIn(today, loc)

	rows, err := s.cfg.Store.DailyAnalytics(ctx, st.ID, from, to)
	if err != nil {
		return err
	}

	daily := make([]analyticsJSON, len(rows))
	for i, d := range rows {
		daily[i] = newAnalyticsJSON(d)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"studio_id": st.ID, "days": days, "from": from, "to": to,
		"timezone": loc.String(), "currency": st.Region.Currency(),
		"totals": newAnalyticsJSON(liveboard.SumAnalytics(st.ID, rows)),
		"daily":  daily,
	})
	return nil
}

// oneStudio returns the studio_id the request names, which the caller
// must see; when it names none and the caller sees exactly one studio,
// that one.
func (s *Server) oneStudio(r *http.Request) (int64, error) {
	ids, err := s.visibleStudios(r)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"studio_id is required")
	}
	return ids[0], nil
}

// requestedStudio returns the one studio the request names, as stored.
func (s *Server) requestedStudio(r *http.Request) (*liveboard.Studio, error) {
	id, err := s.oneStudio(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.Studio(r.Context(), id)
}

// accountRegions returns the region of each of a studio's accounts, by
// account id.
func (s *Server) accountRegions(ctx context.Context,
	studioID int64) (map[int64]liveboard.Region, error) {
	accounts, err := s.cfg.Store.Accounts(ctx, studioID)
	if err != nil {
		return nil, err
	}
	regions := make(map[int64]liveboard.Region, len(accounts))
	for _, a := range accounts {
		regions[a.ID] = a.Region
	}
	return regions, nil
}

// shareLink answers GET /share-link/{session_id}: the public link that
// opens a live session in Shopee's viewer. A session Liveboard stores
// takes its account's region; any other id the region query parameter
// (ID by default).
func (s *Server) shareLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := parseShopeeID(r.PathValue("session_id"))
	if err != nil {
		return err
	}

	region := liveboard.RegionID
	if text := r.URL.Query().Get("region"); text != "" {
		if region, err = liveboard.ParseRegion(text); err != nil {
			return err
		}
	}

	studios, err := s.visibleStudios(r)
	if err != nil {
		return err
	}
	stored, _, err := s.cfg.Store.Sessions(ctx, liveboard.SessionFilter{
		StudioIDs: studios, ShopeeSessionID: strconv.FormatInt(id, 10),
		Limit: 1})
	if err != nil {
		return err
	}

	var shareUser int64
	if len(stored) == 1 {
		a, err := s.cfg.Store.Account(ctx, stored[0].AccountID)
		if err != nil {
			return err
		}
		region, shareUser = a.Region, a.ShopeeUserID
	}

	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": strconv.FormatInt(id, 10), "region": region,
		"stored": len(stored) == 1,
		"url":    shopee.ShareLink(region, id, shareUser),
	})
	return nil
}

// listStudios answers GET /studios: the studios the caller sees, with
// their role in each.
func (s *Server) listStudios(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalFrom(ctx)

	all, err := s.cfg.Store.Studios(ctx)
	if err != nil {
		return err
	}
	out := []studioJSON{}
	for _, st := range all {
		if role, ok := p.Role(st.ID); ok {
			out = append(out, newStudioJSON(st, role))
		}
	}
	s.writeData(w, http.StatusOK, map[string]any{"studios": out})
	return nil
}

// listAccounts answers GET /accounts: the connected Shopee accounts of the
// studios the caller sees, with their health.
func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	studios, err := s.visibleStudios(r)
	if err != nil {
		return err
	}

	out := []accountJSON{}
	for _, id := range studios {
		accounts, err := s.cfg.Store.Accounts(ctx, id)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			out = append(out, newAccountJSON(a))
		}
	}
	s.writeData(w, http.StatusOK, map[string]any{"accounts": out})
	return nil
}
