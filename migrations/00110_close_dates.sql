-- +goose Up

-- A deal's expected close date (/deal due), part of the projection of its
-- log: the 'due' events carry each date set or cleared. close_slips counts the
-- times the date moved later than the one set before, close_slip_days the days
-- it was pushed in all.
ALTER TABLE deals
    ADD COLUMN close_date      date,
    ADD COLUMN close_slips     integer NOT NULL DEFAULT 0,
    ADD COLUMN close_slip_days integer NOT NULL DEFAULT 0;

-- The close-date changes of a team, for the slipped deals of a report.
CREATE INDEX events_team_due ON events (team_id, at) WHERE kind = 'due';

-- +goose Down
DROP INDEX events_team_due;
ALTER TABLE deals DROP COLUMN close_date, DROP COLUMN close_slips, DROP COLUMN close_slip_days;
