package db

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"salescoach/coach"
)

// Report returns the metrics of §9 of the spec for the team's deals over the
// window [from, to), as of to: events at or after to are ignored. It returns
// an EInvalid error when from is not before to, and coach.ErrUnavailable when
// the database cannot be reached. A team without data gets zeros and nulls.
func (s *DB) Report(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error) {
	return s.ReportFor(ctx, teamID, "", from, to)
}

// ReportFor is Report restricted to the deals owner owns now ("" for the whole
// team). The stale-deal rule still judges a deal against the p90 of the whole
// team's visits, the norm a rep is measured by.
func (s *DB) ReportFor(ctx context.Context, teamID, owner string, from, to time.Time) (coach.Report, error) {
	from, to = from.UTC(), to.UTC()
	rep := coach.Report{TeamID: teamID, From: from, To: to, StaleDeals: []coach.StaleDeal{}, Reps: []coach.RepStats{}}
	if !from.Before(to) {
		return rep, coach.Fail(coach.EInvalid,
			fmt.Sprintf("The report window is empty: %s is not before %s.", from.Format(time.RFC3339), to.Format(time.RFC3339)),
			fmt.Sprintf("报告的时间范围是空的：%s 不早于 %s。", from.Format(time.RFC3339), to.Format(time.RFC3339)))
	}
	var raw []byte
	if err := s.db.GetContext(ctx, &raw, reportQuery, teamID, from, to, owner, to.Add(-90*24*time.Hour),
		coach.MinVisitsForBottleneck, staleAfterDays); err != nil {
		return rep, translate(err)
	}
	var r reportRow
	if err := json.Unmarshal(raw, &r); err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	r.fill(&rep)
	return rep, nil
}

