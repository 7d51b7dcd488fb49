package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"salescoach/bot/render"
	"salescoach/coach"
)

// TestBindHoldsTheTable: a row of coach's table without a handler, or a
// handler without a row, stops New with a message naming the command.
func TestBindHoldsTheTable(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, *Request, string) (render.Reply, error) { return render.Reply{}, nil }
	words := []coach.CommandWords{{Root: "deal", Name: "add"}, {Root: "coach"}}
	panics := func(runs map[string]commandFunc) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		bind(words, runs)
		return ""
	}
	if msg := panics(map[string]commandFunc{"deal add": noop, "coach": noop}); msg != "" {
		t.Errorf("a complete binding panics: %s", msg)
	}
	if msg := panics(map[string]commandFunc{"deal add": noop}); !strings.Contains(msg, "/coach is in coach's command table but has no handler") {
		t.Errorf("a row without a handler: panic %q", msg)
	}
	if msg := panics(map[string]commandFunc{"deal add": noop, "coach": noop, "deal gone": noop}); !strings.Contains(msg, "/deal gone has a handler but no row") {
		t.Errorf("a handler without a row: panic %q", msg)
	}
	cmds := bind(words, map[string]commandFunc{"deal add": noop, "coach": noop})
	if len(cmds) != 2 || cmds[0].Ref() != "deal add" || cmds[1].Ref() != "coach" {
		t.Errorf("bind kept not the table's order: %+v", cmds)
	}
}

// TestTableIsCoachsTable: the App's table is coach's, row for row.
func TestTableIsCoachsTable(t *testing.T) {
	t.Parallel()
	a := New(Config{})
	words := coach.Commands()
	if len(a.Commands()) != len(words) {
		t.Fatalf("%d commands, coach's table has %d", len(a.Commands()), len(words))
	}
	for i, c := range a.Commands() {
		if fmt.Sprint(c.CommandWords) != fmt.Sprint(words[i]) || c.Run == nil {
			t.Errorf("row %d: %+v, coach has %+v", i, c.CommandWords, words[i])
		}
	}
}
