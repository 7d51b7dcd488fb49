package handlers

import (
	"context"
	"fmt"
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
		return 0, coach.Fail(coach.EInvalid,
			fmt.Sprintf("%q is not a forecast window. Give 1 to %d days, e.g. /coach forecast days 30.", args, forecast.MaxDays),
			fmt.Sprintf("“%s”不是有效的预测天数。请填 1 到 %d 天，例如 /coach forecast days 30。", args, forecast.MaxDays))
	}
	return n, nil
}

var errNoForecast = coach.Fail(coach.EUnavailable,
	"The forecast is not available in this build of Sales Coach.",
	"此版本的 Sales Coach 暂时无法预测。")

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
	f, acc, err := jobs.TeamForecast(ctx, fc, r.TeamID, r.Now, days)
	if err != nil {
		return render.Reply{}, err
	}
	owner := ""
	if !r.Caller.Manager {
		owner = r.UserID
	}
	return render.ForecastReply(r.Viewer, f, &acc, owner), nil
}
