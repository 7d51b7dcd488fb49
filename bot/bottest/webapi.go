package bottest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// WebAPI is the fake Web API with state for the calls the bot makes on its
// own: chat.postMessage keeps messages per channel (with their metadata),
// conversations.history returns them newest first, paginated, with metadata
// on request, and conversations.info says what SetChannel said. Faults queued
// with Fail make the next calls of a method fail the way Slack or the network
// do. users.info answers user_not_found, so profiles stay as a test sets them.
// The external file upload — files.getUploadURLExternal, the upload to the
// URL it gives, files.completeUploadExternal — shares files in channels and
// threads (Files); the upload's faults are queued under "upload".
type WebAPI struct {
	*API
	Now func() time.Time // stamps messages; time.Now when nil

	mu       sync.Mutex
	seq      int
	messages map[string][]Message // by channel, oldest first
	channels map[string]Channel
	faults   map[string][]Fault
	uploads  map[string]*File  // by id, from getUploadURLExternal until shared
	files    map[string][]File // shared, by channel, in order
}

// File is a file shared through the fake's external upload.
type File struct {
	ID       string
	Name     string // the file name given to files.getUploadURLExternal
	Title    string
	Channel  string
	Thread   string // the thread's ts; "" in the channel itself
	Comment  string // the initial comment
	Declared int    // the length given to files.getUploadURLExternal
	Data     []byte // what was uploaded
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

// NewWebAPI starts a fake Web API, stopped when the test ends.
func NewWebAPI(tb testing.TB) *WebAPI {
	w := &WebAPI{messages: map[string][]Message{}, channels: map[string]Channel{}, faults: map[string][]Fault{},
		uploads: map[string]*File{}, files: map[string][]File{}}
	w.API = NewAPI(tb, Handlers{
		"/chat.postMessage":             w.faulty("chat.postMessage", w.postMessage),
		"/conversations.history":        w.faulty("conversations.history", w.history),
		"/conversations.info":           w.faulty("conversations.info", w.info),
		"/users.info":                   OK(`{"ok":false,"error":"user_not_found"}`),
		"/files.getUploadURLExternal":   w.faulty("files.getUploadURLExternal", w.uploadURL),
		"/upload/":                      w.faulty("upload", w.upload),
		"/files.completeUploadExternal": w.faulty("files.completeUploadExternal", w.completeUpload),
	})
	return w
}

// SetChannel says what conversations.info answers for a channel. A channel
// never set is one the bot is a member of.
func (w *WebAPI) SetChannel(id string, c Channel) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.channels[id] = c
}

// Fail queues faults for the next calls of method, e.g. "chat.postMessage".
func (w *WebAPI) Fail(method string, faults ...Fault) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.faults[method] = append(w.faults[method], faults...)
}

// Seed adds a message to a channel as if it had been posted earlier.
func (w *WebAPI) Seed(m Message) Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.add(m)
}

// Messages returns the messages of a channel, oldest first.
func (w *WebAPI) Messages(channel string) []Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.messages[channel])
}

// Files returns the files shared in a channel (in the channel itself or in
// its threads), in the order they were shared.
func (w *WebAPI) Files(channel string) []File {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.files[channel])
}

func (w *WebAPI) add(m Message) Message {
	w.seq++
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	if m.TS == "" {
		m.TS = fmt.Sprintf("%d.%06d", now.Unix(), w.seq)
	}
	w.messages[m.Channel] = append(w.messages[m.Channel], m)
	return m
}

func writeJSON(rw http.ResponseWriter, v any) {
	rw.Header().Set("Content-Type", "application/json")
	json.NewEncoder(rw).Encode(v)
}

// faulty serves the next queued fault of method, if any, and next otherwise.
func (w *WebAPI) faulty(method string, next http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(rw, "bad form", http.StatusBadRequest)
			return
		}
		w.mu.Lock()
		var fault *Fault
		if q := w.faults[method]; len(q) > 0 {
			fault, w.faults[method] = &q[0], q[1:]
		}
		w.mu.Unlock()
		switch {
		case fault == nil:
			next(rw, r)
		case fault.Hang:
			if fault.Deliver {
				w.store(r)
			}
			<-r.Context().Done()
		case fault.Status != 0:
			if fault.RetryAfter > 0 {
				rw.Header().Set("Retry-After", strconv.Itoa(fault.RetryAfter))
			}
			rw.WriteHeader(fault.Status)
		default:
			writeJSON(rw, map[string]any{"ok": false, "error": fault.Error})
		}
	}
}

