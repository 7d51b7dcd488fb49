package main

import (
	"encoding/json"
	"strings"
	"testing"

	"salescoach/db/dbtest"
)

// TestForecastDemo: the demo team gets the forecast object of SPEC §16, a
// backtest table, and a bad window one friendly line.
func TestForecastDemo(t *testing.T) {
	t.Parallel()
	c := cli{t, dbtest.URL(t)}
	c.ok("", "demo")
	out := c.ok("", "forecast", "--team", "T0DEMO", "--format", "json")
	var f struct {
		TeamID         *string                      `json:"team_id"`
		Days           int                          `json:"days"`
		Currency       string                       `json:"currency"`
		ExpectedWon    *float64                     `json:"expected_won"`
		WonInterval    *struct{ P10, P90 float64 }  `json:"won_interval"`
		Amount         *float64                     `json:"expected_won_amount"`
		AmountInterval *struct{ P10, P90 float64 }  `json:"amount_interval"`
		Excluded       *int                         `json:"amount_excluded"`
		Deals          []map[string]json.RawMessage `json:"deals"`
	}
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("forecast is not JSON: %v\n%s", err, out)
	}
	if f.TeamID == nil || *f.TeamID != "T0DEMO" || f.Days != 30 || f.Currency != "USD" || f.ExpectedWon == nil ||
		f.WonInterval == nil || f.Amount == nil || f.AmountInterval == nil || f.Excluded == nil || len(f.Deals) == 0 {
		t.Fatalf("forecast lacks a figure:\n%s", out)
	}
	if iv := f.WonInterval; iv.P10 > *f.ExpectedWon || iv.P90 < *f.ExpectedWon || iv.P10 == iv.P90 {
		t.Errorf("expected wins %.2f against the interval %v", *f.ExpectedWon, iv)
	}
	dated := 0
	for _, d := range f.Deals {
		for _, k := range []string{"deal", "external_id", "name", "owner", "stage", "p_win", "expected_close", "close_date"} {
			if _, ok := d[k]; !ok {
				t.Fatalf("a deal lacks %s: %v", k, d)
			}
		}
		if string(d["close_date"]) != "null" {
			dated++
		}
	}
	if dated == 0 {
		t.Error("no open demo deal has a close date")
	}
	table := c.ok("", "forecast", "--team", "T0DEMO", "--backtest")
	for _, w := range []string{"Backtest of T0DEMO", "Brier", "constant", "inside the 80% interval"} {
		if !strings.Contains(table, w) {
			t.Errorf("the backtest lacks %q:\n%s", w, table)
		}
	}
	for _, bad := range []string{"0", "-3", "soon"} {
		_, _, err := c.run("", "forecast", "--team", "T0DEMO", "--days", bad)
		if err == nil || !strings.Contains(err.Error(), "use a whole number of days") || strings.Contains(err.Error(), "\n") {
			t.Errorf("--days %s: %v; want one line naming the form", bad, err)
		}
	}
	young := c.ok("", "forecast", "--team", "T0NEW")
	if !strings.HasPrefix(young, "Too little history to forecast") {
		t.Errorf("an empty team: %q", young)
	}
}
