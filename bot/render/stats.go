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
	title := r.T(fmt.Sprintf("Team %s, %s – %s", rep.TeamID, rep.From.Format(time.RFC3339), rep.To.Format(time.RFC3339)),
		fmt.Sprintf("团队 %s：%s 至 %s", rep.TeamID, rep.From.Format(time.RFC3339), rep.To.Format(time.RFC3339)))
	reply := StatsReply(r, rep, title, true)
	reply.Note = r.Msg("stats.medians_over_fewer_than", nil)
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
		rate := r.T(fmt.Sprintf("%s of deals (%d of %d)", Pct(*w.ByCount), w.Won, w.Won+w.Lost),
			fmt.Sprintf("按数量 %s（%d 笔中赢 %d 笔）", Pct(*w.ByCount), w.Won+w.Lost, w.Won))
		if w.ByAmount != nil {
			rate += r.T(fmt.Sprintf(" · %s of value in %s", Pct(*w.ByAmount), rep.Currency),
				fmt.Sprintf(" · 按金额（%s）%s", rep.Currency, Pct(*w.ByAmount)))
		}
		if w.AmountExcluded > 0 {
			rate += r.T(fmt.Sprintf(" (%d %s in other currencies left out)", w.AmountExcluded, Plural(w.AmountExcluded, "deal", "deals")),
				fmt.Sprintf("（另有 %d 笔其他币种的商机未计入）", w.AmountExcluded))
		}
		closed = append(closed, L(r.Msg("stats.win_rate_2", nil), rate))
	} else {
		closed = append(closed, L(r.Msg("stats.win_rate_2", nil), r.Msg("stats.no_deal_was_won", nil)))
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
			stale = append(stale, T(r.T(fmt.Sprintf("… and %d more.", more), fmt.Sprintf("……还有 %d 笔。", more))))
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
				median = r.T("median won cycle "+Days(r, *u.MedianWonCycleDays), "赢单周期中位数 "+Days(r, *u.MedianWonCycleDays))
			}
			reps = append(reps, T(r.T(fmt.Sprintf("<@%s>: won %d, lost %d · %s · %d open", u.User, u.Won, u.Lost, median, u.Open),
				fmt.Sprintf("<@%s>：赢 %d 笔，丢 %d 笔 · %s · 进行中 %d 笔", u.User, u.Won, u.Lost, median, u.Open))))
		}
		reply.Sections = append(reply.Sections, Section{Title: r.Msg("stats.by_rep", nil), Lines: reps})
	}

	// Velocity.
	vel := r.Msg("stats.not_enough_deals_closed", nil)
	if v := rep.VelocityPerDay; v != nil {
		money := coach.FormatMoney(coach.Money{Cents: int64(math.Round(*v)) * 100, Currency: rep.Currency})
		vel = r.T(fmt.Sprintf("about %s a day (open deals past qualification × average won amount × win rate ÷ median won cycle, over the last 90 days)", money),
			fmt.Sprintf("约每天 %s（已过"+coach.Qualification.Name(coach.ZH)+"的进行中商机数 × 平均赢单金额 × 赢率 ÷ 赢单周期中位数，按最近 90 天计算）", money))
	}
	reply.Sections = append(reply.Sections, Section{Lines: []Line{L(r.Msg("stats.pipeline_velocity", nil), vel)}})
	return reply
}

// bottleneckLine names the stage where deals wait longest, or says "watch"
// when no stage has enough finished visits to name one.
func bottleneckLine(r Viewer, rep coach.Report) string {
	b := rep.Bottleneck()
	if b == "" {
		return r.T(fmt.Sprintf("watch — no stage has %d finished visits yet, too few to name one.", coach.MinVisitsForBottleneck),
			fmt.Sprintf("继续观察——还没有哪个阶段完成过 %d 次停留，现在下结论为时过早。", coach.MinVisitsForBottleneck))
	}
	st, lang := rep.Stage(b), r.Lang()
	return r.T(fmt.Sprintf("%s — deals wait longest here (median %s over %d visits).", b.Name(lang), Days(r, *st.MedianDays), st.CompletedVisits),
		fmt.Sprintf("%s——商机在这里停留最久（%d 次停留，中位数 %s）。", b.Name(lang), st.CompletedVisits, Days(r, *st.MedianDays)))
}

