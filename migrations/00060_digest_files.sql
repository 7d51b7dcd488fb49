-- +goose Up

-- The pictures added to a posted digest (the flowchart, the won-cycle trend):
-- one row per subscription, week and picture. The row is inserted — the claim —
-- before the upload and is never claimed again, so the primary key makes each
-- picture once-only per subscription-week even with several serve processes.
-- A process that dies between the claim and the end of the upload leaves the
-- row 'claimed' and the picture possibly missing: a picture may be missed,
-- never posted twice.
CREATE TABLE digest_files (
    subscription_id bigint NOT NULL,
    week            date NOT NULL,
    picture         text NOT NULL,        -- 'flow', 'trend'
    state           text NOT NULL DEFAULT 'claimed' CHECK (state IN ('claimed', 'uploaded', 'failed')),
    claimed_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    error           text,
    PRIMARY KEY (subscription_id, week, picture),
    FOREIGN KEY (subscription_id, week) REFERENCES digest_runs (subscription_id, week) ON DELETE CASCADE,
    CHECK ((state = 'failed') = (error IS NOT NULL))
);

-- +goose Down
DROP TABLE digest_files;
