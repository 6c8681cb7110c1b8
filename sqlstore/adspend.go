package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"liveboard"
)

// RecordAdSpend stores an account's ad spend for a day unless a later
// report of it is stored already.
func (s *Store) RecordAdSpend(ctx context.Context,
	a liveboard.AdSpend) (bool, error) {
	if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
		return false, liveboard.Errorf(liveboard.EInvalid,
			"ad spend date %q is not YYYY-MM-DD", a.Date)
	}
	if a.Spend < 0 {
		return false, liveboard.Errorf(liveboard.EInvalid,
			"ad spend must not be negative")
	}

	res, err := s.db.ExecContext(ctx, `
		INSERT INTO ad_spend (account_id, date, spend, updated_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, date) DO UPDATE SET
			spend = excluded.spend,
			updated_at = excluded.updated_at
		WHERE ad_spend.updated_at <= excluded.updated_at`,
		a.AccountID, a.Date, int64(a.Spend), utc(a.UpdatedAt))
	if err != nil {
		return false, writeErr(err, "record ad spend")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlstore: record ad spend: %w", err)
	}
	return n > 0, nil
}

// AdSpends returns the ad spend of the studio's accounts for
// from ≤ date ≤ to.
func (s *Store) AdSpends(ctx context.Context, studioID int64,
	from, to string) ([]liveboard.AdSpend, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT sp.account_id, sp.date, sp.spend, sp.updated_at
		FROM ad_spend sp
		JOIN shopee_accounts a ON a.id = sp.account_id
		WHERE a.studio_id = $1 AND sp.date >= $2 AND sp.date <= $3
		ORDER BY sp.date, sp.account_id`, studioID, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list ad spend: %w", err)
	}
	return collect(rows, scanAdSpend)
}

func scanAdSpend(row interface{ Scan(...any) error }) (*liveboard.AdSpend,
	error) {
	var a liveboard.AdSpend
	var date dateValue
	var spend int64
	if err := row.Scan(&a.AccountID, &date, &spend,
		&a.UpdatedAt); err != nil {
		return nil, err
	}
	a.Date = string(date)
	a.Spend = liveboard.Money(spend)
	a.UpdatedAt = a.UpdatedAt.UTC()
	return &a, nil
}

// dayAdSpend returns the sum of the ad spend stored for the studio's
// accounts on date; zero when none is.
func dayAdSpend(ctx context.Context, tx *sql.Tx, studioID int64,
	date string) (liveboard.Money, error) {
	var sum int64
	err := tx.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(sp.spend), 0)
		FROM ad_spend sp
		JOIN shopee_accounts a ON a.id = sp.account_id
		WHERE a.studio_id = $1 AND sp.date = $2`,
		studioID, date).Scan(&sum)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: ad spend of %s: %w", date, err)
	}
	return liveboard.Money(sum), nil
}
