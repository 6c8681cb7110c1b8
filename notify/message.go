package notify

import (
	"strconv"
	"time"

	"liveboard"
)

// Text returns the alert as a chat message: its title, then its message,
// marked as a test when test is set.
func Text(a *liveboard.Alert, test bool) string {
	head := "Liveboard alert: " + a.Title
	if test {
		head = "Liveboard test: " + a.Title
	}
	if a.Message == "" {
		return head
	}
	return head + "\n" + a.Message
}

// Payload is the JSON body a webhook receives.
type Payload struct {
	// Event is always "alert".
	Event string `json:"event"`
	// Test is true for a message sent only to check the channel.
	Test  bool         `json:"test"`
	Alert AlertPayload `json:"alert"`
}

// AlertPayload is an alert in a webhook's body. Times are RFC 3339 in UTC.
type AlertPayload struct {
	ID              int64           `json:"id"`
	StudioID        int64           `json:"studio_id"`
	AccountID       int64           `json:"account_id"`
	SessionID       *int64          `json:"session_id"`
	ShopeeSessionID string          `json:"shopee_session_id,omitempty"`
	Rule            string          `json:"rule"`
	Title           string          `json:"title"`
	Message         string          `json:"message"`
	FiredAt         time.Time       `json:"fired_at"`
	Evidence        EvidencePayload `json:"evidence"`
}

// EvidencePayload holds the figures behind an alert; only those of its
// rule are present.
type EvidencePayload struct {
	Level           *int64     `json:"level,omitempty"`
	LevelAt         *time.Time `json:"level_at,omitempty"`
	Viewers         *int64     `json:"viewers,omitempty"`
	ViewersAt       *time.Time `json:"viewers_at,omitempty"`
	DropPercent     *float64   `json:"drop_percent,omitempty"`
	WindowMinutes   *float64   `json:"window_minutes,omitempty"`
	Orders          *int64     `json:"orders,omitempty"`
	OrdersSince     *time.Time `json:"orders_since,omitempty"`
	MinViewers      *int64     `json:"min_viewers,omitempty"`
	DurationMinutes *float64   `json:"duration_minutes,omitempty"`
	UsualMinutes    *float64   `json:"usual_minutes,omitempty"`
	Error           string     `json:"error,omitempty"`
}

func newPayload(a *liveboard.Alert, test bool) Payload {
	p := Payload{Event: "alert", Test: test, Alert: AlertPayload{
		ID: a.ID, StudioID: a.StudioID, AccountID: a.AccountID,
		ShopeeSessionID: a.ShopeeSessionID, Rule: string(a.Rule),
		Title: a.Title, Message: a.Message, FiredAt: a.FiredAt.UTC(),
		Evidence: newEvidencePayload(a.Evidence),
	}}
	if a.SessionID != 0 {
		p.Alert.SessionID = &a.SessionID
	}
	return p
}

func newEvidencePayload(e liveboard.Evidence) EvidencePayload {
	return EvidencePayload{
		Level: e.Level, LevelAt: utc(e.LevelAt), Viewers: e.Viewers,
		ViewersAt: utc(e.ViewersAt), DropPercent: e.DropPercent,
		WindowMinutes: minutes(e.Window), Orders: e.Orders,
		OrdersSince: utc(e.OrdersSince), MinViewers: e.MinViewers,
		DurationMinutes: minutes(e.Duration), UsualMinutes: minutes(e.Usual),
		Error: e.Error,
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// minutes returns d in minutes, two decimals; nil for zero.
func minutes(d time.Duration) *float64 {
	if d == 0 {
		return nil
	}
	m, _ := strconv.ParseFloat(strconv.FormatFloat(d.Minutes(), 'f', 2, 64),
		64)
	return &m
}
