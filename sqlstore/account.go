package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liveboard"
)

// CreateAccount stores a with its Shopee login, sealed, and sets a's ID and
// timestamps.
func (s *Store) CreateAccount(ctx context.Context, a *liveboard.Account,
	cookies string) error {
	if !a.Region.Valid() {
		return liveboard.Errorf(liveboard.EInvalid,
			"account region %q is unknown", a.Region)
	}
	if cookies == "" {
		return liveboard.Errorf(liveboard.EInvalid,
			"account login (cookies) is required")
	}

	sealed, err := s.cipher.Seal([]byte(cookies))
	if err != nil {
		return fmt.Errorf("sqlstore: seal account login: %w", err)
	}

	now := s.nowUTC()
	a.UpdatedAt = now
	a.Health = liveboard.AccountHealth{}
	a.RemovedAt = nil
	// A removed account of the same Shopee user comes back with its old
	// id, so its sessions are its own again; a present one is a conflict:
	// the update's WHERE fails and no row is returned.
	err = s.db.QueryRowContext(ctx, `
		INSERT INTO shopee_accounts (studio_id, region, shopee_user_id,
			user_name, credentials, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (studio_id, region, shopee_user_id) DO UPDATE
		SET user_name = excluded.user_name,
			credentials = excluded.credentials, needs_relogin = FALSE,
			last_success_at = NULL, last_error_at = NULL, last_error = '',
			consecutive_failures = 0, removed_at = NULL,
			updated_at = excluded.updated_at
		WHERE shopee_accounts.removed_at IS NOT NULL
		RETURNING id, created_at`,
		a.StudioID, string(a.Region), a.ShopeeUserID, a.UserName, sealed, now,
	).Scan(&a.ID, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return liveboard.Errorf(liveboard.EConflict,
			"Shopee user %d is already connected to studio %d",
			a.ShopeeUserID, a.StudioID)
	}
	if err != nil {
		return writeErr(err, "create account")
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return nil
}

const accountColumns = `id, studio_id, region, shopee_user_id, user_name,
	needs_relogin, last_success_at, last_error_at, last_error,
	consecutive_failures, created_at, updated_at, removed_at`

func scanAccount(row interface{ Scan(...any) error }) (*liveboard.Account, error) {
	var a liveboard.Account
	var region string
	h := &a.Health
	err := row.Scan(&a.ID, &a.StudioID, &region, &a.ShopeeUserID,
		&a.UserName, &h.NeedsRelogin, &h.LastSuccessAt, &h.LastErrorAt,
		&h.LastError, &h.ConsecutiveFailures, &a.CreatedAt, &a.UpdatedAt,
		&a.RemovedAt)
	if err != nil {
		return nil, err
	}
	a.Region = liveboard.Region(region)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	h.LastSuccessAt = utcPtr(h.LastSuccessAt)
	h.LastErrorAt = utcPtr(h.LastErrorAt)
	a.RemovedAt = utcPtr(a.RemovedAt)
	return &a, nil
}

// Account returns the account with that id, removed or not.
func (s *Store) Account(ctx context.Context, id int64) (*liveboard.Account, error) {
	row := s.read.QueryRowContext(ctx,
		`SELECT `+accountColumns+` FROM shopee_accounts WHERE id = $1`, id)
	a, err := scanAccount(row)
	if err != nil {
		return nil, notFound(err, "account", id)
	}
	return a, nil
}

// Accounts lists a studio's accounts, or every account for studio 0, in
// the order they were connected. Removed accounts are left out.
func (s *Store) Accounts(ctx context.Context, studioID int64) ([]liveboard.Account, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+accountColumns+` FROM shopee_accounts
		WHERE ($1 = 0 OR studio_id = $1) AND removed_at IS NULL
		ORDER BY id`, studioID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list accounts: %w", err)
	}
	return collect(rows, scanAccount)
}

