package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db/dbtest"
)

// fakeFiles is the part of Slack's Web API a file upload to a DM uses, and a
// response_url.
type fakeFiles struct {
	srv       *httptest.Server
	mu        sync.Mutex
	failWith  string // an error every files.getUploadURLExternal answers with
	opened    []string
	uploaded  []byte
	completed map[string]string
	responses []string
}

func newFakeFiles(t *testing.T) *fakeFiles {
	ff := &fakeFiles{}
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, v any) { json.NewEncoder(w).Encode(v) }
	mux.HandleFunc("POST /conversations.open", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		ff.mu.Lock()
		ff.opened = append(ff.opened, r.PostForm.Get("users"))
		ff.mu.Unlock()
		reply(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + r.PostForm.Get("users")}})
	})
	mux.HandleFunc("POST /files.getUploadURLExternal", func(w http.ResponseWriter, r *http.Request) {
		if ff.failWith != "" {
			reply(w, map[string]any{"ok": false, "error": ff.failWith})
			return
		}
		reply(w, map[string]any{"ok": true, "upload_url": ff.srv.URL + "/upload/F1", "file_id": "F1"})
	})
	mux.HandleFunc("POST /upload/F1", func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		b, _ := io.ReadAll(f)
		ff.mu.Lock()
		ff.uploaded = b
		ff.mu.Unlock()
		io.WriteString(w, "OK")
	})
	mux.HandleFunc("POST /files.completeUploadExternal", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		ff.mu.Lock()
		ff.completed = map[string]string{"channel_id": r.PostForm.Get("channel_id"), "initial_comment": r.PostForm.Get("initial_comment"), "files": r.PostForm.Get("files")}
		ff.mu.Unlock()
		reply(w, map[string]any{"ok": true, "files": []map[string]any{{"id": "F1", "title": "deals.csv"}}})
	})
	mux.HandleFunc("POST /respond", func(w http.ResponseWriter, r *http.Request) {
		var m struct{ Text string }
		json.NewDecoder(r.Body).Decode(&m)
		ff.mu.Lock()
		ff.responses = append(ff.responses, m.Text)
		ff.mu.Unlock()
	})
	ff.srv = httptest.NewServer(mux)
	t.Cleanup(ff.srv.Close)
	return ff
}

func TestDealExportToDirectMessages(t *testing.T) {
	t.Parallel()
	ff := newFakeFiles(t)
	store := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	app := handlers.New(handlers.Config{Store: store, Managers: []string{"UBOSS"},
		Slack: transport.StaticClients{Token: "xoxb-test", APIURL: ff.srv.URL + "/"}})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	sl := &bottest.Slack{T: t, BaseURL: srv.URL}
	sl.Command(team, "U1", "/deal", "add Acme Corp $12,000 qualification")
	sl.Command(team, "U1", "/deal", "lost acme price too high")
	sl.Command(team, "U2", "/deal", "add Globex 5k")

	post := func(user string) string {
		form := bottest.Form(team, user, "/deal", "export")
		form.Set("response_url", ff.srv.URL+"/respond")
		r := sl.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), true)
		app.Wait()
		return r.Message(t).AllText()
	}

	t.Run("RepGetsTheirDeals", func(t *testing.T) {
		if got := post("U1"); !strings.Contains(got, "Sending the CSV (1 deal, 2 stage changes) to your direct messages.") {
			t.Errorf("reply %q", got)
		}
		rows, bad := coach.ParseHistoryCSV(strings.NewReader(string(ff.uploaded)))
		if len(bad) > 0 || len(rows) != 2 {
			t.Fatalf("uploaded %q: %v", ff.uploaded, bad)
		}
		if rows[0].DealID != "SC-1" || rows[1].Stage != coach.Lost || rows[1].Reason != coach.ReasonPrice || rows[1].Text != "too high" {
			t.Errorf("rows %+v", rows)
		}
		if ff.opened[len(ff.opened)-1] != "U1" || ff.completed["channel_id"] != "DU1" || !strings.Contains(ff.completed["initial_comment"], "salescoach import") {
			t.Errorf("opened %v, completed %v", ff.opened, ff.completed)
		}
	})

	t.Run("ManagerGetsTheTeam", func(t *testing.T) {
		if got := post("UBOSS"); !strings.Contains(got, "2 deals, 3 stage changes") {
			t.Errorf("reply %q", got)
		}
		if !strings.Contains(string(ff.uploaded), "SC-2,Globex,U2,5000,USD,prospecting") {
			t.Errorf("uploaded %s", ff.uploaded)
		}
	})

	t.Run("NothingToExport", func(t *testing.T) {
		if got := post("U3"); !strings.Contains(got, "You have no deals to export yet.") {
			t.Errorf("reply %q", got)
		}
	})

	t.Run("SlackRefuses", func(t *testing.T) {
		ff.failWith = "invalid_auth"
		defer func() { ff.failWith = "" }()
		if got := post("U1"); !strings.Contains(got, "Sending the CSV") {
			t.Errorf("reply %q", got)
		}
		if len(ff.responses) == 0 || !strings.Contains(ff.responses[len(ff.responses)-1], "I couldn't send the CSV to your direct messages") {
			t.Errorf("response_url got %q", ff.responses)
		}
	})
}

func TestDealExportInConsole(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	app := handlers.New(handlers.Config{Store: dbtest.Shared(t), FilesDir: dir})
	var out strings.Builder
	in := strings.NewReader("/deal add Acme Corp 12k\n/deal export\n")
	if err := app.Console(t.Context(), in, &out, dbtest.TeamID(t), "U1", ""); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Exported 1 deal, 1 stage change to (\S+\.csv)`).FindStringSubmatch(out.String())
	if m == nil || filepath.Dir(m[1]) != dir {
		t.Fatalf("console printed:\n%s", out.String())
	}
	path := m[1]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if rows, bad := coach.ParseHistoryCSV(strings.NewReader(string(b))); len(bad) > 0 || len(rows) != 1 || rows[0].Name != "Acme Corp" {
		t.Errorf("file %s: %v", b, bad)
	}
}
