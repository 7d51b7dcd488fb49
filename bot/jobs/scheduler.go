package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// SchedulerConfig tunes a Scheduler; zero values take the defaults.
type SchedulerConfig struct {
	ID          string        // names this process in claims; host:pid:random when ""
	Interval    time.Duration // between ticks; 1 minute
	Lease       time.Duration // how long a claim is held before another process may take it over; 10 minutes
	Grace       time.Duration // how late a slot may still be posted; 12 hours
	Recheck     time.Duration // after an ambiguous post, the wait before looking for the message; 1 minute
	MaxAttempts int           // per week; 6
	CallTimeout time.Duration // per Slack call; 20 seconds
	Workers     int           // digests built and posted at once; 4
}

// Scheduler posts every active subscription's weekly digest once per week at
// its local time. Several schedulers (several serve processes) may run on one
// database: a week is claimed in PostgreSQL before it is posted, so it is
// posted at most once, and a claim left by a process that died is taken over
// after its lease, checking the channel's history for the digest first.
type Scheduler struct {
	Env
	store    SchedulerStore
	reporter Reporter
	attach   func(ctx context.Context, p PostedDigest) error
	cfg      SchedulerConfig
}

// SchedulerStore is what the scheduler needs of the database.
type SchedulerStore interface {
	ActiveDigests(ctx context.Context) ([]coach.DigestSub, error)
	SetDigestChannel(ctx context.Context, subID int64, state coach.ChannelState, at time.Time) (coach.ChannelState, error)
	ClaimDigest(ctx context.Context, c coach.DigestClaim) (coach.DigestClaim, bool, error)
	FinishDigest(ctx context.Context, c coach.DigestClaim, o coach.DigestOutcome) (bool, error)
}

// NewScheduler returns a scheduler posting through env's Slack clients and
// clock, with the subscriptions of store and the numbers of reporter. attach,
// when not nil, adds files to each digest once it is posted.
func NewScheduler(env Env, store SchedulerStore, reporter Reporter, attach func(ctx context.Context, p PostedDigest) error, cfg SchedulerConfig) *Scheduler {
	if cfg.ID == "" {
		host, _ := os.Hostname()
		var b [4]byte
		rand.Read(b[:])
		cfg.ID = host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(b[:])
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Interval, time.Minute)
	def(&cfg.Lease, 10*time.Minute)
	def(&cfg.Grace, 12*time.Hour)
	def(&cfg.Recheck, time.Minute)
	def(&cfg.CallTimeout, 20*time.Second)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	return &Scheduler{Env: env.orDefaults(), store: store, reporter: reporter, attach: attach, cfg: cfg}
}

// Run ticks until ctx is done, then returns once the weeks already started
// are finished: a post is not cut off halfway, which would leave it
// ambiguous. A tick that fails is logged and the next one tries again.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.Log.WarnContext(ctx, "digest scheduler tick failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick does one pass at the app's now: it posts the digests that are due,
// looks again at weeks whose claim expired or whose retry time came, and
// checks the channels of new subscriptions. Once ctx is done it starts no
// more weeks, and finishes those it started. It returns when that work is
// done, or an error when the subscriptions cannot be read.
func (s *Scheduler) Tick(ctx context.Context) error {
	subs, err := s.store.ActiveDigests(ctx)
	if err != nil {
		return fmt.Errorf("digest subscriptions: %w", err)
	}
	now := s.Now()
	work := context.WithoutCancel(ctx)
	sem := make(chan struct{}, s.cfg.Workers)
	var wg sync.WaitGroup
	var unchecked []coach.DigestSub
	for _, sub := range subs {
		if ctx.Err() != nil {
			break
		}
		slot, week, due := sub.Due(now)
		if !due {
			if sub.Channel == coach.ChannelUnchecked {
				unchecked = append(unchecked, sub)
			}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			defer observe.Recovered(work, s.Metrics, s.Log, "scheduler")
			s.runWeek(work, sub, slot, week)
		}()
	}
	wg.Wait()
	// New subscriptions: say early if their channel will not do, rather
	// than at their first digest.
	for _, sub := range unchecked {
		if ctx.Err() != nil {
			break
		}
		s.checkChannel(ctx, sub)
	}
	return nil
}

