package handlers

import (
	"context"

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
		return a.coachingReply(ctx, r, d, log, r.Msg("due.cleared", coach.Args{"deal": title, "n": d.Number}))
	}
	text := r.Msg("due.set", coach.Args{"deal": title, "date": ev.Fields.CloseDate})
	if p := ev.Fields.Prev; p != nil && p.CloseDate != "" && p.CloseDate < ev.Fields.CloseDate {
		before, _ := coach.ParseDay(p.CloseDate)
		pushed := coach.DaysBetween(before, d.CloseDate)
		text += r.Msg("due.slip", coach.Args{"pushed": pushed, "before": p.CloseDate, "slips": d.Slips, "days": d.SlipDays, "n": d.Number})
	}
	if d.Overdue(local(r)) {
		text += r.Msg("due.that_date_has_already", nil)
	}
	return a.coachingReply(ctx, r, d, log, text)
}
