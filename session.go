package liveboard

import "time"

// SessionStatus is where a live session is in its life.
type SessionStatus string

// The session statuses, as the API names them.
const (
	SessionOngoing SessionStatus = "ongoing"
	SessionEnded   SessionStatus = "ended"
)

// ParseSessionStatus returns the status named by s.
func ParseSessionStatus(s string) (SessionStatus, error) {
	switch st := SessionStatus(s); st {
	case SessionOngoing, SessionEnded:
		return st, nil
	}
	return "", Errorf(EInvalid, "unknown session status %q "+
		"(want ongoing or ended)", s)
}

// Session is one live stream of an account, as last synced from Shopee.
type Session struct {
	ID        int64
	StudioID  int64
	AccountID int64

	// ShopeeSessionID is Shopee's id of the session, in decimal.
	ShopeeSessionID string
	Title           string
	CoverImage      string
	Status          SessionStatus

	StartedAt time.Time
	// EndedAt is set once the session is known to have ended.
	EndedAt *time.Time
	// Duration is how long the session had run when last synced.
	Duration time.Duration

	Metrics Metrics

	// Ads campaign attached to the session, when one is known. Shopee's
	// session reads carry no ads figures, so these stay empty unless a
	// client sets them; daily analytics take ad spend from AdSpend
	// instead and never count CampaignSpent.
	CampaignID     string
	CampaignBudget Money
	CampaignSpent  Money

	// Coins given to viewers during the session.
	CoinsDistributed int64
	CoinTotalValue   Money

	// SyncedAt is when the metrics were read from Shopee. FinalSyncedAt
	// is set by the full sync after the session ended; such a session is
	// archived and not fetched again.
	SyncedAt      time.Time
	FinalSyncedAt *time.Time

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Metrics are a live session's counters at one moment. A nil field is a
// metric Shopee did not report; it is unknown, never zero.
type Metrics struct {
	// ViewersNow is the number of people watching at that moment
	// (concurrent viewers); PeakViewers the highest it has been.
	ViewersNow  *int64
	PeakViewers *int64
	// Viewers counts unique viewers; Views counts every view.
	Viewers *int64
	Views   *int64

	Comments      *int64
	Likes         *int64
	Shares        *int64
	NewFollowers  *int64
	AddToCart     *int64
	ProductClicks *int64
	Buyers        *int64

	PlacedOrders    *int64
	PlacedGMV       *Money
	ConfirmedOrders *int64
	ConfirmedGMV    *Money
	PlacedItemsSold *int64

	// AvgViewTime is the mean time a viewer stayed.
	AvgViewTime *time.Duration
	// ClickThroughRate and ConversionRate are percentages (0–100) as
	// Shopee reports them.
	ClickThroughRate *float64
	ConversionRate   *float64
}

// Merge returns m with every unknown field taken from prev: a metric
// Shopee did not report this time keeps its last known value.
func (m Metrics) Merge(prev Metrics) Metrics {
	keep(&m.ViewersNow, prev.ViewersNow)
	keep(&m.PeakViewers, prev.PeakViewers)
	keep(&m.Viewers, prev.Viewers)
	keep(&m.Views, prev.Views)
	keep(&m.Comments, prev.Comments)
	keep(&m.Likes, prev.Likes)
	keep(&m.Shares, prev.Shares)
	keep(&m.NewFollowers, prev.NewFollowers)
	keep(&m.AddToCart, prev.AddToCart)
	keep(&m.ProductClicks, prev.ProductClicks)
	keep(&m.Buyers, prev.Buyers)
	keep(&m.PlacedOrders, prev.PlacedOrders)
	keep(&m.PlacedGMV, prev.PlacedGMV)
	keep(&m.ConfirmedOrders, prev.ConfirmedOrders)
	keep(&m.ConfirmedGMV, prev.ConfirmedGMV)
	keep(&m.PlacedItemsSold, prev.PlacedItemsSold)
	keep(&m.AvgViewTime, prev.AvgViewTime)
	keep(&m.ClickThroughRate, prev.ClickThroughRate)
	keep(&m.ConversionRate, prev.ConversionRate)
	return m
}

func keep[T any](dst **T, prev *T) {
	if *dst == nil {
		*dst = prev
	}
}

// Snapshot is a session's metrics at one moment: one point of its time
// series.
type Snapshot struct {
	ID        int64
	SessionID int64
	TakenAt   time.Time
	Metrics   Metrics

	// Seq orders snapshots by when they were stored, over every session:
	// a snapshot stored later has a higher Seq. The live stream uses it
	// as its event id.
	Seq int64
	// TopProducts are the session's best-selling products as last known
	// when the snapshot was stored; see TopProducts.
	TopProducts []Product
}

// DailyAnalytics sums a studio's sessions that started on one day in the
// studio's time zone.
type DailyAnalytics struct {
	ID       int64
	StudioID int64
	// Date is the day, YYYY-MM-DD, in the studio's time zone.
	Date string

	TotalSessions int64
	TotalViewers  int64
	TotalOrders   int64
	TotalRevenue  Money
	// TotalAdSpend is what the studio's accounts spent on ads on Date, as
	// stored by campaign optimisation (see AdSpend); zero for days it
	// did not read.
	TotalAdSpend Money
	// TotalCommission is TotalRevenue times the studio's commission rate.
	TotalCommission Money

	// AverageOrderValue is TotalRevenue / TotalOrders.
	AverageOrderValue Money
	// ConversionRate is TotalOrders / TotalViewers, a fraction (0–1).
	ConversionRate float64
	// ROIPercentage is (TotalRevenue − TotalAdSpend − TotalCommission) /
	// TotalAdSpend × 100; zero when there was no ad spend.
	ROIPercentage float64

	UpdatedAt time.Time
}

// Ptr returns a pointer to v; handy for Metrics literals.
func Ptr[T any](v T) *T { return &v }
