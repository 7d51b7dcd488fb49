-- +goose Up

-- A deal's version is the id of the latest event in its log (00040). Both
-- writers of a creation event set the deal's version to it themselves — the
-- add in the same statement, the import in the statement that writes its
-- events — so the trigger keeps it for every later event and no longer runs,
-- to change nothing, on every add.
DROP TRIGGER events_bump_version ON events;
CREATE TRIGGER events_bump_version AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.kind <> 'create') EXECUTE FUNCTION deals_bump_version();

-- +goose Down
DROP TRIGGER events_bump_version ON events;
CREATE TRIGGER events_bump_version AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION deals_bump_version();
