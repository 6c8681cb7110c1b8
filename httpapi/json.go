package httpapi

import (
	"time"

	"liveboard"
	"liveboard/alertjson"
	"liveboard/shopee"
)

// sessionJSON is a LiveSession as the API shows it: the specification's
// fields first, then everything else Liveboard knows. Money is in major
// currency units; times are in the account's region zone; a null metric
// is one Shopee did not report.
type sessionJSON struct {
	ID               int64            `json:"id"`
	StudioID         int64            `json:"studio_id"`
	ShopeeAccountID  int64            `json:"shopee_account_id"`
	SessionID        string           `json:"session_id"`
	SessionName      string           `json:"session_name"`
	Status           string           `json:"status"`
	TotalViewers     *int64           `json:"total_viewers"`
	TotalOrders      *int64           `json:"total_orders"`
	TotalRevenue     *liveboard.Money `json:"total_revenue"`
	TotalComments    *int64           `json:"total_comments"`
	TotalLikes       *int64           `json:"total_likes"`
	TotalShares      *int64           `json:"total_shares"`
	CampaignID       string           `json:"campaign_id"`
	CampaignBudget   liveboard.Money  `json:"campaign_budget"`
	CampaignSpent    liveboard.Money  `json:"campaign_spent"`
	CoinsDistributed int64            `json:"coins_distributed"`
	CoinTotalValue   liveboard.Money  `json:"coin_total_value"`
	CreatedAt        string           `json:"created_at"`

	Region           liveboard.Region `json:"region"`
	Currency         string           `json:"currency"`
	CoverImage       string           `json:"cover_image"`
	StartedAt        string           `json:"started_at"`
	EndedAt          *string          `json:"ended_at"`
	DurationSeconds  int64            `json:"duration_seconds"`
	ViewersNow       *int64           `json:"viewers_now"`
	PeakViewers      *int64           `json:"peak_viewers"`
	Views            *int64           `json:"views"`
	NewFollowers     *int64           `json:"new_followers"`
	AddToCart        *int64           `json:"add_to_cart"`
	ProductClicks    *int64           `json:"product_clicks"`
	Buyers           *int64           `json:"buyers"`
	ConfirmedOrders  *int64           `json:"confirmed_orders"`
	ConfirmedRevenue *liveboard.Money `json:"confirmed_revenue"`
	ItemsSold        *int64           `json:"items_sold"`
	AvgViewSeconds   *float64         `json:"avg_view_time_seconds"`
	CTR              *float64         `json:"ctr_percent"`
	ConversionRate   *float64         `json:"conversion_rate_percent"`
	SyncedAt         string           `json:"synced_at"`
	UpdatedAt        string           `json:"updated_at"`
	ShareLink        string           `json:"share_link"`
}

// regionTime writes t in the region's zone, RFC 3339, as alerts do.
func regionTime(t time.Time, region liveboard.Region) string {
	return alertjson.Time(t, region)
}

func newSessionJSON(se *liveboard.Session, a *liveboard.Account) sessionJSON {
	m := se.Metrics
	region := a.Region
	out := sessionJSON{
		ID: se.ID, StudioID: se.StudioID, ShopeeAccountID: se.AccountID,
		SessionID: se.ShopeeSessionID, SessionName: se.Title,
		Status:       string(se.Status),
		TotalViewers: m.Viewers, TotalOrders: m.PlacedOrders,
		TotalRevenue: m.PlacedGMV, TotalComments: m.Comments,
		TotalLikes: m.Likes, TotalShares: m.Shares,
		CampaignID: se.CampaignID, CampaignBudget: se.CampaignBudget,
		CampaignSpent: se.CampaignSpent, CoinsDistributed: se.CoinsDistributed,
		CoinTotalValue: se.CoinTotalValue,
		CreatedAt:      regionTime(se.CreatedAt, region),

		Region: region, Currency: region.Currency(),
		CoverImage:      se.CoverImage,
		StartedAt:       regionTime(se.StartedAt, region),
		DurationSeconds: int64(se.Duration / time.Second),
		ViewersNow:      m.ViewersNow, PeakViewers: m.PeakViewers,
		Views: m.Views, NewFollowers: m.NewFollowers, AddToCart: m.AddToCart,
		ProductClicks: m.ProductClicks, Buyers: m.Buyers,
		ConfirmedOrders: m.ConfirmedOrders, ConfirmedRevenue: m.ConfirmedGMV,
		ItemsSold: m.PlacedItemsSold, CTR: m.ClickThroughRate,
		ConversionRate: m.ConversionRate,
		SyncedAt:       regionTime(se.SyncedAt, region),
		UpdatedAt:      regionTime(se.UpdatedAt, region),
	}
	if se.EndedAt != nil {
		end := regionTime(*se.EndedAt, region)
		out.EndedAt = &end
	}
	if m.AvgViewTime != nil {
		secs := m.AvgViewTime.Seconds()
		out.AvgViewSeconds = &secs
	}
	if id, err := parseShopeeID(se.ShopeeSessionID); err == nil {
		out.ShareLink = shopee.ShareLink(region, id, a.ShopeeUserID)
	}
	return out
}

