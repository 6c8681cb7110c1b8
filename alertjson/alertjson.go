// Package alertjson is the JSON form of an alert that the API and the
// webhooks share, so that both name its fields and write its figures the
// same way: shopee_account_id is the account, live_session_id Liveboard's
// id of the session and session_id Shopee's; times are RFC 3339 to the
// second in the zone of the account's region; durations are minutes.
package alertjson

import (
	"math"
	"time"

	"liveboard"
)

// Alert is what fired: the fields an alert has from the moment it fires.
// The API adds where the alert stands (open, acknowledged, delivered).
type Alert struct {
	ID        int64 `json:"id"`
	StudioID  int64 `json:"studio_id"`
	AccountID int64 `json:"shopee_account_id"`
	// LiveSessionID is Liveboard's id of the session; null for an alert
	// about an account.
	LiveSessionID *int64 `json:"live_session_id"`
	// SessionID is Shopee's id of the session; empty for an alert about
	// an account.
	SessionID string   `json:"session_id"`
	Rule      string   `json:"rule"`
	Title     string   `json:"title"`
	Message   string   `json:"message"`
	Evidence  Evidence `json:"evidence"`
	FiredAt   string   `json:"fired_at"`
}

// Evidence holds the figures that fired an alert; only its rule's are
// present.
type Evidence struct {
	Level           *int64   `json:"level,omitempty"`
	LevelAt         *string  `json:"level_at,omitempty"`
	Viewers         *int64   `json:"viewers,omitempty"`
	ViewersAt       *string  `json:"viewers_at,omitempty"`
	DropPercent     *float64 `json:"drop_percent,omitempty"`
	WindowMinutes   *float64 `json:"window_minutes,omitempty"`
	Orders          *int64   `json:"orders,omitempty"`
	OrdersSince     *string  `json:"orders_since,omitempty"`
	MinViewers      *int64   `json:"min_viewers,omitempty"`
	DurationMinutes *float64 `json:"duration_minutes,omitempty"`
	UsualMinutes    *float64 `json:"usual_minutes,omitempty"`
	Error           string   `json:"error,omitempty"`
}

// New returns a's JSON form, its times in region's zone.
func New(a *liveboard.Alert, region liveboard.Region) Alert {
	out := Alert{
		ID: a.ID, StudioID: a.StudioID, AccountID: a.AccountID,
		SessionID: a.ShopeeSessionID, Rule: string(a.Rule),
		Title: a.Title, Message: a.Message,
		Evidence: NewEvidence(a.Evidence, region),
		FiredAt:  Time(a.FiredAt, region),
	}
	if a.SessionID != 0 {
		out.LiveSessionID = &a.SessionID
	}
	return out
}

// NewEvidence returns e's JSON form, its times in region's zone.
func NewEvidence(e liveboard.Evidence, region liveboard.Region) Evidence {
	return Evidence{
		Level: e.Level, LevelAt: OptionalTime(e.LevelAt, region),
		Viewers: e.Viewers, ViewersAt: OptionalTime(e.ViewersAt, region),
		DropPercent:   e.DropPercent,
		WindowMinutes: nonZeroMinutes(e.Window), Orders: e.Orders,
		OrdersSince:     OptionalTime(e.OrdersSince, region),
		MinViewers:      e.MinViewers,
		DurationMinutes: nonZeroMinutes(e.Duration),
		UsualMinutes:    nonZeroMinutes(e.Usual), Error: e.Error,
	}
}

// Time writes t in region's zone, RFC 3339, to the second.
func Time(t time.Time, region liveboard.Region) string {
	return t.In(region.Location()).Format(time.RFC3339)
}

// OptionalTime writes t as Time does, or returns nil for a nil t.
func OptionalTime(t *time.Time, region liveboard.Region) *string {
	if t == nil {
		return nil
	}
	s := Time(*t, region)
	return &s
}

// Minutes returns d in minutes, to four decimals.
func Minutes(d time.Duration) float64 {
	return math.Round(d.Minutes()*1e4) / 1e4
}

func nonZeroMinutes(d time.Duration) *float64 {
	if d == 0 {
		return nil
	}
	m := Minutes(d)
	return &m
}
