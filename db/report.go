package db

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

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
	return s.report(ctx, teamID, owner, from, to, false)
}

// DigestReport is Report with what the manager's digest needs besides:
// each rep's visits and open deals per stage (Report.RepStages) and the
// deals past their close date (Report.Overdue).
func (s *DB) DigestReport(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error) {
	return s.report(ctx, teamID, "", from, to, true)
}

func (s *DB) report(ctx context.Context, teamID, owner string, from, to time.Time, digest bool) (coach.Report, error) {
	from, to = from.UTC(), to.UTC()
	rep := coach.Report{TeamID: teamID, From: from, To: to, StaleDeals: []coach.StaleDeal{}, Reps: []coach.RepStats{}}
	if !from.Before(to) {
		return rep, coach.Fail(coach.EInvalid, "report.empty_window", coach.Args{"from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339)})
	}
	var raw []byte
	err := s.readTx(ctx, func(tx *sqlx.Tx) error {
		// The report sorts and hashes tens of thousands of rows: give it the
		// memory to do so without spilling to disk. For a big team its cost
		// passes jit_above_cost, and compiling its expressions would take
		// longer (about 140 ms for 20,000 deals) than it saves: no JIT.
		if _, err := tx.ExecContext(ctx, `SELECT set_config('work_mem', '32MB', true), set_config('jit', 'off', true)`); err != nil {
			return err
		}
		return tx.GetContext(ctx, &raw, reportQuery, teamID, from, to, owner, to.Add(-coach.StatsWindowDays*24*time.Hour),
			coach.MinVisitsForBottleneck, coach.StaleDays, digest)
	})
	if err != nil {
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
// parameters: $1 team, $2 from, $3 to, $4 owner (empty for all), $5 to − 90
// days, $6 the visits a stage's own p90 needs, $7 the days after which a deal
// is stale without one, $8 whether to add what only the digest needs.
//
// s is each deal's live stage entries before to — reverted entries and the
// reverts themselves skipped, whenever the undo was typed (§2: metrics skip
// both; an entry back-dated into the window and undone later never
// happened) — each with the entry after it. It takes one pass over an index in the log's
// order (events_team_deal_entries). pos ranks an entry in process order:
// prospecting 0 … closing 5, won 6, lost -1. Everything else aggregates s
// twice, by deal and by stage; archived deals drop out in the joins with d.
const reportQuery = `
WITH team AS (
	SELECT coalesce((SELECT currency FROM teams WHERE id = $1), 'USD') AS currency
), d AS (
	-- the deals that can count: made before to, and not closed for good
	-- before the earliest time a figure looks at, as the deal stands now
	-- (entries come in order, so one closed then has nothing after)
	SELECT id, number, name, owner_id, amount_cents, currency, paused_until, close_date, created_at,
		($4 = '' OR owner_id = $4) AS mine
	FROM deals
	WHERE team_id = $1 AND NOT archived AND created_at < $3
	  AND NOT (status IN ('won', 'lost') AND stage_since < least($2::timestamptz, $5::timestamptz))
), reverted AS (
	SELECT reverts FROM events WHERE team_id = $1 AND kind = 'revert' AND reverts IS NOT NULL
), p AS (
	SELECT e.deal_id, e.at, e.id, e.reason,
		CASE e.entry WHEN 'prospecting' THEN 0 WHEN 'contact' THEN 1 WHEN 'qualification' THEN 2
			WHEN 'presentation' THEN 3 WHEN 'objections' THEN 4 WHEN 'closing' THEN 5 WHEN 'won' THEN 6 ELSE -1 END AS pos
	FROM events e
	JOIN d ON d.id = e.deal_id
	WHERE e.team_id = $1 AND e.entry IS NOT NULL AND e.at < $3
	  -- most teams never undo: then no entry is looked up among the reverted
	  AND (NOT EXISTS (SELECT 1 FROM reverted) OR e.id NOT IN (SELECT reverts FROM reverted))
	ORDER BY e.deal_id, e.at, e.id
), s AS (
	SELECT deal_id, at, pos, reason, lead(pos) OVER w AS next_pos, lead(at) OVER w AS next_at
	FROM p WINDOW w AS (PARTITION BY deal_id ORDER BY at, id)
), deal AS (
	-- per deal: where it stands at to (its latest entry), its cycle from its
	-- cycle start to that entry, and for each open stage S (by position k)
	-- when it first entered S (tk) and when it last entered a stage after S
	-- or won (mk): it advanced from S when mk > tk.
	SELECT x.*, n.entry, d.mine FROM (
		SELECT deal_id, min(pos) FILTER (WHERE next_at IS NULL) AS pos, min(reason) FILTER (WHERE next_at IS NULL) AS reason,
			max(at) AS at, date_part('epoch', max(at) - coalesce(min(at) FILTER (WHERE pos BETWEEN 1 AND 5), min(at))) / 86400 AS cycle,
			min(at) FILTER (WHERE pos = 0) AS t0, max(at) FILTER (WHERE pos > 0) AS m0,
			min(at) FILTER (WHERE pos = 1) AS t1, max(at) FILTER (WHERE pos > 1) AS m1,
			min(at) FILTER (WHERE pos = 2) AS t2, max(at) FILTER (WHERE pos > 2) AS m2,
			min(at) FILTER (WHERE pos = 3) AS t3, max(at) FILTER (WHERE pos > 3) AS m3,
			min(at) FILTER (WHERE pos = 4) AS t4, max(at) FILTER (WHERE pos > 4) AS m4,
			min(at) FILTER (WHERE pos = 5) AS t5, max(at) FILTER (WHERE pos > 5) AS m5
		FROM s GROUP BY deal_id
	) x JOIN d ON d.id = x.deal_id
	CROSS JOIN LATERAL (SELECT (ARRAY['lost', 'prospecting', 'contact', 'qualification', 'presentation', 'objections', 'closing', 'won'])[x.pos + 2] AS entry) n
), stage AS (
	-- per open stage: its visits (an entry to the next entry) completed in the
	-- window, the losses straight from it in the window, and the team's p90
	-- over the visits completed in the 90 days before to
	SELECT pos,
		count(*) FILTER (WHERE mine AND next_at >= $2) AS completed_visits,
		percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY days) FILTER (WHERE mine AND next_at >= $2) AS q,
		count(*) FILTER (WHERE mine AND next_pos = -1 AND next_at >= $2) AS lost_from,
		CASE WHEN count(*) FILTER (WHERE next_at >= $5) >= $6
			THEN percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FILTER (WHERE next_at >= $5) END AS limit_days
	FROM (
		SELECT s.pos, s.next_pos, s.next_at, d.mine, date_part('epoch', s.next_at - s.at) / 86400 AS days
		FROM s JOIN d ON d.id = s.deal_id
		WHERE s.pos BETWEEN 0 AND 5 AND s.next_at >= least($2::timestamptz, $5::timestamptz)
	) v
	GROUP BY pos
), cohort AS (
	-- each stage's cohort (k = 0…5): deals whose first-ever entry into it
	-- lies in the window, and of those the ones that advanced, and the ones
	-- that did not and are lost at to
	SELECT
		ARRAY[count(*) FILTER (WHERE t0 >= $2), count(*) FILTER (WHERE t1 >= $2), count(*) FILTER (WHERE t2 >= $2),
			count(*) FILTER (WHERE t3 >= $2), count(*) FILTER (WHERE t4 >= $2), count(*) FILTER (WHERE t5 >= $2)] AS entered,
		ARRAY[count(*) FILTER (WHERE t0 >= $2 AND m0 > t0), count(*) FILTER (WHERE t1 >= $2 AND m1 > t1),
			count(*) FILTER (WHERE t2 >= $2 AND m2 > t2), count(*) FILTER (WHERE t3 >= $2 AND m3 > t3),
			count(*) FILTER (WHERE t4 >= $2 AND m4 > t4), count(*) FILTER (WHERE t5 >= $2 AND m5 > t5)] AS advanced,
		ARRAY[count(*) FILTER (WHERE t0 >= $2 AND (m0 > t0) IS NOT TRUE AND pos = -1),
			count(*) FILTER (WHERE t1 >= $2 AND (m1 > t1) IS NOT TRUE AND pos = -1),
			count(*) FILTER (WHERE t2 >= $2 AND (m2 > t2) IS NOT TRUE AND pos = -1),
			count(*) FILTER (WHERE t3 >= $2 AND (m3 > t3) IS NOT TRUE AND pos = -1),
			count(*) FILTER (WHERE t4 >= $2 AND (m4 > t4) IS NOT TRUE AND pos = -1),
			count(*) FILTER (WHERE t5 >= $2 AND (m5 > t5) IS NOT TRUE AND pos = -1)] AS lost
	FROM deal WHERE mine
), open_now AS (
	SELECT pos, count(*) AS n FROM deal WHERE mine AND pos BETWEEN 0 AND 5 GROUP BY pos
), closed AS (
	SELECT deal.entry AS outcome, deal.at, deal.cycle, d.amount_cents, d.currency = t.currency AS reporting
	FROM deal JOIN d ON d.id = deal.deal_id CROSS JOIN team t
	WHERE deal.mine AND deal.entry IN ('won', 'lost')
), stale AS (
	SELECT d.number AS deal, d.name, d.owner_id AS owner, deal.entry AS stage,
		d.amount_cents, d.currency, d.close_date::text AS close_date,
		date_part('epoch', $3 - deal.at) / 86400 AS days_in_stage,
		date_part('epoch', $3 - greatest(deal.at, nt.at)) / 86400 AS idle,
		st.limit_days AS p90
	FROM deal
	JOIN d ON d.id = deal.deal_id
	LEFT JOIN stage st ON st.pos = deal.pos
	-- the deal's latest live note before to, looked up for open deals only
	LEFT JOIN LATERAL (
		SELECT max(n.at) AS at FROM events n
		WHERE n.team_id = $1 AND n.deal_id = deal.deal_id AND n.kind = 'note' AND n.at < $3
		  AND (NOT EXISTS (SELECT 1 FROM reverted) OR n.id NOT IN (SELECT reverts FROM reverted))
	) nt ON true
	WHERE deal.mine AND deal.pos BETWEEN 0 AND 5 AND (d.paused_until IS NULL OR d.paused_until <= $3)
)
SELECT json_build_object(
	'currency', (SELECT currency FROM team),
	'cycles', (
		SELECT coalesce(json_agg(c), '[]') FROM (
			SELECT outcome, n, q[1] AS median, q[2] AS p75, q[3] AS p90 FROM (
				SELECT outcome, count(*) AS n, percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY cycle) AS q
				FROM closed WHERE at >= $2 GROUP BY outcome
			) c
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
			SELECT o.stage, o.pos, coalesce(v.completed_visits, 0) AS completed_visits,
				v.q[1] AS median_days, v.q[2] AS p75_days, v.q[3] AS p90_days,
				coalesce(n.n, 0) AS open_now, c.entered[o.pos + 1] AS entered,
				c.advanced[o.pos + 1] AS advanced, c.lost[o.pos + 1] AS lost,
				coalesce(v.lost_from, 0) AS lost_from
			FROM (VALUES ('prospecting', 0), ('contact', 1), ('qualification', 2), ('presentation', 3),
				('objections', 4), ('closing', 5)) AS o (stage, pos)
			LEFT JOIN stage v ON v.pos = o.pos
			LEFT JOIN open_now n ON n.pos = o.pos
			CROSS JOIN cohort c
		) x),
	'stale', (
		SELECT coalesce(json_agg(x ORDER BY x.days_in_stage DESC, x.deal), '[]') FROM (
			SELECT * FROM stale WHERE days_in_stage > coalesce(p90, $7) OR idle > $7
		) x),
	'reps', (
		-- every owner of a deal made before to, even one with nothing to count
		SELECT coalesce(json_agg(x), '[]') FROM (
			SELECT o.owner_id AS "user",
				count(deal.deal_id) FILTER (WHERE deal.entry = 'won' AND deal.at >= $2) AS won,
				count(deal.deal_id) FILTER (WHERE deal.entry = 'lost' AND deal.at >= $2) AS lost,
				percentile_cont(0.5) WITHIN GROUP (ORDER BY deal.cycle) FILTER (WHERE deal.entry = 'won' AND deal.at >= $2) AS median_won_cycle_days,
				count(deal.deal_id) FILTER (WHERE deal.pos BETWEEN 0 AND 5) AS open
			FROM (SELECT DISTINCT owner_id FROM deals
				WHERE team_id = $1 AND NOT archived AND created_at < $3 AND ($4 = '' OR owner_id = $4)) o
			LEFT JOIN d ON d.owner_id = o.owner_id
			LEFT JOIN deal ON deal.deal_id = d.id
			GROUP BY o.owner_id
		) x),
	'velocity', (
		SELECT row_to_json(v) FROM (
			SELECT (SELECT count(*) FROM deal WHERE mine AND pos BETWEEN 3 AND 5) AS open_late,
				avg(amount_cents) FILTER (WHERE outcome = 'won' AND reporting) AS avg_won_cents,
				count(*) FILTER (WHERE outcome = 'won') AS won,
				count(*) FILTER (WHERE outcome = 'lost') AS lost,
				percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) FILTER (WHERE outcome = 'won') AS median_won
			FROM closed WHERE at >= $5
		) v),
	'won_cents', (SELECT coalesce(sum(amount_cents) FILTER (WHERE outcome = 'won' AND reporting), 0) FROM closed WHERE at >= $2),
	'won_excluded', (SELECT count(*) FILTER (WHERE outcome = 'won' AND NOT reporting AND amount_cents IS NOT NULL) FROM closed WHERE at >= $2),
	'created', (
		-- new pipeline: the deals made in the window
		SELECT row_to_json(x) FROM (
			SELECT count(*) AS deals, coalesce(sum(d.amount_cents) FILTER (WHERE d.currency = t.currency), 0) AS cents,
				count(*) FILTER (WHERE d.currency <> t.currency AND d.amount_cents IS NOT NULL) AS excluded
			FROM d CROSS JOIN team t WHERE d.mine AND d.created_at >= $2
		) x),
	'rep_stages', CASE WHEN $8 THEN (
		-- per owner and open stage: visits completed in the window and their
		-- median, and the deals there at to
		SELECT coalesce(json_agg(x), '[]') FROM (
			SELECT coalesce(v.owner, o.owner) AS "user", coalesce(v.pos, o.pos) AS pos, coalesce(v.visits, 0) AS visits,
				v.median_days, coalesce(o.n, 0) AS open
			FROM (
				SELECT d.owner_id AS owner, s.pos, count(*) AS visits,
					percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', s.next_at - s.at) / 86400) AS median_days
				FROM s JOIN d ON d.id = s.deal_id
				WHERE d.mine AND s.pos BETWEEN 0 AND 5 AND s.next_at >= $2
				GROUP BY d.owner_id, s.pos
			) v FULL JOIN (
				SELECT d.owner_id AS owner, deal.pos, count(*) AS n
				FROM deal JOIN d ON d.id = deal.deal_id
				WHERE deal.mine AND deal.pos BETWEEN 0 AND 5
				GROUP BY d.owner_id, deal.pos
			) o ON o.owner = v.owner AND o.pos = v.pos
		) x) END,
	'overdue', CASE WHEN $8 THEN (
		-- open at to and past the close date (by to's date in UTC)
		SELECT coalesce(json_agg(x ORDER BY x.close_date, x.deal), '[]') FROM (
			SELECT d.number AS deal, d.name, d.owner_id AS owner, deal.entry AS stage, d.close_date::text AS close_date,
				d.amount_cents, d.currency
			FROM deal JOIN d ON d.id = deal.deal_id
			WHERE deal.mine AND deal.pos BETWEEN 0 AND 5 AND d.close_date < ($3::timestamptz AT TIME ZONE 'UTC')::date
		) x) END,
	'lost_reasons', (
		-- the deals whose closing entry in the window is a loss, by its reason
		SELECT coalesce(json_agg(x ORDER BY x.n DESC, x.amount_cents DESC, x.reason), '[]') FROM (
			SELECT coalesce(deal.reason, 'other') AS reason, count(*) AS n,
				coalesce(sum(d.amount_cents) FILTER (WHERE d.currency = t.currency), 0) AS amount_cents,
				count(*) FILTER (WHERE d.currency <> t.currency AND d.amount_cents IS NOT NULL) AS amount_excluded
			FROM deal JOIN d ON d.id = deal.deal_id CROSS JOIN team t
			WHERE deal.mine AND deal.entry = 'lost' AND deal.at >= $2
			GROUP BY 1
		) x),
	'pipeline', (
		SELECT json_agg(x ORDER BY x.pos) FROM (
			SELECT o.stage, o.pos, count(deal.deal_id) AS deals,
				coalesce(sum(d.amount_cents) FILTER (WHERE d.currency = t.currency), 0) AS amount_cents,
				count(*) FILTER (WHERE d.currency <> t.currency AND d.amount_cents IS NOT NULL) AS amount_excluded
			FROM (VALUES ('prospecting', 0), ('contact', 1), ('qualification', 2), ('presentation', 3),
				('objections', 4), ('closing', 5)) AS o (stage, pos)
			LEFT JOIN deal ON deal.pos = o.pos AND deal.mine
			LEFT JOIN d ON d.id = deal.deal_id
			CROSS JOIN team t
			GROUP BY o.stage, o.pos
		) x),
	'slipped', (
		-- close dates set in the window later than the one set before them
		SELECT coalesce(json_agg(x ORDER BY x.days_pushed DESC, x.deal), '[]') FROM (
			SELECT d.number AS deal, d.name, d.owner_id AS owner, count(*) AS slips,
				sum(u.date - u.prev) AS days_pushed,
				(array_agg(u.prev ORDER BY u.at, u.id))[1]::text AS "from",
				(array_agg(u.date ORDER BY u.at DESC, u.id DESC))[1]::text AS "to"
			FROM (
				SELECT e.deal_id, e.id, e.at, (e.fields->>'close_date')::date AS date,
					lag((e.fields->>'close_date')::date) OVER (PARTITION BY e.deal_id ORDER BY e.at, e.id) AS prev
				FROM events e
				WHERE e.team_id = $1 AND e.kind = 'due' AND e.at < $3 AND e.fields->>'close_date' IS NOT NULL
				  AND (NOT EXISTS (SELECT 1 FROM reverted) OR e.id NOT IN (SELECT reverts FROM reverted))
			) u JOIN d ON d.id = u.deal_id
			WHERE d.mine AND u.at >= $2 AND u.date > u.prev
			GROUP BY d.number, d.name, d.owner_id
		) x)
)`

// readTx runs fn in a read-only transaction.
func (s *DB) readTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

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
		Idle        float64  `json:"idle"`
		P90         *float64 `json:"p90"`
		AmountCents *int64   `json:"amount_cents"`
		Currency    string   `json:"currency"`
		CloseDate   *string  `json:"close_date"`
	} `json:"stale"`
	Reps     []coach.RepStats `json:"reps"`
	Velocity struct {
		OpenLate    int      `json:"open_late"`
		AvgWonCents *float64 `json:"avg_won_cents"`
		Won         int      `json:"won"`
		Lost        int      `json:"lost"`
		MedianWon   *float64 `json:"median_won"`
	} `json:"velocity"`
	LostReasons []struct {
		coach.LostReasonStat
		Cents int64 `json:"amount_cents"`
	} `json:"lost_reasons"`
	Pipeline []struct {
		coach.PipelineStage
		Cents int64 `json:"amount_cents"`
	} `json:"pipeline"`
	Slipped     []coach.SlippedDeal `json:"slipped"`
	WonCents    int64               `json:"won_cents"`
	WonExcluded int                 `json:"won_excluded"`
	Created     struct {
		Deals    int   `json:"deals"`
		Cents    int64 `json:"cents"`
		Excluded int   `json:"excluded"`
	} `json:"created"`
	RepStages []struct {
		User       string   `json:"user"`
		Pos        int      `json:"pos"`
		Visits     int      `json:"visits"`
		MedianDays *float64 `json:"median_days"`
		Open       int      `json:"open"`
	} `json:"rep_stages"`
	Overdue []coach.OverdueDeal `json:"overdue"`
}

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
		case x.P90 == nil && sd.DaysInStage > coach.StaleDays:
			sd.Rule = coach.StaleStage14d
		default:
			sd.Rule = coach.StaleIdle
		}
		if x.Idle > coach.StaleDays {
			sd.DaysIdle = x.Idle
		}
		if x.AmountCents != nil {
			sd.Amount = &coach.Money{Cents: *x.AmountCents, Currency: x.Currency}
		}
		if x.CloseDate != nil {
			sd.CloseDate = *x.CloseDate
		}
		rep.StaleDeals = append(rep.StaleDeals, sd)
	}

	// By user id as bytes, whatever the database's collation.
	rep.Reps = append(rep.Reps, r.Reps...)
	slices.SortFunc(rep.Reps, func(a, b coach.RepStats) int { return cmp.Compare(a.User, b.User) })

	rep.LostReasons = make([]coach.LostReasonStat, len(r.LostReasons))
	for i, x := range r.LostReasons {
		rep.LostReasons[i] = x.LostReasonStat
		rep.LostReasons[i].Amount = float64(x.Cents) / 100
	}
	rep.Pipeline = make([]coach.PipelineStage, len(r.Pipeline))
	for i, x := range r.Pipeline {
		rep.Pipeline[i] = x.PipelineStage
		rep.Pipeline[i].Amount = float64(x.Cents) / 100
	}
	rep.Slipped = append([]coach.SlippedDeal{}, r.Slipped...)
	rep.WonCents, rep.WonExcluded = r.WonCents, r.WonExcluded
	rep.Created = coach.StageTotal{Deals: r.Created.Deals, Cents: r.Created.Cents, Excluded: r.Created.Excluded}
	for _, x := range r.RepStages {
		rep.RepStages = append(rep.RepStages, coach.RepStage{User: x.User, Stage: coach.OpenStages[x.Pos],
			Visits: x.Visits, MedianDays: x.MedianDays, Open: x.Open})
	}
	slices.SortFunc(rep.RepStages, func(a, b coach.RepStage) int {
		return cmp.Or(cmp.Compare(a.User, b.User), cmp.Compare(a.Stage.Index(), b.Stage.Index()))
	})
	rep.Overdue = append([]coach.OverdueDeal{}, r.Overdue...)

	v := r.Velocity
	// No velocity on a median won cycle of fewer than five deals: one deal won
	// the day it was made would make it enormous.
	if rate := ratio(float64(v.Won), float64(v.Won+v.Lost)); rate != nil && v.Won >= coach.MinValuesForMedian &&
		v.AvgWonCents != nil && v.MedianWon != nil && *v.MedianWon > 0 {
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
