package render

import (
	"fmt"
	"math"
	"strings"
	"time"

	"salescoach/coach"
)

// DealTitle returns "#12 Acme Corp".
func DealTitle(d coach.Deal) string { return fmt.Sprintf("#%d %s", d.Number, coach.NameText(d.Name)) }

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

// StoredAmount names an amount with the currency it is stored in:
// "¥80,000 (CNY)", "12,000 CHF".
func StoredAmount(m coach.Money) string {
	f := coach.FormatMoney(m)
	if strings.HasSuffix(f, " "+m.Currency) || m.Currency == "" {
		return f
	}
	return f + " (" + m.Currency + ")"
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

// AdviceLines renders advice as coach composes it: the next step, the 5A
// tactic, the situation's line, what to try today, and why.
func AdviceLines(r Viewer, adv coach.Advice) []Line {
	var lines []Line
	for _, l := range adv.Lines(r.Lang()) {
		lines = append(lines, L(l.Label, l.Text))
	}
	return lines
}

// Ranked returns one section per deal in the order shown (see
// coach.Shorten): the deal, its next step and why.
func Ranked(r Viewer, deals []coach.Deal, advice []coach.Advice, shown []int) []Section {
	var out []Section
	for _, i := range shown {
		out = append(out, AdviceSection(r, deals[i], advice[i]))
	}
	return out
}

// AdviceSection is a deal with its advice, in the order of every reply: the
// deal, its next step, then why.
func AdviceSection(r Viewer, d coach.Deal, adv coach.Advice) Section {
	why := adv.WhyLine(r.Lang())
	head := DealHead(r, d)
	if adv.Stale {
		head += " · " + r.T("⚠ stale", "⚠ 停滞")
	}
	return Section{Lines: []Line{
		T(head),
		L(r.T("Next step", "下一步"), adv.Step.In(r.Lang())),
		L(why.Label, why.Text),
	}}
}

// DealHead is a deal in one line: "#12 Acme Corp · $12,000 · Qualification ·
// 3 days", marked when it is paused.
func DealHead(r Viewer, d coach.Deal) string {
	head := fmt.Sprintf("#%d %s · %s · %s", d.Number, coach.NameText(d.Name), Describe(r, d), coach.DaysText(d.DaysInStage(r.Now)).In(r.Lang()))
	if d.Paused(r.Now) {
		head += " · " + r.T("⏸ paused until "+coach.DateText(d.PausedUntil, r.Now).EN, "⏸ 暂停至"+coach.DateText(d.PausedUntil, r.Now).ZH)
	}
	return head
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

// DatedText says when a change logged late happened, for its reply: " Dated
// Tue 2026-12-01 14:30." ("" for a change made as it happened).
func DatedText(r Viewer, ev coach.Event) string {
	if !ev.Backdated() {
		return ""
	}
	loc := r.Caller.Loc
	if loc == nil {
		loc = time.UTC
	}
	at := ev.At.In(loc)
	when := coach.FormatWhen(at, loc)
	return r.T(" Dated "+at.Format("Mon")+" "+when+", when it happened.",
		"（记为 "+when+" "+zhWeekday[at.Weekday()]+"，即实际发生的时间。）")
}

var zhWeekday = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// DealLine is one short line of a list: number, name, amount, stage, days
// in stage, the paused and stale marks, and the owner when it is not the
// reader. The next step belongs to /deal show and /coach.
func DealLine(r Viewer, d coach.Deal, stale bool) Section {
	head := fmt.Sprintf("#%d %s · %s · %s", d.Number, coach.NameText(d.Name), Describe(r, d), Days(r, d.DaysInStage(r.Now)))
	if m := Marks(r, d, stale); m != "" {
		head += " · " + m
	}
	if due := CloseLabel(r, d); due != "" {
		head += " · " + due
	}
	if d.OwnerID != r.Caller.UserID {
		head += " · <@" + d.OwnerID + ">"
	}
	return Section{Lines: []Line{T(head)}}
}

// CloseLabel is an open deal's close date as a list or the App Home shows
// it: "close 2026-12-20", "close 2026-12-20 (overdue 3 days)"; "" when the
// deal has none or is closed.
func CloseLabel(r Viewer, d coach.Deal) string {
	due := CloseDate(r, d)
	if due == "" || d.Status != coach.StatusOpen {
		return ""
	}
	return r.T("close ", "预计成交 ") + due
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

// Marks returns a deal's paused and stale marks for a list: "⏸ paused until
// 2026-12-10", "⚠ stale" ("" for neither).
func Marks(r Viewer, d coach.Deal, stale bool) string {
	var m []string
	if d.Paused(r.Now) {
		m = append(m, r.T("⏸ paused until "+DateOf(r, d.PausedUntil), "⏸ 暂停提醒至 "+DateOf(r, d.PausedUntil)))
	}
	if stale {
		m = append(m, r.T("⚠ stale", "⚠ 停滞"))
	}
	return strings.Join(m, " · ")
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
		ret := coach.Retention.Name(lang)
		if n := int(coach.Days(ev.At.Sub(d.CreatedAt))); n >= 1 {
			text = r.T(fmt.Sprintf("🎉 Won %s after %s. It moves to %s.", title, Days(r, float64(n)), ret),
				fmt.Sprintf("🎉 %s 赢单，历时 %s。它已进入%s阶段。", title, Days(r, float64(n)), ret))
		} else {
			text = r.T(fmt.Sprintf("🎉 Won %s the day it was added. It moves to %s.", title, ret),
				fmt.Sprintf("🎉 %s 录入当天就赢单了。它已进入%s阶段。", title, ret))
		}
	case coach.EvLost:
		why := d.LostReason.Name(lang)
		if ev.Text != "" {
			why += r.T(": ", "：") + ev.Text
		}
		text = r.T(fmt.Sprintf("Recorded %s as lost (%s).", title, why), fmt.Sprintf("已将 %s 记为丢单（%s）。", title, why))
	case coach.EvReopen:
		text = r.T(fmt.Sprintf("Reopened %s in %s.", title, d.Stage.Name(lang)), fmt.Sprintf("已重新打开 %s，回到%s阶段。", title, d.Stage.Name(lang)))
	default:
		text = r.T(fmt.Sprintf("Moved %s from %s to %s.", title, from.Stage.Name(lang), d.Stage.Name(lang)),
			fmt.Sprintf("已将 %s 从%s移到%s。", title, from.Stage.Name(lang), d.Stage.Name(lang)))
		switch fi, ti := from.Stage.Index(), d.Stage.Index(); {
		case ti > fi+1: // a move back is the coaching's own line
			var skipped []string
			for _, s := range coach.OpenStages[fi+1 : ti] {
				skipped = append(skipped, s.Name(lang))
			}
			text += r.T(" Skipped: "+strings.Join(skipped, ", ")+".", " 跳过了："+strings.Join(skipped, "、")+"。")
		}
	}
	return text + DatedText(r, ev)
}
