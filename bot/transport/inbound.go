package transport

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/coach"
)

// Inbound is one request from Slack — a slash command, an interaction or an
// Events API envelope — as either transport (HTTP or Socket Mode) received it,
// already verified. Exactly one of Command, Interaction and Event is set.
type Inbound struct {
	Command     *slack.SlashCommand
	Interaction *slack.InteractionCallback
	Event       json.RawMessage
	// Member is what the replay check read of a slash command's user, so
	// that answering it needs no second query; nil when it read nothing.
	Member *coach.Member
}

// Outcome is the bot's answer to an Inbound: what Slack gets at once (the HTTP
// response, or the Socket Mode acknowledgement), then the work that follows.
type Outcome struct {
	Status int // HTTP status; 0 means 200. A 5xx makes Slack deliver an event again.
	Body   any // the JSON answer; nil for an empty one
	// ResponseURL is where a Body too large for a Socket Mode acknowledgement
	// is posted instead (a slash command's reply).
	ResponseURL string
	// Later runs once Slack has its answer: posts to response_url, opening
	// the App Home. Nil when there is nothing to do.
	Later func(ctx context.Context)
}

// Handler is what the transports need of the bot's use cases. HTTP and
// Socket Mode both hand every request to Dispatch, so they share every
// handler.
type Handler interface {
	// Dispatch answers one verified request from Slack.
	Dispatch(ctx context.Context, in Inbound) Outcome
	// Unavailable is the answer to a request whose Dispatch did not return
	// in time, in the shape its route expects.
	Unavailable(ctx context.Context, in Inbound) Outcome
	// Sighting records a request's signature and reports whether it is seen
	// for the first time (not a replay), with what the store knows of the
	// user it names (nil when none is named or known).
	Sighting(ctx context.Context, signature, teamID, userID string) (first bool, m *coach.Member, err error)
	// Ping reports whether the store answers, for /readyz.
	Ping(ctx context.Context) error
	// Go runs work after the answer, counted so that shutdown waits for it.
	Go(fn func(ctx context.Context))
	// Respond posts an answer to a response_url.
	Respond(ctx context.Context, url string, body any) error
	// Metrics and Log are where the transports count and log.
	Metrics() *observe.Metrics
	Log() *slog.Logger
}
