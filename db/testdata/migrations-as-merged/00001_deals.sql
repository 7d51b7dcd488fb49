-- +goose Up

-- A team is a Slack workspace; every other row belongs to one.
CREATE TABLE teams (
    id         text PRIMARY KEY,
    name       text NOT NULL DEFAULT '',
    currency   text NOT NULL DEFAULT 'USD',
    deal_seq   integer NOT NULL DEFAULT 0,     -- the last deal number handed out
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    team_id      text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    id           text NOT NULL,
    manager      boolean NOT NULL DEFAULT false, -- made a manager by a manager
    lang         text CHECK (lang IN ('en', 'zh')), -- chosen with /coach lang; NULL follows the Slack locale
    locale       text,                           -- from users.info, cached
    tz           text,                           -- IANA zone from users.info, cached
    slack_admin  boolean NOT NULL DEFAULT false, -- workspace admin or owner, cached
    fetched_at   timestamptz,                    -- when users.info was last read
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, id)
);

-- deals holds each deal's identity and the projection of its event log (the
-- current name, owner, amount, stage…), rewritten in the same transaction as
-- every event. The log in events is the truth.
CREATE TABLE deals (
    id           bigserial PRIMARY KEY,
    team_id      text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    number       integer NOT NULL,
    external_id  text,
    name         text NOT NULL,
    owner_id     text NOT NULL,
    amount_cents bigint CHECK (amount_cents >= 0 AND amount_cents < 100000000000000),
    currency     text NOT NULL,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    stage        text NOT NULL,
    stage_since  timestamptz NOT NULL,
    last_active  timestamptz NOT NULL,
    lost_reason  text,
    archived     boolean NOT NULL DEFAULT false,
    paused_until timestamptz,
    pause_reason text,
    created_at   timestamptz NOT NULL,
    UNIQUE (team_id, number),
    UNIQUE (team_id, external_id)
);

CREATE INDEX deals_owner ON deals (team_id, owner_id, status, stage_since) WHERE NOT archived;
CREATE INDEX deals_team_name ON deals (team_id, lower(name)) WHERE NOT archived;

-- events is the append-only log of every deal: stage entries (entry is an open
-- stage, 'won' or 'lost'), notes, edits, and reverts naming the event they cancel.
CREATE TABLE events (
    id       bigserial PRIMARY KEY,
    team_id  text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    deal_id  bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    kind     text NOT NULL,
    entry    text CHECK (entry IN ('prospecting', 'contact', 'qualification', 'presentation', 'objections', 'closing', 'won', 'lost')),
    reason   text,
    body     text,
    fields   jsonb,
    actor_id text NOT NULL,
    at       timestamptz NOT NULL,
    reverts  bigint UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    CHECK ((kind = 'revert') = (reverts IS NOT NULL)),
    CHECK ((kind IN ('create', 'move', 'won', 'lost', 'reopen')) = (entry IS NOT NULL))
);

CREATE INDEX events_deal ON events (deal_id, at, id);
CREATE INDEX events_team_entries ON events (team_id, at) WHERE entry IS NOT NULL;
CREATE INDEX events_actor ON events (team_id, actor_id, id DESC);
-- An import is idempotent on team + external deal id + stage + time.
CREATE UNIQUE INDEX events_entry_once ON events (deal_id, entry, at) WHERE entry IS NOT NULL;

-- History is never rewritten.
-- +goose StatementBegin
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- Signatures of Slack requests accepted in the last few minutes: a second
-- request with the same signature is a replay.
CREATE TABLE slack_requests (
    signature text PRIMARY KEY,
    seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_requests_seen ON slack_requests (seen_at);

-- +goose Down
DROP TABLE slack_requests;
DROP TABLE events;
DROP FUNCTION events_append_only;
DROP TABLE deals;
DROP TABLE users;
DROP TABLE teams;
