package handlers

import (
	"context"
	"strconv"
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
			return render.Fail(r.Msg("coach.no_match", coach.Args{"typed": coach.Both(strconv.Quote(args), args), "why": render.ErrorMessage(serr, r.Lang())})), nil
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
	whose := r.Msg("coach.whose.yours", nil)
	if rep != r.UserID {
		whose = r.Msg("coach.whose.rep", coach.Args{"user": rep})
	}
	if total == 0 {
		if rep != r.UserID {
			return render.Reply{Text: r.Msg("coach.rep_no_deals", coach.Args{"user": rep})}, nil
		}
		return render.Reply{Text: r.Msg("coach.no_deals", nil)}, nil
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
	// How many of them are stale (§9) too: the count /coach stats and the
	// digest list under "Needs attention", so that the two numbers meet.
	stale := 0
	for i, d := range deals {
		if advice[i].Stale && !d.Paused(r.Now) {
			stale++
		}
	}
	reply := render.Reply{Text: r.Msg("coach.attention", coach.Args{"need": need, "whose": whose, "total": total, "stale": stale})}
	if need == 0 {
		reply.Text = r.Msg("coach.on_track", coach.Args{"whose": whose, "total": total})
	}
	reply.Sections = render.Ranked(r.Viewer, deals, advice, list.Shown)
	left := list.LeftAttention + list.LeftOther + total - len(deals)
	switch {
	case list.LeftAttention > 0:
		reply.Note = r.Msg("coach.not_shown", coach.Args{"more": list.LeftAttention, "other": left - list.LeftAttention})
	case left > 0:
		reply.Note = r.Msg("coach.not_shown.on_track", coach.Args{"other": left})
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
	reply := render.Reply{Text: r.Msg("coach.playbook", coach.Args{"stage": s.Name(lang), "phase": fa.Name(lang), "state": fa.BuyerState(lang)})}
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
		lines = append(lines, render.L(r.Msg("coach_cmds.your_team", nil), r.Msg("coach.team_numbers", coach.Args{"visits": th.Visits, "stage": s.Name(lang), "window": coach.StatsWindowDays,
			"median": days(th.Median), "p75": days(th.P75), "p90": days(th.P90)})))
	default:
		lines = append(lines, render.L(r.Msg("coach_cmds.your_team", nil), r.Msg("coach.team_numbers.few", coach.Args{"visits": th.Visits, "stage": s.Name(lang), "window": coach.StatsWindowDays,
			"p75": days(th.P75), "p90": days(th.P90)})))
	}
	if rc, text, ok := stats.HeadOff(s); ok {
		lines = append(lines, render.L(r.Msg("coach_cmds.head_it_off", nil), r.Msg("coach.head_off", coach.Args{"n": rc.N, "losses": stats.Losses, "reason": rc.Reason.Name(lang), "answer": text.In(lang)})))
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
	if strings.TrimSpace(args) == "" {
		return render.Reply{Text: r.Msg("coach.currency_now", coach.Args{"currency": r.Caller.Currency})}, nil
	}
	cur, err := coach.ParseCurrency(strings.TrimSpace(args))
	if err != nil {
		return render.Reply{}, err
	}
	if err := a.store.SetCurrency(ctx, r.TeamID, cur); err != nil {
		return render.Reply{}, err
	}
	return render.Reply{Text: r.Msg("coach.currency_set", coach.Args{"currency": cur})}, nil
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
			return render.Fail(r.Msg("managers.configured", coach.Args{"user": id})), nil
		}
		if !add {
			m, err := a.store.Member(ctx, r.TeamID, id)
			if err != nil {
				return render.Reply{}, err
			}
			if m.SlackAdmin {
				return render.Fail(r.Msg("managers.admin", coach.Args{"user": id})), nil
			}
		}
		if err := a.store.SetManager(ctx, r.TeamID, id, add); err != nil {
			return render.Reply{}, err
		}
		if add {
			return render.Reply{Text: r.Msg("managers.added", coach.Args{"user": id})}, nil
		}
		return render.Reply{Text: r.Msg("managers.removed", coach.Args{"user": id})}, nil
	}
	return render.Fail(r.Msg("coach_cmds.try_coach_managers_coach", nil)), nil
}
