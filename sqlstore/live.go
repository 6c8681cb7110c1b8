package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// scanner is a row or rows being read.
type scanner = interface{ Scan(...any) error }

// extraScan reads a row through a scan function that knows only its
// first columns, then the extra ones into extra.
type extraScan struct {
	row   scanner
	extra []any
}

func (e extraScan) Scan(dests ...any) error {
	return e.row.Scan(append(dests, e.extra...)...)
}

// productColumns are the product columns session_products and
// snapshot_products share, in the order productArgs and scanProduct use.
const productColumns = `item_id, title, cover_image, min_price, max_price,
	clicks, ctr, add_to_cart, orders, revenue, items_sold, conversion_rate,
	confirmed_orders, confirmed_revenue, confirmed_items_sold,
	confirmed_conversion_rate`

const productCount = 16

// productOrder puts best sellers first, unknown figures counting as
// nothing, as liveboard.TopProducts does.
const productOrder = `COALESCE(revenue, 0) DESC, COALESCE(orders, 0) DESC,
	COALESCE(clicks, 0) DESC, item_id`

func productArgs(p *liveboard.Product) []any {
	return []any{
		p.ItemID, p.Title, p.CoverImage, moneyArg(p.MinPrice),
		moneyArg(p.MaxPrice), p.Clicks, p.ClickThroughRate, p.AddToCart,
		p.Orders, moneyArg(p.Revenue), p.ItemsSold, p.ConversionRate,
		p.ConfirmedOrders, moneyArg(p.ConfirmedRevenue),
		p.ConfirmedItemsSold, p.ConfirmedConversionRate,
	}
}

func scanProduct(row scanner) (*liveboard.Product, error) {
	var p liveboard.Product
	var minPrice, maxPrice, revenue, confirmedRevenue *int64
	err := row.Scan(&p.ItemID, &p.Title, &p.CoverImage, &minPrice,
		&maxPrice, &p.Clicks, &p.ClickThroughRate, &p.AddToCart, &p.Orders,
		&revenue, &p.ItemsSold, &p.ConversionRate, &p.ConfirmedOrders,
		&confirmedRevenue, &p.ConfirmedItemsSold, &p.ConfirmedConversionRate)
	if err != nil {
		return nil, err
	}
	p.MinPrice, p.MaxPrice = moneyOf(minPrice), moneyOf(maxPrice)
	p.Revenue, p.ConfirmedRevenue = moneyOf(revenue), moneyOf(confirmedRevenue)
	return &p, nil
}

func moneyOf(v *int64) *liveboard.Money {
	if v == nil {
		return nil
	}
	return liveboard.Ptr(liveboard.Money(*v))
}

// WatchedSessions returns an account's sessions that are ongoing or
// started at or after since, newest first, with their monitoring state.
func (s *Store) WatchedSessions(ctx context.Context, accountID int64,
	since time.Time) ([]liveboard.WatchedSession, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+sessionColumns+`, full_synced_at FROM live_sessions
		WHERE shopee_account_id = $1
			AND (status = 'ongoing' OR started_at >= $2)
		ORDER BY started_at DESC, id DESC`, accountID, utc(since))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: watched sessions: %w", err)
	}
	return collect(rows, scanWatched)
}

func scanWatched(row interface{ Scan(...any) error }) (*liveboard.WatchedSession, error) {
	var full *time.Time
	se, err := scanSession(extraScan{row: row, extra: []any{&full}})
	if err != nil {
		return nil, err
	}
	return &liveboard.WatchedSession{Session: *se,
		FullSyncedAt: utcPtr(full)}, nil
}

// SaveLiveUpdates stores the updates in one transaction. The snapshot
// counter is taken last, so its lock is held only for the few statements
// that give the new snapshots their seqs.
func (s *Store) SaveLiveUpdates(ctx context.Context,
	updates []liveboard.LiveUpdate) error {
	for _, u := range updates {
		if err := validSession(u.Session); err != nil {
			return err
		}
		if u.Snapshot != nil && u.Snapshot.TakenAt.IsZero() {
			return liveboard.Errorf(liveboard.EInvalid,
				"snapshot of session %s has no time",
				u.Session.ShopeeSessionID)
		}
	}

	if err := s.prepareHot(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var fresh []*liveboard.Snapshot
		for _, u := range updates {
			snap, err := s.saveLive(ctx, tx, u)
			if err != nil {
				return err
			}
			if snap != nil {
				fresh = append(fresh, snap)
			}
		}
		return assignSeqs(ctx, s.in(tx), fresh)
	})
}

