// Package bottest talks to the bot the way Slack does: signed slash commands,
// interactions and events against an httptest server, a fake Web API, and
// MemStore, the store in memory that the handler tests run on.
package bottest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"salescoach/bot/observe"
	"salescoach/bot/transport"
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
		transport.Sign(req.Header, s.secret(), body, s.now())
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

// Interaction sends a signed interaction (a button click, a modal submit)
// whose JSON payload is payload, as Slack does: a form with one field.
func (s *Slack) Interaction(payload any) Response {
	s.T.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		s.T.Fatal(err)
	}
	return s.Post("/slack/interactions", "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(b)}}.Encode()), true)
}

// Event sends a signed Events API envelope; retry > 0 marks it as Slack's
// retry number retry, as X-Slack-Retry-Num does.
func (s *Slack) Event(envelope any, retry int) Response {
	s.T.Helper()
	b, err := json.Marshal(envelope)
	if err != nil {
		s.T.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.BaseURL+"/slack/events", bytes.NewReader(b))
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	transport.Sign(req.Header, s.secret(), b, s.now())
	return s.Do(req)
}

// Button returns a block_actions payload: user of team clicks the button
// actionID with value, under a message answered through responseURL ("" for
// a click in the App Home tab).
func Button(team, user, actionID, value, responseURL string) map[string]any {
	p := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": team, "domain": "acme"},
		"user":       map[string]any{"id": user, "team_id": team},
		"api_app_id": "A0001", "trigger_id": TriggerID(),
		"actions": []any{map[string]any{
			"type": "button", "action_id": actionID, "block_id": "actions", "value": value,
			"action_ts": strconv.FormatInt(time.Now().UnixNano(), 10),
		}},
	}
	if responseURL != "" {
		p["response_url"] = responseURL
		p["channel"] = map[string]any{"id": "C0001"}
		p["container"] = map[string]any{"type": "message", "is_ephemeral": true, "channel_id": "C0001"}
	} else {
		p["container"] = map[string]any{"type": "view", "view_id": "V0HOME"}
		p["view"] = map[string]any{"id": "V0HOME", "type": "home"}
	}
	return p
}

// Submit returns a view_submission payload for the modal view (as the bot
// opened it: callback_id and private_metadata are read from it), with values
// typed as block_id → text, or → the chosen option for a select.
func Submit(team, user, viewID string, view map[string]any, values map[string]string) map[string]any {
	state := map[string]any{}
	blocks, _ := view["blocks"].([]any)
	for _, b := range blocks {
		b, _ := b.(map[string]any)
		if b["type"] != "input" {
			continue
		}
		id, _ := b["block_id"].(string)
		el, _ := b["element"].(map[string]any)
		v, ok := values[id]
		if !ok {
			continue
		}
		act := map[string]any{"type": el["type"]}
		if el["type"] == "static_select" {
			act["selected_option"] = map[string]any{"value": v}
		} else {
			act["value"] = v
		}
		state[id] = map[string]any{el["action_id"].(string): act}
	}
	return map[string]any{
		"type": "view_submission", "team": map[string]any{"id": team}, "user": map[string]any{"id": user, "team_id": team},
		"api_app_id": "A0001", "trigger_id": TriggerID(),
		"view": map[string]any{
			"id": viewID, "team_id": team, "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": state},
		},
	}
}

// LogBuffer is a log sink safe for concurrent writers.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Counter returns the value of the counter metric with labels in m, 0 when
// no sample matches.
func Counter(tb testing.TB, m *observe.Metrics, metric string, labels map[string]string) float64 {
	tb.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != metric {
			continue
		}
	sample:
		for _, s := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range s.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue sample
				}
			}
			return s.GetCounter().GetValue()
		}
	}
	return 0
}
