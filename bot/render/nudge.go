package render

import (
	"fmt"

	"salescoach/coach"
)

// nudgeShown is how many stale deals one nudge lists.
const nudgeShown = 10

// NudgeReply lists a rep's stale deals, most urgent first, each with why and
// the next step.
func NudgeReply(r Viewer, deals []coach.Deal, advice []coach.Advice) Reply {
	reply := Reply{Text: r.T(fmt.Sprintf("Good morning! %d of your deals need attention today:", len(deals)),
		fmt.Sprintf("早上好！您有 %d 笔交易今天需要关注：", len(deals))),
		Sections: Ranked(r, deals, advice, nudgeShown)}
	reply.Note = r.T("Waiting on the buyer for a while? /deal pause #N 2w [reason] mutes a deal. /coach ranks all your deals.",
		"客户那边需要等一段时间？用 /deal pause #编号 2w [原因] 暂停某笔交易的提醒。/coach 可查看您所有交易的优先顺序。")
	if more := len(deals) - nudgeShown; more > 0 {
		reply.Note = r.T(fmt.Sprintf("%d more are stale: /coach ranks them all.", more),
			fmt.Sprintf("还有 %d 笔处于停滞状态：/coach 可查看全部。", more)) + " " + reply.Note
	}
	return reply
}
