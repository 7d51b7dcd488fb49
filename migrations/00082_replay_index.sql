-- +goose Up

-- Every Slack request inserts one signature; the index on seen_at only served
-- the once-a-minute clean-up, which can read the small table whole.
DROP INDEX IF EXISTS slack_requests_seen;

-- +goose Down
CREATE INDEX slack_requests_seen ON slack_requests (seen_at);
