package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salescoach/coach"
	"salescoach/coach/forecast"
)

// DigestMessage renders a digest for chat.postMessage: Block Kit and a text
// fallback for notifications.
func DigestMessage(reply Reply) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(Truncate(EscapeMrkdwn(reply.Text), MaxSectionText), false),
		slack.MsgOptionBlocks(reply.Blocks()...),
	}
}

// SubStatus describes a subscription: schedule, language, names, what Slack
// last said of its channel, and its latest week.
func SubStatus(r Viewer, sub coach.DigestSub) string {
	s := sub.Schedule
	langName := r.Msg("digest.in_english", nil)
	if sub.Lang == coach.ZH {
		langName = r.Msg("digest.in_chinese", nil)
	}
	names := r.Msg("digest.deal_names_shown", nil)
	if !sub.Names {
		names = r.Msg("digest.deal_names_hidden", nil)
	}
	out := r.Msg("digest.sub", coach.Args{"channel": sub.ChannelID, "weekday": coach.Both(s.WeekdayName(coach.EN), s.WeekdayName(coach.ZH)),
		"clock": s.Clock(), "zone": s.Zone, "lang": langName, "names": names})
	if sub.Last.State == coach.RunPosted {
		day := DigestDate(Viewer{Caller: coach.Caller{Lang: r.Lang(), Loc: s.Location()}}, sub.Last.Due)
		out += r.Msg("digest.last_posted", coach.Args{"day": day})
	}
	if msg := ChannelProblem(r.Lang(), sub.Channel, sub.ChannelID); msg != "" {
		out += " " + msg
	}
	return out
}

// ChannelProblem says, in lang, why a digest cannot go to a channel in state
// c; "" when it can.
func ChannelProblem(lang coach.Lang, c coach.ChannelState, channelID string) string {
	switch c {
	case coach.ChannelNotMember:
		return Msg(lang, "channel.not_member", coach.Args{"channel": channelID})
	case coach.ChannelExternal:
		return Msg(lang, "channel.external", coach.Args{"channel": channelID})
	case coach.ChannelNotFound:
		return Msg(lang, "channel.not_found", coach.Args{"channel": channelID})
	}
	return ""
}

// DigestReports are the reports a weekly digest is made of, all as of the
// same instant.
type DigestReports struct {
	Week    coach.Report // the 7 days to the digest's time
	Before  coach.Report // the 4 weeks before those 7 days
	Quarter coach.Report // the 13 weeks (coach.PeriodWeeks) to the digest's time: stages, bottleneck, stale deals
	// Forecast is the forecast of the next 30 days and Accuracy its
	// backtest over the last months; nil when not available.
	Forecast *forecast.Forecast
	Accuracy *forecast.Summary
}

// DigestView says how a digest is shown: its language, its time zone, and
// whether deal names appear in the needs-attention list.
type DigestView struct {
	Lang  coach.Lang
	Loc   *time.Location
	Names bool
}

// A digest is read on one screen: each of its lists names this many at
// most and counts the rest, with where to see them.
const (
	maxStaleNamed = 5 // deals that need attention
	maxRepsNamed  = 8 // reps, those with a coaching focus first
)

