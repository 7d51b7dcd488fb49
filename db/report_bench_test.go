package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// bigTeam fills team with the load of §14: 50 reps, 20,000 deals and
// 150,000 stage entries over the year before to. Deals move forward, skip,
// loop back, are lost and reopened at random; those that ended more than six
// weeks before to closed won or lost, the rest are open at to (about one in
// six), as in a real pipeline; reps log notes on two visits in three.
func bigTeam(tb testing.TB, s *db.DB, team string, to time.Time, seed uint64) {
	tb.Helper()
	rnd := rand.New(rand.NewPCG(seed, 14))
	const deals, entries = 20_000, 150_000
	var h coach.History
	for d := range deals {
		id := fmt.Sprintf("B-%d", d)
		owner := fmt.Sprintf("U%04d", d%50)
		cur := "USD"
		if d%17 == 0 {
			cur = "EUR"
		}
		amount := coach.Money{Cents: int64(1000+rnd.IntN(100_000)) * 100, Currency: cur}
		// Deal d gets its share of the 150,000 entries.
		n := (d+1)*entries/deals - d*entries/deals
		stages := []coach.Stage{coach.OpenStages[rnd.IntN(3)]}
		gaps := []time.Duration{0}
		for i := 1; i < n; i++ {
			prev := stages[i-1]
			var next coach.Stage
			switch x := rnd.IntN(100); {
			case !prev.IsOpen():
				next = coach.OpenStages[rnd.IntN(6)] // reopened
			case x < 6:
				next = coach.Lost
			case x < 22 && prev.Index() > 0:
				next = coach.OpenStages[rnd.IntN(prev.Index())] // back
			default:
				next = coach.OpenStages[min(prev.Index()+1+rnd.IntN(2), 5)]
				if next == prev {
					next = coach.OpenStages[rnd.IntN(5)]
				}
			}
			stages = append(stages, next)
			gaps = append(gaps, time.Duration(2+rnd.IntN(14*24))*time.Hour)
		}
		end := to.Add(-time.Duration(rnd.Float64()*300*24) * time.Hour)
		if to.Sub(end) > 42*24*time.Hour && stages[n-1].IsOpen() && stages[n-2].IsOpen() {
			stages[n-1] = []coach.Stage{coach.Won, coach.Lost, coach.Lost}[rnd.IntN(3)]
		}
		var total time.Duration
		for _, g := range gaps {
			total += g
		}
		at := end.Add(-total)
		for i, st := range stages {
			at = at.Add(gaps[i])
			if i > 0 && st == stages[i-1] {
				continue
			}
			h.Rows = append(h.Rows, coach.HistoryRow{DealID: id, Name: "Deal " + id, Owner: owner,
				Amount: amount, HasAmount: true, Stage: st, At: at})
			if st.IsOpen() && rnd.IntN(3) > 0 { // two notes in three visits
				h.Notes = append(h.Notes, coach.HistoryNote{DealID: id, Author: owner, At: at.Add(time.Hour), Text: "Called the buyer"})
			}
		}
	}
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
	s := dbtest.New(b)
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
	}{{"13Weeks", "", 91}, {"Year", "", 365}, {"OneRep13Weeks", "U0007", 91}} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ReportFor(ctx, "TBIG", bm.owner, to.AddDate(0, 0, -bm.days), to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
