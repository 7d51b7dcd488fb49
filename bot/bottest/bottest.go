// Package bottest talks to the bot the way Slack does: signed slash commands,
// interactions and events against an httptest server.
package bottest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"salescoach/bot"
)

// Secret is the signing secret tests use.
const Secret = "8f742231b10e8888abcd99yyyzzz85a5"

// Slack sends requests to a bot at BaseURL, signed with Secret.
type Slack struct {
	T       testing.TB
	BaseURL string
	Secret  string
	Now     func() time.Time
	Client  *http.Client
}

// Response is what the bot answered.
type Response struct {
	Status int
	Body   []byte
}

// Message decodes a slash-command reply.
func (r Response) Message(tb testing.TB) Reply {
	tb.Helper()
	var m Reply
	if err := json.Unmarshal(r.Body, &m); err != nil {
		tb.Fatalf("reply is not JSON (%d): %s", r.Status, r.Body)
	}
	return m
}

// Reply is the JSON of a slash-command reply.
type Reply struct {
	ResponseType string           `json:"response_type"`
	Text         string           `json:"text"`
	Blocks       []map[string]any `json:"blocks"`
}

// AllText returns the reply's text and the text of every block, joined.
func (r Reply) AllText() string {
	var b bytes.Buffer
	b.WriteString(r.Text)
	for _, bl := range r.Blocks {
		collect(&b, bl)
	}
	return b.String()
}

func collect(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case map[string]any:
		if t, ok := v["text"].(string); ok {
			b.WriteString("\n" + t)
		}
		for k, x := range v {
			if k != "text" {
				collect(b, x)
			} else if _, ok := x.(string); !ok {
				collect(b, x)
			}
		}
	case []any:
		for _, x := range v {
			collect(b, x)
		}
	}
}

// Form returns a slash command's form as Slack sends it, with a fresh trigger_id.
func Form(team, user, command, text string) url.Values {
	return url.Values{
		"token": {"legacy"}, "team_id": {team}, "team_domain": {"acme"}, "channel_id": {"C0001"},
		"channel_name": {"sales"}, "user_id": {user}, "user_name": {"rep"}, "command": {command},
		"text": {text}, "api_app_id": {"A0001"}, "response_url": {"https://hooks.slack.invalid/commands/1"},
		"trigger_id": {TriggerID()},
	}
}

// TriggerID returns a fresh trigger id.
func TriggerID() string {
	var b [8]byte
	rand.Read(b[:])
	return "1337." + hex.EncodeToString(b[:])
}

// Post sends body to path signed at now, unless sign is false.
func (s *Slack) Post(path, contentType string, body []byte, sign bool) Response {
	s.T.Helper()
	req, err := http.NewRequest(http.MethodPost, s.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if sign {
		bot.Sign(req.Header, s.secret(), body, s.now())
	}
	return s.Do(req)
}

// Do sends a prepared request.
func (s *Slack) Do(req *http.Request) Response {
	s.T.Helper()
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		s.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Body: b}
}

// Command sends a signed slash command and returns the decoded reply; the
// status must be 200.
func (s *Slack) Command(team, user, command, text string) Reply {
	s.T.Helper()
	r := s.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(Form(team, user, command, text).Encode()), true)
	if r.Status != http.StatusOK {
		s.T.Fatalf("%s %s: status %d: %s", command, text, r.Status, r.Body)
	}
	return r.Message(s.T)
}

func (s *Slack) secret() string {
	if s.Secret == "" {
		return Secret
	}
	return s.Secret
}

func (s *Slack) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}
