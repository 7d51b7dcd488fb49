package coach

import (
	"slices"
	"strings"
)

// CommandWords is one row of the command table without the code that runs
// it: the words a command is typed with and shown by. The table is the
// vocabulary of the slash commands, as the stages and their aliases are of
// the process; bot/handlers binds each row to its handler, and the help, the
// routing, the catalog's {cmd:…} and the coaching advice all read it from
// here.
type CommandWords struct {
	Root    string   // "deal" or "coach"
	Name    string   // the subcommand; "" for the bare command
	Aliases []string // other words for Name
	Args    string   // the arguments, as help shows them
	Manager bool     // managers only
}

// Ref returns how code names the row: "deal add", or "coach" for the bare
// /coach.
func (c CommandWords) Ref() string { return strings.TrimSpace(c.Root + " " + c.Name) }

// Typed returns the command as a user types it, without arguments:
// "/deal add", "/coach".
func (c CommandWords) Typed() string { return "/" + c.Ref() }

// HelpKey returns the key of the command's line of help in the message
// catalog: help.deal.add, help.coach for the bare /coach.
func (c CommandWords) HelpKey() string {
	if c.Name == "" {
		return "help." + c.Root
	}
	return "help." + c.Root + "." + c.Name
}

// Usage returns how the command is typed, e.g. "/deal move <deal> <stage>".
func (c CommandWords) Usage() string {
	return strings.Join(strings.Fields("/"+c.Root+" "+c.Name+" "+c.Args), " ")
}

// commandTable is every command, in the order the help lists them.
var commandTable = []CommandWords{
	{Root: "deal", Name: "add", Aliases: []string{"new", "create"}, Args: "<name> [amount] [stage]"},
	{Root: "deal", Name: "list", Aliases: []string{"ls"}, Args: "[open|won|lost|all|stale|paused|<stage>] [@rep|team] [page N]"},
	{Root: "deal", Name: "show", Aliases: []string{"view", "info"}, Args: "<deal>"},
	{Root: "deal", Name: "move", Aliases: []string{"mv", "stage"}, Args: "<deal> <stage>"},
	{Root: "deal", Name: "next", Aliases: []string{"advance"}, Args: "<deal>"},
	{Root: "deal", Name: "won", Aliases: []string{"win"}, Args: "<deal>"},
	{Root: "deal", Name: "lost", Aliases: []string{"lose"}, Args: "<deal> [reason] [details]"},
	{Root: "deal", Name: "reopen", Args: "<deal>"},
	{Root: "deal", Name: "note", Aliases: []string{"log"}, Args: "<deal> <text>"},
	{Root: "deal", Name: "pause", Aliases: []string{"snooze", "mute"}, Args: "<deal> <until>|off [reason]"},
	{Root: "deal", Name: "due", Aliases: []string{"close-date", "closedate", "预计成交"}, Args: "<deal> <date>|off"},
	{Root: "deal", Name: "check", Aliases: []string{"confirm", "tick"}, Args: "<deal> [criterion | objection <type>]"},
	{Root: "deal", Name: "assign", Args: "<deal> @rep", Manager: true},
	{Root: "deal", Name: "amount", Aliases: []string{"value"}, Args: "<deal> <amount>"},
	{Root: "deal", Name: "rename", Args: "<deal> <name>"},
	{Root: "deal", Name: "undo"},
	{Root: "deal", Name: "archive", Args: "<deal>"},
	{Root: "deal", Name: "restore", Args: "<deal>"},
	{Root: "deal", Name: "blueprint", Aliases: []string{"bp", "蓝图"}, Args: "<deal>"},
	{Root: "deal", Name: "export"},
	{Root: "deal", Name: "help"},

	{Root: "coach", Name: "", Args: "[deal|stage|@rep]"},
	{Root: "coach", Name: "stats", Aliases: []string{"stat", "metrics", "统计"}, Args: "[@rep|team] [weeks N]"},
	{Root: "coach", Name: "forecast", Aliases: []string{"预测"}, Args: "[days N]"},
	{Root: "coach", Name: "lang", Aliases: []string{"language", "语言"}, Args: "en|zh"},
	{Root: "coach", Name: "currency", Args: "<ISO code>", Manager: true},
	{Root: "coach", Name: "digest", Args: "[here [weekday] [HH:MM] [zone] | off | preview | names on|off]", Manager: true},
	{Root: "coach", Name: "managers", Args: "[add|remove @user]"},
	{Root: "coach", Name: "flow", Aliases: []string{"flowchart", "流程图"}, Args: "[weeks N]"},
	{Root: "coach", Name: "trend", Aliases: []string{"趋势"}, Args: "[weeks N]"},
	{Root: "coach", Name: "help"},
}

// Commands returns the command table, in the order the help lists it. The
// slice is the caller's own.
func Commands() []CommandWords {
	out := slices.Clone(commandTable)
	for i := range out {
		out[i].Aliases = slices.Clone(out[i].Aliases)
	}
	return out
}

// commandTyped maps what code may name a command by to how it is typed: each
// row's "root name" and "root alias", and each root alone ("deal" is the
// slash command /deal). A name wins over another row's alias.
var commandTyped = indexCommands(commandTable)

func indexCommands(table []CommandWords) map[string]string {
	m := map[string]string{}
	for _, c := range table {
		m[c.Root] = "/" + c.Root
	}
	for _, c := range table {
		m[c.Ref()] = c.Typed()
	}
	for _, c := range table {
		for _, al := range c.Aliases {
			if ref := c.Root + " " + al; m[ref] == "" {
				m[ref] = c.Typed()
			}
		}
	}
	return m
}

// ResolveCommand returns how the command ref names is typed: "deal won" and
// its alias "deal win" both give "/deal won", "coach" gives "/coach". ok is
// false when ref names no row of the table.
func ResolveCommand(ref string) (typed string, ok bool) {
	typed, ok = commandTyped[ref]
	return typed, ok
}

// CommandText returns how the command ref ("deal won") is typed, by the
// table, so that a renamed command that keeps its old name as an alias shows
// its new name wherever it is mentioned. A ref that names no row comes back
// as "/"+ref; the tests hold every ref in use to the table.
func CommandText(ref string) string {
	if typed, ok := ResolveCommand(ref); ok {
		return typed
	}
	return "/" + ref
}
