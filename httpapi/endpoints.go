package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"liveboard"
	"liveboard/shopee"
	"liveboard/workflow"
)

// ShopeeEndpoints are the Shopee calls behind the routes that pass one
// Shopee endpoint through.
type ShopeeEndpoints interface {
	UserInfo(ctx context.Context, a shopee.Auth) (*shopee.UserInfo, error)
	LiveOngoing(ctx context.Context, region liveboard.Region,
		uid int64) (*shopee.OngoingLive, error)
	StreamerSelectors(ctx context.Context,
		a shopee.Auth) ([]shopee.Streamer, error)
	PromotionsToday(ctx context.Context, a shopee.Auth,
		now time.Time) ([]shopee.Campaign, error)
	EditCampaign(ctx context.Context, a shopee.Auth,
		e shopee.CampaignEdit) error
	PromotedItems(ctx context.Context, a shopee.Auth,
		offset, limit int) (*shopee.PromotedItemPage, error)
	PromotedItem(ctx context.Context, a shopee.Auth,
		promoID int64) (*shopee.PromotedItem, error)
	ExpenseToday(ctx context.Context, a shopee.Auth) (*liveboard.Money, error)
	AdsData(ctx context.Context, a shopee.Auth,
		infoTypes ...string) (*shopee.AdsData, error)
	StartCoins(ctx context.Context, a shopee.Auth, sessionID int64,
		p shopee.CoinPlan) (*shopee.CoinGiveaway, error)
	CoinGiveout(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.CoinGiveaway, error)
	CoinRewardInfo(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.CoinRewards, error)
}

// shopeeLogin is whose Shopee login a request uses: a stored account's,
// or a raw cookie string.
type shopeeLogin struct {
	auth shopee.Auth
	// account is the stored account, nil for a raw cookie string; stored
	// tells whether its own stored login is used.
	account *liveboard.Account
	stored  bool
}

// login resolves the request's credentials as resolveAuth does, and
// refuses a stored account that needs a new login, without calling
// Shopee, unless the request brings a cookie string of its own.
func (s *Server) login(ctx context.Context, c shopeeCredentials,
	role liveboard.Role) (shopeeLogin, error) {
	auth, a, err := s.resolveAuth(ctx, c, role)
	if err != nil {
		return shopeeLogin{}, err
	}
	l := shopeeLogin{auth: auth, account: a,
		stored: a != nil && strings.TrimSpace(c.AccessToken) == ""}
	if l.stored && a.Health.NeedsRelogin {
		return shopeeLogin{}, fmt.Errorf("account %d: %w", a.ID,
			workflow.ErrNeedsRelogin)
	}
	return l, nil
}

// writeLogin is login for a call that changes something on Shopee: it
// needs a stored account and the operator role in its studio.
func (s *Server) writeLogin(ctx context.Context,
	c shopeeCredentials) (shopeeLogin, error) {
	if c.AccountID == 0 {
		return shopeeLogin{}, liveboard.Errorf(liveboard.EInvalid,
			"account_id is required: changes on Shopee are made for a "+
				"connected account, by its studio's operators")
	}
	return s.login(ctx, c, liveboard.RoleOperator)
}

// failed returns err, first marking a stored account whose own login
// Shopee refused (login required, anti-bot wall) as needing a new one,
// so that nothing calls Shopee for it until it logs in again.
func (s *Server) failed(ctx context.Context, l shopeeLogin, err error) error {
	if !l.stored || !(errors.Is(err, shopee.ErrLoginRequired) ||
		errors.Is(err, shopee.ErrChallenge)) {
		return err
	}
	rerr := s.cfg.Store.RecordAccountFailure(ctx, l.account.ID, s.cfg.Now(),
		liveboard.ErrorMessage(err), true)
	if rerr != nil {
		s.cfg.Logger.Warn("record account failure",
			"account_id", l.account.ID, "error", rerr)
	}
	return err
}

// credentialsOnly is the body of routes that need nothing but a login.
type credentialsOnly struct {
	shopeeCredentials
}

// sessionRequest is the body of routes about one live session.
type sessionRequest struct {
	shopeeCredentials
	SessionID flexID `json:"session_id"`
}

// withCredentials is a request body that carries Shopee credentials.
type withCredentials interface {
	credentials() shopeeCredentials
}

func (c shopeeCredentials) credentials() shopeeCredentials { return c }

// decodeLogin reads a body carrying credentials and resolves them for a
// caller with role: a read for the viewer role, a change on Shopee for
// the operator role (which needs a stored account).
func (s *Server) decodeLogin(w http.ResponseWriter, r *http.Request,
	body withCredentials, role liveboard.Role) (shopeeLogin, error) {
	if err := decodeBody(w, r, body); err != nil {
		return shopeeLogin{}, err
	}
	if role == liveboard.RoleViewer {
		return s.login(r.Context(), body.credentials(), role)
	}
	return s.writeLogin(r.Context(), body.credentials())
}

// userInfo answers POST /creator/user-info: who the login is.
func (s *Server) userInfo(w http.ResponseWriter, r *http.Request) error {
	var req credentialsOnly
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}

	u, err := s.cfg.Shopee.UserInfo(r.Context(), l.auth)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"user_id": u.UserID, "user_name": u.UserName, "avatar": u.Avatar,
		"region": l.auth.Region})
	return nil
}

