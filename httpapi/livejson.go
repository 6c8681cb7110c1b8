package httpapi

import (
	"math"
	"time"

	"liveboard"
	"liveboard/alertjson"
)

// productJSON is a product's figures in a live session. Money is in major
// currency units; rates are Shopee's percentages.
type productJSON struct {
	ItemID             int64            `json:"item_id"`
	Title              string           `json:"title"`
	CoverImage         string           `json:"cover_image"`
	MinPrice           *liveboard.Money `json:"min_price"`
	MaxPrice           *liveboard.Money `json:"max_price"`
	Clicks             *int64           `json:"clicks"`
	CTR                *float64         `json:"ctr_percent"`
	AddToCart          *int64           `json:"add_to_cart"`
	Orders             *int64           `json:"orders"`
	Revenue            *liveboard.Money `json:"revenue"`
	ItemsSold          *int64           `json:"items_sold"`
	ConversionRate     *float64         `json:"conversion_rate_percent"`
	ConfirmedOrders    *int64           `json:"confirmed_orders"`
	ConfirmedRevenue   *liveboard.Money `json:"confirmed_revenue"`
	ConfirmedItemsSold *int64           `json:"confirmed_items_sold"`
	ConfirmedConvRate  *float64         `json:"confirmed_conversion_rate_percent"`
}

func newProductsJSON(ps []liveboard.Product) []productJSON {
	out := make([]productJSON, len(ps))
	for i, p := range ps {
		out[i] = productJSON{
			ItemID: p.ItemID, Title: p.Title, CoverImage: p.CoverImage,
			MinPrice: p.MinPrice, MaxPrice: p.MaxPrice, Clicks: p.Clicks,
			CTR: p.ClickThroughRate, AddToCart: p.AddToCart,
			Orders: p.Orders, Revenue: p.Revenue, ItemsSold: p.ItemsSold,
			ConversionRate:     p.ConversionRate,
			ConfirmedOrders:    p.ConfirmedOrders,
			ConfirmedRevenue:   p.ConfirmedRevenue,
			ConfirmedItemsSold: p.ConfirmedItemsSold,
			ConfirmedConvRate:  p.ConfirmedConversionRate,
		}
	}
	return out
}

// liveEventJSON is one snapshot as the live stream sends it.
type liveEventJSON struct {
	Seq         int64            `json:"seq"`
	StudioID    int64            `json:"studio_id"`
	AccountID   int64            `json:"shopee_account_id"`
	ID          int64            `json:"id"`
	SessionID   string           `json:"session_id"`
	SessionName string           `json:"session_name"`
	Status      string           `json:"status"`
	Region      liveboard.Region `json:"region"`
	Currency    string           `json:"currency"`
	Snapshot    snapshotJSON     `json:"snapshot"`
	TopProducts []productJSON    `json:"top_products"`
}

func newLiveEventJSON(ev liveboard.SnapshotEvent) liveEventJSON {
	return liveEventJSON{
		Seq: ev.Seq, StudioID: ev.StudioID, AccountID: ev.AccountID,
		ID: ev.SessionID, SessionID: ev.ShopeeSessionID,
		SessionName: ev.Title, Status: string(ev.Status), Region: ev.Region,
		Currency:    ev.Region.Currency(),
		Snapshot:    newSnapshotJSON(ev.Snapshot, ev.Region),
		TopProducts: newProductsJSON(ev.TopProducts),
	}
}

// minutes returns d in minutes, as alerts write them.
func minutes(d time.Duration) float64 { return alertjson.Minutes(d) }

// fromMinutes reads minutes into a duration, rounded to the second.
// Amounts beyond a year are held at a year, either way, so that a huge
// number fails the rules' range checks instead of overflowing into one
// that passes.
func fromMinutes(m float64) time.Duration {
	const limit = 366 * 24 * 60
	m = max(min(m, limit), -limit)
	return time.Duration(math.Round(m*60)) * time.Second
}

// optionalTime writes a time in the region's zone, or null.
func optionalTime(t *time.Time, region liveboard.Region) *string {
	return alertjson.OptionalTime(t, region)
}

type deliveryJSON struct {
	ChannelID   int64   `json:"channel_id"`
	ChannelKind string  `json:"channel_kind"`
	ChannelName string  `json:"channel_name"`
	Status      string  `json:"status"`
	Attempts    int     `json:"attempts"`
	LastError   string  `json:"last_error"`
	SentAt      *string `json:"sent_at"`
	UpdatedAt   string  `json:"updated_at"`
}

