package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"liveboard"
	"liveboard/shopee"
)

// MonitorShopee is what monitoring needs of the Shopee client.
type MonitorShopee interface {
	SessionList(ctx context.Context, a shopee.Auth,
		page, pageSize int) (*shopee.SessionPage, error)
	SessionInfo(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.SessionInfo, error)
	Overview(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.Overview, error)
	SessionProducts(ctx context.Context, a shopee.Auth, sessionID int64,
		page, pageSize int) (*shopee.ProductPage, error)
}

// Defaults of a Monitor's zero fields, and what it reads per look.
const (
	DefaultFullSyncEvery = 5 * time.Minute
	DefaultWatchParallel = 4
	DefaultWatchAccounts = 64

	// watchPageSize is how much of the session list a look reads: live
	// sessions are always the newest, so the first page holds them.
	watchPageSize = 10
	// productPageSize is how many products a look reads: the first page,
	// most clicked first.
	productPageSize = 50
)

// Monitor watches live sessions. Each look at an account costs one
// session-list page and one overview per live session; it reads a
// session's details only when the session is new, its products only when
// its orders or add-to-cart moved, and both every FullSyncEvery and once
// more when the session ends, after which the session is archived. Each
// look stores a snapshot per live session, checks the studio's alert
// rules and fires the alerts that hold.
type Monitor struct {
	Store  liveboard.Store
	Shopee MonitorShopee
	// Syncer, when set, refreshes the daily analytics of sessions that
	// ended and finishes sessions that fell off the session list's first
	// page while stored as live.
	Syncer *Syncer

	// Now is the clock; time.Now by default.
	Now func() time.Time
	// FullSyncEvery is how often a live session is read in full.
	FullSyncEvery time.Duration
	// Parallel is how many sessions of one account are read at once;
	// Accounts how many accounts Tick looks at at once.
	Parallel int
	Accounts int

	Logger *slog.Logger
	// Stored, when set, is called after snapshots were stored.
	Stored func()
}

// MonitorReport sums up looks at accounts.
type MonitorReport struct {
	Accounts  int // accounts looked at
	Skipped   int // accounts skipped: they need a new login
	Live      int // live sessions seen
	Snapshots int // snapshots stored
	Ended     int // sessions found ended, read in full and archived
	Failed    int // sessions or accounts that could not be read
	// Alerts are the alerts fired, with their pending deliveries.
	Alerts []liveboard.Alert
}

func (r *MonitorReport) add(o MonitorReport) {
	r.Accounts += o.Accounts
	r.Skipped += o.Skipped
	r.Live += o.Live
	r.Snapshots += o.Snapshots
	r.Ended += o.Ended
	r.Failed += o.Failed
	r.Alerts = append(r.Alerts, o.Alerts...)
}

func (m *Monitor) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

func (m *Monitor) logger() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}

func (m *Monitor) fullSyncEvery() time.Duration {
	if m.FullSyncEvery > 0 {
		return m.FullSyncEvery
	}
	return DefaultFullSyncEvery
}

// Tick looks at every account once, several at a time. A failing account
// does not stop the others; the joined errors of those that failed are
// returned with the report.
func (m *Monitor) Tick(ctx context.Context) (MonitorReport, error) {
	accounts, err := m.Store.Accounts(ctx, 0)
	if err != nil {
		return MonitorReport{}, fmt.Errorf("monitor: list accounts: %w", err)
	}

	limit := orDefault(m.Accounts, DefaultWatchAccounts)
	return overAccounts(accounts, limit, (*MonitorReport).add,
		func(a liveboard.Account) (MonitorReport, error) {
			return m.WatchAccount(ctx, a.ID)
		})
}