// CheckCipher returns an error when the store holds sealed Shopee logins
// or alert channel settings that its cipher cannot open: the secret key
// is not the one they were sealed with. A store with nothing sealed
// passes.
func (s *Store) CheckCipher(ctx context.Context) error {
	for _, q := range []string{
		`SELECT credentials FROM shopee_accounts
		 WHERE removed_at IS NULL AND credentials IS NOT NULL
		 ORDER BY id LIMIT 1`,
		`SELECT config FROM alert_channels ORDER BY id LIMIT 1`,
	} {
		var sealed []byte
		err := s.read.QueryRowContext(ctx, q).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sqlstore: check secret key: %w", err)
		}
		if _, err := s.cipher.Open(sealed); err != nil {
			return errors.New("sqlstore: the secret key does not open " +
				"the stored Shopee logins and channel settings; start " +
				"with the key they were sealed with")
		}
	}
	return nil
}

// AccountCookies returns the account's Shopee login, opened. A removed
// account has none: ENotFound.
func (s *Store) AccountCookies(ctx context.Context, id int64) (string, error) {
	var sealed []byte
	err := s.read.QueryRowContext(ctx, `
		SELECT credentials FROM shopee_accounts
		WHERE id = $1 AND removed_at IS NULL`, id,
	).Scan(&sealed)
	if err != nil {
		return "", notFound(err, "account", id)
	}

	plain, err := s.cipher.Open(sealed)
	if err != nil {
		return "", fmt.Errorf("sqlstore: open login of account %d: %w",
			id, err)
	}
	return string(plain), nil
}

// ReplaceAccountCookies swaps in a new login and clears NeedsRelogin and
// the failure count.
func (s *Store) ReplaceAccountCookies(ctx context.Context, id int64,
	cookies string) error {
	if cookies == "" {
		return liveboard.Errorf(liveboard.EInvalid,
			"account login (cookies) is required")
	}
	sealed, err := s.cipher.Seal([]byte(cookies))
	if err != nil {
		return fmt.Errorf("sqlstore: seal account login: %w", err)
	}

	return s.updateAccount(ctx, id, `
		UPDATE shopee_accounts
		SET credentials = $2, needs_relogin = FALSE,
			consecutive_failures = 0, updated_at = $3
		WHERE id = $1 AND removed_at IS NULL`, id, sealed, s.nowUTC())
}

// RecordAccountSuccess notes a successful Shopee call at t.
func (s *Store) RecordAccountSuccess(ctx context.Context, id int64,
	t time.Time) error {
	return s.updateAccount(ctx, id, `
		UPDATE shopee_accounts
		SET last_success_at = $2, consecutive_failures = 0, updated_at = $3
		WHERE id = $1`, id, utc(t), s.nowUTC())
}

// RecordAccountFailure notes a failed Shopee call at t; relogin marks the
// account as needing a new login.
func (s *Store) RecordAccountFailure(ctx context.Context, id int64,
	t time.Time, msg string, relogin bool) error {
	return s.updateAccount(ctx, id, `
		UPDATE shopee_accounts
		SET last_error_at = $2, last_error = $3,
			consecutive_failures = consecutive_failures + 1,
			needs_relogin = needs_relogin OR $4, updated_at = $5
		WHERE id = $1`, id, utc(t), msg, relogin, s.nowUTC())
}

// RemoveAccount removes an account from its studio: its sealed login is
// overwritten with nothing, and it no longer appears in Accounts.
func (s *Store) RemoveAccount(ctx context.Context, id int64) error {
	now := s.nowUTC()
	return s.updateAccount(ctx, id, `
		UPDATE shopee_accounts
		SET credentials = $2, removed_at = $3, updated_at = $3
		WHERE id = $1 AND removed_at IS NULL`, id, []byte{}, now)
}

func (s *Store) updateAccount(ctx context.Context, id int64, query string,
	args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: update account %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlstore: update account %d: %w", id, err)
	}
	if n == 0 {
		return liveboard.Errorf(liveboard.ENotFound,
			"account %d not found", id)
	}
	return nil
}
