package db_test

import (
	"context"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db/dbtest"
)

// TestBackdatedMove: a move logged a day late is dated when it happened (the
// deal's time in stage, the export) and undone by when it was typed.
func TestBackdatedMove(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	d := newDeal(t, s, team, "U1", "Acme") // added at t0
	c := coach.Caller{TeamID: team, UserID: "U1", Loc: time.UTC}
	typed := t0.AddDate(0, 0, 5)
	yesterday := typed.AddDate(0, 0, -1)

	after, ev, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		e, err := coach.Move(c, d, coach.Presentation, yesterday)
		e.TypedAt = typed
		return e, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !ev.At.Equal(yesterday) || !after.StageSince.Equal(yesterday) || !after.LastActive.Equal(yesterday) {
		t.Errorf("event at %v, stage since %v, last active %v; want all yesterday (%v)", ev.At, after.StageSince, after.LastActive, yesterday)
	}
	_, log, err := s.Deal(ctx, c, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := log[len(log)-1]; !got.TypedAt.Equal(typed) || !got.Backdated() {
		t.Errorf("stored event typed at %v (back-dated %v); want %v", got.TypedAt, got.Backdated(), typed)
	}
	rows, err := s.History(ctx, team, "")
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1]; last.Stage != coach.Presentation || !last.At.Equal(yesterday) {
		t.Errorf("export's last row %s at %v; want presentation at %v", last.Stage, last.At, yesterday)
	}

	// A later note, then a move dated before the presentation: refused.
	if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return coach.AddNote(c, d, "sent the deck", typed)
	}); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return coach.Move(c, d, coach.Objections, yesterday.Add(-time.Hour))
	})
	if coach.ErrorCode(err) != coach.EInvalid {
		t.Errorf("a move dated before the latest stage entry: %v; want it refused", err)
	}

	// Undo takes the last change typed (the note), then the back-dated move.
	if _, undone, err := s.Undo(ctx, c, typed.Add(time.Minute)); err != nil || undone.Kind != coach.EvNote {
		t.Fatalf("first undo undid %v (%v); want the note", undone.Kind, err)
	}
	after, undone, err := s.Undo(ctx, c, typed.Add(time.Minute))
	if err != nil || undone.Kind != coach.EvMove {
		t.Fatalf("second undo undid %v (%v); want the back-dated move", undone.Kind, err)
	}
	if after.Stage != coach.Prospecting || !after.StageSince.Equal(t0) {
		t.Errorf("after undo: %s since %v; want prospecting since %v", after.Stage, after.StageSince, t0)
	}
}
