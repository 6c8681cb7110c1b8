-- The core schema: studios, people and their access, Shopee accounts, live
-- sessions with their snapshots, and daily analytics.
--
-- Money columns hold exact integer amounts in 1/100000 of the currency unit
-- (the scale Shopee's ads API uses): Rp 5.000.000 is 500000000000.
-- Times are UTC. Rates (ctr, conversion_rate) are Shopee's percentages.

-- +goose Up
CREATE TABLE studios (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    region        TEXT NOT NULL,
    commission_bp INTEGER NOT NULL DEFAULT 0
                  CHECK (commission_bp BETWEEN 0 AND 10000),
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    studio_id  INTEGER NOT NULL REFERENCES studios (id) ON DELETE CASCADE,
    role       TEXT NOT NULL
               CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, studio_id)
);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    studio_id    INTEGER REFERENCES studios (id) ON DELETE CASCADE,
    role         TEXT NOT NULL
                 CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

CREATE TABLE shopee_accounts (
    id                   INTEGER PRIMARY KEY,
    studio_id            INTEGER NOT NULL
                         REFERENCES studios (id) ON DELETE CASCADE,
    region               TEXT NOT NULL,
    shopee_user_id       INTEGER NOT NULL,
    user_name            TEXT NOT NULL,
    -- The Shopee login (cookie jar), sealed with AES-256-GCM.
    credentials          BLOB NOT NULL,
    needs_relogin        BOOLEAN NOT NULL DEFAULT FALSE,
    last_success_at      TIMESTAMP,
    last_error_at        TIMESTAMP,
    last_error           TEXT NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (studio_id, region, shopee_user_id)
);

CREATE TABLE live_sessions (
    id                INTEGER PRIMARY KEY,
    studio_id         INTEGER NOT NULL
                      REFERENCES studios (id) ON DELETE CASCADE,
    shopee_account_id INTEGER NOT NULL
                      REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    session_id        TEXT NOT NULL,
    session_name      TEXT NOT NULL,
    cover_image       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('ongoing', 'ended')),
    started_at        TIMESTAMP NOT NULL,
    ended_at          TIMESTAMP,
    duration_ms       INTEGER NOT NULL DEFAULT 0,

    viewers_now       INTEGER,
    peak_viewers      INTEGER,
    total_viewers     INTEGER,
    views             INTEGER,
    total_comments    INTEGER,
    total_likes       INTEGER,
    total_shares      INTEGER,
    new_followers     INTEGER,
    add_to_cart       INTEGER,
    product_clicks    INTEGER,
    buyers            INTEGER,
    total_orders      INTEGER,
    total_revenue     INTEGER,
    confirmed_orders  INTEGER,
    confirmed_revenue INTEGER,
    items_sold        INTEGER,
    avg_view_time_ms  INTEGER,
    ctr               REAL,
    conversion_rate   REAL,

    campaign_id       TEXT NOT NULL DEFAULT '',
    campaign_budget   INTEGER NOT NULL DEFAULT 0,
    campaign_spent    INTEGER NOT NULL DEFAULT 0,
    coins_distributed INTEGER NOT NULL DEFAULT 0,
    coin_total_value  INTEGER NOT NULL DEFAULT 0,

    synced_at         TIMESTAMP NOT NULL,
    final_synced_at   TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (shopee_account_id, session_id)
);

CREATE INDEX idx_live_sessions_studio ON live_sessions (studio_id);
CREATE INDEX idx_live_sessions_status ON live_sessions (status);
CREATE INDEX idx_live_sessions_created ON live_sessions (created_at);
-- Lists and daily analytics read a studio's sessions by start time.
CREATE INDEX idx_live_sessions_studio_started
    ON live_sessions (studio_id, started_at);

CREATE TABLE session_snapshots (
    id                INTEGER PRIMARY KEY,
    session_id        INTEGER NOT NULL
                      REFERENCES live_sessions (id) ON DELETE CASCADE,
    taken_at          TIMESTAMP NOT NULL,
    viewers_now       INTEGER,
    peak_viewers      INTEGER,
    total_viewers     INTEGER,
    views             INTEGER,
    total_comments    INTEGER,
    total_likes       INTEGER,
    total_shares      INTEGER,
    new_followers     INTEGER,
    add_to_cart       INTEGER,
    product_clicks    INTEGER,
    buyers            INTEGER,
    total_orders      INTEGER,
    total_revenue     INTEGER,
    confirmed_orders  INTEGER,
    confirmed_revenue INTEGER,
    items_sold        INTEGER,
    avg_view_time_ms  INTEGER,
    ctr               REAL,
    conversion_rate   REAL,
    UNIQUE (session_id, taken_at)
);

CREATE TABLE live_analytics (
    id                  INTEGER PRIMARY KEY,
    studio_id           INTEGER NOT NULL
                        REFERENCES studios (id) ON DELETE CASCADE,
    date                TEXT NOT NULL
                        CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    total_sessions      INTEGER NOT NULL,
    total_viewers       INTEGER NOT NULL,
    total_orders        INTEGER NOT NULL,
    total_revenue       INTEGER NOT NULL,
    average_order_value INTEGER NOT NULL,
    conversion_rate     REAL NOT NULL,
    roi_percentage      REAL NOT NULL,
    total_ad_spend      INTEGER NOT NULL,
    total_commission    INTEGER NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (studio_id, date)
);

CREATE INDEX idx_live_analytics_date ON live_analytics (date);

-- +goose Down
DROP TABLE live_analytics;
DROP TABLE session_snapshots;
DROP TABLE live_sessions;
DROP TABLE shopee_accounts;
DROP TABLE api_keys;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE studios;