// alertJSON is an alert of the inbox, its times in its account's zone:
// the fields webhooks carry too, then where the alert stands.
type alertJSON struct {
	alertjson.Alert
	Open           bool           `json:"open"`
	ResolvedAt     *string        `json:"resolved_at"`
	AcknowledgedAt *string        `json:"acknowledged_at"`
	AcknowledgedBy *int64         `json:"acknowledged_by"`
	Deliveries     []deliveryJSON `json:"deliveries"`
}

func newAlertJSON(a liveboard.Alert, region liveboard.Region) alertJSON {
	out := alertJSON{
		Alert:          alertjson.New(&a, region),
		Open:           a.ResolvedAt == nil,
		ResolvedAt:     optionalTime(a.ResolvedAt, region),
		AcknowledgedAt: optionalTime(a.AcknowledgedAt, region),
		Deliveries:     []deliveryJSON{},
	}
	if a.AcknowledgedBy != 0 {
		out.AcknowledgedBy = &a.AcknowledgedBy
	}
	for _, d := range a.Deliveries {
		out.Deliveries = append(out.Deliveries, deliveryJSON{
			ChannelID: d.ChannelID, ChannelKind: string(d.ChannelKind),
			ChannelName: d.ChannelName, Status: string(d.Status),
			Attempts: d.Attempts, LastError: d.LastError,
			SentAt:    optionalTime(d.SentAt, region),
			UpdatedAt: regionTime(d.UpdatedAt, region),
		})
	}
	return out
}

// rulesJSON is a studio's alert rules; durations are in minutes.
type rulesJSON struct {
	StudioID        int64          `json:"studio_id"`
	ViewerDrop      viewerDropJSON `json:"viewer_drop"`
	NoOrders        noOrdersJSON   `json:"no_orders"`
	EarlyEnd        earlyEndJSON   `json:"early_end"`
	Relogin         reloginJSON    `json:"relogin"`
	CooldownMinutes float64        `json:"cooldown_minutes"`
	UpdatedAt       *string        `json:"updated_at"`
}

type viewerDropJSON struct {
	Enabled       bool    `json:"enabled"`
	Percent       float64 `json:"percent"`
	WindowMinutes float64 `json:"window_minutes"`
	MinViewers    int64   `json:"min_viewers"`
}

type noOrdersJSON struct {
	Enabled       bool    `json:"enabled"`
	WindowMinutes float64 `json:"window_minutes"`
	MinViewers    int64   `json:"min_viewers"`
}

type earlyEndJSON struct {
	Enabled    bool    `json:"enabled"`
	Percent    float64 `json:"percent"`
	MinMinutes float64 `json:"min_minutes"`
}

type reloginJSON struct {
	Enabled bool `json:"enabled"`
}

func newRulesJSON(r liveboard.AlertRules,
	region liveboard.Region) rulesJSON {
	return rulesJSON{
		StudioID: r.StudioID,
		ViewerDrop: viewerDropJSON{Enabled: r.ViewerDrop.Enabled,
			Percent:       r.ViewerDrop.Percent,
			WindowMinutes: minutes(r.ViewerDrop.Window),
			MinViewers:    r.ViewerDrop.MinLevel},
		NoOrders: noOrdersJSON{Enabled: r.NoOrders.Enabled,
			WindowMinutes: minutes(r.NoOrders.Window),
			MinViewers:    r.NoOrders.MinViewers},
		EarlyEnd: earlyEndJSON{Enabled: r.EarlyEnd.Enabled,
			Percent:    r.EarlyEnd.Percent,
			MinMinutes: minutes(r.EarlyEnd.MinDuration)},
		Relogin:         reloginJSON{Enabled: r.Relogin.Enabled},
		CooldownMinutes: minutes(r.Cooldown),
		UpdatedAt:       optionalTime(r.UpdatedAt, region),
	}
}

// channelJSON shows a channel without its secrets.
type channelJSON struct {
	ID        int64  `json:"id"`
	StudioID  int64  `json:"studio_id"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Enabled   bool   `json:"enabled"`
	Target    string `json:"target"`
	CreatedAt string `json:"created_at"`
}

func newChannelJSON(ch liveboard.Channel,
	region liveboard.Region) channelJSON {
	return channelJSON{ID: ch.ID, StudioID: ch.StudioID,
		Kind: string(ch.Kind), Name: ch.Name, Enabled: ch.Enabled,
		Target: ch.Target, CreatedAt: regionTime(ch.CreatedAt, region)}
}