// reportQuery computes every figure of the report in one statement over the
// team's event log, and returns them as one JSON object (reportRow). The
// parameters: $1 team, $2 from, $3 to, $4 owner (empty for all), $5 to − 90 days, $6
// the visits a stage's own p90 needs, $7 the days after which a deal is stale
// without one.
//
// s numbers each deal's live stage entries before to (reverted entries and
// the reverts themselves are skipped; a revert at or after to does not count
// yet) and carries, per entry, what the metrics ask of its neighbours: the
// previous entry, when the next entry came, the furthest stage reached after
// it, and the deal's cycle start. pos ranks an entry in process order:
// prospecting 0 … closing 5, won 6, lost -1.
const reportQuery = `
WITH stages (stage, pos) AS (
	VALUES ('prospecting', 0), ('contact', 1), ('qualification', 2), ('presentation', 3), ('objections', 4), ('closing', 5)
), team AS (
	SELECT coalesce((SELECT currency FROM teams WHERE id = $1), 'USD') AS currency
), d AS (
	SELECT id, number, name, owner_id, amount_cents, currency, paused_until, ($4 = '' OR owner_id = $4) AS mine
	FROM deals WHERE team_id = $1 AND NOT archived
), e AS (
	SELECT e.deal_id, e.id, e.entry, e.at, d.mine,
		coalesce(st.pos, CASE e.entry WHEN 'won' THEN 6 ELSE -1 END) AS pos
	FROM events e
	JOIN d ON d.id = e.deal_id
	LEFT JOIN stages st ON st.stage = e.entry
	WHERE e.team_id = $1 AND e.entry IS NOT NULL AND e.at < $3
	  AND NOT EXISTS (SELECT 1 FROM events r WHERE r.reverts = e.id AND r.at < $3)
), s AS (
	SELECT deal_id, entry, at, mine, pos,
		row_number() OVER w AS seq,
		lag(entry) OVER w AS prev_entry,
		lead(at) OVER w AS next_at,
		coalesce(max(pos) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), -1) AS later_max,
		coalesce(min(at) FILTER (WHERE pos BETWEEN 1 AND 5) OVER p, min(at) OVER p) AS cycle_start
	FROM e
	WINDOW p AS (PARTITION BY deal_id), w AS (p ORDER BY at, id)
), last AS (
	-- each deal's latest entry before to: where it stands at to
	SELECT deal_id, entry, at, mine, pos, cycle_start, extract(epoch FROM at - cycle_start) / 86400 AS cycle
	FROM s WHERE next_at IS NULL
), closed AS (
	SELECT l.deal_id, l.entry AS outcome, l.at, l.cycle, d.amount_cents, d.currency = t.currency AS reporting
	FROM last l JOIN d ON d.id = l.deal_id CROSS JOIN team t
	WHERE l.mine AND l.entry IN ('won', 'lost')
), visits AS (
	SELECT entry AS stage, mine, next_at AS ended, extract(epoch FROM next_at - at) / 86400 AS days
	FROM s WHERE pos BETWEEN 0 AND 5 AND next_at IS NOT NULL
), firsts AS (
	SELECT deal_id, min(seq) AS seq FROM s WHERE mine AND pos BETWEEN 0 AND 5 GROUP BY deal_id, entry
), cohort AS (
	-- a stage's cohort: deals whose first-ever entry into it lies in the window
	SELECT x.entry AS stage, count(*) AS entered,
		count(*) FILTER (WHERE x.later_max > x.pos) AS advanced,
		count(*) FILTER (WHERE x.later_max <= x.pos AND l.entry = 'lost') AS lost
	FROM firsts f
	JOIN s x ON x.deal_id = f.deal_id AND x.seq = f.seq
	JOIN last l ON l.deal_id = f.deal_id
	WHERE x.at >= $2
	GROUP BY x.entry
), visit_stats AS (
	SELECT stage, count(*) AS n,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
		percentile_cont(0.75) WITHIN GROUP (ORDER BY days) AS p75,
		percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
	FROM visits WHERE mine AND ended >= $2 GROUP BY stage
), open_now AS (
	SELECT entry AS stage, count(*) AS n FROM last WHERE mine AND pos BETWEEN 0 AND 5 GROUP BY entry
), drops AS (
	SELECT prev_entry AS stage, count(*) AS n FROM s WHERE mine AND entry = 'lost' AND at >= $2 GROUP BY prev_entry
), limits AS (
	-- the team's p90 per stage over the visits completed in the 90 days before to, on enough visits
	SELECT stage, percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
	FROM visits WHERE ended >= $5 GROUP BY stage HAVING count(*) >= $6
), stale AS (
	SELECT d.number AS deal, d.name, d.owner_id AS owner, l.entry AS stage,
		extract(epoch FROM $3 - l.at) / 86400 AS days_in_stage,
		extract(epoch FROM $3 - greatest(l.at, nt.at)) / 86400 AS idle,
		lim.p90
	FROM last l
	JOIN d ON d.id = l.deal_id
	LEFT JOIN limits lim ON lim.stage = l.entry
	LEFT JOIN LATERAL (
		SELECT max(n.at) AS at FROM events n
		WHERE n.deal_id = l.deal_id AND n.kind = 'note' AND n.at < $3
		  AND NOT EXISTS (SELECT 1 FROM events r WHERE r.reverts = n.id AND r.at < $3)
	) nt ON true
	WHERE l.mine AND l.pos BETWEEN 0 AND 5 AND (d.paused_until IS NULL OR d.paused_until <= $3)
)
SELECT json_build_object(
	'currency', (SELECT currency FROM team),
	'cycles', (
		SELECT coalesce(json_agg(c), '[]') FROM (
			SELECT outcome, count(*) AS n,
				percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) AS median,
				percentile_cont(0.75) WITHIN GROUP (ORDER BY cycle) AS p75,
				percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle) AS p90
			FROM closed WHERE at >= $2 GROUP BY outcome
		) c),
	'win', (
		SELECT row_to_json(w) FROM (
			SELECT count(*) FILTER (WHERE outcome = 'won') AS won,
				count(*) FILTER (WHERE outcome = 'lost') AS lost,
				coalesce(sum(amount_cents) FILTER (WHERE outcome = 'won' AND reporting), 0) AS won_cents,
				coalesce(sum(amount_cents) FILTER (WHERE reporting), 0) AS closed_cents,
				count(*) FILTER (WHERE NOT reporting) AS excluded
			FROM closed WHERE at >= $2
		) w),
	'stages', (
		SELECT json_agg(x ORDER BY x.pos) FROM (
			SELECT st.stage, st.pos, coalesce(v.n, 0) AS completed_visits,
				v.median AS median_days, v.p75 AS p75_days, v.p90 AS p90_days,
				coalesce(o.n, 0) AS open_now, coalesce(c.entered, 0) AS entered,
				coalesce(c.advanced, 0) AS advanced, coalesce(c.lost, 0) AS lost,
				coalesce(dr.n, 0) AS lost_from
			FROM stages st
			LEFT JOIN visit_stats v ON v.stage = st.stage
			LEFT JOIN open_now o ON o.stage = st.stage
			LEFT JOIN cohort c ON c.stage = st.stage
			LEFT JOIN drops dr ON dr.stage = st.stage
		) x),
	'stale', (
		SELECT coalesce(json_agg(x ORDER BY x.days_in_stage DESC, x.deal), '[]') FROM (
			SELECT * FROM stale WHERE days_in_stage > coalesce(p90, $7) OR idle > $7
		) x),
	'reps', (
		SELECT coalesce(json_agg(x), '[]') FROM (
			SELECT d.owner_id AS "user",
				count(*) FILTER (WHERE l.entry = 'won' AND l.at >= $2) AS won,
				count(*) FILTER (WHERE l.entry = 'lost' AND l.at >= $2) AS lost,
				percentile_cont(0.5) WITHIN GROUP (ORDER BY l.cycle) FILTER (WHERE l.entry = 'won' AND l.at >= $2) AS median_won_cycle_days,
				count(*) FILTER (WHERE l.pos BETWEEN 0 AND 5) AS open
			FROM last l JOIN d ON d.id = l.deal_id
			WHERE l.mine
			GROUP BY d.owner_id
		) x),
	'velocity', (
		SELECT row_to_json(v) FROM (
			SELECT (SELECT count(*) FROM last WHERE mine AND pos BETWEEN 3 AND 5) AS open_late,
				avg(amount_cents) FILTER (WHERE outcome = 'won' AND reporting) AS avg_won_cents,
				count(*) FILTER (WHERE outcome = 'won') AS won,
				count(*) FILTER (WHERE outcome = 'lost') AS lost,
				percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) FILTER (WHERE outcome = 'won') AS median_won
			FROM closed WHERE at >= $5
		) v)
)`

