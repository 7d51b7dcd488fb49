-- +goose Up

-- How many deals each rep has of each status (archived deals left out), kept
-- exact by triggers on deals: /deal list shows its exact total ("1–20 of
-- 152") from one row instead of counting every open deal of the rep on each
-- page.
--
-- The triggers fire only when a deal is added or deleted or its owner,
-- status or archived flag changes. An import (one long transaction that
-- already holds its team's row lock, so nothing else writes that team's deals
-- meanwhile) sets salescoach.deal_counts to 'later' and calls
-- recount_deals(team) before it commits: updating one counter row thousands
-- of times in one transaction would be slow. A team's deletion removes its
-- counters by the foreign key.
CREATE TABLE deal_counts (
    team_id  text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    owner_id text NOT NULL,
    status   text NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (team_id, owner_id, status)
);

-- +goose StatementBegin
CREATE FUNCTION recount_deals(team text) RETURNS void LANGUAGE sql AS $$
    DELETE FROM deal_counts WHERE team_id = team;
    INSERT INTO deal_counts (team_id, owner_id, status, n)
    SELECT team_id, owner_id, status, count(*) FROM deals
    WHERE team_id = team AND NOT archived
    GROUP BY team_id, owner_id, status;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION deal_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_first boolean;
BEGIN
    IF current_setting('salescoach.deal_counts', true) = 'later' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO deal_counts AS c (team_id, owner_id, status, n) VALUES (NEW.team_id, NEW.owner_id, NEW.status, 1)
        ON CONFLICT (team_id, owner_id, status) DO UPDATE SET n = c.n + 1;
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- A team's deletion takes its counters with it.
        UPDATE deal_counts SET n = n - 1
        WHERE team_id = OLD.team_id AND owner_id = OLD.owner_id AND status = OLD.status
          AND EXISTS (SELECT 1 FROM teams WHERE id = OLD.team_id);
        RETURN NULL;
    END IF;
    -- An update: the two counters in key order, so two changes of one rep's
    -- deals take their locks in the same order.
    old_first := (OLD.team_id, OLD.owner_id, OLD.status) < (NEW.team_id, NEW.owner_id, NEW.status);
    IF NOT old_first AND NOT NEW.archived THEN
        INSERT INTO deal_counts AS c (team_id, owner_id, status, n) VALUES (NEW.team_id, NEW.owner_id, NEW.status, 1)
        ON CONFLICT (team_id, owner_id, status) DO UPDATE SET n = c.n + 1;
    END IF;
    IF NOT OLD.archived THEN
        UPDATE deal_counts SET n = n - 1
        WHERE team_id = OLD.team_id AND owner_id = OLD.owner_id AND status = OLD.status;
    END IF;
    IF old_first AND NOT NEW.archived THEN
        INSERT INTO deal_counts AS c (team_id, owner_id, status, n) VALUES (NEW.team_id, NEW.owner_id, NEW.status, 1)
        ON CONFLICT (team_id, owner_id, status) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER deals_count_insert AFTER INSERT ON deals
    FOR EACH ROW WHEN (NOT NEW.archived) EXECUTE FUNCTION deal_counts_change();
CREATE TRIGGER deals_count_update AFTER UPDATE OF team_id, owner_id, status, archived ON deals
    FOR EACH ROW WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
                       OR OLD.status IS DISTINCT FROM NEW.status OR OLD.archived IS DISTINCT FROM NEW.archived)
    EXECUTE FUNCTION deal_counts_change();
CREATE TRIGGER deals_count_delete AFTER DELETE ON deals
    FOR EACH ROW WHEN (NOT OLD.archived) EXECUTE FUNCTION deal_counts_change();

-- The deals already there.
INSERT INTO deal_counts (team_id, owner_id, status, n)
SELECT team_id, owner_id, status, count(*) FROM deals WHERE NOT archived
GROUP BY team_id, owner_id, status;

-- +goose Down
DROP TRIGGER deals_count_insert ON deals;
DROP TRIGGER deals_count_update ON deals;
DROP TRIGGER deals_count_delete ON deals;
DROP FUNCTION deal_counts_change;
DROP FUNCTION recount_deals;
DROP TABLE deal_counts;
