package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// metricColumns are the metric columns live_sessions and session_snapshots
// share, in the order metricArgs and metricDests use.
const metricColumns = `viewers_now, peak_viewers, total_viewers, views,
	total_comments, total_likes, total_shares, new_followers, add_to_cart,
	product_clicks, buyers, total_orders, total_revenue, confirmed_orders,
	confirmed_revenue, items_sold, avg_view_time_ms, ctr, conversion_rate`

const metricCount = 19

// metricArgs returns m's values for metricColumns; nil pointers are NULL.
func metricArgs(m *liveboard.Metrics) []any {
	return []any{
		m.ViewersNow, m.PeakViewers, m.Viewers, m.Views,
		m.Comments, m.Likes, m.Shares, m.NewFollowers, m.AddToCart,
		m.ProductClicks, m.Buyers, m.PlacedOrders, moneyArg(m.PlacedGMV),
		m.ConfirmedOrders, moneyArg(m.ConfirmedGMV), m.PlacedItemsSold,
		durationArg(m.AvgViewTime), m.ClickThroughRate, m.ConversionRate,
	}
}

func moneyArg(m *liveboard.Money) *int64 {
	if m == nil {
		return nil
	}
	v := int64(*m)
	return &v
}

func durationArg(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	v := d.Milliseconds()
	return &v
}

// metricScan holds scan targets for metricColumns.
type metricScan struct {
	ints                     [16]*int64
	placedGMV, confirmedGMV  *int64
	avgViewTimeMS            *int64
	clickThrough, conversion *float64
}

func (ms *metricScan) dests() []any {
	i := &ms.ints
	return []any{
		&i[0], &i[1], &i[2], &i[3], &i[4], &i[5], &i[6], &i[7], &i[8],
		&i[9], &i[10], &i[11], &ms.placedGMV, &i[12], &ms.confirmedGMV,
		&i[13], &ms.avgViewTimeMS, &ms.clickThrough, &ms.conversion,
	}
}

func (ms *metricScan) metrics() liveboard.Metrics {
	i := ms.ints
	m := liveboard.Metrics{
		ViewersNow: i[0], PeakViewers: i[1], Viewers: i[2], Views: i[3],
		Comments: i[4], Likes: i[5], Shares: i[6], NewFollowers: i[7],
		AddToCart: i[8], ProductClicks: i[9], Buyers: i[10],
		PlacedOrders: i[11], ConfirmedOrders: i[12], PlacedItemsSold: i[13],
		ClickThroughRate: ms.clickThrough, ConversionRate: ms.conversion,
	}
	if ms.placedGMV != nil {
		m.PlacedGMV = liveboard.Ptr(liveboard.Money(*ms.placedGMV))
	}
	if ms.confirmedGMV != nil {
		m.ConfirmedGMV = liveboard.Ptr(liveboard.Money(*ms.confirmedGMV))
	}
	if ms.avgViewTimeMS != nil {
		d := time.Duration(*ms.avgViewTimeMS) * time.Millisecond
		m.AvgViewTime = &d
	}
	return m
}

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(ps, ", ")
}

// sessionColumns are read in the order scanSession expects.
var sessionColumns = `id, studio_id, shopee_account_id, session_id,
	session_name, cover_image, status, started_at, ended_at, duration_ms,
	campaign_id, campaign_budget, campaign_spent, coins_distributed,
	coin_total_value, synced_at, final_synced_at, created_at, updated_at, ` +
	metricColumns

