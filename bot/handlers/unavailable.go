package handlers

import (
	"context"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// Unavailable is the answer to a request whose handler did not return in
// time (the transport counted and logged it), where the user will see it: "temporarily unavailable, nothing was
// saved", or that a change may or may not have been saved when the request
// got past reading its caller. An event gets a 503, so that Slack delivers it
// again. Whatever the handler does later is not shown.
func (a *App) Unavailable(ctx context.Context, in transport.Inbound) transport.Outcome {
	err := coach.ErrUnavailable
	if observe.MayHaveWritten(ctx) {
		err = coach.ErrInterrupted
	}
	return a.failed(ctx, in, err)
}

// failed answers in with err's bilingual message, in the shape of in's route:
// a command's reply, a click's response_url post, a form's field error, an
// event's 503 (Slack delivers it again).
func (a *App) failed(ctx context.Context, in transport.Inbound, err error) transport.Outcome {
	msg := render.Bilingual(err)
	switch {
	case in.Command != nil:
		return transport.Outcome{Body: render.Fail(msg).Message(), ResponseURL: in.Command.ResponseURL}
	case in.Interaction != nil:
		cb := in.Interaction
		if cb.Type == slack.InteractionTypeViewSubmission {
			// The form stays open with what was typed, and says why.
			if m := a.modal(cb.View.CallbackID); m != nil {
				return formErrors(map[string]string{m.First: msg})
			}
			return transport.Outcome{}
		}
		r := interactionRequest(cb)
		return transport.Outcome{Later: a.deliver(r, originOf(cb), render.Fail(msg), false)}
	}
	return transport.Outcome{Status: 503}
}
