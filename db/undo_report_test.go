package db_test

import (
	"context"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db/dbtest"
)

// TestUndoneLateChangeLeavesThePast: a rep logs in December a move and a
// win that happened in March, then undoes the win. The report and the
// flowchart of March count the move and not the win, as the export does:
// metrics skip an undone change and its undo, whenever the undo was typed
// (§2).
func TestUndoneLateChangeLeavesThePast(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	ctx := context.Background()
	team := dbtest.TeamID(t)
	day := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	typed := day("2026-12-01T10:00:00Z")
	c := coach.Caller{TeamID: team, UserID: "U1", Manager: true}
	if err := s.EnsureTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.CreateDeal(ctx, team, coach.NewDeal{Name: "Old", OwnerID: "U1", HasAmount: true,
		Amount: coach.Money{Cents: 1_000_000, Currency: "USD"}, Stage: coach.Contact, ActorID: "U1", At: day("2026-01-10T09:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	late := func(decide func(d coach.Deal) (coach.Event, error)) {
		t.Helper()
		if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
			ev, err := decide(d)
			ev.TypedAt = typed
			return ev, err
		}); err != nil {
			t.Fatal(err)
		}
	}
	late(func(d coach.Deal) (coach.Event, error) {
		return coach.Move(c, d, coach.Qualification, day("2026-03-15T09:00:00Z"))
	})
	late(func(d coach.Deal) (coach.Event, error) { return coach.Win(c, d, day("2026-03-20T09:00:00Z")) })
	if _, undone, err := s.Undo(ctx, c, typed.Add(time.Minute)); err != nil || undone.Kind != coach.EvWon {
		t.Fatalf("undo: %+v, %v; want the win undone", undone, err)
	}

	from, to := day("2026-03-01T00:00:00Z"), day("2026-04-01T00:00:00Z")
	rep, err := s.Report(ctx, team, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if rep.WinRate.Won != 0 || rep.CycleDays.Won.N != 0 {
		t.Errorf("March counts %d wins (cycle on %d), want none: the win was undone", rep.WinRate.Won, rep.CycleDays.Won.N)
	}
	var open int
	for _, st := range rep.Stages {
		if st.Stage == coach.Qualification {
			open = st.OpenNow
		}
	}
	if open != 1 {
		t.Errorf("%d deals open in qualification at the end of March, want 1: %+v", open, rep.Stages)
	}
	moves, err := s.Transitions(ctx, team, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moves {
		if m.To == coach.Won {
			t.Errorf("March's flowchart has the undone win: %+v", moves)
		}
	}
	if len(moves) != 1 || moves[0].From != coach.Contact || moves[0].To != coach.Qualification {
		t.Errorf("March's moves = %+v, want contact → qualification alone", moves)
	}
}

// TestWonValueSaysWhatItLeavesOut: the won value of a window sums the
// reporting currency and counts the wins it leaves out, for the digest.
func TestWonValueSaysWhatItLeavesOut(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s, b := newBuilder(t, now)
	b.win(b.deal("Dollars", coach.Closing, 20, 1_000_000, "USD"), 3)
	b.win(b.deal("Euros", coach.Closing, 20, 5_000_000, "EUR"), 2)
	b.win(b.deal("No amount", coach.Closing, 20, 0, "EUR"), 1)
	rep, err := s.Report(context.Background(), b.team, now.AddDate(0, 0, -7), now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.WonCents != 1_000_000 || rep.WonExcluded != 1 || rep.WinRate.Won != 3 {
		t.Errorf("won %d deals for %d cents, %d left out; want 3 for 1000000, 1 left out (the euro deal with an amount)",
			rep.WinRate.Won, rep.WonCents, rep.WonExcluded)
	}
}
