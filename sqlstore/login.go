package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liveboard"
)

// CreateWebSession stores a browser session with the hash of its token.
func (s *Store) CreateWebSession(ctx context.Context,
	ws *liveboard.WebSession, tokenHash []byte) error {
	if len(tokenHash) == 0 || ws.CSRFToken == "" {
		return liveboard.Errorf(liveboard.EInvalid,
			"a browser session needs a token and a CSRF token")
	}

	now := s.nowUTC()
	ws.CreatedAt = now
	ws.ExpiresAt = utc(ws.ExpiresAt)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			DELETE FROM web_sessions
			WHERE user_id = $1 AND expires_at <= $2`, ws.UserID, now)
		if err != nil {
			return fmt.Errorf("sqlstore: delete expired sessions: %w", err)
		}
		err = tx.QueryRowContext(ctx, `
			INSERT INTO web_sessions (token_hash, user_id, studio_id,
				csrf_token, created_at, expires_at)
			VALUES ($1, $2, NULLIF($3, 0), $4, $5, $6)
			RETURNING id`,
			tokenHash, ws.UserID, ws.StudioID, ws.CSRFToken, now,
			ws.ExpiresAt,
		).Scan(&ws.ID)
		if err != nil {
			return writeErr(err, "create browser session")
		}
		return nil
	})
}

// WebSessionByHash returns the unexpired session whose token has that
// hash.
func (s *Store) WebSessionByHash(ctx context.Context,
	tokenHash []byte) (*liveboard.WebSession, error) {
	var ws liveboard.WebSession
	err := s.read.QueryRowContext(ctx, `
		SELECT id, user_id, COALESCE(studio_id, 0), csrf_token, created_at,
			expires_at
		FROM web_sessions
		WHERE token_hash = $1 AND expires_at > $2`,
		tokenHash, s.nowUTC(),
	).Scan(&ws.ID, &ws.UserID, &ws.StudioID, &ws.CSRFToken, &ws.CreatedAt,
		&ws.ExpiresAt)
	if err != nil {
		return nil, notFound(err, "browser session", "")
	}
	ws.CreatedAt, ws.ExpiresAt = ws.CreatedAt.UTC(), ws.ExpiresAt.UTC()
	return &ws, nil
}

// SetWebSessionStudio sets the studio a browser session shows.
func (s *Store) SetWebSessionStudio(ctx context.Context, id,
	studioID int64) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE web_sessions SET studio_id = NULLIF($2, 0)
		WHERE id = $1`, id, studioID)
	if err != nil {
		return writeErr(err, "set session studio")
	}
	return mustAffect(res, "browser session", id)
}

// DeleteWebSession ends a browser session.
func (s *Store) DeleteWebSession(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx,
		`DELETE FROM web_sessions WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("sqlstore: delete browser session: %w", err)
	}
	return nil
}

// CreateQRLogin stores a QR login in progress with its secrets, sealed.
func (s *Store) CreateQRLogin(ctx context.Context, q *liveboard.QRLogin,
	sec liveboard.QRSecrets) error {
	if q.QRCodeID == "" || !q.Region.Valid() {
		return liveboard.Errorf(liveboard.EInvalid,
			"a QR login needs a QR code id and a known region")
	}
	sealed, err := s.sealQR(sec)
	if err != nil {
		return err
	}

	now := s.nowUTC()
	q.CreatedAt, q.UpdatedAt = now, now
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO qr_logins (qrcode_id, studio_id, user_id, region,
			account_id, status, secrets, created_at, updated_at)
		VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6, $7, $8, $8)`,
		q.QRCodeID, q.StudioID, q.UserID, string(q.Region), q.AccountID,
		string(q.Status), sealed, now)
	if err != nil {
		return writeErr(err, "create QR login")
	}
	return nil
}

// QRLogin returns a QR login and its secrets, opened.
func (s *Store) QRLogin(ctx context.Context, qrcodeID string) (*liveboard.QRLogin,
	liveboard.QRSecrets, error) {
	var q liveboard.QRLogin
	var region, status string
	var sealed []byte
	err := s.read.QueryRowContext(ctx, `
		SELECT qrcode_id, studio_id, user_id, region,
			COALESCE(account_id, 0), status, secrets, created_at, updated_at
		FROM qr_logins WHERE qrcode_id = $1`, qrcodeID,
	).Scan(&q.QRCodeID, &q.StudioID, &q.UserID, &region, &q.AccountID,
		&status, &sealed, &q.CreatedAt, &q.UpdatedAt)
	if err != nil {
		return nil, liveboard.QRSecrets{}, notFound(err, "QR login", "")
	}
	q.Region, q.Status = liveboard.Region(region), liveboard.QRStatus(status)
	q.CreatedAt, q.UpdatedAt = q.CreatedAt.UTC(), q.UpdatedAt.UTC()

	sec, err := s.openQR(sealed)
	if err != nil {
		return nil, liveboard.QRSecrets{}, err
	}
	return &q, sec, nil
}

// UpdateQRLogin stores q's status and new secrets.
func (s *Store) UpdateQRLogin(ctx context.Context, q *liveboard.QRLogin,
	sec liveboard.QRSecrets) error {
	sealed, err := s.sealQR(sec)
	if err != nil {
		return err
	}

	q.UpdatedAt = s.nowUTC()
	res, err := s.db.ExecContext(ctx, `
		UPDATE qr_logins SET status = $2, secrets = $3, updated_at = $4
		WHERE qrcode_id = $1`,
		q.QRCodeID, string(q.Status), sealed, q.UpdatedAt)
	if err != nil {
		return writeErr(err, "update QR login")
	}
	return mustAffect(res, "QR login", "")
}

// DeleteQRLoginsBefore deletes QR logins started before t.
func (s *Store) DeleteQRLoginsBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx,
		`DELETE FROM qr_logins WHERE created_at < $1`, utc(t))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete old QR logins: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete old QR logins: %w", err)
	}
	return int(n), nil
}

// qrSeparator joins the cookie jar and the token before sealing. Neither
// a Cookie header nor a token holds a NUL byte.
const qrSeparator = "\x00"

func (s *Store) sealQR(sec liveboard.QRSecrets) ([]byte, error) {
	if bytes.ContainsRune([]byte(sec.Cookies+sec.Token), 0) {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"QR login secrets hold a NUL byte")
	}
	sealed, err := s.cipher.Seal([]byte(sec.Cookies + qrSeparator +
		sec.Token))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: seal QR login: %w", err)
	}
	return sealed, nil
}

func (s *Store) openQR(sealed []byte) (liveboard.QRSecrets, error) {
	plain, err := s.cipher.Open(sealed)
	if err != nil {
		return liveboard.QRSecrets{}, fmt.Errorf("sqlstore: open QR login: %w",
			err)
	}
	cookies, token, ok := bytes.Cut(plain, []byte(qrSeparator))
	if !ok {
		return liveboard.QRSecrets{}, errors.New(
			"sqlstore: open QR login: malformed secrets")
	}
	return liveboard.QRSecrets{Cookies: string(cookies),
		Token: string(token)}, nil
}
