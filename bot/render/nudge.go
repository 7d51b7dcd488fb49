package render

import (
	"time"

	"salescoach/coach"
)

// nudgeShown is how many stale deals one nudge lists.
const nudgeShown = 10

// NudgeReply lists a rep's stale deals, most urgent first, each with its
// next step and why, and on Mondays the week's habit.
func NudgeReply(r Viewer, deals []coach.Deal, advice []coach.Advice) Reply {
	list := coach.Shorten(deals, advice, nudgeShown, r.Now)
	head := r.Msg("nudge.head", coach.Args{"n": len(deals)})
	if len(deals) == 1 {
		head = r.Msg("nudge.head.one", nil)
	}
	reply := Reply{Text: head,
		Sections: Ranked(r, deals, advice, list.Shown)}
	// A habit about no single deal rides along the first nudge of the week.
	local := r.Now
	if r.Caller.Loc != nil {
		local = local.In(r.Caller.Loc)
	}
	if h := coach.WeeklyHabit(local); h != (coach.Text{}) && local.Weekday() == time.Monday {
		reply.Sections = append(reply.Sections, Section{Lines: []Line{L(r.Msg("nudge.habit", nil), h.In(r.Lang()))}})
	}
	reply.Note = r.Msg("nudge.note", nil)
	if more := len(deals) - nudgeShown; more > 0 {
		reply.Note = r.Msg("nudge.more", coach.Args{"n": more}) + " " + reply.Note
	}
	return reply
}
