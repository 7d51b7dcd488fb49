package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"salescoach/coach"
)

// digestRow is a digest_subscriptions row with its latest run.
type digestRow struct {
	ID           int64          `db:"id"`
	TeamID       string         `db:"team_id"`
	ChannelID    string         `db:"channel_id"`
	Weekday      int            `db:"weekday"`
	MinuteOfDay  int            `db:"minute_of_day"`
	TZ           string         `db:"tz"`
	Names        bool           `db:"names"`
	Lang         string         `db:"lang"`
	Active       bool           `db:"active"`
	CreatedBy    string         `db:"created_by"`
	Since        time.Time      `db:"since"`
	ChannelState string         `db:"channel_state"`
	CheckedAt    sql.NullTime   `db:"checked_at"`
	Week         sql.NullTime   `db:"week"`
	Due          sql.NullTime   `db:"due_at"`
	State        sql.NullString `db:"state"`
	Attempts     sql.NullInt64  `db:"attempts"`
	LeaseUntil   sql.NullTime   `db:"lease_until"`
	RetryAt      sql.NullTime   `db:"retry_at"`
	TS           sql.NullString `db:"ts"`
	Error        sql.NullString `db:"error"`
	FinishedAt   sql.NullTime   `db:"finished_at"`
}

func (r digestRow) sub() coach.DigestSub {
	s := coach.DigestSub{
		ID: r.ID, TeamID: r.TeamID, ChannelID: r.ChannelID,
		Schedule: coach.Schedule{Weekday: time.Weekday(r.Weekday), Hour: r.MinuteOfDay / 60, Minute: r.MinuteOfDay % 60, Zone: r.TZ},
		Names:    r.Names, Lang: coach.Lang(r.Lang), Active: r.Active, CreatedBy: r.CreatedBy,
		Since: r.Since, Channel: coach.ChannelState(r.ChannelState), CheckedAt: r.CheckedAt.Time,
	}
	if r.Week.Valid {
		// week is a date: read it back as midnight UTC, as Schedule.Week makes it.
		y, m, d := r.Week.Time.Date()
		s.Last = coach.DigestRun{
			Week: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Due: r.Due.Time, State: r.State.String,
			Attempts: int(r.Attempts.Int64), LeaseUntil: r.LeaseUntil.Time, RetryAt: r.RetryAt.Time,
			TS: r.TS.String, Error: r.Error.String, FinishedAt: r.FinishedAt.Time,
		}
	}
	return s
}

// digestSelect reads subscriptions with their latest run; add a WHERE.
const digestSelect = `
SELECT s.id, s.team_id, s.channel_id, s.weekday, s.minute_of_day, s.tz, s.names, s.lang, s.active,
	s.created_by, s.since, s.channel_state, s.checked_at,
	r.week, r.due_at, r.state, r.attempts, r.lease_until, r.retry_at, r.ts, r.error, r.finished_at
FROM digest_subscriptions s
LEFT JOIN LATERAL (
	SELECT * FROM digest_runs WHERE subscription_id = s.id ORDER BY week DESC LIMIT 1
) r ON true
`

func (s *DB) selectDigests(ctx context.Context, where string, args ...any) ([]coach.DigestSub, error) {
	var rows []digestRow
	if err := s.db.SelectContext(ctx, &rows, digestSelect+where, args...); err != nil {
		return nil, translate(err)
	}
	subs := make([]coach.DigestSub, len(rows))
	for i, r := range rows {
		subs[i] = r.sub()
	}
	return subs, nil
}

// SaveDigest subscribes sub's channel to the weekly digest, or changes the
// schedule, language and subscriber of the channel's subscription (keeping
// its names setting) and switches it back on. The channel is checked again
// before the next post. It returns the subscription as stored.
func (s *DB) SaveDigest(ctx context.Context, sub coach.DigestSub) (coach.DigestSub, error) {
	const q = `
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, tz, names, lang, created_by, since)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (team_id, channel_id) DO UPDATE SET
	weekday = excluded.weekday, minute_of_day = excluded.minute_of_day, tz = excluded.tz,
	lang = excluded.lang, created_by = excluded.created_by, since = excluded.since, active = true,
	channel_state = 'unchecked', checked_at = NULL
RETURNING id`
	return s.updateDigest(ctx, q, sub.TeamID, sub.ChannelID, int(sub.Schedule.Weekday),
		sub.Schedule.Hour*60+sub.Schedule.Minute, sub.Schedule.Zone, sub.Names, string(sub.Lang), sub.CreatedBy, sub.Since)
}

// DigestIn returns the active digest subscription of a channel, or
// coach.ErrNoDigest.
func (s *DB) DigestIn(ctx context.Context, teamID, channelID string) (coach.DigestSub, error) {
	subs, err := s.selectDigests(ctx, `WHERE s.team_id = $1 AND s.channel_id = $2 AND s.active`, teamID, channelID)
	if err != nil {
		return coach.DigestSub{}, err
	}
	if len(subs) == 0 {
		return coach.DigestSub{}, coach.ErrNoDigest
	}
	return subs[0], nil
}