func (w *WebAPI) postMessage(rw http.ResponseWriter, r *http.Request) {
	m := w.store(r)
	writeJSON(rw, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS})
}

// store keeps the message a chat.postMessage request carries.
func (w *WebAPI) store(r *http.Request) Message {
	m := Message{Channel: r.PostForm.Get("channel"), Text: r.PostForm.Get("text")}
	if b := r.PostForm.Get("blocks"); b != "" {
		json.Unmarshal([]byte(b), &m.Blocks)
	}
	if md := r.PostForm.Get("metadata"); md != "" {
		m.Metadata = &slack.SlackMetadata{}
		json.Unmarshal([]byte(md), m.Metadata)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.add(m)
}

func (w *WebAPI) history(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	all := slices.Clone(w.messages[r.PostForm.Get("channel")])
	w.mu.Unlock()
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
	writeJSON(rw, resp)
}

func (w *WebAPI) info(rw http.ResponseWriter, r *http.Request) {
	id := r.PostForm.Get("channel")
	w.mu.Lock()
	c, ok := w.channels[id]
	w.mu.Unlock()
	if !ok {
		c = Channel{IsMember: true}
	}
	if c.NotFound {
		writeJSON(rw, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	writeJSON(rw, map[string]any{"ok": true, "channel": map[string]any{
		"id": id, "is_channel": true, "is_member": c.IsMember,
		"is_shared": c.IsExtShared, "is_ext_shared": c.IsExtShared,
	}})
}

func (w *WebAPI) uploadURL(rw http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PostForm.Get("length"))
	if err != nil || n <= 0 || r.PostForm.Get("filename") == "" {
		writeJSON(rw, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	w.mu.Lock()
	w.seq++
	f := &File{ID: fmt.Sprintf("F%06d", w.seq), Name: r.PostForm.Get("filename"), Declared: n}
	w.uploads[f.ID] = f
	w.mu.Unlock()
	writeJSON(rw, map[string]any{"ok": true, "upload_url": w.URL() + "upload/" + f.ID, "file_id": f.ID})
}

// upload takes the file's bytes, as Slack's upload URL does (multipart, field
// "file"), and answers in plain text.
func (w *WebAPI) upload(rw http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	file, _, err := r.FormFile("file")
	if err != nil {
		http.Error(rw, "no file", http.StatusBadRequest)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		http.Error(rw, "read", http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	f, ok := w.uploads[id]
	if ok {
		f.Data = data
	}
	w.mu.Unlock()
	if !ok {
		http.NotFound(rw, r)
		return
	}
	io.WriteString(rw, "OK - "+strconv.Itoa(len(data)))
}

func (w *WebAPI) completeUpload(rw http.ResponseWriter, r *http.Request) {
	var want []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(r.PostForm.Get("files")), &want); err != nil || len(want) == 0 {
		writeJSON(rw, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	channel := r.PostForm.Get("channel_id")
	w.mu.Lock()
	defer w.mu.Unlock()
	var done []map[string]any
	for _, x := range want {
		f, ok := w.uploads[x.ID]
		if !ok || f.Data == nil {
			writeJSON(rw, map[string]any{"ok": false, "error": "file_not_found"})
			return
		}
		delete(w.uploads, x.ID)
		f.Title, f.Channel, f.Thread, f.Comment = x.Title, channel, r.PostForm.Get("thread_ts"), r.PostForm.Get("initial_comment")
		if channel != "" {
			w.files[channel] = append(w.files[channel], *f)
		}
		done = append(done, map[string]any{"id": f.ID, "title": f.Title})
	}
	writeJSON(rw, map[string]any{"ok": true, "files": done})
}
