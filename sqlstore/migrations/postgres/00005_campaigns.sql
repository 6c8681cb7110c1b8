-- Campaign optimisation: each studio's auto-pause settings, and the
-- changes Liveboard made to campaigns on its own.

-- +goose Up
-- A studio without a row has the defaults (pausing off). Money in
-- 1/100000 of the currency unit.
CREATE TABLE auto_pause_settings (
    studio_id         BIGINT PRIMARY KEY
                      REFERENCES studios (id) ON DELETE CASCADE,
    enabled           BOOLEAN NOT NULL,
    roi_floor_percent DOUBLE PRECISION NOT NULL,
    min_spend         BIGINT NOT NULL CHECK (min_spend >= 0),
    updated_at        TIMESTAMPTZ NOT NULL
);

-- One row per campaign, kind of change and local day: claiming the row
-- before calling Shopee is what makes a pause happen once a day.
CREATE TABLE campaign_actions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    studio_id     BIGINT NOT NULL REFERENCES studios (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL
                  REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    campaign_id   BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    action_date   TEXT NOT NULL,
    title         TEXT NOT NULL,
    roi_percent   DOUBLE PRECISION NOT NULL,
    floor_percent DOUBLE PRECISION NOT NULL,
    spend         BIGINT NOT NULL,
    revenue       BIGINT NOT NULL,
    outcome       TEXT NOT NULL
                  CHECK (outcome IN ('pending', 'done', 'failed')),
    error         TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (account_id, campaign_id, kind, action_date)
);

CREATE INDEX idx_campaign_actions_studio
    ON campaign_actions (studio_id, decided_at);

-- +goose Down
DROP TABLE campaign_actions;
DROP TABLE auto_pause_settings;
