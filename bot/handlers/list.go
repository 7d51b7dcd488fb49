package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"salescoach/bot/render"
	"salescoach/coach"
)

const listLimit = 20

func (a *App) dealList(ctx context.Context, r *Request, args string) (render.Reply, error) {
	f := coach.ListFilter{Owner: r.UserID, Statuses: []coach.Status{coach.StatusOpen}, Limit: listLimit}
	which := "open"
	for _, w := range strings.Fields(args) {
		lw := strings.ToLower(w)
		switch {
		case lw == "open" || lw == "进行中":
			f.Statuses, which = []coach.Status{coach.StatusOpen}, "open"
		case lw == "won" || lw == "赢单":
			f.Statuses, which = []coach.Status{coach.StatusWon}, "won"
		case lw == "lost" || lw == "丢单":
			f.Statuses, which = []coach.Status{coach.StatusLost}, "lost"
		case lw == "all" || lw == "全部":
			f.Statuses, which = nil, "all"
		case lw == "team" || lw == "团队":
			if !r.Caller.Manager {
				return render.Reply{}, coach.ErrManagerOnly
			}
			f.Owner = ""
		default:
			id, ok := parseUser(w)
			if !ok {
				return render.Fail(r.T(fmt.Sprintf("I don't understand %q. Try /deal list [open|won|lost|all] [@rep|team].", w),
					fmt.Sprintf("看不懂“%s”。试试 /deal list [open|won|lost|all] [@销售|team]。", w))), nil
			}
			if id != r.UserID && !r.Caller.Manager {
				return render.Reply{}, coach.Fail(coach.EForbidden, "Only a manager can list another rep's deals.", "只有经理可以查看其他销售的商机。")
			}
			f.Owner = id
		}
	}
	deals, total, err := a.store.ListDeals(ctx, r.TeamID, f)
	if err != nil {
		return render.Reply{}, err
	}
	whose := r.T("Your", "您的")
	switch {
	case f.Owner == "":
		whose = r.T("The team's", "团队的")
	case f.Owner != r.UserID:
		whose = "<@" + f.Owner + ">" + r.T("'s", " 的")
	}
	kinds := map[string][2]string{"open": {"open deals", "进行中商机"}, "won": {"won deals", "赢单商机"}, "lost": {"lost deals", "丢单商机"}, "all": {"deals", "商机"}}
	k := kinds[which]
	if total == 0 {
		return render.Reply{Text: r.T(fmt.Sprintf("%s %s: none yet. Add one with /deal add Acme Corp $12,000.", whose, k[0]),
			fmt.Sprintf("%s%s：暂无。用 /deal add Acme Corp $12,000 新建一笔。", whose, k[1]))}, nil
	}
	reply := render.Reply{Text: r.T(fmt.Sprintf("%s %s (%d):", whose, k[0], total), fmt.Sprintf("%s%s（%d）：", whose, k[1], total))}
	for _, d := range deals {
		reply.Sections = append(reply.Sections, render.DealLine(r.Viewer, d))
	}
	if more := total - len(deals); more > 0 {
		count := strconv.Itoa(more)
		if total >= coach.ListCountCap {
			count = r.T("Over ", "超过 ") + count
		}
		reply.Note = r.T(fmt.Sprintf("%s more not shown — narrow the list with /deal list won, lost or @rep.", count),
			fmt.Sprintf("还有 %s 笔未显示，可以用 /deal list won、lost 或 @销售 缩小范围。", count))
	}
	return reply, nil
}

func (a *App) dealShow(ctx context.Context, r *Request, args string) (render.Reply, error) {
	dn, _, err := a.resolve(ctx, r, args, true)
	if err != nil {
		return render.Reply{}, err
	}
	d, log, err := a.store.Deal(ctx, r.Caller, dn.ID)
	if err != nil {
		return render.Reply{}, err
	}
	return a.showReply(ctx, r, d, log), nil
}

