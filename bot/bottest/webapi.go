package bottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// WebAPI is a fake Slack Web API for the calls the bot makes on its own:
// chat.postMessage (kept per channel, with message metadata),
// conversations.history (newest first, paginated, metadata on request) and
// conversations.info. Faults queued with Fail make the next calls of a
// method fail the way Slack or the network do.
type WebAPI struct {
	URL string           // the base URL, with the trailing slash slack.OptionAPIURL needs
	Now func() time.Time // stamps messages; time.Now when nil

	mu       sync.Mutex
	seq      int
	messages map[string][]Message // by channel, oldest first
	channels map[string]Channel
	faults   map[string][]Fault
	calls    map[string]int
}

// Message is a message posted through the fake.
type Message struct {
	Channel  string
	TS       string
	Text     string
	Blocks   []map[string]any
	Metadata *slack.SlackMetadata
}

// Channel is what conversations.info says of a channel.
type Channel struct {
	IsMember    bool
	IsExtShared bool
	NotFound    bool
}

// Fault is how one call fails.
type Fault struct {
	Status     int    // an HTTP status (429, 503…)
	RetryAfter int    // seconds, with a 429
	Error      string // an ok:false error such as "missing_scope"
	// Hang holds the call until the client gives up: a time-out. With
	// Deliver, the message is posted first, as when Slack acted but its
	// answer was lost.
	Hang    bool
	Deliver bool
}

// NewWebAPI starts a fake Web API, closed when the test ends.
func NewWebAPI(tb testing.TB) *WebAPI {
	api := &WebAPI{messages: map[string][]Message{}, channels: map[string]Channel{}, faults: map[string][]Fault{}, calls: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(api.serve))
	tb.Cleanup(srv.Close)
	api.URL = srv.URL + "/"
	return api
}

// Client returns a Web API client of the fake.
func (api *WebAPI) Client() *slack.Client {
	return slack.New("xoxb-test", slack.OptionAPIURL(api.URL))
}

// SetChannel says what conversations.info answers for a channel. A channel
// never set is one the bot is a member of.
func (api *WebAPI) SetChannel(id string, c Channel) {
	api.mu.Lock()
	defer api.mu.Unlock()
	api.channels[id] = c
}

// Fail queues faults for the next calls of method, e.g. "chat.postMessage".
func (api *WebAPI) Fail(method string, faults ...Fault) {
	api.mu.Lock()
	defer api.mu.Unlock()
	api.faults[method] = append(api.faults[method], faults...)
}

// Seed adds a message to a channel as if it had been posted earlier.
func (api *WebAPI) Seed(m Message) Message {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.add(m)
}

// Messages returns the messages of a channel, oldest first.
func (api *WebAPI) Messages(channel string) []Message {
	api.mu.Lock()
	defer api.mu.Unlock()
	return slices.Clone(api.messages[channel])
}

// Calls returns how many times method was called, faults included.
func (api *WebAPI) Calls(method string) int {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.calls[method]
}

func (api *WebAPI) add(m Message) Message {
	api.seq++
	now := time.Now()
	if api.Now != nil {
		now = api.Now()
	}
	if m.TS == "" {
		m.TS = fmt.Sprintf("%d.%06d", now.Unix(), api.seq)
	}
	api.messages[m.Channel] = append(api.messages[m.Channel], m)
	return m
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (api *WebAPI) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	api.mu.Lock()
	api.calls[method]++
	var fault *Fault
	if q := api.faults[method]; len(q) > 0 {
		fault, api.faults[method] = &q[0], q[1:]
	}
	api.mu.Unlock()

	if fault != nil {
		switch {
		case fault.Hang:
			if fault.Deliver && method == "chat.postMessage" {
				api.postMessage(r)
			}
			<-r.Context().Done()
			return
		case fault.Status != 0:
			if fault.RetryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(fault.RetryAfter))
			}
			w.WriteHeader(fault.Status)
			return
		case fault.Error != "":
			writeJSON(w, map[string]any{"ok": false, "error": fault.Error})
			return
		}
	}
	switch method {
	case "chat.postMessage":
		m := api.postMessage(r)
		writeJSON(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS})
	case "conversations.history":
		api.history(w, r)
	case "conversations.info":
		api.info(w, r)
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func (api *WebAPI) postMessage(r *http.Request) Message {
	m := Message{Channel: r.PostForm.Get("channel"), Text: r.PostForm.Get("text")}
	if b := r.PostForm.Get("blocks"); b != "" {
		json.Unmarshal([]byte(b), &m.Blocks)
	}
	if md := r.PostForm.Get("metadata"); md != "" {
		m.Metadata = &slack.SlackMetadata{}
		json.Unmarshal([]byte(md), m.Metadata)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.add(m)
}

func (api *WebAPI) history(w http.ResponseWriter, r *http.Request) {
	api.mu.Lock()
	all := slices.Clone(api.messages[r.PostForm.Get("channel")])
	api.mu.Unlock()
	slices.Reverse(all)
	oldest, _ := strconv.ParseFloat(r.PostForm.Get("oldest"), 64)
	var msgs []map[string]any
	for _, m := range all {
		if ts, _ := strconv.ParseFloat(m.TS, 64); ts < oldest {
			continue
		}
		msg := map[string]any{"type": "message", "ts": m.TS, "text": m.Text}
		if m.Metadata != nil && r.PostForm.Get("include_all_metadata") == "1" {
			msg["metadata"] = m.Metadata
		}
		msgs = append(msgs, msg)
	}
	limit, _ := strconv.Atoi(r.PostForm.Get("limit"))
	if limit <= 0 {
		limit = 100
	}
	start, _ := strconv.Atoi(r.PostForm.Get("cursor"))
	start = min(start, len(msgs))
	end := min(start+limit, len(msgs))
	resp := map[string]any{"ok": true, "messages": msgs[start:end], "has_more": end < len(msgs)}
	if end < len(msgs) {
		resp["response_metadata"] = map[string]any{"next_cursor": strconv.Itoa(end)}
	}
	writeJSON(w, resp)
}

func (api *WebAPI) info(w http.ResponseWriter, r *http.Request) {
	id := r.PostForm.Get("channel")
	api.mu.Lock()
	c, ok := api.channels[id]
	api.mu.Unlock()
	if !ok {
		c = Channel{IsMember: true}
	}
	if c.NotFound {
		writeJSON(w, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{
		"id": id, "is_channel": true, "is_member": c.IsMember,
		"is_shared": c.IsExtShared, "is_ext_shared": c.IsExtShared,
	}})
}
