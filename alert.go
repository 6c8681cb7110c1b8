package liveboard

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// AlertRule names what an alert is about.
type AlertRule string

// The alert rules.
const (
	// RuleViewerDrop: viewers fell sharply against the session's recent
	// level.
	RuleViewerDrop AlertRule = "viewer_drop"
	// RuleNoOrders: no order for a while although many are watching.
	RuleNoOrders AlertRule = "no_orders"
	// RuleEarlyEnd: a session ended much sooner than the account's usual.
	RuleEarlyEnd AlertRule = "early_end"
	// RuleRelogin: an account's Shopee login must be renewed.
	RuleRelogin AlertRule = "relogin"
	// RuleTest marks the message a channel's test sends; no alert is
	// stored with it, and ParseAlertRule does not accept it.
	RuleTest AlertRule = "test"
)

// ParseAlertRule returns the rule named by s.
func ParseAlertRule(s string) (AlertRule, error) {
	switch r := AlertRule(s); r {
	case RuleViewerDrop, RuleNoOrders, RuleEarlyEnd, RuleRelogin:
		return r, nil
	}
	return "", Errorf(EInvalid, "unknown alert rule %q (want viewer_drop, "+
		"no_orders, early_end or relogin)", s)
}

// AlertRules are a studio's alert settings. Each rule can be switched off
// on its own.
type AlertRules struct {
	StudioID int64

	ViewerDrop ViewerDropRule
	NoOrders   NoOrdersRule
	EarlyEnd   EarlyEndRule
	Relogin    ReloginRule

	// Cooldown is the least time between two alerts of one rule about
	// the same session or account, even when the first one's episode has
	// ended.
	Cooldown time.Duration

	// UpdatedAt is when the rules were last saved; nil for the defaults.
	UpdatedAt *time.Time
}

// ViewerDropRule fires when viewers now are at least Percent below the
// highest level the session had in the Window before, provided that level
// was at least MinLevel viewers.
type ViewerDropRule struct {
	Enabled  bool
	Percent  float64
	Window   time.Duration
	MinLevel int64
}

// NoOrdersRule fires when a session's placed orders have not moved for
// Window while viewers now stayed at or above MinViewers throughout.
type NoOrdersRule struct {
	Enabled    bool
	Window     time.Duration
	MinViewers int64
}

// EarlyEndRule fires when a session ends after running less than
// MinDuration, or less than Percent of the median length of the account's
// recent sessions (when it has at least MinHistory of them).
type EarlyEndRule struct {
	Enabled     bool
	Percent     float64
	MinDuration time.Duration
}

// ReloginRule fires when an account is marked as needing a new login.
type ReloginRule struct {
	Enabled bool
}

// MinHistory is how many ended sessions of an account EarlyEndRule needs
// before it compares a session with their usual length; HistoryLength is
// how many of the latest it looks at.
const (
	MinHistory    = 3
	HistoryLength = 10
)

// DefaultAlertRules returns the rules a studio has until it saves its own:
// every rule on; a drop of 30% within 5 minutes from at least 50 viewers;
// 15 minutes without an order while at least 100 watch; an end before 20
// minutes or before half the usual length; 15 minutes of cooldown.
func DefaultAlertRules(studioID int64) AlertRules {
	return AlertRules{
		StudioID: studioID,
		ViewerDrop: ViewerDropRule{Enabled: true, Percent: 30,
			Window: 5 * time.Minute, MinLevel: 50},
		NoOrders: NoOrdersRule{Enabled: true, Window: 15 * time.Minute,
			MinViewers: 100},
		EarlyEnd: EarlyEndRule{Enabled: true, Percent: 50,
			MinDuration: 20 * time.Minute},
		Relogin:  ReloginRule{Enabled: true},
		Cooldown: 15 * time.Minute,
	}
}

