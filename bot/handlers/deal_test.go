package handlers_test

import (
	"context"
	"strings"
	"testing"

	"salescoach/coach"
)

// TestDealLifecycle drives one deal through the commands of §3.1 and checks
// that every reply names the stage and a next step.
func TestDealLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	steps := []struct {
		text string
		want []string
	}{
		{"add Acme Corp $12,000", []string{"#1 Acme Corp", "$12,000", "Prospecting", "Next step"}},
		{"move acme demo", []string{"Prospecting to Presentation", "Skipped: Initial contact, Qualification", "Next step"}},
		{"note acme sent pricing", []string{"Noted on #1 Acme Corp", "Next step"}},
		{"next acme", []string{"Presentation to Objection handling", "Next step"}},
		{"move acme qualification", []string{"Objection handling to Qualification", "Why · Moved back", "Next step"}},
		{"won acme", []string{"Won #1 Acme Corp", "retention", "Next step"}},
		{"list all", []string{"#1 Acme Corp", "Follow-up &amp; retention"}},
		{"show acme", []string{"Stage history", "Prospecting", "Presentation", "Won", "sent pricing", "Next step"}},
		{"undo", []string{"Undone: marking it won", "Qualification", "Next step"}},
		{"lost #1 price too high", []string{"lost (price: too high)", "Next time"}},
		{"reopen acme", []string{"Reopened #1 Acme Corp in Qualification", "Next step"}},
		{"amount acme 15k", []string{"$15,000", "Next step"}},
		{"rename acme Acme Corporation", []string{"Renamed Acme Corp to #1 Acme Corporation"}},
		{"archive acme", []string{"Archived #1 Acme Corporation"}},
		{"list", []string{"none yet"}},
		{"restore #1", []string{"Restored #1 Acme Corporation", "Next step"}},
	}
	for _, s := range steps {
		reply := f.slack.Command("T1", "U1", "/deal", s.text)
		all := reply.AllText()
		for _, w := range s.want {
			if !strings.Contains(all, w) {
				t.Errorf("/deal %s: reply lacks %q:\n%s", s.text, w, all)
			}
		}
	}
	d := f.deals(t, "T1")
	if len(d) != 1 || d[0].Stage != coach.Qualification || d[0].Status != coach.StatusOpen || d[0].Amount.Cents != 1_500_000 {
		t.Fatalf("final deal = %+v", d)
	}
}

// TestBadInput checks that each mistake gets one friendly line and changes
// nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "UMANAGER")
	f.slack.Command("T1", "U1", "/deal", "add Acme Corp 12k")
	f.slack.Command("T1", "U1", "/deal", "add Acme Ltd 5k")
	f.slack.Command("T1", "U2", "/deal", "add Globex 7k")
	before := f.events(t)

	tests := []struct {
		name, user, text, want string
	}{
		{"UnknownStage", "U1", "move acme corp qualifcation", `Did you mean qualification?`},
		{"AmbiguousDeal", "U1", "won acme", "#1 Acme Corp"},
		{"MissingDeal", "U1", "won initech", "No deal"},
		{"NoDealGiven", "U1", "won", "Which deal"},
		{"BadAmount", "U1", "amount acme corp 12.000", "12.000"},
		{"NegativeAmount", "U1", "add Initech -5", ""},
		{"AnotherRepsDealByName", "U1", "won globex", "No deal"},
		{"AnotherRepsDealByNumber", "U1", "won #3", "No deal #3"},
		{"AnotherRepsList", "U1", "list <@U2>", "Only a manager"},
		{"RepAssigns", "U1", "assign acme corp <@U2>", "Only a manager"},
		{"HugeName", "U1", "add " + strings.Repeat("x", 10_000), "200"},
		{"HugeNote", "U1", "note acme corp " + strings.Repeat("y", 3001), "3,000"},
		{"UnknownCommand", "U1", "mvoe acme demo", "Did you mean /deal move?"},
		{"AlreadyInStage", "U1", "move acme corp prospecting", "already in Prospecting"},
		{"NextOnClosingIsNotWon", "U1", "reopen acme corp", "already open"},
		{"LostWithoutDeal", "U1", "lost", "Which deal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := f.slack.Command("T1", tt.user, "/deal", tt.text)
			if len(reply.Blocks) != 1 {
				t.Errorf("want one friendly line, got %d blocks: %s", len(reply.Blocks), reply.AllText())
			}
			if !strings.Contains(reply.Text, tt.want) {
				t.Errorf("reply %q lacks %q", reply.Text, tt.want)
			}
			if strings.Contains(reply.Text, "goroutine") || strings.Contains(reply.Text, "pq:") || strings.Contains(reply.Text, "Something went wrong") {
				t.Errorf("reply leaks an internal error: %q", reply.Text)
			}
			if n := f.events(t); n != before {
				t.Errorf("events: %d → %d; bad input must change nothing", before, n)
			}
		})
	}
}

