package db_test

import (
	"context"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db/dbtest"
	"salescoach/demo"
	"salescoach/picture"
)

// TestFlowMatchesReport: for the demo team, the flowchart of a window says
// the same won and lost counts and per-stage visits as the report of that
// window, though its arrows count moves (a deal won, reopened and won again
// is one win and two moves into won).
func TestFlowMatchesReport(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	if _, err := s.Import(ctx, team, demo.History(1, now), now); err != nil {
		t.Fatal(err)
	}
	to := now
	from := coach.PeriodStart(to, coach.PeriodWeeks)
	rep, err := s.Report(ctx, team, from, to)
	if err != nil {
		t.Fatal(err)
	}
	moves, err := s.Transitions(ctx, team, from, to)
	if err != nil {
		t.Fatal(err)
	}
	got := picture.FlowOf(team, rep, moves, time.UTC).Counts()
	if got.Won != rep.WinRate.Won || got.Lost != rep.WinRate.Lost {
		t.Errorf("flowchart: won %d, lost %d; the report: won %d, lost %d", got.Won, got.Lost, rep.WinRate.Won, rep.WinRate.Lost)
	}
	if rep.WinRate.Won == 0 || rep.WinRate.Lost == 0 {
		t.Fatalf("the demo team closed nothing in the window: %+v", rep.WinRate)
	}
	for _, st := range rep.Stages {
		if got.Visits[st.Stage] != st.CompletedVisits || got.OpenNow[st.Stage] != st.OpenNow {
			t.Errorf("%s: flowchart %d visits, %d open; the report %d, %d", st.Stage, got.Visits[st.Stage], got.OpenNow[st.Stage], st.CompletedVisits, st.OpenNow)
		}
	}
	intoWon := 0
	for _, m := range moves {
		if m.To == coach.Won {
			intoWon += m.Count
		}
	}
	t.Logf("window %s – %s: %d won (%d moves into won), %d lost", from.Format("2006-01-02"), to.Format("2006-01-02"), rep.WinRate.Won, intoWon, rep.WinRate.Lost)
}