// Validate returns an EInvalid error naming the first setting out of
// range.
func (r AlertRules) Validate() error {
	checks := []struct {
		ok   bool
		what string
	}{
		{r.ViewerDrop.Percent > 0 && r.ViewerDrop.Percent <= 100,
			"viewer_drop.percent must be above 0 and at most 100"},
		{between(r.ViewerDrop.Window, time.Minute, 2*time.Hour),
			"viewer_drop.window_minutes must be from 1 to 120"},
		{r.ViewerDrop.MinLevel >= 0,
			"viewer_drop.min_viewers must not be negative"},
		{between(r.NoOrders.Window, time.Minute, 24*time.Hour),
			"no_orders.window_minutes must be from 1 to 1440"},
		{r.NoOrders.MinViewers >= 0,
			"no_orders.min_viewers must not be negative"},
		{r.EarlyEnd.Percent >= 0 && r.EarlyEnd.Percent <= 100,
			"early_end.percent must be from 0 to 100"},
		{between(r.EarlyEnd.MinDuration, 0, 24*time.Hour),
			"early_end.min_minutes must be from 0 to 1440"},
		{between(r.Cooldown, 0, 24*time.Hour),
			"cooldown_minutes must be from 0 to 1440"},
	}
	for _, c := range checks {
		if !c.ok {
			return Errorf(EInvalid, "%s", c.what)
		}
	}
	return nil
}

func between(d, lo, hi time.Duration) bool { return d >= lo && d <= hi }

// HistoryWindow is how far back of a session's snapshots the rules read.
func (r AlertRules) HistoryWindow() time.Duration {
	return max(r.ViewerDrop.Window, r.NoOrders.Window)
}

// Evidence is what made an alert fire: the figures a person needs to judge
// it. Only the fields of the alert's rule are set.
type Evidence struct {
	// Viewer drop: the highest viewers now in the window (Level, at
	// LevelAt), what they were when the alert fired (Viewers, at
	// ViewersAt), and the fall in percent of Level.
	Level       *int64
	LevelAt     *time.Time
	Viewers     *int64
	ViewersAt   *time.Time
	DropPercent *float64
	Window      time.Duration

	// No orders: placed orders unchanged since OrdersSince, and the
	// fewest viewers now seen meanwhile.
	Orders      *int64
	OrdersSince *time.Time
	MinViewers  *int64

	// Early end: how long the session ran and the account's usual length
	// (zero when it has too few sessions to tell).
	Duration time.Duration
	Usual    time.Duration

	// Relogin: the error Shopee answered with.
	Error string
}

// CheckDrop reports whether cur, the session's latest snapshot, shows a
// viewer drop against history, the session's earlier snapshots, oldest
// first. A snapshot with unknown viewers never counts: not as a level,
// and not as a drop.
func (r ViewerDropRule) CheckDrop(history []Snapshot,
	cur Snapshot) (Evidence, bool) {
	if !r.Enabled || cur.Metrics.ViewersNow == nil {
		return Evidence{}, false
	}

	var level *Snapshot
	from := cur.TakenAt.Add(-r.Window)
	for i := range history {
		s := &history[i]
		v := s.Metrics.ViewersNow
		if v == nil || s.TakenAt.Before(from) ||
			!s.TakenAt.Before(cur.TakenAt) {
			continue
		}
		if level == nil || *v > *level.Metrics.ViewersNow {
			level = s
		}
	}
	if level == nil {
		return Evidence{}, false
	}

	top, now := *level.Metrics.ViewersNow, *cur.Metrics.ViewersNow
	if top <= 0 || top < r.MinLevel {
		return Evidence{}, false
	}
	drop := float64(top-now) / float64(top) * 100
	if drop < r.Percent {
		return Evidence{}, false
	}
	return Evidence{
		Level: &top, LevelAt: &level.TakenAt,
		Viewers: &now, ViewersAt: &cur.TakenAt,
		DropPercent: Ptr(math.Round(drop*10) / 10),
		Window:      r.Window,
	}, true
}

