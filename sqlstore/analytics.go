package sqlstore

import (
	"context"
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

	d.UpdatedAt = s.nowUTC()
	err := s.db.QueryRowContext(ctx, `
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
