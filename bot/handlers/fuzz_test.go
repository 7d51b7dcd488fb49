package handlers_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
)

// FuzzCommand feeds arbitrary command lines through the whole command table
// on a real database: whatever a user types, the answer is a reply, never an
// internal error, and never a panic.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{
		"/deal add Acme Corp $12,000", "/deal move acme demo", "/deal lost acme price too high",
		"/deal note \"Acme Corp\" sent <@U1|bob> &amp; co", "/deal list all <@U2>", "/coach qualifcation",
		"/deal undo", "/coach managers add <@U3>", "/deal assign #1 @U2", "/deal add 深圳科技 8万 演示",
		"/deal rename #1 Robert'); DROP TABLE deals;--", "/coach lang zh", "/deal amount 1 12.000",
	} {
		f.Add(s)
	}
	store := bottest.NewMemStore()
	app := handlers.New(handlers.Config{Store: store, Managers: []string{"UMGR"}})
	ctx := context.Background()
	app.Handle(ctx, handlers.Request{TeamID: "T1", UserID: "U1", Command: "/deal", Text: "add Acme Corp 12k"})
	f.Fuzz(func(t *testing.T, line string) {
		cmd, text, _ := strings.Cut(line, " ")
		for _, user := range []string{"U1", "UMGR"} {
			r := app.Handle(ctx, handlers.Request{TeamID: "T1", UserID: user, Command: cmd, Text: text})
			if r.Text == "" {
				t.Fatalf("%q: empty reply", line)
			}
			if strings.Contains(r.Text, "Something went wrong") {
				t.Fatalf("%q: internal error", line)
			}
			if utf8.ValidString(line) && !utf8.ValidString(r.PlainText()) {
				t.Fatalf("%q: reply is not valid UTF-8", line)
			}
			_ = r.Message()
		}
	})
}
