package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// Roles needed to manage accounts. Connecting and removing accounts
// changes what a studio holds, so it takes an admin; logging an existing
// account in again is day-to-day work, so an operator may, and only as
// the same Shopee user.
const (
	RoleConnect = liveboard.RoleAdmin
	RoleRelogin = liveboard.RoleOperator
)

// MaxQRAge is how long a QR login may take from start to finish on
// Liveboard's side, whatever Shopee says of its code; older ones read as
// EXPIRED. QR logins are deleted a day after they started.
const MaxQRAge = 10 * time.Minute

// AccountShopee is what managing accounts needs of the Shopee client.
type AccountShopee interface {
	GenQRCode(ctx context.Context, a shopee.Auth) (*shopee.QRCode,
		shopee.Auth, error)
	QRCodeStatus(ctx context.Context, a shopee.Auth,
		qrcodeID string) (*shopee.QRStatus, shopee.Auth, error)
	QRCodeLogin(ctx context.Context, a shopee.Auth,
		token string) (shopee.Auth, error)
	UserInfo(ctx context.Context, a shopee.Auth) (*shopee.UserInfo, error)
}

// SyncQueue takes syncs of accounts that just got a login.
type SyncQueue interface {
	EnqueueAccountSync(ctx context.Context, accountID int64) error
}

// Accounts connects Shopee accounts to studios by QR login or by a
// pasted cookie string, logs them in again and removes them, for people
// acting through the API or the dashboard. Every method checks the
// actor's role in the studio (ENotFound when they have none there, so
// that other studios' ids reveal nothing; EForbidden when it is too low)
// and writes what it changed to the audit log. Logins are stored sealed
// and never returned.
type Accounts struct {
	Store  liveboard.Store
	Shopee AccountShopee
	// Queue, when set, syncs an account as soon as it has a new login.
	Queue SyncQueue

	// Now is the clock; time.Now by default.
	Now    func() time.Time
	Logger *slog.Logger
}

// Actor is who acts, and from where, for role checks and the audit log.
type Actor struct {
	Principal *liveboard.Principal
	IP        string
}

func (m *Accounts) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

func (m *Accounts) logger() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}

// Account returns an account the actor holds at least role over. A
// removed account, or one of a studio the actor is not in, is ENotFound.
func (m *Accounts) Account(ctx context.Context, who Actor, id int64,
	role liveboard.Role) (*liveboard.Account, error) {
	missing := liveboard.Errorf(liveboard.ENotFound,
		"account %d not found", id)
	a, err := m.Store.Account(ctx, id)
	switch {
	case liveboard.ErrorCode(err) == liveboard.ENotFound:
		return nil, missing
	case err != nil:
		return nil, err
	case a.RemovedAt != nil:
		return nil, missing
	}

	if err := who.Principal.Require(a.StudioID, role); err != nil {
		if liveboard.ErrorCode(err) == liveboard.ENotFound {
			return nil, missing
		}
		return nil, err
	}
	return a, nil
}

// target says what an account is, for the audit log.
func target(a *liveboard.Account) string {
	return fmt.Sprintf("account %d (Shopee user %d, %s, %s)", a.ID,
		a.ShopeeUserID, a.UserName, a.Region)
}

// audit records an action; a failure to record is logged, not returned,
// as the action itself is done.
func (m *Accounts) audit(ctx context.Context, who Actor,
	action liveboard.AuditAction, studioID int64, what, detail string) {
	e := liveboard.NewAuditEntry(who.Principal, who.IP, m.now(), action,
		studioID, what)
	e.Detail = detail
	if err := m.Store.RecordAudit(ctx, e); err != nil {
		m.logger().Error("record audit entry", "action", action,
			"error", err)
	}
}

// Remove removes an account from its studio; see Store.RemoveAccount.
// It needs RoleConnect.
func (m *Accounts) Remove(ctx context.Context, who Actor, id int64) error {
	a, err := m.Account(ctx, who, id, RoleConnect)
	if err != nil {
		return err
	}
	if err := m.Store.RemoveAccount(ctx, a.ID); err != nil {
		return err
	}
	m.audit(ctx, who, liveboard.AuditAccountRemove, a.StudioID, target(a),
		"")
	return nil
}

// CookieLogin connects an account, or logs one in again, with a cookie
// string pasted from a browser where it is logged in to Shopee.
type CookieLogin struct {
	// StudioID and Region say where a new account goes; Region is the
	// studio's by default. Both are ignored with AccountID.
	StudioID int64
	Region   liveboard.Region
	// AccountID is the account to log in again; 0 connects a new one.
	AccountID int64
	Cookies   string
}