// RenderDigest writes the weekly digest of §12 from its reports, as of at:
// this week against the 4 weeks before, the stages over 13 weeks with the
// bottleneck, one line per rep, and the deals that need attention. Medians
// resting on fewer than coach.MinValuesForMedian values read "too few to
// say"; the bottleneck is named only on coach.MinVisitsForBottleneck visits.
func RenderDigest(rep DigestReports, at time.Time, v DigestView) Reply {
	if v.Loc == nil {
		v.Loc = time.UTC
	}
	r := Viewer{Caller: coach.Caller{Lang: v.Lang, Loc: v.Loc}, Now: at}
	wk, before := rep.Week.WinRate, rep.Before.WinRate
	day := DigestDate(r, at)
	wonValue := Money(rep.Week.WonCents, rep.Week.Currency)
	if n := rep.Week.WonExcluded; n > 0 {
		wonValue = r.Msg("digest.value_and_other", coach.Args{"value": wonValue, "n": n})
	}
	reply := Reply{
		Text: r.Msg("digest.head", coach.Args{"day": day, "won": wk.Won, "value": wonValue, "lost": wk.Lost}),
	}

	// This week against the 4 weeks before: won and lost apart.
	week := []Line{
		L(r.Msg("digest.won", nil), wonLine(r, rep)),
		L(r.Msg("digest.lost", nil), lostLine(r, rep)),
		L(r.Msg("digest.new_pipeline", nil), newPipelineLine(r, rep)),
		L(r.Msg("digest.open_now", nil), openNowLine(r, rep.Quarter)),
		L(r.Msg("digest.win_rate", nil), r.Msg("digest.vs_before", coach.Args{"now": rate(r, wk.ByCount), "before": rate(r, before.ByCount)})),
		L(r.Msg("digest.median_cycle_won", nil), r.Msg("digest.vs_before", coach.Args{"now": median(r, rep.Week.CycleDays.Won, "deal"), "before": median(r, rep.Before.CycleDays.Won, "deal")})),
		L(r.Msg("digest.median_cycle_lost", nil), r.Msg("digest.vs_before", coach.Args{"now": median(r, rep.Week.CycleDays.Lost, "deal"), "before": median(r, rep.Before.CycleDays.Lost, "deal")})),
	}
	reply.Sections = append(reply.Sections, Section{Title: r.Msg("digest.this_week", nil), Lines: week})
	if lines := ForecastLines(r, rep.Forecast, rep.Accuracy); lines != nil {
		reply.Sections = append(reply.Sections, Section{Title: r.Msg("digest.forecast", coach.Args{"days": rep.Forecast.Days}), Lines: lines})
	}
	reply.Sections = append(reply.Sections, Chunk(r.Msg("digest.close_dates_this_week", nil), closeDateLines(r, rep, v.Names))...)

	// Stages over the last 13 weeks, as /coach stats and the flowchart.
	var stages []Line
	for _, s := range coach.OpenStages {
		st := rep.Quarter.Stage(s)
		if st == nil {
			st = &coach.StageStats{Stage: s}
		}
		stages = append(stages, L(s.Name(v.Lang), digestStageLine(r, *st, rep.Quarter)))
	}
	stages = append(stages, L(r.Msg("digest.bottleneck", nil), bottleneckLine(r, rep.Quarter)))
	stages = append(stages, L(r.Msg("digest.most_drop_outs", nil), dropOutLine(r, rep.Quarter)))
	reply.Sections = append(reply.Sections, Section{Title: r.Msg("digest.stages", coach.Args{"weeks": coach.PeriodWeeks, "from": DateOf(r, coach.PeriodStart(at.In(v.Loc), coach.PeriodWeeks)), "to": DateOf(r, at)}), Lines: stages})
	reply.Sections = append(reply.Sections, Section{Title: r.Msg("digest.lost_reasons", coach.Args{"weeks": coach.PeriodWeeks}), Lines: lostReasonLines(r, rep.Quarter)})

	// Reps.
	reply.Sections = append(reply.Sections, Chunk(r.Msg("digest.reps", nil), repLines(r, rep))...)

	// Needs attention.
	reply.Sections = append(reply.Sections, Chunk(r.Msg("digest.needs_attention", nil), staleLines(r, rep.Quarter, v.Names))...)

	note := r.Msg("digest.note", coach.Args{"values": coach.MinValuesForMedian, "visits": coach.MinVisitsForBottleneck,
		"at": coach.Both(at.In(v.Loc).Format("Mon 2 Jan 15:04"), DigestDate(r, at)+" "+at.In(v.Loc).Format("15:04")), "zone": v.Loc.String()})
	if !v.Names {
		note += r.Msg("digest.names_hidden", nil)
	}
	reply.Note = note
	return reply
}

// DigestDate returns at's local date, e.g. "Mon 2 Nov" or "11月2日周一".
func DigestDate(r Viewer, at time.Time) string {
	t := at.In(r.Caller.Loc)
	if r.Lang() == coach.ZH {
		return fmt.Sprintf("%d月%d日%s", t.Month(), t.Day(), coach.Schedule{Weekday: t.Weekday()}.WeekdayName(coach.ZH))
	}
	return t.Format("Mon 2 Jan")
}

