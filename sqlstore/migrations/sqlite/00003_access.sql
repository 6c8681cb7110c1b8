-- Access control and account lifecycle: accounts can be removed without
-- losing their sessions, people sign in to the dashboard with browser
-- sessions, QR logins in progress survive a restart and are shared by
-- every instance, and sensitive actions are written to an audit log.

-- +goose Up
ALTER TABLE shopee_accounts ADD COLUMN removed_at TIMESTAMP;

CREATE TABLE web_sessions (
    id         INTEGER PRIMARY KEY,
    -- SHA-256 of the random token the browser holds.
    token_hash BLOB NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    studio_id  INTEGER REFERENCES studios (id) ON DELETE SET NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE INDEX idx_web_sessions_user ON web_sessions (user_id);

CREATE TABLE qr_logins (
    qrcode_id  TEXT PRIMARY KEY,
    studio_id  INTEGER NOT NULL REFERENCES studios (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    region     TEXT NOT NULL,
    account_id INTEGER REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    status     TEXT NOT NULL
               CHECK (status IN ('NEW', 'SCANNED', 'CONFIRMED', 'EXPIRED',
                                 'CANCELED', 'LOGGED_IN')),
    -- The cookie jar gathered so far and Shopee's login token, sealed
    -- with AES-256-GCM.
    secrets    BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX idx_qr_logins_created ON qr_logins (created_at);

-- Entries outlive the users, keys and studios they name, so the ids are
-- plain numbers rather than references.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER NOT NULL DEFAULT 0,
    api_key_id INTEGER NOT NULL DEFAULT 0,
    studio_id  INTEGER NOT NULL DEFAULT 0,
    ip         TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL CHECK (action <> ''),
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);

CREATE INDEX idx_audit_log_studio ON audit_log (studio_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE qr_logins;
DROP TABLE web_sessions;
ALTER TABLE shopee_accounts DROP COLUMN removed_at;
