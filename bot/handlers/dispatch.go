package handlers

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// Dispatch answers one request from Slack. HTTP and Socket Mode both call it,
// so the two transports share every handler.
func (a *App) Dispatch(ctx context.Context, in transport.Inbound) (out transport.Outcome) {
	defer func() {
		// A bug in one handler answers like a failed database ("nothing was
		// saved", in the route's own shape) and leaves serve running.
		if v := recover(); v != nil {
			observe.Report(ctx, a.metrics, a.log, "dispatch", v)
			// The store's transactions roll back as the panic unwinds.
			out = a.failed(ctx, in, errPanic)
		}
	}()
	observe.Label(ctx, a.commandLabel(in))
	switch {
	case in.Command != nil:
		sc := in.Command
		served, err := a.serves(ctx, sc.TeamID)
		if err != nil {
			a.metrics.Failed(coach.ErrorCode(err))
			a.log.WarnContext(ctx, "workspace not checked", "team", sc.TeamID, "err", err)
			return a.failed(ctx, in, err)
		}
		if !served {
			return a.refuseOutsider(ctx, in, sc.TeamID, sc.UserID)
		}
		return a.slashCommand(ctx, sc, in.Member)
	case in.Interaction != nil:
		cb := in.Interaction
		if cb.Type == slack.InteractionTypeViewClosed {
			return a.interaction(ctx, cb)
		}
		if outsider(cb) {
			return a.refuseOutsider(ctx, in, interactionTeam(cb), cb.User.ID)
		}
		// As for commands: a workspace that never installed the bot (with
		// OAuth installs) is served nothing, whatever its payload says.
		served, err := a.serves(ctx, interactionTeam(cb))
		if err != nil {
			a.metrics.Failed(coach.ErrorCode(err))
			a.log.WarnContext(ctx, "workspace not checked", "team", interactionTeam(cb), "err", err)
			return a.failed(ctx, in, err)
		}
		if !served {
			return a.refuseOutsider(ctx, in, interactionTeam(cb), cb.User.ID)
		}
		return a.interaction(ctx, cb)
	case in.Event != nil:
		return a.event(ctx, in.Event)
	}
	return transport.Outcome{Status: http.StatusBadRequest}
}

// errPanic is what a recovered panic answers: an internal error.
var errPanic = errors.New("panic while answering")

// laterTimeout bounds the work done after answering Slack.
const laterTimeout = 30 * time.Second

// Go runs fn in the background, with its own deadline, after the answer to
// Slack; Drain waits for it. A nil fn does nothing.
func (a *App) Go(fn func(ctx context.Context)) {
	if fn == nil {
		return
	}
	a.bg.Add()
	go func() {
		defer a.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), laterTimeout)
		defer cancel()
		defer observe.Recovered(ctx, a.metrics, a.log, "later")
		fn(ctx)
	}()
}

// Drain waits until the background work started with Go is done, or ctx ends.
// Work may still be started while it waits (a sync.WaitGroup forbids that).
func (a *App) Drain(ctx context.Context) error { return a.bg.Wait(ctx) }

// Respond posts body to a response_url.
func (a *App) Respond(ctx context.Context, url string, body any) error {
	return transport.Respond(ctx, a.http, url, body)
}

// slowMargin is what a slow command leaves of the request's deadline for the
// answer to reach Slack.
const slowMargin = 300 * time.Millisecond

// slowReply runs work in the background and returns its reply when it is
// ready within the request's budget (see Config.SlowWait); otherwise it
// returns a line saying the answer is on its way, and the answer, or the
// usual failure line, is posted to r's response_url when ready. Exactly one
// of the two carries the answer.
func (a *App) slowReply(ctx context.Context, r *Request, what string, work func(context.Context, *Request) (render.Reply, error)) render.Reply {
	wait := a.slowWait
	if wait == 0 {
		wait = time.Second
		if deadline, ok := ctx.Deadline(); ok {
			wait = time.Until(deadline) - slowMargin
		}
	}
	type result struct {
		reply render.Reply
		err   error
	}
	var (
		mu    sync.Mutex
		late  bool                   // the request gave up waiting: post the answer
		ready = make(chan result, 1) // the answer, while the request waits
	)
	if wait < 0 {
		late = true
	}
	req := *r
	a.Go(func(ctx context.Context) {
		var res result
		func() {
			defer func() {
				if v := recover(); v != nil {
					observe.Report(ctx, a.metrics, a.log, what, v)
					res = result{err: errPanic}
				}
			}()
			res.reply, res.err = work(ctx, &req)
		}()
		mu.Lock()
		posting := late
		if !posting {
			ready <- res
		}
		mu.Unlock()
		if !posting {
			return
		}
		reply := res.reply
		if res.err != nil {
			reply = a.failure(ctx, &req, res.err)
		}
		if err := a.Respond(ctx, req.ResponseURL, reply.Message()); err != nil {
			a.log.WarnContext(ctx, "response_url post failed", "team", req.TeamID, "user", req.UserID, "command", req.Command, "err", err)
		}
	})
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case res := <-ready:
			return a.answer(ctx, r, res.reply, res.err)
		case <-t.C:
		case <-ctx.Done():
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if late {
		return render.Reply{Text: r.Msg("slow.on_its_way", nil)}
	}
	select {
	case res := <-ready: // finished as the wait ended
		return a.answer(ctx, r, res.reply, res.err)
	default:
		late = true
		return render.Reply{Text: r.Msg("slow.on_its_way", nil)}
	}
}

