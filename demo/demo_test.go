package demo_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"
	"unicode"

	"salescoach/coach"
	"salescoach/demo"
)

var now = time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)

func TestHistoryDeterministic(t *testing.T) {
	a, b := demo.History(1, now), demo.History(1, now.Add(3*time.Hour))
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed on the same day gives different histories")
	}
	if c := demo.History(2, now); reflect.DeepEqual(a.Rows, c.Rows) {
		t.Error("seeds 1 and 2 give the same history")
	}
}

// TestHistoryShape checks the demo has what it promises: six months, five or
// more reps, 150+ deals with English and Chinese names, skips, loops back,
// losses at several stages with reasons and free text, reopened deals, notes,
// and deals open now — and that it is a valid stage-history file.
func TestHistoryShape(t *testing.T) {
	h := demo.History(1, now)

	var b bytes.Buffer
	if err := coach.WriteHistoryCSV(&b, h.Rows); err != nil {
		t.Fatal(err)
	}
	if _, bad := coach.ParseHistoryCSV(&b); len(bad) > 0 {
		t.Fatalf("the demo is not a valid history file: %v", bad)
	}

	deals, owners := map[string]bool{}, map[string]bool{}
	last := map[string]coach.HistoryRow{}
	lostAt, reasons := map[coach.Stage]bool{}, map[coach.LostReason]bool{}
	var skips, loops, reopens, texts, chinese int
	oldest := now
	for _, r := range h.Rows {
		if !deals[r.DealID] {
			for _, c := range r.Name {
				if unicode.Is(unicode.Han, c) {
					chinese++
					break
				}
			}
		}
		deals[r.DealID] = true
		if r.Owner != demo.Manager {
			owners[r.Owner] = true
		}
		if r.At.Before(oldest) {
			oldest = r.At
		}
		if !r.At.Before(now) {
			t.Errorf("row in the future: %+v", r)
		}
		prev, ok := last[r.DealID]
		switch {
		case !ok:
		case r.Stage == coach.Lost:
			lostAt[prev.Stage] = true
			reasons[r.Reason] = true
			if r.Text != "" {
				texts++
			}
		case prev.Stage == coach.Lost && r.Stage.IsOpen():
			reopens++
		case r.Stage.IsOpen() && prev.Stage.IsOpen() && r.Stage.Index() > prev.Stage.Index()+1:
			skips++
		case r.Stage.IsOpen() && prev.Stage.IsOpen() && r.Stage.Index() < prev.Stage.Index():
			loops++
		}
		last[r.DealID] = r
	}
	open := 0
	for _, r := range last {
		if r.Stage.IsOpen() {
			open++
		}
	}
	checks := []struct {
		what     string
		got, min int
	}{
		{"deals", len(deals), 150},
		{"reps", len(owners), 5},
		{"days of history", int(now.Sub(oldest).Hours() / 24), 170},
		{"deals with Chinese names", chinese, 30},
		{"deals with English names", len(deals) - chinese, 60},
		{"skipped stages", skips, 10},
		{"loops back", loops, 10},
		{"stages deals are lost from", len(lostAt), 4},
		{"lost reasons", len(reasons), 5},
		{"losses with free text", texts, 10},
		{"reopened deals", reopens, 3},
		{"notes", len(h.Notes), 100},
		{"deals open now", open, 20},
	}
	for _, c := range checks {
		if c.got < c.min {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.min)
		}
	}
}
