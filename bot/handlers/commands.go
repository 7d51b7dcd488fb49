package handlers

import (
	"context"
	"strings"

	"salescoach/bot/render"
	"salescoach/coach"
)

// Command is one row of the command table, which drives parsing, routing,
// permission checks and the generated help.
type Command struct {
	Root    string   // "deal" or "coach"
	Name    string   // the subcommand; "" for the bare command
	Aliases []string // other words for Name
	Args    string   // the arguments, as help shows them
	Help    [2]string
	Manager bool // managers only
	Run     func(ctx context.Context, r *Request, args string) (render.Reply, error)
}

// Usage returns how the command is typed, e.g. "/deal move <deal> <stage>".
func (c Command) Usage() string {
	return strings.TrimSpace(strings.Join([]string{"/" + c.Root, c.Name, c.Args}, " "))
}

// Commands returns the command table.
func (a *App) Commands() []Command { return a.commands }

func (a *App) table() []Command {
	return []Command{
		{Root: "deal", Name: "add", Aliases: []string{"new", "create"}, Args: "<name> [amount] [stage]", Run: a.dealAdd,
			Help: [2]string{"create a deal, in prospecting unless you name a stage", "新建一笔商机，默认处于潜在客户开发阶段"}},
		{Root: "deal", Name: "list", Aliases: []string{"ls"}, Args: "[open|won|lost|all] [@rep|team]", Run: a.dealList,
			Help: [2]string{"your deals, open ones longest in their stage first (managers: a rep's or the team's); /coach ranks them by urgency", "列出您的商机，进行中的按在当前阶段停留时间从长到短（经理可查看某位销售或整个团队）；/coach 按紧急程度排序"}},
		{Root: "deal", Name: "show", Aliases: []string{"view", "info"}, Args: "<deal>", Run: a.dealShow,
			Help: [2]string{"details, stage history with time in each stage, notes, coaching", "商机详情、各阶段停留时间、备注和辅导建议"}},
		{Root: "deal", Name: "move", Aliases: []string{"mv", "stage"}, Args: "<deal> <stage>", Run: a.dealMove,
			Help: [2]string{"move to any stage: forward, back or skipping ahead", "移到任意阶段：前进、后退或跳过"}},
		{Root: "deal", Name: "next", Aliases: []string{"advance"}, Args: "<deal>", Run: a.dealNext,
			Help: [2]string{"advance one stage", "推进到下一个阶段"}},
		{Root: "deal", Name: "won", Aliases: []string{"win"}, Args: "<deal>", Run: a.dealWon,
			Help: [2]string{"close as won", "标记为赢单"}},
		{Root: "deal", Name: "lost", Aliases: []string{"lose"}, Args: "<deal> [reason] [details]", Run: a.dealLost,
			Help: [2]string{"close as lost: price, timing, authority, need, trust, no-decision, competitor or other", "标记为丢单：价格、时机、决策权、需求、信任、迟迟不决、竞争对手或其他"}},
		{Root: "deal", Name: "reopen", Args: "<deal>", Run: a.dealReopen,
			Help: [2]string{"reopen a won or lost deal in its last open stage", "重新打开已赢单或丢单的商机，回到最后的进行中阶段"}},
		{Root: "deal", Name: "note", Aliases: []string{"log"}, Args: "<deal> <text>", Run: a.dealNote,
			Help: [2]string{"log an activity (it counts as activity for staleness); objection:price (timing, authority, need, trust, indecision, competitor) records the objection", "记录一次跟进活动（会重置停滞计时）；写上 objection:price（或 timing、authority、need、trust、indecision、competitor）可记录异议类型"}},
		{Root: "deal", Name: "pause", Aliases: []string{"snooze", "mute"}, Args: "<deal> <until>|off [reason]", Run: a.dealPause,
			Help: [2]string{"mute nudges and staleness for a deal until a date (2w, friday, 2026-04-01); off lifts it", "在指定日期前暂停某笔商机的提醒和停滞标记（如 2w、周五、2026-04-01）；off 取消暂停"}},
		{Root: "deal", Name: "due", Aliases: []string{"close-date", "closedate", "预计成交"}, Args: "<deal> <date>|off", Run: a.dealDue,
			Help: [2]string{"the expected close date (2026-12-20, 3w, friday); a later date than before counts as a slip; off clears it",
				"预计成交日期（如 2026-12-20、3w、周五）；比原来晚算一次推迟；off 清除"}},
		{Root: "deal", Name: "check", Aliases: []string{"confirm", "tick"}, Args: "<deal> [criterion | objection <type>]", Run: a.dealCheck,
			Help: [2]string{"confirm one of the stage's exit criteria, e.g. budget, or record an objection, e.g. objection price; without one, show the checklist", "确认当前阶段的一条出阶段标准（如 budget），或记录异议（如 objection price）；不写则显示清单"}},
		{Root: "deal", Name: "assign", Args: "<deal> @rep", Manager: true, Run: a.dealAssign,
			Help: [2]string{"give the deal to another rep (managers)", "把商机转给另一位销售（经理）"}},
		{Root: "deal", Name: "amount", Aliases: []string{"value"}, Args: "<deal> <amount>", Run: a.dealAmount,
			Help: [2]string{"change the amount, e.g. 12k, $12,000, 8万, 5000 EUR", "修改金额，例如 12k、$12,000、8万、5000 EUR"}},
		{Root: "deal", Name: "rename", Args: "<deal> <name>", Run: a.dealRename,
			Help: [2]string{"change the name", "修改商机名称"}},
		{Root: "deal", Name: "undo", Run: a.dealUndo,
			Help: [2]string{"undo your most recent change (within 24 hours)", "撤销您最近的一次改动（24 小时内）"}},
		{Root: "deal", Name: "archive", Args: "<deal>", Run: a.dealArchive,
			Help: [2]string{"hide a deal made by mistake from lists and metrics", "隐藏误建的商机（不再出现在列表和统计中）"}},
		{Root: "deal", Name: "restore", Args: "<deal>", Run: a.dealRestore,
			Help: [2]string{"bring back an archived deal", "恢复已归档的商机"}},
		{Root: "deal", Name: "blueprint", Aliases: []string{"bp", "蓝图"}, Args: "<deal>", Run: a.dealBlueprint,
			Help: [2]string{"the deal's service blueprint as a picture, sent to your direct messages", "把这笔商机的服务蓝图以图片发到您的私信"}},
		{Root: "deal", Name: "export", Run: a.dealExport,
			Help: [2]string{"your deals as a CSV in your direct messages (managers: the team's)", "把您的商机导出为 CSV 发到私信（经理：整个团队的）"}},
		{Root: "deal", Name: "help", Run: a.help("deal"),
			Help: [2]string{"this help", "显示本帮助"}},

		{Root: "coach", Name: "", Args: "[deal|stage|@rep]", Run: a.coachDefault,
			Help: [2]string{"your deals that most need attention, by urgency and value; with a deal: its next step and why; with a stage: its playbook; with @rep (managers): that rep's list", "最需要关注的商机（按紧急程度和金额排序）；加商机名：下一步和原因；加阶段名：该阶段的打法；加 @销售（经理）：该销售的清单"}},
		{Root: "coach", Name: "stats", Aliases: []string{"stat", "metrics", "统计"}, Args: "[@rep|team] [weeks N]", Run: a.coachStats,
			Help: [2]string{"the sales cycle in numbers: time in each stage, conversion, win rate, deals that need attention (last 13 weeks unless you say)",
				"用数字看销售周期：各阶段停留时间、推进率、赢率和需要关注的商机（默认最近 13 周）"}},
		{Root: "coach", Name: "forecast", Aliases: []string{"预测"}, Args: "[days N]", Run: a.coachForecast,
			Help: [2]string{"the chance each open deal is won in the next 30 days (or N, up to a year), learned from the team's history; managers also get the team's expected wins and amount and how accurate it has been",
				"根据团队历史，预测每笔进行中商机在未来 30 天（或 N 天，最多一年）内赢单的概率；经理还能看到团队预计赢单数、金额及以往的准确度"}},
		{Root: "coach", Name: "lang", Aliases: []string{"language", "语言"}, Args: "en|zh", Run: a.coachLang,
			Help: [2]string{"reply in English or Chinese", "选择英文或中文回复"}},
		{Root: "coach", Name: "currency", Args: "<ISO code>", Manager: true, Run: a.coachCurrency,
			Help: [2]string{"the team's reporting currency (managers)", "设置团队的报告币种（经理）"}},
		{Root: "coach", Name: "digest", Args: "[here [weekday] [HH:MM] [zone] | off | preview | names on|off]", Manager: true, Run: a.coachDigest,
			Help: [2]string{"the weekly team digest in this channel (managers): post it here, stop it, preview it, show or hide deal names", "本频道的每周团队摘要（经理）：订阅、停止、预览，显示或隐藏商机名称"}},
		{Root: "coach", Name: "managers", Args: "[add|remove @user]", Run: a.coachManagers,
			Help: [2]string{"list managers; a manager may add or remove one", "查看经理名单；经理可以添加或移除经理"}},
		{Root: "coach", Name: "flow", Aliases: []string{"flowchart", "流程图"}, Args: "[weeks N]", Run: a.coachFlow,
			Help: [2]string{"the team's process flowchart (13 weeks unless you say), sent to your direct messages", "团队销售流程图（默认最近 13 周），发到您的私信"}},
		{Root: "coach", Name: "trend", Aliases: []string{"趋势"}, Args: "[weeks N]", Run: a.coachTrend,
			Help: [2]string{"the won sales cycle week by week (12 weeks unless you say), sent to your direct messages", "赢单销售周期的周趋势图（默认最近 12 周），发到您的私信"}},
		{Root: "coach", Name: "help", Run: a.help("coach"),
			Help: [2]string{"this help", "显示本帮助"}},
	}
}

