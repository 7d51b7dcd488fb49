package transport

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"salescoach/bot/observe"
)

// SocketMode serves the bot over Slack's Socket Mode (SLACK_APP_TOKEN): the
// same Dispatch as HTTP, every envelope acknowledged. The library reconnects
// when Slack asks it to; it gives up on an authentication error or a failed
// reconnection, and then Run starts it again after a backoff.
type SocketMode struct {
	App        Handler // the use cases: handlers.App
	Client     *socketmode.Client
	MinBackoff time.Duration // 1 s when 0
	MaxBackoff time.Duration // 2 minutes when 0
}

// NewSocketModeClient returns a Socket Mode client for an app-level token
// (xapp-), talking to apiURL (Slack's when empty).
func NewSocketModeClient(appToken, apiURL string, hc *http.Client) *socketmode.Client {
	opts := []slack.Option{slack.OptionAppLevelToken(appToken)}
	if apiURL != "" {
		opts = append(opts, slack.OptionAPIURL(apiURL))
	}
	if hc != nil {
		opts = append(opts, slack.OptionHTTPClient(hc))
	}
	// The connection needs only the app-level token; Web API calls go through
	// the App's Clients, per workspace.
	return socketmode.New(slack.New("", opts...))
}

// Run serves until ctx ends.
func (s *SocketMode) Run(ctx context.Context) error {
	minB, maxB := s.MinBackoff, s.MaxBackoff
	if minB <= 0 {
		minB = time.Second
	}
	if maxB <= 0 {
		maxB = 2 * time.Minute
	}
	go s.receive(ctx)
	backoff := minB
	for {
		started := time.Now()
		err := s.Client.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(started) > 5*time.Minute {
			backoff = minB // it ran well for a while: start over
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		s.App.Log().WarnContext(ctx, "socket mode stopped; reconnecting", "err", err, "in", wait)
		if err := sleepCtx(ctx, wait); err != nil {
			return nil
		}
		backoff = min(2*backoff, maxB)
	}
}

// receive hands each envelope to its own goroutine.
func (s *SocketMode) receive(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-s.Client.Events:
			if !ok {
				return
			}
			s.handle(ctx, evt)
		}
	}
}

func (s *SocketMode) handle(ctx context.Context, evt socketmode.Event) {
	log := s.App.Log()
	var in Inbound
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			break
		}
		in.Command = &sc
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			break
		}
		in.Interaction = &cb
	case socketmode.EventTypeEventsAPI:
		if evt.Request != nil {
			in.Event = evt.Request.Payload
		}
	case socketmode.EventTypeConnected:
		if c, ok := evt.Data.(*socketmode.ConnectedEvent); ok && c.ConnectionCount > 0 {
			log.DebugContext(ctx, "socket mode connected again", "connection", c.ConnectionCount)
			return
		}
		log.InfoContext(ctx, "socket mode connected")
		return
	case socketmode.EventTypeConnecting:
		// The library connects again by itself when Slack asks it to (a
		// disconnect with reason refresh_requested, every few hours, or
		// warning before it): routine, not worth a warning.
		if c, ok := evt.Data.(*slack.ConnectingEvent); ok && c.ConnectionCount > 0 && c.Attempt == 1 {
			log.DebugContext(ctx, "socket mode reconnecting: Slack refreshes its connections routinely (refresh_requested)", "connection", c.ConnectionCount)
			return
		}
		log.DebugContext(ctx, "socket mode", "event", string(evt.Type))
		return
	case socketmode.EventTypeIncomingError:
		if closedConnection(evt.Data) {
			// The read that was waiting when the connection closed, as it
			// does on every refresh.
			log.DebugContext(ctx, "socket mode connection closed; connecting again", "detail", errorOf(evt.Data))
			return
		}
		log.WarnContext(ctx, "socket mode", "event", string(evt.Type), "detail", errorOf(evt.Data))
		return
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		log.WarnContext(ctx, "socket mode", "event", string(evt.Type), "detail", errorOf(evt.Data))
		return
	default:
		log.DebugContext(ctx, "socket mode", "event", string(evt.Type))
		return
	}
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return
	}
	if in.Command == nil && in.Interaction == nil && in.Event == nil {
		// Not understood: acknowledge, so Slack does not send it again.
		s.App.Go(func(ctx context.Context) { s.Client.AckCtx(ctx, evt.Request.EnvelopeID, nil) })
		return
	}
	req := evt.Request
	s.App.Go(func(bg context.Context) {
		// The envelope's id is the request's id in the logs.
		bg, observed := observe.Begin(bg, s.App.Metrics(), s.App.Log(), "socket_mode", req.EnvelopeID)
		ctx, cancel := context.WithTimeout(bg, socketTimeout)
		out, ok := answerBy(ctx, func() Outcome { return s.App.Dispatch(ctx, in) })
		cancel()
		if !ok {
			tooSlow(bg, s.App)
			out = s.App.Unavailable(bg, in)
		}
		defer observed(cmp.Or(out.Status, 200))
		if out.Status >= 500 {
			// Not acknowledged: Slack delivers the envelope again.
			log.WarnContext(bg, "socket mode envelope left for Slack to resend", "envelope", req.EnvelopeID)
			return
		}
		s.ack(bg, req.EnvelopeID, out)
		if out.Later != nil {
			out.Later(bg)
		}
	})
}

// ack acknowledges an envelope with the answer. An answer Slack would drop
// (20 KB or more) is acknowledged empty and posted to its response_url.
func (s *SocketMode) ack(ctx context.Context, envelope string, out Outcome) {
	err := s.Client.AckCtx(ctx, envelope, out.Body)
	if err == nil || out.Body == nil || ctx.Err() != nil {
		if err != nil {
			s.App.Log().WarnContext(ctx, "socket mode ack failed", "err", err)
		}
		return
	}
	if err := s.Client.AckCtx(ctx, envelope, nil); err != nil {
		s.App.Log().WarnContext(ctx, "socket mode ack failed", "err", err)
		return
	}
	if out.ResponseURL == "" {
		s.App.Log().WarnContext(ctx, "answer too large for socket mode and nowhere else to post it", "err", err)
		return
	}
	if err := s.App.Respond(ctx, out.ResponseURL, out.Body); err != nil {
		s.App.Log().WarnContext(ctx, "response_url post failed", "err", err)
	}
}

// closedConnection reports whether a read failed because the connection
// closed (by us, as Slack asked, or by Slack): nothing went wrong.
func closedConnection(data any) bool {
	var err error
	if e, ok := data.(*slack.IncomingEventError); ok && e != nil {
		err = e.ErrorObj
	} else if e, ok := data.(error); ok {
		err = e
	}
	return err != nil && (errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF))
}

func errorOf(data any) string {
	if err, ok := data.(error); ok {
		return err.Error()
	}
	b, _ := json.Marshal(data)
	return string(b)
}
