package handlers

import (
	"context"
	"errors"
	"sync"
	"time"

	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// coaching returns what to do next with a deal, as coach composes it from
// its log and the team's numbers: the next step, the 5A tactic, the
// situation's line, what to try today, and why. The rule's id goes to the
// log and the metrics only.
func (a *App) coaching(ctx context.Context, r *Request, d coach.Deal, log []coach.Event) []render.Section {
	adv := a.advise(ctx, r, d, log)
	a.metrics.Advised(adv.Situation.Rule)
	a.log.DebugContext(ctx, "advice", "team", r.TeamID, "deal", d.ID, "rule", string(adv.Situation.Rule))
	return []render.Section{{Lines: render.AdviceLines(r.Viewer, adv)}}
}

// coachingReply is the answer to a change: what happened, then the coaching.
func (a *App) coachingReply(ctx context.Context, r *Request, d coach.Deal, log []coach.Event, text string) render.Reply {
	return render.Reply{Text: text, Sections: a.coaching(ctx, r, d, log), Actions: render.DealButtons(r.Viewer, d, true)}
}

// changeReply reports a stage change from the deal as it was to the deal as it
// is (log: its log with the change), with the coaching and, when the deal
// moved past a stage, that stage's exit criteria left unconfirmed.
func (a *App) changeReply(ctx context.Context, r *Request, from, d coach.Deal, log []coach.Event, ev coach.Event) render.Reply {
	text := render.ChangeText(r.Viewer, from, d, ev)
	reply := a.coachingReply(ctx, r, d, log, text)
	if left, ok := coach.LeftStage(from, ev); ok {
		reply.Sections = append(reply.Sections, render.Checklist(r.Viewer, left, log, from.StageSince))
	}
	reply.Saved = true
	return reply
}

// CoachStore is what coaching needs of the store: the team's numbers the
// rules compare a deal with, and the logs of the deals it coaches.
type CoachStore interface {
	TeamStats(ctx context.Context, teamID string, now time.Time) (coach.TeamStats, error)
	Logs(ctx context.Context, teamID string, dealIDs []int64) (map[int64][]coach.Event, error)
}

// Defaults of the coaching state.
const (
	defaultStatsTTL   = 10 * time.Minute   // the team's numbers move slowly; one query per team per TTL
	defaultProfileTTL = 7 * 24 * time.Hour // how long a cached Slack profile is fresh
	profileRetryAfter = 10 * time.Minute   // after a failed fetch, wait this long before the next
)

// coachState is the App's in-memory state for coaching: cached team numbers,
// the profile fetches started, and the context of the background work.
type coachState struct {
	statsTTL   time.Duration
	profileTTL time.Duration
	retry      transport.Retry

	mu       sync.Mutex
	stats    map[string]cachedStats
	pending  map[string]*statsCall // team → its numbers being read
	profiles map[string]time.Time  // team/user → when its last fetch started
	bgCtx    context.Context       // background work runs under it; Close cancels it
	stop     context.CancelFunc
}

type cachedStats struct {
	stats coach.TeamStats
	at    time.Time
}

// statsCall is one read of a team's numbers that every request needing them
// meanwhile waits for: done is closed once stats and err are set.
type statsCall struct {
	done  chan struct{}
	stats coach.TeamStats
	err   error
}

// statsTimeout bounds one read of a team's numbers, which goes on in the
// background when the request that started it has answered.
const statsTimeout = 30 * time.Second

var errStatsUnread = errors.New("the read of the team's numbers ended without them")

func newCoachState(cfg Config) *coachState {
	cs := &coachState{statsTTL: cfg.StatsTTL, profileTTL: cfg.ProfileTTL, retry: cfg.Retry,
		stats: map[string]cachedStats{}, pending: map[string]*statsCall{}, profiles: map[string]time.Time{}}
	cs.bgCtx, cs.stop = context.WithCancel(context.Background())
	if cs.statsTTL == 0 {
		cs.statsTTL = defaultStatsTTL
	}
	if cs.profileTTL <= 0 {
		cs.profileTTL = defaultProfileTTL
	}
	return cs
}

// Wait waits for the background work the App started (profile fetches,
// uploads, work after answers) to finish.
func (a *App) Wait() {
	a.Drain(context.Background())
}

// Close cancels the background work the App started and waits for it to end.
func (a *App) Close() {
	a.cs.stop()
	a.Drain(context.Background())
}

// teamStats returns the team's numbers as of now, cached for the stats TTL
// (a negative TTL turns the cache off). When the database fails it logs and
// returns empty numbers, so coaching falls back to fixed thresholds instead of
// failing a reply whose change is already saved.
//
// A team's numbers are read once at a time: requests that need them while
// they are read wait for that read (each no longer than its own deadline)
// instead of starting their own. The read runs in the background, so on a
// large team whose numbers take longer than a reply may wait, the requests
// meanwhile coach with fixed thresholds and the read still completes and is
// cached; before, each request started the same query again and, on a busy
// server, none of them finished.
func (a *App) teamStats(ctx context.Context, teamID string, now time.Time) coach.TeamStats {
	cs := a.cs
	if cs.statsTTL <= 0 {
		stats, err := a.store.TeamStats(ctx, teamID, now)
		if err != nil {
			a.log.WarnContext(ctx, "team numbers for coaching", "team", teamID, "err", err)
			return coach.TeamStats{At: now}
		}
		return stats
	}
	cs.mu.Lock()
	c, ok := cs.stats[teamID]
	if ok && now.Sub(c.at) < cs.statsTTL && !now.Before(c.at) {
		cs.mu.Unlock()
		return c.stats
	}
	call, reading := cs.pending[teamID]
	if !reading {
		call = &statsCall{done: make(chan struct{})}
		cs.pending[teamID] = call
		a.bg.Add()
		go func() {
			defer a.bg.Done()
			bg, cancel := context.WithTimeout(cs.bgCtx, statsTimeout)
			defer cancel()
			call.err = errStatsUnread // until the read returns
			defer func() {
				cs.mu.Lock()
				delete(cs.pending, teamID)
				if call.err == nil {
					cs.stats[teamID] = cachedStats{stats: call.stats, at: now}
				}
				cs.mu.Unlock()
				close(call.done)
			}()
			defer observe.Recovered(bg, a.metrics, a.log, "team numbers")
			call.stats, call.err = a.store.TeamStats(bg, teamID, now)
		}()
	}
	cs.mu.Unlock()
	select {
	case <-call.done:
		if call.err != nil {
			a.log.WarnContext(ctx, "team numbers for coaching", "team", teamID, "err", call.err)
			return coach.TeamStats{At: now}
		}
		return call.stats
	case <-ctx.Done():
		a.log.WarnContext(ctx, "team numbers for coaching", "team", teamID, "err", "still being read")
		return coach.TeamStats{At: now}
	}
}

// advise runs the rules for d as the caller sees it now.
func (a *App) advise(ctx context.Context, r *Request, d coach.Deal, log []coach.Event) coach.Advice {
	return a.Advise(ctx, r.Caller, r.Now, d, log)
}