// sessionInfo answers POST /creator/session-info: the live dashboard's
// details of one session.
func (s *Server) sessionInfo(w http.ResponseWriter, r *http.Request) error {
	var req sessionRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	info, err := s.cfg.Shopee.SessionInfo(r.Context(), l.auth, id)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	var started *string
	if info.StartTime != nil {
		t := regionTime(*info.StartTime, l.auth.Region)
		started = &t
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": strconv.FormatInt(id, 10), "session_name": info.Title,
		"status": liveStatus(info.Status), "shopee_status": info.Status,
		"started_at": started, "streaming_url": info.StreamingURL,
		"region": l.auth.Region})
	return nil
}

// liveStatus names a Shopee status of a session's details: 1 is on air,
// anything else ended; "unknown" when Shopee did not say.
func liveStatus(status *int) string {
	switch {
	case status == nil:
		return "unknown"
	case *status == 1:
		return string(liveboard.SessionOngoing)
	}
	return string(liveboard.SessionEnded)
}

// metricsJSON are a session's figures as the API names them elsewhere.
type metricsJSON struct {
	ViewersNow       *int64           `json:"viewers_now"`
	PeakViewers      *int64           `json:"peak_viewers"`
	TotalViewers     *int64           `json:"total_viewers"`
	Views            *int64           `json:"views"`
	TotalComments    *int64           `json:"total_comments"`
	TotalLikes       *int64           `json:"total_likes"`
	TotalShares      *int64           `json:"total_shares"`
	NewFollowers     *int64           `json:"new_followers"`
	AddToCart        *int64           `json:"add_to_cart"`
	Buyers           *int64           `json:"buyers"`
	TotalOrders      *int64           `json:"total_orders"`
	TotalRevenue     *liveboard.Money `json:"total_revenue"`
	ConfirmedOrders  *int64           `json:"confirmed_orders"`
	ConfirmedRevenue *liveboard.Money `json:"confirmed_revenue"`
	ItemsSold        *int64           `json:"items_sold"`
	AvgViewSeconds   *float64         `json:"avg_view_time_seconds"`
	CTR              *float64         `json:"ctr_percent"`
	ConversionRate   *float64         `json:"conversion_rate_percent"`
}

func newMetricsJSON(m liveboard.Metrics) metricsJSON {
	var avg *float64
	if m.AvgViewTime != nil {
		avg = liveboard.Ptr(m.AvgViewTime.Seconds())
	}
	return metricsJSON{
		ViewersNow: m.ViewersNow, PeakViewers: m.PeakViewers,
		TotalViewers: m.Viewers, Views: m.Views, TotalComments: m.Comments,
		TotalLikes: m.Likes, TotalShares: m.Shares,
		NewFollowers: m.NewFollowers, AddToCart: m.AddToCart,
		Buyers: m.Buyers, TotalOrders: m.PlacedOrders,
		TotalRevenue: m.PlacedGMV, ConfirmedOrders: m.ConfirmedOrders,
		ConfirmedRevenue: m.ConfirmedGMV, ItemsSold: m.PlacedItemsSold,
		AvgViewSeconds: avg, CTR: m.ClickThroughRate,
		ConversionRate: m.ConversionRate,
	}
}

// overview answers POST /creator/overview: one session's live dashboard
// now.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) error {
	var req sessionRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	ov, err := s.cfg.Shopee.Overview(r.Context(), l.auth, id)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": strconv.FormatInt(id, 10),
		"status":     liveStatus(ov.Status), "shopee_status": ov.Status,
		"region": l.auth.Region, "currency": l.auth.Region.Currency(),
		"metrics": newMetricsJSON(ov.Metrics)})
	return nil
}

type ongoingRequest struct {
	AccountID int64  `json:"account_id"`
	UID       int64  `json:"uid"`
	Region    string `json:"region"`
}

// liveOngoing answers POST /live/ongoing: whether a shop is on air now,
// by stored account or by its Shopee user id. The call needs no login.
func (s *Server) liveOngoing(w http.ResponseWriter, r *http.Request) error {
	var req ongoingRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	region, uid, err := s.shopOf(r.Context(), req)
	if err != nil {
		return err
	}

	live, err := s.cfg.Shopee.LiveOngoing(r.Context(), region, uid)
	if err != nil {
		return err
	}
	out := map[string]any{"uid": uid, "region": region, "live": live != nil,
		"session_id": nil, "title": nil, "share_link": nil}
	if live != nil {
		out["session_id"] = strconv.FormatInt(live.SessionID, 10)
		out["title"] = live.Title
		out["share_link"] = shopee.ShareLink(region, live.SessionID, uid)
	}
	s.writeData(w, http.StatusOK, out)
	return nil
}

// shopOf returns the region and Shopee user id a live-status request
// names: those of a stored account the caller may see, or as given (ID
// by default).
func (s *Server) shopOf(ctx context.Context,
	req ongoingRequest) (liveboard.Region, int64, error) {
	if req.AccountID != 0 {
		_, a, err := s.resolveAuth(ctx, shopeeCredentials{
			AccountID: req.AccountID}, liveboard.RoleViewer)
		if err != nil {
			return "", 0, err
		}
		return a.Region, a.ShopeeUserID, nil
	}
	if req.UID < 1 {
		return "", 0, liveboard.Errorf(liveboard.EInvalid,
			"give account_id (a connected account) or uid (a Shopee "+
				"user id)")
	}
	region, err := regionOr(req.Region, liveboard.RegionID)
	return region, req.UID, err
}

// regionOr parses a region, giving def for an empty one.
func regionOr(text string, def liveboard.Region) (liveboard.Region, error) {
	if strings.TrimSpace(text) == "" {
		return def, nil
	}
	return liveboard.ParseRegion(text)
}