func scanSession(row interface{ Scan(...any) error }) (*liveboard.Session, error) {
	var se liveboard.Session
	var status string
	var durationMS, budget, spent, coinValue int64
	var ms metricScan

	dests := []any{&se.ID, &se.StudioID, &se.AccountID, &se.ShopeeSessionID,
		&se.Title, &se.CoverImage, &status, &se.StartedAt, &se.EndedAt,
		&durationMS, &se.CampaignID, &budget, &spent, &se.CoinsDistributed,
		&coinValue, &se.SyncedAt, &se.FinalSyncedAt, &se.CreatedAt,
		&se.UpdatedAt}
	if err := row.Scan(append(dests, ms.dests()...)...); err != nil {
		return nil, err
	}

	se.Status = liveboard.SessionStatus(status)
	se.Duration = time.Duration(durationMS) * time.Millisecond
	se.CampaignBudget = liveboard.Money(budget)
	se.CampaignSpent = liveboard.Money(spent)
	se.CoinTotalValue = liveboard.Money(coinValue)
	se.Metrics = ms.metrics()
	se.StartedAt = se.StartedAt.UTC()
	se.EndedAt = utcPtr(se.EndedAt)
	se.SyncedAt = se.SyncedAt.UTC()
	se.FinalSyncedAt = utcPtr(se.FinalSyncedAt)
	se.CreatedAt, se.UpdatedAt = se.CreatedAt.UTC(), se.UpdatedAt.UTC()
	return &se, nil
}

// Session returns a stored session by our id.
func (s *Store) Session(ctx context.Context, id int64) (*liveboard.Session, error) {
	row := s.read.QueryRowContext(ctx,
		`SELECT `+sessionColumns+` FROM live_sessions WHERE id = $1`, id)
	se, err := scanSession(row)
	if err != nil {
		return nil, notFound(err, "session", id)
	}
	return se, nil
}

// SessionByShopeeID returns an account's session by Shopee's id.
func (s *Store) SessionByShopeeID(ctx context.Context, accountID int64,
	shopeeID string) (*liveboard.Session, error) {
	row := s.read.QueryRowContext(ctx, `
		SELECT `+sessionColumns+` FROM live_sessions
		WHERE shopee_account_id = $1 AND session_id = $2`,
		accountID, shopeeID)
	se, err := scanSession(row)
	if err != nil {
		return nil, notFound(err, "session", shopeeID)
	}
	return se, nil
}

// SaveSession inserts or updates se, keyed by its account and Shopee
// session id, and stores snap with it unless the latest snapshot holds the
// same metrics.
func (s *Store) SaveSession(ctx context.Context, se *liveboard.Session,
	snap *liveboard.Snapshot) error {
	if err := validSession(se); err != nil {
		return err
	}

	if err := s.prepareHot(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.upsertSession(ctx, tx, se); err != nil {
			return err
		}
		if snap == nil {
			return nil
		}
		if snap.TakenAt.IsZero() {
			return liveboard.Errorf(liveboard.EInvalid,
				"snapshot of session %s has no time", se.ShopeeSessionID)
		}
		snap.SessionID = se.ID
		fresh, err := insertSnapshot(ctx, s.in(tx), snap)
		if err != nil || !fresh {
			return err
		}
		if err := copyTopProducts(ctx, s.in(tx), snap); err != nil {
			return err
		}
		return assignSeqs(ctx, s.in(tx), []*liveboard.Snapshot{snap})
	})
}

func validSession(se *liveboard.Session) error {
	switch {
	case se.ShopeeSessionID == "":
		return liveboard.Errorf(liveboard.EInvalid, "session id is required")
	case se.AccountID == 0 || se.StudioID == 0:
		return liveboard.Errorf(liveboard.EInvalid,
			"session %s has no account or studio", se.ShopeeSessionID)
	case se.StartedAt.IsZero() || se.SyncedAt.IsZero():
		return liveboard.Errorf(liveboard.EInvalid,
			"session %s has no start or sync time", se.ShopeeSessionID)
	}
	_, err := liveboard.ParseSessionStatus(string(se.Status))
	return err
}

