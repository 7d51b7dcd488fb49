-- +goose Up

-- The report (§9) reads a team's stage entries in the order of each deal's
-- log: one pass over this index, without touching the table.
CREATE INDEX events_team_deal_entries ON events (team_id, deal_id, at, id) INCLUDE (entry) WHERE entry IS NOT NULL;
-- Each deal's latest note, for idle deals; and the team's undos.
CREATE INDEX events_team_notes ON events (team_id, deal_id, at) INCLUDE (id) WHERE kind = 'note';
CREATE INDEX events_team_reverts ON events (team_id, at) INCLUDE (reverts) WHERE kind = 'revert';

-- +goose Down
DROP INDEX events_team_reverts;
DROP INDEX events_team_notes;
DROP INDEX events_team_deal_entries;
