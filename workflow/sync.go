// Package workflow runs Liveboard's work against Shopee: the daily sync of
// sessions and analytics, and the other scheduled workflows. It decides
// what to fetch and what to store; the shopee package talks to Shopee and a
// liveboard.Store keeps the results.
package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"liveboard"
	"liveboard/shopee"
)

// Shopee is what the sync needs of the Shopee client.
type Shopee interface {
	Sessions(ctx context.Context, a shopee.Auth, pageSize int,
		stop func(shopee.SessionItem) bool) ([]shopee.SessionItem, error)
	SessionInfo(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.SessionInfo, error)
	Overview(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.Overview, error)
}

// ErrNeedsRelogin is returned for an account whose Shopee login must be
// renewed before it is synced again. It carries the EShopeeLogin code, so
// the API answers it as Shopee's own login refusal.
var ErrNeedsRelogin = &liveboard.Error{Code: liveboard.EShopeeLogin,
	Message: "the account needs a new Shopee login (QR or cookies)"}

// ErrAccountRemoved is returned for an account removed from its studio:
// it is not synced again.
var ErrAccountRemoved = &liveboard.Error{Code: liveboard.ENotFound,
	Message: "the account was removed from its studio"}

// Defaults for a Syncer's zero fields.
const (
	DefaultLookback = 30 * 24 * time.Hour
	DefaultParallel = 4
	DefaultAccounts = 8
	listPageSize    = 50
)

// Syncer runs the daily sync: each account's session list, then session
// info and overview for every session not yet archived, stored with a
// snapshot, then the daily analytics of the days those sessions started.
// Running it twice changes nothing unless Shopee's numbers changed; an
// interrupted run leaves every stored session whole, and the next run
// completes the rest.
type Syncer struct {
	Store  liveboard.Store
	Shopee Shopee

	// Now is the clock; time.Now by default.
	Now func() time.Time
	// Lookback is how far back sessions are synced.
	Lookback time.Duration
	// Parallel is how many sessions of one account are fetched at once;
	// Accounts how many accounts sync at once.
	Parallel int
	Accounts int

	Logger *slog.Logger
	// Observer, when set, is told how long each account's sync took.
	Observer Observer

	// Products, when set, is asked for the product list of every session
	// the sync fetches, which is stored with it.
	Products ProductReader
}

// ProductReader reads a live session's product list.
type ProductReader interface {
	SessionProducts(ctx context.Context, a shopee.Auth, sessionID int64,
		page, pageSize int) (*shopee.ProductPage, error)
}

// Observer records how workflows went, for metrics.
type Observer interface {
	// ObserveSync records one sync of scope ("account", "session") that
	// took d and ended with err.
	ObserveSync(scope string, d time.Duration, err error)
}

// Report sums up a sync run.
type Report struct {
	Accounts int // accounts synced without error
	Listed   int // sessions seen in the session lists
	Fetched  int // sessions fetched and stored
	Archived int // ended sessions skipped: already fully synced
	Failed   int // sessions or accounts that failed
}

func (r *Report) add(o Report) {
	r.Accounts += o.Accounts
	r.Listed += o.Listed
	r.Fetched += o.Fetched
	r.Archived += o.Archived
	r.Failed += o.Failed
}

// Progress is told how a run advances: Listed when an account's session
// list is read (with how many sessions will be fetched), then Done once per
// session fetched, archived or failed.
type Progress interface {
	Listed(account liveboard.Account, toFetch int)
	Done(account liveboard.Account)
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Syncer) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// SyncAll syncs every account that does not need a new login. A failing
// account does not stop the others; the joined errors of those that
// failed are returned with the report.
func (s *Syncer) SyncAll(ctx context.Context, p Progress) (Report, error) {
	accounts, err := s.Store.Accounts(ctx, 0)
	if err != nil {
		return Report{}, fmt.Errorf("sync: list accounts: %w", err)
	}

	limit := orDefault(s.Accounts, DefaultAccounts)
	return overAccounts(accounts, limit, (*Report).add,
		func(a liveboard.Account) (Report, error) {
			if a.Health.NeedsRelogin {
				s.logger().Info("sync skipped: account needs a new login",
					"account_id", a.ID)
				return Report{}, nil
			}
			return s.SyncAccount(ctx, a.ID, p)
		})
}

