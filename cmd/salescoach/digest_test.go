package main

import (
	"fmt"
	"strings"
	"testing"

	"salescoach/coach"
	"salescoach/db/dbtest"
)

func TestDigestPrint(t *testing.T) {
	t.Parallel()
	c := cli{t, dbtest.URL(t)}
	c.ok("", "import", "--team", "T1", "../../testdata/history-example.csv")
	at := "2026-04-01T00:00:00Z"
	out := c.ok("", "digest", "--team", "T1", "--at", at, "--print")

	// The digest's week agrees with the report of the same 7 days.
	week := c.report("T1", "--from", "2026-03-25T00:00:00Z", "--to", at)
	wr := week["win_rate"].(map[string]any)
	won, lost := int(wr["won"].(float64)), int(wr["lost"].(float64))
	if want := fmt.Sprintf("the 7 days to Wed 1 Apr: %d won (", won); !strings.Contains(out, want) || !strings.Contains(out, fmt.Sprintf("), %d lost.", lost)) {
		t.Errorf("digest lacks %q:\n%s", want, out)
	}

	// Its bottleneck is the report's over the 13 weeks of /coach stats.
	quarter := c.report("T1", "--from", "2026-01-01T00:00:00Z", "--to", at)
	want := "Bottleneck: watch"
	best := 0.0
	for _, s := range quarter["stages"].([]any) {
		st := s.(map[string]any)
		med, ok := st["median_days"].(float64)
		if int(st["completed_visits"].(float64)) >= coach.MinVisitsForBottleneck && ok && med > best {
			best, want = med, "Bottleneck: "+coach.Stage(st["stage"].(string)).Name(coach.EN)+" — "
		}
	}
	if !strings.Contains(out, want) {
		t.Errorf("digest lacks %q:\n%s", want, out)
	}

	// Deal names only when asked for.
	hidden := c.ok("", "digest", "--team", "T1", "--at", at, "--names=false")
	stale := quarter["stale_deals"].([]any)
	if len(stale) == 0 {
		t.Fatal("the example history has no stale deal to show")
	}
	for _, s := range stale[:min(len(stale), 15)] {
		name := s.(map[string]any)["name"].(string)
		if !strings.Contains(out, name) {
			t.Errorf("digest does not name stale deal %q", name)
		}
		if strings.Contains(hidden, name) {
			t.Errorf("digest with --names=false names %q", name)
		}
	}
	if zh := c.ok("", "digest", "--team", "T1", "--at", at, "--lang", "zh"); !strings.Contains(zh, "每周销售摘要") || !strings.Contains(zh, "瓶颈") {
		t.Errorf("Chinese digest:\n%s", zh)
	}
}

func TestDigestFlagsRefused(t *testing.T) {
	t.Parallel()
	c := cli{t, dbtest.URL(t)}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"digest"}, "--team is required"},
		{[]string{"digest", "--team", "T1", "--at", "next tuesday"}, `--at "next tuesday" is not a time`},
		{[]string{"digest", "--team", "T1", "--tz", "Mars/Olympus"}, `unknown time zone "Mars/Olympus"`},
		{[]string{"digest", "--team", "T1", "--lang", "fr"}, "--lang must be en or zh"},
		{[]string{"digest", "--team", "T1", "--post", "C1"}, "SLACK_BOT_TOKEN"},
		{[]string{"digest", "--team", "T1", "--post", "C1", "--print"}, "choose --print or --post"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			_, _, err := c.run("", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
