package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"liveboard"
)

// SaveDailyAnalytics inserts or replaces the row for d's studio and date
// and sets d's ID.
func (s *Store) SaveDailyAnalytics(ctx context.Context,
	d *liveboard.DailyAnalytics) error {
	if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"analytics date %q is not YYYY-MM-DD", d.Date)
	}

	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.saveDailyAnalytics(ctx, tx, d)
	})
}

func (s *Store) saveDailyAnalytics(ctx context.Context, tx *sql.Tx,
	d *liveboard.DailyAnalytics) error {
	d.UpdatedAt = s.nowUTC()
	err := tx.QueryRowContext(ctx, `
		INSERT INTO live_analytics (studio_id, date, total_sessions,
			total_viewers, total_orders, total_revenue, average_order_value,
			conversion_rate, roi_percentage, total_ad_spend, total_commission,
			updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (studio_id, date) DO UPDATE SET
			total_sessions = excluded.total_sessions,
			total_viewers = excluded.total_viewers,
			total_orders = excluded.total_orders,
			total_revenue = excluded.total_revenue,
			average_order_value = excluded.average_order_value,
			conversion_rate = excluded.conversion_rate,
			roi_percentage = excluded.roi_percentage,
			total_ad_spend = excluded.total_ad_spend,
			total_commission = excluded.total_commission,
			updated_at = excluded.updated_at
		RETURNING id`,
		d.StudioID, d.Date, d.TotalSessions, d.TotalViewers, d.TotalOrders,
		int64(d.TotalRevenue), int64(d.AverageOrderValue), d.ConversionRate,
		d.ROIPercentage, int64(d.TotalAdSpend), int64(d.TotalCommission),
		d.UpdatedAt,
	).Scan(&d.ID)
	if err != nil {
		return writeErr(err, "save daily analytics")
	}
	return nil
}

// RefreshDailyAnalytics recomputes a studio's row for date from the
// sessions that started in [from, to) and the ad spend stored for date,
// in one transaction. On PostgreSQL a
// transaction-scoped advisory lock on the studio keeps two refreshes from
// interleaving; SQLite runs one writing transaction at a time anyway.
func (s *Store) RefreshDailyAnalytics(ctx context.Context, studioID int64,
	date string, from, to time.Time,
	summarize func([]liveboard.Session,
		liveboard.Money) liveboard.DailyAnalytics) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if s.engine == Postgres {
			_, err := tx.ExecContext(ctx,
				`SELECT pg_advisory_xact_lock($1, $2)`,
				analyticsLockSpace, int32(studioID))
			if err != nil {
				return fmt.Errorf("sqlstore: lock analytics: %w", err)
			}
		}

		rows, err := tx.QueryContext(ctx, `
			SELECT `+sessionColumns+` FROM live_sessions
			WHERE studio_id = $1 AND started_at >= $2 AND started_at < $3
			ORDER BY started_at`, studioID, utc(from), utc(to))
		if err != nil {
			return fmt.Errorf("sqlstore: sessions of %s: %w", date, err)
		}
		sessions, err := collect(rows, scanSession)
		if err != nil {
			return err
		}

		spend, err := dayAdSpend(ctx, tx, studioID, date)
		if err != nil {
			return err
		}

		d := summarize(sessions, spend)
		d.StudioID, d.Date = studioID, date
		return s.saveDailyAnalytics(ctx, tx, &d)
	})
}

// analyticsLockSpace is the first key of the advisory locks that
// serialize analytics refreshes, one lock per studio.
const analyticsLockSpace = 0x4c42 // "LB"

// DailyAnalytics returns a studio's rows for from ≤ date ≤ to, oldest
// first.
func (s *Store) DailyAnalytics(ctx context.Context, studioID int64,
	from, to string) ([]liveboard.DailyAnalytics, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, studio_id, date, total_sessions, total_viewers,
			total_orders, total_revenue, average_order_value,
			conversion_rate, roi_percentage, total_ad_spend,
			total_commission, updated_at
		FROM live_analytics
		WHERE studio_id = $1 AND date >= $2 AND date <= $3
		ORDER BY date`, studioID, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list daily analytics: %w", err)
	}
	return collect(rows, scanAnalytics)
}

func scanAnalytics(row interface{ Scan(...any) error }) (*liveboard.DailyAnalytics, error) {
	var d liveboard.DailyAnalytics
	var date dateValue
	var revenue, aov, adSpend, commission int64
	err := row.Scan(&d.ID, &d.StudioID, &date, &d.TotalSessions,
		&d.TotalViewers, &d.TotalOrders, &revenue, &aov, &d.ConversionRate,
		&d.ROIPercentage, &adSpend, &commission, &d.UpdatedAt)
	if err != nil {
		return nil, err
	}
	d.Date = string(date)
	d.TotalRevenue = liveboard.Money(revenue)
	d.AverageOrderValue = liveboard.Money(aov)
	d.TotalAdSpend = liveboard.Money(adSpend)
	d.TotalCommission = liveboard.Money(commission)
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}

// dateValue scans a calendar date as YYYY-MM-DD: PostgreSQL hands back a
// DATE as a time, SQLite as the text it stores.
type dateValue string

func (d *dateValue) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = dateValue(v.Format(time.DateOnly))
	case string:
		*d = dateValue(v)
	case []byte:
		*d = dateValue(v)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as a date", src)
	}
	return nil
}
