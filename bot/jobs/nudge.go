package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// The stale-deal nudge (§10): once per working day, at the rep's local
// morning, a direct message listing the rep's deals the rules call stale —
// in a stage past the team's p90 (or 14 days without enough data), or idle for
// more than 14 days — each with why and the next step. Paused deals are left
// out. A claim in the database (one row per rep and local date) makes sure two
// `serve` processes never both send it.

// NudgeStore is what the nudges need of the database.
type NudgeStore interface {
	NudgeReps(ctx context.Context, now time.Time) ([]coach.NudgeRep, error)
	ClaimNudge(ctx context.Context, teamID, userID, day string, deals int, now time.Time) (bool, error)
	NudgeSent(ctx context.Context, teamID, userID, day string, at time.Time) error
	ReleaseNudge(ctx context.Context, teamID, userID, day string) error
	Member(ctx context.Context, teamID, userID string) (coach.Member, error)
	ListDeals(ctx context.Context, teamID string, f coach.ListFilter) ([]coach.Deal, int, error)
	Logs(ctx context.Context, teamID string, dealIDs []int64) (map[int64][]coach.Event, error)
}

// Coach is what the nudges need of the use cases: a member as the caller
// of a request, the rules' advice on a deal with the team's numbers, and a
// member's Slack profile read again when it is old.
type Coach interface {
	Caller(m coach.Member) coach.Caller
	Advise(ctx context.Context, c coach.Caller, now time.Time, d coach.Deal, log []coach.Event) coach.Advice
	Refreshed(ctx context.Context, m coach.Member, now time.Time) coach.Member
}

// Nudger sends the stale-deal nudges.
type Nudger struct {
	Env
	Store NudgeStore
	Coach Coach
}

// RunNudges sends the morning nudges until ctx ends, looking every interval
// (a minute in serve). The time comes from the Env's clock.
func (a *Nudger) RunNudges(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := a.Nudge(ctx, a.Now().UTC()); err != nil && ctx.Err() == nil {
				a.Log.WarnContext(ctx, "nudges", "err", err)
			}
		}
	}
}

// Nudge sends the nudges due at now to every rep of every team and returns
// how many direct messages it posted. A failure for one rep is logged and does
// not stop the others; the error is about listing the reps.
func (a *Nudger) Nudge(ctx context.Context, now time.Time) (int, error) {
	reps, err := a.Store.NudgeReps(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("reps to nudge: %w", err)
	}
	sent := 0
	for _, rep := range reps {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		ok, err := a.nudgeOne(ctx, rep, now)
		if ok || err != nil {
			a.Metrics.Nudge(ok)
		}
		if err != nil {
			a.Log.WarnContext(ctx, "nudge not sent", "team", rep.TeamID, "user", rep.UserID, "err", err)
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// nudge sends one rep's nudge when it is due, and reports whether it posted.
func (a *Nudger) nudge(ctx context.Context, rep coach.NudgeRep, now time.Time) (bool, error) {
	client, err := a.Slack.Client(ctx, rep.TeamID)
	if errors.Is(err, transport.ErrNoSlack) {
		return false, nil // nowhere to send it (console, or a workspace not installed)
	}
	if err != nil {
		return false, err
	}
	m := rep.Member
	// The morning is the rep's own: read their time zone from Slack first when
	// it is missing or stale. This is background work, never a reply.
	m = a.Coach.Refreshed(ctx, m, now)
	req := render.Viewer{Caller: a.Coach.Caller(m), Now: now}
	day, due := coach.NudgeDay(now, req.Caller.Loc, rep.LastNudge)
	if !due {
		return false, nil
	}
	deals, _, err := a.Store.ListDeals(ctx, m.TeamID, coach.ListFilter{Owner: m.UserID, Statuses: []coach.Status{coach.StatusOpen}, Limit: 200})
	if err != nil {
		return false, err
	}
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	logs, err := a.Store.Logs(ctx, m.TeamID, ids)
	if err != nil {
		return false, err
	}
	var stale []coach.Deal
	var advice []coach.Advice
	for _, d := range deals {
		if adv := a.Coach.Advise(ctx, req.Caller, now, d, logs[d.ID]); adv.Stale {
			stale, advice = append(stale, d), append(advice, adv)
		}
	}
	// Claim the day even when there is nothing to say, so the rep is looked
	// at once a day rather than every minute of the morning.
	claimed, err := a.Store.ClaimNudge(ctx, m.TeamID, m.UserID, day, len(stale), now)
	if err != nil || !claimed || len(stale) == 0 {
		return false, err
	}
	if err := PostDM(ctx, a.Retry, client, m.UserID, render.NudgeReply(req, stale, advice)); err != nil {
		if errors.Is(err, transport.ErrAmbiguous) {
			// Slack may have posted it: keep the claim rather than risk a second message.
			return false, fmt.Errorf("nudge of %s may or may not have been posted, not retried: %w", day, err)
		}
		if rerr := a.Store.ReleaseNudge(ctx, m.TeamID, m.UserID, day); rerr != nil {
			return false, errors.Join(err, rerr)
		}
		return false, err
	}
	if err := a.Store.NudgeSent(ctx, m.TeamID, m.UserID, day, a.Now().UTC()); err != nil {
		a.Log.WarnContext(ctx, "nudge sent but not recorded as sent", "team", m.TeamID, "user", m.UserID, "err", err)
	}
	return true, nil
}

// PostDM posts a reply in a user's direct messages with the bot. A failure
// that may have posted the message wraps transport.ErrAmbiguous.
func PostDM(ctx context.Context, retry transport.Retry, client *slack.Client, userID string, reply render.Reply) error {
	var channel string
	err := retry.Do(ctx, func(ctx context.Context) error {
		ch, _, _, err := client.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}, ReturnIM: true})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		// Opening a conversation posts nothing, so even a time-out is safe to
		// try again later.
		return fmt.Errorf("open direct message: %v", err)
	}
	msg := reply.Message()
	err = retry.Do(ctx, func(ctx context.Context) error {
		_, _, err := client.PostMessageContext(ctx, channel, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks.BlockSet...))
		return err
	})
	if err != nil {
		return fmt.Errorf("post direct message: %w", err)
	}
	return nil
}

// nudgeOne is nudge, with a panic for one rep logged and counted as a failed
// nudge instead of stopping the others'.
func (a *Nudger) nudgeOne(ctx context.Context, rep coach.NudgeRep, now time.Time) (ok bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			observe.Report(ctx, a.Metrics, a.Log, "nudge", v)
			ok, err = false, fmt.Errorf("nudge for %s panicked", rep.UserID)
		}
	}()
	return a.nudge(ctx, rep, now)
}
