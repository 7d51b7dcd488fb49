package handlers

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"salescoach/bot/jobs"
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

// answer is reply, or the failure line of err.
func (a *App) answer(ctx context.Context, r *Request, reply render.Reply, err error) render.Reply {
	if err != nil {
		return a.failure(ctx, r, err)
	}
	return reply
}