// saveLive stores one update but the seq of its snapshot, and returns the
// snapshot when it is a new row.
func (s *Store) saveLive(ctx context.Context, tx *sql.Tx,
	u liveboard.LiveUpdate) (*liveboard.Snapshot, error) {
	se := u.Session
	if err := s.upsertSession(ctx, tx, se); err != nil {
		return nil, err
	}
	q := s.in(tx)
	if u.FullSync {
		_, err := q.ExecContext(ctx, markFullSQL, se.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: mark full sync: %w", err)
		}
	}
	if u.Products != nil {
		if err := s.replaceProducts(ctx, q, se.ID, u.Products); err != nil {
			return nil, err
		}
	}
	if u.Snapshot == nil {
		return nil, nil
	}

	u.Snapshot.SessionID = se.ID
	fresh, err := insertSnapshot(ctx, q, u.Snapshot)
	if err != nil || !fresh {
		return nil, err
	}
	if err := copyTopProducts(ctx, q, u.Snapshot); err != nil {
		return nil, err
	}
	return u.Snapshot, nil
}

// replaceProducts makes ps the session's stored products.
func (s *Store) replaceProducts(ctx context.Context, q execer,
	sessionID int64, ps []liveboard.Product) error {
	if _, err := q.ExecContext(ctx, clearProductsSQL, sessionID); err != nil {
		return fmt.Errorf("sqlstore: clear products: %w", err)
	}

	now := s.nowUTC()
	for len(ps) > 0 {
		n := productChunk
		if len(ps) < n {
			n = 1
		}
		var args []any
		for i := range n {
			args = append(args, sessionID)
			args = append(args, productArgs(&ps[i])...)
			args = append(args, now)
		}
		if _, err := q.ExecContext(ctx, insertProductsSQL[n],
			args...); err != nil {
			return writeErr(err, "save products")
		}
		ps = ps[n:]
	}
	return nil
}

// productChunk is how many products one statement inserts, but for the
// last few, inserted one by one: few statements, each prepared once.
const productChunk = 8

// insertProductsSQL inserts 1 or productChunk products.
var insertProductsSQL = map[int]string{
	1: insertProducts(1), productChunk: insertProducts(productChunk)}

func insertProducts(n int) string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = "(" + placeholders(i*(productCount+2)+1, productCount+2) + ")"
	}
	return `INSERT INTO session_products (session_id, ` + productColumns +
		`, updated_at) VALUES ` + strings.Join(rows, ", ") + `
		ON CONFLICT (session_id, item_id) DO NOTHING`
}

// copyTopProducts keeps the session's best sellers with a new snapshot.
func copyTopProducts(ctx context.Context, q execer,
	snap *liveboard.Snapshot) error {
	_, err := q.ExecContext(ctx, copyTopSQL, snap.ID, snap.SessionID)
	if err != nil {
		return fmt.Errorf("sqlstore: keep top products: %w", err)
	}
	return nil
}

// assignSeqs gives the snapshots the next seqs, in order. It must be the
// last step of its transaction: the counter's row stays locked until the
// commit, so a transaction with higher seqs commits only after this one.
func assignSeqs(ctx context.Context, q execer,
	snaps []*liveboard.Snapshot) error {
	if len(snaps) == 0 {
		return nil
	}

	var last int64
	err := q.QueryRowContext(ctx, nextSeqSQL, len(snaps)).Scan(&last)
	if err != nil {
		return fmt.Errorf("sqlstore: next snapshot seq: %w", err)
	}

	seq := last - int64(len(snaps))
	for _, snap := range snaps {
		seq++
		if _, err := q.ExecContext(ctx, setSeqSQL, seq, snap.ID); err != nil {
			return fmt.Errorf("sqlstore: set snapshot seq: %w", err)
		}
		snap.Seq = seq
	}
	return nil
}

// The statements of the live write path.
var (
	markFullSQL = `UPDATE live_sessions SET full_synced_at = synced_at
		WHERE id = $1`
	clearProductsSQL = `DELETE FROM session_products WHERE session_id = $1`
	copyTopSQL       = `
		INSERT INTO snapshot_products (snapshot_id, place, ` +
		productColumns + `)
		SELECT $1, ROW_NUMBER() OVER (ORDER BY ` + productOrder + `), ` +
		productColumns + `
		FROM session_products WHERE session_id = $2
		ORDER BY ` + productOrder + `
		LIMIT ` + strconv.Itoa(liveboard.TopProductCount)
	nextSeqSQL = `UPDATE snapshot_seq SET last_seq = last_seq + $1
		WHERE id = 1 RETURNING last_seq`
	setSeqSQL = `UPDATE session_snapshots SET seq = $1 WHERE id = $2`
)

// hotQueries are prepared once per store, before their first use.
var hotQueries = []string{upsertSessionSQL, latestSnapshotSQL,
	insertSnapshotSQL, markFullSQL, clearProductsSQL, insertProductsSQL[1],
	insertProductsSQL[productChunk], copyTopSQL, nextSeqSQL, setSeqSQL}

// SessionProducts returns the latest figures of a session's products,
// best sellers first.
func (s *Store) SessionProducts(ctx context.Context,
	sessionID int64) ([]liveboard.Product, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+productColumns+` FROM session_products
		WHERE session_id = $1 ORDER BY `+productOrder, sessionID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: session products: %w", err)
	}
	return collect(rows, scanProduct)
}

