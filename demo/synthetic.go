package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"salescoach/coach"
)

// Shape is the size of a synthetic team, as SPEC §14's benchmark sets them.
type Shape struct {
	Reps    int
	Deals   int
	Entries int     // stage entries in all, over the deals
	Notes   float64 // the share of open-stage visits with a note
}

// SyntheticDeal is one made-up deal: its history rows (one per stage entry,
// as an import file has them) and its notes.
type SyntheticDeal struct {
	ID    string
	Rows  []coach.HistoryRow
	Notes []coach.HistoryNote
}

// RepID is the id of rep i of a synthetic team: team "TBIG" has UBIG000,
// UBIG001, …
func RepID(team string, i int) string {
	return fmt.Sprintf("U%s%03d", strings.TrimPrefix(team, "T"), i)
}

// Synthetic makes a team of shape sh over the year before to, for measuring
// rather than for reading. Deals move forward, skip, loop back, are lost and
// reopened at random; those whose history ended more than six weeks before to
// closed won or lost, the rest are open at to (about one in six), as in a
// real pipeline; reps log notes on a share of the visits. The same seed gives
// the same team.
func Synthetic(team string, sh Shape, to time.Time, seed uint64) []SyntheticDeal {
	rnd := rand.New(rand.NewPCG(seed, 14))
	out := make([]SyntheticDeal, 0, sh.Deals)
	for d := range sh.Deals {
		id := fmt.Sprintf("%s-%d", team, d+1)
		owner := RepID(team, d%sh.Reps)
		cur := "USD"
		if d%17 == 0 {
			cur = "EUR"
		}
		amount := coach.Money{Cents: int64(1000+rnd.IntN(100_000)) * 100, Currency: cur}
		// Deal d gets its share of the entries; at least two.
		n := max(2, (d+1)*sh.Entries/sh.Deals-d*sh.Entries/sh.Deals)
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
				next = coach.OpenStages[min(prev.Index()+1+rnd.IntN(2), 5)] // forward, or a skip
				if next == prev {
					next = coach.OpenStages[rnd.IntN(5)]
				}
			}
			stages = append(stages, next)
			gaps = append(gaps, time.Duration(2+rnd.IntN(14*24))*time.Hour)
		}
		end := to.Add(-2*time.Hour - time.Duration(rnd.Float64()*300*24)*time.Hour)
		if to.Sub(end) > 42*24*time.Hour && stages[n-1].IsOpen() && stages[n-2].IsOpen() {
			stages[n-1] = []coach.Stage{coach.Won, coach.Lost, coach.Lost}[rnd.IntN(3)]
		}
		var total time.Duration
		for _, g := range gaps {
			total += g
		}
		at := end.Add(-total).Truncate(time.Second)
		g := SyntheticDeal{ID: id}
		for i, st := range stages {
			at = at.Add(gaps[i])
			if i > 0 && st == stages[i-1] {
				continue
			}
			row := coach.HistoryRow{DealID: id, Name: "Deal " + id, Owner: owner, Amount: amount, HasAmount: true, Stage: st, At: at}
			if st == coach.Lost {
				row.Reason = coach.LostReasons[rnd.IntN(len(coach.LostReasons))]
			}
			g.Rows = append(g.Rows, row)
			if st.IsOpen() && rnd.Float64() < sh.Notes {
				g.Notes = append(g.Notes, coach.HistoryNote{DealID: id, Author: owner, At: at.Add(time.Hour), Text: "Called the buyer about next steps"})
			}
		}
		out = append(out, g)
	}
	return out
}

// SyntheticHistory is the history of synthetic deals, as an import takes it.
func SyntheticHistory(deals []SyntheticDeal) coach.History {
	var h coach.History
	for _, d := range deals {
		h.Rows = append(h.Rows, d.Rows...)
		h.Notes = append(h.Notes, d.Notes...)
	}
	return h
}
