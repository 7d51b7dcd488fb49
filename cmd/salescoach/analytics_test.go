package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"salescoach/db/dbtest"
)

// cli runs the binary's run function against the database at dsn and
// returns what it printed.
type cli struct {
	t   *testing.T
	dsn string
}

func (c cli) run(stdin string, args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return c.dsn
		}
		return ""
	}
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func (c cli) ok(stdin string, args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run(stdin, args...)
	if err != nil {
		c.t.Fatalf("salescoach %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func (c cli) report(team string, args ...string) map[string]any {
	c.t.Helper()
	out := c.ok("", append([]string{"report", "--team", team, "--format", "json"}, args...)...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		c.t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	return m
}

func TestImportExportReport(t *testing.T) {
	t.Parallel()
	c := cli{t, dbtest.URL(t)}
	window := []string{"--from", "2026-02-01", "--to", "2026-04-01T00:00:00Z"}

	out := c.ok("", "import", "--team", "T1", "../../testdata/history-example.csv")
	if !strings.Contains(out, "64 new deals") {
		t.Errorf("import printed %q", out)
	}
	want := c.report("T1", window...)
	if want["team_id"] != "T1" || want["from"] != "2026-02-01T00:00:00Z" || len(want["stages"].([]any)) != 6 {
		t.Errorf("report %v", want)
	}

	t.Run("BadFileImportsNothing", func(t *testing.T) {
		bad := "deal_id,name,owner,amount,currency,stage,entered_at,reason\n" +
			"B-1,Bad,U0001,1,USD,prospecting,2026-03-01T00:00:00Z,\n" +
			"B-1,Bad,U0001,1,USD,qualifcation,2026-03-02T00:00:00Z,\n" +
			"B-1,Bad,U0001,1,USD,contact,2026-02-28T00:00:00Z,price\n"
		_, errOut, err := c.run(bad, "import", "--team", "T1", "-")
		if err == nil || !strings.Contains(errOut, "-:3: Unknown stage") || !strings.Contains(errOut, "-:4: A reason") {
			t.Errorf("err %v, stderr:\n%s", err, errOut)
		}
		if got := c.report("T1", window...); !equalJSON(got, want) {
			t.Error("a refused import changed the report")
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		csv := c.ok("", "export", "--team", "T1")
		c.ok(csv, "import", "-", "--team", "T2")
		got := c.report("T2", window...)
		got["team_id"] = "T1"
		if !equalJSON(got, want) {
			t.Errorf("export → import gives another report:\n%v\n%v", got, want)
		}
		path := t.TempDir() + "/t2.csv"
		c.ok("", "export", "--team", "T2", "--out", path)
		if b, _ := os.ReadFile(path); string(b) != csv {
			t.Error("the export of the copy differs from the original's")
		}
	})

	t.Run("EmptyTeam", func(t *testing.T) {
		got := c.report("TNOBODY", window...)
		if got["velocity_per_day"] != nil || got["win_rate"].(map[string]any)["by_count"] != nil {
			t.Errorf("empty team: %v", got)
		}
		text := c.ok("", "report", "--team", "TNOBODY")
		if !strings.Contains(text, "Won: none") {
			t.Errorf("text report of an empty team:\n%s", text)
		}
	})

	t.Run("Text", func(t *testing.T) {
		text := c.ok("", append([]string{"report", "--team", "T1"}, window...)...)
		for _, w := range []string{"Team T1, 2026-02-01T00:00:00Z – 2026-04-01T00:00:00Z", "Won: 8 deals · median cycle 38 days", "Bottleneck: Qualification", "@U0001: won 1, lost 7"} {
			if !strings.Contains(text, w) {
				t.Errorf("text lacks %q:\n%s", w, text)
			}
		}
		zh := c.ok("", append([]string{"report", "--team", "T1", "--lang", "zh"}, window...)...)
		if !strings.Contains(zh, "赢单：8 笔") || !strings.Contains(zh, "瓶颈：商机确认") {
			t.Errorf("Chinese text:\n%s", zh)
		}
	})

	t.Run("BadDates", func(t *testing.T) {
		for _, args := range [][]string{{"--from", "yesterday"}, {"--from", "2026-04-01", "--to", "2026-03-01"}} {
			if _, _, err := c.run("", append([]string{"report", "--team", "T1"}, args...)...); err == nil {
				t.Errorf("report %v: no error", args)
			}
		}
	})
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestDemoIdempotent(t *testing.T) {
	t.Parallel()
	c := cli{t, dbtest.URL(t)}
	out := c.ok("", "demo")
	if !strings.Contains(out, "demo team T0DEMO:") {
		t.Fatalf("demo printed %q", out)
	}
	first := c.ok("", "export", "--team", "T0DEMO")
	if again := c.ok("", "demo"); !strings.Contains(again, "nothing changed") {
		t.Errorf("second demo printed %q", again)
	}
	if c.ok("", "export", "--team", "T0DEMO") != first {
		t.Error("running demo twice changed the team")
	}
	rep := c.report("T0DEMO")
	if len(rep["reps"].([]any)) < 6 || len(rep["stale_deals"].([]any)) == 0 || rep["velocity_per_day"] == nil {
		t.Errorf("the demo team's report lacks reps, stale deals or velocity: %v", rep)
	}
	// The console shows the manager a living pipeline.
	console := c.ok("/deal list team\n/coach stats\n", "console", "--team", "T0DEMO", "--user", "U0MANAGER", "--manager")
	for _, w := range []string{"The team's open deals", "Team sales cycle, last 13 weeks", "Needs attention now"} {
		if !strings.Contains(console, w) {
			t.Errorf("console lacks %q:\n%s", w, console)
		}
	}
}
