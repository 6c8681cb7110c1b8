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

	// Limit caps the page (the store applies its own maximum); Offset
	// skips rows. Sessions come newest first.
	Limit  int
	Offset int
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
	// it reads every session that started in [from, to) and stores what
	// summarize makes of them.
	RefreshDailyAnalytics(ctx context.Context, studioID int64, date string,
		from, to time.Time, summarize func([]Session) DailyAnalytics) error
	// DailyAnalytics returns a studio's rows for from ≤ date ≤ to
	// (YYYY-MM-DD), oldest first.
	DailyAnalytics(ctx context.Context, studioID int64,
		from, to string) ([]DailyAnalytics, error)

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
}
