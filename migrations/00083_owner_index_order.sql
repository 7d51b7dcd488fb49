-- +goose Up

-- A rep's list is ordered by time in stage, then number: with number in the
-- index the list reads its first 20 rows straight from the index, however
-- many deals the rep has, instead of sorting them all.
DROP INDEX IF EXISTS deals_owner;
CREATE INDEX deals_owner ON deals (team_id, owner_id, status, stage_since, number) WHERE NOT archived;

-- +goose Down
DROP INDEX IF EXISTS deals_owner;
CREATE INDEX deals_owner ON deals (team_id, owner_id, status, stage_since) WHERE NOT archived;
