package forecast_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/coach/forecast"
	"salescoach/demo"
)

var to = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// TestForecastLearnsTheProcess: on teams whose process is known (stages that
// differ in time and losses), the forecast's p_win beats the best constant
// clearly, and its 80 % intervals hold the actual wins and won amount about
// 80 % of the time.
func TestForecastLearnsTheProcess(t *testing.T) {
	const seeds = 20
	var brier, base float64
	var months, wonIn, amountIn int
	for seed := uint64(1); seed <= seeds; seed++ {
		team := forecast.FromHistory("T1", "USD", demo.KnownProcess.Run("T1", to, 365, seed))
		s := forecast.Summarize(forecast.Backtest(team, to, 30, 6))
		if s.Months != 6 {
			t.Fatalf("seed %d: %d months forecast, want 6", seed, s.Months)
		}
		brier += s.Brier
		base += s.BrierBase
		months += s.Months
		wonIn += s.WonInside
		amountIn += s.AmountInside
	}
	t.Logf("mean Brier %.4f, the constant's %.4f", brier/seeds, base/seeds)
	if brier > 0.75*base {
		t.Errorf("mean Brier %.4f; the constant's %.4f: the forecast should beat it by a quarter", brier/seeds, base/seeds)
	}
	for _, c := range []struct {
		what   string
		inside int
	}{{"wins", wonIn}, {"won amount", amountIn}} {
		if share := float64(c.inside) / float64(months); share < 0.68 || share > 0.95 {
			t.Errorf("the actual %s fell inside the 80%% interval %d times in %d (%.0f%%)", c.what, c.inside, months, 100*share)
		}
		t.Logf("the actual %s fell inside the 80%% interval %d times in %d", c.what, c.inside, months)
	}
}

// TestForecastSeesOnlyThePast: a forecast as of a time is the same whether
// or not what happened after it is known.
func TestForecastSeesOnlyThePast(t *testing.T) {
	h := demo.KnownProcess.Run("T1", to, 365, 3)
	at := to.AddDate(0, -2, 0)
	full := forecast.Make(forecast.FromHistory("T1", "USD", h), at, 30)
	var past coach.History
	for _, r := range h.Rows {
		if r.At.Before(at) {
			past.Rows = append(past.Rows, r)
		}
	}
	for _, u := range h.Dues {
		if u.At.Before(at) {
			past.Dues = append(past.Dues, u)
		}
	}
	cut := forecast.Make(forecast.FromHistory("T1", "USD", past), at, 30)
	for _, f := range []*forecast.Forecast{&full, &cut} {
		for i := range f.Deals {
			f.Deals[i].Deal = 0 // numbered in order of appearance: fewer deals, other numbers
		}
	}
	a, _ := json.Marshal(full)
	b, _ := json.Marshal(cut)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the forecast changed with the future:\n%s\n%s", a, b)
	}
	if full.TooLittle || len(full.Deals) == 0 || full.ExpectedWon <= 0 {
		t.Fatalf("no forecast: %+v", full)
	}
	for _, d := range full.Deals {
		if d.PWin < 0 || d.PWin > 1 || d.ExpectedClose == nil || d.ExternalID == nil {
			t.Errorf("deal %+v", d)
		}
	}
	if iv := full.WonInterval; iv.P10 > full.ExpectedWon || iv.P90 < full.ExpectedWon {
		t.Errorf("expected wins %.2f outside its interval %v", full.ExpectedWon, iv)
	}
}

// TestTooLittleHistory: a young team gets no numbers, only the open deals.
func TestTooLittleHistory(t *testing.T) {
	h := demo.KnownProcess.Run("T1", to, 40, 1)
	f := forecast.Make(forecast.FromHistory("T1", "USD", h), to, 30)
	if !f.TooLittle || f.ExpectedWon != 0 || len(f.Deals) == 0 {
		t.Errorf("40 days of history: too little %v, expected %.1f, %d deals; want too little, 0, the open deals", f.TooLittle, f.ExpectedWon, len(f.Deals))
	}
}
