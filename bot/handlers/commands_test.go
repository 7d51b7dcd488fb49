package handlers_test

import (
	"context"
	"strings"
	"testing"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/render"
	"salescoach/coach"
)

// TestCommandTable checks every row of the table can run and is documented,
// and that the help lists every row in both languages.
func TestCommandTable(t *testing.T) {
	t.Parallel()
	app := handlers.New(handlers.Config{Store: bottest.NewMemStore()})
	seen := map[string]bool{}
	for _, c := range app.Commands() {
		key := c.Root + " " + c.Name
		if seen[key] {
			t.Errorf("%s: listed twice", key)
		}
		seen[key] = true
		if c.Run == nil {
			t.Errorf("/%s: no handler", key)
		}
		if render.Msg(coach.EN, c.HelpKey(), nil) == c.HelpKey() || render.Msg(coach.ZH, c.HelpKey(), nil) == c.HelpKey() {
			t.Errorf("/%s: the catalog has no %s in English or Chinese", key, c.HelpKey())
		}
		for _, a := range c.Aliases {
			if seen[c.Root+" "+a] {
				t.Errorf("/%s: alias %q clashes", key, a)
			}
		}
	}
	for _, root := range []string{"deal", "coach"} {
		help := app.Handle(context.Background(), handlers.Request{TeamID: "T1", UserID: "U1", Command: "/" + root, Text: "help"}).PlainText()
		for _, c := range app.Commands() {
			if c.Root == root && !strings.Contains(help, c.Usage()) {
				t.Errorf("/%s help lacks %q", root, c.Usage())
			}
		}
	}
}

func TestConsole(t *testing.T) {
	t.Parallel()
	app := handlers.New(handlers.Config{Store: bottest.NewMemStore()})
	in := strings.NewReader("/deal add Acme 12k\n\n# a comment\n/deal list\nhello\n/deal bogus\n")
	var out strings.Builder
	if err := app.Console(context.Background(), in, &out, "T1", "U1", ""); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"Added #1 Acme — $12,000 (USD) · Prospecting.", "Your open deals (1):", "#1 Acme · $12,000 · Prospecting", "Type a command as in Slack", "Unknown command /deal bogus"} {
		if !strings.Contains(got, want) {
			t.Errorf("console output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "*") || strings.Contains(got, "&amp;") {
		t.Errorf("console output carries Slack markup:\n%s", got)
	}
}

func TestChineseReplies(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.slack.Command("T1", "U1", "/coach", "lang zh")
	r := f.slack.Command("T1", "U1", "/deal", "add 深圳科技 8万 演示")
	for _, want := range []string{"已新建 #1 深圳科技", "方案演示", "下一步"} {
		if !strings.Contains(r.AllText(), want) {
			t.Errorf("reply lacks %q:\n%s", want, r.AllText())
		}
	}
	if r := f.slack.Command("T1", "U1", "/deal", "move 深圳 qualifcation"); !strings.Contains(r.Text, "您是想输入") {
		t.Errorf("error not in Chinese: %q", r.Text)
	}
	f.slack.Command("T1", "U1", "/coach", "lang en")
	if r := f.slack.Command("T1", "U1", "/deal", "list"); !strings.Contains(r.Text, "Your open deals") {
		t.Errorf("after /coach lang en: %q", r.Text)
	}
}