// Quantity returns n with its noun, e.g. "1 deal", "3 deals".
func Quantity(n int, one, many string) string { return fmt.Sprintf("%d %s", n, Plural(n, one, many)) }

// perWeek renders n over 4 weeks as a weekly average: "2", "2.5", "0.3".
func perWeek(n int) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/4), ".0")
}

// rate renders a ratio as a percentage, or says there was nothing to divide.
func rate(r Viewer, v *float64) string {
	if v == nil {
		return r.Msg("digest.no_deals_closed", nil)
	}
	return Pct(*v)
}

// median renders a summary's median with its n, or "too few to say" below
// coach.MinValuesForMedian values. unit is "deal" or "visit".
func median(r Viewer, s coach.Summary, unit string) string {
	return medianOf(r, s.N, s.Median, unit)
}

func medianOf(r Viewer, n int, m *float64, unit string) string {
	if n == 0 {
		return r.Msg("digest.none_word", nil)
	}
	count := countOf(r, n, unit)
	if n < coach.MinValuesForMedian || m == nil {
		return r.Msg("digest.too_few", coach.Args{"count": count})
	}
	return r.Msg("digest.median", coach.Args{"days": Days(r, *m), "count": count})
}

// countOf returns n deals or visits (unit "deal" or "visit") in the
// reader's language: "1 deal", "3 visits".
func countOf(r Viewer, n int, unit string) string {
	switch {
	case unit == "visit" && n == 1:
		return r.Msg("count.visit.one", nil)
	case unit == "visit":
		return r.Msg("count.visit", coach.Args{"n": n})
	case n == 1:
		return r.Msg("count.deal.one", nil)
	}
	return r.Msg("count.deal", coach.Args{"n": n})
}

// repLines has one line per rep with deals this week or over 13 weeks: won
// and lost this week, open now, and the median won cycle over 13 weeks.
func repLines(r Viewer, rep DigestReports) []Line {
	quarter := map[string]coach.RepStats{}
	for _, q := range rep.Quarter.Reps {
		quarter[q.User] = q
	}
	week := map[string]coach.RepStats{}
	var users []string
	for _, w := range rep.Week.Reps {
		week[w.User] = w
		users = append(users, w.User)
	}
	for _, q := range rep.Quarter.Reps {
		if _, ok := week[q.User]; !ok {
			users = append(users, q.User)
		}
	}
	users = slices.DeleteFunc(users, func(u string) bool {
		w, q := week[u], quarter[u]
		return w.Won+w.Lost+w.Open+q.Won+q.Lost+q.Open == 0
	})
	slices.SortFunc(users, func(a, b string) int {
		wa, wb := week[a], week[b]
		return cmp.Or(cmp.Compare(wb.Won, wa.Won), cmp.Compare(wb.Open, wa.Open), cmp.Compare(a, b))
	})
	if len(users) == 0 {
		return []Line{T(r.Msg("digest.no_deals", coach.Args{"weeks": coach.PeriodWeeks}))}
	}
	focus := focusByUser(r, rep.Quarter)
	more := 0
	if len(users) > maxRepsNamed {
		// Keep the reps with something to coach first, in the same order.
		keep := map[string]bool{}
		for _, u := range users {
			if _, ok := focus[u]; ok && len(keep) < maxRepsNamed {
				keep[u] = true
			}
		}
		for _, u := range users {
			if len(keep) < maxRepsNamed {
				keep[u] = true
			}
		}
		more = len(users) - maxRepsNamed
		users = slices.DeleteFunc(users, func(u string) bool { return !keep[u] })
	}
	var lines []Line
	for _, u := range users {
		w, q := week[u], quarter[u]
		open := max(w.Open, q.Open) // both are as of the same instant
		cycle := medianOf(r, q.Won, q.MedianWonCycleDays, "deal")
		text := r.Msg("digest.rep", coach.Args{"won": w.Won, "lost": w.Lost, "open": open, "weeks": coach.PeriodWeeks, "cycle": cycle})
		if f, ok := focus[u]; ok {
			text += r.Msg("digest.focus", nil) + f
		}
		lines = append(lines, L("<@"+u+">", text))
	}
	if more > 0 {
		lines = append(lines, T(r.Msg("digest.more_reps", coach.Args{"n": more})))
	}
	return lines
}

