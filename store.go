package liveboard

import (
	"context"
	"time"
)

// Cipher seals secrets for storage and opens them again. Shopee logins are
// only ever stored sealed.
type Cipher interface {
	Seal(plaintext []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// SessionFilter selects stored sessions. Zero fields do not filter.
type SessionFilter struct {
	// StudioIDs limits the result to these studios. A nil slice means
	// every studio; an empty, non-nil slice matches nothing.
	StudioIDs []int64
	AccountID int64
	Status    SessionStatus
	// ShopeeSessionID matches Shopee's id of the session.
	ShopeeSessionID string

	// StartedFrom and StartedBefore bound StartedAt: From ≤ t < Before.
	StartedFrom   time.Time
	StartedBefore time.Time

	// Sort orders the sessions; newest first when empty.
	Sort SessionSort

	// Limit caps the page (the store applies its own maximum); Offset
	// skips rows.
	Limit  int
	Offset int
}

// SessionSort is an order of a session list. Metrics Shopee did not
// report count as zero; ties go newest first.
type SessionSort string

// The orders of a session list.
const (
	SortNewest SessionSort = ""
	SortOldest SessionSort = "oldest"
	// SortGMV puts the highest placed GMV first; SortOrders the most
	// placed orders; SortViewers the highest peak of concurrent viewers.
	SortGMV     SessionSort = "gmv"
	SortOrders  SessionSort = "orders"
	SortViewers SessionSort = "viewers"
)

// SessionSorts lists every order of a session list, the default first.
var SessionSorts = []SessionSort{SortNewest, SortOldest, SortGMV,
	SortOrders, SortViewers}

// ParseSessionSort returns the order named by s; "" or "newest" is the
// default.
func ParseSessionSort(s string) (SessionSort, error) {
	if s == "newest" {
		return SortNewest, nil
	}
	for _, o := range SessionSorts {
		if SessionSort(s) == o {
			return o, nil
		}
	}
	return "", Errorf(EInvalid, "unknown sort %q (want newest, oldest, "+
		"gmv, orders or viewers)", s)
}

// Store keeps Liveboard's data. Methods return an *Error with ENotFound
// when the thing asked for does not exist, EConflict when a write would
// break a uniqueness rule and EInvalid for values the schema refuses; any
// other error is internal. Times go in and come out in UTC.
type Store interface {
	// CreateStudio stores s and sets its ID and CreatedAt.
	CreateStudio(ctx context.Context, s *Studio) error
	Studio(ctx context.Context, id int64) (*Studio, error)
	// Studios lists every studio, oldest first.
	Studios(ctx context.Context) ([]Studio, error)

	// CreateAccount stores a under its studio with its Shopee login,
	// sealed, and sets a's ID and timestamps. An account with the same
	// region and Shopee user already in the studio is EConflict; a
	// removed one comes back under its old ID, with fresh health.
	CreateAccount(ctx context.Context, a *Account, cookies string) error
	Account(ctx context.Context, id int64) (*Account, error)
	// Accounts lists a studio's accounts, or every account for studio 0;
	// removed accounts are left out. Account returns them too.
	Accounts(ctx context.Context, studioID int64) ([]Account, error)
	// AccountCookies returns the account's Shopee login, opened.
	AccountCookies(ctx context.Context, id int64) (string, error)
	// ReplaceAccountCookies swaps in a new login and clears NeedsRelogin.
	ReplaceAccountCookies(ctx context.Context, id int64, cookies string) error
	// RecordAccountSuccess notes a successful Shopee call at t and resets
	// the failure count.
	RecordAccountSuccess(ctx context.Context, id int64, t time.Time) error
	// RecordAccountFailure notes a failed Shopee call at t; relogin marks
	// the account as needing a new login.
	RecordAccountFailure(ctx context.Context, id int64, t time.Time,
		msg string, relogin bool) error

	// Session returns a stored session by our id.
	Session(ctx context.Context, id int64) (*Session, error)
	// SessionByShopeeID returns an account's session by Shopee's id.
	SessionByShopeeID(ctx context.Context, accountID int64,
		shopeeID string) (*Session, error)
	// SaveSession inserts or updates s, keyed by its account and Shopee
	// session id, and sets its ID. When snap is not nil it is stored in
	// the same transaction, unless the latest snapshot of the session
	// already holds the same metrics. Either both are written or neither.
	SaveSession(ctx context.Context, s *Session, snap *Snapshot) error
	// Sessions returns one page of sessions matching f, newest first, and
	// how many match in all.
	Sessions(ctx context.Context, f SessionFilter) ([]Session, int, error)
	// Snapshots returns a session's snapshots taken at or after since,
	// oldest first.
	Snapshots(ctx context.Context, sessionID int64,
		since time.Time) ([]Snapshot, error)

	// SaveDailyAnalytics inserts or replaces the row for d's studio and
	// date and sets d's ID.
	SaveDailyAnalytics(ctx context.Context, d *DailyAnalytics) error
	// RefreshDailyAnalytics recomputes a studio's row for date: in one
	// transaction, which no other refresh of the studio runs alongside,
	// it reads every session that started in [from, to) and the ad spend
	// of the studio's accounts, removed ones included, stored for date,
	// and stores what summarize makes of the sessions and the spend's
	// sum.
	RefreshDailyAnalytics(ctx context.Context, studioID int64, date string,
		from, to time.Time,
		summarize func([]Session, Money) DailyAnalytics) error
	// DailyAnalytics returns a studio's rows for from ≤ date ≤ to
	// (YYYY-MM-DD), oldest first.
	DailyAnalytics(ctx context.Context, studioID int64,
		from, to string) ([]DailyAnalytics, error)

	// RecordAdSpend stores an account's ad spend for a day, replacing
	// what was stored unless that was reported later than s: the latest
	// report wins, whatever order writes arrive in. It reports whether s
	// was stored.
	RecordAdSpend(ctx context.Context, s AdSpend) (bool, error)
	// AdSpends returns the ad spend stored for the studio's accounts,
	// removed ones included, for from ≤ date ≤ to (YYYY-MM-DD), by date
	// then account.
	AdSpends(ctx context.Context, studioID int64,
		from, to string) ([]AdSpend, error)

	// CreateUser stores u and sets its ID; passwordHash may be empty.
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	UserByEmail(ctx context.Context, email string) (*User, error)
	// SetMembership gives a user a role in a studio, replacing any other.
	SetMembership(ctx context.Context, userID, studioID int64,
		role Role) error
	// Principal returns what a user may do, from their memberships.
	Principal(ctx context.Context, userID int64) (*Principal, error)

	// CreateAPIKey stores k with the hash of its secret and sets its ID.
	CreateAPIKey(ctx context.Context, k *APIKey, hash []byte) error
	// APIKeyByHash returns the unrevoked key with that hash.
	APIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error)
	// TouchAPIKey records that the key was used at t.
	TouchAPIKey(ctx context.Context, id int64, t time.Time) error

	// User returns the user with that id.
	User(ctx context.Context, id int64) (*User, error)
	// PasswordHash returns the user's password hash, "" when they have
	// none (they act only through API keys).
	PasswordHash(ctx context.Context, userID int64) (string, error)
	// SetPasswordHash replaces the user's password hash.
	SetPasswordHash(ctx context.Context, userID int64, hash string) error

	// RemoveAccount removes an account from its studio: its login is
	// forgotten at once, it leaves Accounts and is no longer synced, and
	// its sessions stay. Connecting the same Shopee account to the studio
	// again brings it back. An account already removed is ENotFound.
	RemoveAccount(ctx context.Context, id int64) error

	// APIKey returns the key with that id, revoked or not.
	APIKey(ctx context.Context, id int64) (*APIKey, error)
	// APIKeys lists the keys scoped to a studio, revoked ones included,
	// newest first.
	APIKeys(ctx context.Context, studioID int64) ([]APIKey, error)
	// RevokeAPIKey revokes the key at t. A key already revoked is
	// ENotFound.
	RevokeAPIKey(ctx context.Context, id int64, t time.Time) error

	// CreateWebSession stores a browser session with the hash of its
	// token and sets ws's ID and CreatedAt. Expired sessions of the same
	// user are deleted on the way.
	CreateWebSession(ctx context.Context, ws *WebSession,
		tokenHash []byte) error
	// WebSessionByHash returns the unexpired session whose token has that
	// hash.
	WebSessionByHash(ctx context.Context, tokenHash []byte) (*WebSession,
		error)
	// SetWebSessionStudio sets the studio a browser session shows.
	SetWebSessionStudio(ctx context.Context, id, studioID int64) error
	// DeleteWebSession ends a browser session; a missing one is no error.
	DeleteWebSession(ctx context.Context, id int64) error

	// CreateQRLogin stores a QR login in progress with its secrets,
	// sealed, and sets its timestamps. The same QR code id twice is
	// EConflict.
	CreateQRLogin(ctx context.Context, q *QRLogin, sec QRSecrets) error
	// QRLogin returns a QR login and its secrets, opened.
	QRLogin(ctx context.Context, qrcodeID string) (*QRLogin, QRSecrets,
		error)
	// UpdateQRLogin stores q's status and new secrets and sets its
	// UpdatedAt.
	UpdateQRLogin(ctx context.Context, q *QRLogin, sec QRSecrets) error
	// DeleteQRLoginsBefore deletes QR logins started before t and says
	// how many there were.
	DeleteQRLoginsBefore(ctx context.Context, t time.Time) (int, error)

	// RecordAudit appends e to the audit log and sets its ID; a zero At
	// is the store's clock.
	RecordAudit(ctx context.Context, e *AuditEntry) error
	// AuditLog returns the entries matching f, newest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)

	// Ping reports whether the database answers and its schema is up to
	// date.
	Ping(ctx context.Context) error

	// WatchedSessions returns an account's sessions that are ongoing or
	// started at or after since, newest first, with their monitoring
	// state.
	WatchedSessions(ctx context.Context, accountID int64,
		since time.Time) ([]WatchedSession, error)
	// SaveLiveUpdates stores what one look at an account's sessions
	// learnt, in one transaction: each session as SaveSession does, its
	// snapshot with the session's top products and a fresh Seq, its
	// products when read. Snapshots stored later get higher Seqs, and a
	// snapshot is visible to readers only once every snapshot with a
	// lower Seq is, so a reader that follows Seq never misses one.
	SaveLiveUpdates(ctx context.Context, updates []LiveUpdate) error
	// SessionProducts returns the latest figures of a session's
	// products, best sellers first (see TopProducts).
	SessionProducts(ctx context.Context, sessionID int64) ([]Product, error)
	// RecentSnapshots returns the snapshots of the sessions taken at or
	// after since, oldest first, by session id, without products.
	RecentSnapshots(ctx context.Context, sessionIDs []int64,
		since time.Time) (map[int64][]Snapshot, error)
	// SnapshotEvents returns up to limit snapshots of the studios'
	// sessions with a Seq above after, in Seq order, with their top
	// products. A nil studioIDs means every studio.
	SnapshotEvents(ctx context.Context, studioIDs []int64, after int64,
		limit int) ([]SnapshotEvent, error)
	// LastSnapshotSeq returns the highest Seq stored; 0 when none.
	LastSnapshotSeq(ctx context.Context) (int64, error)

	// AlertRules returns a studio's alert rules, the defaults when it
	// never saved any.
	AlertRules(ctx context.Context, studioID int64) (*AlertRules, error)
	// SaveAlertRules stores a studio's alert rules and sets UpdatedAt.
	SaveAlertRules(ctx context.Context, r *AlertRules) error
	// FireAlert stores a as a new open alert, with a pending delivery to
	// each enabled channel of its studio, and sets its ID and
	// Deliveries. It stores nothing and reports false when an alert of
	// the same studio, rule and subject is still open or fired less than
	// cooldown before a.FiredAt: one episode fires once.
	FireAlert(ctx context.Context, a *Alert,
		cooldown time.Duration) (bool, error)
	// ResolveAlert marks the open alert of a studio, rule and subject as
	// resolved at t; nothing happens when there is none.
	ResolveAlert(ctx context.Context, studioID int64, rule AlertRule,
		subject string, t time.Time) error
	// OpenAlerts returns an account's open alerts, oldest first.
	OpenAlerts(ctx context.Context, accountID int64) ([]Alert, error)
	// Alerts returns one page of alerts matching f, newest first, with
	// their deliveries, and how many match in all.
	Alerts(ctx context.Context, f AlertFilter) ([]Alert, int, error)
	// Alert returns an alert with its deliveries.
	Alert(ctx context.Context, id int64) (*Alert, error)
	// AcknowledgeAlert records that a user read the alert at t; an alert
	// already acknowledged keeps its first acknowledgement.
	AcknowledgeAlert(ctx context.Context, id, userID int64,
		t time.Time) error

	// CreateChannel stores ch with its settings, sealed, and sets its ID,
	// Target and CreatedAt.
	CreateChannel(ctx context.Context, ch *Channel,
		cfg ChannelConfig) error
	Channel(ctx context.Context, id int64) (*Channel, error)
	// Channels lists a studio's channels, oldest first.
	Channels(ctx context.Context, studioID int64) ([]Channel, error)
	// ChannelConfig returns a channel's settings, opened.
	ChannelConfig(ctx context.Context, id int64) (ChannelConfig, error)
	// DeleteChannel removes a channel and its deliveries.
	DeleteChannel(ctx context.Context, id int64) error

	// RecordDelivery notes an attempt to send an alert to a channel at
	// t: status sent or failed is final, pending means it will be tried
	// again; errMsg says what went wrong, if anything.
	RecordDelivery(ctx context.Context, alertID, channelID int64,
		status DeliveryStatus, errMsg string, t time.Time) error
	// PendingDeliveries returns up to limit deliveries still pending
	// whose alert fired before t, oldest first.
	PendingDeliveries(ctx context.Context, before time.Time,
		limit int) ([]Delivery, error)

	// AutoPauseSettings returns a studio's auto-pause settings, the
	// defaults when it never saved any.
	AutoPauseSettings(ctx context.Context,
		studioID int64) (*AutoPauseSettings, error)
	// SaveAutoPauseSettings stores a studio's auto-pause settings and
	// sets UpdatedAt.
	SaveAutoPauseSettings(ctx context.Context, s *AutoPauseSettings) error
	// ClaimCampaignAction stores a as the pending action of its
	// campaign, kind and date, and sets its ID. An earlier action of the
	// same campaign, kind and date that is pending or failed is taken
	// over (its figures replaced by a's); one that is done is left alone
	// and ClaimCampaignAction reports false. Claims of one campaign, kind
	// and date thus never both see true while one of them is done.
	ClaimCampaignAction(ctx context.Context, a *CampaignAction) (bool, error)
	// FinishCampaignAction records the outcome of a claimed action at t;
	// errMsg says why it failed, if it did.
	FinishCampaignAction(ctx context.Context, id int64,
		outcome ActionOutcome, errMsg string, t time.Time) error
	// CampaignActions returns up to limit of a studio's campaign
	// actions, newest first.
	CampaignActions(ctx context.Context, studioID int64,
		limit int) ([]CampaignAction, error)

	// CreateBoostPlan stores p as running and sets its ID and
	// timestamps.
	CreateBoostPlan(ctx context.Context, p *BoostPlan) error
	// BoostPlan returns a plan with its rounds.
	BoostPlan(ctx context.Context, id int64) (*BoostPlan, error)
	// BoostPlans returns up to limit of a studio's plans, newest first,
	// without their rounds.
	BoostPlans(ctx context.Context, studioID int64,
		limit int) ([]BoostPlan, error)
	// EndBoostPlan moves a running plan to status at t, saying why; it
	// reports false when the plan was no longer running.
	EndBoostPlan(ctx context.Context, id int64, status BoostStatus,
		reason string, t time.Time) (bool, error)
	// ClaimBoostRound stores r as its plan's round r.Number, in one
	// statement that refuses it, reporting false, when the plan is not
	// running, the round exists already, or a spending round's Coins
	// would take the plan's spent coins (see BoostSpent) above its
	// TotalCoins. A round recorded pending is thus started at most once
	// and a plan never spends more than its budget.
	ClaimBoostRound(ctx context.Context, r *BoostRound) (bool, error)
	// FinishBoostRound records a round's new status and error at t.
	FinishBoostRound(ctx context.Context, planID int64, number int,
		status RoundStatus, errMsg string, t time.Time) error
	// SetRoundClaims records what viewers claimed of a round's giveaway.
	SetRoundClaims(ctx context.Context, planID int64, number int,
		claimed, claims *int64) error
	// RecordSessionCoins raises a session's CoinsDistributed to coins;
	// a lower figure leaves it as it is, as coins given out never
	// shrink. SaveSession keeps the higher of the stored and new figure
	// too, so syncs that know nothing of coins do not erase it.
	RecordSessionCoins(ctx context.Context, sessionID, coins int64) error
}