// find returns the command of root named word, or nil.
func (a *App) find(root, word string) *Command {
	word = strings.ToLower(word)
	for i := range a.commands {
		c := &a.commands[i]
		if c.Root != root || c.Name == "" {
			continue
		}
		if c.Name == word {
			return c
		}
		for _, al := range c.Aliases {
			if al == word {
				return c
			}
		}
	}
	return nil
}

// bare returns the command run when root is typed with no known subcommand.
func (a *App) bare(root string) *Command {
	for i := range a.commands {
		if a.commands[i].Root == root && a.commands[i].Name == "" {
			return &a.commands[i]
		}
	}
	return nil
}

// dispatch routes a request through the table: the first word picks the
// subcommand; /coach falls back to its bare command (deal or stage).
func (a *App) dispatch(ctx context.Context, r *Request) (render.Reply, error) {
	root := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(r.Command)), "/")
	text := strings.TrimSpace(r.Text)
	word, args, _ := strings.Cut(text, " ")
	args = strings.TrimSpace(args)
	cmd := a.find(root, word)
	if cmd == nil {
		cmd, args = a.bare(root), text
		if cmd == nil || (root == "deal") {
			return a.unknown(r, root, word), nil
		}
	}
	if cmd.Manager && !r.Caller.Manager {
		return render.Reply{}, coach.ErrManagerOnly
	}
	return cmd.Run(ctx, r, args)
}

