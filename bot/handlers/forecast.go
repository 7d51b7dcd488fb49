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
func (a *App) coachForecast(ctx context.Context, r *Request, args string) (render.Reply, error) {
	days, err := parseForecastDays(args)
	if err != nil {
		return render.Reply{}, err
	}
	fc, ok := a.reporter.(jobs.Forecaster)
	if !ok {
		return render.Reply{}, errNoForecast
	}
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
