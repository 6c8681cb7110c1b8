package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"liveboard"
)

// CreateUser stores u and sets its ID; passwordHash may be empty for users
// that only act through API keys.
func (s *Store) CreateUser(ctx context.Context, u *liveboard.User,
	passwordHash string) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.Email == "" {
		return liveboard.Errorf(liveboard.EInvalid, "user email is required")
	}

	u.CreatedAt = s.nowUTC()
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO users (email, name, password_hash, is_admin, created_at)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING id`,
		u.Email, u.Name, passwordHash, u.Admin, u.CreatedAt,
	).Scan(&u.ID)
	if err != nil {
		return writeErr(err, "create user "+u.Email)
	}
	return nil
}

// UserByEmail returns the user with that email, in any case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*liveboard.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))

	var u liveboard.User
	err := s.read.QueryRowContext(ctx, `
		SELECT id, email, name, is_admin, created_at
		FROM users WHERE email = $1`, email,
	).Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &u.CreatedAt)
	if err != nil {
		return nil, notFound(err, "user", email)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// SetMembership gives a user a role in a studio, replacing any other.
func (s *Store) SetMembership(ctx context.Context, userID, studioID int64,
	role liveboard.Role) error {
	if _, err := liveboard.ParseRole(string(role)); err != nil {
		return err
	}

	_, err := s.db.ExecContext(ctx, `
		INSERT INTO memberships (user_id, studio_id, role, created_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, studio_id) DO UPDATE SET role = excluded.role`,
		userID, studioID, string(role), s.nowUTC())
	if err != nil {
		return writeErr(err, "set membership")
	}
	return nil
}

// Principal returns what a user may do, from their memberships.
func (s *Store) Principal(ctx context.Context, userID int64) (*liveboard.Principal, error) {
	p := &liveboard.Principal{UserID: userID, Roles: map[int64]liveboard.Role{}}
	var admin bool
	err := s.read.QueryRowContext(ctx,
		`SELECT is_admin FROM users WHERE id = $1`, userID,
	).Scan(&admin)
	if err != nil {
		return nil, notFound(err, "user", userID)
	}
	if admin {
		p.AllStudios = liveboard.RoleOwner
	}

	rows, err := s.read.QueryContext(ctx, `
		SELECT studio_id, role FROM memberships WHERE user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list memberships: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var studioID int64
		var role string
		if err := rows.Scan(&studioID, &role); err != nil {
			return nil, fmt.Errorf("sqlstore: scan membership: %w", err)
		}
		p.Roles[studioID] = liveboard.Role(role)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list memberships: %w", err)
	}
	return p, nil
}

// CreateAPIKey stores k with the hash of its secret and sets its ID.
func (s *Store) CreateAPIKey(ctx context.Context, k *liveboard.APIKey,
	hash []byte) error {
	if _, err := liveboard.ParseRole(string(k.Role)); err != nil {
		return err
	}

	k.CreatedAt = s.nowUTC()
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO api_keys (user_id, studio_id, role, name, prefix, hash,
			created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id`,
		k.UserID, k.StudioID, string(k.Role), k.Name, k.Prefix, hash,
		k.CreatedAt,
	).Scan(&k.ID)
	if err != nil {
		return writeErr(err, "create API key")
	}
	return nil
}

// APIKeyByHash returns the unrevoked key with that hash.
func (s *Store) APIKeyByHash(ctx context.Context, hash []byte) (*liveboard.APIKey, error) {
	var k liveboard.APIKey
	var role string
	err := s.read.QueryRowContext(ctx, `
		SELECT id, user_id, studio_id, role, name, prefix, created_at,
			last_used_at, revoked_at
		FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`, hash,
	).Scan(&k.ID, &k.UserID, &k.StudioID, &role, &k.Name, &k.Prefix,
		&k.CreatedAt, &k.LastUsedAt, &k.RevokedAt)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, liveboard.Errorf(liveboard.ENotFound,
				"API key not found")
		}
		return nil, fmt.Errorf("sqlstore: find API key: %w", err)
	}
	k.Role = liveboard.Role(role)
	k.CreatedAt = k.CreatedAt.UTC()
	k.LastUsedAt = utcPtr(k.LastUsedAt)
	return &k, nil
}

// TouchAPIKey records that the key was used at t.
func (s *Store) TouchAPIKey(ctx context.Context, id int64, t time.Time) error {
	_, err := s.db.ExecContext(ctx,
		`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, id, utc(t))
	if err != nil {
		return fmt.Errorf("sqlstore: touch API key: %w", err)
	}
	return nil
}
