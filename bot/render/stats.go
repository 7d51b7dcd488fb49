package render

import (
	"fmt"
	"math"
	"strings"
	"time"

	"salescoach/coach"
)

// statsMaxStale is how many stale deals /coach stats lists; the rest are counted.
const statsMaxStale = 10

// ReportText renders a report for a manager reading a terminal, in lang:
// what `salescoach report --format text` prints.
func ReportText(rep coach.Report, lang coach.Lang) string {
	r := Viewer{Caller: coach.Caller{TeamID: rep.TeamID, Lang: lang, Loc: time.UTC, Currency: rep.Currency}}
	title := r.Msg("stats.report_title", coach.Args{"team": rep.TeamID, "from": rep.From.Format(time.RFC3339), "to": rep.To.Format(time.RFC3339)})
	reply := StatsReply(r, rep, title, true)
	reply.Note = r.Msg("stats.report_note", nil)
	return reply.PlainText()
}

// StatsReply lays a report out for a sales manager: closed deals and win
// rate, each stage's time and conversion with the bottleneck, the deals that
// need attention, the reps (for the team), and velocity.
func StatsReply(r Viewer, rep coach.Report, title string, team bool) Reply {
	lang := r.Lang()
	reply := Reply{Text: title}

	// Closed deals.
	closed := []Line{
		L(r.Msg("digest.won", nil), cycleLine(r, rep.CycleDays.Won)),
		L(r.Msg("digest.lost", nil), cycleLine(r, rep.CycleDays.Lost)),
	}
	w := rep.WinRate
	if w.ByCount != nil {
		rate := r.Msg("stats.rate", coach.Args{"pct": Pct(*w.ByCount), "won": w.Won, "closed": w.Won + w.Lost})
		if w.ByAmount != nil {
			rate += r.Msg("stats.rate_value", coach.Args{"pct": Pct(*w.ByAmount), "currency": rep.Currency})
		}
		if w.AmountExcluded > 0 {
			rate += r.Msg("stats.excluded", coach.Args{"n": w.AmountExcluded})
		}
		closed = append(closed, L(r.Msg("stats.win_rate", nil), rate))
	} else {
		closed = append(closed, L(r.Msg("stats.win_rate", nil), r.Msg("stats.no_deal_was_won", nil)))
	}
	reply.Sections = append(reply.Sections, Section{Title: r.Msg("stats.closed_deals_cycle_from", nil), Lines: closed})

	// Stages.
	var stages []Line
	for _, s := range rep.Stages {
		stages = append(stages, L(s.Stage.Name(lang), stageLine(r, s)))
	}
	stages = append(stages, L(r.Msg("digest.bottleneck", nil), bottleneckLine(r, rep)))
	reply.Sections = append(reply.Sections, Section{Title: r.Msg("stats.time_in_stage_and", nil), Lines: stages})

	// Stale deals.
	var stale []Line
	for i, d := range rep.StaleDeals {
		if i == statsMaxStale {
			more := len(rep.StaleDeals) - statsMaxStale
			stale = append(stale, T(r.Msg("stats.more", coach.Args{"n": more})))
			break
		}
		line := fmt.Sprintf("#%d %s · %s · %s", d.Deal, d.Name, d.Stage.Name(lang), staleWhy(r, d))
		if team || d.Owner != r.Caller.UserID {
			line += " · <@" + d.Owner + ">"
		}
		stale = append(stale, T(line))
	}
	if len(stale) == 0 {
		stale = append(stale, T(r.Msg("stats.nothing_is_stuck_no", nil)))
	}
	reply.Sections = append(reply.Sections, Section{Title: r.Msg("stats.needs_attention_now", nil), Lines: stale})

	// Reps.
	if team && len(rep.Reps) > 0 {
		var reps []Line
		for _, u := range rep.Reps {
			median := r.Msg("stats.median_won_cycle_too", nil)
			if u.MedianWonCycleDays != nil && u.Won >= coach.MinValuesForMedian {
				median = r.Msg("stats.rep_cycle", coach.Args{"days": Days(r, *u.MedianWonCycleDays)})
			}
			reps = append(reps, T(r.Msg("stats.rep", coach.Args{"user": u.User, "won": u.Won, "lost": u.Lost, "cycle": median, "open": u.Open})))
		}
		reply.Sections = append(reply.Sections, Section{Title: r.Msg("stats.by_rep", nil), Lines: reps})
	}

	// Velocity.
	vel := r.Msg("stats.not_enough_deals_closed", nil)
	if v := rep.VelocityPerDay; v != nil {
		money := coach.FormatMoney(coach.Money{Cents: int64(math.Round(*v)) * 100, Currency: rep.Currency})
		vel = r.Msg("stats.velocity", coach.Args{"money": money})
	}
	reply.Sections = append(reply.Sections, Section{Lines: []Line{L(r.Msg("stats.pipeline_velocity", nil), vel)}})
	return reply
}

