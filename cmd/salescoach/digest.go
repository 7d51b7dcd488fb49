package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"salescoach/bot/jobs"
	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/db"
)

func digest(ctx context.Context, e *env, args []string) error {
	const usage = "digest --team T [--at TIME] [--tz ZONE] [--lang en|zh] [--names=false] [--print | --post CHANNEL]"
	fs := e.flags("digest", usage)
	team := fs.String("team", "", "Slack team (workspace) id, e.g. T0001")
	atFlag := fs.String("at", "", "the digest's time: RFC 3339 (2026-11-02T09:00:00-05:00), or a date or date and time (2026-11-02, 2026-11-02T09:00) in --tz; now when empty")
	tz := fs.String("tz", "UTC", "IANA time zone of the digest's dates and weeks")
	lang := fs.String("lang", "en", "language: en or zh")
	names := fs.Bool("names", true, "name the deals that need attention (false: counts per rep)")
	print := fs.Bool("print", false, "print the digest as plain text (the default)")
	post := fs.String("post", "", "post the digest to this Slack channel id (needs SLACK_BOT_TOKEN)")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *team == "" {
		fs.Usage()
		return errors.New("digest: --team is required")
	}
	if *print && *post != "" {
		return errors.New("digest: choose --print or --post, not both")
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil || *tz == "Local" {
		return fmt.Errorf("digest: unknown time zone %q: use an IANA name such as Europe/Berlin", *tz)
	}
	at, err := parseAt(*atFlag, loc)
	if err != nil {
		return err
	}
	view := render.DigestView{Lang: coach.Lang(*lang), Loc: loc, Names: *names}
	if view.Lang != coach.EN && view.Lang != coach.ZH {
		return fmt.Errorf("digest: --lang must be en or zh, not %q", *lang)
	}
	if *post != "" && e.cfg.BotToken == "" && e.cfg.ClientID == "" {
		return &settingError{"SLACK_BOT_TOKEN", "is required by digest --post: the bot token (xoxb-…) of the workspace"}
	}

	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 4})
	if err != nil {
		return err
	}
	defer store.Close()
	if *post != "" {
		log := e.logger()
		clients, _, err := slackClients(ctx, e.cfg, store, log)
		if err != nil {
			return err
		}
		// The pictures go in the digest's thread, claimed once per picture.
		pics := &jobs.DigestPictures{Pictures: jobs.NewPictures(store, nil), Files: store}
		sched := jobs.NewScheduler(jobs.Env{Slack: clients, Log: log}, store, store, pics.Attach, jobs.SchedulerConfig{})
		ts, err := sched.Post(ctx, *team, *post, at, view)
		if err != nil {
			return fmt.Errorf("digest: %s", render.ErrorMessage(err, coach.EN)+" ("+err.Error()+")")
		}
		fmt.Fprintf(e.stdout, "posted the digest of team %s to %s (message %s)\n", *team, *post, ts)
		return nil
	}
	_, reply, err := jobs.BuildDigest(ctx, store, *team, at, view)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	fmt.Fprintln(e.stdout, reply.PlainText())
	return nil
}

// parseAt reads --at: RFC 3339, or a local date or date and time in loc.
func parseAt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Now(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("digest: --at %q is not a time: use 2026-11-02, 2026-11-02T09:00 or RFC 3339 such as 2026-11-02T09:00:00-05:00", s)
}
