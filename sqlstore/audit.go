package sqlstore

import (
	"context"
	"fmt"

	"liveboard"
)

// RecordAudit appends e to the audit log and sets its ID.
func (s *Store) RecordAudit(ctx context.Context, e *liveboard.AuditEntry) error {
	if e.Action == "" {
		return liveboard.Errorf(liveboard.EInvalid,
			"an audit entry needs an action")
	}
	if e.At.IsZero() {
		e.At = s.nowUTC()
	}
	e.At = utc(e.At)

	err := s.db.QueryRowContext(ctx, `
		INSERT INTO audit_log (at, user_id, api_key_id, studio_id, ip,
			action, target, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id`,
		e.At, e.UserID, e.KeyID, e.StudioID, e.IP, string(e.Action),
		e.Target, e.Detail,
	).Scan(&e.ID)
	if err != nil {
		return writeErr(err, "record audit entry")
	}
	return nil
}

// maxAudit caps one page of the audit log.
const maxAudit = 500

// AuditLog returns the entries matching f, newest first.
func (s *Store) AuditLog(ctx context.Context,
	f liveboard.AuditFilter) ([]liveboard.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 || limit > maxAudit {
		limit = maxAudit
	}

	rows, err := s.read.QueryContext(ctx, `
		SELECT id, at, user_id, api_key_id, studio_id, ip, action, target,
			detail
		FROM audit_log
		WHERE ($1 = 0 OR studio_id = $1) AND ($2 = 0 OR user_id = $2)
		ORDER BY at DESC, id DESC
		LIMIT $3`, f.StudioID, f.UserID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read audit log: %w", err)
	}
	return collect(rows, scanAudit)
}

func scanAudit(row interface{ Scan(...any) error }) (*liveboard.AuditEntry, error) {
	var e liveboard.AuditEntry
	var action string
	err := row.Scan(&e.ID, &e.At, &e.UserID, &e.KeyID, &e.StudioID, &e.IP,
		&action, &e.Target, &e.Detail)
	if err != nil {
		return nil, err
	}
	e.Action = liveboard.AuditAction(action)
	e.At = e.At.UTC()
	return &e, nil
}
