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
		stage = r.Msg("deal.lost_stage", nil)
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
		return r.Msg("days.one", nil)
	}
	return r.Msg("days", coach.Args{"n": n})
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
		head += " · " + r.Msg("deal.stale", nil)
	}
	return Section{Lines: []Line{
		T(head),
		L(r.Msg("deal.next_step", nil), adv.Step.In(r.Lang())),
		L(why.Label, why.Text),
	}}
}

// DealHead is a deal in one line: "#12 Acme Corp · $12,000 · Qualification ·
// 3 days", marked when it is paused.
func DealHead(r Viewer, d coach.Deal) string {
	head := fmt.Sprintf("#%d %s · %s · %s", d.Number, coach.NameText(d.Name), Describe(r, d), coach.DaysText(d.DaysInStage(r.Now)).In(r.Lang()))
	if d.Paused(r.Now) {
		head += " · " + r.Msg("deal.paused_until", coach.Args{"date": coach.DateText(d.PausedUntil, r.Now)})
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
		return Section{Lines: []Line{T(r.Msg("checklist.all", coach.Args{"n": len(p.ExitCriteria), "stage": left.Name(lang)}))}}
	}
	sec := Section{Title: r.Msg("checklist.missing", coach.Args{"stage": left.Name(lang), "n": len(missing), "of": len(p.ExitCriteria)})}
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
	return r.Msg("dated", coach.Args{"weekday": coach.Both(at.Format("Mon"), zhWeekday[at.Weekday()]), "when": when})
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
	return r.Msg("deal.close", coach.Args{"date": due})
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
		if n == 1 {
			s += r.Msg("deal.overdue.one", nil)
		} else {
			s += r.Msg("deal.overdue", coach.Args{"n": n})
		}
	}
	return s
}

// Marks returns a deal's paused and stale marks for a list: "⏸ paused until
// 2026-12-10", "⚠ stale" ("" for neither).
func Marks(r Viewer, d coach.Deal, stale bool) string {
	var m []string
	if d.Paused(r.Now) {
		m = append(m, r.Msg("deal.paused_mark", coach.Args{"date": DateOf(r, d.PausedUntil)}))
	}
	if stale {
		m = append(m, r.Msg("deal.stale", nil))
	}
	return strings.Join(m, " · ")
}

// DateOf writes t's day in the reader's time zone: 2026-12-04.
func DateOf(r Viewer, t time.Time) string {
	return t.In(r.Caller.Loc).Format("2006-01-02")
}

// DateTimeOf writes t to the minute in the reader's time zone, for a window
// that runs from and to a time of day: 2026-12-04 19:25.
func DateTimeOf(r Viewer, t time.Time) string {
	return t.In(r.Caller.Loc).Format("2006-01-02 15:04")
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
			text = r.Msg("change.won", coach.Args{"deal": title, "days": Days(r, float64(n)), "stage": ret})
		} else {
			text = r.Msg("change.won.same_day", coach.Args{"deal": title, "stage": ret})
		}
	case coach.EvLost:
		why := d.LostReason.Name(lang)
		if ev.Text != "" {
			why = r.Msg("change.lost.why", coach.Args{"reason": why, "text": ev.Text})
		}
		text = r.Msg("change.lost", coach.Args{"deal": title, "why": why})
	case coach.EvReopen:
		text = r.Msg("change.reopened", coach.Args{"deal": title, "stage": d.Stage.Name(lang)})
	default:
		text = r.Msg("change.moved", coach.Args{"deal": title, "from": from.Stage.Name(lang), "to": d.Stage.Name(lang)})
		switch fi, ti := from.Stage.Index(), d.Stage.Index(); {
		case ti > fi+1: // a move back is the coaching's own line
			var skipped []string
			for _, s := range coach.OpenStages[fi+1 : ti] {
				skipped = append(skipped, s.Name(lang))
			}
			text += r.Msg("change.skipped", coach.Args{"stages": coach.Joined(skipped)})
		}
	}
	return text + DatedText(r, ev)
}