// overAccounts calls look on every account, limit at a time, and returns
// the sum of their reports with the errors of those that failed joined.
func overAccounts[R any](accounts []liveboard.Account, limit int,
	add func(*R, R), look func(liveboard.Account) (R, error)) (R, error) {
	var (
		mu    sync.Mutex
		total R
		errs  []error
		g     errgroup.Group
	)
	g.SetLimit(limit)
	for _, a := range accounts {
		g.Go(func() error {
			r, err := look(a)
			mu.Lock()
			defer mu.Unlock()
			add(&total, r)
			if err != nil {
				errs = append(errs, err)
			}
			return nil
		})
	}
	_ = g.Wait()
	return total, errors.Join(errs...)
}

// SyncAccount syncs one account's sessions and refreshes its studio's
// daily analytics. It returns ErrNeedsRelogin, without calling Shopee, for
// an account marked as needing a new login, and marks the account so when
// Shopee asks for a login or shows its anti-bot wall.
func (s *Syncer) SyncAccount(ctx context.Context, accountID int64,
	p Progress) (Report, error) {
	start := time.Now()
	r, err := s.syncAccount(ctx, accountID, p)
	attrs := []any{"account_id", accountID, "listed", r.Listed,
		"fetched", r.Fetched, "already_archived", r.Archived,
		"failed", r.Failed,
		"duration", time.Since(start).Round(time.Millisecond)}
	switch {
	case err != nil && ctx.Err() != nil:
		s.logger().Info("account sync interrupted", attrs...)
	case err != nil:
		s.logger().Warn("account sync failed",
			append(attrs, "error", err.Error())...)
	default:
		s.logger().Info("account synced", attrs...)
	}
	if s.Observer != nil {
		s.Observer.ObserveSync("account", time.Since(start), err)
	}
	return r, err
}

func (s *Syncer) syncAccount(ctx context.Context, accountID int64,
	p Progress) (Report, error) {
	var r Report
	a, err := s.Store.Account(ctx, accountID)
	if err != nil {
		return r, fmt.Errorf("sync account %d: %w", accountID, err)
	}
	if a.RemovedAt != nil {
		return r, fmt.Errorf("sync account %d: %w", a.ID, ErrAccountRemoved)
	}
	if a.Health.NeedsRelogin {
		return r, fmt.Errorf("sync account %d: %w", a.ID, ErrNeedsRelogin)
	}

	cookies, err := s.Store.AccountCookies(ctx, a.ID)
	if err != nil {
		return r, fmt.Errorf("sync account %d: %w", a.ID, err)
	}
	auth := shopee.Auth{AccountID: a.ID, Region: a.Region, Cookies: cookies}

	since := s.now().Add(-s.lookback())
	items, err := s.Shopee.Sessions(ctx, auth, listPageSize,
		func(it shopee.SessionItem) bool { return it.StartTime.Before(since) })
	if err != nil {
		r.Failed++
		return r, s.accountFailed(ctx, a, err)
	}
	r.Listed = len(items)

	work, archived := s.plan(ctx, a, items)
	r.Archived = archived
	if p != nil {
		p.Listed(*a, len(items))
		for range archived {
			p.Done(*a)
		}
	}

	fetched, failed, err := s.fetchAll(ctx, a, auth, work, p)
	r.Fetched, r.Failed = fetched, r.Failed+failed
	if err != nil {
		return r, s.accountFailed(ctx, a, err)
	}

	if err := s.Store.RecordAccountSuccess(ctx, a.ID, s.now()); err != nil {
		return r, fmt.Errorf("sync account %d: %w", a.ID, err)
	}
	if err := s.RefreshAnalytics(ctx, a.StudioID, startDates(items)); err != nil {
		return r, fmt.Errorf("sync account %d: %w", a.ID, err)
	}
	r.Accounts = 1
	return r, nil
}

func (s *Syncer) lookback() time.Duration {
	if s.Lookback > 0 {
		return s.Lookback
	}
	return DefaultLookback
}

// item pairs a listed session with what is stored of it, if anything.
type item struct {
	listed shopee.SessionItem
	stored *liveboard.Session
}

// plan returns the listed sessions that need fetching, live ones first,
// and how many were skipped because they are archived.
func (s *Syncer) plan(ctx context.Context, a *liveboard.Account,
	items []shopee.SessionItem) ([]item, int) {
	now := s.now()
	var work []item
	archived := 0
	for _, it := range items {
		stored, err := s.Store.SessionByShopeeID(ctx, a.ID,
			strconv.FormatInt(it.SessionID, 10))
		if err != nil {
			stored = nil
		}
		if stored != nil && stored.FinalSyncedAt != nil {
			archived++
			continue
		}
		work = append(work, item{listed: it, stored: stored})
	}

	slices.SortStableFunc(work, func(x, y item) int {
		lx, ly := x.listed.Live(now), y.listed.Live(now)
		switch {
		case lx && !ly:
			return -1
		case ly && !lx:
			return 1
		}
		return 0
	})
	return work, archived
}

