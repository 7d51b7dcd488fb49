package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/slack-go/slack/slackevents"

	"salescoach/bot/transport"
)

// InstallStore is what events need of the store: each delivery taken once,
// and a workspace forgotten when it uninstalls.
type InstallStore interface {
	FirstEvent(ctx context.Context, eventID, teamID, typ string, at time.Time) (bool, error)
	UnmarkEvent(ctx context.Context, eventID string) error
	Uninstall(ctx context.Context, teamID, reason string, now, purgeAfter time.Time) error
}

// event answers an Events API envelope. Slack retries a delivery it got no 2xx
// for within 3 seconds, with the same event_id: a delivery is taken once (a
// row in the store), and what must not be lost — forgetting an uninstalled
// workspace's tokens — is done before answering, so a failure answers 500 and
// Slack delivers it again. Publishing the App Home comes after the answer: if
// it fails, the next visit to the tab publishes it.
func (a *App) event(ctx context.Context, raw json.RawMessage) transport.Outcome {
	// The request was verified by its signature; the old verification token
	// means nothing.
	ev, err := slackevents.ParseEvent(raw, slackevents.OptionNoVerifyToken())
	if err != nil {
		a.log.WarnContext(ctx, "event not understood", "err", err)
		return transport.Outcome{} // a retry would not be understood either
	}
	switch ev.Type {
	case slackevents.URLVerification:
		if v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
			return transport.Outcome{Body: map[string]string{"challenge": v.Challenge}}
		}
		return transport.Outcome{Status: http.StatusBadRequest}
	case slackevents.CallbackEvent:
	default:
		return transport.Outcome{}
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return transport.Outcome{Status: http.StatusBadRequest}
	}
	team := eventTeam(cb)
	if cb.EventID == "" || team == "" {
		return transport.Outcome{Status: http.StatusBadRequest}
	}
	now := a.now().UTC()
	first, err := a.store.FirstEvent(ctx, cb.EventID, team, ev.InnerEvent.Type, now)
	if err != nil {
		a.log.WarnContext(ctx, "event not recorded", "event", cb.EventID, "err", err)
		return transport.Outcome{Status: http.StatusServiceUnavailable}
	}
	if !first {
		a.log.DebugContext(ctx, "event delivered again: ignored", "event", cb.EventID, "type", ev.InnerEvent.Type)
		return transport.Outcome{}
	}
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab != "home" {
			return transport.Outcome{}
		}
		user := inner.User
		return transport.Outcome{Later: func(ctx context.Context) {
			if a.outsiderHome(ctx, team, user) {
				return
			}
			if err := a.PublishHome(ctx, team, user, nil); err != nil {
				a.log.WarnContext(ctx, "publish home failed", "team", team, "user", user, "err", err)
			}
		}}
	case *slackevents.AppUninstalledEvent:
		return a.uninstall(ctx, team, cb.EventID, "app_uninstalled", now)
	case *slackevents.TokensRevokedEvent:
		if len(inner.Tokens.Bot) == 0 {
			return transport.Outcome{} // user tokens only: the bot keeps none
		}
		return a.uninstall(ctx, team, cb.EventID, "tokens_revoked", now)
	}
	return transport.Outcome{}
}

// eventTeam returns the workspace an Events API delivery is for, as both Bolt
// frameworks find it: the installation it was delivered for,
// authorizations[0].team_id, then the envelope's team_id — which in a Slack
// Connect channel can be the other organisation's.
func eventTeam(cb *slackevents.EventsAPICallbackEvent) string {
	if len(cb.Authorizations) > 0 && cb.Authorizations[0].TeamID != "" {
		return cb.Authorizations[0].TeamID
	}
	return cb.TeamID
}

// uninstall forgets a workspace's bot token at once and schedules the deletion
// of its data after the retention period (an install before then cancels it).
func (a *App) uninstall(ctx context.Context, team, eventID, reason string, now time.Time) transport.Outcome {
	purge := now.Add(a.retention)
	if err := a.store.Uninstall(ctx, team, reason, now, purge); err != nil {
		a.log.ErrorContext(ctx, "uninstall not recorded; Slack will deliver it again", "team", team, "err", err)
		if err := a.store.UnmarkEvent(ctx, eventID); err != nil {
			a.log.ErrorContext(ctx, "event not unmarked", "event", eventID, "err", err)
		}
		return transport.Outcome{Status: http.StatusServiceUnavailable}
	}
	a.log.InfoContext(ctx, "workspace uninstalled: token forgotten, data deleted after retention",
		"team", team, "reason", reason, "purge_after", purge)
	return transport.Outcome{}
}
