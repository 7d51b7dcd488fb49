package handlers_test

import (
	"strings"
	"testing"

	"salescoach/bot/handlers"
	"salescoach/bot/render"
)

// TestCatalogCommandsAreInTheTable holds every command the message catalog
// names ({cmd:deal list}) to a row of the command table, so a message cannot
// tell users to type a command that does not exist; a bare root (/deal)
// names the slash command.
func TestCatalogCommandsAreInTheTable(t *testing.T) {
	t.Parallel()
	rows := map[string]bool{}
	for _, c := range handlers.New(handlers.Config{}).Commands() {
		rows[strings.TrimSpace(c.Root+" "+c.Name)] = true
		rows[c.Root] = true // the slash command itself, as in "Track your deals with /deal:"
	}
	refs := render.CatalogCommands()
	if len(refs) == 0 {
		t.Fatal("the catalog names no command")
	}
	for _, ref := range refs {
		if !rows[ref] {
			t.Errorf("the catalog names {cmd:%s}, which is not a row of the command table", ref)
		}
	}
}
