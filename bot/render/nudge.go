package render

import (
	"fmt"
	"time"

	"salescoach/coach"
)

// nudgeShown is how many stale deals one nudge lists.
const nudgeShown = 10

// NudgeReply lists a rep's stale deals, most urgent first, each with its
// next step and why, and on Mondays the week's habit.
func NudgeReply(r Viewer, deals []coach.Deal, advice []coach.Advice) Reply {
	list := coach.Shorten(deals, advice, nudgeShown, r.Now)
	head := fmt.Sprintf("Good morning! %d of your deals need attention today:", len(deals))
	if len(deals) == 1 {
		head = "Good morning! 1 of your deals needs attention today:"
	}
	reply := Reply{Text: r.T(head, fmt.Sprintf("早上好！您有 %d 笔商机今天需要关注：", len(deals))),
		Sections: Ranked(r, deals, advice, list.Shown)}
	// A habit about no single deal rides along the first nudge of the week.
	local := r.Now
	if r.Caller.Loc != nil {
		local = local.In(r.Caller.Loc)
	}
	if h := coach.WeeklyHabit(local); h != (coach.Text{}) && local.Weekday() == time.Monday {
		reply.Sections = append(reply.Sections, Section{Lines: []Line{L(r.T("This week's habit", "本周习惯"), h.In(r.Lang()))}})
	}
	reply.Note = r.T("Waiting on the buyer for a while? /deal pause #N 2w [reason] mutes a deal. /coach ranks all your deals.",
		"客户那边需要等一段时间？用 /deal pause #编号 2w [原因] 暂停某笔商机的提醒。/coach 可查看您所有商机的优先顺序。")
	if more := len(deals) - nudgeShown; more > 0 {
		reply.Note = r.T(fmt.Sprintf("%d more are stale: /coach ranks them all.", more),
			fmt.Sprintf("还有 %d 笔处于停滞状态：/coach 可查看全部。", more)) + " " + reply.Note
	}
	return reply
}