// snapshotJSON is one point of a session's time series.
type snapshotJSON struct {
	TakenAt          string           `json:"taken_at"`
	ViewersNow       *int64           `json:"viewers_now"`
	PeakViewers      *int64           `json:"peak_viewers"`
	TotalViewers     *int64           `json:"total_viewers"`
	Views            *int64           `json:"views"`
	TotalOrders      *int64           `json:"total_orders"`
	TotalRevenue     *liveboard.Money `json:"total_revenue"`
	ConfirmedOrders  *int64           `json:"confirmed_orders"`
	ConfirmedRevenue *liveboard.Money `json:"confirmed_revenue"`
	TotalComments    *int64           `json:"total_comments"`
	TotalLikes       *int64           `json:"total_likes"`
	TotalShares      *int64           `json:"total_shares"`
	AddToCart        *int64           `json:"add_to_cart"`
	CTR              *float64         `json:"ctr_percent"`
}

func newSnapshotJSON(s liveboard.Snapshot, region liveboard.Region) snapshotJSON {
	m := s.Metrics
	return snapshotJSON{
		TakenAt:    regionTime(s.TakenAt, region),
		ViewersNow: m.ViewersNow, PeakViewers: m.PeakViewers,
		TotalViewers: m.Viewers, Views: m.Views, TotalOrders: m.PlacedOrders,
		TotalRevenue: m.PlacedGMV, ConfirmedOrders: m.ConfirmedOrders,
		ConfirmedRevenue: m.ConfirmedGMV, TotalComments: m.Comments,
		TotalLikes: m.Likes, TotalShares: m.Shares, AddToCart: m.AddToCart,
		CTR: m.ClickThroughRate,
	}
}

// analyticsJSON is a LiveAnalytics row as the specification names it.
type analyticsJSON struct {
	ID                int64            `json:"id,omitempty"`
	StudioID          int64            `json:"studio_id"`
	Date              string           `json:"date,omitempty"`
	TotalSessions     int64            `json:"total_sessions"`
	TotalRevenue      liveboard.Money  `json:"total_revenue"`
	TotalViewers      int64            `json:"total_viewers"`
	TotalOrders       int64            `json:"total_orders"`
	AverageOrderValue *liveboard.Money `json:"average_order_value"`
	ConversionRate    float64          `json:"conversion_rate"`
	ROIPercentage     *float64         `json:"roi_percentage"`
	TotalAdSpend      liveboard.Money  `json:"total_ad_spend"`
	TotalCommission   liveboard.Money  `json:"total_commission"`
}

// newAnalyticsJSON shows d; its average order value is null on a day
// without orders and its ROI null on a day without ad spend, as neither
// is defined then.
func newAnalyticsJSON(d liveboard.DailyAnalytics) analyticsJSON {
	a := analyticsJSON{
		ID: d.ID, StudioID: d.StudioID, Date: d.Date,
		TotalSessions: d.TotalSessions, TotalRevenue: d.TotalRevenue,
		TotalViewers: d.TotalViewers, TotalOrders: d.TotalOrders,
		ConversionRate: d.ConversionRate,
		TotalAdSpend:   d.TotalAdSpend, TotalCommission: d.TotalCommission,
	}
	if d.TotalOrders > 0 {
		a.AverageOrderValue = &d.AverageOrderValue
	}
	if d.TotalAdSpend > 0 {
		a.ROIPercentage = &d.ROIPercentage
	}
	return a
}

// accountJSON shows an account and its health; never its login.
type accountJSON struct {
	ID                  int64            `json:"id"`
	StudioID            int64            `json:"studio_id"`
	Region              liveboard.Region `json:"region"`
	ShopeeUserID        int64            `json:"shopee_user_id"`
	UserName            string           `json:"user_name"`
	NeedsRelogin        bool             `json:"needs_relogin"`
	LastSuccessAt       *string          `json:"last_success_at"`
	LastErrorAt         *string          `json:"last_error_at"`
	LastError           string           `json:"last_error"`
	ConsecutiveFailures int              `json:"consecutive_failures"`
	CreatedAt           string           `json:"created_at"`
}

func newAccountJSON(a liveboard.Account) accountJSON {
	h := a.Health
	optional := func(t *time.Time) *string {
		if t == nil {
			return nil
		}
		s := regionTime(*t, a.Region)
		return &s
	}
	return accountJSON{
		ID: a.ID, StudioID: a.StudioID, Region: a.Region,
		ShopeeUserID: a.ShopeeUserID, UserName: a.UserName,
		NeedsRelogin:  h.NeedsRelogin,
		LastSuccessAt: optional(h.LastSuccessAt),
		LastErrorAt:   optional(h.LastErrorAt), LastError: h.LastError,
		ConsecutiveFailures: h.ConsecutiveFailures,
		CreatedAt:           regionTime(a.CreatedAt, a.Region),
	}
}

// studioJSON shows a studio and the caller's role in it.
type studioJSON struct {
	ID                    int64            `json:"id"`
	Name                  string           `json:"name"`
	Region                liveboard.Region `json:"region"`
	Currency              string           `json:"currency"`
	Timezone              string           `json:"timezone"`
	CommissionBasisPoints int64            `json:"commission_basis_points"`
	Role                  liveboard.Role   `json:"role"`
	CreatedAt             string           `json:"created_at"`
}

func newStudioJSON(st liveboard.Studio, role liveboard.Role) studioJSON {
	return studioJSON{
		ID: st.ID, Name: st.Name, Region: st.Region,
		Currency:              st.Region.Currency(),
		Timezone:              st.Region.Location().String(),
		CommissionBasisPoints: st.CommissionBasisPoints, Role: role,
		CreatedAt: regionTime(st.CreatedAt, st.Region),
	}
}
