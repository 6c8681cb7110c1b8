-- The core schema: studios, people and their access, Shopee accounts, live
-- sessions with their snapshots, and daily analytics.
--
-- Money columns hold exact integer amounts in 1/100000 of the currency unit
-- (the scale Shopee's ads API uses): Rp 5.000.000 is 500000000000.
-- Times are UTC. Rates (ctr, conversion_rate) are Shopee's percentages.

-- +goose Up
CREATE TABLE studios (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    region        TEXT NOT NULL,
    commission_bp BIGINT NOT NULL DEFAULT 0
                  CHECK (commission_bp BETWEEN 0 AND 10000),
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    studio_id  BIGINT NOT NULL REFERENCES studios (id) ON DELETE CASCADE,
    role       TEXT NOT NULL
               CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, studio_id)
);

CREATE TABLE api_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    studio_id    BIGINT REFERENCES studios (id) ON DELETE CASCADE,
    role         TEXT NOT NULL
                 CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE shopee_accounts (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    studio_id            BIGINT NOT NULL
                         REFERENCES studios (id) ON DELETE CASCADE,
    region               TEXT NOT NULL,
    shopee_user_id       BIGINT NOT NULL,
    user_name            TEXT NOT NULL,
    -- The Shopee login (cookie jar), sealed with AES-256-GCM.
    credentials          BYTEA NOT NULL,
    needs_relogin        BOOLEAN NOT NULL DEFAULT FALSE,
    last_success_at      TIMESTAMPTZ,
    last_error_at        TIMESTAMPTZ,
    last_error           TEXT NOT NULL DEFAULT '',
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (studio_id, region, shopee_user_id)
);

CREATE TABLE live_sessions (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    studio_id         BIGINT NOT NULL
                      REFERENCES studios (id) ON DELETE CASCADE,
    shopee_account_id BIGINT NOT NULL
                      REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    session_id        TEXT NOT NULL,
    session_name      TEXT NOT NULL,
    cover_image       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('ongoing', 'ended')),
    started_at        TIMESTAMPTZ NOT NULL,
    ended_at          TIMESTAMPTZ,
    duration_ms       BIGINT NOT NULL DEFAULT 0,

    viewers_now       BIGINT,
    peak_viewers      BIGINT,
    total_viewers     BIGINT,
    views             BIGINT,
    total_comments    BIGINT,
    total_likes       BIGINT,
    total_shares      BIGINT,
    new_followers     BIGINT,
    add_to_cart       BIGINT,
    product_clicks    BIGINT,
    buyers            BIGINT,
    total_orders      BIGINT,
    total_revenue     BIGINT,
    confirmed_orders  BIGINT,
    confirmed_revenue BIGINT,
    items_sold        BIGINT,
    avg_view_time_ms  BIGINT,
    ctr               DOUBLE PRECISION,
    conversion_rate   DOUBLE PRECISION,

    campaign_id       TEXT NOT NULL DEFAULT '',
    campaign_budget   BIGINT NOT NULL DEFAULT 0,
    campaign_spent    BIGINT NOT NULL DEFAULT 0,
    coins_distributed BIGINT NOT NULL DEFAULT 0,
    coin_total_value  BIGINT NOT NULL DEFAULT 0,

    synced_at         TIMESTAMPTZ NOT NULL,
    final_synced_at   TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (shopee_account_id, session_id)
);

CREATE INDEX idx_live_sessions_studio ON live_sessions (studio_id);
CREATE INDEX idx_live_sessions_status ON live_sessions (status);
CREATE INDEX idx_live_sessions_created ON live_sessions (created_at);
-- Lists and daily analytics read a studio's sessions by start time.
CREATE INDEX idx_live_sessions_studio_started
    ON live_sessions (studio_id, started_at);

CREATE TABLE session_snapshots (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id        BIGINT NOT NULL
                      REFERENCES live_sessions (id) ON DELETE CASCADE,
    taken_at          TIMESTAMPTZ NOT NULL,
    viewers_now       BIGINT,
    peak_viewers      BIGINT,
    total_viewers     BIGINT,
    views             BIGINT,
    total_comments    BIGINT,
    total_likes       BIGINT,
    total_shares      BIGINT,
    new_followers     BIGINT,
    add_to_cart       BIGINT,
    product_clicks    BIGINT,
    buyers            BIGINT,
    total_orders      BIGINT,
    total_revenue     BIGINT,
    confirmed_orders  BIGINT,
    confirmed_revenue BIGINT,
    items_sold        BIGINT,
    avg_view_time_ms  BIGINT,
    ctr               DOUBLE PRECISION,
    conversion_rate   DOUBLE PRECISION,
    UNIQUE (session_id, taken_at)
);

CREATE TABLE live_analytics (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    studio_id           BIGINT NOT NULL
                        REFERENCES studios (id) ON DELETE CASCADE,
    date                DATE NOT NULL,
    total_sessions      BIGINT NOT NULL,
    total_viewers       BIGINT NOT NULL,
    total_orders        BIGINT NOT NULL,
    total_revenue       BIGINT NOT NULL,
    average_order_value BIGINT NOT NULL,
    conversion_rate     DOUBLE PRECISION NOT NULL,
    roi_percentage      DOUBLE PRECISION NOT NULL,
    total_ad_spend      BIGINT NOT NULL,
    total_commission    BIGINT NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
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
