package handlers_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/jobs"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// failingReport is a store whose §9 report fails with err.
type failingReport struct {
	jobs.PictureStore
	err error
}

func (f failingReport) Report(context.Context, string, time.Time, time.Time) (coach.Report, error) {
	return coach.Report{}, f.err
}

// fakeSlack is the part of Slack's Web API a picture upload uses. It records
// every call in order, and the file uploaded.
type fakeSlack struct {
	srv *httptest.Server

	mu       sync.Mutex
	calls    []string
	file     []byte
	fileName string
	names    []string // the file names given to files.getUploadURLExternal
	declared string   // the length given to files.getUploadURLExternal
	channel  string   // where files.completeUploadExternal shared the file
	thread   string   // and in which thread
	title    string
	messages []string // text posted with chat.postMessage
	answers  []string // what the bot posted to response_url
	refuse   bool     // files.getUploadURLExternal fails
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{}
	mux := http.NewServeMux()
	record := func(name string) {
		f.mu.Lock()
		f.calls = append(f.calls, name)
		f.mu.Unlock()
	}
	mux.HandleFunc("/conversations.open", func(w http.ResponseWriter, r *http.Request) {
		record("conversations.open")
		if r.FormValue("users") != "U1" {
			t.Errorf("conversations.open users = %q, want the requester U1", r.FormValue("users"))
		}
		io.WriteString(w, `{"ok":true,"channel":{"id":"D0U1"}}`)
	})
	mux.HandleFunc("/respond/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.answers = append(f.answers, string(b))
		f.mu.Unlock()
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/files.getUploadURLExternal", func(w http.ResponseWriter, r *http.Request) {
		record("files.getUploadURLExternal")
		f.mu.Lock()
		if f.refuse {
			f.mu.Unlock()
			io.WriteString(w, `{"ok":false,"error":"invalid_arguments"}`)
			return
		}
		f.declared, f.fileName = r.FormValue("length"), r.FormValue("filename")
		f.names = append(f.names, f.fileName)
		f.mu.Unlock()
		io.WriteString(w, `{"ok":true,"upload_url":"`+f.srv.URL+`/upload/F1","file_id":"F1"}`)
	})
	mux.HandleFunc("/upload/F1", func(w http.ResponseWriter, r *http.Request) {
		record("upload")
		file, _, err := r.FormFile("file")
		if err != nil {
			t.Errorf("upload without a file: %v", err)
			return
		}
		b, _ := io.ReadAll(file)
		f.mu.Lock()
		f.file = b
		f.mu.Unlock()
		io.WriteString(w, "OK")
	})
	mux.HandleFunc("/files.completeUploadExternal", func(w http.ResponseWriter, r *http.Request) {
		record("files.completeUploadExternal")
		f.mu.Lock()
		f.channel, f.thread = r.FormValue("channel_id"), r.FormValue("thread_ts")
		f.title = r.FormValue("files")
		f.mu.Unlock()
		io.WriteString(w, `{"ok":true,"files":[{"id":"F1","title":"picture"}]}`)
	})
	mux.HandleFunc("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		record("chat.postMessage")
		f.mu.Lock()
		f.messages = append(f.messages, r.FormValue("text"))
		f.mu.Unlock()
		io.WriteString(w, `{"ok":true,"channel":"D0U1","ts":"1.2"}`)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// count returns how many times Slack saw method.
func (f *fakeSlack) count(method string) int {
	n := 0
	for _, m := range f.seen() {
		if m == method {
			n++
		}
	}
	return n
}

func (f *fakeSlack) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

type pictureFixture struct {
	store *db.DB
	app   *handlers.App
	slack *bottest.Slack
	api   *fakeSlack
	team  string // the test's own on the shared database
}

// newPictureFixture is a bot whose Slack Web API is a local fake; with dir
// set it is a console bot that writes pictures there instead.
func newPictureFixture(t *testing.T, data func(*db.DB) jobs.PictureStore, dir string) *pictureFixture {
	t.Helper()
	store := dbtest.Shared(t)
	api := newFakeSlack(t)
	app := handlers.New(handlers.Config{Store: store, Managers: []string{"U1"},
		Slack:    transport.StaticClients{Token: "xoxb-test", APIURL: api.srv.URL + "/"},
		Pictures: data(store), Painter: bottest.QuickPaint, PictureDir: dir})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	return &pictureFixture{store: store, app: app, slack: &bottest.Slack{T: t, BaseURL: srv.URL}, api: api, team: dbtest.TeamID(t)}
}

func storeData(s *db.DB) jobs.PictureStore { return s }

func (f *pictureFixture) wait(t *testing.T) {
	t.Helper()
	f.app.Wait()
}

// TestPictureUpload sends each picture to the requester's direct messages:
// the reply comes at once, then the three steps of Slack's external upload
// run in order and share a PNG in the direct message.
func TestPictureUpload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, command, text, file, kind string
	}{
		{"Flow", "/coach", "flow", "flow-", "flow"},
		{"FlowWeeks", "/coach", "flow weeks 4", "flow-", "flow"},
		{"Trend", "/coach", "trend", "trend-", "trend"},
		{"Blueprint", "/deal", "blueprint acme", "blueprint-", "blueprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newPictureFixture(t, storeData, "")
			f.slack.Command(f.team, "U1", "/deal", "add Acme Corp $12,000")
			f.slack.Command(f.team, "U1", "/deal", "move acme demo")
			f.slack.Command(f.team, "U1", "/deal", "note acme sent the proposal")
			before := len(f.api.seen())

			reply := f.slack.Command(f.team, "U1", tt.command, tt.text)
			if !strings.Contains(reply.AllText(), "direct messages") {
				t.Errorf("reply %q does not say the picture goes to the direct messages", reply.AllText())
			}
			f.wait(t)
			got := f.api.seen()[before:]
			want := []string{"conversations.open", "files.getUploadURLExternal", "upload", "files.completeUploadExternal"}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("Slack saw %v, want %v", got, want)
			}
			if kind, lang, ok := bottest.QuickPicture(f.api.file); !ok || kind != tt.kind || lang != coach.EN {
				t.Errorf("uploaded %q in %q (a picture: %v), want the %s picture in English", kind, lang, ok, tt.kind)
			}
			if f.api.declared == "0" || f.api.declared != strconv.Itoa(len(f.api.file)) {
				t.Errorf("declared length %s, uploaded %d bytes", f.api.declared, len(f.api.file))
			}
			if !strings.HasPrefix(f.api.fileName, tt.file+f.team+"-") || !strings.HasSuffix(f.api.fileName, ".png") {
				t.Errorf("file name %q, want %s%s-….png", f.api.fileName, tt.file, f.team)
			}
			if f.api.channel != "D0U1" {
				t.Errorf("shared in %q, want the direct message D0U1", f.api.channel)
			}
		})
	}
}