func (a *App) slashCommand(ctx context.Context, sc *slack.SlashCommand, member *coach.Member) transport.Outcome {
	reply := a.Handle(ctx, Request{
		TeamID: sc.TeamID, UserID: sc.UserID, ChannelID: sc.ChannelID, ChannelName: sc.ChannelName,
		Command: sc.Command, Text: coach.FromSlack(sc.Text),
		ResponseURL: sc.ResponseURL, TriggerID: sc.TriggerID, Known: member,
	})
	if reply.Silent {
		return transport.Outcome{}
	}
	return transport.Outcome{Body: reply.Wire(), ResponseURL: sc.ResponseURL}
}

func (a *App) interaction(ctx context.Context, cb *slack.InteractionCallback) transport.Outcome {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		return a.blockActions(ctx, cb)
	case slack.InteractionTypeViewSubmission:
		return a.viewSubmission(ctx, cb)
	}
	// view_closed and the rest need no answer but a 200.
	return transport.Outcome{}
}

// interactionTeam returns the workspace an interaction belongs to, found as
// both Bolt frameworks find it: for anything in a view (a modal's
// submission, a click inside a modal or the Home tab) the workspace that
// installed the app, view.app_installed_team_id — in a Slack Connect channel
// team.id and view.team_id can be the user's own organisation — then
// team.id, the user's team, the view's team.
func interactionTeam(cb *slack.InteractionCallback) string {
	for _, team := range []string{cb.View.AppInstalledTeamID, cb.Team.ID, cb.User.TeamID, cb.View.TeamID} {
		if team != "" {
			return team
		}
	}
	return ""
}

// interactionRequest is the request an interaction stands for.
func interactionRequest(cb *slack.InteractionCallback) Request {
	team := interactionTeam(cb)
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	return Request{TeamID: team, UserID: cb.User.ID, ChannelID: channel, ResponseURL: cb.ResponseURL, TriggerID: cb.TriggerID}
}

func originOf(cb *slack.InteractionCallback) render.Origin {
	if cb.View.Type == slack.VTHomeTab || cb.Container.Type == "view" && cb.ResponseURL == "" {
		return render.Origin{Home: true}
	}
	return render.Origin{ResponseURL: cb.ResponseURL}
}

// deliver returns the work that shows reply where the interaction began;
// replace says whether it takes the place of the message clicked.
func (a *App) deliver(r Request, o render.Origin, reply render.Reply, replace bool) func(ctx context.Context) {
	reply = a.withReinstall(&r, reply)
	switch {
	case o.Home:
		return func(ctx context.Context) {
			if err := a.PublishHome(ctx, r.TeamID, r.UserID, &reply); err != nil {
				a.log.WarnContext(ctx, "publish home failed", "team", r.TeamID, "user", r.UserID, "err", err)
				if reply.Saved {
					a.tellSaved(ctx, r, reply)
				}
			}
		}
	case o.ResponseURL != "":
		return func(ctx context.Context) {
			msg := reply.Message()
			msg.ReplaceOriginal = replace
			if err := a.Respond(ctx, o.ResponseURL, msg); err != nil {
				a.log.WarnContext(ctx, "response_url post failed", "team", r.TeamID, "user", r.UserID, "err", err)
				if reply.Saved {
					a.tellSaved(ctx, r, reply)
				}
			}
		}
	}
	return func(ctx context.Context) {
		a.log.WarnContext(ctx, "nowhere to show an interaction's result", "team", r.TeamID, "user", r.UserID)
	}
}

// tellSaved tells someone whose saved change could not be shown where they
// made it (its response_url or Home tab failed) that it was saved: in a
// message only they see in the channel, or else in their direct messages
// with the bot. Without it they would see nothing and likely do it again.
func (a *App) tellSaved(ctx context.Context, r Request, reply render.Reply) {
	note := render.Reply{Text: r.Msg("dispatch.saved_not_shown", coach.Args{"reply": reply.Text})}
	client, err := a.slack.Client(ctx, r.TeamID)
	if err != nil {
		a.log.WarnContext(ctx, "could not say a change was saved", "team", r.TeamID, "user", r.UserID, "err", err)
		return
	}
	if r.ChannelID != "" {
		msg := note.Message()
		err = a.retry.Do(ctx, func(ctx context.Context) error {
			_, err := client.PostEphemeralContext(ctx, r.ChannelID, r.UserID, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks.BlockSet...))
			return err
		})
		if err == nil || errors.Is(err, transport.ErrAmbiguous) {
			return // shown, or perhaps: never said twice
		}
		a.log.WarnContext(ctx, "ephemeral post failed; saying it in direct messages", "team", r.TeamID, "user", r.UserID, "err", err)
	}
	if err := jobs.PostDM(ctx, a.retry, client, r.UserID, note); err != nil {
		a.log.WarnContext(ctx, "could not say a change was saved", "team", r.TeamID, "user", r.UserID, "err", err)
	}
}