// bottleneckLine names the stage where deals wait longest, or says "watch"
// when no stage has enough finished visits to name one.
func bottleneckLine(r Viewer, rep coach.Report) string {
	b := rep.Bottleneck()
	if b == "" {
		return r.Msg("stats.bottleneck.none", coach.Args{"n": coach.MinVisitsForBottleneck})
	}
	st, lang := rep.Stage(b), r.Lang()
	return r.Msg("stats.bottleneck", coach.Args{"stage": b.Name(lang), "median": Days(r, *st.MedianDays), "visits": st.CompletedVisits})
}

// cycleLine says how many deals closed one way and how long they took.
func cycleLine(r Viewer, s coach.Summary) string {
	switch {
	case s.N == 0:
		return r.Msg("stats.none", nil)
	case s.N < coach.MinValuesForMedian || s.Median == nil:
		return r.Msg("stats.cycle.too_few", coach.Args{"n": s.N})
	}
	return r.Msg("stats.cycle", coach.Args{"n": s.N, "median": Days(r, *s.Median), "p75": Days(r, *s.P75), "p90": Days(r, *s.P90)})
}

// stageTooFew is what a stage's line says of its time when too few visits
// have ended to give a median, and whether that is so: /coach stats and the
// digest hold back by the same rule.
func stageTooFew(r Viewer, s coach.StageStats) (string, bool) {
	switch {
	case s.CompletedVisits == 0:
		return r.Msg("stats.no_finished_visits", nil), true
	case s.CompletedVisits < coach.MinValuesForMedian || s.MedianDays == nil:
		return r.Msg("stats.stage.too_few", coach.Args{"n": s.CompletedVisits}), true
	}
	return "", false
}

// stageLine sums up one stage: time in it, how many moved on, lost, open.
func stageLine(r Viewer, s coach.StageStats) string {
	var parts []string
	if few, ok := stageTooFew(r, s); ok {
		parts = append(parts, few)
	} else {
		args := coach.Args{"median": Days(r, *s.MedianDays), "visits": s.CompletedVisits}
		if s.P90Days != nil {
			args["p90"] = Days(r, *s.P90Days)
			parts = append(parts, r.Msg("stats.stage.median_p90", args))
		} else {
			parts = append(parts, r.Msg("stats.stage.median", args))
		}
	}
	// The cohort (deals that first entered the stage in the window) and the
	// drop-off (every loss from the stage in the window) count different
	// deals: the line says which is which.
	if s.Entered > 0 {
		move := ""
		if s.Conversion != nil {
			move = r.Msg("stats.move_on", coach.Args{"pct": Pct(*s.Conversion)})
		}
		parts = append(parts, r.Msg("stats.cohort", coach.Args{"entered": s.Entered, "advanced": s.Advanced, "lost": s.Lost, "pending": s.Pending, "move": move}))
	}
	if s.LostFrom > 0 {
		parts = append(parts, r.Msg("stats.lost_here", coach.Args{"n": s.LostFrom}))
	}
	parts = append(parts, r.Msg("stats.open_now", coach.Args{"n": s.OpenNow}))
	return strings.Join(parts, " · ")
}

// staleWhy says which rule made a deal stale.
func staleWhy(r Viewer, d coach.StaleDeal) string {
	in := Days(r, d.DaysInStage)
	switch d.Rule {
	case coach.StaleStageP90:
		return r.Msg("stats.stale.p90", coach.Args{"days": in})
	case coach.StaleStage14d:
		return r.Msg("stats.stale.days14", coach.Args{"days": in})
	}
	// Over the whole days: idle "for 14 days" would read as not yet past
	// the mark of more than 14.
	return r.Msg("stats.stale.idle", coach.Args{"days": Days(r, math.Floor(d.DaysIdle))})
}

// Pct renders a ratio as a whole percentage.
func Pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }

func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
