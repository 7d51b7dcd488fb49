-- +goose Up

-- Each accepted request signature carries a random value chosen by the process
-- that recorded it. When a connection breaks after the insert committed and
-- the driver runs it again, the process finds its own value and knows the
-- request is not a replay.
ALTER TABLE slack_requests ADD COLUMN nonce bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE slack_requests DROP COLUMN nonce;
