package demo

import (
	"fmt"
	"math"
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

// Process is a sales process whose workings are known, for checking what
// is learned from the history it makes: how long a visit to each open stage
// lasts and the chance a deal is lost when it leaves that stage (otherwise
// it moves to the next stage, and from closing it is won).
type Process struct {
	Reps         int
	DealsPerWeek float64
	// Dwell is the median days of a visit to each open stage; a visit's
	// length spreads log-normally around it (Spread, the log's standard
	// deviation), so a deal long in a stage is later than most.
	Dwell  map[coach.Stage]float64
	Spread float64
	Lose   map[coach.Stage]float64 // the chance of being lost on leaving each open stage
	// Dated is the share of deals whose rep sets an expected close date on
	// entering presentation: near the real end for deals that will be won,
	// a guess for the rest; a date that passes with the deal still open is
	// pushed two to four weeks (a slip).
	Dated float64
}

// KnownProcess is a process whose stages differ clearly in time and losses.
var KnownProcess = Process{
	Reps: 6, DealsPerWeek: 9, Spread: 0.45, Dated: 0.6,
	Dwell: map[coach.Stage]float64{
		coach.Prospecting: 5, coach.Contact: 7, coach.Qualification: 10,
		coach.Presentation: 8, coach.Objections: 12, coach.Closing: 9,
	},
	Lose: map[coach.Stage]float64{
		coach.Prospecting: 0.35, coach.Contact: 0.25, coach.Qualification: 0.3,
		coach.Presentation: 0.15, coach.Objections: 0.25, coach.Closing: 0.1,
	},
}

// Run makes the history of the process over the days days before to: deals
// start in prospecting at random times and each visit's length and outcome
// follow the process. Entries at or after to are left out. The same seed
// gives the same history.
func (p Process) Run(team string, to time.Time, days int, seed uint64) coach.History {
	rnd := rand.New(rand.NewPCG(seed, 1616))
	var h coach.History
	from := to.AddDate(0, 0, -days)
	n := int(p.DealsPerWeek * float64(days) / 7)
	for i := range n {
		id := fmt.Sprintf("%s-%d", team, i+1)
		owner := RepID(team, i%max(p.Reps, 1))
		amount := coach.Money{Cents: int64(2000+rnd.IntN(60_000)) * 100, Currency: "USD"}
		at := from.Add(time.Duration(rnd.Float64() * float64(to.Sub(from)))).Truncate(time.Minute)
		type step struct {
			stage coach.Stage
			at    time.Time
		}
		steps := []step{{coach.Prospecting, at}}
		for st := coach.Prospecting; ; {
			stay := p.Dwell[st] * math.Exp(rnd.NormFloat64()*p.Spread)
			at = at.Add(time.Duration(stay * 24 * float64(time.Hour)))
			next := st.Next()
			switch {
			case rnd.Float64() < p.Lose[st]:
				next = coach.Lost
			case st == coach.Closing:
				next = coach.Won
			}
			steps = append(steps, step{next, at})
			if !next.IsOpen() {
				break
			}
			st = next
		}
		end := steps[len(steps)-1]
		var dated *step
		if rnd.Float64() < p.Dated {
			for j := range steps {
				if steps[j].stage == coach.Presentation {
					dated = &steps[j]
					break
				}
			}
		}
		for _, s := range steps {
			if !s.at.Before(to) {
				break
			}
			row := coach.HistoryRow{DealID: id, Name: "Deal " + id, Owner: owner, Amount: amount, HasAmount: true, Stage: s.stage, At: s.at}
			if s.stage == coach.Lost {
				row.Reason = coach.LostReasons[rnd.IntN(len(coach.LostReasons))]
			}
			h.Rows = append(h.Rows, row)
		}
		if dated == nil || !dated.at.Before(to) {
			continue
		}
		// The rep's date: near the real close of a deal that will be won;
		// for the others, about as far ahead as the rest of the process.
		guess := dated.at.Add(time.Duration((29 + rnd.NormFloat64()*8) * 24 * float64(time.Hour)))
		if end.stage == coach.Won {
			guess = end.at.Add(time.Duration(rnd.NormFloat64() * 4 * 24 * float64(time.Hour)))
		}
		set := dated.at.Add(time.Hour)
		date := coach.DayOf(guess)
		for set.Before(to) && set.Before(end.at) {
			h.Dues = append(h.Dues, coach.HistoryDue{DealID: id, Author: owner, At: set, Date: date})
			// Passed with the deal still open: pushed out, the day after.
			next := date.Add(34 * time.Hour)
			if !next.After(set) {
				next = set.Add(24 * time.Hour)
			}
			set, date = next, date.AddDate(0, 0, 14+rnd.IntN(15))
		}
	}
	return h
}
