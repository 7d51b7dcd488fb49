package db_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// step is one change to a deal in a made-up history: a stage entry (won, lost
// and open stages alike), or "undo" to revert the previous change, or
// "archive", at a number of days from the history's start.
type step struct {
	what string
	day  float64
}

// history creates a deal whose log is steps, the first of which is its
// creation in that stage, and returns its id.
func history(t *testing.T, s *db.DB, team string, t0 time.Time, steps ...step) int64 {
	t.Helper()
	ctx := context.Background()
	c := coach.Caller{TeamID: team, UserID: "U1", Manager: true, Lang: coach.EN}
	at := func(day float64) time.Time { return t0.Add(time.Duration(day * 24 * float64(time.Hour))) }
	if err := s.EnsureTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.CreateDeal(ctx, team, coach.NewDeal{Name: fmt.Sprintf("Deal %v", steps), OwnerID: "U1",
		Amount: coach.Money{Currency: "USD"}, Stage: coach.Stage(steps[0].what), ActorID: "U1", At: at(steps[0].day)})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps[1:] {
		now := at(st.day)
		switch st.what {
		case "undo":
			_, _, err = s.Undo(ctx, c, now)
		default:
			_, _, err = s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
				switch st.what {
				case "archive":
					return coach.Archive(c, d, now)
				case "lost":
					return coach.Lose(c, d, coach.ReasonPrice, "", now)
				case "reopen":
					return coach.Reopen(c, d, now)
				}
				return coach.Move(c, d, coach.Stage(st.what), now)
			})
		}
		if err != nil {
			t.Fatalf("%s at day %v: %v", st.what, st.day, err)
		}
	}
	return d.ID
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	day := func(d float64) time.Time { return t0.Add(time.Duration(d * 24 * float64(time.Hour))) }
	// A skip, a move back, then lost.
	history(t, s, team, t0, step{"prospecting", 0}, step{"contact", 2}, step{"presentation", 5}, step{"qualification", 8}, step{"lost", 10})
	// Straight to won; its move into qualification lies on the window's start.
	history(t, s, team, t0, step{"contact", 1}, step{"qualification", 3}, step{"won", 9})
	// A reverted move is no move: qualification → lost.
	history(t, s, team, t0, step{"qualification", 1}, step{"presentation", 4}, step{"undo", 4.1}, step{"lost", 6})
	// Archived deals do not count.
	history(t, s, team, t0, step{"prospecting", 3}, step{"contact", 4}, step{"archive", 5})
	// Moves after the window do not count; a reopen is a move from lost.
	history(t, s, team, t0, step{"closing", 1}, step{"lost", 4}, step{"reopen", 7}, step{"won", 25})
	// Another team's deals do not count.
	history(t, s, dbtest.TeamID(t), t0, step{"prospecting", 4}, step{"contact", 5})

	tests := []struct {
		name     string
		from, to float64 // days
		want     []coach.Transition
	}{
		{"Window", 3, 20, []coach.Transition{
			{From: coach.Closing, To: coach.Lost, Count: 1},
			{From: coach.Contact, To: coach.Presentation, Count: 1},
			{From: coach.Contact, To: coach.Qualification, Count: 1},
			{From: coach.Lost, To: coach.Closing, Count: 1},
			{From: coach.Presentation, To: coach.Qualification, Count: 1},
			{From: coach.Qualification, To: coach.Lost, Count: 2},
			{From: coach.Qualification, To: coach.Won, Count: 1},
		}},
		// The move into presentation at day 4 was undone at day 4.1: even as
		// of day 4.05 it is no move, for an undone change never counts (§2).
		{"UndoneAfterTheWindow", 3, 4.05, []coach.Transition{
			{From: coach.Closing, To: coach.Lost, Count: 1},
			{From: coach.Contact, To: coach.Qualification, Count: 1},
		}},
		{"EmptyWindow", 30, 40, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Transitions(context.Background(), team, day(tt.from), day(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || len(got) > 0 && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Transitions from day %v to %v:\n got %v\nwant %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestWonCycleWeeks(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	to := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	t0 := to.AddDate(0, 0, -50) // day 50 is to
	// Week 0 is days 29–36, week 1 days 36–43, week 2 days 43–50.
	history(t, s, team, t0, step{"prospecting", 10}, step{"contact", 20}, step{"won", 34}) // week 0, 14 days from contact
	history(t, s, team, t0, step{"qualification", 25}, step{"won", 40})                    // week 1, 15 days
	history(t, s, team, t0, step{"prospecting", 30}, step{"won", 45})                      // week 2, 15 days from its first entry
	history(t, s, team, t0, step{"contact", 20}, step{"won", 38}, step{"closing", 47})     // week 1, 18 days; reopened in week 2
	history(t, s, team, t0, step{"contact", 20}, step{"won", 44}, step{"archive", 44.5})   // archived
	history(t, s, team, t0, step{"contact", 20}, step{"won", 41}, step{"undo", 41.5})      // the win was undone
	history(t, s, team, t0, step{"contact", 20}, step{"lost", 42})                         // lost
	history(t, s, dbtest.TeamID(t), t0, step{"contact", 20}, step{"won", 42})              // another team

	got, err := s.WonCycleWeeks(context.Background(), team, to, 3)
	if err != nil {
		t.Fatal(err)
	}
	type week struct {
		Start    time.Time
		N        int
		Median   any
		RollingN int
		Rolling  any
	}
	val := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	var gotW []week
	for _, w := range got {
		if !w.End.Equal(w.Start.AddDate(0, 0, 7)) {
			t.Errorf("week %v ends %v, want 7 days later", w.Start, w.End)
		}
		gotW = append(gotW, week{w.Start, w.N, val(w.Median), w.RollingN, val(w.Rolling)})
	}
	want := []week{
		{to.AddDate(0, 0, -21), 1, 14.0, 1, 14.0},
		{to.AddDate(0, 0, -14), 2, 16.5, 3, 15.0},
		{to.AddDate(0, 0, -7), 1, 15.0, 3, 15.0},
	}
	if !reflect.DeepEqual(gotW, want) {
		t.Errorf("WonCycleWeeks:\n got %+v\nwant %+v", gotW, want)
	}

	t.Run("UndoneAfterTheWeek", func(t *testing.T) {
		// The win at day 41 (21 days) was undone at day 41.5: even as of day
		// 41.2 it is no win, for an undone change never counts (§2). The
		// week is days 34.2–41.2.
		got, err := s.WonCycleWeeks(context.Background(), team, t0.Add(time.Duration(41.2*24*float64(time.Hour))), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].N != 2 || val(got[0].Median) != 16.5 {
			t.Errorf("got %+v, want one week of 2 wins (15 and 18 days), median 16.5", got)
		}
	})
	t.Run("NoWins", func(t *testing.T) {
		got, err := s.WonCycleWeeks(context.Background(), dbtest.TeamID(t), to, 12)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 12 {
			t.Fatalf("got %d weeks, want 12", len(got))
		}
		for _, w := range got {
			if w.N != 0 || w.Median != nil || w.Rolling != nil {
				t.Errorf("week %v: %+v, want no deals and no median", w.Start, w)
			}
		}
	})
}
