package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/coach"
)

// Reporter computes the metrics of §9 for a team over the window [from, to).
type Reporter interface {
	Report(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error)
}

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

var errNoReporter = coach.Fail(coach.EUnavailable,
	"The team's numbers are not available in this build of Sales Coach.",
	"此版本的 Sales Coach 暂时无法计算团队数据。")

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
	}{
		{&rep.Week, local.AddDate(0, 0, -7), at},
		{&rep.Before, local.AddDate(0, 0, -35), local.AddDate(0, 0, -7)},
		{&rep.Quarter, local.AddDate(0, 0, -90), at},
	}
	for _, w := range windows {
		r, err := reporter.Report(ctx, teamID, w.from.UTC(), w.to.UTC())
		if err != nil {
			return render.DigestReports{}, render.Reply{}, fmt.Errorf("digest report: %w", err)
		}
		*w.dst = r
	}
	return rep, render.RenderDigest(rep, at, v), nil
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
