package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"salescoach/coach"
)

// liveEntries is the stage entries that count for a team as of $3: those
// before it of deals that are not archived, without the reverted ones,
// whenever they were undone (a revert itself is never an entry), as in the
// report. $1 is the team. The reverts are looked up among the team's
// (events_team_reverts), which are few.
const liveEntries = `
SELECT e.deal_id, e.id, e.entry, e.at
FROM events e JOIN deals d ON d.id = e.deal_id
WHERE e.team_id = $1 AND d.team_id = $1 AND NOT d.archived
  AND e.entry IS NOT NULL AND e.at < $3
  AND NOT EXISTS (SELECT 1 FROM events r WHERE r.team_id = $1 AND r.kind = 'revert' AND r.reverts = e.id)`

// Transitions counts the observed moves of a team's deals in the window
// [from, to): pairs of consecutive live stage entries of a deal whose second
// entry lies in the window, grouped by from and to stage. Archived deals and
// reverted entries are left out. A deal's first entry has no move into it.
func (s *DB) Transitions(ctx context.Context, teamID string, from, to time.Time) ([]coach.Transition, error) {
	// Only deals with a stage entry in the window can have a move in it.
	const q = `
WITH live AS (` + liveEntries + `
	AND e.deal_id IN (SELECT deal_id FROM events WHERE team_id = $1 AND entry IS NOT NULL AND at >= $2 AND at < $3)
), pairs AS (
	SELECT entry, at, lag(entry) OVER (PARTITION BY deal_id ORDER BY at, id) AS prev
	FROM live
)
SELECT prev AS from_stage, entry AS to_stage, count(*) AS n
FROM pairs
WHERE prev IS NOT NULL AND at >= $2
GROUP BY prev, entry
ORDER BY prev, entry`
	var rows []struct {
		From string `db:"from_stage"`
		To   string `db:"to_stage"`
		N    int    `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &rows, q, teamID, from, to); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.Transition, len(rows))
	for i, r := range rows {
		out[i] = coach.Transition{From: coach.Stage(r.From), To: coach.Stage(r.To), Count: r.N}
	}
	return out, nil
}

// WonCycleWeeks returns the won sales cycle of each of the weeks (7-day
// windows) that end at to, oldest first. A week counts the deals closed won in
// it by §9's rule — the deal's latest entry before the week's end is that won
// entry — with the cycle measured from the deal's first entry into contact or
// a later open stage (its first entry when it has none). Each week also
// carries the median over the four weeks ending with it.
func (s *DB) WonCycleWeeks(ctx context.Context, teamID string, to time.Time, weeks int) ([]coach.WeekCycle, error) {
	if weeks <= 0 {
		return nil, fmt.Errorf("won cycle weeks: %d weeks", weeks)
	}
	// Only deals won in the weeks, or in the four weeks before the first of
	// them for its rolling median, can count.
	const q = `
WITH live AS (` + liveEntries + `
	AND e.deal_id IN (SELECT deal_id FROM events WHERE team_id = $1 AND entry = 'won'
		AND at >= $3::timestamptz - ($2::int + 4) * interval '7 days' AND at < $3)
), seq AS (
	SELECT entry, at,
		lead(at) OVER (PARTITION BY deal_id ORDER BY at, id) AS next_at,
		min(at) OVER (PARTITION BY deal_id) AS first_at,
		min(at) FILTER (WHERE entry IN ('contact', 'qualification', 'presentation', 'objections', 'closing'))
			OVER (PARTITION BY deal_id ORDER BY at, id ROWS UNBOUNDED PRECEDING) AS cycle_from
	FROM live
), wins AS (
	SELECT at, next_at, extract(epoch FROM at - coalesce(cycle_from, first_at)) / 86400 AS days
	FROM seq WHERE entry = 'won'
), weeks AS (
	SELECT k,
		$3::timestamptz - ($2::int - k) * interval '7 days' AS wstart,
		$3::timestamptz - ($2::int - 1 - k) * interval '7 days' AS wend
	FROM generate_series(0, $2::int - 1) AS k
)
SELECT w.wstart, w.wend,
	count(x.at) FILTER (WHERE x.at >= w.wstart) AS n,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY x.days) FILTER (WHERE x.at >= w.wstart) AS median,
	count(x.at) AS rolling_n,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY x.days) AS rolling
FROM weeks w
LEFT JOIN wins x ON x.at >= w.wend - interval '28 days' AND x.at < w.wend
	AND (x.next_at IS NULL OR x.next_at >= w.wend)
GROUP BY w.k, w.wstart, w.wend
ORDER BY w.k`
	var rows []struct {
		Start    time.Time       `db:"wstart"`
		End      time.Time       `db:"wend"`
		N        int             `db:"n"`
		Median   sql.NullFloat64 `db:"median"`
		RollingN int             `db:"rolling_n"`
		Rolling  sql.NullFloat64 `db:"rolling"`
	}
	if err := s.db.SelectContext(ctx, &rows, q, teamID, weeks, to); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.WeekCycle, len(rows))
	for i, r := range rows {
		out[i] = coach.WeekCycle{
			Start: r.Start.UTC(), End: r.End.UTC(), N: r.N, Median: nullFloat(r.Median),
			RollingN: r.RollingN, Rolling: nullFloat(r.Rolling),
		}
	}
	return out, nil
}

func nullFloat(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}
