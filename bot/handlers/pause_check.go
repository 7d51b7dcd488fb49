package handlers

import (
	"context"
	"strings"
	"time"

	"salescoach/bot/render"
	"salescoach/coach"
)

// local returns now in the caller's time zone, where dates are read.
func local(r *Request) time.Time {
	if r.Caller.Loc == nil {
		return r.Now
	}
	return r.Now.In(r.Caller.Loc)
}

// dealPause answers /deal pause <deal> <until> [reason] and /deal pause <deal> off.
func (a *App) dealPause(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, log, ev, err := a.change(ctx, r, args, func(d coach.Deal, _ []coach.Event, rest string) (coach.Event, error) {
		pa, err := coach.ParsePauseArgs(rest, d.Number, local(r))
		if err != nil && d.Status != coach.StatusOpen {
			// A closed deal gets no nudges to pause: that, not the date,
			// is what to say.
			return coach.Pause(r.Caller, d, coach.PauseArgs{}, r.Now)
		}
		if err != nil {
			return coach.Event{}, err
		}
		return coach.Pause(r.Caller, d, pa, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	title := render.DealTitle(d)
	if ev.Fields.Unpause {
		return a.coachingReply(ctx, r, d, log, r.Msg("pause.lifted", coach.Args{"deal": title})), nil
	}
	until := render.DateOf(r.Viewer, d.PausedUntil)
	pa := coach.Args{"deal": title, "until": until, "n": d.Number}
	if d.PauseReason != "" {
		pa["reason"] = d.PauseReason
		return a.coachingReply(ctx, r, d, log, r.Msg("pause.set.reason", pa)), nil
	}
	return a.coachingReply(ctx, r, d, log, r.Msg("pause.set", pa)), nil
}

// dealCheck answers /deal check <deal> <criterion>; with no criterion it
// shows the stage's checklist and changes nothing.
func (a *App) dealCheck(ctx context.Context, r *Request, args string) (render.Reply, error) {
	dn, rest, err := a.resolve(ctx, r, args, false)
	if err != nil {
		return render.Reply{}, err
	}
	if strings.TrimSpace(rest) == "" {
		d, log, err := a.store.Deal(ctx, r.Caller, dn.ID)
		if err != nil {
			return render.Reply{}, err
		}
		if d.Status == coach.StatusLost {
			_, err := coach.Check(r.Caller, d, log, "", r.Now) // says why there is nothing to check
			return render.Reply{}, err
		}
		return a.checklistReply(r, d, log), nil
	}
	var log []coach.Event
	d, ev, err := a.store.Change(ctx, r.Caller, dn.ID, func(d coach.Deal, l []coach.Event) (coach.Event, error) {
		log = l
		if ev, ok, err := coach.CheckObjection(r.Caller, d, rest, r.Now); ok {
			return ev, err
		}
		return coach.Check(r.Caller, d, l, rest, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	log = append(log[:len(log):len(log)], ev)
	if ev.Kind == coach.EvNote { // an objection recorded: the coaching now plays it
		o, _ := coach.RecordedObjection([]coach.Event{ev}, ev.At)
		return a.coachingReply(ctx, r, d, log, r.Msg("check.objection", coach.Args{"objection": coach.Both(strings.ToLower(o.Name(coach.EN)), o.Name(coach.ZH)), "deal": render.DealTitle(d)})), nil
	}
	lang, stage := r.Lang(), ev.Fields.Stage
	p := coach.PlaybookFor(stage)
	crit, _ := p.Criterion(ev.Fields.Criterion)
	missing := p.Unconfirmed(log, d.StageSince)
	done := len(p.ExitCriteria) - len(missing)
	text := r.Msg("check.confirmed", coach.Args{"criterion": coach.Both(crit.Key, crit.Label(lang)), "deal": render.DealTitle(d),
		"stage": stage.Name(lang), "done": done, "of": len(p.ExitCriteria)})
	switch {
	case len(missing) > 0:
		names := make([]string, len(missing))
		for i, c := range missing {
			names[i] = c.Label(lang)
		}
		text += r.Msg("check.still_open", coach.Args{"criteria": coach.Joined(names)})
	case d.Status == coach.StatusOpen && d.Stage == coach.Closing:
		text += r.Msg("check.all.closing", coach.Args{"n": d.Number})
	case d.Status == coach.StatusOpen:
		text += r.Msg("check.all.next", coach.Args{"n": d.Number})
	default:
		text += r.Msg("pause_check.every_exit_criterion_of", nil)
	}
	return render.Reply{Text: text}, nil
}

// checklistReply shows the exit criteria of the deal's stage, confirmed or not
// during the current visit.
func (a *App) checklistReply(r *Request, d coach.Deal, log []coach.Event) render.Reply {
	lang, stage := r.Lang(), d.ShownStage()
	p := coach.PlaybookFor(stage)
	done := coach.Confirmed(log, stage, d.StageSince)
	var lines []render.Line
	for _, c := range p.ExitCriteria {
		box := "☐ "
		if done[c.Key] {
			box = "✓ "
		}
		lines = append(lines, render.T(box+c.Label(lang)+" — "+c.In(lang)))
	}
	return render.Reply{
		Text:     r.Msg("check.list", coach.Args{"stage": stage.Name(lang), "deal": render.DealTitle(d), "done": len(done), "of": len(p.ExitCriteria)}),
		Sections: []render.Section{{Lines: lines}},
		Note:     r.Msg("check.how", coach.Args{"n": d.Number, "first": p.ExitCriteria[0].Key}),
	}
}
