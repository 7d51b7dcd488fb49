package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"salescoach/coach"
)

// TestStaleRuleAgrees holds the one rule of staleness (§9) to one answer
// wherever it is applied: the rep's coaching (coach.TeamStats.Stale on the
// store's TeamStats, what /coach and the nudges use), the report's stale
// deals (/coach stats, the digest) and /deal list stale. The team has a stage
// judged by its own p90 (Qualification, 12 visits), one with too few visits
// for it (Presentation, the 14-day mark) and one whose long p90 leaves only
// the idle rule to fire (Closing).
func TestStaleRuleAgrees(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s, b := newBuilder(t, now)
	// Visits completed within the 90 days: Qualification of 1…12 days (p90
	// 10.9), Closing of 30…41 days (p90 39.9), Presentation twice.
	// They all end won, so that none of them is open.
	for i := 1; i <= 12; i++ {
		b.win(b.deal(fmt.Sprintf("Q%d", i), coach.Qualification, 60, 0, "USD"), 60-float64(i))
		b.win(b.deal(fmt.Sprintf("C%d", i), coach.Closing, 85, 0, "USD"), 85-29-float64(i))
	}
	b.win(b.deal("P1", coach.Presentation, 40, 0, "USD"), 35)
	b.win(b.deal("P2", coach.Presentation, 30, 0, "USD"), 28)

	cases := []struct {
		name   string
		stage  coach.Stage
		days   float64 // in its stage
		noted  float64 // days since its last note; 0 for none
		paused bool    // paused until next week
		stale  bool    // what §9 says
	}{
		{"qual-5d", coach.Qualification, 5, 0, false, false},
		{"qual-11.5d", coach.Qualification, 11.5, 1, false, true}, // past the team's p90, though noted
		{"qual-13d", coach.Qualification, 13, 2, false, true},     // under 14 days, over the p90
		{"pres-10d", coach.Presentation, 10, 0, false, false},     // too few visits: the 14-day mark
		{"pres-15d", coach.Presentation, 15, 2, false, true},      // past 14 days in the stage
		{"pres-20d-paused", coach.Presentation, 20, 0, true, false},
		{"close-20d-noted", coach.Closing, 20, 3, false, false}, // under the p90 and active
		{"close-20d-idle", coach.Closing, 20, 16, false, true},  // idle for more than 14 days
		{"close-45d", coach.Closing, 45, 1, false, true},        // past the p90
	}
	want := map[int]string{}
	for _, c := range cases {
		d := b.deal(c.name, c.stage, c.days, 0, "USD")
		if c.noted > 0 {
			b.change(d, c.noted, func(cl coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
				return coach.AddNote(cl, d, "called them", at)
			})
		}
		if c.paused {
			b.change(d, 1, func(cl coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
				return coach.Pause(cl, d, coach.PauseArgs{Until: now.AddDate(0, 0, 7)}, at)
			})
		}
		if c.stale {
			want[d.Number] = c.name
		}
	}

	names := func(numbers []int) []string {
		var out []string
		for _, n := range numbers {
			out = append(out, fmt.Sprintf("#%d", n))
		}
		slices.Sort(out)
		return out
	}
	var wantNumbers []int
	for n := range want {
		wantNumbers = append(wantNumbers, n)
	}

	// The coaching: the team's numbers as /coach reads them, each open deal
	// judged in Go.
	stats, err := s.TeamStats(ctx, b.team, now)
	if err != nil {
		t.Fatal(err)
	}
	deals, _, err := s.ListDeals(ctx, b.team, coach.ListFilter{Statuses: []coach.Status{coach.StatusOpen}, Limit: 100, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var coaching []int
	for _, d := range deals {
		if !d.Paused(now) && stats.Stale(d, now) {
			coaching = append(coaching, d.Number)
		}
	}
	// The report of the 90 days before now, as /coach stats and the digest
	// read it.
	rep, err := s.Report(ctx, b.team, now.AddDate(0, 0, -coach.StatsWindowDays), now)
	if err != nil {
		t.Fatal(err)
	}
	var report []int
	for _, d := range rep.StaleDeals {
		report = append(report, d.Deal)
	}
	// /deal list stale.
	listed, _, err := s.ListDeals(ctx, b.team, coach.ListFilter{Stale: true, Limit: 100, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var list []int
	for _, d := range listed {
		list = append(list, d.Number)
	}

	w := names(wantNumbers)
	for what, got := range map[string][]int{"coaching": coaching, "report": report, "list stale": list} {
		if g := names(got); !slices.Equal(g, w) {
			t.Errorf("%s finds %v stale, want %v (%v)", what, g, w, want)
		}
	}
	// The per-stage p90 the coaching judges by is the report's.
	for _, st := range rep.Stages {
		th := stats.Threshold(st.Stage)
		if th.Team != (st.CompletedVisits >= coach.MinVisitsForBottleneck) || th.Visits != st.CompletedVisits {
			t.Errorf("%s: coaching rests on %d visits (team numbers %v), the report on %d", st.Stage, th.Visits, th.Team, st.CompletedVisits)
		}
		if th.Team && (st.P90Days == nil || round4(*st.P90Days) != round4(th.P90)) {
			t.Errorf("%s: coaching's p90 %.4f, the report's %v", st.Stage, th.P90, st.P90Days)
		}
	}
}