// ConnectCookies reads the identity behind the cookies from Shopee and
// stores the account with its login. A new account needs RoleConnect in
// the studio, a new login of an existing one RoleRelogin and the same
// Shopee user. Connecting an account the studio already has logs it in
// again. It reports whether the account is new.
func (m *Accounts) ConnectCookies(ctx context.Context, who Actor,
	req CookieLogin) (*liveboard.Account, bool, error) {
	cookies := strings.TrimSpace(req.Cookies)
	if cookies == "" {
		return nil, false, liveboard.Errorf(liveboard.EInvalid,
			"the Shopee cookie string is empty")
	}

	dest, err := m.destination(ctx, who, req.StudioID, req.Region,
		req.AccountID)
	if err != nil {
		return nil, false, err
	}
	auth := shopee.Auth{AccountID: req.AccountID, Region: dest.region,
		Cookies: cookies}
	return m.connect(ctx, who, dest, auth, "cookie string")
}

// destination is where a login goes: a studio and region, and the
// account it replaces the login of (nil for a new account).
type destination struct {
	studioID int64
	region   liveboard.Region
	account  *liveboard.Account
}

// destination checks the actor may bring a login to the studio or the
// account and returns where it goes.
func (m *Accounts) destination(ctx context.Context, who Actor, studioID int64,
	region liveboard.Region, accountID int64) (destination, error) {
	if accountID != 0 {
		a, err := m.Account(ctx, who, accountID, RoleRelogin)
		if err != nil {
			return destination{}, err
		}
		if studioID != 0 && studioID != a.StudioID {
			return destination{}, liveboard.Errorf(liveboard.EInvalid,
				"account %d does not belong to studio %d", a.ID, studioID)
		}
		return destination{studioID: a.StudioID, region: a.Region,
			account: a}, nil
	}

	if studioID == 0 {
		return destination{}, liveboard.Errorf(liveboard.EInvalid,
			"studio_id is required to connect an account")
	}
	if err := who.Principal.Require(studioID, RoleConnect); err != nil {
		return destination{}, err
	}
	if region == "" {
		st, err := m.Store.Studio(ctx, studioID)
		if err != nil {
			return destination{}, err
		}
		region = st.Region
	}
	if !region.Valid() {
		return destination{}, liveboard.Errorf(liveboard.EInvalid,
			"unknown region %q", region)
	}
	return destination{studioID: studioID, region: region}, nil
}

// connect reads who auth logs in as and stores the login where dest
// says: over an existing account's, which must be the same Shopee user,
// or as a new account. via names how the login came, for the audit log.
func (m *Accounts) connect(ctx context.Context, who Actor, dest destination,
	auth shopee.Auth, via string) (*liveboard.Account, bool, error) {
	me, err := m.Shopee.UserInfo(ctx, auth)
	if err != nil {
		return nil, false, err
	}

	a := dest.account
	if a == nil {
		a = &liveboard.Account{StudioID: dest.studioID, Region: dest.region,
			ShopeeUserID: me.UserID, UserName: me.UserName}
		err := m.Store.CreateAccount(ctx, a, auth.Cookies)
		if err == nil {
			m.loggedIn(ctx, who, a, liveboard.AuditAccountConnect, via)
			return a, true, nil
		}
		if liveboard.ErrorCode(err) != liveboard.EConflict {
			return nil, false, err
		}
		if a, err = m.sameUser(ctx, dest, me.UserID); err != nil {
			return nil, false, err
		}
	}

	if me.UserID != a.ShopeeUserID {
		return nil, false, liveboard.Errorf(liveboard.EConflict,
			"this login is Shopee user %d (%s), not account %d's "+
				"user %d: log in as %s", me.UserID, me.UserName, a.ID,
			a.ShopeeUserID, a.UserName)
	}
	if err := m.Store.ReplaceAccountCookies(ctx, a.ID,
		auth.Cookies); err != nil {
		return nil, false, err
	}
	m.loggedIn(ctx, who, a, liveboard.AuditAccountRelogin, via)

	fresh, err := m.Store.Account(ctx, a.ID)
	if err != nil {
		return nil, false, err
	}
	return fresh, false, nil
}

// sameUser returns the studio's account of the Shopee user in dest's
// region.
func (m *Accounts) sameUser(ctx context.Context, dest destination,
	shopeeUserID int64) (*liveboard.Account, error) {
	list, err := m.Store.Accounts(ctx, dest.studioID)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if a.Region == dest.region && a.ShopeeUserID == shopeeUserID {
			return &a, nil
		}
	}
	return nil, liveboard.Errorf(liveboard.EConflict,
		"Shopee user %d is already connected to studio %d", shopeeUserID,
		dest.studioID)
}

// loggedIn records that a got a working login: its health, the audit
// log, and a sync at once when a queue is set.
func (m *Accounts) loggedIn(ctx context.Context, who Actor,
	a *liveboard.Account, action liveboard.AuditAction, via string) {
	now := m.now()
	if err := m.Store.RecordAccountSuccess(ctx, a.ID, now); err != nil {
		m.logger().Warn("record account success", "account_id", a.ID,
			"error", err)
	}
	a.Health = liveboard.AccountHealth{LastSuccessAt: &now}
	m.audit(ctx, who, action, a.StudioID, target(a), "by "+via)

	if m.Queue == nil {
		return
	}
	if err := m.Queue.EnqueueAccountSync(ctx, a.ID); err != nil {
		m.logger().Warn("queue sync of a logged-in account",
			"account_id", a.ID, "error", err)
	}
}