// upsertSessionSQL inserts a session or updates the stored one.
var upsertSessionSQL = `
		INSERT INTO live_sessions (studio_id, shopee_account_id, session_id,
			session_name, cover_image, status, started_at, ended_at,
			duration_ms, campaign_id, campaign_budget, campaign_spent,
			coins_distributed, coin_total_value, synced_at, final_synced_at,
			created_at, updated_at, ` + metricColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
			$15, $16, $17, $17, ` + placeholders(18, metricCount) + `)
		ON CONFLICT (shopee_account_id, session_id) DO UPDATE SET
			session_name = excluded.session_name,
			cover_image = excluded.cover_image,
			status = excluded.status,
			started_at = excluded.started_at,
			ended_at = excluded.ended_at,
			duration_ms = excluded.duration_ms,
			campaign_id = excluded.campaign_id,
			campaign_budget = excluded.campaign_budget,
			campaign_spent = excluded.campaign_spent,
			coins_distributed = CASE
				WHEN excluded.coins_distributed >
					live_sessions.coins_distributed
				THEN excluded.coins_distributed
				ELSE live_sessions.coins_distributed END,
			coin_total_value = CASE
				WHEN excluded.coin_total_value >
					live_sessions.coin_total_value
				THEN excluded.coin_total_value
				ELSE live_sessions.coin_total_value END,
			synced_at = excluded.synced_at,
			final_synced_at = excluded.final_synced_at,
			updated_at = excluded.updated_at,
			` + excludedAssignments(metricColumns) + `
		RETURNING id, created_at, updated_at`

func (s *Store) upsertSession(ctx context.Context, tx *sql.Tx,
	se *liveboard.Session) error {
	now := s.nowUTC()
	args := []any{se.StudioID, se.AccountID, se.ShopeeSessionID, se.Title,
		se.CoverImage, string(se.Status), utc(se.StartedAt),
		utcPtr(se.EndedAt), se.Duration.Milliseconds(), se.CampaignID,
		int64(se.CampaignBudget), int64(se.CampaignSpent),
		se.CoinsDistributed, int64(se.CoinTotalValue), utc(se.SyncedAt),
		utcPtr(se.FinalSyncedAt), now}
	args = append(args, metricArgs(&se.Metrics)...)

	err := s.in(tx).QueryRowContext(ctx, upsertSessionSQL, args...,
	).Scan(&se.ID, &se.CreatedAt, &se.UpdatedAt)
	if err != nil {
		return writeErr(err, "save session "+se.ShopeeSessionID)
	}
	se.CreatedAt, se.UpdatedAt = se.CreatedAt.UTC(), se.UpdatedAt.UTC()
	return nil
}

// excludedAssignments turns "a, b" into "a = excluded.a, b = excluded.b".
func excludedAssignments(columns string) string {
	var out []string
	for _, c := range strings.Split(columns, ",") {
		c = strings.TrimSpace(c)
		out = append(out, c+" = excluded."+c)
	}
	return strings.Join(out, ",\n\t\t\t")
}

// latestSnapshotSQL reads a session's latest snapshot; insertSnapshotSQL
// stores one, or finds the one taken at the same moment.
var (
	latestSnapshotSQL = `SELECT ` + snapshotColumns + `
		FROM session_snapshots WHERE session_id = $1
		ORDER BY taken_at DESC LIMIT 1`
	insertSnapshotSQL = `
		INSERT INTO session_snapshots (session_id, taken_at, ` +
		metricColumns + `)
		VALUES ($1, $2, ` + placeholders(3, metricCount) + `)
		ON CONFLICT (session_id, taken_at) DO UPDATE
			SET taken_at = excluded.taken_at
		RETURNING id, seq`
)

// insertSnapshot stores snap unless the session's latest snapshot holds
// the same metrics, or one was already taken at the same moment; then
// snap becomes that one. It reports whether snap is a new row, which
// still needs its top products and its seq.
func insertSnapshot(ctx context.Context, q execer,
	snap *liveboard.Snapshot) (fresh bool, err error) {
	latest, err := scanSnapshot(q.QueryRowContext(ctx, latestSnapshotSQL,
		snap.SessionID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, fmt.Errorf("sqlstore: latest snapshot: %w", err)
	case sameMetrics(latest.Metrics, snap.Metrics):
		*snap = *latest
		return false, nil
	}

	// Snapshots are kept to the second: the sync and the monitor reading
	// a session in the same second make one snapshot, not two.
	snap.TakenAt = snap.TakenAt.Truncate(time.Second)
	args := append([]any{snap.SessionID, utc(snap.TakenAt)},
		metricArgs(&snap.Metrics)...)
	var seq sql.NullInt64
	err = q.QueryRowContext(ctx, insertSnapshotSQL, args...).Scan(&snap.ID,
		&seq)
	if err != nil {
		return false, writeErr(err, "save snapshot")
	}
	snap.Seq = seq.Int64
	return !seq.Valid, nil
}

func sameMetrics(a, b liveboard.Metrics) bool {
	x, y := metricArgs(&a), metricArgs(&b)
	for i := range x {
		if deref(x[i]) != deref(y[i]) {
			return false
		}
	}
	return true
}

// deref returns what a metric argument points at, or nil.
func deref(v any) any {
	switch p := v.(type) {
	case *int64:
		if p != nil {
			return *p
		}
	case *float64:
		if p != nil {
			return *p
		}
	}
	return nil
}

// snapshotColumns are read in the order scanSnapshot expects. A
// snapshot whose transaction has not yet given it a seq reads as 0.
const snapshotColumns = `id, session_id, taken_at, ` + metricColumns +
	`, COALESCE(seq, 0)`

func scanSnapshot(row interface{ Scan(...any) error }) (*liveboard.Snapshot, error) {
	var snap liveboard.Snapshot
	var ms metricScan
	dests := append([]any{&snap.ID, &snap.SessionID, &snap.TakenAt},
		ms.dests()...)
	dests = append(dests, &snap.Seq)
	if err := row.Scan(dests...); err != nil {
		return nil, err
	}
	snap.TakenAt = snap.TakenAt.UTC()
	snap.Metrics = ms.metrics()
	return &snap, nil
}

// Snapshots returns a session's snapshots taken at or after since, oldest
// first.
func (s *Store) Snapshots(ctx context.Context, sessionID int64,
	since time.Time) ([]liveboard.Snapshot, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+snapshotColumns+`
		FROM session_snapshots
		WHERE session_id = $1 AND taken_at >= $2
		ORDER BY taken_at`, sessionID, utc(since))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list snapshots: %w", err)
	}
	return collect(rows, scanSnapshot)
}

// maxPage caps how many sessions one call returns.
const maxPage = 500

// Sessions returns one page of sessions matching f, newest first, and how
// many match in all.
func (s *Store) Sessions(ctx context.Context,
	f liveboard.SessionFilter) ([]liveboard.Session, int, error) {
	where, args := sessionWhere(f)

	var total int
	err := s.read.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM live_sessions WHERE `+where, args...,
	).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: count sessions: %w", err)
	}

	limit := f.Limit
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	n := len(args)
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+sessionColumns+` FROM live_sessions
		WHERE `+where+`
		ORDER BY `+sessionOrder[f.Sort]+`started_at DESC, id DESC
		LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: list sessions: %w", err)
	}
	list, err := collect(rows, scanSession)
	return list, total, err
}

// sessionOrder is what each sort puts before the newest-first order.
// Unknown metrics sort as zero on both engines, which place NULLs apart.
var sessionOrder = map[liveboard.SessionSort]string{
	liveboard.SortOldest:  "started_at ASC, id ASC, ",
	liveboard.SortGMV:     "COALESCE(total_revenue, 0) DESC, ",
	liveboard.SortOrders:  "COALESCE(total_orders, 0) DESC, ",
	liveboard.SortViewers: "COALESCE(peak_viewers, 0) DESC, ",
}

func sessionWhere(f liveboard.SessionFilter) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds,
			strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}

	if f.StudioIDs != nil {
		if len(f.StudioIDs) == 0 {
			conds = append(conds, "1 = 0")
		}
		var ors []string
		for _, id := range f.StudioIDs {
			args = append(args, id)
			ors = append(ors, "studio_id = $"+strconv.Itoa(len(args)))
		}
		if len(ors) > 0 {
			conds = append(conds, "("+strings.Join(ors, " OR ")+")")
		}
	}
	if f.AccountID != 0 {
		add("shopee_account_id = ?", f.AccountID)
	}
	if f.ShopeeSessionID != "" {
		add("session_id = ?", f.ShopeeSessionID)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if !f.StartedFrom.IsZero() {
		add("started_at >= ?", utc(f.StartedFrom))
	}
	if !f.StartedBefore.IsZero() {
		add("started_at < ?", utc(f.StartedBefore))
	}
	return strings.Join(conds, " AND "), args
}