// idList returns placeholders for ids from $from on, and the ids as
// arguments.
func idList(from int, ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return placeholders(from, len(ids)), args
}

// RecentSnapshots returns the sessions' snapshots taken at or after
// since, oldest first, by session.
func (s *Store) RecentSnapshots(ctx context.Context, sessionIDs []int64,
	since time.Time) (map[int64][]liveboard.Snapshot, error) {
	out := map[int64][]liveboard.Snapshot{}
	if len(sessionIDs) == 0 {
		return out, nil
	}

	list, args := idList(2, sessionIDs)
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+snapshotColumns+` FROM session_snapshots
		WHERE taken_at >= $1 AND session_id IN (`+list+`)
		ORDER BY session_id, taken_at`,
		append([]any{utc(since)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: recent snapshots: %w", err)
	}
	snaps, err := collect(rows, scanSnapshot)
	if err != nil {
		return nil, err
	}
	for _, snap := range snaps {
		out[snap.SessionID] = append(out[snap.SessionID], snap)
	}
	return out, nil
}

// qualified prefixes each of a list of columns with a table alias.
func qualified(alias, columns string) string {
	var out []string
	for _, c := range strings.Split(columns, ",") {
		out = append(out, alias+"."+strings.TrimSpace(c))
	}
	return strings.Join(out, ", ")
}

// maxEvents caps how many snapshot events one call returns.
const maxEvents = 1000

// SnapshotEvents returns up to limit snapshots of the studios' sessions
// with a seq above after, in seq order, with their top products.
func (s *Store) SnapshotEvents(ctx context.Context, studioIDs []int64,
	after int64, limit int) ([]liveboard.SnapshotEvent, error) {
	if studioIDs != nil && len(studioIDs) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > maxEvents {
		limit = maxEvents
	}

	where, args := "sn.seq > $1", []any{after}
	if studioIDs != nil {
		list, ids := idList(2, studioIDs)
		where += " AND s.studio_id IN (" + list + ")"
		args = append(args, ids...)
	}
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, `
		SELECT sn.id, sn.session_id, sn.taken_at, `+
		qualified("sn", metricColumns)+`, sn.seq, s.studio_id,
			s.shopee_account_id, a.region, s.session_id, s.session_name,
			s.status
		FROM session_snapshots sn
		JOIN live_sessions s ON s.id = sn.session_id
		JOIN shopee_accounts a ON a.id = s.shopee_account_id
		WHERE `+where+`
		ORDER BY sn.seq
		LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: snapshot events: %w", err)
	}
	events, err := collect(rows, scanEvent)
	if err != nil {
		return nil, err
	}
	return events, s.attachTopProducts(ctx, events)
}

func scanEvent(row interface{ Scan(...any) error }) (*liveboard.SnapshotEvent, error) {
	var ev liveboard.SnapshotEvent
	var ms metricScan
	var region, status string
	dests := append([]any{&ev.ID, &ev.SessionID, &ev.TakenAt}, ms.dests()...)
	dests = append(dests, &ev.Seq, &ev.StudioID, &ev.AccountID, &region,
		&ev.ShopeeSessionID, &ev.Title, &status)
	if err := row.Scan(dests...); err != nil {
		return nil, err
	}
	ev.TakenAt = ev.TakenAt.UTC()
	ev.Metrics = ms.metrics()
	ev.Region = liveboard.Region(region)
	ev.Status = liveboard.SessionStatus(status)
	return &ev, nil
}

// attachTopProducts reads the top products of the events' snapshots.
func (s *Store) attachTopProducts(ctx context.Context,
	events []liveboard.SnapshotEvent) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]int64, len(events))
	byID := make(map[int64]*liveboard.SnapshotEvent, len(events))
	for i := range events {
		ids[i] = events[i].ID
		byID[events[i].ID] = &events[i]
	}

	list, args := idList(1, ids)
	rows, err := s.read.QueryContext(ctx, `
		SELECT snapshot_id, `+productColumns+` FROM snapshot_products
		WHERE snapshot_id IN (`+list+`)
		ORDER BY snapshot_id, place`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: snapshot products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		p, err := scanProduct(prefixScan{row: rows, first: &id})
		if err != nil {
			return fmt.Errorf("sqlstore: scan: %w", err)
		}
		ev := byID[id]
		ev.TopProducts = append(ev.TopProducts, *p)
	}
	return rows.Err()
}

// prefixScan reads one leading column into first, then the rest through
// a scan function that knows only those.
type prefixScan struct {
	row   scanner
	first any
}

func (p prefixScan) Scan(dests ...any) error {
	return p.row.Scan(append([]any{p.first}, dests...)...)
}

// LastSnapshotSeq returns the highest seq given to a snapshot.
func (s *Store) LastSnapshotSeq(ctx context.Context) (int64, error) {
	var last int64
	err := s.read.QueryRowContext(ctx,
		`SELECT last_seq FROM snapshot_seq WHERE id = 1`).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: last snapshot seq: %w", err)
	}
	return last, nil
}