// runWeek claims a subscription's week and, holding the claim, does its work
// and records the outcome.
func (s *Scheduler) runWeek(ctx context.Context, sub coach.DigestSub, slot, week time.Time) {
	now := s.Now()
	claim, ok, err := s.store.ClaimDigest(ctx, coach.DigestClaim{
		SubID: sub.ID, Week: week, Due: slot, By: s.cfg.ID, At: now, LeaseUntil: now.Add(s.cfg.Lease),
	})
	if err != nil {
		s.Log.WarnContext(ctx, "digest claim failed", "subscription", sub.ID, "err", err)
		return
	}
	if !ok {
		return // another process holds the week, or it is done
	}
	out, posted := s.work(ctx, sub, claim)
	out.At = s.Now()
	// Record the outcome even when shutting down: the work is done.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	recorded, err := s.store.FinishDigest(fctx, claim, out)
	attrs := []any{"team", sub.TeamID, "channel", sub.ChannelID, "subscription", sub.ID,
		"week", week.Format("2006-01-02"), "attempt", claim.Attempt, "state", out.State}
	if out.Error != "" {
		attrs = append(attrs, "err", out.Error)
	}
	if err == nil && recorded {
		s.Metrics.Digest(out.State)
	}
	switch {
	case err != nil:
		s.Log.ErrorContext(ctx, "digest outcome not recorded; its lease will expire and the week be checked again", append(attrs, "db_err", err)...)
	case !recorded:
		s.Log.WarnContext(ctx, "digest claim was taken over before its outcome was recorded", attrs...)
	case out.State == coach.RunPosted:
		s.Log.InfoContext(ctx, "digest posted", append(attrs, "ts", out.TS)...)
	case out.State == coach.RunAmbiguous && out.RetryAt.IsZero():
		s.Log.ErrorContext(ctx, "digest may or may not have been posted and I cannot tell; not posting it again", attrs...)
	case out.RetryAt.IsZero():
		s.Log.WarnContext(ctx, "digest not posted", attrs...)
	default:
		s.Log.InfoContext(ctx, "digest will be tried again", append(attrs, "retry_at", out.RetryAt)...)
	}
	// Files come after the outcome is safe: a failure here cannot make the
	// digest itself look unposted.
	if posted != nil && s.attach != nil {
		if err := s.attach(ctx, *posted); err != nil {
			s.Log.WarnContext(ctx, "digest attachment failed", append(attrs, "attach_err", err)...)
		}
	}
}

// errLeaseEnding stops a post that could outlive the claim's lease: another
// process might take the week over while the post is in flight.
var errLeaseEnding = errors.New("the claim's lease is about to run out")

// work posts one claimed week and says how it went, and what it posted when
// it posted. Any attempt after the first looks for the digest in the channel
// before posting: an earlier attempt may have posted it and died, or timed
// out after Slack got it.
func (s *Scheduler) work(ctx context.Context, sub coach.DigestSub, c coach.DigestClaim) (coach.DigestOutcome, *PostedDigest) {
	client, err := s.Slack.Client(ctx, sub.TeamID)
	if err != nil {
		if c.Attempt > 1 {
			return s.later(c, coach.RunAmbiguous, "cannot look for an earlier post: "+err.Error()), nil
		}
		return s.later(c, coach.RunFailed, err.Error()), nil
	}
	if c.Attempt > 1 {
		ts, found, err := s.findPosted(ctx, client, sub, c)
		if err != nil {
			return s.later(c, coach.RunAmbiguous, "cannot look for an earlier post: "+err.Error()), nil
		}
		if found {
			return coach.DigestOutcome{State: coach.RunPosted, TS: ts}, nil
		}
	}
	if s.Now().After(c.Due.Add(s.cfg.Grace)) {
		return coach.DigestOutcome{State: coach.RunFailed, Error: fmt.Sprintf("missed: more than %s after its time", s.cfg.Grace)}, nil
	}
	state, err := s.checkChannel(ctx, sub)
	if err != nil {
		return s.later(c, coach.RunFailed, "conversations.info: "+err.Error()), nil
	}
	if !state.Postable() {
		return coach.DigestOutcome{State: coach.RunFailed, Error: "channel " + string(state)}, nil
	}
	view := render.DigestView{Lang: sub.Lang, Loc: sub.Schedule.Location(), Names: sub.Names}
	rep, reply, err := BuildDigest(ctx, s.reporter, sub.TeamID, c.Due, view)
	if err != nil {
		return s.later(c, coach.RunFailed, err.Error()), nil
	}
	meta := slack.MsgOptionMetadata(digestMetadata(sub.ID, c.Week))
	var ts string
	err = s.Retry.Do(ctx, func(ctx context.Context) error {
		if !s.Now().Add(2 * s.cfg.CallTimeout).Before(c.LeaseUntil) {
			return errLeaseEnding
		}
		cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
		defer cancel()
		_, t, err := client.PostMessageContext(cctx, sub.ChannelID, append(render.DigestMessage(reply), meta)...)
		ts = t
		return err
	})
	if err == nil {
		return coach.DigestOutcome{State: coach.RunPosted, TS: ts},
			&PostedDigest{Client: client, TeamID: sub.TeamID, ChannelID: sub.ChannelID, TS: ts, At: c.Due, View: view, Reports: rep,
				SubID: sub.ID, Week: c.Week}
	}
	if errors.Is(err, transport.ErrAmbiguous) || ctx.Err() != nil {
		return s.later(c, coach.RunAmbiguous, err.Error()), nil
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		// Slack answered and refused (not_in_channel, is_archived,
		// invalid_auth…): trying again this week will not help.
		return coach.DigestOutcome{State: coach.RunFailed, Error: err.Error()}, nil
	}
	return s.later(c, coach.RunFailed, err.Error()), nil
}

