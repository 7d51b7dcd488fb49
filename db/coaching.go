package db

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"salescoach/coach"
)

// TeamStats returns the team's numbers the coaching rules compare a deal
// against, as of now: per open stage, the visits completed in the
// coach.StatsWindowDays before now with their median, p75 and p90 in days;
// the reasons of the team's last coach.RecentLosses losses in that window;
// and the median amount of the team's deals created in the last year in its
// reporting currency. Reverted events and archived deals do not count.
//
// The §9 report (coach.Report) carries the same per-stage figures; these
// queries are the small subset coaching needs on every reply.
func (s *DB) TeamStats(ctx context.Context, teamID string, now time.Time) (coach.TeamStats, error) {
	stats := coach.TeamStats{At: now}
	window := time.Duration(coach.StatsWindowDays) * 24 * time.Hour

	// A visit runs from an entry into an open stage to the deal's next stage
	// entry; it counts when it ended inside the window. Only deals with a
	// stage entry in the window can have such a visit.
	const visits = `
WITH recent AS (
	SELECT DISTINCT deal_id FROM events
	WHERE team_id = $1 AND entry IS NOT NULL AND at >= $3 AND at < $2
), entries AS (
	SELECT e.entry, e.at, lead(e.at) OVER (PARTITION BY e.deal_id ORDER BY e.at, e.id) AS ended
	FROM events e JOIN deals d ON d.id = e.deal_id AND NOT d.archived
	WHERE e.team_id = $1 AND e.entry IS NOT NULL AND e.at < $2 AND e.deal_id IN (SELECT deal_id FROM recent)
	  AND ` + notReverted + `
), done AS (
	SELECT entry, extract(epoch FROM ended - at) / 86400 AS days FROM entries
	WHERE entry NOT IN ('won', 'lost') AND ended >= $3 AND ended < $2
)
SELECT entry, count(*) AS visits,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
	percentile_cont(0.75) WITHIN GROUP (ORDER BY days) AS p75,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
FROM done GROUP BY entry`
	var rows []struct {
		Entry  string  `db:"entry"`
		Visits int     `db:"visits"`
		Median float64 `db:"median"`
		P75    float64 `db:"p75"`
		P90    float64 `db:"p90"`
	}
	if err := s.db.SelectContext(ctx, &rows, visits, teamID, now, now.Add(-window)); err != nil {
		return stats, translate(err)
	}
	for _, st := range coach.OpenStages {
		for _, r := range rows {
			if coach.Stage(r.Entry) == st {
				stats.Stages = append(stats.Stages, coach.StageTimes{Stage: st, Visits: r.Visits, Median: r.Median, P75: r.P75, P90: r.P90})
			}
		}
	}

	const losses = `
SELECT coalesce(reason, 'other') AS reason, count(*) AS n FROM (
	SELECT e.reason FROM events e JOIN deals d ON d.id = e.deal_id AND NOT d.archived
	WHERE e.team_id = $1 AND e.entry = 'lost' AND e.at < $2 AND e.at >= $3
	  AND ` + notReverted + `
	ORDER BY e.at DESC, e.id DESC
	LIMIT $4
) recent
GROUP BY 1 ORDER BY n DESC, reason`
	var reasons []struct {
		Reason string `db:"reason"`
		N      int    `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &reasons, losses, teamID, now, now.Add(-window), coach.RecentLosses); err != nil {
		return stats, translate(err)
	}
	for _, r := range reasons {
		stats.LostReasons = append(stats.LostReasons, coach.ReasonCount{Reason: coach.LostReason(r.Reason), N: r.N})
		stats.Losses += r.N
	}

	const typical = `
SELECT t.currency, count(d.amount_cents) AS n,
	coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.amount_cents), 0) AS median
FROM teams t
LEFT JOIN deals d ON d.team_id = t.id AND NOT d.archived AND d.currency = t.currency
	AND d.amount_cents IS NOT NULL AND d.created_at < $2 AND d.created_at >= $2::timestamptz - interval '365 days'
