package handlers_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"salescoach/coach"
)

// importDeal gives U1 of the fixture's team a deal added days ago, in stage.
func importDeal(t *testing.T, f *fixture, id, name string, stage coach.Stage, daysAgo int) {
	t.Helper()
	f.slack.Command(f.team, "U1", "/deal", "list") // the team and the rep exist
	at := time.Now().UTC().Truncate(time.Second).AddDate(0, 0, -daysAgo)
	_, err := f.db.Import(context.Background(), f.team, coach.History{Rows: []coach.HistoryRow{
		{DealID: id, Name: name, Owner: "U1", Stage: stage, At: at, Amount: coach.Money{Cents: 1_000_000, Currency: "USD"}, HasAmount: true},
	}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
}

func mustSay(t *testing.T, what string, reply string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(reply, w) {
			t.Errorf("%s: reply lacks %q:\n%s", what, w, reply)
		}
	}
}

// TestBackdatedChanges: a move logged a day late is dated yesterday in the
// reply, the deal and the export; one in the future, or before the deal's
// latest stage entry, is refused with how to fix it and changes nothing.
func TestBackdatedChanges(t *testing.T) {
	t.Parallel()
	f := newDBFixture(t)
	importDeal(t, f, "A-1", "Acme Corp", coach.Prospecting, 10)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")

	r := f.slack.Command(f.team, "U1", "/deal", "move acme demo yesterday")
	mustSay(t, "move … yesterday", r.AllText(), "Prospecting to Presentation", "Dated", yesterday)
	d := f.deals(t, f.team)[0]
	if d.Stage != coach.Presentation || d.StageSince.Format("2006-01-02") != yesterday {
		t.Fatalf("deal in %s since %v; want presentation since yesterday", d.Stage, d.StageSince)
	}
	rows, err := f.db.History(context.Background(), f.team, "")
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1]; last.Stage != coach.Presentation || last.At.Format("2006-01-02") != yesterday {
		t.Errorf("export's Presentation entry is dated %v; want yesterday", last.At)
	}

	before := f.events(t)
	future := time.Now().UTC().AddDate(0, 0, 3).Format("2006-01-02")
	mustSay(t, "a future date", f.slack.Command(f.team, "U1", "/deal", "move acme closing "+future).Text, "is in the future")
	mustSay(t, "tomorrow", f.slack.Command(f.team, "U1", "/deal", "move acme qual tomorrow").Text, `I can't read "tomorrow" as when it happened`)
	// A stage, then words that are no time: said of the time, not the stage.
	mustSay(t, "an unreadable date", f.slack.Command(f.team, "U1", "/deal", "move acme qual 12/03/2026").Text, `I can't read "12/03/2026" as when it happened`)
	mustSay(t, "a mistyped stage", f.slack.Command(f.team, "U1", "/deal", "move acme objections handlin").Text, `Unknown stage "objections handlin"`)
	mustSay(t, "before the latest entry", f.slack.Command(f.team, "U1", "/deal", "won acme 3d").Text, "after the time you gave", "/deal undo")
	mustSay(t, "before the deal was added", f.slack.Command(f.team, "U1", "/deal", "note acme met them 20d").Text, "was added on")
	if f.events(t) != before {
		t.Errorf("a refused back-dated change wrote %d events", f.events(t)-before)
	}
	// Chinese words, and the reason and note text before the time.
	mustSay(t, "lost … 昨天", f.slack.Command(f.team, "U1", "/deal", "lost acme price too high 昨天").AllText(), "lost (price: too high)", "Dated")
	// Undo goes by when it was typed: the loss logged just now as of yesterday.
	mustSay(t, "undo", f.slack.Command(f.team, "U1", "/deal", "undo").AllText(), "Undone: marking it lost (")
}

// TestGuardedOutcomes: an outcome never flips silently.
func TestGuardedOutcomes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.slack.Command(f.team, "U1", "/deal", "add Hooli Cloud 20k closing")
	f.slack.Command(f.team, "U1", "/deal", "won hooli")
	before := f.events(t)
	mustSay(t, "lost on a won deal", f.slack.Command(f.team, "U1", "/deal", "lost hooli price").Text, "#1 Hooli Cloud is won — nothing changed", "/deal reopen #1")
	mustSay(t, "move … lost on a won deal", f.slack.Command(f.team, "U1", "/deal", "move hooli lost").Text, "is won — nothing changed")
	mustSay(t, "won again", f.slack.Command(f.team, "U1", "/deal", "won hooli").Text, "already won — nothing changed")
	f.slack.Command(f.team, "U1", "/deal", "add Pound Co 5k")
	before++
	for _, word := range []string{"跟进", "follow-up", "retention"} {
		mustSay(t, "move pound "+word, f.slack.Command(f.team, "U1", "/deal", "move pound "+word).Text, "Was #2 Pound Co won? Record it with /deal won #2")
	}
	if f.events(t) != before { // only the add of Pound Co
		t.Errorf("guarded outcomes wrote %d events", f.events(t)-before)
	}
	for _, d := range f.deals(t, f.team) {
		if d.Number == 1 && d.Status != coach.StatusWon || d.Number == 2 && d.Status != coach.StatusOpen {
			t.Errorf("#%d is %s", d.Number, d.Status)
		}
	}
}

