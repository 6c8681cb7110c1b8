package sqlstore

import (
	"context"
	"fmt"
	"time"

	"liveboard"
)

// User returns the user with that id.
func (s *Store) User(ctx context.Context, id int64) (*liveboard.User, error) {
	var u liveboard.User
	err := s.read.QueryRowContext(ctx, `
		SELECT id, email, name, is_admin, created_at
		FROM users WHERE id = $1`, id,
	).Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &u.CreatedAt)
	if err != nil {
		return nil, notFound(err, "user", id)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// PasswordHash returns the user's password hash, "" when they have none.
func (s *Store) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var hash string
	err := s.read.QueryRowContext(ctx,
		`SELECT password_hash FROM users WHERE id = $1`, userID,
	).Scan(&hash)
	if err != nil {
		return "", notFound(err, "user", userID)
	}
	return hash, nil
}

// SetPasswordHash replaces the user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64,
	hash string) error {
	res, err := s.db.ExecContext(ctx,
		`UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
	if err != nil {
		return fmt.Errorf("sqlstore: set password of user %d: %w",
			userID, err)
	}
	return mustAffect(res, "user", userID)
}

const keyColumns = `id, user_id, studio_id, role, name, prefix,
	created_at, last_used_at, revoked_at`

func scanKey(row interface{ Scan(...any) error }) (*liveboard.APIKey, error) {
	var k liveboard.APIKey
	var role string
	err := row.Scan(&k.ID, &k.UserID, &k.StudioID, &role, &k.Name,
		&k.Prefix, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt)
	if err != nil {
		return nil, err
	}
	k.Role = liveboard.Role(role)
	k.CreatedAt = k.CreatedAt.UTC()
	k.LastUsedAt = utcPtr(k.LastUsedAt)
	k.RevokedAt = utcPtr(k.RevokedAt)
	return &k, nil
}

// APIKey returns the key with that id, revoked or not.
func (s *Store) APIKey(ctx context.Context, id int64) (*liveboard.APIKey, error) {
	row := s.read.QueryRowContext(ctx,
		`SELECT `+keyColumns+` FROM api_keys WHERE id = $1`, id)
	k, err := scanKey(row)
	if err != nil {
		return nil, notFound(err, "API key", id)
	}
	return k, nil
}

// APIKeys lists the keys scoped to a studio, newest first.
func (s *Store) APIKeys(ctx context.Context,
	studioID int64) ([]liveboard.APIKey, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+keyColumns+` FROM api_keys
		WHERE studio_id = $1
		ORDER BY id DESC`, studioID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list API keys: %w", err)
	}
	return collect(rows, scanKey)
}

// RevokeAPIKey revokes the key at t.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64, t time.Time) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE api_keys SET revoked_at = $2
		WHERE id = $1 AND revoked_at IS NULL`, id, utc(t))
	if err != nil {
		return fmt.Errorf("sqlstore: revoke API key %d: %w", id, err)
	}
	return mustAffect(res, "API key", id)
}

// mustAffect turns an update that touched no row into ENotFound.
func mustAffect(res interface{ RowsAffected() (int64, error) },
	what string, id any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlstore: update %s %v: %w", what, id, err)
	}
	if n == 0 {
		return liveboard.Errorf(liveboard.ENotFound, "%s %v not found",
			what, id)
	}
	return nil
}
