-- +goose Up

-- A digest subscription: a channel of a team that gets the weekly manager
-- digest at a local weekday and time. One per channel; /coach digest off keeps
-- the row (active = false) so that its weeks already posted stay posted.
CREATE TABLE digest_subscriptions (
    id            bigserial PRIMARY KEY,
    team_id       text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    channel_id    text NOT NULL,
    weekday       smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 is Sunday, as Go's time.Weekday
    minute_of_day smallint NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    tz            text NOT NULL,                                     -- IANA zone
    names         boolean NOT NULL DEFAULT true,                     -- deal names in the needs-attention list
    lang          text NOT NULL CHECK (lang IN ('en', 'zh')),        -- the subscriber's language when subscribing
    active        boolean NOT NULL DEFAULT true,
    created_by    text NOT NULL,                                     -- the manager who last ran /coach digest here
    since         timestamptz NOT NULL,                              -- slots before this are not posted
    -- What Slack last said of the channel: the bot posts only where it is a
    -- member, never in a channel shared with another organisation.
    channel_state text NOT NULL DEFAULT 'unchecked'
        CHECK (channel_state IN ('unchecked', 'ok', 'not_member', 'external', 'not_found')),
    checked_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, channel_id)
);

CREATE INDEX digest_subscriptions_active ON digest_subscriptions (id) WHERE active;

-- digest_runs holds one row per subscription and week: the primary key is the
-- once-only guarantee. A scheduler inserts the row (the claim) before posting;
-- a second scheduler's insert conflicts and it leaves the week alone. A claim
-- whose lease ran out (the process died mid-post) or a failure due for another
-- try is taken over by an update that checks the state in the same statement.
CREATE TABLE digest_runs (
    subscription_id  bigint NOT NULL REFERENCES digest_subscriptions (id) ON DELETE CASCADE,
    week             date NOT NULL,        -- the Monday of the slot's week, in the subscription's zone
    due_at           timestamptz NOT NULL, -- the slot
    state            text NOT NULL CHECK (state IN ('claimed', 'posted', 'failed', 'ambiguous')),
    claimed_by       text NOT NULL,        -- the process holding or last holding the claim
    claimed_at       timestamptz NOT NULL,
    first_claimed_at timestamptz NOT NULL,
    lease_until      timestamptz NOT NULL,
    attempts         integer NOT NULL DEFAULT 1,
    retry_at         timestamptz,          -- failed or ambiguous: when to look again; NULL when final
    ts               text,                 -- the posted message
    error            text,
    finished_at      timestamptz,
    PRIMARY KEY (subscription_id, week),
    CHECK ((state = 'posted') = (ts IS NOT NULL)),
    CHECK (state IN ('failed', 'ambiguous') OR retry_at IS NULL)
);

-- +goose Down
DROP TABLE digest_runs;
DROP TABLE digest_subscriptions;
