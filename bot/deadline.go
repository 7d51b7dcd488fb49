package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// Slack gives up on an answer after 3 seconds. A request's work gets
// defaultTimeout; if the store has not returned by then, it gets answerGrace
// more to answer for itself before the bot answers for it.
const (
	defaultTimeout = 2300 * time.Millisecond
	answerGrace    = 200 * time.Millisecond
)

func (s *Server) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return defaultTimeout
}

// answerBy runs fn and returns what it returned, or false when ctx ends and
// fn has not returned shortly after. A database that hangs (it accepts but
// never answers) keeps lib/pq waiting past any deadline: the driver cancels a
// query by asking the server, which a hung network never delivers. Then fn
// is left to finish on its own, and its result is dropped.
func answerBy[T any](ctx context.Context, fn func() T) (T, bool) {
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v, true
	case <-ctx.Done():
	}
	t := time.NewTimer(answerGrace)
	defer t.Stop()
	select {
	case v := <-done:
		return v, true
	case <-t.C:
		var zero T
		return zero, false
	}
}

// tooSlow records a request the store did not answer in time and returns the
// error to show.
func (a *App) tooSlow(ctx context.Context) error {
	a.metrics.failed(kindTimeout)
	a.log.WarnContext(ctx, "no answer from the database in time: it hangs or is overloaded")
	return coach.ErrUnavailable
}

// unavailable is the answer to a request whose handler did not return in
// time, where the user will see it: "temporarily unavailable, nothing was
// saved", or that a change may or may not have been saved when the request
// got past reading its caller. An event gets a 503, so that Slack delivers it
// again. Whatever the handler does later is not shown.
func (a *App) unavailable(ctx context.Context, in Inbound) Outcome {
	err := a.tooSlow(ctx)
	if mayHaveWritten(ctx) {
		err = coach.ErrInterrupted
	}
	msg := bilingual(err)
	switch {
	case in.Command != nil:
		return Outcome{Body: fail(msg).Message(), ResponseURL: in.Command.ResponseURL}
	case in.Interaction != nil:
		cb := in.Interaction
		if cb.Type == slack.InteractionTypeViewSubmission {
			// The form stays open with what was typed, and says why.
			if first := map[string]string{cbAdd: "name", cbLost: "reason", cbNote: "note"}[cb.View.CallbackID]; first != "" {
				return formErrors(map[string]string{first: msg})
			}
			return Outcome{}
		}
		r := interactionRequest(cb)
		return Outcome{Later: a.deliver(r, originOf(cb), fail(msg), false)}
	}
	return Outcome{Status: 503}
}
