package handlers

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"salescoach/bot/render"
	"salescoach/coach"
)

// Command is one row of the command table, which drives parsing, routing,
// permission checks and the generated help: the words of coach's table
// (coach.Commands) and the code that runs them.
type Command struct {
	coach.CommandWords
	Run commandFunc
}

// commandFunc is the code of a command: args is what follows its name.
type commandFunc = func(ctx context.Context, r *Request, args string) (render.Reply, error)

// Commands returns the command table.
func (a *App) Commands() []Command { return a.commands }

// table binds each row of coach's command table to its handler, by the row's
// "root name".
func (a *App) table() []Command {
	return bind(coach.Commands(), map[string]commandFunc{
		"deal add":       a.dealAdd,
		"deal list":      a.dealList,
		"deal show":      a.dealShow,
		"deal move":      a.dealMove,
		"deal next":      a.dealNext,
		"deal won":       a.dealWon,
		"deal lost":      a.dealLost,
		"deal reopen":    a.dealReopen,
		"deal note":      a.dealNote,
		"deal pause":     a.dealPause,
		"deal due":       a.dealDue,
		"deal check":     a.dealCheck,
		"deal assign":    a.dealAssign,
		"deal amount":    a.dealAmount,
		"deal rename":    a.dealRename,
		"deal undo":      a.dealUndo,
		"deal archive":   a.dealArchive,
		"deal restore":   a.dealRestore,
		"deal blueprint": a.dealBlueprint,
		"deal export":    a.dealExport,
		"deal help":      a.help("deal"),

		"coach":          a.coachDefault,
		"coach stats":    a.coachStats,
		"coach forecast": a.coachForecast,
		"coach lang":     a.coachLang,
		"coach currency": a.coachCurrency,
		"coach digest":   a.coachDigest,
		"coach managers": a.coachManagers,
		"coach flow":     a.coachFlow,
		"coach trend":    a.coachTrend,
		"coach help":     a.help("coach"),
	})
}

// bind pairs each row of words with its handler in runs, in the table's
// order. It panics when a row has no handler or a handler names no row, so
// coach's table stays the one list of commands.
func bind(words []coach.CommandWords, runs map[string]commandFunc) []Command {
	cmds := make([]Command, 0, len(words))
	bound := map[string]bool{}
	for _, w := range words {
		ref := w.Ref()
		r := runs[ref]
		if r == nil {
			panic(fmt.Sprintf("handlers: /%s is in coach's command table but has no handler", ref))
		}
		bound[ref] = true
		cmds = append(cmds, Command{CommandWords: w, Run: r})
	}
	var extra []string
	for ref := range runs {
		if !bound[ref] {
			extra = append(extra, "/"+ref)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		panic(fmt.Sprintf("handlers: %s has a handler but no row in coach's command table", strings.Join(extra, ", ")))
	}
	return cmds
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
