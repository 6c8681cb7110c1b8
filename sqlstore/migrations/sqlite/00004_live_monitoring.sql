-- Live monitoring: every snapshot gets a place in the live stream,
-- sessions keep their monitoring state and product figures, and studios
-- get alert rules, alert channels and an alert inbox.

-- +goose Up
-- One counter gives every stored snapshot its place (seq) in the live
-- stream. A writer takes the counter's row lock as the last step of its
-- transaction and holds it until commit, so snapshots become visible in
-- seq order on every engine and instance: a reader that has seen seq n
-- has seen every lower one that will ever exist.
CREATE TABLE snapshot_seq (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL
);
INSERT INTO snapshot_seq (id, last_seq)
    SELECT 1, COALESCE(MAX(id), 0) FROM session_snapshots;

ALTER TABLE session_snapshots ADD COLUMN seq BIGINT;
UPDATE session_snapshots SET seq = id;
CREATE UNIQUE INDEX idx_session_snapshots_seq ON session_snapshots (seq);

-- When monitoring last read the session in full (details, figures,
-- products); it does so every few minutes while the session is live.
ALTER TABLE live_sessions ADD COLUMN full_synced_at TIMESTAMP;

-- The latest figures of each product of a session, over the whole
-- session. Money in 1/100000 of the currency unit; rates in percent.
CREATE TABLE session_products (
    session_id                BIGINT NOT NULL
                              REFERENCES live_sessions (id) ON DELETE CASCADE,
    item_id                   BIGINT NOT NULL,
    title                     TEXT NOT NULL,
    cover_image               TEXT NOT NULL,
    min_price                 BIGINT,
    max_price                 BIGINT,
    clicks                    BIGINT,
    ctr                       REAL,
    add_to_cart               BIGINT,
    orders                    BIGINT,
    revenue                   BIGINT,
    items_sold                BIGINT,
    conversion_rate           REAL,
    confirmed_orders          BIGINT,
    confirmed_revenue         BIGINT,
    confirmed_items_sold      BIGINT,
    confirmed_conversion_rate REAL,
    updated_at                TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, item_id)
);

-- The top products of a session when a snapshot was taken, best first.
CREATE TABLE snapshot_products (
    snapshot_id               BIGINT NOT NULL
                              REFERENCES session_snapshots (id)
                              ON DELETE CASCADE,
    place                     INTEGER NOT NULL,
    item_id                   BIGINT NOT NULL,
    title                     TEXT NOT NULL,
    cover_image               TEXT NOT NULL,
    min_price                 BIGINT,
    max_price                 BIGINT,
    clicks                    BIGINT,
    ctr                       REAL,
    add_to_cart               BIGINT,
    orders                    BIGINT,
    revenue                   BIGINT,
    items_sold                BIGINT,
    conversion_rate           REAL,
    confirmed_orders          BIGINT,
    confirmed_revenue         BIGINT,
    confirmed_items_sold      BIGINT,
    confirmed_conversion_rate REAL,
    PRIMARY KEY (snapshot_id, place)
);

-- A studio's alert rules; a studio without a row has the defaults.
-- Durations are in seconds.
CREATE TABLE alert_rules (
    studio_id              BIGINT PRIMARY KEY
                           REFERENCES studios (id) ON DELETE CASCADE,
    viewer_drop_enabled    BOOLEAN NOT NULL,
    viewer_drop_percent    REAL NOT NULL,
    viewer_drop_window_s   BIGINT NOT NULL,
    viewer_drop_min_level  BIGINT NOT NULL,
    no_orders_enabled      BOOLEAN NOT NULL,
    no_orders_window_s     BIGINT NOT NULL,
    no_orders_min_viewers  BIGINT NOT NULL,
    early_end_enabled      BOOLEAN NOT NULL,
    early_end_percent      REAL NOT NULL,
    early_end_min_s        BIGINT NOT NULL,
    relogin_enabled        BOOLEAN NOT NULL,
    cooldown_s             BIGINT NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);

CREATE TABLE alert_channels (
    id         INTEGER PRIMARY KEY,
    studio_id  BIGINT NOT NULL REFERENCES studios (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('telegram', 'webhook')),
    name       TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    target     TEXT NOT NULL,
    -- Bot token, chat id, webhook URL and signing key, sealed with
    -- AES-256-GCM.
    config     BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX idx_alert_channels_studio ON alert_channels (studio_id);

-- The inbox. Each row is one episode of a rule about a subject (a session
-- or an account); evidence is JSON.
CREATE TABLE alerts (
    id                INTEGER PRIMARY KEY,
    studio_id         BIGINT NOT NULL
                      REFERENCES studios (id) ON DELETE CASCADE,
    shopee_account_id BIGINT NOT NULL
                      REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    session_id        BIGINT
                      REFERENCES live_sessions (id) ON DELETE CASCADE,
    shopee_session_id TEXT NOT NULL DEFAULT '',
    rule              TEXT NOT NULL CHECK (rule IN ('viewer_drop',
                      'no_orders', 'early_end', 'relogin')),
    subject           TEXT NOT NULL,
    title             TEXT NOT NULL,
    message           TEXT NOT NULL,
    evidence          TEXT NOT NULL,
    fired_at          TIMESTAMP NOT NULL,
    resolved_at       TIMESTAMP,
    acknowledged_at   TIMESTAMP,
    acknowledged_by   BIGINT REFERENCES users (id) ON DELETE SET NULL
);

-- At most one open episode per rule and subject, whichever instance
-- fires it.
CREATE UNIQUE INDEX idx_alerts_open ON alerts (studio_id, rule, subject)
    WHERE resolved_at IS NULL;
CREATE INDEX idx_alerts_subject ON alerts (studio_id, rule, subject, fired_at);
CREATE INDEX idx_alerts_studio_fired ON alerts (studio_id, fired_at);
CREATE INDEX idx_alerts_account_open ON alerts (shopee_account_id)
    WHERE resolved_at IS NULL;

CREATE TABLE alert_deliveries (
    alert_id   BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL
               REFERENCES alert_channels (id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at    TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_id, channel_id)
);

CREATE INDEX idx_alert_deliveries_pending ON alert_deliveries (status)
    WHERE status = 'pending';

-- +goose Down
DROP TABLE alert_deliveries;
DROP TABLE alerts;
DROP TABLE alert_channels;
DROP TABLE alert_rules;
DROP TABLE snapshot_products;
DROP TABLE session_products;
ALTER TABLE live_sessions DROP COLUMN full_synced_at;
DROP INDEX idx_session_snapshots_seq;
ALTER TABLE session_snapshots DROP COLUMN seq;
DROP TABLE snapshot_seq;
