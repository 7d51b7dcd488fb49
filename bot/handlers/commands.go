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
	Manager bool     // managers only
	Run     func(ctx context.Context, r *Request, args string) (render.Reply, error)
}

// HelpKey returns the key of the command's line of help in the message
// catalog: help.deal.add, help.coach for the bare /coach.
func (c Command) HelpKey() string {
	if c.Name == "" {
		return "help." + c.Root
	}
	return "help." + c.Root + "." + c.Name
}

// Usage returns how the command is typed, e.g. "/deal move <deal> <stage>".
func (c Command) Usage() string {
	return strings.TrimSpace(strings.Join([]string{"/" + c.Root, c.Name, c.Args}, " "))
}

// Commands returns the command table.
func (a *App) Commands() []Command { return a.commands }

func (a *App) table() []Command {
	return []Command{
		{Root: "deal", Name: "add", Aliases: []string{"new", "create"}, Args: "<name> [amount] [stage]", Run: a.dealAdd},
		{Root: "deal", Name: "list", Aliases: []string{"ls"}, Args: "[open|won|lost|all] [@rep|team]", Run: a.dealList},
		{Root: "deal", Name: "show", Aliases: []string{"view", "info"}, Args: "<deal>", Run: a.dealShow},
		{Root: "deal", Name: "move", Aliases: []string{"mv", "stage"}, Args: "<deal> <stage>", Run: a.dealMove},
		{Root: "deal", Name: "next", Aliases: []string{"advance"}, Args: "<deal>", Run: a.dealNext},
		{Root: "deal", Name: "won", Aliases: []string{"win"}, Args: "<deal>", Run: a.dealWon},
		{Root: "deal", Name: "lost", Aliases: []string{"lose"}, Args: "<deal> [reason] [details]", Run: a.dealLost},
		{Root: "deal", Name: "reopen", Args: "<deal>", Run: a.dealReopen},
		{Root: "deal", Name: "note", Aliases: []string{"log"}, Args: "<deal> <text>", Run: a.dealNote},
		{Root: "deal", Name: "pause", Aliases: []string{"snooze", "mute"}, Args: "<deal> <until>|off [reason]", Run: a.dealPause},
		{Root: "deal", Name: "due", Aliases: []string{"close-date", "closedate", "预计成交"}, Args: "<deal> <date>|off", Run: a.dealDue},
		{Root: "deal", Name: "check", Aliases: []string{"confirm", "tick"}, Args: "<deal> [criterion | objection <type>]", Run: a.dealCheck},
		{Root: "deal", Name: "assign", Args: "<deal> @rep", Manager: true, Run: a.dealAssign},
		{Root: "deal", Name: "amount", Aliases: []string{"value"}, Args: "<deal> <amount>", Run: a.dealAmount},
		{Root: "deal", Name: "rename", Args: "<deal> <name>", Run: a.dealRename},
		{Root: "deal", Name: "undo", Run: a.dealUndo},
		{Root: "deal", Name: "archive", Args: "<deal>", Run: a.dealArchive},
		{Root: "deal", Name: "restore", Args: "<deal>", Run: a.dealRestore},
		{Root: "deal", Name: "blueprint", Aliases: []string{"bp", "蓝图"}, Args: "<deal>", Run: a.dealBlueprint},
		{Root: "deal", Name: "export", Run: a.dealExport},
		{Root: "deal", Name: "help", Run: a.help("deal")},

		{Root: "coach", Name: "", Args: "[deal|stage|@rep]", Run: a.coachDefault},
		{Root: "coach", Name: "stats", Aliases: []string{"stat", "metrics", "统计"}, Args: "[@rep|team] [weeks N]", Run: a.coachStats},
		{Root: "coach", Name: "forecast", Aliases: []string{"预测"}, Args: "[days N]", Run: a.coachForecast},
		{Root: "coach", Name: "lang", Aliases: []string{"language", "语言"}, Args: "en|zh", Run: a.coachLang},
		{Root: "coach", Name: "currency", Args: "<ISO code>", Manager: true, Run: a.coachCurrency},
		{Root: "coach", Name: "digest", Args: "[here [weekday] [HH:MM] [zone] | off | preview | names on|off]", Manager: true, Run: a.coachDigest},
		{Root: "coach", Name: "managers", Args: "[add|remove @user]", Run: a.coachManagers},
		{Root: "coach", Name: "flow", Aliases: []string{"flowchart", "流程图"}, Args: "[weeks N]", Run: a.coachFlow},
		{Root: "coach", Name: "trend", Aliases: []string{"趋势"}, Args: "[weeks N]", Run: a.coachTrend},
		{Root: "coach", Name: "help", Run: a.help("coach")},
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
		lines = append(lines, render.L(c.Usage(), r.Msg(c.HelpKey(), nil)))
	}
	title := r.Msg("commands.track_your_deals_with", nil)
	if root == "coach" {
		title = r.Msg("commands.get_coaching_with_coach", nil)
	}
	note := r.Msg("commands.help_note", nil)
	return render.Reply{Text: title, Sections: []render.Section{{Lines: lines}}, Note: note}
}
