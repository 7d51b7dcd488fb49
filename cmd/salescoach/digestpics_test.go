package main

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"salescoach/bot/bottest"
	"salescoach/db/dbtest"
)

// TestDigestPostAttachesPictures: salescoach digest --post posts the digest
// and shares the flowchart and the trend in its thread, in its language.
func TestDigestPostAttachesPictures(t *testing.T) {
	t.Parallel()
	dsn := dbtest.URL(t)
	cli{t, dsn}.ok("", "import", "--team", "T1", "../../testdata/history-example.csv")
	api := bottest.NewWebAPI(t)
	getenv := func(k string) string {
		return map[string]string{"DATABASE_URL": dsn, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.URL()}[k]
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"digest", "--team", "T1", "--at", "2026-04-01T09:00:00Z", "--lang", "zh", "--post", "C1"},
		getenv, strings.NewReader(""), &out, &errOut)
	if err != nil {
		t.Fatalf("digest --post: %v\n%s", err, errOut.String())
	}
	msgs := api.Messages("C1")
	if len(msgs) != 1 || !strings.Contains(out.String(), msgs[0].TS) {
		t.Fatalf("posted %d messages, output %q", len(msgs), out.String())
	}
	files := api.Files("C1")
	want := []string{"销售流程（最近 13 周）", "赢单销售周期（最近 12 周）"}
	if len(files) != len(want) {
		t.Fatalf("%d files shared, want the flowchart and the trend", len(files))
	}
	for i, f := range files {
		if f.Thread != msgs[0].TS || f.Title != want[i] {
			t.Errorf("file %q titled %q in thread %q, want %q in the digest's thread %q", f.Name, f.Title, f.Thread, want[i], msgs[0].TS)
		}
		if _, err := png.Decode(bytes.NewReader(f.Data)); err != nil {
			t.Errorf("%s is not a PNG: %v", f.Name, err)
		}
	}
}
