package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/demo"
)

// teamFlag adds the required --team flag.
func teamFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("team", def, "Slack team (workspace) id, e.g. T0001")
}

func importCmd(ctx context.Context, e *env, args []string) error {
	const use = "import --team T FILE   (FILE is a CSV in the stage-history format; - reads stdin)"
	fs := e.flags("import", use)
	team := teamFlag(fs, "")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	// Flags may follow the file too: import FILE --team T.
	file := fs.Arg(0)
	if fs.NArg() > 1 {
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("import: one file at a time (got %q too)", fs.Arg(0))
		}
	}
	if *team == "" || file == "" {
		fs.Usage()
		return errors.New("import: --team and a FILE are required")
	}
	var in io.Reader = e.stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in = f
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	// The file is read row by row into the import's transaction.
	res, err := store.ImportCSV(ctx, *team, in, time.Now())
	var ie *coach.ImportError
	if errors.As(err, &ie) {
		return badRows(e, file, ie.Rows)
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(e.stdout, "imported %s into %s: %d rows read, %d new deals, %d deals updated, %d events added, %d rows already there\n",
		file, *team, res.Rows, res.NewDeals, res.Updated, res.Events, res.AlreadyThere)
	return nil
}

// badRows lists every refused row, file:line: why, and fails.
func badRows(e *env, file string, bad []coach.RowError) error {
	for _, r := range bad {
		fmt.Fprintf(e.stderr, "%s:%d: %s\n", file, r.Line, render.ErrorMessage(r.Err, coach.EN))
	}
	return fmt.Errorf("import: nothing imported: %d bad %s", len(bad), map[bool]string{true: "row", false: "rows"}[len(bad) == 1])
}

func exportCmd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export", "export --team T [--out FILE]")
	team := teamFlag(fs, "")
	out := fs.String("out", "", "write the CSV to FILE instead of stdout")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *team == "" {
		fs.Usage()
		return errors.New("export: --team is required")
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	rows, err := store.History(ctx, *team, "")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if *out == "" {
		return coach.WriteHistoryCSV(e.stdout, rows)
	}
	if err := os.WriteFile(*out, coach.HistoryCSV(rows), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stderr, "exported %d rows of %s to %s\n", len(rows), *team, *out)
	return nil
}

// parseWhen reads a report boundary: RFC 3339, or a date (midnight UTC).
func parseWhen(name, s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--%s %q: use a date (2026-04-01) or an RFC 3339 time (2026-04-01T00:00:00Z)", name, s)
}

func reportCmd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("report", "report --team T [--from DATE] [--to DATE] [--format text|json] [--lang en|zh]")
	team := teamFlag(fs, "")
	fromS := fs.String("from", "", "start of the window, included: 2026-01-01 or RFC 3339 (default: 13 weeks before --to)")
	toS := fs.String("to", "", "end of the window, excluded; the report is as of this time (default: now)")
	format := fs.String("format", "text", "text (a summary for a manager) or json (every figure of §9)")
	lang := fs.String("lang", "en", "language of the text format: en or zh")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *team == "" {
		fs.Usage()
		return errors.New("report: --team is required")
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("report: --format %q: use text or json", *format)
	}
	if *lang != "en" && *lang != "zh" {
		return fmt.Errorf("report: --lang %q: use en or zh", *lang)
	}
	to := time.Now().UTC()
	if *toS != "" {
		t, err := parseWhen("to", *toS)
		if err != nil {
			return err
		}
		to = t
	}
	from := coach.PeriodStart(to, coach.PeriodWeeks)
	if *fromS != "" {
		t, err := parseWhen("from", *fromS)
		if err != nil {
			return err
		}
		from = t
	}
	if !from.Before(to) {
		return fmt.Errorf("report: --from %s is not before --to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := store.Report(ctx, *team, from, to)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	_, err = fmt.Fprintln(e.stdout, render.ReportText(rep, coach.Lang(*lang)))
	return err
}

func demoCmd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("demo", "demo [--team T] [--seed N]")
	team := teamFlag(fs, "T0DEMO")
	seed := fs.Int64("seed", 1, "which made-up history; the same seed gives the same team")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	// The history is made relative to today, so a second run on another day
	// would not fit the first: a team that has it keeps it.
	if n, err := store.CountDeals(ctx, *team, demo.IDPrefix); err != nil {
		return fmt.Errorf("demo: %w", err)
	} else if n > 0 {
		fmt.Fprintf(e.stdout, "demo team %s already has its %d demo deals; nothing changed.\n", *team, n)
		return nil
	}
	h := demo.History(*seed, time.Now())
	res, err := store.Import(ctx, *team, h, time.Now())
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	dues, err := store.AddDues(ctx, *team, h.Dues)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := store.SetManager(ctx, *team, demo.Manager, true); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(e.stdout, "demo team %s: %d deals over the last %d days (%d stage changes, %d notes, %d close dates set); %s is a manager.\n",
		*team, res.NewDeals, demo.Days, len(h.Rows), len(h.Notes), dues, demo.Manager)
	return nil
}
