package handlers

import (
	"context"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// Slack Connect: a channel shared with another organisation lets that
// organisation's people click the bot's buttons and submit its modals. The
// bot serves only members of the workspace that installed it: anyone else
// is told so in one line and nothing is read or changed — in particular no
// team-wide figure (/coach flow, trend, stats, digest) ever reaches them.

// errOutsider is the answer to a user of another organisation.
var errOutsider = coach.Fail(coach.EForbidden, "outsider", nil)

// outsider reports whether an interaction comes from a user of another
// organisation than the workspace it is routed to: their user.team_id is
// their own workspace's.
func outsider(cb *slack.InteractionCallback) bool {
	return cb.User.TeamID != "" && cb.User.TeamID != interactionTeam(cb)
}

// servedTeams is what the Slack clients say of the workspaces the bot serves
// when they know (with OAuth installs): a workspace that never installed the
// bot is not one of them.
type servedTeams interface {
	Serves(ctx context.Context, teamID string) (bool, error)
}

// serves reports whether the bot serves teamID's members: always, unless
// the clients know which workspaces installed the bot and teamID is not one.
func (a *App) serves(ctx context.Context, teamID string) (bool, error) {
	s, ok := a.slack.(servedTeams)
	if !ok {
		return true, nil
	}
	return s.Serves(ctx, teamID)
}

// refuseOutsider answers a request of a user the bot does not serve, in its
// route's shape, and changes nothing.
func (a *App) refuseOutsider(ctx context.Context, in transport.Inbound, team, user string) transport.Outcome {
	a.metrics.Failed(coach.EForbidden)
	a.log.InfoContext(ctx, "refused: the user is not a member of the workspace", "team", team, "user", user)
	if cb := in.Interaction; cb != nil && cb.Type != slack.InteractionTypeViewSubmission && originOf(cb).Home {
		// A click in their App Home: its answer is a Home of the one line,
		// not their Home of deals, which would read and store them.
		return transport.Outcome{Later: func(ctx context.Context) {
			if client, err := a.slack.Client(ctx, team); err == nil {
				a.publishOutsiderHome(ctx, client, team, user)
			}
		}}
	}
	return a.failed(ctx, in, errOutsider)
}

// outsiderHome publishes, for a user Slack says belongs to another
// organisation than team (a Slack Connect guest opening the App Home), a
// Home that only says whom Sales Coach serves, and reports whether it did.
// Nothing is read or stored for them. When Slack cannot say, it reports
// false and the usual Home, of the user's own deals in team, follows.
func (a *App) outsiderHome(ctx context.Context, team, user string) bool {
	client, err := a.slack.Client(ctx, team)
	if err != nil {
		return false
	}
	u, err := client.GetUserInfoContext(ctx, user)
	if err != nil || memberOf(u, team) {
		return false
	}
	a.metrics.Failed(coach.EForbidden)
	a.log.InfoContext(ctx, "home refused: the user is not a member of the workspace", "team", team, "user", user)
	a.publishOutsiderHome(ctx, client, team, user)
	return true
}

// publishOutsiderHome publishes the Home of someone the bot does not serve:
// the one line that says whom Sales Coach serves.
func (a *App) publishOutsiderHome(ctx context.Context, client *slack.Client, team, user string) {
	text := render.Bilingual(coach.Fail(coach.EForbidden, "outsider.home", nil))
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil),
	}}}
	err := transport.Retry{Attempts: 3}.Do(ctx, func(ctx context.Context) error {
		_, err := client.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
		return err
	})
	if err != nil {
		a.log.WarnContext(ctx, "publish home failed", "team", team, "user", user, "err", err)
	}
}
