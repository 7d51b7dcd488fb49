package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeSlack is a local Slack Web API for the digest run: it accepts what a
// weekly digest calls — conversations.info, conversations.history,
// chat.postMessage, files.getUploadURLExternal, the upload,
// files.completeUploadExternal — answers the calls a serve process may make
// besides (users.info, conversations.open) and counts every call.
type fakeSlack struct {
	srv *http.Server
	url string // ends with "/"

	seq     atomic.Int64
	digests atomic.Int64 // chat.postMessage calls carrying the digest's metadata
	files   atomic.Int64 // files shared by files.completeUploadExternal
	bytes   atomic.Int64 // uploaded

	mu        sync.Mutex
	calls     map[string]int
	perChan   map[string]int // digests per channel
	inThread  int            // files shared in a thread
	firstPost time.Time
}

func startFakeSlack() (*fakeSlack, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fakeSlack{url: "http://" + ln.Addr().String() + "/", calls: map[string]int{}, perChan: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", f.handle)
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	return f, nil
}

func (f *fakeSlack) stop() { f.srv.Close() }

func (f *fakeSlack) count(method string) {
	f.mu.Lock()
	f.calls[method]++
	f.mu.Unlock()
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) handle(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/")
	if strings.HasPrefix(method, "upload/") {
		f.count("upload")
		n, _ := io.Copy(io.Discard, r.Body) // the multipart body with the PNG
		f.bytes.Add(n)
		io.WriteString(w, "OK")
		return
	}
	f.count(method)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	switch method {
	case "conversations.info":
		writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": r.PostForm.Get("channel"), "is_channel": true, "is_member": true}})
	case "conversations.history":
		writeJSON(w, map[string]any{"ok": true, "messages": []any{}, "has_more": false})
	case "chat.postMessage":
		ch := r.PostForm.Get("channel")
		if strings.Contains(r.PostForm.Get("metadata"), "salescoach_digest") {
			f.mu.Lock()
			if f.firstPost.IsZero() {
				f.firstPost = time.Now()
			}
			f.perChan[ch]++
			f.mu.Unlock()
			f.digests.Add(1)
		}
		writeJSON(w, map[string]any{"ok": true, "channel": ch, "ts": fmt.Sprintf("%d.%06d", time.Now().Unix(), f.seq.Add(1))})
	case "files.getUploadURLExternal":
		id := fmt.Sprintf("F%07d", f.seq.Add(1))
		writeJSON(w, map[string]any{"ok": true, "upload_url": f.url + "upload/" + id, "file_id": id})
	case "files.completeUploadExternal":
		var files []map[string]any
		json.Unmarshal([]byte(r.PostForm.Get("files")), &files)
		f.files.Add(int64(len(files)))
		if r.PostForm.Get("thread_ts") != "" {
			f.mu.Lock()
			f.inThread += len(files)
			f.mu.Unlock()
		}
		writeJSON(w, map[string]any{"ok": true, "files": files})
	case "conversations.open":
		writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + r.PostForm.Get("users")}})
	case "users.info":
		writeJSON(w, map[string]any{"ok": false, "error": "user_not_found"})
	case "auth.test":
		writeJSON(w, map[string]any{"ok": true, "team_id": "TBENCH", "user_id": "UBOT", "bot_id": "BBENCH"})
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// summary lists the calls by method, and the channels that got more than one
// digest.
func (f *fakeSlack) summary() (calls string, twice int, inThread int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for m := range f.calls {
		names = append(names, m)
	}
	sort.Strings(names)
	var parts []string
	for _, m := range names {
		parts = append(parts, fmt.Sprintf("%s %d", m, f.calls[m]))
	}
	for _, n := range f.perChan {
		if n > 1 {
			twice++
		}
	}
	return strings.Join(parts, ", "), twice, f.inThread
}
