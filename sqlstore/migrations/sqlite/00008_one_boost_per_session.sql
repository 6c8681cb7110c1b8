-- A live session runs one coin boost plan at a time: Shopee refuses a
-- second giveaway while one runs, so a second plan could only fail.

-- +goose Up
-- Plans already running side by side keep running; only the newest of
-- each session is kept running, the others end as stopped.
UPDATE boost_plans SET status = 'stopped', ended_at = updated_at,
    reason = 'another plan of the session was running'
WHERE status = 'running' AND id NOT IN (
    SELECT MAX(id) FROM boost_plans WHERE status = 'running'
    GROUP BY session_id);
CREATE UNIQUE INDEX idx_boost_plans_running ON boost_plans (session_id)
    WHERE status = 'running';

-- +goose Down
DROP INDEX idx_boost_plans_running;