// later returns an outcome to look at again: an ambiguous one after Recheck,
// a failure with a backoff; final when the attempts or the grace ran out.
func (s *Scheduler) later(c coach.DigestClaim, state, msg string) coach.DigestOutcome {
	now := s.Now()
	out := coach.DigestOutcome{State: state, Error: msg}
	if c.Attempt >= s.cfg.MaxAttempts || now.After(c.Due.Add(s.cfg.Grace)) {
		return out
	}
	wait := s.cfg.Recheck
	if state == coach.RunFailed {
		wait = min(time.Minute<<(c.Attempt-1), 30*time.Minute)
	}
	out.RetryAt = now.Add(wait)
	return out
}

// digestEvent is the metadata event type that marks the bot's digests.
const digestEvent = "salescoach_digest"

func digestMetadata(subID int64, week time.Time) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: digestEvent, EventPayload: map[string]any{
		"subscription": strconv.FormatInt(subID, 10), "week": week.Format("2006-01-02"),
	}}
}

// maxHistoryPages bounds the search for an earlier post.
const maxHistoryPages = 10

// findPosted looks in the channel's history, since shortly before the week
// was first claimed, for the digest of the claim's subscription and week (by
// its message metadata). It returns an error when it cannot tell.
func (s *Scheduler) findPosted(ctx context.Context, client *slack.Client, sub coach.DigestSub, c coach.DigestClaim) (string, bool, error) {
	want := digestMetadata(sub.ID, c.Week).EventPayload
	params := &slack.GetConversationHistoryParameters{
		ChannelID: sub.ChannelID, Limit: 200, IncludeAllMetadata: true,
		Oldest: strconv.FormatInt(c.FirstAt.Add(-15*time.Minute).Unix(), 10) + ".000000",
	}
	for range maxHistoryPages {
		var resp *slack.GetConversationHistoryResponse
		err := s.Retry.Do(ctx, func(ctx context.Context) error {
			cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
			defer cancel()
			r, err := client.GetConversationHistoryContext(cctx, params)
			resp = r
			return err
		})
		if err != nil {
			return "", false, fmt.Errorf("conversations.history: %w", err)
		}
		for _, m := range resp.Messages {
			md := m.Metadata
			if md.EventType == digestEvent && fmt.Sprint(md.EventPayload["subscription"]) == want["subscription"] &&
				fmt.Sprint(md.EventPayload["week"]) == want["week"] {
				return m.Timestamp, true, nil
			}
		}
		if !resp.HasMore || resp.ResponseMetaData.NextCursor == "" {
			return "", false, nil
		}
		params.Cursor = resp.ResponseMetaData.NextCursor
	}
	return "", false, errors.New("too many messages in the channel to search")
}

// checkChannel asks Slack whether the digest may go to the subscription's
// channel — the bot is a member, and it is not shared with another
// organisation — and records the answer. When the channel newly became
// unusable, it tells the manager who subscribed, in a direct message.
// ChannelStateOf says what Slack's answer to conversations.info (ch, err)
// means for posting a digest there; ok is false when the answer says
// nothing of the channel (Slack could not be reached, say).
func ChannelStateOf(ch *slack.Channel, err error) (state coach.ChannelState, ok bool) {
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &se) && se.Err == "channel_not_found":
		return coach.ChannelNotFound, true
	case err != nil || ch == nil:
		return "", false
	case ch.IsExtShared || ch.IsPendingExtShared || ch.IsShared && !ch.IsOrgShared:
		return coach.ChannelExternal, true
	case ch.IsMember:
		return coach.ChannelOK, true
	}
	return coach.ChannelNotMember, true
}

func (s *Scheduler) checkChannel(ctx context.Context, sub coach.DigestSub) (coach.ChannelState, error) {
	client, err := s.Slack.Client(ctx, sub.TeamID)
	if err != nil {
		return "", err
	}
	var ch *slack.Channel
	err = s.Retry.Do(ctx, func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
		defer cancel()
		c, err := client.GetConversationInfoContext(cctx, &slack.GetConversationInfoInput{ChannelID: sub.ChannelID})
		ch = c
		return err
	})
	state, ok := ChannelStateOf(ch, err)
	if !ok {
		s.Log.WarnContext(ctx, "digest channel check failed", "subscription", sub.ID, "err", err)
		return "", err
	}
	before, err := s.store.SetDigestChannel(ctx, sub.ID, state, s.Now())
	if err != nil {
		return state, nil // Slack's answer stands; recording it can wait
	}
	if state != before && !state.Postable() {
		s.Log.WarnContext(ctx, "digest channel unusable", "subscription", sub.ID, "channel", sub.ChannelID, "state", state)
		msg := render.ChannelProblem(sub.Lang, state, sub.ChannelID)
		err := s.Retry.Do(ctx, func(ctx context.Context) error {
			cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
			defer cancel()
			_, _, err := client.PostMessageContext(cctx, sub.CreatedBy, slack.MsgOptionText(render.Msg(sub.Lang, "jobs.about_digest", nil)+msg, false))
			return err
		})
		if err != nil {
			s.Log.WarnContext(ctx, "could not tell the subscriber about the digest channel", "subscription", sub.ID, "err", err)
		}
	}
	return state, nil
}
