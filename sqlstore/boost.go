package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liveboard"
)

// CreateBoostPlan stores p as running.
func (s *Store) CreateBoostPlan(ctx context.Context,
	p *liveboard.BoostPlan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.nowUTC()
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO boost_plans (studio_id, account_id, session_id,
			shopee_session_id, total_coins, coins_per_claim, claim_times,
			interval_seconds, min_viewers, status, reason, created_by,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running', '', $10,
			$11, $11)
		RETURNING id`,
		p.StudioID, p.AccountID, p.SessionID, p.ShopeeSessionID,
		p.TotalCoins, p.CoinsPerClaim, p.ClaimTimes,
		int64(p.Interval/time.Second), p.MinViewers, p.CreatedBy,
		now).Scan(&p.ID)
	if constraintKind(err) == "unique" {
		return liveboard.Errorf(liveboard.EConflict, "session %s already "+
			"has a running boost plan; stop it first", p.ShopeeSessionID)
	}
	if err != nil {
		return writeErr(err, "create boost plan")
	}
	p.Status, p.Reason = liveboard.BoostRunning, ""
	p.CreatedAt, p.UpdatedAt, p.EndedAt = now, now, nil
	return nil
}

const boostPlanColumns = `id, studio_id, account_id, session_id,
	shopee_session_id, total_coins, coins_per_claim, claim_times,
	interval_seconds, min_viewers, status, reason, created_by, created_at,
	updated_at, ended_at`

func scanBoostPlan(row interface{ Scan(...any) error }) (*liveboard.BoostPlan,
	error) {
	var (
		p        liveboard.BoostPlan
		interval int64
		ended    sql.NullTime
	)
	if err := row.Scan(&p.ID, &p.StudioID, &p.AccountID, &p.SessionID,
		&p.ShopeeSessionID, &p.TotalCoins, &p.CoinsPerClaim,
		&p.ClaimTimes, &interval, &p.MinViewers, &p.Status, &p.Reason,
		&p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &ended); err != nil {
		return nil, err
	}
	p.Interval = time.Duration(interval) * time.Second
	p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt)
	if ended.Valid {
		p.EndedAt = new(utc(ended.Time))
	}
	return &p, nil
}

// BoostPlan returns a plan with its rounds.
func (s *Store) BoostPlan(ctx context.Context,
	id int64) (*liveboard.BoostPlan, error) {
	p, err := scanBoostPlan(s.read.QueryRowContext(ctx,
		`SELECT `+boostPlanColumns+` FROM boost_plans WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, liveboard.Errorf(liveboard.ENotFound,
			"boost plan %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: boost plan: %w", err)
	}

	rows, err := s.read.QueryContext(ctx, `
		SELECT plan_id, number, status, decided_at, coins, viewers,
			session_coins_before, claimed, claims, error, updated_at
		FROM boost_rounds WHERE plan_id = $1 ORDER BY number`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: boost rounds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r liveboard.BoostRound
		if err := rows.Scan(&r.PlanID, &r.Number, &r.Status, &r.At,
			&r.Coins, &r.Viewers, &r.SessionCoinsBefore, &r.Claimed,
			&r.Claims, &r.Error, &r.UpdatedAt); err != nil {
			return nil, fmt.Errorf("sqlstore: boost rounds: %w", err)
		}
		r.At, r.UpdatedAt = utc(r.At), utc(r.UpdatedAt)
		p.Rounds = append(p.Rounds, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: boost rounds: %w", err)
	}
	return p, nil
}