func (a *App) unknown(r *Request, root, word string) render.Reply {
	if root != "deal" && root != "coach" {
		return render.Fail(r.Msg("commands.unknown_root", coach.Args{"typed": "/" + root}))
	}
	if word == "" {
		return a.helpReply(r, root)
	}
	var names []string
	for _, c := range a.commands {
		if c.Root == root && c.Name != "" {
			names = append(names, c.Name)
		}
	}
	if s := coach.SuggestClosest(strings.ToLower(word), names); s != "" {
		return render.Fail(r.Msg("commands.unknown.did_you_mean", coach.Args{"typed": "/" + root + " " + word, "suggestion": coach.Command(root + " " + s), "help": coach.Command(root + " help")}))
	}
	return render.Fail(r.Msg("commands.unknown", coach.Args{"typed": "/" + root + " " + word, "help": coach.Command(root + " help")}))
}

func (a *App) help(root string) func(context.Context, *Request, string) (render.Reply, error) {
	return func(_ context.Context, r *Request, _ string) (render.Reply, error) { return a.helpReply(r, root), nil }
}

// helpReply is generated from the table, so it cannot drift from the commands.
func (a *App) helpReply(r *Request, root string) render.Reply {
	var lines []render.Line
	for _, c := range a.commands {
		if c.Root != root {
			continue
		}
		help := r.T(c.Help[0], c.Help[1])
		lines = append(lines, render.L(c.Usage(), help))
	}
	title := r.Msg("commands.track_your_deals_with", nil)
	if root == "coach" {
		title = r.Msg("commands.get_coaching_with_coach", nil)
	}
	note := r.Msg("commands.help_note", nil)
	return render.Reply{Text: title, Sections: []render.Section{{Lines: lines}}, Note: note}
}
