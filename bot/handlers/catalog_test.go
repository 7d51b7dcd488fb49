package handlers_test

import (
	"strings"
	"testing"

	"salescoach/bot/handlers"
	"salescoach/bot/render"
)

// TestCatalogCommandsAreInTheTable holds every command the message catalog
// names ({cmd:deal list}) to a row of the command table, so a message cannot
// tell users to type a command that does not exist.
func TestCatalogCommandsAreInTheTable(t *testing.T) {
	t.Parallel()
	rows := map[string]bool{}
	for _, c := range handlers.New(handlers.Config{}).Commands() {
		rows[strings.TrimSpace(c.Root+" "+c.Name)] = true
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
