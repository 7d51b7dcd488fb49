package handlers

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"salescoach/bot/transport"
)

// commandLabel names what an inbound request asks for, for metrics: a row of
// the command table ("/deal add", "/coach"), an interaction ("block_actions
// deal_next") or an event type. Unknown values are "other".
func (a *App) commandLabel(in transport.Inbound) string {
	switch {
	case in.Command != nil:
		root := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(in.Command.Command)), "/")
		if root != "deal" && root != "coach" {
			return "other"
		}
		word, _, _ := strings.Cut(strings.TrimSpace(in.Command.Text), " ")
		if c := a.find(root, word); c != nil {
			return "/" + root + " " + c.Name
		}
		if root == "deal" && word != "" {
			return "/deal other"
		}
		return "/" + root
	case in.Interaction != nil:
		cb := in.Interaction
		switch cb.Type {
		case slack.InteractionTypeBlockActions:
			if len(cb.ActionCallback.BlockActions) > 0 {
				if b := a.button(cb.ActionCallback.BlockActions[0].ActionID); b != nil {
					return b.Label()
				}
			}
			return "block_actions other"
		case slack.InteractionTypeViewSubmission:
			if m := a.modal(cb.View.CallbackID); m != nil {
				return m.Label()
			}
			return "view_submission other"
		case slack.InteractionTypeViewClosed:
			return "view_closed"
		}
		return "interaction other"
	case in.Event != nil:
		var env struct {
			Type  string `json:"type"`
			Event struct {
				Type string `json:"type"`
			} `json:"event"`
		}
		json.Unmarshal(in.Event, &env)
		switch env.Type {
		case "url_verification":
			return "url_verification"
		case "event_callback":
			switch env.Event.Type {
			case "app_home_opened", "app_uninstalled", "tokens_revoked":
				return "event " + env.Event.Type
			}
		}
		return "event other"
	}
	return "other"
}
