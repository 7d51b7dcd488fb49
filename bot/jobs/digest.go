package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/coach/forecast"
)

// Reporter computes the metrics of §9 for a team over the window [from, to).
type Reporter interface {
	Report(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error)
}

// DigestReporter is a Reporter that also gives what only the digest needs
// (each rep's stage figures, overdue deals); the store is one.
type DigestReporter interface {
	DigestReport(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error)
}

// Forecaster gives a team's history for the forecast; the store is one.
type Forecaster interface {
	ForecastTeam(ctx context.Context, teamID string, at time.Time) (forecast.Team, error)
}

// DigestForecastDays is the window of the digest's forecast.
const DigestForecastDays = 30

// DigestBacktestMonths is how many past months the digest's accuracy line
// scores.
const DigestBacktestMonths = 3

// PostedDigest is a digest just posted in a channel, for the hook that adds
// files to it (the flowchart picture).
type PostedDigest struct {
	Client    *slack.Client
	TeamID    string
	ChannelID string
	TS        string // the digest's message; a file can go in its thread
	At        time.Time
	View      render.DigestView
	Reports   render.DigestReports
	// SubID and Week name the subscription-week the scheduler posted; SubID
	// is 0 for a digest posted by hand (salescoach digest --post).
	SubID int64
	Week  time.Time
}

var errNoReporter = coach.Fail(coach.EUnavailable, "digest.no_reporter", nil)

// BuildDigest computes a team's weekly digest as of at from its reports:
// the reports it rests on and the reply that shows them.
func BuildDigest(ctx context.Context, reporter Reporter, teamID string, at time.Time, v render.DigestView) (render.DigestReports, render.Reply, error) {
	if reporter == nil {
		return render.DigestReports{}, render.Reply{}, errNoReporter
	}
	if v.Loc == nil {
		v.Loc = time.UTC
	}
	// Windows are counted on the local calendar, so a week is seven local
	// days even across a daylight-saving change.
	local := at.In(v.Loc)
	var rep render.DigestReports
	windows := []struct {
		dst      *coach.Report
		from, to time.Time
		extras   bool
	}{
		{&rep.Week, local.AddDate(0, 0, -7), at, true},
		{&rep.Before, local.AddDate(0, 0, -35), local.AddDate(0, 0, -7), false},
		{&rep.Quarter, coach.PeriodStart(local, coach.PeriodWeeks), at, true},
	}
	dr, _ := reporter.(DigestReporter)
	for _, w := range windows {
		var r coach.Report
		var err error
		if w.extras && dr != nil {
			r, err = dr.DigestReport(ctx, teamID, w.from.UTC(), w.to.UTC())
		} else {
			r, err = reporter.Report(ctx, teamID, w.from.UTC(), w.to.UTC())
		}
		if err != nil {
			return render.DigestReports{}, render.Reply{}, fmt.Errorf("digest report: %w", err)
		}
		*w.dst = r
	}
	if fc, ok := reporter.(Forecaster); ok {
		f, acc, err := TeamForecast(ctx, fc, teamID, at, DigestForecastDays)
		if err != nil {
			return render.DigestReports{}, render.Reply{}, fmt.Errorf("digest forecast: %w", err)
		}
		rep.Forecast, rep.Accuracy = &f, &acc
	}
	return rep, render.RenderDigest(rep, at, v), nil
}

// TeamForecast forecasts the team's next days as of at, with its backtest
// over the last DigestBacktestMonths months summed up.
func TeamForecast(ctx context.Context, fc Forecaster, teamID string, at time.Time, days int) (forecast.Forecast, forecast.Summary, error) {
	team, err := fc.ForecastTeam(ctx, teamID, at)
	if err != nil {
		return forecast.Forecast{}, forecast.Summary{}, err
	}
	f := forecast.Make(team, at, days)
	acc := forecast.Summarize(forecast.Backtest(team, at, days, DigestBacktestMonths))
	return f, acc, nil
}

// Post posts a team's digest as of at in a channel now, without a
// subscription (salescoach digest --post), and returns the message's ts.
func (s *Scheduler) Post(ctx context.Context, teamID, channelID string, at time.Time, v render.DigestView) (string, error) {
	rep, reply, err := BuildDigest(ctx, s.reporter, teamID, at, v)
	if err != nil {
		return "", err
	}
	client, err := s.Slack.Client(ctx, teamID)
	if err != nil {
		return "", err
	}
	var ts string
	err = s.Retry.Do(ctx, func(ctx context.Context) error {
		_, t, err := client.PostMessageContext(ctx, channelID, render.DigestMessage(reply)...)
		ts = t
		return err
	})
	if err != nil {
		return "", fmt.Errorf("post digest: %w", err)
	}
	if s.attach != nil {
		if err := s.attach(ctx, PostedDigest{Client: client, TeamID: teamID, ChannelID: channelID, TS: ts, At: at, View: v, Reports: rep}); err != nil {
			s.Log.WarnContext(ctx, "digest attachment failed", "team", teamID, "channel", channelID, "err", err)
		}
	}
	return ts, nil
}
