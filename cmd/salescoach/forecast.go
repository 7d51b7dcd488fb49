package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"salescoach/coach"
	"salescoach/coach/forecast"
	"salescoach/db"
)

const forecastUsage = "forecast --team T [--at TIME] [--days N] [--format text|json] [--backtest [--months M]]"

func forecastCmd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("forecast", forecastUsage)
	team := teamFlag(fs, "")
	atS := fs.String("at", "", "forecast as of this time, from what was logged before it: 2026-02-01 or RFC 3339 (default: now)")
	days := fs.String("days", "30", "the window: the chance each open deal is won within this many days")
	format := fs.String("format", "text", "text or json (the object of SPEC §16)")
	backtest := fs.Bool("backtest", false, "replay the history: forecast at each of the last month starts from the past alone and score it")
	months := fs.Int("months", 6, "with --backtest: how many month starts")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *team == "" {
		fs.Usage()
		return errors.New("forecast: --team is required")
	}
	n, err := strconv.Atoi(strings.TrimSpace(*days))
	if err != nil || n <= 0 || n > forecast.MaxDays {
		return fmt.Errorf("forecast: --days %q: use a whole number of days from 1 to %d, e.g. --days 30", *days, forecast.MaxDays)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("forecast: --format %q: use text or json", *format)
	}
	if *months <= 0 || *months > 36 {
		return fmt.Errorf("forecast: --months %d: use 1 to 36", *months)
	}
	at := time.Now().UTC().Truncate(time.Second)
	if *atS != "" {
		if at, err = parseWhen("at", *atS); err != nil {
			return err
		}
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := store.ForecastTeam(ctx, *team, at)
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	if *backtest {
		scores := forecast.Backtest(t, at, n, *months)
		if *format == "json" {
			return writeJSON(e.stdout, scores)
		}
		return writeBacktest(e.stdout, t, n, scores)
	}
	f := forecast.Make(t, at, n)
	if *format == "json" {
		return writeJSON(e.stdout, f)
	}
	return writeForecast(e.stdout, f)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// tooLittle is what a forecast says when the history is too short.
func tooLittle(days int) string {
	return fmt.Sprintf("Too little history to forecast: the team's past deals must include at least %d deals open %d days or more before now, %d of them won within %d days.",
		forecast.MinDeals, days, forecast.MinWins, days)
}

func money(v float64, currency string) string {
	return coach.FormatMoney(coach.Money{Cents: int64(v+0.5) * 100, Currency: currency})
}

func writeForecast(w io.Writer, f forecast.Forecast) error {
	if f.TooLittle {
		_, err := fmt.Fprintln(w, tooLittle(f.Days))
		return err
	}
	fmt.Fprintf(w, "Forecast for %s as of %s, the next %d days (learned from %d past deals; close dates %s):\n",
		f.TeamID, f.At.Format(time.RFC3339), f.Days, f.LearnedFrom, map[bool]string{true: "used, they improved recent forecasts", false: "not used, they did not improve recent forecasts"}[f.UsedCloseDate])
	fmt.Fprintf(w, "  wins: %.1f expected, 80%% interval %.0f–%.0f of %d open deals\n", f.ExpectedWon, f.WonInterval.P10, f.WonInterval.P90, len(f.Deals))
	fmt.Fprintf(w, "  won amount: %s expected, 80%% interval %s–%s", money(f.ExpectedWonAmount, f.Currency),
		money(f.AmountInterval.P10, f.Currency), money(f.AmountInterval.P90, f.Currency))
	if f.AmountExcluded > 0 {
		fmt.Fprintf(w, " (%d deals in other currencies left out)", f.AmountExcluded)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  deal\tname\towner\tstage\tp_win\texpected close\tclose date")
	for _, d := range f.Deals {
		exp, due := "—", "—"
		if d.ExpectedClose != nil {
			exp = *d.ExpectedClose
		}
		if d.CloseDate != nil {
			due = *d.CloseDate
		}
		fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s\t%.0f%%\t%s\t%s\n", d.Deal, d.Name, d.Owner, d.Stage.Name(coach.EN), 100*d.PWin, exp, due)
	}
	return tw.Flush()
}

func writeBacktest(w io.Writer, t forecast.Team, days int, scores []forecast.Score) error {
	fmt.Fprintf(w, "Backtest of %s: at each month start, a %d-day forecast from the past alone, scored against what happened.\n", t.ID, days)
	fmt.Fprintln(w, "Brier: mean squared error of p_win (lower is better); constant: the same for the past's base rate given to every deal.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\topen\twins expected\t80% interval\twon\tinside\twon amount expected\t80% interval\twon amount\tinside\tBrier\tconstant\tclose dates\t")
	for _, s := range scores {
		if s.TooLittle {
			fmt.Fprintf(tw, "%s\t%d\t%s\ttoo little history\t\n", s.At.Format("2006-01"), s.Open, strings.Repeat("—\t", 10))
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.0f–%.0f\t%d\t%s\t%s\t%s–%s\t%s\t%s\t%.4f\t%.4f\t%s\t\n",
			s.At.Format("2006-01"), s.Open, s.ExpectedWon, s.WonInterval.P10, s.WonInterval.P90, s.Won, yes(s.WonInterval.Contains(float64(s.Won))),
			money(s.ExpectedAmount, t.Currency), money(s.AmountInterval.P10, t.Currency), money(s.AmountInterval.P90, t.Currency),
			money(s.WonAmount, t.Currency), yes(s.AmountInterval.Contains(s.WonAmount)), s.Brier, s.BrierBase,
			map[bool]string{true: "used", false: "not used"}[s.UsedCloseDate])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	sum := forecast.Summarize(scores)
	if sum.Months == 0 {
		_, err := fmt.Fprintln(w, tooLittle(days))
		return err
	}
	_, err := fmt.Fprintf(w, "Over %d months: Brier %.4f against the constant's %.4f (%s); actual wins inside the 80%% interval %d of %d times, won amount %d of %d.\n",
		sum.Months, sum.Brier, sum.BrierBase, skill(sum), sum.WonInside, sum.Months, sum.AmountInside, sum.Months)
	return err
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// skill says how much better than the constant the forecast was.
func skill(s forecast.Summary) string {
	if s.BrierBase == 0 {
		return "the constant was perfect"
	}
	k := 1 - s.Brier/s.BrierBase
	if k >= 0 {
		return fmt.Sprintf("%.0f%% better", 100*k)
	}
	return fmt.Sprintf("%.0f%% worse", -100*k)
}
