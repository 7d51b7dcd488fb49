package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/slack-go/slack"
)

// Clients gives the Slack Web API client to use for a team's calls.
type Clients interface {
	Client(ctx context.Context, teamID string) (*slack.Client, error)
}

// ErrNoSlack is returned when no Slack token is configured for a team.
var ErrNoSlack = errors.New("no Slack token for this team")

// StaticClients uses one bot token for every team: single-workspace mode
// (SLACK_BOT_TOKEN).
type StaticClients struct {
	Token  string
	APIURL string // Slack's when empty; must end with "/"
	HTTP   *http.Client
}

// Client returns the client for teamID.
func (s StaticClients) Client(_ context.Context, _ string) (*slack.Client, error) {
	if s.Token == "" {
		return nil, ErrNoSlack
	}
	return NewSlackClient(s.Token, s.APIURL, s.HTTP), nil
}

// NewSlackClient returns a Web API client for token, talking to apiURL (Slack's
// when empty).
func NewSlackClient(token, apiURL string, hc *http.Client) *slack.Client {
	var opts []slack.Option
	if apiURL != "" {
		opts = append(opts, slack.OptionAPIURL(apiURL))
	}
	if hc != nil {
		opts = append(opts, slack.OptionHTTPClient(hc))
	}
	return slack.New(token, opts...)
}