func TestNextOnClosingSuggestsWon(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.slack.Command("T1", "U1", "/deal", "add Acme 12k closing")
	reply := f.slack.Command("T1", "U1", "/deal", "next acme")
	if !strings.Contains(reply.Text, "/deal won #1") {
		t.Errorf("reply %q does not suggest /deal won", reply.Text)
	}
}

// TestManagerSeesTeam checks §4: a manager sees and changes any deal of the
// team, a rep only their own, and nothing crosses teams.
func TestManagerSeesTeam(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "UMGR")
	f.slack.Command("T1", "U1", "/deal", "add Acme 12k")
	f.slack.Command("T1", "U2", "/deal", "add Globex 7k")
	f.slack.Command("T2", "U9", "/deal", "add Initech 1k")

	team := f.slack.Command("T1", "UMGR", "/deal", "list team").AllText()
	for _, want := range []string{"Acme", "Globex"} {
		if !strings.Contains(team, want) {
			t.Errorf("manager's team list lacks %s:\n%s", want, team)
		}
	}
	if strings.Contains(team, "Initech") {
		t.Errorf("manager's list shows another team's deal:\n%s", team)
	}
	if r := f.slack.Command("T1", "UMGR", "/deal", "move globex demo"); !strings.Contains(r.Text, "Moved #2 Globex") {
		t.Errorf("manager move: %q", r.Text)
	}
	if r := f.slack.Command("T1", "UMGR", "/deal", "assign globex <@U1|alice>"); !strings.Contains(r.Text, "now belongs to") {
		t.Errorf("assign: %q", r.Text)
	}
	if r := f.slack.Command("T1", "U1", "/deal", "list").AllText(); !strings.Contains(r, "Globex") {
		t.Errorf("after assign, U1 does not see Globex:\n%s", r)
	}
	if r := f.slack.Command("T1", "U2", "/deal", "show globex"); !strings.Contains(r.Text, "No deal") {
		t.Errorf("U2 still sees Globex after it was reassigned: %q", r.Text)
	}
	if r := f.slack.Command("T1", "UMGR", "/deal", "show initech"); !strings.Contains(r.Text, "No deal") {
		t.Errorf("a manager reached another team's deal: %q", r.Text)
	}
}

