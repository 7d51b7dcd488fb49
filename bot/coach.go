package bot

import (
	"context"
	"fmt"
	"strings"

	"salescoach/coach"
)

// coachDefault answers /coach with no subcommand: with nothing, the caller's
// deals that most need attention; with a deal number, that deal; with a stage
// name, its playbook; with anything else, the deal it names.
func (a *App) coachDefault(ctx context.Context, r *Request, args string) (Reply, error) {
	args = strings.TrimSpace(args)
	if args == "" {
		return a.coachAttention(ctx, r)
	}
	ref, err := coach.ParseDealRef(args)
	if err != nil {
		return Reply{}, err
	}
	if ref.Number == 0 {
		if s, err := coach.ParseStage(args); err == nil {
			return a.playbookReply(r, s), nil
		}
	}
	dn, _, err := a.resolve(ctx, r, args, false)
	if err != nil {
		if ref.Number == 0 && coach.ErrorCode(err) == coach.ENotFound {
			// Neither a stage nor a deal: say both were tried.
			_, serr := coach.ParseStage(args)
			return fail(r.T(fmt.Sprintf("No deal or stage matches %q. %s", args, coach.ErrorMessage(serr, coach.EN)),
				fmt.Sprintf("没有与“%s”匹配的交易或阶段。%s", args, coach.ErrorMessage(serr, coach.ZH)))), nil
		}
		return Reply{}, err
	}
	d, _, err := a.store.Deal(ctx, r.Caller, dn.ID)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: fmt.Sprintf("%s — %s, %s", dealTitle(d), describe(r, d), days(r, d.DaysInStage(r.Now))),
		Sections: a.coaching(r, d)}, nil
}

// coachAttention lists the caller's open deals, longest in their stage first,
// each with its next step.
func (a *App) coachAttention(ctx context.Context, r *Request) (Reply, error) {
	deals, total, err := a.store.ListDeals(ctx, r.TeamID, coach.ListFilter{Owner: r.UserID, Statuses: []coach.Status{coach.StatusOpen}, Limit: 5})
	if err != nil {
		return Reply{}, err
	}
	if total == 0 {
		return Reply{Text: r.T("You have no open deals. Add one with /deal add Acme Corp $12,000, or read a stage's playbook with /coach qualification.",
			"您目前没有进行中的交易。用 /deal add Acme Corp $12,000 新建一笔，或用 /coach 资格审查 查看某个阶段的打法。")}, nil
	}
	reply := Reply{Text: r.T("Your deals that most need attention:", "最需要您关注的交易：")}
	for _, d := range deals {
		reply.Sections = append(reply.Sections, dealLine(r, d))
	}
	reply.Note = r.T("/coach <deal> explains one deal; /coach <stage> shows a stage's playbook.",
		"/coach <交易> 查看某笔交易的建议；/coach <阶段> 查看该阶段的打法。")
	return reply, nil
}

// playbookReply shows a stage's playbook.
func (a *App) playbookReply(r *Request, s coach.Stage) Reply {
	lang := r.Lang()
	if s == coach.Won {
		s = coach.Retention
	}
	p := coach.PlaybookFor(s)
	if p == nil {
		return fail(r.T("That is an outcome, not a stage: try /coach closing or /coach objections.", "那是结果而不是阶段：试试 /coach closing 或 /coach objections。"))
	}
	fa := s.A()
	reply := Reply{Text: r.T(fmt.Sprintf("Playbook: %s — 5A %s %s", s.Name(lang), fa.Name(lang), fa.BuyerState(lang)),
		fmt.Sprintf("打法：%s（5A：%s %s）", s.Name(lang), fa.Name(lang), fa.BuyerState(lang)))}
	reply.Sections = append(reply.Sections, Section{Lines: []Line{T(p.Goal.In(lang))}})
	var crit []Line
	for _, c := range p.ExitCriteria {
		crit = append(crit, T("• "+c.In(lang)+" ("+c.Key+")"))
	}
	reply.Sections = append(reply.Sections, Section{Title: r.T("Exit criteria", "出阶段标准"), Lines: crit})
	reply.Sections = append(reply.Sections, Section{Lines: []Line{
		L(r.T("Next step", "下一步"), p.NextStep.In(lang)),
		L("5A "+fa.BuyerState(lang), p.FiveA.In(lang)),
	}})
	var tactics []Line
	for _, t := range p.Tactics {
		tactics = append(tactics, T("• "+t.In(lang)))
	}
	reply.Sections = append(reply.Sections, Section{Title: r.T("Tactics", "打法要点"), Lines: tactics})
	if len(p.Objections) > 0 {
		var obj []Line
		for _, o := range coach.ObjectionTypes {
			if t, ok := p.Objections[o]; ok {
				obj = append(obj, L(o.Name(lang), t.In(lang)))
			}
		}
		reply.Sections = append(reply.Sections, Section{Title: r.T("Objections by type", "按类型处理异议"), Lines: obj})
	}
	return reply
}

