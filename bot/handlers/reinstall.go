package handlers

import (
	"errors"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// A changed SALESCOACH_SECRET_KEY leaves a workspace's stored bot token
// unreadable: nothing the bot does there with Slack can work until the app is
// installed again (or the old key restored). serve finds it at start-up; the
// workspace's users are told so on every reply, instead of a "try again in a
// minute" that never works.

// reinstallHealth is what the Slack clients know of such workspaces (with
// OAuth installs).
type reinstallHealth interface {
	NeedsReinstall(teamID string) bool
}

func (a *App) needsReinstall(teamID string) bool {
	h, ok := a.slack.(reinstallHealth)
	return ok && h.NeedsReinstall(teamID)
}

// reinstallText says the app needs installing again, in the reader's
// language, or in both when it is not known.
func reinstallText(v render.Viewer) string {
	if v.Caller.Lang == "" {
		return render.Msg(coach.EN, "reinstall", nil) + "\n" + render.Msg(coach.ZH, "reinstall", nil)
	}
	return v.Msg("reinstall", nil)
}

// withReinstall adds the reinstall line to a reply in a workspace that needs
// it.
func (a *App) withReinstall(r *Request, reply render.Reply) render.Reply {
	if reply.Silent || !a.needsReinstall(r.TeamID) {
		return reply
	}
	line := reinstallText(r.Viewer)
	if reply.Note != "" {
		line += "\n" + reply.Note
	}
	reply.Note = line
	return reply
}

// slackTrouble is what to tell someone when a Slack call for them failed
// with err: that the app needs reinstalling when that is why, else text.
func slackTrouble(r *Request, err error, text string) string {
	if errors.Is(err, transport.ErrReinstall) {
		return reinstallText(r.Viewer)
	}
	return text
}