// reportRow is the JSON reportQuery returns.
type reportRow struct {
	Currency string `json:"currency"`
	Cycles   []struct {
		Outcome string   `json:"outcome"`
		N       int      `json:"n"`
		Median  *float64 `json:"median"`
		P75     *float64 `json:"p75"`
		P90     *float64 `json:"p90"`
	} `json:"cycles"`
	Win struct {
		Won         int   `json:"won"`
		Lost        int   `json:"lost"`
		WonCents    int64 `json:"won_cents"`
		ClosedCents int64 `json:"closed_cents"`
		Excluded    int   `json:"excluded"`
	} `json:"win"`
	Stages []coach.StageStats `json:"stages"`
	Stale  []struct {
		coach.StaleDeal
		Idle float64  `json:"idle"`
		P90  *float64 `json:"p90"`
	} `json:"stale"`
	Reps     []coach.RepStats `json:"reps"`
	Velocity struct {
		OpenLate    int      `json:"open_late"`
		AvgWonCents *float64 `json:"avg_won_cents"`
		Won         int      `json:"won"`
		Lost        int      `json:"lost"`
		MedianWon   *float64 `json:"median_won"`
	} `json:"velocity"`
}

// staleAfterDays is how long a deal may sit in a stage, or go without a stage
// change or a note, before it is stale when its stage has too few visits to
// judge by.
const staleAfterDays = 14

// fill completes rep from the query's figures: the ratios, and which rule
// made each stale deal stale.
func (r reportRow) fill(rep *coach.Report) {
	rep.Currency = r.Currency
	for _, c := range r.Cycles {
		sum := coach.Summary{N: c.N, Median: c.Median, P75: c.P75, P90: c.P90}
		switch coach.Stage(c.Outcome) {
		case coach.Won:
			rep.CycleDays.Won = sum
		case coach.Lost:
			rep.CycleDays.Lost = sum
		}
	}
	w := r.Win
	rep.WinRate = coach.WinRate{Won: w.Won, Lost: w.Lost, AmountExcluded: w.Excluded,
		ByCount: ratio(float64(w.Won), float64(w.Won+w.Lost)), ByAmount: ratio(float64(w.WonCents), float64(w.ClosedCents))}

	rep.Stages = r.Stages
	for i := range rep.Stages {
		st := &rep.Stages[i]
		st.Pending = st.Entered - st.Advanced - st.Lost
		st.Conversion = ratio(float64(st.Advanced), float64(st.Advanced+st.Lost))
	}

	for _, x := range r.Stale {
		sd := x.StaleDeal
		switch {
		case x.P90 != nil && sd.DaysInStage > *x.P90:
			sd.Rule = coach.StaleStageP90
		case x.P90 == nil && sd.DaysInStage > staleAfterDays:
			sd.Rule = coach.StaleStage14d
		default:
			sd.Rule = coach.StaleIdle
		}
		if x.Idle > staleAfterDays {
			sd.DaysIdle = x.Idle
		}
		rep.StaleDeals = append(rep.StaleDeals, sd)
	}

	// By user id as bytes, whatever the database's collation.
	rep.Reps = append(rep.Reps, r.Reps...)
	slices.SortFunc(rep.Reps, func(a, b coach.RepStats) int { return cmp.Compare(a.User, b.User) })

	v := r.Velocity
	if rate := ratio(float64(v.Won), float64(v.Won+v.Lost)); rate != nil && v.AvgWonCents != nil && v.MedianWon != nil && *v.MedianWon > 0 {
		vel := float64(v.OpenLate) * (*v.AvgWonCents / 100) * *rate / *v.MedianWon
		rep.VelocityPerDay = &vel
	}
}

// ratio returns a/b, or nil when b is zero.
func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	v := a / b
	return &v
}
