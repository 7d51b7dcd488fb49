-- +goose Up

-- deals_owner (team_id, owner_id, status, stage_since) already serves every
-- query of one rep's open deals; a second index only cost each write.
DROP INDEX IF EXISTS deals_open_owner;

-- +goose Down
CREATE INDEX deals_open_owner ON deals (team_id, owner_id) WHERE status = 'open' AND NOT archived;