// CheckNoOrders reports whether cur, the session's latest snapshot, ends
// a stretch of at least Window with no new placed order while viewers now
// stayed at or above MinViewers; history is the session's earlier
// snapshots, oldest first. The stretch must be covered by known figures:
// a snapshot with unknown orders or viewers neither starts nor breaks it.
func (r NoOrdersRule) CheckNoOrders(history []Snapshot,
	cur Snapshot) (Evidence, bool) {
	m := cur.Metrics
	if !r.Enabled || m.PlacedOrders == nil || m.ViewersNow == nil ||
		*m.ViewersNow < r.MinViewers {
		return Evidence{}, false
	}

	orders, fewest := *m.PlacedOrders, *m.ViewersNow
	from := cur.TakenAt.Add(-r.Window)
	var since *time.Time
	covered := false
	for i := len(history) - 1; i >= 0; i-- {
		s := &history[i]
		if !s.TakenAt.Before(cur.TakenAt) {
			continue
		}
		o, v := s.Metrics.PlacedOrders, s.Metrics.ViewersNow
		if o != nil && *o != orders {
			break
		}
		if !covered && v != nil {
			if *v < r.MinViewers {
				return Evidence{}, false
			}
			fewest = min(fewest, *v)
		}
		if o != nil {
			since = &s.TakenAt
			covered = covered || !s.TakenAt.After(from)
		}
	}
	if !covered {
		return Evidence{}, false
	}
	return Evidence{Orders: &orders, OrdersSince: since,
		MinViewers: &fewest, Window: r.Window}, true
}

// CheckEarlyEnd reports whether a session that ran for ran ended early,
// given the lengths of the account's other recent sessions.
func (r EarlyEndRule) CheckEarlyEnd(ran time.Duration,
	recent []time.Duration) (Evidence, bool) {
	if !r.Enabled {
		return Evidence{}, false
	}
	ev := Evidence{Duration: ran}
	if len(recent) >= MinHistory {
		ev.Usual = median(recent)
	}
	limit := r.MinDuration
	if share := time.Duration(float64(ev.Usual) * r.Percent / 100); share > limit {
		limit = share
	}
	return ev, ran < limit
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// SessionSubject and AccountSubject name what an alert is about; one
// rule has at most one open alert per subject.
func SessionSubject(sessionID int64) string {
	return "session:" + strconv.FormatInt(sessionID, 10)
}

// AccountSubject names an account as an alert's subject.
func AccountSubject(accountID int64) string {
	return "account:" + strconv.FormatInt(accountID, 10)
}

// Alert is one episode of a rule firing about a session or an account:
// stored in the studio's inbox with its evidence and sent to the studio's
// channels. It is open until the condition clears (ResolvedAt), and
// stays in the inbox until someone acknowledges it.
type Alert struct {
	ID        int64
	StudioID  int64
	AccountID int64
	// SessionID is our id of the session; 0 for an account alert.
	SessionID       int64
	ShopeeSessionID string

	Rule    AlertRule
	Subject string
	// Title is a short headline; Message says everything in one
	// paragraph, for people.
	Title    string
	Message  string
	Evidence Evidence

	FiredAt        time.Time
	ResolvedAt     *time.Time
	AcknowledgedAt *time.Time
	// AcknowledgedBy is the user who acknowledged it.
	AcknowledgedBy int64

	Deliveries []Delivery
}

// AlertFilter selects alerts of the inbox. Zero fields do not filter.
type AlertFilter struct {
	// StudioIDs limits the result to these studios; nil means all, empty
	// means none.
	StudioIDs []int64
	AccountID int64
	Rule      AlertRule
	// Open selects alerts whose condition still holds (true) or has
	// cleared (false).
	Open *bool
	// Acknowledged selects acknowledged (true) or unread (false) alerts.
	Acknowledged *bool

	// Limit caps the page; alerts come newest first.
	Limit  int
	Offset int
}