// cycleLine says how many deals closed one way and how long they took.
func cycleLine(r Viewer, s coach.Summary) string {
	switch {
	case s.N == 0:
		return r.Msg("stats.none_2", nil)
	case s.N < coach.MinValuesForMedian || s.Median == nil:
		return r.T(fmt.Sprintf("%d %s · median cycle: too few to say", s.N, Plural(s.N, "deal", "deals")),
			fmt.Sprintf("%d 笔 · 周期中位数：数据太少", s.N))
	}
	return r.T(fmt.Sprintf("%d deals · median cycle %s (3 in 4 within %s, 9 in 10 within %s)", s.N, Days(r, *s.Median), Days(r, *s.P75), Days(r, *s.P90)),
		fmt.Sprintf("%d 笔 · 周期中位数 %s（四分之三在 %s 内，九成在 %s 内）", s.N, Days(r, *s.Median), Days(r, *s.P75), Days(r, *s.P90)))
}

// stageLine sums up one stage: time in it, how many moved on, lost, open.
func stageLine(r Viewer, s coach.StageStats) string {
	var parts []string
	switch {
	case s.CompletedVisits == 0:
		parts = append(parts, r.Msg("stats.no_finished_visits", nil))
	case s.CompletedVisits < coach.MinValuesForMedian || s.MedianDays == nil:
		parts = append(parts, r.T(fmt.Sprintf("time in stage: too few to say (%d %s)", s.CompletedVisits, Plural(s.CompletedVisits, "visit", "visits")),
			fmt.Sprintf("停留时间：数据太少（%d 次）", s.CompletedVisits)))
	default:
		most, mostZH := "", ""
		if s.P90Days != nil {
			most, mostZH = ", 9 in 10 within "+Days(r, *s.P90Days), "，九成在 "+Days(r, *s.P90Days)+" 内"
		}
		parts = append(parts, r.T(fmt.Sprintf("median %s%s over %d visits", Days(r, *s.MedianDays), most, s.CompletedVisits),
			fmt.Sprintf("停留中位数 %s%s（%d 次）", Days(r, *s.MedianDays), mostZH, s.CompletedVisits)))
	}
	// The cohort (deals that first entered the stage in the window) and the
	// drop-off (every loss from the stage in the window) count different
	// deals: the line says which is which.
	if s.Entered > 0 {
		move := ""
		if s.Conversion != nil {
			move = r.T(fmt.Sprintf(" (%s move on)", Pct(*s.Conversion)), fmt.Sprintf("（推进率 %s）", Pct(*s.Conversion)))
		}
		parts = append(parts, r.T(
			fmt.Sprintf("of %d that entered in the window, %d moved on, %d %s lost, %d %s still there%s", s.Entered, s.Advanced, s.Lost, Plural(s.Lost, "was", "were"), s.Pending, Plural(s.Pending, "is", "are"), move),
			fmt.Sprintf("本期首次进入的 %d 笔中，%d 笔推进、%d 笔丢单、%d 笔仍在此阶段%s", s.Entered, s.Advanced, s.Lost, s.Pending, move)))
	}
	if s.LostFrom > 0 {
		parts = append(parts, r.T(fmt.Sprintf("%d %s here in all", s.LostFrom, Plural(s.LostFrom, "loss", "losses")), fmt.Sprintf("本期在此阶段共丢单 %d 笔", s.LostFrom)))
	}
	parts = append(parts, r.T(fmt.Sprintf("%d open now", s.OpenNow), fmt.Sprintf("当前 %d 笔", s.OpenNow)))
	return strings.Join(parts, " · ")
}

// staleWhy says which rule made a deal stale.
func staleWhy(r Viewer, d coach.StaleDeal) string {
	in := Days(r, d.DaysInStage)
	switch d.Rule {
	case coach.StaleStageP90:
		return r.T(fmt.Sprintf("%s in stage, longer than 9 in 10 of the team's past visits", in),
			fmt.Sprintf("已停留 %s，比团队以往九成的停留都长", in))
	case coach.StaleStage14d:
		return r.T(fmt.Sprintf("%s in stage (over 14 days)", in), fmt.Sprintf("已停留 %s（超过 14 天）", in))
	}
	return r.T(fmt.Sprintf("no stage change or note for %s", Days(r, d.DaysIdle)),
		fmt.Sprintf("%s没有阶段变化或备注", Days(r, d.DaysIdle)))
}

// Pct renders a ratio as a whole percentage.
func Pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }

func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
