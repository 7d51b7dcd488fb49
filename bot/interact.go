package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// slackStore is what buttons, modals, events and the profile cache need of
// the store, on top of the commands' Store.
type slackStore interface {
	// ChangeOnce is Change for a click: key names it, and a key seen before
	// for the deal gives coach.ErrAlreadyDone; with version not 0, a deal
	// whose version moved on gives coach.ErrStale.
	ChangeOnce(ctx context.Context, c coach.Caller, id int64, key string, version int64, decide coach.Decide) (coach.Deal, coach.Event, error)
	// ClickOnce records a click that changes no deal; coach.ErrAlreadyDone
	// when key was recorded before.
	ClickOnce(ctx context.Context, c coach.Caller, id int64, key string, at time.Time) error
	// ForgetClick forgets a recorded click whose work failed.
	ForgetClick(ctx context.Context, c coach.Caller, id int64, key string) error
	FirstEvent(ctx context.Context, eventID, teamID, typ string, at time.Time) (bool, error)
	UnmarkEvent(ctx context.Context, eventID string) error
	Uninstall(ctx context.Context, teamID, reason string, now, purgeAfter time.Time) error
	PipelineTotals(ctx context.Context, teamID string) ([]coach.StageTotal, error)
	SetProfile(ctx context.Context, teamID, userID, locale, tz string, admin bool, at time.Time) error
}

// Inbound is one request from Slack — a slash command, an interaction or an
// Events API envelope — as either transport (HTTP or Socket Mode) received it,
// already verified. Exactly one field is set.
type Inbound struct {
	Command     *slack.SlashCommand
	Interaction *slack.InteractionCallback
	Event       json.RawMessage
}

// Outcome is the bot's answer to an Inbound: what Slack gets at once (the HTTP
// response, or the Socket Mode acknowledgement), then the work that follows.
type Outcome struct {
	Status int // HTTP status; 0 means 200. A 5xx makes Slack deliver an event again.
	Body   any // the JSON answer; nil for an empty one
	// ResponseURL is where a Body too large for a Socket Mode acknowledgement
	// is posted instead (a slash command's reply).
	ResponseURL string
	// Later runs once Slack has its answer: posts to response_url, opening
	// the App Home. Nil when there is nothing to do.
	Later func(ctx context.Context)
}

// Dispatch answers one request from Slack. HTTP and Socket Mode both call it,
// so the two transports share every handler.
func (a *App) Dispatch(ctx context.Context, in Inbound) Outcome {
	a.labelRequest(ctx, in)
	switch {
	case in.Command != nil:
		return a.slashCommand(ctx, in.Command)
	case in.Interaction != nil:
		return a.interaction(ctx, in.Interaction)
	case in.Event != nil:
		return a.event(ctx, in.Event)
	}
	return Outcome{Status: http.StatusBadRequest}
}

// laterTimeout bounds the work done after answering Slack.
const laterTimeout = 30 * time.Second

// Go runs fn in the background, with its own deadline, after the answer to
// Slack; Drain waits for it. A nil fn does nothing.
func (a *App) Go(fn func(ctx context.Context)) {
	if fn == nil {
		return
	}
	a.bg.add()
	go func() {
		defer a.bg.done()
		ctx, cancel := context.WithTimeout(context.Background(), laterTimeout)
		defer cancel()
		fn(ctx)
	}()
}

// Drain waits until the background work started with Go is done, or ctx ends.
// Work may still be started while it waits (a sync.WaitGroup forbids that).
func (a *App) Drain(ctx context.Context) error {
	select {
	case <-a.bg.idle():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// background counts the work in flight.
type background struct {
	mu    sync.Mutex
	n     int
	empty chan struct{} // closed when n drops to 0
}

func (b *background) add() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		b.empty = make(chan struct{})
	}
	b.n++
}

func (b *background) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n--; b.n == 0 {
		close(b.empty)
	}
}

// idle returns a channel closed once no work is in flight.
func (b *background) idle() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return b.empty
}

func (a *App) slashCommand(ctx context.Context, sc *slack.SlashCommand) Outcome {
	reply := a.Handle(ctx, Request{
		TeamID: sc.TeamID, UserID: sc.UserID, ChannelID: sc.ChannelID,
		Command: sc.Command, Text: unescapeSlack(sc.Text),
		ResponseURL: sc.ResponseURL, TriggerID: sc.TriggerID,
	})
	if reply.Silent {
		return Outcome{}
	}
	return Outcome{Body: reply.Wire(), ResponseURL: sc.ResponseURL}
}

func (a *App) interaction(ctx context.Context, cb *slack.InteractionCallback) Outcome {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		return a.blockActions(ctx, cb)
	case slack.InteractionTypeViewSubmission:
		return a.viewSubmission(ctx, cb)
	}
	// view_closed and the rest need no answer but a 200.
	return Outcome{}
}

// interactionRequest is the request an interaction stands for.
func interactionRequest(cb *slack.InteractionCallback) Request {
	team := cb.Team.ID
	if team == "" {
		team = cb.User.TeamID
	}
	if team == "" {
		team = cb.View.TeamID
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	return Request{TeamID: team, UserID: cb.User.ID, ChannelID: channel, ResponseURL: cb.ResponseURL, TriggerID: cb.TriggerID}
}

// origin is where an interaction began, and so where its result goes: a
// message (answered through its response_url) or the App Home tab (published
// again with the result on top).
type origin struct {
	ResponseURL string `json:"url,omitempty"`
	Home        bool   `json:"home,omitempty"`
}

func originOf(cb *slack.InteractionCallback) origin {
	if cb.View.Type == slack.VTHomeTab || cb.Container.Type == "view" && cb.ResponseURL == "" {
		return origin{Home: true}
	}
	return origin{ResponseURL: cb.ResponseURL}
}

// deliver returns the work that shows reply where the interaction began;
// replace says whether it takes the place of the message clicked.
func (a *App) deliver(r Request, o origin, reply Reply, replace bool) func(ctx context.Context) {
	switch {
	case o.Home:
		return func(ctx context.Context) {
			if err := a.PublishHome(ctx, r.TeamID, r.UserID, &reply); err != nil {
				a.log.WarnContext(ctx, "publish home failed", "team", r.TeamID, "user", r.UserID, "err", err)
			}
		}
	case o.ResponseURL != "":
		return func(ctx context.Context) {
			msg := reply.Message()
			msg.ReplaceOriginal = replace
			if err := a.respond(ctx, o.ResponseURL, msg); err != nil {
				a.log.WarnContext(ctx, "response_url post failed", "team", r.TeamID, "user", r.UserID, "err", err)
			}
		}
	}
	return func(ctx context.Context) {
		a.log.WarnContext(ctx, "nowhere to show an interaction's result", "team", r.TeamID, "user", r.UserID)
	}
}

// respond posts msg to a response_url (it needs no token). Failures that
// surely did not post are retried; a time-out is not, so nothing posts twice.
func (a *App) respond(ctx context.Context, url string, msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return Retry{Attempts: 3}.Do(ctx, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("response_url: %w", err)
		}
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		resp, err := a.http.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if resp.StatusCode/100 != 2 {
			return slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
		}
		return nil
	})
}
