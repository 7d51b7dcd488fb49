-- +goose Up

-- Two unique keys held a row for every deal or event without the value:
-- every event had its NULL in events_reverts_key (only undos revert
-- something), every deal added in Slack its NULL in the import's
-- (team_id, external_id) key. NULLs never conflict, so unique indexes over
-- the rows that have a value keep the same guarantee, under the same names,
-- and each add writes two index entries fewer. The look-ups by those columns
-- (is this event undone? which deal is row K-1 of the file?) always name a
-- value, so they still use them.
ALTER TABLE events DROP CONSTRAINT events_reverts_key;
CREATE UNIQUE INDEX events_reverts_key ON events (reverts) WHERE reverts IS NOT NULL;
ALTER TABLE deals DROP CONSTRAINT deals_team_id_external_id_key;
CREATE UNIQUE INDEX deals_team_id_external_id_key ON deals (team_id, external_id) WHERE external_id IS NOT NULL;

-- +goose Down
DROP INDEX events_reverts_key;
ALTER TABLE events ADD CONSTRAINT events_reverts_key UNIQUE (reverts);
DROP INDEX deals_team_id_external_id_key;
ALTER TABLE deals ADD CONSTRAINT deals_team_id_external_id_key UNIQUE (team_id, external_id);