// fetchAll fetches and stores every session of work. It stops early, with
// an error, when Shopee refuses the account's login; a single session
// failing for another reason is counted and the others carry on.
func (s *Syncer) fetchAll(ctx context.Context, a *liveboard.Account,
	auth shopee.Auth, work []item, p Progress) (fetched, failed int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex
		loginErr error
		lastErr  error
		g        errgroup.Group
	)
	g.SetLimit(orDefault(s.Parallel, DefaultParallel))
	for _, w := range work {
		g.Go(func() error {
			err := s.syncSession(ctx, a, auth, w)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				fetched++
			case needsRelogin(err):
				if loginErr == nil {
					loginErr = err
				}
				failed++
				cancel()
			case ctx.Err() != nil:
				// Cancelled: the login failed, or the run is stopping.
				// Not a failure of this session.
				lastErr = ctx.Err()
			default:
				failed++
				lastErr = err
				s.logger().Warn("session sync failed", "account_id", a.ID,
					"session_id", w.listed.SessionID, "error", err)
			}
			if p != nil {
				p.Done(*a)
			}
			return nil
		})
	}
	_ = g.Wait()

	if loginErr != nil {
		return fetched, failed, loginErr
	}
	if lastErr != nil {
		return fetched, failed, fmt.Errorf("%d of %d sessions failed, "+
			"last: %w", failed, len(work), lastErr)
	}
	return fetched, failed, nil
}

// syncSession fetches one session's info and overview and stores it with
// a snapshot.
func (s *Syncer) syncSession(ctx context.Context, a *liveboard.Account,
	auth shopee.Auth, w item) error {
	id := w.listed.SessionID

	info, err := s.Shopee.SessionInfo(ctx, auth, id)
	if err != nil {
		return err
	}

	// The metrics are as of when the overview was asked for.
	readAt := s.now()
	ov, err := s.Shopee.Overview(ctx, auth, id)
	if err != nil {
		return err
	}

	se := BuildSession(a, w.listed, info, ov, w.stored, readAt)
	snap := &liveboard.Snapshot{TakenAt: se.SyncedAt, Metrics: se.Metrics}
	if s.Products != nil {
		return s.saveWithProducts(ctx, auth, se, snap)
	}
	if err := s.Store.SaveSession(ctx, se, snap); err != nil {
		return fmt.Errorf("store session %d: %w", id, err)
	}
	return nil
}

// saveWithProducts reads the session's products and stores them with
// the session and its snapshot. Products that cannot be read are left as
// they were, unless Shopee refused the login.
func (s *Syncer) saveWithProducts(ctx context.Context, auth shopee.Auth,
	se *liveboard.Session, snap *liveboard.Snapshot) error {
	id, _ := strconv.ParseInt(se.ShopeeSessionID, 10, 64)
	u := liveboard.LiveUpdate{Session: se, Snapshot: snap}

	page, err := s.Products.SessionProducts(ctx, auth, id, 1, productPageSize)
	switch {
	case err == nil:
		u.Products = page.Items
		if u.Products == nil {
			u.Products = []liveboard.Product{}
		}
	case needsRelogin(err):
		return err
	default:
		s.logger().Warn("session products failed", "account_id",
			se.AccountID, "session_id", id, "error", err)
	}

	if err := s.Store.SaveLiveUpdates(ctx,
		[]liveboard.LiveUpdate{u}); err != nil {
		return fmt.Errorf("store session %d: %w", id, err)
	}
	return nil
}

// accountFailed records err on the account, marking it as needing a new
// login when Shopee asked for one, and returns err with context.
func (s *Syncer) accountFailed(ctx context.Context, a *liveboard.Account,
	err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("sync account %d: %w", a.ID, err)
	}

	relogin := needsRelogin(err)
	msg := liveboard.ErrorMessage(err)
	if rerr := s.Store.RecordAccountFailure(ctx, a.ID, s.now(), msg,
		relogin); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if relogin {
		err = fmt.Errorf("%w; %w", err, ErrNeedsRelogin)
	}
	return fmt.Errorf("sync account %d: %w", a.ID, err)
}

// needsRelogin reports whether Shopee refused the account's login.
func needsRelogin(err error) bool {
	return errors.Is(err, shopee.ErrLoginRequired) ||
		errors.Is(err, shopee.ErrChallenge)
}

// startDates returns the UTC start days of the listed sessions; the
// analytics refresh turns them into days in the studio's zone.
func startDates(items []shopee.SessionItem) []time.Time {
	out := make([]time.Time, len(items))
	for i, it := range items {
		out[i] = it.StartTime
	}
	return out
}
