package render

import (
	"fmt"
	"math"
	"strings"
	"time"

	"salescoach/coach"
)

// DealTitle returns "#12 Acme Corp".
func DealTitle(d coach.Deal) string { return fmt.Sprintf("#%d %s", d.Number, d.Name) }

// Describe returns the deal's amount and stage, e.g. "$12,000 · Qualification".
func Describe(r Viewer, d coach.Deal) string {
	stage := d.ShownStage().Name(r.Lang())
	if d.Status == coach.StatusLost {
		stage = r.T("Lost", "已丢单")
	}
	if d.HasAmount {
		return coach.FormatMoney(d.Amount) + " · " + stage
	}
	return stage
}

// Days renders a number of days for people: "3.5 days", "12 days".
func Days(r Viewer, v float64) string {
	var n string
	switch {
	case v < 1:
		n = fmt.Sprintf("%.1f", v)
	case v < 10:
		n = strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
	default:
		n = fmt.Sprintf("%.0f", math.Round(v))
	}
	if n == "1" {
		return r.T("1 day", "1 天")
	}
	return r.T(n+" days", n+" 天")
}

// AdviceLines renders advice: the next step, the tactic, today's tactic and
// the reason with the rule's name.
func AdviceLines(r Viewer, adv coach.Advice) []Line {
	lang := r.Lang()
	lines := []Line{L(r.T("Next step", "下一步"), adv.Step.In(lang))}
	if adv.Tactic != (coach.Text{}) {
		lines = append(lines, L(adv.TacticLabel.In(lang), adv.Tactic.In(lang)))
	}
	if adv.Today != (coach.Text{}) {
		lines = append(lines, L(r.T("Try today", "今天试试"), adv.Today.In(lang)))
	}
	return append(lines, WhyLine(r, adv))
}

// WhyLine is the reason of advice, labelled with the rule that fired.
func WhyLine(r Viewer, adv coach.Advice) Line {
	return L(r.T("Why", "原因")+" · "+string(adv.Rule), adv.Reason.In(r.Lang()))
}

// Ranked returns one section per deal, at most limit, in the order the rules
// rank their advice: the deal, why, and its next step.
func Ranked(r Viewer, deals []coach.Deal, advice []coach.Advice, limit int) []Section {
	order := coach.Rank(advice)
	var out []Section
	for _, i := range order[:min(limit, len(order))] {
		out = append(out, AdviceSection(r, deals[i], advice[i]))
	}
	return out
}

// AdviceSection is a deal with its advice: the deal, why, and its next step.
func AdviceSection(r Viewer, d coach.Deal, adv coach.Advice) Section {
	return Section{Lines: []Line{
		T(fmt.Sprintf("#%d %s · %s · %s", d.Number, d.Name, Describe(r, d), Days(r, d.DaysInStage(r.Now)))),
		WhyLine(r, adv),
		L(r.T("Next step", "下一步"), adv.Step.In(r.Lang())),
	}}
}

// Checklist lists the exit criteria of the stage a deal just left that the
// rep did not confirm during that visit. It never blocks the move.
func Checklist(r Viewer, left coach.Stage, log []coach.Event, since time.Time) Section {
	lang := r.Lang()
	p := coach.PlaybookFor(left)
	missing := p.Unconfirmed(log, since)
	if len(missing) == 0 {
		return Section{Lines: []Line{T(r.T(
			fmt.Sprintf("✓ All %d exit criteria of %s were confirmed before the move.", len(p.ExitCriteria), left.Name(lang)),
			fmt.Sprintf("✓ 离开%s阶段之前，%d 条出阶段标准都已确认。", left.Name(lang), len(p.ExitCriteria))))}}
	}
	sec := Section{Title: r.T(
		fmt.Sprintf("Not confirmed before leaving %s (%d of %d) — worth settling soon:", left.Name(lang), len(missing), len(p.ExitCriteria)),
		fmt.Sprintf("离开%s阶段时还有 %d/%d 条标准未确认，建议尽快补上：", left.Name(lang), len(missing), len(p.ExitCriteria)))}
	for _, c := range missing {
		sec.Lines = append(sec.Lines, T("☐ "+c.Label(lang)+" — "+c.In(lang)))
	}
	return sec
}

