package handlers

import (
	"context"
	"fmt"
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
		return a.coachingReply(ctx, r, d, log, r.T(
			fmt.Sprintf("%s is no longer paused: it gets nudges again and counts as stale when it stalls.", title),
			fmt.Sprintf("%s 已取消暂停：它会重新收到提醒，停滞时也会被标记出来。", title))), nil
	}
	until := render.DateOf(r.Viewer, d.PausedUntil)
	why, whyZH := "", ""
	if d.PauseReason != "" {
		why, whyZH = " ("+d.PauseReason+")", "（"+d.PauseReason+"）"
	}
	return a.coachingReply(ctx, r, d, log, r.T(
		fmt.Sprintf("Paused %s until %s%s: no nudges, and it does not count as stale until then. /deal pause #%d off lifts it.", title, until, why, d.Number),
		fmt.Sprintf("已暂停 %s 至 %s%s：在此之前不会提醒，也不会被标记为停滞。用 /deal pause #%d off 可以取消。", title, until, whyZH, d.Number))), nil
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
		return a.coachingReply(ctx, r, d, log, r.T(
			fmt.Sprintf("Recorded a %s objection on %s.", strings.ToLower(o.Name(coach.EN)), render.DealTitle(d)),
			fmt.Sprintf("已为 %s 记录%s方面的异议。", render.DealTitle(d), o.Name(coach.ZH)))), nil
	}
	lang, stage := r.Lang(), ev.Fields.Stage
	p := coach.PlaybookFor(stage)
	crit, _ := p.Criterion(ev.Fields.Criterion)
	missing := p.Unconfirmed(log, d.StageSince)
	done := len(p.ExitCriteria) - len(missing)
	text := r.T(fmt.Sprintf("Confirmed %s for %s in %s (%d of %d).", crit.Key, render.DealTitle(d), stage.Name(lang), done, len(p.ExitCriteria)),
		fmt.Sprintf("已为 %s 确认%s阶段的 %s（%d/%d）。", render.DealTitle(d), stage.Name(lang), crit.Label(lang), done, len(p.ExitCriteria)))
	switch {
	case len(missing) > 0:
		names := make([]string, len(missing))
		for i, c := range missing {
			names[i] = c.Label(lang)
		}
		text += r.T(" Still open: "+strings.Join(names, ", ")+".", " 尚未确认："+strings.Join(names, "、")+"。")
	case d.Status == coach.StatusOpen && d.Stage == coach.Closing:
		text += r.T(fmt.Sprintf(" Every exit criterion is confirmed: record the signature with /deal won #%d.", d.Number),
			fmt.Sprintf(" 所有出阶段标准都已确认：签约后用 /deal won #%d 记录赢单。", d.Number))
	case d.Status == coach.StatusOpen:
		text += r.T(fmt.Sprintf(" Every exit criterion is confirmed: move it on with /deal next #%d.", d.Number),
			fmt.Sprintf(" 所有出阶段标准都已确认：用 /deal next #%d 推进到下一阶段。", d.Number))
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
		Text: r.T(fmt.Sprintf("Exit criteria of %s for %s (%d of %d confirmed):", stage.Name(lang), render.DealTitle(d), len(done), len(p.ExitCriteria)),
			fmt.Sprintf("%s 在%s阶段的出阶段标准（已确认 %d/%d）：", render.DealTitle(d), stage.Name(lang), len(done), len(p.ExitCriteria))),
		Sections: []render.Section{{Lines: lines}},
		Note: r.T(fmt.Sprintf("Confirm one with /deal check #%d <criterion>, e.g. /deal check #%d %s.", d.Number, d.Number, p.ExitCriteria[0].Key),
			fmt.Sprintf("用 /deal check #%d <标准> 确认一条，例如 /deal check #%d %s。", d.Number, d.Number, p.ExitCriteria[0].Key)),
	}
}
