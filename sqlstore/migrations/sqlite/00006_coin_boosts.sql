-- Engagement boosts: plans that start coin giveaways in a live session
-- round after round, and each round's outcome.

-- +goose Up
CREATE TABLE boost_plans (
    id                INTEGER PRIMARY KEY,
    studio_id         BIGINT NOT NULL REFERENCES studios (id) ON DELETE CASCADE,
    account_id        BIGINT NOT NULL
                      REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    session_id        BIGINT NOT NULL
                      REFERENCES live_sessions (id) ON DELETE CASCADE,
    shopee_session_id TEXT NOT NULL,
    total_coins       BIGINT NOT NULL CHECK (total_coins > 0),
    coins_per_claim   BIGINT NOT NULL CHECK (coins_per_claim > 0),
    claim_times       BIGINT NOT NULL CHECK (claim_times > 0),
    interval_seconds  BIGINT NOT NULL CHECK (interval_seconds >= 60),
    min_viewers       BIGINT,
    status            TEXT NOT NULL CHECK (status IN ('running', 'finished',
                      'session_ended', 'stopped', 'failed')),
    reason            TEXT NOT NULL DEFAULT '',
    created_by        BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    ended_at          TIMESTAMP
);

CREATE INDEX idx_boost_plans_studio ON boost_plans (studio_id, created_at);

-- One row per plan and round number: a round is recorded pending before
-- Shopee is asked to start its giveaway, so no retry or second instance
-- can start it again.
CREATE TABLE boost_rounds (
    plan_id              BIGINT NOT NULL
                         REFERENCES boost_plans (id) ON DELETE CASCADE,
    number               INTEGER NOT NULL CHECK (number > 0),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'done',
                         'failed', 'skipped', 'unknown')),
    decided_at           TIMESTAMP NOT NULL,
    coins                BIGINT NOT NULL CHECK (coins >= 0),
    viewers              BIGINT,
    session_coins_before BIGINT,
    claimed              BIGINT,
    claims               BIGINT,
    error                TEXT NOT NULL DEFAULT '',
    updated_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, number)
);

-- +goose Down
DROP TABLE boost_rounds;
DROP TABLE boost_plans;