// WatchAccount looks at one account's live sessions now. An account that
// needs a new login is not called; its relogin alert fires instead, and
// it fires when Shopee refuses the login during the look.
func (m *Monitor) WatchAccount(ctx context.Context,
	accountID int64) (MonitorReport, error) {
	w, err := m.newWatch(ctx, accountID)
	if err != nil {
		return MonitorReport{Failed: 1}, err
	}
	if w.account.Health.NeedsRelogin {
		w.report.Skipped = 1
		return w.report, w.checkRelogin(ctx, "")
	}

	w.report.Accounts = 1
	if err := w.look(ctx); err != nil {
		w.report.Failed++
		return w.report, w.failed(ctx, err)
	}
	return w.report, nil
}

// watch is one look at one account.
type watch struct {
	m       *Monitor
	account *liveboard.Account
	auth    shopee.Auth
	rules   *liveboard.AlertRules
	open    map[string]liveboard.Alert // by rule and subject
	now     time.Time
	report  MonitorReport
}

func (m *Monitor) newWatch(ctx context.Context,
	accountID int64) (*watch, error) {
	a, err := m.Store.Account(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("monitor account %d: %w", accountID, err)
	}
	rules, err := m.Store.AlertRules(ctx, a.StudioID)
	if err != nil {
		return nil, fmt.Errorf("monitor account %d: %w", accountID, err)
	}
	open, err := m.Store.OpenAlerts(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("monitor account %d: %w", accountID, err)
	}

	w := &watch{m: m, account: a, rules: rules, now: m.now(),
		open: map[string]liveboard.Alert{}}
	for _, al := range open {
		w.open[string(al.Rule)+" "+al.Subject] = al
	}
	return w, nil
}

// look reads the account's live sessions, stores what it read and checks
// the alert rules.
func (w *watch) look(ctx context.Context) error {
	if err := w.checkRelogin(ctx, ""); err != nil {
		return err
	}
	cookies, err := w.m.Store.AccountCookies(ctx, w.account.ID)
	if err != nil {
		return err
	}
	w.auth = shopee.Auth{AccountID: w.account.ID, Region: w.account.Region,
		Cookies: cookies}

	page, err := w.m.Shopee.SessionList(ctx, w.auth, 1, watchPageSize)
	if err != nil {
		return err
	}
	sessions, lost, err := w.candidates(ctx, page.Items)
	if err != nil {
		return err
	}

	looks, err := w.lookAll(ctx, sessions)
	if err != nil {
		return err
	}
	if err := w.store(ctx, looks, page.Items); err != nil {
		return err
	}
	w.finishLost(ctx, lost)
	return w.recordSuccess(ctx)
}

// candidate is a listed session that needs a look, with what is stored
// of it (nil when nothing).
type candidate struct {
	listed shopee.SessionItem
	stored *liveboard.WatchedSession
}

// candidates returns the listed sessions to look at: those that look
// live, and those stored as live. lost are sessions stored as live that
// the first page no longer lists.
func (w *watch) candidates(ctx context.Context,
	items []shopee.SessionItem) ([]candidate, []liveboard.Session, error) {
	since := w.now
	for _, it := range items {
		if !it.StartTime.IsZero() && it.StartTime.Before(since) {
			since = it.StartTime
		}
	}
	stored, err := w.m.Store.WatchedSessions(ctx, w.account.ID, since)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*liveboard.WatchedSession{}
	for i := range stored {
		byID[stored[i].ShopeeSessionID] = &stored[i]
	}

	var out []candidate
	for _, it := range items {
		id := strconv.FormatInt(it.SessionID, 10)
		ws := byID[id]
		delete(byID, id)
		switch {
		case ws != nil && ws.FinalSyncedAt != nil:
		case it.Live(w.now),
			ws != nil && ws.Status == liveboard.SessionOngoing:
			out = append(out, candidate{listed: it, stored: ws})
		}
	}
	var lost []liveboard.Session
	for _, ws := range byID {
		if ws.Status == liveboard.SessionOngoing {
			lost = append(lost, ws.Session)
		}
	}
	return out, lost, nil
}

