package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// shopeeCredentials is how a Shopee-facing request says whose login to
// use: a stored account, or a raw Shopee cookie string.
type shopeeCredentials struct {
	AccountID   int64  `json:"account_id"`
	AccessToken string `json:"access_token"`
	Region      string `json:"region"`
}

// resolveAuth turns the request's credentials into a Shopee login. A
// stored account needs role in its studio; its login never leaves the
// server. A raw cookie string is used as given, for its region (ID by
// default), and is not stored.
func (s *Server) resolveAuth(ctx context.Context, c shopeeCredentials,
	role liveboard.Role) (shopee.Auth, *liveboard.Account, error) {
	switch {
	case c.AccountID != 0:
		a, err := s.cfg.Store.Account(ctx, c.AccountID)
		if err == nil && a.RemovedAt != nil {
			err = liveboard.Errorf(liveboard.ENotFound, "removed")
		}
		if liveboard.ErrorCode(err) == liveboard.ENotFound {
			return shopee.Auth{}, nil, liveboard.Errorf(liveboard.ENotFound,
				"account %d not found", c.AccountID)
		}
		if err != nil {
			return shopee.Auth{}, nil, err
		}
		if err := requireRole(ctx, a.StudioID, role); err != nil {
			if liveboard.ErrorCode(err) == liveboard.ENotFound {
				err = liveboard.Errorf(liveboard.ENotFound,
					"account %d not found", c.AccountID)
			}
			return shopee.Auth{}, nil, err
		}

		cookies := strings.TrimSpace(c.AccessToken)
		if cookies == "" {
			if cookies, err = s.cfg.Store.AccountCookies(ctx, a.ID); err != nil {
				return shopee.Auth{}, nil, err
			}
		}
		return shopee.Auth{AccountID: a.ID, Region: a.Region,
			Cookies: cookies}, a, nil

	case strings.TrimSpace(c.AccessToken) != "":
		region := liveboard.RegionID
		if c.Region != "" {
			r, err := liveboard.ParseRegion(c.Region)
			if err != nil {
				return shopee.Auth{}, nil, err
			}
			region = r
		}
		return shopee.Auth{Region: region,
			Cookies: strings.TrimSpace(c.AccessToken)}, nil, nil
	}
	return shopee.Auth{}, nil, liveboard.Errorf(liveboard.EInvalid,
		"give account_id (a connected account) or access_token "+
			"(a Shopee cookie string)")
}

// maxShopeePage caps the page asked of Shopee's session list: far more
// than any account has, and far from overflowing page × page_size.
const maxShopeePage = 10_000

type sessionListRequest struct {
	shopeeCredentials
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

type listedSessionJSON struct {
	SessionID      string           `json:"session_id"`
	SessionName    string           `json:"session_name"`
	Status         string           `json:"status"`
	ShopeeStatus   int              `json:"shopee_status"`
	CoverImage     string           `json:"cover_image"`
	StartedAt      string           `json:"started_at"`
	DurationSecs   int64            `json:"duration_seconds"`
	TotalViewers   *int64           `json:"total_viewers"`
	PeakViewers    *int64           `json:"peak_viewers"`
	Views          *int64           `json:"views"`
	TotalComments  *int64           `json:"total_comments"`
	TotalLikes     *int64           `json:"total_likes"`
	TotalOrders    *int64           `json:"total_orders"`
	TotalRevenue   *liveboard.Money `json:"total_revenue"`
	ConfirmedOrder *int64           `json:"confirmed_orders"`
	ConfirmedRev   *liveboard.Money `json:"confirmed_revenue"`
	AddToCart      *int64           `json:"add_to_cart"`
	ProductClicks  *int64           `json:"product_clicks"`
}

// creatorSessionList answers POST /creator/session-list: one page of the
// account's session list, straight from Shopee.
func (s *Server) creatorSessionList(w http.ResponseWriter, r *http.Request) error {
	var req sessionListRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.Page == 0 {
		req.Page = 1
	}
	if req.PageSize == 0 {
		req.PageSize = 10
	}
	if req.Page < 1 || req.Page > maxShopeePage || req.PageSize < 1 ||
		req.PageSize > 100 {
		return liveboard.Errorf(liveboard.EInvalid,
			"page must be between 1 and %d and page_size between 1 "+
				"and 100", maxShopeePage)
	}

	ctx := r.Context()
	auth, _, err := s.resolveAuth(ctx, req.shopeeCredentials,
		liveboard.RoleViewer)
	if err != nil {
		return err
	}

	page, err := s.cfg.Shopee.SessionList(ctx, auth, req.Page, req.PageSize)
	if err != nil {
		return err
	}

	now := s.cfg.Now()
	out := make([]listedSessionJSON, len(page.Items))
	for i, it := range page.Items {
		out[i] = newListedSessionJSON(it, auth.Region, now)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"total": page.Total, "page": req.Page, "page_size": req.PageSize,
		"region": auth.Region, "currency": auth.Region.Currency(),
		"sessions": out})
	return nil
}