// BoostPlans returns a studio's latest plans.
func (s *Store) BoostPlans(ctx context.Context, studioID int64,
	limit int) ([]liveboard.BoostPlan, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+boostPlanColumns+`
		FROM boost_plans WHERE studio_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, studioID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: boost plans: %w", err)
	}
	defer rows.Close()

	var out []liveboard.BoostPlan
	for rows.Next() {
		p, err := scanBoostPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: boost plans: %w", err)
		}
		out = append(out, *p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: boost plans: %w", err)
	}
	return out, nil
}

// EndBoostPlan moves a running plan to a final status.
func (s *Store) EndBoostPlan(ctx context.Context, id int64,
	status liveboard.BoostStatus, reason string, t time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `
		UPDATE boost_plans SET status = $1, reason = $2, ended_at = $3,
			updated_at = $3
		WHERE id = $4 AND status = 'running'`, status, reason, utc(t), id)
	if err != nil {
		return false, writeErr(err, "end boost plan")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlstore: end boost plan: %w", err)
	}
	return n == 1, nil
}

// ClaimBoostRound stores r unless the plan stopped, the round exists or
// the budget does not allow it. It first touches the plan's row, which
// keeps other claims of the plan waiting until it commits on PostgreSQL;
// SQLite runs one write transaction at a time anyway.
func (s *Store) ClaimBoostRound(ctx context.Context,
	r *liveboard.BoostRound) (bool, error) {
	r.At = utc(r.At)
	r.UpdatedAt = r.At
	claimed := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE boost_plans SET updated_at = updated_at
			WHERE id = $1 AND status = 'running'`, r.PlanID)
		if err != nil {
			return writeErr(err, "claim boost round")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}

		var total, spent int64
		var exists bool
		err = tx.QueryRowContext(ctx, `
			SELECT p.total_coins,
				COALESCE((SELECT SUM(coins) FROM boost_rounds
					WHERE plan_id = p.id
					AND status IN ('pending', 'done', 'unknown')), 0),
				EXISTS (SELECT 1 FROM boost_rounds
					WHERE plan_id = p.id AND number = $2)
			FROM boost_plans p WHERE p.id = $1`, r.PlanID,
			r.Number).Scan(&total, &spent, &exists)
		if err != nil {
			return fmt.Errorf("sqlstore: claim boost round: %w", err)
		}
		if exists || (r.Status.Spends() && spent+r.Coins > total) {
			return nil
		}

		_, err = tx.ExecContext(ctx, `
			INSERT INTO boost_rounds (plan_id, number, status,
				decided_at, coins, viewers, session_coins_before, claimed,
				claims, error, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $4)`,
			r.PlanID, r.Number, r.Status, r.At, r.Coins, r.Viewers,
			r.SessionCoinsBefore, r.Claimed, r.Claims, r.Error)
		if err != nil {
			return writeErr(err, "claim boost round")
		}
		claimed = true
		return nil
	})
	if err != nil {
		return false, err
	}
	return claimed, nil
}

// FinishBoostRound records a round's outcome.
func (s *Store) FinishBoostRound(ctx context.Context, planID int64,
	number int, status liveboard.RoundStatus, errMsg string,
	t time.Time) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE boost_rounds SET status = $1, error = $2, updated_at = $3
		WHERE plan_id = $4 AND number = $5`,
		status, errMsg, utc(t), planID, number)
	if err != nil {
		return writeErr(err, "finish boost round")
	}
	return oneRow(res, "boost round %d of plan %d", number, planID)
}

// SetRoundClaims records what was claimed of a round's giveaway.
func (s *Store) SetRoundClaims(ctx context.Context, planID int64,
	number int, claimed, claims *int64) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE boost_rounds SET claimed = $1, claims = $2
		WHERE plan_id = $3 AND number = $4`,
		claimed, claims, planID, number)
	if err != nil {
		return writeErr(err, "set round claims")
	}
	return oneRow(res, "boost round %d of plan %d", number, planID)
}

// RecordSessionCoins raises a session's coins given out.
func (s *Store) RecordSessionCoins(ctx context.Context, sessionID,
	coins int64) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE live_sessions SET coins_distributed = $1
		WHERE id = $2 AND coins_distributed < $1`, coins, sessionID)
	if err != nil {
		return writeErr(err, "record session coins")
	}
	return nil
}

// oneRow returns ENotFound, naming the row, when res touched none.
func oneRow(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlstore: rows affected: %w", err)
	}
	if n == 0 {
		return liveboard.Errorf(liveboard.ENotFound, format+" not found",
			args...)
	}
	return nil
}
