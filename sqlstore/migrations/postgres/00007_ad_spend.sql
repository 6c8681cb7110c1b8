-- Each account's live-stream ads spend per day, as campaign optimisation
-- reads it from Shopee, so that daily analytics can count ad spend.

-- +goose Up
-- One row per account and day in the account's region time zone. Spend
-- is Shopee's running total for the day, in 1/100000 of the currency
-- unit; updated_at is when Shopee reported it, so a late write of an
-- older figure is refused.
CREATE TABLE ad_spend (
    account_id  BIGINT NOT NULL
                REFERENCES shopee_accounts (id) ON DELETE CASCADE,
    date        DATE NOT NULL,
    spend       BIGINT NOT NULL CHECK (spend >= 0),
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, date)
);

-- +goose Down
DROP TABLE ad_spend;