// TestPictureFailureIsReported tells the requester in their direct messages
// when a picture cannot be drawn, and uploads nothing.
func TestPictureFailureIsReported(t *testing.T) {
	t.Parallel()
	f := newPictureFixture(t, func(s *db.DB) jobs.PictureStore {
		return failingReport{PictureStore: s, err: errors.New("report: connection reset")}
	}, "")
	f.slack.Command(f.team, "U1", "/coach", "flow")
	f.wait(t)
	got := f.api.seen()
	if strings.Join(got, " ") != "conversations.open chat.postMessage" {
		t.Fatalf("Slack saw %v, want the direct message opened and one message", got)
	}
	if msg := f.api.messages[0]; !strings.Contains(msg, "could not draw") || strings.Contains(msg, "connection reset") {
		t.Errorf("message %q should apologise without internals", msg)
	}
}

func TestPictureBadInput(t *testing.T) {
	t.Parallel()
	f := newPictureFixture(t, storeData, "")
	for _, text := range []string{"flow weeks x", "flow weeks 0", "trend 500"} {
		reply := f.slack.Command(f.team, "U1", "/coach", text)
		if !strings.Contains(reply.AllText(), "number of weeks") {
			t.Errorf("/coach %s: reply %q, want the correct form", text, reply.AllText())
		}
	}
	reply := f.slack.Command(f.team, "U1", "/deal", "blueprint nosuchdeal")
	if strings.Contains(reply.AllText(), "direct messages") {
		t.Errorf("/deal blueprint of an unknown deal promised a picture: %q", reply.AllText())
	}
	f.wait(t)
	if got := f.api.seen(); len(got) != 0 {
		t.Errorf("bad input reached Slack: %v", got)
	}
}

func TestPictureWithoutSlackToken(t *testing.T) {
	t.Parallel()
	store := dbtest.Shared(t)
	app := handlers.New(handlers.Config{Store: store, Pictures: store})
	reply := app.Handle(context.Background(), handlers.Request{TeamID: dbtest.TeamID(t), UserID: "U1", Command: "/coach", Text: "flow"})
	if !reply.Failed || !strings.Contains(reply.Text, "SLACK_BOT_TOKEN") {
		t.Errorf("reply %+v, want a failure naming the missing token", reply)
	}
}