// TestTextRoundTrips checks Unicode, Slack-escaped and SQL-looking text are
// stored as typed and shown back escaped.
func TestTextRoundTrips(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name, sent, stored, shown string
	}{
		{"Chinese", "深圳科技 8万", "深圳科技", "深圳科技"},
		{"Emoji", "Rocket 🚀 Labs", "Rocket 🚀 Labs", "Rocket 🚀 Labs"},
		{"SlackEscaped", "Smith &amp; Sons &lt;EU&gt;", "Smith & Sons <EU>", "Smith &amp; Sons &lt;EU&gt;"},
		{"SQL", `"Robert'); DROP TABLE deals;--"`, "Robert'); DROP TABLE deals;--", "Robert'); DROP TABLE deals;--"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := "T" + tt.name
			reply := f.slack.Command(team, "U1", "/deal", "add "+tt.sent)
			deals := f.deals(t, team)
			if len(deals) != 1 || deals[0].Name != tt.stored {
				t.Fatalf("stored %+v, want name %q", deals, tt.stored)
			}
			if !strings.Contains(reply.AllText(), tt.shown) {
				t.Errorf("reply does not show %q:\n%s", tt.shown, reply.AllText())
			}
			_ = i
		})
	}
	// A mention in a note stays a mention.
	f.slack.Command("TN", "U1", "/deal", "add Acme")
	f.slack.Command("TN", "U1", "/deal", "note acme intro from <@U7|bob> &amp; team")
	_, log, err := f.store.Deal(context.Background(), coach.Caller{TeamID: "TN", UserID: "U1"}, f.deals(t, "TN")[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := log[len(log)-1].Text; got != "intro from <@U7|bob> & team" {
		t.Errorf("note stored as %q", got)
	}
	show := f.slack.Command("TN", "U1", "/deal", "show acme").AllText()
	if !strings.Contains(show, "intro from <@U7|bob> &amp; team") {
		t.Errorf("note shown as:\n%s", show)
	}
}

func TestUndoWalksBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.slack.Command("T1", "U1", "/deal", "add Acme")
	f.slack.Command("T1", "U1", "/deal", "move acme qualification")
	f.slack.Command("T1", "U1", "/deal", "move acme demo")
	f.slack.Command("T1", "U1", "/deal", "undo")
	if d := f.deals(t, "T1")[0]; d.Stage != coach.Qualification {
		t.Fatalf("after one undo: %s", d.Stage)
	}
	f.slack.Command("T1", "U1", "/deal", "undo")
	if d := f.deals(t, "T1")[0]; d.Stage != coach.Prospecting {
		t.Fatalf("after two undos: %s", d.Stage)
	}
	// Another rep's undo never touches my deal.
	if r := f.slack.Command("T1", "U2", "/deal", "undo"); !strings.Contains(r.Text, "Nothing to undo") {
		t.Errorf("U2 undo: %q", r.Text)
	}
	// The creation: the deal is archived, and the reply says how to restore it.
	if r := f.slack.Command("T1", "U1", "/deal", "undo"); !strings.Contains(r.Text, "archived") || !strings.Contains(r.Text, "/deal restore #1") {
		t.Errorf("undoing the creation answered %q", r.Text)
	}
	if n := len(f.deals(t, "T1")); n != 0 {
		t.Errorf("undoing the creation should hide the deal; %d listed", n)
	}
	// History is kept: nothing was deleted.
	if n := f.events(t); n != 6 {
		t.Errorf("events = %d, want 3 changes + 3 reverts", n)
	}
}

// TestUndoAddThenRestore: undoing the add of a deal hides it, as /deal
// archive does, and /deal restore brings it back whole — its amount, its
// stage and the stay there — in memory and on PostgreSQL alike; its changes
// after the add stay undone.
func TestUndoAddThenRestore(t *testing.T) {
	t.Parallel()
	for name, newF := range map[string]func(*testing.T, ...string) *fixture{"memory": newFixture, "database": newDBFixture} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newF(t)
			cmd := f.dealCmd
			cmd("add Omega 2k")
			cmd("move omega demo")
			cmd("undo")
			if got := cmd("undo"); !strings.Contains(got, "restore") {
				t.Fatalf("undoing the add answered %q, want it to say how to restore it", got)
			}
			// Nothing more of U1's to undo: the archive was the undo's own.
			if got := cmd("undo"); !strings.Contains(got, "Nothing to undo") {
				t.Errorf("a third undo answered %q, want nothing left to undo", got)
			}
			if deals := f.deals(t, f.team); len(deals) != 0 {
				t.Errorf("after undoing the add /deal list has %+v", deals)
			}
			cmd("restore omega")
			deals := f.deals(t, f.team)
			if len(deals) != 1 || deals[0].Amount.Cents != 200_000 || !deals[0].HasAmount || deals[0].Stage != coach.Prospecting {
				t.Fatalf("after restore: %+v, want Omega back with its $2,000 in prospecting", deals)
			}
			if show := cmd("show omega"); !strings.Contains(show, "$2,000") || !strings.Contains(show, "Prospecting") {
				t.Errorf("/deal show after restore: %q", show)
			}
			if next := cmd("next omega"); !strings.Contains(next, "from Prospecting to Initial contact") {
				t.Errorf("/deal next after restore: %q, want a move from Prospecting", next)
			}
		})
	}
}

