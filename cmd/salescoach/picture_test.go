package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// loadHistory replays a §8 CSV into team, one deal at a time, through the
// store's own changes, so the log is exactly what the bot would have written.
// It stands in for the import command in these tests.
func loadHistory(t *testing.T, s *db.DB, team, file string) map[string]int64 {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.EnsureTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for i, r := range rows[1:] {
		ext, name, owner, stage, reason := r[0], r[1], r[2], coach.Stage(r[5]), r[7]
		at, err := time.Parse(time.RFC3339, r[6])
		if err != nil {
			t.Fatalf("line %d: %v", i+2, err)
		}
		c := coach.Caller{TeamID: team, UserID: owner, Manager: true}
		id, ok := ids[ext]
		if !ok {
			amount, _ := strconv.ParseInt(r[3], 10, 64)
			d, _, err := s.CreateDeal(ctx, team, coach.NewDeal{Name: name, OwnerID: owner, HasAmount: true,
				Amount: coach.Money{Cents: amount * 100, Currency: r[4]}, Stage: stage, ActorID: owner, At: at})
			if err != nil {
				t.Fatalf("line %d: %v", i+2, err)
			}
			ids[ext] = d.ID
			continue
		}
		change(t, s, c, id, func(d coach.Deal) (coach.Event, error) {
			if stage == coach.Lost {
				why, text := coach.ParseLostReason(reason)
				return coach.Lose(c, d, why, text, at)
			}
			return coach.Move(c, d, stage, at)
		})
	}
	return ids
}

func change(t *testing.T, s *db.DB, c coach.Caller, id int64, decide func(d coach.Deal) (coach.Event, error)) {
	t.Helper()
	if _, _, err := s.Change(context.Background(), c, id, func(d coach.Deal, _ []coach.Event) (coach.Event, error) { return decide(d) }); err != nil {
		t.Fatal(err)
	}
}

// annotate logs what a rep would have noted, confirmed and paused on the
// example's deal Sterling 22 (a skip, a stay past the team's p90 and a loop
// back), so its blueprint has content.
func annotate(t *testing.T, s *db.DB, team string, id int64) {
	c := coach.Caller{TeamID: team, UserID: "U0002", Manager: true}
	day := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	note := func(at, text string) {
		change(t, s, c, id, func(d coach.Deal) (coach.Event, error) { return coach.AddNote(c, d, text, day(at)) })
	}
	check := func(at, key string) {
		if _, _, err := s.Change(context.Background(), c, id, func(d coach.Deal, log []coach.Event) (coach.Event, error) {
			return coach.Check(c, d, log, key, day(at))
		}); err != nil {
			t.Fatal(err)
		}
	}
	note("2026-01-28T10:00:00Z", "Researched their fleet size and the new COO's priorities")
	note("2026-02-03T09:00:00Z", "Sent a short intro email naming our referral from Hooli")
	note("2026-02-07T15:00:00Z", "Call with the COO: dispatch delays cost them two big accounts last quarter")
	check("2026-02-07T16:00:00Z", "pain")
	check("2026-02-08T09:00:00Z", "meeting")
	note("2026-02-10T10:00:00Z", "Demo of route planning for the COO and two dispatchers")
	note("2026-02-14T11:00:00Z", "Finance worries about rollout risk; sent a case study from a similar fleet")
	note("2026-02-22T17:00:00Z", "Drafted a pilot plan internally with our onboarding lead")
	note("2026-03-02T10:00:00Z", "Sent the order form; the COO wants to sign after the board meeting")
	change(t, s, c, id, func(d coach.Deal) (coach.Event, error) {
		return coach.Pause(c, d, coach.PauseArgs{Until: day("2026-03-16T00:00:00Z"), Reason: "board meets on the 15th"}, day("2026-03-05T10:00:00Z"))
	})
	note("2026-03-18T10:00:00Z", "The COO left; the new one wants to start over from discovery")
}

func TestPictureCommand(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	s, err := db.Open(context.Background(), url, db.Options{MaxOpen: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const team = "T0EXAMPLE"
	ids := loadHistory(t, s, team, filepath.Join("..", "..", "testdata", "history-example.csv"))
	annotate(t, s, team, ids["H-22"])
	dealNumber := func(ext string) string {
		d, _, err := s.Deal(context.Background(), coach.Caller{TeamID: team, Manager: true}, ids[ext])
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(d.Number)
	}
	// The pictures are drawn by the binary as a user runs it: drawing under
	// the race detector is ten times slower and tests nothing more.
	bin := buildBinary(t)
	salescoach := func(args ...string) (stdout, stderr string, err error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "DATABASE_URL="+url)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.String(), e.String(), err
	}
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
	}{
		{"flow", []string{"flow", "--weeks", "13"}},
		{"trend", []string{"trend"}},
		{"blueprint", []string{"blueprint", "--deal", dealNumber("H-22")}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "zh"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				t.Parallel()
				out := filepath.Join(dir, tt.name+"-"+lang+".png")
				args := append([]string{"picture"}, tt.args...)
				args = append(args, "--team", team, "--lang", lang, "--at", "2026-04-01T00:00:00Z", "--out", out)
				stdout, stderr, err := salescoach(args...)
				if err != nil {
					t.Fatalf("salescoach %s: %v\n%s", strings.Join(args, " "), err, stderr)
				}
				if got := strings.TrimSpace(stdout); got != out {
					t.Errorf("printed %q, want the file's path %q", got, out)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%s is not a PNG: %v", out, err)
				}
				if w := img.Bounds().Dx(); w < 800 {
					t.Errorf("%s is %d px wide, want at least 800", out, w)
				}
				if len(b) >= 1<<20 {
					t.Errorf("%s is %d bytes, want under 1 MiB", out, len(b))
				}
			})
		}
	}

	t.Run("UnknownDeal", func(t *testing.T) {
		t.Parallel()
		_, stderr, err := salescoach("picture", "blueprint", "--team", team, "--deal", "999", "--out", filepath.Join(dir, "x.png"))
		if err == nil || !strings.Contains(stderr, "no deal #999") {
			t.Errorf("got %v, %q, want an error naming the missing deal", err, stderr)
		}
	})
}