// lookAll looks at the sessions, several at once. A refused login stops
// the look at the account; any other failure only skips that session.
func (w *watch) lookAll(ctx context.Context,
	cands []candidate) ([]sessionLook, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex
		looks    []sessionLook
		loginErr error
		g        errgroup.Group
	)
	g.SetLimit(orDefault(w.m.Parallel, DefaultWatchParallel))
	for _, c := range cands {
		g.Go(func() error {
			l, err := w.lookSession(ctx, c)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				looks = append(looks, l)
			case needsRelogin(err):
				loginErr = cmpErr(loginErr, err)
				cancel()
			case loginErr == nil:
				w.report.Failed++
				w.m.logger().Warn("live session look failed",
					"account_id", w.account.ID,
					"session_id", c.listed.SessionID, "error", err)
			}
			return nil
		})
	}
	_ = g.Wait()
	return looks, loginErr
}

// cmpErr keeps the first error.
func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// sessionLook is what one look at a session learnt.
type sessionLook struct {
	update liveboard.LiveUpdate
	live   bool
	// stored is the session as it was before the look; nil for a new one.
	stored *liveboard.WatchedSession
}

// lookSession reads one session: its overview always, its details when
// new or due, its products when its sales moved or when due, and both
// when it has ended.
func (w *watch) lookSession(ctx context.Context,
	c candidate) (sessionLook, error) {
	id := c.listed.SessionID
	readAt := w.m.now()
	ov, err := w.m.Shopee.Overview(ctx, w.auth, id)
	if err != nil {
		return sessionLook{}, err
	}

	var prev *liveboard.Session
	if c.stored != nil {
		prev = &c.stored.Session
	}
	full := w.fullDue(c.stored)
	var info *shopee.SessionInfo
	if full || c.stored == nil {
		if info, err = w.info(ctx, id); err != nil {
			return sessionLook{}, err
		}
	}
	live := IsLive(c.listed, info, ov, prev, readAt)
	if info == nil && (!live || statusIs(ov.Status, 2)) {
		// The overview or the list says ended: the details settle it.
		if info, err = w.info(ctx, id); err != nil {
			return sessionLook{}, err
		}
		live = IsLive(c.listed, info, ov, prev, readAt)
	}

	var products []liveboard.Product
	if !live || full || salesMoved(prev, ov.Metrics) {
		if products, err = w.products(ctx, id); err != nil {
			return sessionLook{}, err
		}
	}

	se := BuildSession(w.account, c.listed, info, ov, prev, readAt)
	u := liveboard.LiveUpdate{Session: se, Products: products,
		FullSync: info != nil && products != nil,
		Snapshot: &liveboard.Snapshot{TakenAt: readAt, Metrics: ov.Metrics}}
	return sessionLook{update: u, live: live, stored: c.stored}, nil
}

// fullDue reports whether a session is due to be read in full.
func (w *watch) fullDue(ws *liveboard.WatchedSession) bool {
	return ws == nil || ws.FullSyncedAt == nil ||
		w.now.Sub(*ws.FullSyncedAt) >= w.m.fullSyncEvery()
}

// info reads a session's details. Only a refused login is an error: the
// details are a nicety a look can do without.
func (w *watch) info(ctx context.Context,
	id int64) (*shopee.SessionInfo, error) {
	info, err := w.m.Shopee.SessionInfo(ctx, w.auth, id)
	if err != nil && needsRelogin(err) {
		return nil, err
	}
	if err != nil {
		w.m.logger().Warn("session info failed", "account_id",
			w.account.ID, "session_id", id, "error", err)
	}
	return info, nil
}

// products reads a session's first page of products; nil when that
// failed for a reason other than the login.
func (w *watch) products(ctx context.Context,
	id int64) ([]liveboard.Product, error) {
	page, err := w.m.Shopee.SessionProducts(ctx, w.auth, id, 1,
		productPageSize)
	if err != nil && needsRelogin(err) {
		return nil, err
	}
	if err != nil {
		w.m.logger().Warn("session products failed", "account_id",
			w.account.ID, "session_id", id, "error", err)
		return nil, nil
	}
	if page.Items == nil {
		return []liveboard.Product{}, nil
	}
	return page.Items, nil
}

