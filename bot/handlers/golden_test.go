package handlers_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with the file testdata/golden/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// canonical re-encodes JSON with sorted keys and indentation, so that a
// golden file holds what Slack receives, not one encoder's key order.
func canonical(t *testing.T, raw []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, raw)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestGoldenReplies holds the Block Kit and the console text of
// representative replies equal to golden files: what users see must not
// change when the code behind it moves.
func TestGoldenReplies(t *testing.T) {
	t.Parallel()
	goldenReplies(t, true)
}

// TestGoldenRepliesInMemory holds the in-memory store the other tests use
// to the database: the replies that need no report are the same files.
func TestGoldenRepliesInMemory(t *testing.T) {
	t.Parallel()
	goldenReplies(t, false)
}

// reportCases are the golden replies that read the team's reports, which
// only the database computes.
var reportCases = map[string]bool{"coach_stats": true, "digest_preview": true, "coach_stats_zh": true}

func goldenReplies(t *testing.T, onDB bool) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	// The clock is read by background work (profile refreshes) too.
	now := bottest.NewClock(start)
	setNow, clock := now.Set, now.Now
	u := newUI(t, uiOptions{managers: []string{"UBOSS"}, now: clock, db: onDB})

	// A small history: deals added weeks ago, moved, noted, won and lost.
	step := func(days int, user, command, text string) {
		t.Helper()
		setNow(start.AddDate(0, 0, days))
		if r := u.command("T1", user, command, text); r.Status != 200 {
			t.Fatalf("%s %s: status %d: %s", command, text, r.Status, r.Body)
		}
	}
	step(-60, "U1", "/deal", "add Acme Corp $12,000")
	step(-59, "U1", "/deal", "add Globex 8k demo")
	step(-58, "U2", "/deal", "add Initech 5000 EUR qualification")
	step(-50, "U1", "/deal", "move #1 qualification")
	step(-45, "U1", "/deal", "note #1 sent pricing to the CFO & <legal>")
	step(-40, "U1", "/deal", "next #1")
	step(-30, "U2", "/deal", "won #3")
	step(-20, "U1", "/deal", "lost #2 price went with a cheaper tool")
	step(-18, "U1", "/deal", "add Umbrella 30k proposal")
	step(-3, "U1", "/deal", "check #1 budget")
	step(0, "U2", "/coach", "lang zh")
	setNow(start)

	cases := []struct{ name, user, command, text string }{
		{"deal_add", "U1", "/deal", "add Hooli 20k discovery"},
		{"deal_show", "U1", "/deal", "show #1"},
		{"deal_list", "U1", "/deal", "list all"},
		{"deal_list_team", "UBOSS", "/deal", "list team"},
		{"coach", "U1", "/coach", ""},
		{"coach_deal", "U1", "/coach", "#1"},
		{"coach_stage", "U1", "/coach", "demo"},
		{"coach_stats", "UBOSS", "/coach", "stats team"},
		{"digest_preview", "UBOSS", "/coach", "digest preview"},
		{"deal_help", "U1", "/deal", "help"},
		{"bad_input", "U1", "/deal", "move #1 nowhere"},
		{"deal_show_zh", "U2", "/deal", "show #3"},
		{"coach_stats_zh", "U2", "/coach", "stats"},
	}
	for _, c := range cases {
		if !onDB && reportCases[c.name] {
			continue
		}
		// Work after an earlier answer (a profile read from Slack: the
		// caller's time zone) is done before the next command, as a user's
		// next command a moment later finds it.
		u.drain()
		r := u.command("T1", c.user, c.command, c.text)
		if r.Status != 200 {
			t.Fatalf("%s: status %d: %s", c.name, r.Status, r.Body)
		}
		golden(t, c.name+".json", canonical(t, r.Body))
	}
	golden(t, "home_U1.json", canonical(t, mustJSON(t, u.home("T1", "U1"))))
	golden(t, "home_UBOSS.json", canonical(t, mustJSON(t, u.home("T1", "UBOSS"))))

	// The console prints the same replies as text.
	var script strings.Builder
	for _, c := range cases {
		if c.user == "U1" && c.name != "deal_add" {
			script.WriteString(c.command + " " + c.text + "\n")
		}
	}
	var out bytes.Buffer
	if err := u.app.Console(t.Context(), strings.NewReader(script.String()), &out, "T1", "U1", ""); err != nil {
		t.Fatal(err)
	}
	golden(t, "console_U1.txt", out.Bytes())
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
