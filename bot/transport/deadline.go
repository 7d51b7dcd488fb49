package transport

import (
	"context"
	"log/slog"
	"time"

	"salescoach/bot/observe"
	"salescoach/coach"
)

// Slack gives up on an answer after 3 seconds. A request's work gets
// defaultTimeout; if the store has not returned by then, it gets answerGrace
// more to answer for itself before the bot answers for it.
// Socket Mode has no HTTP request to time, so its envelopes get
// socketTimeout from when they arrive.
const (
	defaultTimeout = 2300 * time.Millisecond
	socketTimeout  = 2500 * time.Millisecond
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
	run(func() {
		// The last line of defence: fn's own recovery answers the user; a
		// panic that gets here only leaves the request to time out.
		defer func() {
			if v := recover(); v != nil {
				observe.Report(ctx, nil, slog.Default(), "transport", v)
			}
		}()
		done <- fn()
	})
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
func tooSlow(ctx context.Context, h Handler) error {
	h.Metrics().Failed(observe.KindTimeout)
	h.Log().WarnContext(ctx, "no answer from the database in time: it hangs or is overloaded")
	return coach.ErrUnavailable
}

// idle hands work to a worker goroutine waiting for it. Unbuffered: only a
// worker that is waiting takes it.
var idle = make(chan func())

// workerIdle is how long a worker waits for more work before it ends.
const workerIdle = 30 * time.Second

// run runs fn on a goroutine that ran one before, when one is waiting, or on
// a new one. A new goroutine starts with a small stack and grows it by
// copying, on every request, down the deep path through the store and the
// driver; a worker has grown it already. A worker stuck in a hung fn is
// simply not waiting: the next request starts another.
func run(fn func()) {
	select {
	case idle <- fn:
	default:
		go worker(fn)
	}
}

func worker(fn func()) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		fn()
		t.Reset(workerIdle)
		select {
		case fn = <-idle:
		case <-t.C:
			return
		}
	}
}
