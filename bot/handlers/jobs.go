package handlers

import (
	"context"
	"time"

	"salescoach/bot/jobs"
	"salescoach/bot/render"
	"salescoach/coach"
)

// The background jobs run beside the App: it gives them its store, clock and
// Slack clients, and itself as their Coach.

// NewScheduler returns a digest scheduler posting through the App's Slack
// clients, store, reporter and clock.
func (a *App) NewScheduler(cfg jobs.SchedulerConfig) *jobs.Scheduler {
	return jobs.NewScheduler(a.env(), a.store, a.reporter, a.attach, cfg)
}

// BuildDigest computes a team's weekly digest as of at: the reports it rests
// on and the reply that shows them.
func (a *App) BuildDigest(ctx context.Context, teamID string, at time.Time, v render.DigestView) (render.DigestReports, render.Reply, error) {
	return jobs.BuildDigest(ctx, a.reporter, teamID, at, v)
}

// PostDigest posts a team's digest as of at in a channel now, without a
// subscription (salescoach digest --post), and returns the message's ts.
func (a *App) PostDigest(ctx context.Context, teamID, channelID string, at time.Time, v render.DigestView) (string, error) {
	return a.NewScheduler(jobs.SchedulerConfig{}).Post(ctx, teamID, channelID, at, v)
}

// RunNudges sends the morning nudges until ctx ends, looking every interval.
func (a *App) RunNudges(ctx context.Context, every time.Duration) { a.nudger.RunNudges(ctx, every) }

// Nudge sends the nudges due at now and returns how many it posted.
func (a *App) Nudge(ctx context.Context, now time.Time) (int, error) { return a.nudger.Nudge(ctx, now) }

// Advise runs the rules for d as c sees it at now, with the team's numbers.
func (a *App) Advise(ctx context.Context, c coach.Caller, now time.Time, d coach.Deal, log []coach.Event) coach.Advice {
	loc := c.Loc
	if loc == nil {
		loc = time.UTC
	}
	return coach.Advise(d, log, a.teamStats(ctx, c.TeamID, now), now.In(loc))
}

// Refreshed returns m with their Slack profile read again first when it is
// missing or stale (and no fetch started lately); m as it was when the fetch
// fails or is not due.
func (a *App) Refreshed(ctx context.Context, m coach.Member, now time.Time) coach.Member {
	if !m.FetchedAt.IsZero() && now.Sub(m.FetchedAt) < a.cs.profileTTL || !a.startProfileFetch(m, now) {
		return m
	}
	if err := a.RefreshProfile(ctx, m.TeamID, m.UserID); err != nil {
		a.log.WarnContext(ctx, "slack profile not refreshed", "team", m.TeamID, "user", m.UserID, "err", err)
		return m
	}
	if fresh, err := a.store.Member(ctx, m.TeamID, m.UserID); err == nil {
		return fresh
	}
	return m
}
