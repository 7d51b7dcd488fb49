-- +goose Up

-- A change logged late is dated when it happened (at, what every figure
-- reads) and keeps when it was typed: typed_at, set for every change made in
-- Slack or the console. It is NULL for events that were never typed (an
-- imported history, and events older than this column), which count as typed
-- when they happened. /deal undo goes by typed_at.
ALTER TABLE events ADD COLUMN typed_at timestamptz;

-- +goose Down
ALTER TABLE events DROP COLUMN typed_at;