// TestArchivedDealSaysSo: a reference only an archived deal matches is told
// the deal is archived and how to bring it back, not that nothing matches,
// and changes nothing.
func TestArchivedDealSaysSo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := f.dealCmd
	cmd("add Zeta Labs 5k")
	cmd("archive zeta")
	before := f.events(t)
	for _, text := range []string{"move zeta demo", "note zeta called them", "archive zeta", "won #1"} {
		if got := cmd(text); !strings.Contains(got, "#1 Zeta Labs is archived. Bring it back with /deal restore #1") {
			t.Errorf("/deal %s answered %q", text, got)
		}
	}
	if f.events(t) != before {
		t.Error("a command on an archived deal changed something")
	}
	if got := cmd("move nothing-like-it demo"); !strings.Contains(got, "No deal matches") {
		t.Errorf("a reference nothing matches answered %q", got)
	}
}

// TestRenameToATwinRefused: renaming a deal to the name of another the rep
// can see is refused, as /deal add refuses it, and changes nothing; a
// change of case of the deal's own name is fine.
func TestRenameToATwinRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := f.dealCmd
	cmd("add Acme Corp 5k")
	cmd("add Globex 3k")
	before := f.events(t)
	if got := cmd("rename globex acme  CORP"); !strings.Contains(got, "You already have a deal called #1 Acme Corp") || !strings.Contains(got, "Nothing changed") {
		t.Errorf("rename to a twin answered %q", got)
	}
	if f.events(t) != before {
		t.Error("the refused rename changed something")
	}
	if got := cmd("rename #2 GLOBEX"); !strings.Contains(got, "Renamed Globex to #2 GLOBEX") {
		t.Errorf("renaming to its own name in capitals answered %q", got)
	}
}

// TestNoteSentTwiceIsOneNote: the same note sent twice within a minute (a
// double Enter, a retry) is kept once and the second answer says so; the
// same words later, or other words, are new notes.
func TestNoteSentTwiceIsOneNote(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := f.dealCmd
	cmd("add Sigma 5k")
	cmd("note sigma sent the deck")
	before := f.events(t)
	if got := cmd("note sigma sent the deck"); !strings.Contains(got, "That note is already on #1 Sigma") {
		t.Errorf("the same note again answered %q", got)
	}
	if f.events(t) != before {
		t.Error("the repeated note was stored")
	}
	if got := cmd("note sigma sent the pricing"); !strings.Contains(got, "Noted") {
		t.Errorf("another note answered %q", got)
	}
}

// TestCoachCurrency: a manager sets the team's reporting currency; with no
// code, /coach currency says which it is and how to change it; a bad code
// changes nothing.
func TestCoachCurrency(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "UBOSS")
	cmd := func(text string) string { return f.slack.Command(f.team, "UBOSS", "/coach", text).AllText() }
	if got := cmd("currency"); !strings.Contains(got, "The team reports in USD. To change it: /coach currency EUR") {
		t.Errorf("/coach currency answered %q", got)
	}
	if got := cmd("currency XYZ"); !strings.Contains(got, `Unknown currency "XYZ"`) {
		t.Errorf("/coach currency XYZ answered %q", got)
	}
	if got := cmd("currency eur"); !strings.Contains(got, "reports in EUR") {
		t.Errorf("/coach currency eur answered %q", got)
	}
	if got := cmd("currency"); !strings.Contains(got, "The team reports in EUR") {
		t.Errorf("after the change /coach currency answered %q", got)
	}
}

// TestNoteEndingWithADayWord: a note's last word "today" or "tomorrow" is
// the note's own, not a time for the change.
func TestNoteEndingWithADayWord(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := f.dealCmd
	cmd("add Acme 5k")
	for _, text := range []string{"call them tomorrow", "met the CFO today"} {
		if got := cmd("note acme " + text); !strings.Contains(got, "Noted") {
			t.Errorf("/deal note acme %s answered %q", text, got)
		}
	}
	show := cmd("show acme")
	for _, want := range []string{"call them tomorrow", "met the CFO today"} {
		if !strings.Contains(show, want) {
			t.Errorf("/deal show lacks the note %q:\n%s", want, show)
		}
	}
}