// EventSummary says in a few words what an event did, for /deal undo.
func EventSummary(r Viewer, e coach.Event) string {
	lang := r.Lang()
	switch e.Kind {
	case coach.EvCreate:
		return r.T("adding the deal", "新建交易")
	case coach.EvMove, coach.EvReopen:
		return r.T("the move to "+e.Entry.Name(lang), "移到"+e.Entry.Name(lang))
	case coach.EvWon:
		return r.T("marking it won", "标记赢单")
	case coach.EvLost:
		return r.T("marking it lost", "标记丢单")
	case coach.EvNote:
		return r.T("the note “"+Truncate(e.Text, 60)+"”", "备注“"+Truncate(e.Text, 60)+"”")
	case coach.EvAssign:
		return r.T("the reassignment", "转交")
	case coach.EvArchive:
		return r.T("archiving it", "归档")
	case coach.EvRestore:
		return r.T("restoring it", "恢复")
	case coach.EvPause:
		return r.T("the pause", "暂停提醒")
	case coach.EvCheck:
		return r.T("the check of "+e.Fields.Criterion, "确认“"+e.Fields.Criterion+"”")
	}
	return r.T("the edit", "修改")
}

// DealLine is one line of a list: number, name, amount, stage, days in stage,
// owner when it is not the caller, and the next step.
func DealLine(r Viewer, d coach.Deal) Section {
	head := fmt.Sprintf("#%d %s · %s · %s", d.Number, d.Name, Describe(r, d), Days(r, d.DaysInStage(r.Now)))
	if due := CloseDate(r, d); due != "" && d.Status == coach.StatusOpen {
		head += " · " + r.T("close ", "预计成交 ") + due
	}
	if d.OwnerID != r.Caller.UserID {
		head += " · <@" + d.OwnerID + ">"
	}
	lines := []Line{T(head)}
	if d.Status == coach.StatusOpen {
		lines = append(lines, L(r.T("Next", "下一步"), coach.PlaybookFor(d.Stage).NextStep.In(r.Lang())))
	}
	return Section{Lines: lines}
}

// CloseDate renders a deal's expected close date, marked when it has passed
// on the reader's day: "2026-12-20", "2026-12-20 (overdue 3 days)"; "" when
// the deal has none. Close dates are days, not instants: no zone applies.
func CloseDate(r Viewer, d coach.Deal) string {
	if d.CloseDate.IsZero() {
		return ""
	}
	s := d.CloseDate.Format("2006-01-02")
	if n := d.DaysOverdue(r.Now.In(r.Caller.Loc)); n > 0 {
		s += r.T(fmt.Sprintf(" (overdue %d %s)", n, Plural(n, "day", "days")), fmt.Sprintf("（已逾期 %d 天）", n))
	}
	return s
}

func DateOf(r Viewer, t time.Time) string {
	return t.In(r.Caller.Loc).Format("2006-01-02")
}

// ChangeText says in a line what a change did to a deal, from the deal as it
// was to the deal as it is: won after how long, lost and why, reopened, or
// moved — back, or skipping stages.
func ChangeText(r Viewer, from, d coach.Deal, ev coach.Event) string {
	lang := r.Lang()
	title := DealTitle(d)
	var text string
	switch ev.Kind {
	case coach.EvWon:
		cycle := Days(r, coach.Days(ev.At.Sub(d.CreatedAt)))
		text = r.T(fmt.Sprintf("🎉 Won %s after %s. It moves to follow-up & retention.", title, cycle),
			fmt.Sprintf("🎉 %s 赢单，历时 %s。它已进入跟进和客户保留阶段。", title, cycle))
	case coach.EvLost:
		why := d.LostReason.Name(lang)
		if ev.Text != "" {
			why += ": " + ev.Text
		}
		text = r.T(fmt.Sprintf("Recorded %s as lost (%s).", title, why), fmt.Sprintf("已将 %s 记为丢单（%s）。", title, why))
	case coach.EvReopen:
		text = r.T(fmt.Sprintf("Reopened %s in %s.", title, d.Stage.Name(lang)), fmt.Sprintf("已重新打开 %s，回到%s阶段。", title, d.Stage.Name(lang)))
	default:
		text = r.T(fmt.Sprintf("Moved %s from %s to %s.", title, from.Stage.Name(lang), d.Stage.Name(lang)),
			fmt.Sprintf("已将 %s 从%s移到%s。", title, from.Stage.Name(lang), d.Stage.Name(lang)))
		switch fi, ti := from.Stage.Index(), d.Stage.Index(); {
		case ti < fi:
			text += r.T(" It moved back — find out what changed on the buyer's side.", " 交易后退了，请弄清楚买方那边发生了什么变化。")
		case ti > fi+1:
			var skipped []string
			for _, s := range coach.OpenStages[fi+1 : ti] {
				skipped = append(skipped, s.Name(lang))
			}
			text += r.T(" Skipped: "+strings.Join(skipped, ", ")+".", " 跳过了："+strings.Join(skipped, "、")+"。")
		}
	}
	return text
}