// TeamDigests returns the team's active digest subscriptions, by channel.
func (s *DB) TeamDigests(ctx context.Context, teamID string) ([]coach.DigestSub, error) {
	return s.selectDigests(ctx, `WHERE s.team_id = $1 AND s.active ORDER BY s.channel_id`, teamID)
}

// ActiveDigests returns every team's active digest subscriptions with their
// latest run, for the scheduler.
func (s *DB) ActiveDigests(ctx context.Context) ([]coach.DigestSub, error) {
	return s.selectDigests(ctx, `WHERE s.active ORDER BY s.id`)
}

// StopDigest switches off the digest of a channel and returns it, or
// coach.ErrNoDigest when there is none.
func (s *DB) StopDigest(ctx context.Context, teamID, channelID string) (coach.DigestSub, error) {
	return s.updateDigest(ctx, `UPDATE digest_subscriptions SET active = false
WHERE team_id = $1 AND channel_id = $2 AND active RETURNING id`, teamID, channelID)
}

// SetDigestNames shows (on) or hides deal names in a channel's digest, and
// returns the subscription, or coach.ErrNoDigest when there is none.
func (s *DB) SetDigestNames(ctx context.Context, teamID, channelID string, on bool) (coach.DigestSub, error) {
	return s.updateDigest(ctx, `UPDATE digest_subscriptions SET names = $3
WHERE team_id = $1 AND channel_id = $2 AND active RETURNING id`, teamID, channelID, on)
}

// updateDigest runs q, which returns a subscription's id, and returns that
// subscription, or coach.ErrNoDigest when q changed no row.
func (s *DB) updateDigest(ctx context.Context, q string, args ...any) (coach.DigestSub, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, q, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return coach.DigestSub{}, coach.ErrNoDigest
	}
	if err != nil {
		return coach.DigestSub{}, translate(err)
	}
	subs, err := s.selectDigests(ctx, `WHERE s.id = $1`, id)
	if err != nil {
		return coach.DigestSub{}, err
	}
	return subs[0], nil
}

// SetDigestChannel records what Slack said of a subscription's channel at
// at, and returns the state recorded before.
func (s *DB) SetDigestChannel(ctx context.Context, subID int64, state coach.ChannelState, at time.Time) (coach.ChannelState, error) {
	const q = `
UPDATE digest_subscriptions s SET channel_state = $2, checked_at = $3
FROM (SELECT id, channel_state FROM digest_subscriptions WHERE id = $1 FOR UPDATE) old
WHERE s.id = old.id
RETURNING old.channel_state`
	var before string
	err := s.db.GetContext(ctx, &before, q, subID, string(state), at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", coach.ErrNoDigest
	}
	return coach.ChannelState(before), translate(err)
}

// ClaimDigest claims a subscription's week for the process c.By: it inserts
// the week's run, or takes over a run whose lease ran out (its process died
// mid-post) or whose retry time has come. The primary key on (subscription,
// week) and the state check inside the one statement make it a PostgreSQL
// guarantee that one process at a time holds a week. It returns the claim
// with its attempt number and when the week was first claimed, and false
// when another process holds the week or it needs no more work.
func (s *DB) ClaimDigest(ctx context.Context, c coach.DigestClaim) (coach.DigestClaim, bool, error) {
	const q = `
INSERT INTO digest_runs AS r (subscription_id, week, due_at, state, claimed_by, claimed_at, first_claimed_at, lease_until)
VALUES ($1, $2, $3, 'claimed', $4, $5, $5, $6)
ON CONFLICT (subscription_id, week) DO UPDATE SET
	state = 'claimed', claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at,
	lease_until = excluded.lease_until, attempts = r.attempts + 1, retry_at = NULL
WHERE (r.state = 'claimed' AND r.lease_until <= excluded.claimed_at)
   OR (r.state IN ('failed', 'ambiguous') AND r.retry_at <= excluded.claimed_at)
RETURNING r.attempts, r.first_claimed_at, r.due_at`
	var row struct {
		Attempts int       `db:"attempts"`
		FirstAt  time.Time `db:"first_claimed_at"`
		Due      time.Time `db:"due_at"`
	}
	err := s.db.GetContext(ctx, &row, q, c.SubID, c.Week.Format("2006-01-02"), c.Due, c.By, c.At, c.LeaseUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, translate(err)
	}
	c.Attempt, c.FirstAt, c.Due = row.Attempts, row.FirstAt, row.Due
	return c, true, nil
}

// FinishDigest records the outcome of a claim. It changes nothing, and
// returns false, when the claim is no longer this process's (it was taken
// over after its lease ran out).
func (s *DB) FinishDigest(ctx context.Context, c coach.DigestClaim, o coach.DigestOutcome) (bool, error) {
	const q = `
UPDATE digest_runs SET state = $5, ts = $6, error = $7, retry_at = $8, finished_at = $9
WHERE subscription_id = $1 AND week = $2 AND claimed_by = $3 AND attempts = $4 AND state = 'claimed'`
	var retry sql.NullTime
	if !o.RetryAt.IsZero() {
		retry = sql.NullTime{Time: o.RetryAt, Valid: true}
	}
	res, err := s.db.ExecContext(ctx, q, c.SubID, c.Week.Format("2006-01-02"), c.By, c.Attempt,
		o.State, nullString(o.TS), nullString(o.Error), retry, o.At)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}