// salesMoved reports whether the overview's orders or add-to-cart differ
// from the stored session's, or the session is new. Unknown figures never
// count as a move.
func salesMoved(prev *liveboard.Session, m liveboard.Metrics) bool {
	if prev == nil {
		return true
	}
	return moved(prev.Metrics.PlacedOrders, m.PlacedOrders) ||
		moved(prev.Metrics.AddToCart, m.AddToCart)
}

func moved(before, now *int64) bool {
	return now != nil && (before == nil || *before != *now)
}

// store saves the looks in one transaction, then checks the alert rules
// against them and refreshes the analytics of sessions that ended.
func (w *watch) store(ctx context.Context, looks []sessionLook,
	listed []shopee.SessionItem) error {
	if len(looks) == 0 {
		return nil
	}
	history, err := w.history(ctx, looks)
	if err != nil {
		return err
	}

	updates := make([]liveboard.LiveUpdate, len(looks))
	for i, l := range looks {
		updates[i] = l.update
	}
	if err := w.m.Store.SaveLiveUpdates(ctx, updates); err != nil {
		return err
	}
	if w.m.Stored != nil {
		w.m.Stored()
	}

	var ended []time.Time
	for _, l := range looks {
		w.report.Snapshots++
		if l.live {
			w.report.Live++
		} else {
			w.report.Ended++
			ended = append(ended, l.update.Session.StartedAt)
		}
		if err := w.checkSession(ctx, l, history, listed); err != nil {
			return err
		}
	}
	return w.refreshAnalytics(ctx, ended)
}

// history returns the recent snapshots of the looked-at sessions that
// were stored before, as the rules need them.
func (w *watch) history(ctx context.Context,
	looks []sessionLook) (map[int64][]liveboard.Snapshot, error) {
	var ids []int64
	for _, l := range looks {
		if l.stored != nil {
			ids = append(ids, l.stored.ID)
		}
	}
	since := w.now.Add(-w.rules.HistoryWindow() - time.Minute)
	return w.m.Store.RecentSnapshots(ctx, ids, since)
}

func (w *watch) refreshAnalytics(ctx context.Context,
	ended []time.Time) error {
	if len(ended) == 0 || w.m.Syncer == nil {
		return nil
	}
	return w.m.Syncer.RefreshAnalytics(ctx, w.account.StudioID, ended)
}

// finishLost syncs sessions stored as live that the list's first page no
// longer shows, so none stays live in the store forever.
func (w *watch) finishLost(ctx context.Context, lost []liveboard.Session) {
	if w.m.Syncer == nil {
		return
	}
	for _, se := range lost {
		id, err := strconv.ParseInt(se.ShopeeSessionID, 10, 64)
		if err != nil {
			continue
		}
		if _, err := w.m.Syncer.SyncSession(ctx, w.account, w.auth,
			id); err != nil {
			w.m.logger().Warn("lost live session sync failed",
				"account_id", w.account.ID, "session_id", id, "error", err)
		}
	}
}

// failed records a failed look on the account: a refused login marks it
// as needing a new one and fires its alert.
func (w *watch) failed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("monitor account %d: %w", w.account.ID, err)
	}

	relogin := needsRelogin(err)
	msg := liveboard.ErrorMessage(err)
	rerr := w.m.Store.RecordAccountFailure(ctx, w.account.ID, w.m.now(),
		msg, relogin)
	if rerr == nil && relogin {
		w.account.Health.NeedsRelogin = true
		rerr = w.checkRelogin(ctx, msg)
	}
	return fmt.Errorf("monitor account %d: %w", w.account.ID,
		errors.Join(err, rerr))
}

// recordSuccess clears the account's failures after a good look. It
// writes only when there is something to clear.
func (w *watch) recordSuccess(ctx context.Context) error {
	if w.account.Health.ConsecutiveFailures == 0 {
		return nil
	}
	return w.m.Store.RecordAccountSuccess(ctx, w.account.ID, w.m.now())
}
