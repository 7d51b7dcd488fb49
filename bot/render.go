package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"salescoach/coach"
)

// dealTitle returns "#12 Acme Corp".
func dealTitle(d coach.Deal) string { return fmt.Sprintf("#%d %s", d.Number, d.Name) }

// describe returns the deal's amount and stage, e.g. "$12,000 · Qualification".
func describe(r *Request, d coach.Deal) string {
	stage := d.ShownStage().Name(r.Lang())
	if d.Status == coach.StatusLost {
		stage = r.T("Lost", "已丢单")
	}
	if d.HasAmount {
		return coach.FormatMoney(d.Amount) + " · " + stage
	}
	return stage
}

// days renders a number of days for people: "3.5 days", "12 days".
func days(r *Request, v float64) string {
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

// coaching returns what to do next with a deal: the stage's next step, its 5A
// tactic and one concrete tactic for today.
func (a *App) coaching(r *Request, d coach.Deal) []Section {
	lang := r.Lang()
	if d.Status == coach.StatusLost {
		var lines []Line
		if o, ok := d.LostReason.Objection(); ok {
			if t, ok := coach.PlaybookFor(coach.Objections).Objections[o]; ok {
				lines = append(lines, L(r.T("Next time ("+d.LostReason.Name(lang)+")", "下次遇到（"+d.LostReason.Name(lang)+"）"), t.In(lang)))
			}
		}
		lines = append(lines, T(r.T(
			fmt.Sprintf("If their situation changes, /deal reopen #%d brings it back to %s.", d.Number, d.Stage.Name(lang)),
			fmt.Sprintf("如果客户情况有变，用 /deal reopen #%d 把它恢复到%s阶段。", d.Number, d.Stage.Name(lang)))))
		return []Section{{Lines: lines}}
	}
	stage := d.ShownStage()
	p := coach.PlaybookFor(stage)
	fa := stage.A()
	return []Section{{Lines: []Line{
		L(r.T("Next step", "下一步"), p.NextStep.In(lang)),
		L("5A "+fa.BuyerState(lang), p.FiveA.In(lang)),
		L(r.T("Try today", "今天试试"), p.TacticFor(d.Number+r.Now.YearDay()).In(lang)),
	}}}
}

// coachingReply is the answer to a change: what happened, then the coaching.
func (a *App) coachingReply(r *Request, d coach.Deal, _ []coach.Event, text string) Reply {
	return Reply{Text: text, Sections: a.coaching(r, d)}
}

// changeReply reports a stage change from the deal as it was to the deal as it is.
func (a *App) changeReply(r *Request, from, d coach.Deal, ev coach.Event) Reply {
	lang := r.Lang()
	title := dealTitle(d)
	var text string
	switch ev.Kind {
	case coach.EvWon:
		cycle := days(r, coach.Days(ev.At.Sub(d.CreatedAt)))
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
	return a.coachingReply(r, d, nil, text)
}

// eventSummary says in a few words what an event did, for /deal undo.
func eventSummary(r *Request, e coach.Event) string {
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
		return r.T("the note “"+truncate(e.Text, 60)+"”", "备注“"+truncate(e.Text, 60)+"”")
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

// dealLine is one line of a list: number, name, amount, stage, days in stage,
// owner when it is not the caller, and the next step.
func dealLine(r *Request, d coach.Deal) Section {
	head := fmt.Sprintf("#%d %s · %s · %s", d.Number, d.Name, describe(r, d), days(r, d.DaysInStage(r.Now)))
	if d.OwnerID != r.UserID {
		head += " · <@" + d.OwnerID + ">"
	}
	lines := []Line{T(head)}
	if d.Status == coach.StatusOpen {
		lines = append(lines, L(r.T("Next", "下一步"), coach.PlaybookFor(d.Stage).NextStep.In(r.Lang())))
	}
	return Section{Lines: lines}
}

func dateOf(r *Request, t time.Time) string {
	return t.In(r.Caller.Loc).Format("2006-01-02")
}
