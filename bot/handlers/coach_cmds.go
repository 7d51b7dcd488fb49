package handlers

import (
	"context"
	"fmt"
	"strings"

	"salescoach/bot/render"
	"salescoach/coach"
)

// coachDefault answers /coach with no subcommand: with nothing, the caller's
// deals that most need attention; with a deal number, that deal; with a stage
// name, its playbook; with anything else, the deal it names.
func (a *App) coachDefault(ctx context.Context, r *Request, args string) (render.Reply, error) {
	args = strings.TrimSpace(args)
	if args == "" {
		return a.coachAttention(ctx, r, r.UserID)
	}
	if strings.HasPrefix(args, "<@") || strings.HasPrefix(args, "@") {
		rep, ok := parseUser(args)
		if !ok {
			return render.Fail(r.Msg("coach_cmds.whose_deals_mention_the", nil)), nil
		}
		return a.coachAttention(ctx, r, rep)
	}
	ref, err := coach.ParseDealRef(args)
	if err != nil {
		return render.Reply{}, err
	}
	if ref.Number == 0 {
		if s, err := coach.ParseStage(args); err == nil {
			return a.playbookReply(ctx, r, s), nil
		}
	}
	dn, _, err := a.resolve(ctx, r, args, false)
	if err != nil {
		if ref.Number == 0 && coach.ErrorCode(err) == coach.ENotFound {
			// Neither a stage nor a deal: say both were tried.
			_, serr := coach.ParseStage(args)
			return render.Fail(r.T(fmt.Sprintf("No deal or stage matches %q. %s", args, render.ErrorMessage(serr, coach.EN)),
				fmt.Sprintf("没有与“%s”匹配的商机或阶段。%s", args, render.ErrorMessage(serr, coach.ZH)))), nil
		}
		return render.Reply{}, err
	}
	d, log, err := a.store.Deal(ctx, r.Caller, dn.ID)
	if err != nil {
		return render.Reply{}, err
	}
	return render.Reply{Text: r.Msg("coach_cmds.deal_head", coach.Args{"deal": render.DealTitle(d), "describe": render.Describe(r.Viewer, d), "days": coach.DaysText(d.DaysInStage(r.Now)).In(r.Lang())}),
		Sections: a.coaching(ctx, r, d, log), Actions: render.DealButtons(r.Viewer, d, true)}, nil
}

// attentionShown is how many deals /coach shows.
const attentionShown = 5

// coachAttention answers /coach, and /coach @rep for a manager: the rep's
// open deals ranked by urgency and value together (coach.Rank), the first
// few with their next step and why, and what was left out.
func (a *App) coachAttention(ctx context.Context, r *Request, rep string) (render.Reply, error) {
	if err := coach.CoachFor(r.Caller, rep); err != nil {
		return render.Reply{}, err
	}
	deals, total, err := a.store.ListDeals(ctx, r.TeamID, coach.ListFilter{Owner: rep, Statuses: []coach.Status{coach.StatusOpen}, Limit: 200})
	if err != nil {
		return render.Reply{}, err
	}
	whose, whoseZH := "your", "您的"
	if rep != r.UserID {
		whose, whoseZH = "<@"+rep+">'s", "<@"+rep+"> 的"
	}
	if total == 0 {
		if rep != r.UserID {
			return render.Reply{Text: r.T(fmt.Sprintf("<@%s> has no open deals.", rep), fmt.Sprintf("<@%s> 目前没有进行中的商机。", rep))}, nil
		}
		return render.Reply{Text: r.T("You have no open deals. Add one with /deal add Acme Corp $12,000, or read a stage's playbook with /coach qualification.",
			fmt.Sprintf("您目前没有进行中的商机。用 /deal add Acme Corp $12,000 新建一笔，或用 /coach %s 查看某个阶段的打法。", coach.Qualification.Name(coach.ZH)))}, nil
	}
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	logs, err := a.store.Logs(ctx, r.TeamID, ids)
	if err != nil {
		return render.Reply{}, err
	}
	advice := make([]coach.Advice, len(deals))
	for i, d := range deals {
		advice[i] = a.advise(ctx, r, d, logs[d.ID])
	}
	list := coach.Shorten(deals, advice, attentionShown, r.Now)
	need := list.Attention
	verb := "need"
	if need == 1 {
		verb = "needs"
	}
	reply := render.Reply{Text: r.T(fmt.Sprintf("%d of %s %d open deals %s attention, most urgent first (weighing what each is worth):", need, whose, total, verb),
		fmt.Sprintf("%s %d 笔进行中商机里，有 %d 笔需要关注，按紧急程度和金额排序：", whoseZH, total, need))}
	if need == 0 {
		reply.Text = r.T(fmt.Sprintf("All %d of %s open deals are on track. The ones longest in their stage:", total, whose),
			fmt.Sprintf("%s %d 笔进行中商机进度都正常。在当前阶段停留最久的几笔：", whoseZH, total))
	}
	reply.Sections = render.Ranked(r.Viewer, deals, advice, list.Shown)
	left := list.LeftAttention + list.LeftOther + total - len(deals)
	switch {
	case list.LeftAttention > 0:
		needs := "need"
		if list.LeftAttention == 1 {
			needs = "needs"
		}
		reply.Note = r.T(fmt.Sprintf("Not shown: %d more that %s attention and %d on track or paused — /deal list shows every deal, /coach <deal> explains one.", list.LeftAttention, needs, left-list.LeftAttention),
			fmt.Sprintf("未显示：还有 %d 笔需要关注、%d 笔进度正常或已暂停——/deal list 列出所有商机，/coach <商机> 查看某笔商机的建议。", list.LeftAttention, left-list.LeftAttention))
	case left > 0:
		reply.Note = r.T(fmt.Sprintf("Not shown: %d on track or paused — /deal list shows every deal, /coach <deal> explains one.", left),
			fmt.Sprintf("未显示：%d 笔进度正常或已暂停——/deal list 列出所有商机，/coach <商机> 查看某笔商机的建议。", left))
	default:
		reply.Note = r.Msg("coach_cmds.coach_deal_explains_one", nil)
	}
	return reply, nil
}

