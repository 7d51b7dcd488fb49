package transport

import (
	"context"
	"errors"
	"net"
	"net/url"
	"syscall"
	"time"

	"github.com/slack-go/slack"
)

// Retry says how a Slack Web API call is retried.
type Retry struct {
	Attempts int           // in all, the first included; 5 when 0
	Base     time.Duration // the first backoff, doubled each time; 500 ms when 0
	Max      time.Duration // the longest backoff of our own choosing; 30 s when 0
	// MaxRetryAfter is the longest Retry-After of a 429 that is waited out,
	// to the second Slack asked for; MaxRetryAfter when 0. A longer one is
	// not retried: the call fails with Slack's answer.
	MaxRetryAfter time.Duration
	Sleep         func(ctx context.Context, d time.Duration) error
}

// MaxRetryAfter is the default ceiling of a Retry-After waited out. Slack
// asks for seconds to a minute or so; past two minutes a background job
// (the digest, nudges) had better give up and try again on its next round.
// Work someone waits for never waits past its context's deadline: when
// Slack asks for longer than is left, the call fails at once, so the person
// is told instead of kept waiting for nothing.
const MaxRetryAfter = 120 * time.Second

// ErrAmbiguous wraps a failure after which Slack may or may not have acted:
// the request was sent and no answer came back (a time-out). A caller that
// must not act twice checks before trying again.
var ErrAmbiguous = errors.New("slack may have received the request")

// SlackFailure says whether a failed call surely did nothing on Slack's side
// (so it is safe to retry), and how long Slack asked us to wait.
func SlackFailure(err error) (retry bool, wait time.Duration, ambiguous bool) {
	var rl *slack.RateLimitedError
	var sc slack.StatusCodeError
	var scp *slack.StatusCodeError
	switch {
	case err == nil:
		return false, 0, false
	case errors.As(err, &rl):
		return true, rl.RetryAfter, false
	case errors.As(err, &sc):
		return sc.Code == 429 || sc.Code >= 500, 0, false
	case errors.As(err, &scp):
		return scp.Code == 429 || scp.Code >= 500, 0, false
	case errors.Is(err, syscall.ECONNREFUSED):
		return true, 0, false
	case errors.Is(err, context.Canceled):
		return false, 0, false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true, 0, false
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true, 0, false
	}
	var uerr *url.Error
	if errors.As(err, &uerr) && uerr.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return false, 0, true
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return false, 0, true
	}
	return false, 0, false
}

// Do calls fn until it succeeds, fails in a way that is not worth retrying, or
// the attempts run out. It retries what surely did nothing on Slack's side —
// 429 (waiting Retry-After when Slack gives it, up to MaxRetryAfter and the
// context's deadline), 5xx, a refused connection — with exponential backoff. A time-out after the request was sent is not
// retried: Do returns it wrapped in ErrAmbiguous.
func (r Retry) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts, base, max, maxAfter := r.Attempts, r.Base, r.Max, r.MaxRetryAfter
	if attempts <= 0 {
		attempts = 5
	}
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if max <= 0 {
		max = 30 * time.Second
	}
	if maxAfter <= 0 {
		maxAfter = MaxRetryAfter
	}
	sleep := r.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	backoff := base
	for i := 1; ; i++ {
		err := fn(ctx)
		retry, wait, ambiguous := SlackFailure(err)
		if ambiguous {
			return errors.Join(ErrAmbiguous, err)
		}
		if err == nil || !retry || i >= attempts {
			return err
		}
		switch {
		case wait <= 0:
			wait = backoff
			backoff = min(2*backoff, max)
		case wait > maxAfter:
			return err // Slack asked for longer than we wait
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return err // no time left to wait as long as needed
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
