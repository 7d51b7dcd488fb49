-- +goose Up

-- Three migrations were edited after they had been merged. goose runs each
-- version once, so a database migrated before an edit never got it; this file
-- brings such a database to the schema those files describe now. Every step
-- checks first, so on a database migrated with the files as they are it
-- changes nothing.

-- 00001_deals: deal numbers come from next_deal_number(), a sequence per team,
-- instead of teams.deal_seq (without it no deal can be added). Each team's
-- sequence is set past the highest number it has handed out, by deal_seq or
-- by its deals, so no number is given twice.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION next_deal_number(team text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    seq text := 'deal_numbers_' || md5(team);
BEGIN
    IF to_regclass(seq) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL; -- another session created it at the same moment
        END;
    END IF;
    RETURN nextval(seq);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t    record;
    seq  text;
    used bigint;
BEGIN
    FOR t IN
        SELECT d.team_id, max(d.number) AS top FROM deals d GROUP BY d.team_id
    LOOP
        seq := 'deal_numbers_' || md5(t.team_id);
        EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
        EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %I', seq) INTO used;
        IF used < t.top THEN
            PERFORM setval(seq, t.top);
        END IF;
    END LOOP;
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'teams' AND column_name = 'deal_seq') THEN
        FOR t IN EXECUTE 'SELECT id AS team_id, deal_seq AS top FROM teams WHERE deal_seq > 0' LOOP
            seq := 'deal_numbers_' || md5(t.team_id);
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
            EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %I', seq) INTO used;
            IF used < t.top THEN
                PERFORM setval(seq, t.top);
            END IF;
        END LOOP;
        ALTER TABLE teams DROP COLUMN deal_seq;
    END IF;
END;
$$;
-- +goose StatementEnd

-- 00001_deals: the replay table is unlogged (it holds minutes of signatures;
-- a crash may forget them). A no-op when it already is.
ALTER TABLE slack_requests SET UNLOGGED;

-- 00010_report_indexes: the undo index carries the deal, for the report.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_indexes
                   WHERE schemaname = current_schema() AND indexname = 'events_team_reverts'
                     AND indexdef LIKE '%INCLUDE (reverts, deal_id)%') THEN
        DROP INDEX IF EXISTS events_team_reverts;
        CREATE INDEX events_team_reverts ON events (team_id, at) INCLUDE (reverts, deal_id) WHERE kind = 'revert';
    END IF;
END;
$$;
-- +goose StatementEnd

-- 00040_slack: a scheduled deletion remembers when the workspace uninstalled,
-- so that activity after it calls the deletion off. For a deletion scheduled
-- before that, the time is the workspace's last app_uninstalled or
-- tokens_revoked event when one is kept, else 30 days (the default retention)
-- before its deletion date, and never later than now.
ALTER TABLE team_purges ADD COLUMN IF NOT EXISTS uninstalled_at timestamptz;
UPDATE team_purges p SET uninstalled_at = coalesce(
    (SELECT max(v.received_at) FROM slack_events v
     WHERE v.team_id = p.team_id AND v.type IN ('app_uninstalled', 'tokens_revoked') AND v.received_at <= p.purge_after),
    least(now(), p.purge_after - interval '30 days'))
WHERE p.uninstalled_at IS NULL;
ALTER TABLE team_purges ALTER COLUMN uninstalled_at SET NOT NULL;

-- +goose Down
-- Nothing to undo: this only repeats what 00001–00040 already say.
