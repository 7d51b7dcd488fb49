package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/bot/transport"
)

// Poster is what the jobs need to post and upload: a team's Slack Web API
// client (transport.Clients is one).
type Poster interface {
	Client(ctx context.Context, teamID string) (*slack.Client, error)
}

// Env is what every job shares: where it posts, how Slack calls are
// retried, the clock, the log and the metrics.
type Env struct {
	Slack   Poster
	Retry   transport.Retry
	Now     func() time.Time // time.Now when nil
	Log     *slog.Logger     // discarded when nil
	Metrics *observe.Metrics // a new registry when nil
}

func (e Env) orDefaults() Env {
	if e.Slack == nil {
		e.Slack = transport.StaticClients{}
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Log == nil {
		e.Log = slog.New(slog.DiscardHandler)
	}
	if e.Metrics == nil {
		e.Metrics = observe.NewMetrics()
	}
	return e
}
