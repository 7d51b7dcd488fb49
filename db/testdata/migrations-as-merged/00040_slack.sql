-- +goose Up

-- A deal's version is the id of the latest event in its log. Buttons carry the
-- version they were drawn for, so a click on an out-of-date message is noticed.
-- The trigger keeps it right for every way an event is written (commands,
-- buttons, imports).
ALTER TABLE deals ADD COLUMN version bigint NOT NULL DEFAULT 0;
UPDATE deals SET version = coalesce((SELECT max(id) FROM events e WHERE e.deal_id = deals.id), 0);

-- +goose StatementBegin
CREATE FUNCTION deals_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE deals SET version = NEW.id WHERE id = NEW.deal_id AND version < NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER events_bump_version AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION deals_bump_version();

-- One row per button click or modal submission that was acted on. The primary
-- key is the once-only guarantee: a second click of the same button (or of
-- another button drawn for the same version of the deal), a double submit or
-- a replayed action conflicts here and changes nothing.
CREATE TABLE deal_clicks (
    deal_id  bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    key      text NOT NULL,   -- 'v<version>' for a change, 'share:v<version>', 'view:<view id>'
    team_id  text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  text NOT NULL,
    event_id bigint REFERENCES events (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL,
    PRIMARY KEY (deal_id, key)
);

-- Events API deliveries already taken: Slack retries a delivery it thinks
-- failed, with the same event_id.
CREATE TABLE slack_events (
    event_id    text PRIMARY KEY,
    team_id     text NOT NULL,
    type        text NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX slack_events_received ON slack_events (received_at);

-- Workspaces that installed the app through OAuth. The bot token is sealed
-- with AES-256-GCM under SALESCOACH_SECRET_KEY (nonce || ciphertext, the team
-- id as additional data): the plaintext is never stored.
CREATE TABLE installations (
    team_id       text PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    team_name     text NOT NULL DEFAULT '',
    enterprise_id text,
    app_id        text NOT NULL DEFAULT '',
    bot_user_id   text NOT NULL,
    bot_token     bytea NOT NULL,
    scopes        text NOT NULL DEFAULT '',
    installed_by  text NOT NULL DEFAULT '',
    installed_at  timestamptz NOT NULL
);

-- Workspaces that uninstalled the app: their data is deleted after the
-- retention period unless they install it again first.
CREATE TABLE team_purges (
    team_id     text PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    reason      text NOT NULL,
    purge_after timestamptz NOT NULL
);

-- +goose Down
DROP TABLE team_purges;
DROP TABLE installations;
DROP TABLE slack_events;
DROP TABLE deal_clicks;
DROP TRIGGER events_bump_version ON events;
DROP FUNCTION deals_bump_version;
ALTER TABLE deals DROP COLUMN version;