// playbookReply shows a stage's playbook, with the team's own numbers for it.
func (a *App) playbookReply(ctx context.Context, r *Request, s coach.Stage) render.Reply {
	lang := r.Lang()
	if s == coach.Won {
		s = coach.Retention
	}
	p := coach.PlaybookFor(s)
	if p == nil {
		return render.Fail(r.Msg("coach_cmds.that_is_an_outcome", nil))
	}
	fa := s.A()
	reply := render.Reply{Text: r.T(fmt.Sprintf("Playbook: %s — 5A %s %s", s.Name(lang), fa.Name(lang), fa.BuyerState(lang)),
		fmt.Sprintf("打法：%s（5A：%s %s）", s.Name(lang), fa.Name(lang), fa.BuyerState(lang)))}
	reply.Sections = append(reply.Sections, render.Section{Lines: []render.Line{render.T(p.Goal.In(lang))}})
	if s.IsOpen() {
		reply.Sections = append(reply.Sections, teamNumbers(r, s, a.teamStats(ctx, r.TeamID, r.Now)))
	}
	var crit []render.Line
	for _, c := range p.ExitCriteria {
		crit = append(crit, render.T("• "+c.In(lang)+" ("+c.Key+")"))
	}
	reply.Sections = append(reply.Sections, render.Section{Title: r.Msg("coach_cmds.exit_criteria", nil), Lines: crit})
	reply.Sections = append(reply.Sections, render.Section{Lines: []render.Line{
		render.L(r.Msg("coach_cmds.next_step", nil), p.NextStep.In(lang)),
		render.L("5A "+fa.BuyerState(lang), p.FiveA.In(lang)),
	}})
	var tactics []render.Line
	for _, t := range p.Tactics {
		tactics = append(tactics, render.T("• "+t.In(lang)))
	}
	reply.Sections = append(reply.Sections, render.Section{Title: r.Msg("coach_cmds.tactics", nil), Lines: tactics})
	if len(p.Objections) > 0 {
		var obj []render.Line
		for _, o := range coach.ObjectionTypes {
			if t, ok := p.Objections[o]; ok {
				obj = append(obj, render.L(o.Name(lang), t.In(lang)))
			}
		}
		reply.Sections = append(reply.Sections, render.Section{Title: r.Msg("coach_cmds.objections_by_type", nil), Lines: obj})
	}
	return reply
}

// teamNumbers says how long the team's visits of stage s take, in a rep's
// words, the marks the rules use, and a lost reason that recurs.
func teamNumbers(r *Request, s coach.Stage, stats coach.TeamStats) render.Section {
	lang := r.Lang()
	th := stats.Threshold(s)
	days := func(v float64) string { return render.Days(r.Viewer, v) }
	var lines []render.Line
	switch {
	case th.Team:
		lines = append(lines, render.L(r.Msg("coach_cmds.your_team", nil), r.T(
			fmt.Sprintf("%d stays in %s ended in the last %d days: half took under %s, 3 in 4 under %s, 9 in 10 under %s. A deal there longer than that is stuck.",
				th.Visits, s.Name(lang), coach.StatsWindowDays, days(th.Median), days(th.P75), days(th.P90)),
			fmt.Sprintf("过去 %d 天有 %d 次%s阶段的停留结束：一半不到 %s，四分之三不到 %s，九成不到 %s。停留更久的商机就算卡住了。",
				coach.StatsWindowDays, th.Visits, s.Name(lang), days(th.Median), days(th.P75), days(th.P90)))))
	default:
		lines = append(lines, render.L(r.Msg("coach_cmds.your_team", nil), r.T(
			fmt.Sprintf("%d stays in %s ended in the last %d days — too few to go by, so a deal there counts as slow after %s and stuck after %s.",
				th.Visits, s.Name(lang), coach.StatsWindowDays, days(th.P75), days(th.P90)),
			fmt.Sprintf("过去 %d 天只有 %d 次%s阶段的停留结束，数据太少，暂按固定标准：超过 %s 算偏慢，超过 %s 算卡住。",
				coach.StatsWindowDays, th.Visits, s.Name(lang), days(th.P75), days(th.P90)))))
	}
	if rc, text, ok := stats.HeadOff(s); ok {
		lines = append(lines, render.L(r.Msg("coach_cmds.head_it_off", nil), r.T(
			fmt.Sprintf("%d of your team's last %d lost deals were lost on %s. ", rc.N, stats.Losses, rc.Reason.Name(lang)),
			fmt.Sprintf("团队最近 %d 笔丢单中，有 %d 笔是因为%s。", stats.Losses, rc.N, rc.Reason.Name(lang)))+text.In(lang)))
	}
	return render.Section{Lines: lines}
}

