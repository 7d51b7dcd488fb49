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
	Max      time.Duration // the longest wait; 30 s when 0
	Sleep    func(ctx context.Context, d time.Duration) error
}

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
// 429 (waiting Retry-After when Slack gives it), 5xx, a refused connection —
// with exponential backoff. A time-out after the request was sent is not
// retried: Do returns it wrapped in ErrAmbiguous.
func (r Retry) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts, base, max := r.Attempts, r.Base, r.Max
	if attempts <= 0 {
		attempts = 5
	}
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if max <= 0 {
		max = 30 * time.Second
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
		if wait <= 0 {
			wait = backoff
			backoff = min(2*backoff, max)
		}
		if err := sleep(ctx, min(wait, max)); err != nil {
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