// TestListPaging: a rep with 45 open deals reads them 20 at a time, with a
// More button, and filters by stage, stale and paused; each line is short.
func TestListPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.slack.Command(f.team, "U1", "/deal", "list")
	ctx := context.Background()
	for i := 1; i <= 45; i++ {
		stage := coach.Prospecting
		if i%5 == 0 {
			stage = coach.Qualification
		}
		if _, _, err := f.store.CreateDeal(ctx, f.team, coach.NewDeal{Name: "Deal " + strconv.Itoa(i), OwnerID: "U1", ActorID: "U1",
			Amount: coach.Money{Currency: "USD"}, Stage: stage, At: time.Now().Add(-time.Duration(50-i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	f.slack.Command(f.team, "U1", "/deal", "pause #3 2w waiting for budget")

	r := f.slack.Command(f.team, "U1", "/deal", "list")
	mustSay(t, "page 1", r.AllText(), "Your open deals (1–20 of 45, page 1 of 3):", "#1 Deal 1", "#20 Deal 20", "⏸ paused until")
	if strings.Contains(r.AllText(), "#21 Deal 21") || strings.Contains(r.AllText(), "Next:") {
		t.Errorf("page 1 shows deal 21 or a next step per line:\n%s", r.AllText())
	}
	b, _ := json.Marshal(r.Blocks)
	if !strings.Contains(string(b), `"action_id":"deal_list_more"`) || !strings.Contains(string(b), `"value":"\u003c@U1\u003e page 2"`) {
		t.Errorf("page 1 has no More button for page 2:\n%s", b)
	}
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		all := f.slack.Command(f.team, "U1", "/deal", "list page "+strconv.Itoa(page)).AllText()
		for i := 1; i <= 45; i++ {
			if strings.Contains(all, "#"+strconv.Itoa(i)+" Deal "+strconv.Itoa(i)+" ") {
				seen[strconv.Itoa(i)] = true
			}
		}
	}
	if len(seen) != 45 {
		t.Errorf("pages 1–3 show %d of the 45 deals", len(seen))
	}
	mustSay(t, "page 3", f.slack.Command(f.team, "U1", "/deal", "list page 3").AllText(), "41–45 of 45, page 3 of 3")
	mustSay(t, "page 9", f.slack.Command(f.team, "U1", "/deal", "list page 9").Text, "There is no page 9", "3 pages")
	mustSay(t, "stage", f.slack.Command(f.team, "U1", "/deal", "list qual").AllText(), "Your open deals in Qualification (9):", "#5 Deal 5")
	mustSay(t, "paused", f.slack.Command(f.team, "U1", "/deal", "list paused").AllText(), "Your paused deals (1):", "#3 Deal 3")
	mustSay(t, "stale", f.slack.Command(f.team, "U1", "/deal", "list stale").AllText(), "Your stale deals: none.")
	mustSay(t, "another rep", f.slack.Command(f.team, "U1", "/deal", "list @U2").Text, "Only a manager can list another rep's deals")
}

// TestCurrencyAndLinks: 8万 is stored and named as yuan; Slack's link markup
// becomes the deal's name and a note's clickable link.
func TestCurrencyAndLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mustSay(t, "8万", f.slack.Command(f.team, "U1", "/deal", "add Beijing Huaxin 8万").Text, "¥80,000 (CNY)")
	mustSay(t, "1e6", f.slack.Command(f.team, "U1", "/deal", "add Initech 1e6").Text, `"1e6" is not an amount`)
	mustSay(t, "link name", f.slack.Command(f.team, "U1", "/deal", "add <http://Acme.io|Acme.io> 5k").Text, "Added #2 Acme.io — $5,000 (USD)")
	f.slack.Command(f.team, "U1", "/deal", "note acme.io pricing on <https://acme.io/p?a=1&amp;b=2|their page>, ask <@U2>")
	var note string
	_, log, err := f.store.Deal(context.Background(), coach.Caller{TeamID: f.team, UserID: "U1"}, f.deals(t, f.team)[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Kind == coach.EvNote {
			note = e.Text
		}
	}
	if note != "pricing on [their page](https://acme.io/p?a=1&b=2), ask <@U2>" {
		t.Errorf("stored note %q", note)
	}
	mustSay(t, "show", f.slack.Command(f.team, "U1", "/deal", "show acme.io").AllText(), "<https://acme.io/p?a=1&amp;b=2|their page>", "<@U2>")
	for _, d := range f.deals(t, f.team) {
		if d.Name == "Beijing Huaxin" && (d.Amount.Currency != "CNY" || d.Amount.Cents != 8_000_000) {
			t.Errorf("8万 stored as %+v", d.Amount)
		}
	}
}

// TestNamesInDailyUse: typos get a suggestion, a second deal of the same name
// asks for a word to tell them apart, and undo says what it undid.
func TestNamesInDailyUse(t *testing.T) {
	t.Parallel()
	f := newDBFixture(t)
	f.slack.Command(f.team, "U1", "/deal", "add Globex 5k")
	mustSay(t, "typo", f.slack.Command(f.team, "U1", "/deal", "move globx demo").Text, "Did you mean #1 Globex?")
	mustSay(t, "double submit, another amount", f.slack.Command(f.team, "U1", "/deal", "add Globex 6k").Text, "/deal amount #1 $6,000")
	f.slack.Command(f.team, "U1", "/deal", "amount globex 15k")
	mustSay(t, "undo", f.slack.Command(f.team, "U1", "/deal", "undo").Text, "Undone: the amount change from $5,000 to $15,000.")
	importDeal(t, f, "I-1", "Initech", coach.Qualification, 30)
	mustSay(t, "same name", f.slack.Command(f.team, "U1", "/deal", "add initech 5k").Text,
		"You already have an open deal called #2 Initech. Add a word to tell them apart")
	if n := len(f.deals(t, f.team)); n != 2 {
		t.Errorf("%d deals; want Globex and Initech once each", n)
	}
}
