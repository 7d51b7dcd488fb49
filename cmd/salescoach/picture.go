package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"salescoach/bot/jobs"
	"salescoach/coach"
	"salescoach/db"
)

const pictureUsage = "picture flow|trend|blueprint --team T [--deal N] [--weeks N] [--lang en|zh] [--at TIME] --out FILE.png"

// maxPictureWeeks bounds --weeks: two years, as /coach flow and trend accept.
const maxPictureWeeks = 104

// pictureCmd draws one picture of a team into a PNG file, or to stdout with
// --out -.
func pictureCmd(ctx context.Context, e *env, args []string) error {
	kind := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		kind, args = args[0], args[1:]
	}
	fs := e.flags(strings.TrimSpace("picture "+kind), pictureUsage)
	team := fs.String("team", "", "Slack team (workspace) id, e.g. T0001")
	deal := fs.Int("deal", 0, "the deal's number, for blueprint")
	weeks := fs.Int("weeks", 0, fmt.Sprintf("weeks to draw, 1 to %d (default flow: %d, trend: %d)", maxPictureWeeks, jobs.FlowWeeks, jobs.TrendWeeks))
	lang := fs.String("lang", "en", "en or zh")
	at := fs.String("at", "", "draw as of this time (RFC 3339 or YYYY-MM-DD); now by default")
	out := fs.String("out", "", "the PNG file to write; - writes it to stdout")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	switch kind {
	case "flow", "trend", "blueprint":
	case "":
		return errors.New("picture: say which: flow, trend or blueprint (picture flow --team T --out flow.png)")
	default:
		return fmt.Errorf("picture: unknown picture %q: use flow, trend or blueprint", kind)
	}
	if *team == "" || *out == "" {
		return errors.New("picture: --team and --out are required (picture " + kind + " --team T --out FILE.png, or --out - for stdout)")
	}
	if *lang != string(coach.EN) && *lang != string(coach.ZH) {
		return fmt.Errorf("picture: --lang must be en or zh, not %q", *lang)
	}
	if set(fs, "weeks") && (*weeks < 1 || *weeks > maxPictureWeeks) {
		return fmt.Errorf("picture: --weeks must be a whole number from 1 to %d, not %d", maxPictureWeeks, *weeks)
	}
	if set(fs, "deal") && *deal < 1 {
		return fmt.Errorf("picture: --deal must be a deal number (1 or more), not %d", *deal)
	}
	now := time.Now().UTC()
	if *at != "" {
		t, err := parseTime(*at)
		if err != nil {
			return fmt.Errorf("picture: --at: %w", err)
		}
		now = t
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	pics := jobs.NewPictures(store, nil)
	l := coach.Lang(*lang)

	var png []byte
	switch kind {
	case "flow":
		w := orDefault(*weeks, jobs.FlowWeeks)
		png, err = pics.FlowPNG(ctx, *team, now.AddDate(0, 0, -7*w), now, l, time.UTC)
	case "trend":
		png, err = pics.TrendPNG(ctx, *team, now, orDefault(*weeks, jobs.TrendWeeks), l, time.UTC)
	case "blueprint":
		if *deal <= 0 {
			return errors.New("picture blueprint: --deal N (the deal's number) is required")
		}
		c := coach.Caller{TeamID: *team, UserID: "salescoach", Manager: true, Lang: l, Loc: time.UTC}
		ref, rerr := coach.ParseDealRef(fmt.Sprintf("#%d", *deal))
		if rerr != nil {
			return rerr
		}
		found, ferr := store.FindDeals(ctx, c, ref, true)
		if ferr != nil {
			return ferr
		}
		dn, _, rerr := coach.ResolveDeal(ref, found)
		if coach.ErrorCode(rerr) == coach.ENotFound {
			return fmt.Errorf("picture blueprint: team %s has no deal #%d", *team, *deal)
		}
		if rerr != nil {
			return rerr
		}
		d, log, derr := store.Deal(ctx, c, dn.ID)
		if derr != nil {
			return derr
		}
		png, err = pics.BlueprintPNG(ctx, c, d, log, now)
	default:
		return fmt.Errorf("picture: unknown picture %q: use flow, trend or blueprint", kind)
	}
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err := e.stdout.Write(png)
		return err
	}
	if err := os.WriteFile(*out, png, 0o644); err != nil {
		return fmt.Errorf("picture: %w", err)
	}
	fmt.Fprintln(e.stdout, *out)
	return nil
}

// set reports whether the flag was given on the command line.
func set(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// parseTime reads an RFC 3339 time or a date (midnight UTC).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time like 2026-04-01 or 2026-04-01T09:00:00Z", s)
	}
	return t, nil
}