func (a *App) showReply(ctx context.Context, r *Request, d coach.Deal, log []coach.Event) render.Reply {
	lang := r.Lang()
	reply := render.Reply{Text: fmt.Sprintf("%s — %s", render.DealTitle(d), render.Describe(r.Viewer, d))}
	facts := []render.Line{
		render.L(r.T("Owner", "负责人"), "<@"+d.OwnerID+">"),
		render.L(r.T("Created", "创建于"), render.DateOf(r.Viewer, d.CreatedAt)),
	}
	switch d.Status {
	case coach.StatusOpen:
		facts = append(facts, render.L(r.T("In stage", "当前阶段"), fmt.Sprintf(r.T("%s, %s", "%s，%s"), d.Stage.Name(lang), coach.DaysText(d.DaysInStage(r.Now)).In(lang))))
	case coach.StatusWon:
		facts = append(facts, render.L(r.T("Won", "赢单于"), render.DateOf(r.Viewer, d.StageSince)))
	case coach.StatusLost:
		facts = append(facts, render.L(r.T("Lost", "丢单于"), render.DateOf(r.Viewer, d.StageSince)+" ("+d.LostReason.Name(lang)+")"))
	}
	if d.Archived {
		facts = append(facts, render.T(r.T("Archived: hidden from lists and metrics.", "已归档：不出现在列表和统计中。")))
	}
	if d.Paused(r.Now) {
		facts = append(facts, render.L(r.T("Paused until", "暂停提醒至"), render.DateOf(r.Viewer, d.PausedUntil)))
	}
	if due := render.CloseDate(r.Viewer, d); due != "" {
		if d.Slips > 0 {
			due += r.T(fmt.Sprintf(" · slipped %d× (%d days in all)", d.Slips, d.SlipDays), fmt.Sprintf(" · 推迟过 %d 次（共 %d 天）", d.Slips, d.SlipDays))
		}
		facts = append(facts, render.L(r.T("Expected close", "预计成交"), due))
	}
	reply.Sections = append(reply.Sections, render.Section{Lines: facts})

	var hist []render.Line
	live := coach.Live(log)
	var entries []coach.Event
	for _, e := range live {
		if e.Entry != "" {
			entries = append(entries, e)
		}
	}
	for i, e := range entries {
		line := render.DateOf(r.Viewer, e.At) + " · " + e.Entry.Name(lang)
		if e.Entry.IsOpen() {
			end := r.Now
			if i+1 < len(entries) {
				end = entries[i+1].At
			}
			line += " · " + render.Days(r.Viewer, coach.Days(end.Sub(e.At)))
		}
		if e.Kind == coach.EvReopen {
			line += r.T(" (reopened)", "（重新打开）")
		}
		hist = append(hist, render.T(line))
	}
	if len(hist) > 0 {
		reply.Sections = append(reply.Sections, render.Section{Title: r.T("Stage history", "阶段历史"), Lines: hist})
	}
	var notes []render.Line
	for i := len(live) - 1; i >= 0 && len(notes) < 10; i-- {
		if e := live[i]; e.Kind == coach.EvNote {
			notes = append(notes, render.T(fmt.Sprintf("%s · <@%s> · %s", render.DateOf(r.Viewer, e.At), e.ActorID, e.Text)))
		}
	}
	if len(notes) > 0 {
		reply.Sections = append(reply.Sections, render.Section{Title: r.T("Notes (latest first)", "备注（最新在前）"), Lines: notes})
	}
	if !d.Archived {
		reply.Sections = append(reply.Sections, a.coaching(ctx, r, d, log)...)
		reply.Actions = render.DealButtons(r.Viewer, d, true)
	}
	reply.Actions = append(reply.Actions, render.Action{ID: render.ActionBlueprint, Label: r.T("Blueprint", "服务蓝图"), Value: fmt.Sprint(d.ID)})
	return reply
}