WHERE t.id = $1
GROUP BY t.currency`
	var ty struct {
		Currency string  `db:"currency"`
		N        int     `db:"n"`
		Median   float64 `db:"median"`
	}
	err := s.db.GetContext(ctx, &ty, typical, teamID, now)
	if err != nil && err != sql.ErrNoRows {
		return stats, translate(err)
	}
	stats.Typical = coach.Money{Cents: int64(ty.Median + 0.5), Currency: ty.Currency}
	stats.TypicalN = ty.N
	return stats, nil
}

// Logs returns the logs (oldest first) of the team's deals with the given
// ids, by deal id.
func (s *DB) Logs(ctx context.Context, teamID string, dealIDs []int64) (map[int64][]coach.Event, error) {
	out := make(map[int64][]coach.Event, len(dealIDs))
	if len(dealIDs) == 0 {
		return out, nil
	}
	var rows []eventRow
	err := s.db.SelectContext(ctx, &rows,
		`SELECT `+eventCols+` FROM events WHERE team_id = $1 AND deal_id = ANY($2) ORDER BY deal_id, at, id`,
		teamID, pq.Int64Array(dealIDs))
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		e, err := r.event()
		if err != nil {
			return nil, err
		}
		out[e.DealID] = append(out[e.DealID], e)
	}
	return out, nil
}

// NudgeReps returns every rep, across teams, who owns an open deal that is
// not archived and not paused at now, with what the store knows of them and
// the local date of their last claimed nudge.
func (s *DB) NudgeReps(ctx context.Context, now time.Time) ([]coach.NudgeRep, error) {
	const q = `
SELECT o.team_id, o.owner_id, t.currency,
	coalesce(u.manager, false) AS manager, coalesce(u.slack_admin, false) AS slack_admin,
	coalesce(u.lang, '') AS lang, coalesce(u.locale, '') AS locale, coalesce(u.tz, '') AS tz, u.fetched_at,
	coalesce((SELECT to_char(max(n.local_date), 'YYYY-MM-DD') FROM nudges n
		WHERE n.team_id = o.team_id AND n.user_id = o.owner_id), '') AS last_nudge
FROM (
	SELECT DISTINCT team_id, owner_id FROM deals
	WHERE status = 'open' AND NOT archived AND (paused_until IS NULL OR paused_until <= $1)
) o
JOIN teams t ON t.id = o.team_id
LEFT JOIN users u ON u.team_id = o.team_id AND u.id = o.owner_id
ORDER BY o.team_id, o.owner_id`
	var rows []struct {
		TeamID     string       `db:"team_id"`
		UserID     string       `db:"owner_id"`
		Currency   string       `db:"currency"`
		Manager    bool         `db:"manager"`
		SlackAdmin bool         `db:"slack_admin"`
		Lang       string       `db:"lang"`
		Locale     string       `db:"locale"`
		TZ         string       `db:"tz"`
		FetchedAt  sql.NullTime `db:"fetched_at"`
		LastNudge  string       `db:"last_nudge"`
	}
	if err := s.db.SelectContext(ctx, &rows, q, now); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.NudgeRep, len(rows))
	for i, r := range rows {
		out[i] = coach.NudgeRep{LastNudge: r.LastNudge, Member: coach.Member{
			TeamID: r.TeamID, UserID: r.UserID, Currency: r.Currency, Manager: r.Manager, SlackAdmin: r.SlackAdmin,
			Lang: coach.Lang(r.Lang), Locale: r.Locale, TZ: r.TZ, FetchedAt: r.FetchedAt.Time,
		}}
	}
	return out, nil
}

// ClaimNudge claims the nudge of a rep for their local date (YYYY-MM-DD),
// listing deals stale deals, and reports whether this call claimed it: false
// when it was claimed before, by this process or another.
func (s *DB) ClaimNudge(ctx context.Context, teamID, userID, day string, deals int, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `
INSERT INTO nudges (team_id, user_id, local_date, deals, claimed_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING`, teamID, userID, day, deals, now)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}

// NudgeSent records that Slack accepted a claimed nudge.
func (s *DB) NudgeSent(ctx context.Context, teamID, userID, day string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE nudges SET sent_at = $4 WHERE team_id = $1 AND user_id = $2 AND local_date = $3`,
		teamID, userID, day, at)
	return translate(err)
}

// ReleaseNudge gives up a claimed nudge that surely was not sent, so a later
// attempt that morning may claim it again.
func (s *DB) ReleaseNudge(ctx context.Context, teamID, userID, day string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM nudges WHERE team_id = $1 AND user_id = $2 AND local_date = $3 AND sent_at IS NULL`,
		teamID, userID, day)
	return translate(err)
}