// TestPictureInConsole writes the picture to a file and replies with its path.
func TestPictureInConsole(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := newPictureFixture(t, storeData, dir)
	var out bytes.Buffer
	in := strings.NewReader("/deal add Acme Corp\n/coach flow\n/deal blueprint acme\n/coach trend weeks 6\n")
	if err := f.app.Console(context.Background(), in, &out, f.team, "U1", ""); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if len(files) != 3 {
		t.Fatalf("wrote %v, want 3 pictures\n%s", files, out.String())
	}
	for _, file := range files {
		if !strings.Contains(out.String(), file) {
			t.Errorf("console did not print the path %s:\n%s", file, out.String())
		}
		b, _ := os.ReadFile(file)
		kind, _, _ := bottest.QuickPicture(b)
		if base := filepath.Base(file); !strings.HasPrefix(base, kind+"-") {
			t.Errorf("%s holds the %q picture", base, kind)
		}
	}
	if got := f.api.seen(); len(got) != 0 {
		t.Errorf("the console reached Slack: %v", got)
	}
}

func TestDealShowOffersBlueprint(t *testing.T) {
	t.Parallel()
	f := newPictureFixture(t, storeData, "")
	f.slack.Command(f.team, "U1", "/deal", "add Acme Corp")
	reply := f.slack.Command(f.team, "U1", "/deal", "show acme")
	found := false
	for _, b := range reply.Blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, el := range b["elements"].([]any) {
			if el.(map[string]any)["action_id"] == render.ActionBlueprint {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("/deal show has no Blueprint button: %v", reply.Blocks)
	}
}

// TestDigestAttachesPictures posts a digest and finds the flowchart and the
// trend in its thread, each shared with Slack's external upload.
func TestDigestAttachesPictures(t *testing.T) {
	t.Parallel()
	f := newPictureFixture(t, storeData, "")
	f.slack.Command(f.team, "U1", "/deal", "add Acme Corp $12,000")
	f.slack.Command(f.team, "U1", "/deal", "move acme demo")
	at := time.Now().UTC()
	ts, err := f.app.PostDigest(context.Background(), f.team, "C1", at, render.DigestView{Lang: coach.ZH, Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	upload := "files.getUploadURLExternal upload files.completeUploadExternal"
	want := "chat.postMessage " + upload + " " + upload
	if got := strings.Join(f.api.seen(), " "); got != want {
		t.Fatalf("Slack saw %s, want %s", got, want)
	}
	if len(f.api.names) != 2 || !strings.HasPrefix(f.api.names[0], "flow-"+f.team+"-") || !strings.HasPrefix(f.api.names[1], "trend-"+f.team+"-") {
		t.Errorf("uploaded %v, want the flowchart then the trend", f.api.names)
	}
	if f.api.channel != "C1" || f.api.thread != ts {
		t.Errorf("shared in %s thread %s, want C1 in the digest's thread %s", f.api.channel, f.api.thread, ts)
	}
	if kind, lang, _ := bottest.QuickPicture(f.api.file); kind != "trend" || lang != coach.ZH {
		t.Errorf("the last file is the %q picture in %q, want the trend in the digest's Chinese", kind, lang)
	}
}

// TestBlueprintButtonOnce: a double click on Blueprint sends one picture; a
// failed upload lets the button work again; a change to the deal allows a
// new blueprint.
func TestBlueprintButtonOnce(t *testing.T) {
	t.Parallel()
	f := newPictureFixture(t, storeData, "")
	f.slack.Command(f.team, "U1", "/deal", "add Acme Corp $12,000")
	show := f.slack.Command(f.team, "U1", "/deal", "show acme")
	v := buttonValue(t, show.Blocks, render.ActionBlueprint)
	click := func() {
		t.Helper()
		resp := f.slack.Interaction(bottest.Button(f.team, "U1", render.ActionBlueprint, v, f.api.srv.URL+"/respond/x"))
		if resp.Status != http.StatusOK {
			t.Fatalf("click answered %d", resp.Status)
		}
	}
	answered := func() string {
		f.app.Drain(context.Background())
		f.api.mu.Lock()
		defer f.api.mu.Unlock()
		if len(f.api.answers) == 0 {
			return ""
		}
		return f.api.answers[len(f.api.answers)-1]
	}

	f.api.mu.Lock()
	f.api.refuse = true
	f.api.mu.Unlock()
	click()
	f.wait(t)
	if n := f.api.count("files.completeUploadExternal"); n != 0 {
		t.Fatalf("a refused upload was completed %d times", n)
	}
	f.api.mu.Lock()
	f.api.refuse = false
	f.api.mu.Unlock()

	click()
	if a := answered(); !strings.Contains(a, "direct messages") {
		t.Errorf("a click after a failed upload answered %s", a)
	}
	click()
	if a := answered(); !strings.Contains(a, "already on its way") {
		t.Errorf("the second click answered %s", a)
	}
	f.wait(t)
	if n := f.api.count("files.completeUploadExternal"); n != 1 {
		t.Fatalf("a double click sent %d blueprints, want 1", n)
	}

	f.slack.Command(f.team, "U1", "/deal", "move acme demo")
	click()
	f.wait(t)
	if n := f.api.count("files.completeUploadExternal"); n != 2 {
		t.Errorf("after the deal moved, the button sent %d blueprints in all, want 2", n)
	}
}
