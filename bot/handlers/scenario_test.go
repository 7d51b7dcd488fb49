package handlers_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/coach"
)

// TestScenarioReplies types the coaching scenarios a sales lead would try
// through the real handlers, and holds the console transcript of /coach for
// each deal, in English and in Chinese, equal to golden files. Every reply
// about an open deal shows its stage's 5A tactic; none shows a rule id or
// p90; bad input gets one line and changes nothing.
func TestScenarioReplies(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday
	// The clock is read by background work (profile refreshes) too.
	now := bottest.NewClock(start)
	u := newUI(t, uiOptions{managers: []string{"UBOSS"}, now: now.Now})
	step := func(days float64, user, command, text string) string {
		t.Helper()
		at := start.Add(time.Duration(days * 24 * float64(time.Hour)))
		now.Set(at)
		r := u.command("T1", user, command, text)
		if r.Status != 200 {
			t.Fatalf("%s %s: status %d: %s", command, text, r.Status, r.Body)
		}
		return string(r.Body)
	}
	deals := []struct {
		name  string
		open  bool
		steps [][2]any // days ago (negative), command after "/deal "
	}{
		{"Fresh Qual", true, [][2]any{{-2.0, "add Fresh Qual 12k qualification"}}},
		{"Slow Demo", true, [][2]any{{-9.0, "add Slow Demo 9k demo"}, {-1.0, "note #2 demo done with the ops team"}}},
		{"Stuck Close", true, [][2]any{{-30.0, "add Stuck Close 20k closing"}, {-1.0, "note #3 legal is still reading"}}},
		{"Paused Co", true, [][2]any{{-20.0, "add Paused Co 15k qualification"}, {-1.0, "pause #4 2026-03-16 waiting for their budget cycle"}}},
		{"Back Co", true, [][2]any{{-10.0, "add Back Co 10k demo"}, {-3.0, "move #5 qualification"}}},
		{"Loop Co", true, [][2]any{{-30.0, "add Loop Co 18k demo"}, {-20.0, "move #6 objections"}, {-10.0, "move #6 demo"},
			{-2.0, "move #6 objections"}, {-1.0, "note #6 objection:price they compare us with a cheaper tool"}}},
		{"Skip Co", true, [][2]any{{-10.0, "add Skip Co 7k contact"}, {-2.0, "move #7 demo"}}},
		{"Won Today", false, [][2]any{{-10.0, "add Won Today 11k closing"}, {-0.1, "won #8"}}},
		{"Old Win", false, [][2]any{{-130.0, "add Old Win 6k closing"}, {-108.0, "won #9"}}},
		{"Lost Co", false, [][2]any{{-30.0, "add Lost Co 5k demo"}, {-2.0, "lost #10 competitor went with Globex"}}},
		{"Overdue Co", true, [][2]any{{-6.0, "add Overdue Co 14k closing"}, {-5.0, "due #11 2026-02-28"}}},
	}
	for _, d := range deals {
		for _, s := range d.steps {
			step(s[0].(float64), "U1", "/deal", s[1].(string))
		}
	}
	now.Set(start)

	// Bad input: one friendly line, nothing changes.
	f := &fixture{store: u.store}
	before := f.events(t)
	for _, bad := range []struct{ user, command, text, want string }{
		{"U1", "/deal", "note #6 objection:money they want 10 % off", "There is no objection type"},
		{"U1", "/deal", "check #6 objection", "Which objection?"},
		{"U2", "/coach", "<@U1|ann>", "Only a manager"},
	} {
		if got := step(0, bad.user, bad.command, bad.text); !strings.Contains(got, bad.want) {
			t.Errorf("%s %s: reply lacks %q: %s", bad.command, bad.text, bad.want, got)
		}
	}
	if after := f.events(t); after != before {
		t.Errorf("bad input changed the log: %d events, then %d", before, after)
	}

	var script strings.Builder
	script.WriteString("/coach\n")
	for i := range deals {
		fmt.Fprintf(&script, "/coach #%d\n", i+1)
	}
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		var out bytes.Buffer
		in := "/coach lang " + string(lang) + "\n" + script.String()
		if err := u.app.Console(t.Context(), strings.NewReader(in), &out, "T1", "U1", ""); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		checkTranscript(t, lang, text, len(deals))
		for i, d := range deals {
			if !d.open {
				continue
			}
			reply := replyOf(text, i+1)
			if five := coach.PlaybookFor(stageOf(t, f, i+1)).FiveA.In(lang); !strings.Contains(reply, five) {
				t.Errorf("%s: /coach #%d (%s) lacks its stage's 5A tactic:\n%s", lang, i+1, d.name, reply)
			}
		}
		golden(t, "scenarios_"+string(lang)+".txt", out.Bytes())
	}
}

var (
	replyHead = regexp.MustCompile(`(?m)^#(\d+) .* — `)
	ruleID    = regexp.MustCompile(`\b[a-z]+_[a-z0-9_]+\b`)
)

// replyOf returns the reply to /coach #n from a transcript.
func replyOf(text string, n int) string {
	locs := replyHead.FindAllStringSubmatchIndex(text, -1)
	for k, l := range locs {
		if text[l[2]:l[3]] != fmt.Sprint(n) {
			continue
		}
		end := len(text)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		return text[l[0]:end]
	}
	return ""
}

func stageOf(t *testing.T, f *fixture, number int) coach.Stage {
	t.Helper()
	for _, d := range f.deals(t, "T1") {
		if d.Number == number {
			return d.ShownStage()
		}
	}
	t.Fatalf("no deal #%d", number)
	return ""
}

// checkTranscript holds what no reply may show.
func checkTranscript(t *testing.T, lang coach.Lang, text string, n int) {
	t.Helper()
	if m := ruleID.FindString(text); m != "" && !strings.Contains(m, "@") {
		t.Errorf("%s: the transcript shows %q:\n%s", lang, m, text)
	}
	if strings.Contains(strings.ToLower(text), "p90") {
		t.Errorf("%s: the transcript shows p90:\n%s", lang, text)
	}
	for i := 1; i <= n; i++ {
		if replyOf(text, i) == "" {
			t.Errorf("%s: no reply to /coach #%d:\n%s", lang, i, text)
		}
	}
}
