package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// The stale-deal nudge (§10): once per working day, at the rep's local
// morning, a direct message listing the rep's deals the rules call stale —
// in a stage past the team's p90 (or 14 days without enough data), or idle for
// more than 14 days — each with why and the next step. Paused deals are left
// out. A claim in the database (one row per rep and local date) makes sure two
// `serve` processes never both send it.

// nudgeShown is how many stale deals one nudge lists.
const nudgeShown = 10

// RunNudges sends the morning nudges until ctx ends, looking every interval
// (a minute in serve). The time comes from the App's clock.
func (a *App) RunNudges(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := a.Nudge(ctx, a.now().UTC()); err != nil && ctx.Err() == nil {
				a.log.WarnContext(ctx, "nudges", "err", err)
			}
		}
	}
}

// Nudge sends the nudges due at now to every rep of every team and returns
// how many direct messages it posted. A failure for one rep is logged and does
// not stop the others; the error is about listing the reps.
func (a *App) Nudge(ctx context.Context, now time.Time) (int, error) {
	reps, err := a.store.NudgeReps(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("reps to nudge: %w", err)
	}
	sent := 0
	for _, rep := range reps {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		ok, err := a.nudge(ctx, rep, now)
		if ok || err != nil {
			a.metrics.nudge(ok)
		}
		if err != nil {
			a.log.WarnContext(ctx, "nudge not sent", "team", rep.TeamID, "user", rep.UserID, "err", err)
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// nudge sends one rep's nudge when it is due, and reports whether it posted.
func (a *App) nudge(ctx context.Context, rep coach.NudgeRep, now time.Time) (bool, error) {
	client, err := a.slack.Client(ctx, rep.TeamID)
	if errors.Is(err, ErrNoSlack) {
		return false, nil // nowhere to send it (console, or a workspace not installed)
	}
	if err != nil {
		return false, err
	}
	m := rep.Member
	// The morning is the rep's own: read their time zone from Slack first when
	// it is missing or stale. This is background work, never a reply.
	if (m.FetchedAt.IsZero() || now.Sub(m.FetchedAt) >= a.cs.profileTTL) && a.startProfileFetch(m, now) {
		if err := a.RefreshProfile(ctx, m.TeamID, m.UserID); err != nil {
			a.log.WarnContext(ctx, "slack profile not refreshed", "team", m.TeamID, "user", m.UserID, "err", err)
		} else if fresh, err := a.store.Member(ctx, m.TeamID, m.UserID); err == nil {
			m = fresh
		}
	}
	req := &Request{TeamID: m.TeamID, UserID: m.UserID, Caller: a.caller(m), Now: now}
	day, due := coach.NudgeDay(now, req.Caller.Loc, rep.LastNudge)
	if !due {
		return false, nil
	}
	deals, _, err := a.store.ListDeals(ctx, m.TeamID, coach.ListFilter{Owner: m.UserID, Statuses: []coach.Status{coach.StatusOpen}, Limit: 200})
	if err != nil {
		return false, err
	}
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	logs, err := a.store.Logs(ctx, m.TeamID, ids)
	if err != nil {
		return false, err
	}
	var stale []coach.Deal
	var advice []coach.Advice
	for _, d := range deals {
		if adv := a.advise(ctx, req, d, logs[d.ID]); adv.Stale {
			stale, advice = append(stale, d), append(advice, adv)
		}
	}
	// Claim the day even when there is nothing to say, so the rep is looked
	// at once a day rather than every minute of the morning.
	claimed, err := a.store.ClaimNudge(ctx, m.TeamID, m.UserID, day, len(stale), now)
	if err != nil || !claimed || len(stale) == 0 {
		return false, err
	}
	if err := a.postDM(ctx, client, m.UserID, nudgeReply(req, stale, advice)); err != nil {
		if errors.Is(err, ErrAmbiguous) {
			// Slack may have posted it: keep the claim rather than risk a second message.
			return false, fmt.Errorf("nudge of %s may or may not have been posted, not retried: %w", day, err)
		}
		if rerr := a.store.ReleaseNudge(ctx, m.TeamID, m.UserID, day); rerr != nil {
			return false, errors.Join(err, rerr)
		}
		return false, err
	}
	if err := a.store.NudgeSent(ctx, m.TeamID, m.UserID, day, a.now().UTC()); err != nil {
		a.log.WarnContext(ctx, "nudge sent but not recorded as sent", "team", m.TeamID, "user", m.UserID, "err", err)
	}
	return true, nil
}

// nudgeReply lists a rep's stale deals, most urgent first, each with why and
// the next step.
func nudgeReply(r *Request, deals []coach.Deal, advice []coach.Advice) Reply {
	reply := Reply{Text: r.T(fmt.Sprintf("Good morning! %d of your deals need attention today:", len(deals)),
		fmt.Sprintf("早上好！您有 %d 笔交易今天需要关注：", len(deals))),
		Sections: ranked(r, deals, advice, nudgeShown)}
	reply.Note = r.T("Waiting on the buyer for a while? /deal pause #N 2w [reason] mutes a deal. /coach ranks all your deals.",
		"客户那边需要等一段时间？用 /deal pause #编号 2w [原因] 暂停某笔交易的提醒。/coach 可查看您所有交易的优先顺序。")
	if more := len(deals) - nudgeShown; more > 0 {
		reply.Note = r.T(fmt.Sprintf("%d more are stale: /coach ranks them all.", more),
			fmt.Sprintf("还有 %d 笔处于停滞状态：/coach 可查看全部。", more)) + " " + reply.Note
	}
	return reply
}

// postDM posts a reply in a user's direct messages with the bot. A failure
// that may have posted the message wraps ErrAmbiguous.
func (a *App) postDM(ctx context.Context, client *slack.Client, userID string, reply Reply) error {
	var channel string
	err := a.cs.retry.Do(ctx, func(ctx context.Context) error {
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
	err = a.cs.retry.Do(ctx, func(ctx context.Context) error {
		_, _, err := client.PostMessageContext(ctx, channel, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks.BlockSet...))
		return err
	})
	if err != nil {
		return fmt.Errorf("post direct message: %w", err)
	}
	return nil
}
