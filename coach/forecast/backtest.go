package forecast

import "time"

// Score is how one past forecast fared against what happened.
type Score struct {
	At             time.Time `json:"at"`
	Open           int       `json:"open"` // deals open then
	ExpectedWon    float64   `json:"expected_won"`
	WonInterval    Interval  `json:"won_interval"`
	Won            int       `json:"won"` // deals among them won within the window
	ExpectedAmount float64   `json:"expected_won_amount"`
	AmountInterval Interval  `json:"amount_interval"`
	WonAmount      float64   `json:"won_amount"`
	Brier          float64   `json:"brier"`          // mean squared error of p_win
	BrierBase      float64   `json:"brier_constant"` // the same for the best constant forecast of then: its base rate
	UsedCloseDate  bool      `json:"used_close_date"`
	TooLittle      bool      `json:"too_little_history"` // nothing forecast: too little history then
}

// Backtest forecasts the team as of each of the last months month starts
// whose window is over by now, from what happened before each alone, and
// scores each forecast against what happened in its window. Oldest first.
func Backtest(team Team, now time.Time, days, months int) []Score {
	past := team.before(now)
	var out []Score
	for _, m := range monthStarts(now, days, months) {
		f := makeScored(*past, m, days)
		sc := Score{At: m, Open: len(f.Deals), ExpectedWon: f.ExpectedWon, WonInterval: f.WonInterval,
			ExpectedAmount: f.ExpectedWonAmount, AmountInterval: f.AmountInterval,
			UsedCloseDate: f.UsedCloseDate, TooLittle: f.TooLittle}
		for _, d := range f.Deals {
			y := b2f(d.won)
			if d.won {
				sc.Won++
				sc.WonAmount += d.Amount
			}
			sc.Brier += sq(d.PWin - y)
			sc.BrierBase += sq(f.Base - y)
		}
		if n := float64(len(f.Deals)); n > 0 {
			sc.Brier /= n
			sc.BrierBase /= n
		}
		out = append(out, sc)
	}
	return out
}

// Summary sums up a backtest: over the months that were forecast, the mean
// Brier scores and how often the actual wins and won amount fell inside the
// interval.
type Summary struct {
	Months       int // months forecast (not too little history)
	Brier        float64
	BrierBase    float64
	WonInside    int
	AmountInside int
}

// Summarize sums up scores.
func Summarize(scores []Score) Summary {
	var s Summary
	for _, sc := range scores {
		if sc.TooLittle || sc.Open == 0 {
			continue
		}
		s.Months++
		s.Brier += sc.Brier
		s.BrierBase += sc.BrierBase
		if sc.WonInterval.Contains(float64(sc.Won)) {
			s.WonInside++
		}
		if sc.AmountInterval.Contains(sc.WonAmount) {
			s.AmountInside++
		}
	}
	if s.Months > 0 {
		s.Brier /= float64(s.Months)
		s.BrierBase /= float64(s.Months)
	}
	return s
}