func (a *App) coachLang(ctx context.Context, r *Request, args string) (render.Reply, error) {
	var lang coach.Lang
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "en", "english", "英文", "英语":
		lang = coach.EN
	case "zh", "cn", "chinese", "中文", "汉语":
		lang = coach.ZH
	default:
		return render.Fail(r.Msg("coach_cmds.choose_en_or_zh", nil)), nil
	}
	if err := a.store.SetLang(ctx, r.TeamID, r.UserID, lang); err != nil {
		return render.Reply{}, err
	}
	r.Caller.Lang = lang
	return render.Reply{Text: r.Msg("coach_cmds.i_will_answer_you", nil)}, nil
}

func (a *App) coachCurrency(ctx context.Context, r *Request, args string) (render.Reply, error) {
	cur, err := coach.ParseCurrency(strings.TrimSpace(args))
	if err != nil {
		return render.Reply{}, err
	}
	if err := a.store.SetCurrency(ctx, r.TeamID, cur); err != nil {
		return render.Reply{}, err
	}
	return render.Reply{Text: r.T(fmt.Sprintf("The team reports in %s from now on; new deals without a currency use it.", cur),
		fmt.Sprintf("团队的报告币种已设为 %s；未注明币种的新商机将使用它。", cur))}, nil
}

func (a *App) coachManagers(ctx context.Context, r *Request, args string) (render.Reply, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	switch strings.ToLower(verb) {
	case "":
		ids, err := a.store.Managers(ctx, r.TeamID)
		if err != nil {
			return render.Reply{}, err
		}
		seen := map[string]bool{}
		var names []string
		for _, id := range ids {
			seen[id] = true
			names = append(names, "<@"+id+">")
		}
		for k := range a.managers {
			if (k.team == "" || k.team == r.TeamID) && !seen[k.user] {
				seen[k.user] = true
				names = append(names, "<@"+k.user+">")
			}
		}
		if len(names) == 0 {
			return render.Reply{Text: r.Msg("coach_cmds.no_managers_yet_set", nil)}, nil
		}
		return render.Reply{Text: r.Msg("coach_cmds.managers", nil) + strings.Join(names, ", ")}, nil
	case "add", "remove", "rm":
		if !r.Caller.Manager {
			return render.Reply{}, coach.ErrManagerOnly
		}
		id, ok := parseUser(rest)
		if !ok {
			return render.Fail(r.Msg("coach_cmds.mention_the_user_coach", nil)), nil
		}
		add := strings.ToLower(verb) == "add"
		if !add && a.configuredManager(r.TeamID, id) {
			return render.Fail(r.T(fmt.Sprintf("<@%s> is a manager through SALESCOACH_MANAGERS; change that setting instead.", id),
				fmt.Sprintf("<@%s> 是通过 SALESCOACH_MANAGERS 设置的经理，请修改该配置。", id))), nil
		}
		if !add {
			m, err := a.store.Member(ctx, r.TeamID, id)
			if err != nil {
				return render.Reply{}, err
			}
			if m.SlackAdmin {
				return render.Fail(r.T(fmt.Sprintf("<@%s> is a workspace admin or owner in Slack, and so stays a manager.", id),
					fmt.Sprintf("<@%s> 是 Slack 工作区的管理员或所有者，因此仍然是经理。", id))), nil
			}
		}
		if err := a.store.SetManager(ctx, r.TeamID, id, add); err != nil {
			return render.Reply{}, err
		}
		if add {
			return render.Reply{Text: r.T(fmt.Sprintf("<@%s> is now a manager.", id), fmt.Sprintf("<@%s> 现在是经理了。", id))}, nil
		}
		return render.Reply{Text: r.T(fmt.Sprintf("<@%s> is no longer a manager.", id), fmt.Sprintf("<@%s> 不再是经理。", id))}, nil
	}
	return render.Fail(r.Msg("coach_cmds.try_coach_managers_coach", nil)), nil
}