func newListedSessionJSON(it shopee.SessionItem, region liveboard.Region,
	now time.Time) listedSessionJSON {
	status := liveboard.SessionEnded
	if it.Live(now) {
		status = liveboard.SessionOngoing
	}
	m := it.Metrics
	return listedSessionJSON{
		SessionID: strconv.FormatInt(it.SessionID, 10), SessionName: it.Title,
		Status: string(status), ShopeeStatus: it.Status,
		CoverImage: it.CoverImage, StartedAt: regionTime(it.StartTime, region),
		DurationSecs: int64(it.Duration / time.Second),
		TotalViewers: m.Viewers, PeakViewers: m.PeakViewers, Views: m.Views,
		TotalComments: m.Comments, TotalLikes: m.Likes,
		TotalOrders: m.PlacedOrders, TotalRevenue: m.PlacedGMV,
		ConfirmedOrder: m.ConfirmedOrders, ConfirmedRev: m.ConfirmedGMV,
		AddToCart: m.AddToCart, ProductClicks: m.ProductClicks,
	}
}

type syncRequest struct {
	SessionID       flexID `json:"session_id"`
	StudioID        int64  `json:"studio_id"`
	ShopeeAccountID int64  `json:"shopee_account_id"`
	AccountID       int64  `json:"account_id"`
	AccessToken     string `json:"access_token"`
}

// syncSessions answers POST /sessions/sync. With a session_id it fetches
// that session from Shopee now, stores it and returns it. Without one it
// queues a sync of the whole account (or of every account of studio_id)
// and answers 202.
func (s *Server) syncSessions(w http.ResponseWriter, r *http.Request) error {
	var req syncRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.ShopeeAccountID == 0 {
		req.ShopeeAccountID = req.AccountID
	}
	ctx := r.Context()

	if req.ShopeeAccountID == 0 {
		if req.SessionID != "" || req.StudioID == 0 {
			return liveboard.Errorf(liveboard.EInvalid,
				"shopee_account_id is required (or studio_id alone, "+
					"to sync every account of a studio)")
		}
		return s.queueStudioSync(w, r, req.StudioID)
	}

	auth, a, err := s.resolveAuth(ctx, shopeeCredentials{
		AccountID: req.ShopeeAccountID, AccessToken: req.AccessToken},
		liveboard.RoleOperator)
	if err != nil {
		return err
	}
	if req.StudioID != 0 && req.StudioID != a.StudioID {
		return liveboard.Errorf(liveboard.EInvalid,
			"account %d does not belong to studio %d", a.ID, req.StudioID)
	}

	if req.SessionID == "" {
		return s.queueAccountSyncs(ctx, w, []int64{a.ID})
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	se, err := s.cfg.Syncer.SyncSession(ctx, a, auth, id)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newSessionJSON(se, a))
	return nil
}

func (s *Server) queueStudioSync(w http.ResponseWriter, r *http.Request,
	studioID int64) error {
	ctx := r.Context()
	if err := s.requireStudio(ctx, studioID, liveboard.RoleOperator); err != nil {
		return err
	}
	accounts, err := s.cfg.Store.Accounts(ctx, studioID)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(accounts))
	for _, a := range accounts {
		ids = append(ids, a.ID)
	}
	return s.queueAccountSyncs(ctx, w, ids)
}

func (s *Server) queueAccountSyncs(ctx context.Context,
	w http.ResponseWriter, ids []int64) error {
	if s.cfg.Queue == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"background syncs are not running on this server; "+
				"give a session_id to sync one session now")
	}
	for _, id := range ids {
		if err := s.cfg.Queue.EnqueueAccountSync(ctx, id); err != nil {
			return err
		}
	}
	s.writeData(w, http.StatusAccepted, map[string]any{
		"queued_account_ids": ids})
	return nil
}
