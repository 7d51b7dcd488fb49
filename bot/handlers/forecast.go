package handlers

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/coach/forecast"
)

// dayUnits are the words that say "days", longest first so a suffix is cut
// whole.
var dayUnits = []string{"days", "day", "d", "天"}

// parseForecastDays reads the "[days N]" of /coach forecast, in the forms
// "days 30", "30 days", "30d", "30天" or a bare "30": forecast.DefaultDays
// when args is empty, an error when it is not 1 to forecast.MaxDays days.
func parseForecastDays(args string) (int, error) {
	words := strings.Fields(strings.ToLower(args))
	if len(words) == 0 {
		return forecast.DefaultDays, nil
	}
	var num string
	switch {
	case len(words) == 2 && slices.Contains(dayUnits, words[0]):
		num = words[1]
	case len(words) == 2 && slices.Contains(dayUnits, words[1]):
		num = words[0]
	case len(words) == 1:
		num = words[0]
		for _, u := range dayUnits {
			if c, cut := strings.CutSuffix(num, u); cut {
				num = c
				break
			}
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > forecast.MaxDays {
		return 0, coach.Fail(coach.EInvalid, "forecast.bad_days", coach.Args{"typed": coach.Both(strconv.Quote(args), args), "max": forecast.MaxDays})
	}
	return n, nil
}

var errNoForecast = coach.Fail(coach.EUnavailable, "forecast.unavailable", nil)

// coachForecast answers /coach forecast [days N]: for a manager the team's
// forecast with how accurate it has been; for a rep their own deals' chances.
// A large team's forecast can take longer than Slack waits for an answer, so
// from Slack it is worked out in the background: when it is not ready
// within the request's budget, the reply says it is on its way and the
// forecast follows through the response_url, once.
func (a *App) coachForecast(ctx context.Context, r *Request, args string) (render.Reply, error) {
	days, err := parseForecastDays(args)
	if err != nil {
		return render.Reply{}, err
	}
	fc, ok := a.reporter.(jobs.Forecaster)
	if !ok {
		return render.Reply{}, errNoForecast
	}
	if r.ResponseURL == "" { // the console waits
		return a.forecastReply(ctx, r, fc, days)
	}
	return a.slowReply(ctx, r, "forecast", func(ctx context.Context, r *Request) (render.Reply, error) {
		return a.forecastReply(ctx, r, fc, days)
	}), nil
}

func (a *App) forecastReply(ctx context.Context, r *Request, fc jobs.Forecaster, days int) (render.Reply, error) {
	if r.Caller.Manager {
		f, acc, err := jobs.TeamForecast(ctx, fc, r.TeamID, r.Now, days)
		if err != nil {
			return render.Reply{}, err
		}
		return render.ForecastReply(r.Viewer, f, &acc, ""), nil
	}
	// A rep sees no team figure, so the backtest behind the accuracy line,
	// the costlier half, is not run for them.
	team, err := fc.ForecastTeam(ctx, r.TeamID, r.Now)
	if err != nil {
		return render.Reply{}, err
	}
	return render.ForecastReply(r.Viewer, forecast.Make(team, r.Now, days), nil, r.UserID), nil
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

// answer is reply, or the failure line of err.
func (a *App) answer(ctx context.Context, r *Request, reply render.Reply, err error) render.Reply {
	if err != nil {
		return a.failure(ctx, r, err)
	}
	return reply
}
