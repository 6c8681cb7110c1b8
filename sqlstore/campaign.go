package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liveboard"
)

// AutoPauseSettings returns a studio's auto-pause settings, or the
// defaults of its region.
func (s *Store) AutoPauseSettings(ctx context.Context,
	studioID int64) (*liveboard.AutoPauseSettings, error) {
	set := liveboard.AutoPauseSettings{StudioID: studioID}
	var updated time.Time
	err := s.read.QueryRowContext(ctx, `
		SELECT enabled, roi_floor_percent, min_spend, updated_at
		FROM auto_pause_settings WHERE studio_id = $1`, studioID).Scan(
		&set.Enabled, &set.ROIFloorPercent, &set.MinSpend, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		st, err := s.Studio(ctx, studioID)
		if err != nil {
			return nil, err
		}
		def := liveboard.DefaultAutoPause(studioID, st.Region)
		return &def, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: auto-pause settings: %w", err)
	}
	set.UpdatedAt = utcPtr(&updated)
	return &set, nil
}

// SaveAutoPauseSettings stores a studio's auto-pause settings and sets
// UpdatedAt.
func (s *Store) SaveAutoPauseSettings(ctx context.Context,
	set *liveboard.AutoPauseSettings) error {
	if err := set.Validate(); err != nil {
		return err
	}

	now := s.nowUTC()
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO auto_pause_settings (studio_id, enabled,
			roi_floor_percent, min_spend, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (studio_id) DO UPDATE SET
			enabled = excluded.enabled,
			roi_floor_percent = excluded.roi_floor_percent,
			min_spend = excluded.min_spend,
			updated_at = excluded.updated_at`,
		set.StudioID, set.Enabled, set.ROIFloorPercent, set.MinSpend, now)
	if err != nil {
		return writeErr(err, "save auto-pause settings")
	}
	set.UpdatedAt = &now
	return nil
}

// ClaimCampaignAction stores a as pending, or takes over an unfinished
// action of the same campaign, kind and date, in one statement: the
// conditional upsert returns no row when that action is done.
func (s *Store) ClaimCampaignAction(ctx context.Context,
	a *liveboard.CampaignAction) (bool, error) {
	a.DecidedAt = utc(a.DecidedAt)
	a.Outcome, a.Error, a.UpdatedAt = liveboard.ActionPending, "",
		a.DecidedAt
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO campaign_actions (studio_id, account_id, campaign_id,
			kind, action_date, title, roi_percent, floor_percent, spend,
			revenue, outcome, error, decided_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', '',
			$11, $11)
		ON CONFLICT (account_id, campaign_id, kind, action_date)
		DO UPDATE SET
			title = excluded.title,
			roi_percent = excluded.roi_percent,
			floor_percent = excluded.floor_percent,
			spend = excluded.spend,
			revenue = excluded.revenue,
			outcome = 'pending', error = '',
			decided_at = excluded.decided_at,
			updated_at = excluded.updated_at
		WHERE campaign_actions.outcome <> 'done'
		RETURNING id`,
		a.StudioID, a.AccountID, a.CampaignID, a.Kind, a.Date, a.Title,
		a.ROIPercent, a.FloorPercent, a.Spend, a.Revenue,
		a.DecidedAt).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, writeErr(err, "claim campaign action")
	}
	return true, nil
}

// FinishCampaignAction records a claimed action's outcome.
func (s *Store) FinishCampaignAction(ctx context.Context, id int64,
	outcome liveboard.ActionOutcome, errMsg string, t time.Time) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE campaign_actions SET outcome = $1, error = $2,
			updated_at = $3
		WHERE id = $4`, outcome, errMsg, utc(t), id)
	if err != nil {
		return writeErr(err, "finish campaign action")
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return liveboard.Errorf(liveboard.ENotFound,
			"campaign action %d not found", id)
	}
	return nil
}

// CampaignActions returns a studio's latest campaign actions.
func (s *Store) CampaignActions(ctx context.Context, studioID int64,
	limit int) ([]liveboard.CampaignAction, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, studio_id, account_id, campaign_id, kind, action_date,
			title, roi_percent, floor_percent, spend, revenue, outcome,
			error, decided_at, updated_at
		FROM campaign_actions WHERE studio_id = $1
		ORDER BY decided_at DESC, id DESC LIMIT $2`, studioID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: campaign actions: %w", err)
	}
	defer rows.Close()

	var out []liveboard.CampaignAction
	for rows.Next() {
		var a liveboard.CampaignAction
		if err := rows.Scan(&a.ID, &a.StudioID, &a.AccountID,
			&a.CampaignID, &a.Kind, &a.Date, &a.Title, &a.ROIPercent,
			&a.FloorPercent, &a.Spend, &a.Revenue, &a.Outcome, &a.Error,
			&a.DecidedAt, &a.UpdatedAt); err != nil {
			return nil, fmt.Errorf("sqlstore: campaign actions: %w", err)
		}
		a.DecidedAt, a.UpdatedAt = utc(a.DecidedAt), utc(a.UpdatedAt)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: campaign actions: %w", err)
	}
	return out, nil
}
