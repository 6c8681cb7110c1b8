package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// Identity is what probing needs of the Shopee client.
type Identity interface {
	UserInfo(ctx context.Context, a shopee.Auth) (*shopee.UserInfo, error)
}

// Prober checks accounts' Shopee logins with the cheapest call there is,
// userInfo, so that a login Shopee stopped accepting is flagged as
// needing a new login, and warned about, before a sync needs it.
type Prober struct {
	Store  liveboard.Store
	Shopee Identity

	// Now is the clock; time.Now by default.
	Now    func() time.Time
	Logger *slog.Logger
}

func (p *Prober) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

func (p *Prober) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}

// ProbeAccount calls userInfo with the account's login and records the
// outcome in the account's health: success, or a failure that marks the
// account as needing a new login when Shopee asked for one, showed its
// anti-bot wall, or answered for another user. Accounts removed or
// already waiting for a new login are skipped. Only a failure to read or
// record the account is returned; what Shopee answered is in the health.
func (p *Prober) ProbeAccount(ctx context.Context, id int64) error {
	a, err := p.Store.Account(ctx, id)
	if err != nil {
		return fmt.Errorf("probe account %d: %w", id, err)
	}
	if a.RemovedAt != nil || a.Health.NeedsRelogin {
		return nil
	}
	cookies, err := p.Store.AccountCookies(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("probe account %d: %w", id, err)
	}

	me, err := p.Shopee.UserInfo(ctx, shopee.Auth{AccountID: a.ID,
		Region: a.Region, Cookies: cookies})
	switch {
	case err == nil && me.UserID == a.ShopeeUserID:
		err = p.Store.RecordAccountSuccess(ctx, a.ID, p.now())
	case err == nil:
		err = p.failed(ctx, a, fmt.Sprintf("the login is now Shopee "+
			"user %d, not %d", me.UserID, a.ShopeeUserID), true)
	case ctx.Err() != nil:
		return fmt.Errorf("probe account %d: %w", id, err)
	default:
		err = p.failed(ctx, a, liveboard.ErrorMessage(err),
			needsRelogin(err))
	}
	if err != nil {
		return fmt.Errorf("probe account %d: %w", id, err)
	}
	return nil
}

func (p *Prober) failed(ctx context.Context, a *liveboard.Account,
	msg string, relogin bool) error {
	if relogin {
		p.logger().Warn("Shopee login no longer works: "+
			"the account needs a new login", "account_id", a.ID,
			"studio_id", a.StudioID, "reason", msg)
	}
	return p.Store.RecordAccountFailure(ctx, a.ID, p.now(), msg, relogin)
}