func (a *App) coachLang(ctx context.Context, r *Request, args string) (Reply, error) {
	var lang coach.Lang
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "en", "english", "英文", "英语":
		lang = coach.EN
	case "zh", "cn", "chinese", "中文", "汉语":
		lang = coach.ZH
	default:
		return fail(r.T("Choose en or zh: /coach lang zh switches to Chinese.", "请选择 en 或 zh：/coach lang en 切换为英文。")), nil
	}
	if err := a.store.SetLang(ctx, r.TeamID, r.UserID, lang); err != nil {
		return Reply{}, err
	}
	r.Caller.Lang = lang
	return Reply{Text: r.T("I will answer you in English.", "之后我会用中文回复您。")}, nil
}

func (a *App) coachCurrency(ctx context.Context, r *Request, args string) (Reply, error) {
	cur, err := coach.ParseCurrency(strings.TrimSpace(args))
	if err != nil {
		return Reply{}, err
	}
	if err := a.store.SetCurrency(ctx, r.TeamID, cur); err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T(fmt.Sprintf("The team reports in %s from now on; new deals without a currency use it.", cur),
		fmt.Sprintf("团队的报告币种已设为 %s；未注明币种的新交易将使用它。", cur))}, nil
}

func (a *App) coachManagers(ctx context.Context, r *Request, args string) (Reply, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	switch strings.ToLower(verb) {
	case "":
		ids, err := a.store.Managers(ctx, r.TeamID)
		if err != nil {
			return Reply{}, err
		}
		seen := map[string]bool{}
		var names []string
		for _, id := range ids {
			seen[id] = true
			names = append(names, "<@"+id+">")
		}
		for id := range a.managers {
			if !seen[id] {
				names = append(names, "<@"+id+">")
			}
		}
		if len(names) == 0 {
			return Reply{Text: r.T("No managers yet. Set SALESCOACH_MANAGERS, or make a workspace admin one.", "还没有经理。请设置 SALESCOACH_MANAGERS，或由工作区管理员担任。")}, nil
		}
		return Reply{Text: r.T("Managers: ", "经理：") + strings.Join(names, ", ")}, nil
	case "add", "remove", "rm":
		if !r.Caller.Manager {
			return Reply{}, coach.ErrManagerOnly
		}
		id, ok := parseUser(rest)
		if !ok {
			return fail(r.T("Mention the user: /coach managers add @user.", "请 @ 该用户：/coach managers add @用户。")), nil
		}
		add := strings.ToLower(verb) == "add"
		if !add && a.managers[id] {
			return fail(r.T(fmt.Sprintf("<@%s> is a manager through SALESCOACH_MANAGERS; change that setting instead.", id),
				fmt.Sprintf("<@%s> 是通过 SALESCOACH_MANAGERS 设置的经理，请修改该配置。", id))), nil
		}
		if err := a.store.SetManager(ctx, r.TeamID, id, add); err != nil {
			return Reply{}, err
		}
		if add {
			return Reply{Text: r.T(fmt.Sprintf("<@%s> is now a manager.", id), fmt.Sprintf("<@%s> 现在是经理了。", id))}, nil
		}
		return Reply{Text: r.T(fmt.Sprintf("<@%s> is no longer a manager.", id), fmt.Sprintf("<@%s> 不再是经理。", id))}, nil
	}
	return fail(r.T("Try /coach managers, /coach managers add @user or /coach managers remove @user.",
		"试试 /coach managers、/coach managers add @用户 或 /coach managers remove @用户。")), nil
}
