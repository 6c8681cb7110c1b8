package liveboard

import "time"

// AuditAction names a sensitive action the audit log records.
type AuditAction string

// The audited actions. Every place that performs one records an
// AuditEntry through Store.RecordAudit, saying who (user, API key, IP),
// when, in which studio and on what.
//
// Campaign edits and coin actions are named here for the routes that
// will perform them: a handler that edits a campaign records
// AuditCampaignEdit with the campaign id as Target, one that starts or
// gives out coins records AuditCoinAction with the session id as Target
// and the amounts in Detail.
const (
	AuditLogin       AuditAction = "user.login"
	AuditLoginFailed AuditAction = "user.login_failed"
	AuditLogout      AuditAction = "user.logout"

	AuditAccountConnect AuditAction = "account.connect"
	AuditAccountRelogin AuditAction = "account.relogin"
	AuditAccountRemove  AuditAction = "account.remove"

	AuditKeyCreate AuditAction = "api_key.create"
	AuditKeyRevoke AuditAction = "api_key.revoke"

	AuditCampaignEdit AuditAction = "campaign.edit"
	AuditAutoPause    AuditAction = "campaign.auto_pause"
	AuditCoinAction   AuditAction = "coin.action"
)

// AuditEntry is one line of the audit log. Detail and Target never hold
// a secret: no cookie, password or key, only ids and names.
type AuditEntry struct {
	ID int64
	At time.Time

	// UserID is who acted, 0 when unknown (a failed login for an email
	// that matches no user); KeyID the API key they used, 0 for a
	// browser session.
	UserID int64
	KeyID  int64
	// StudioID is the studio acted in, 0 for actions outside studios.
	StudioID int64
	// IP is the address the request came from.
	IP string

	Action AuditAction
	// Target names what was acted on, such as "account 12".
	Target string
	Detail string
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	// StudioID limits the entries to one studio; 0 means all.
	StudioID int64
	// UserID limits the entries to one person; 0 means all.
	UserID int64
	// Limit caps how many come back; the store applies its own maximum.
	Limit int
}

// NewAuditEntry returns an entry for an action by p from ip at t.
func NewAuditEntry(p *Principal, ip string, t time.Time,
	action AuditAction, studioID int64, target string) *AuditEntry {
	e := &AuditEntry{At: t, IP: ip, Action: action, StudioID: studioID,
		Target: target}
	if p != nil {
		e.UserID, e.KeyID = p.UserID, p.KeyID
	}
	return e
}