// staleLines lists the deals that need attention with the rule that fired:
// by name when names are on, as counts per rep otherwise.
func staleLines(r Viewer, q coach.Report, names bool) []Line {
	stale := sortedStale(q)
	if len(stale) == 0 {
		return []Line{T(r.Msg("digest.nothing_stale_no_open", nil))}
	}
	if !names {
		return staleCounts(r, stale)
	}
	lang := r.Lang()
	var lines []Line
	for i, d := range stale {
		if i == maxStaleNamed {
			more := len(stale) - maxStaleNamed
			lines = append(lines, T(r.Msg("digest.more_stale", coach.Args{"n": more})))
			break
		}
		lines = append(lines, L(staleTitle(r, d), "<@"+d.Owner+"> · "+d.Stage.Name(lang)+" · "+staleWhy(r, d)+" → "+staleAction(r, d)))
	}
	return lines
}

// staleAction is what a manager asks the owner of a stale deal in their 1:1,
// the question the rep's own coaching starts from.
func staleAction(r Viewer, d coach.StaleDeal) string {
	switch {
	case d.Rule == coach.StaleIdle:
		return r.Msg("digest.act_idle", nil)
	case d.Stage == coach.Closing:
		return r.Msg("digest.act_closing", nil)
	}
	return r.Msg("digest.act_stuck", nil)
}

// staleCounts counts stale deals per rep and rule, for a channel that hides
// deal names.
func staleCounts(r Viewer, stale []coach.StaleDeal) []Line {
	type counts struct{ p90, days14, idle int }
	per := map[string]*counts{}
	var owners []string
	for _, d := range stale {
		c := per[d.Owner]
		if c == nil {
			c = &counts{}
			per[d.Owner] = c
			owners = append(owners, d.Owner)
		}
		switch d.Rule {
		case coach.StaleStageP90:
			c.p90++
		case coach.StaleStage14d:
			c.days14++
		default:
			c.idle++
		}
	}
	slices.SortFunc(owners, func(a, b string) int {
		ca, cb := per[a], per[b]
		return cmp.Or(cmp.Compare(cb.p90+cb.days14+cb.idle, ca.p90+ca.days14+ca.idle), cmp.Compare(a, b))
	})
	var lines []Line
	for i, o := range owners {
		if i == maxStaleNamed {
			more := len(owners) - i
			lines = append(lines, T(r.Msg("digest.more_stale_reps", coach.Args{"n": more})))
			break
		}
		c := per[o]
		var why []string
		if c.p90 > 0 {
			why = append(why, r.Msg("digest.count.p90", coach.Args{"n": c.p90}))
		}
		if c.days14 > 0 {
			why = append(why, r.Msg("digest.count.days14", coach.Args{"n": c.days14}))
		}
		if c.idle > 0 {
			why = append(why, r.Msg("digest.count.idle", coach.Args{"n": c.idle}))
		}
		n := c.p90 + c.days14 + c.idle
		lines = append(lines, L("<@"+o+">", r.Msg("digest.count", coach.Args{"count": countOf(r, n, "deal"),
			"why": strings.Join(why, r.Msg("digest.count.sep", nil))})))
	}
	return lines
}

// Chunk splits a long list of lines into sections that each fit Slack's
// 3,000 characters, the title on the first.
func Chunk(title string, lines []Line) []Section {
	var out []Section
	cur := Section{Title: title}
	for _, l := range lines {
		next := cur
		next.Lines = append(slices.Clone(cur.Lines), l)
		if len(cur.Lines) > 0 && len(next.Mrkdwn()) >= MaxSectionText-100 {
			out = append(out, cur)
			cur = Section{Lines: []Line{l}}
			continue
		}
		cur = next
	}
	return append(out, cur)
}
