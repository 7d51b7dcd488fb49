-- +goose Up

-- One stale-deal nudge per rep and local working day (§10). A process claims
-- the row before it sends the direct message, so two `serve` processes never
-- both send it: the primary key is the once-only guarantee.
CREATE TABLE nudges (
    team_id    text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    text NOT NULL,
    local_date date NOT NULL,        -- the rep's date in their Slack time zone
    deals      integer NOT NULL,     -- stale deals listed; 0 when there was nothing to say
    claimed_at timestamptz NOT NULL,
    sent_at    timestamptz,          -- when Slack accepted the message
    PRIMARY KEY (team_id, user_id, local_date)
);

-- The reps the scheduler looks at: owners of open deals.
CREATE INDEX deals_open_owner ON deals (team_id, owner_id) WHERE status = 'open' AND NOT archived;

-- +goose Down
DROP INDEX deals_open_owner;
DROP TABLE nudges;
