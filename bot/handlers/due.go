package handlers

import (
	"context"
	"fmt"

	"salescoach/bot/render"
	"salescoach/coach"
)

// dealDue answers /deal due <deal> <date> and /deal due <deal> off.
func (a *App) dealDue(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, log, ev, err := a.change(ctx, r, args, func(d coach.Deal, _ []coach.Event, rest string) (coach.Event, error) {
		da, err := coach.ParseDueArgs(rest, d.Number, local(r))
		if err != nil {
			return coach.Event{}, err
		}
		return coach.Due(r.Caller, d, da, local(r))
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.dueReply(ctx, r, d, log, ev), nil
}

// dueReply says what a change of the close date did: cleared, set, or
// pushed later (a slip, with the deal's count of them), and whether the date
// has already passed; with the deal's coaching.
func (a *App) dueReply(ctx context.Context, r *Request, d coach.Deal, log []coach.Event, ev coach.Event) render.Reply {
	title := render.DealTitle(d)
	if ev.Fields.NoCloseDate {
		return a.coachingReply(ctx, r, d, log, r.T(
			fmt.Sprintf("%s has no expected close date any more. /deal due #%d <date> sets one.", title, d.Number),
			fmt.Sprintf("已清除 %s 的预计成交日期。用 /deal due #%d <日期> 重新设置。", title, d.Number)))
	}
	text := r.T(fmt.Sprintf("%s is expected to close on %s.", title, ev.Fields.CloseDate),
		fmt.Sprintf("%s 的预计成交日期：%s。", title, ev.Fields.CloseDate))
	if p := ev.Fields.Prev; p != nil && p.CloseDate != "" && p.CloseDate < ev.Fields.CloseDate {
		before, _ := coach.ParseDay(p.CloseDate)
		pushed := coach.DaysBetween(before, d.CloseDate)
		text += r.T(fmt.Sprintf(" That is %d days later than %s: slip %d of this deal, %d days pushed in all. What changed on the buyer's side? Note it with /deal note #%d.",
			pushed, p.CloseDate, d.Slips, d.SlipDays, d.Number),
			fmt.Sprintf("比原来的 %s 推迟了 %d 天：这笔商机第 %d 次推迟，累计推迟 %d 天。客户那边发生了什么变化？用 /deal note #%d 记下来。",
				p.CloseDate, pushed, d.Slips, d.SlipDays, d.Number))
	}
	if d.Overdue(local(r)) {
		text += r.Msg("due.that_date_has_already", nil)
	}
	return a.coachingReply(ctx, r, d, log, text)
}
