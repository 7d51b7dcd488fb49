package db_test

import (
	"context"
	"testing"
	"time"

	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/demo"
)

// bigTeam fills team with the load of §14: 50 reps, 20,000 deals and
// 150,000 stage entries over the year before to (demo.Synthetic), reps
// logging notes on two visits in three.
func bigTeam(tb testing.TB, s *db.DB, team string, to time.Time, seed uint64) {
	tb.Helper()
	sh := demo.Shape{Reps: 50, Deals: 20_000, Entries: 150_000, Notes: 2.0 / 3}
	h := demo.SyntheticHistory(demo.Synthetic(team, sh, to, seed))
	if _, err := s.Import(context.Background(), team, h, to); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SQL().Exec(`VACUUM ANALYZE events, deals`); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkReport times the report for a team of the size §14 sets the
// target for (≤ 300 ms), over 13 weeks (what /coach stats shows), over the
// whole year (every deal counts), and for one rep:
//
//	go test -run '^$' -bench Report -benchtime 20x ./db/
func BenchmarkReport(b *testing.B) {
	s := dbtest.New(b) // of its own: the timings see only the two teams made here
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	bigTeam(b, s, "TOTHER", to, 1) // a neighbour: the report reads one team's rows
	bigTeam(b, s, "TBIG", to, 14)
	var entries, notes int
	s.SQL().QueryRow(`SELECT count(*) FILTER (WHERE entry IS NOT NULL), count(*) FILTER (WHERE kind = 'note') FROM events WHERE team_id = 'TBIG'`).Scan(&entries, &notes)
	b.Logf("team TBIG: %d stage entries, %d notes", entries, notes)
	ctx := context.Background()
	for _, bm := range []struct {
		name  string
		owner string
		days  int
	}{{"13Weeks", "", 91}, {"Year", "", 365}, {"OneRep13Weeks", demo.RepID("TBIG", 7), 91}} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ReportFor(ctx, "TBIG", bm.owner, to.AddDate(0, 0, -bm.days), to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
