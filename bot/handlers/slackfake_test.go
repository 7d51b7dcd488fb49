package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/db"
)

// fakeUser is what the fake users.info says of a user.
type fakeUser struct {
	Locale, TZ string
	Admin      bool
}

// fakeDM is a message the bot posted in a direct message.
type fakeDM struct {
	User   string
	Text   string
	Blocks string // the blocks' JSON
}

// fakeWebAPI is a local Slack Web API: users.info, conversations.open and
// chat.postMessage, recording what the bot asked and posted.
type fakeWebAPI struct {
	URL string // ends with "/", for slack.OptionAPIURL

	mu    sync.Mutex
	users map[string]fakeUser
	calls map[string]int
	dms   []fakeDM
	hold  chan struct{} // when set, users.info waits until it is closed
	// failPosts is how many of the next chat.postMessage calls get a 500.
	failPosts int
}

func newFakeWebAPI(t *testing.T, users map[string]fakeUser) *fakeWebAPI {
	f := &fakeWebAPI{users: users, calls: map[string]int{}}
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, v map[string]any) {
		v["ok"] = true
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("/users.info", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.count("users.info")
		f.mu.Lock()
		hold := f.hold
		u, ok := f.users[r.Form.Get("user")]
		f.mu.Unlock()
		if hold != nil {
			<-hold
		}
		if r.Form.Get("include_locale") != "true" {
			u.Locale = "" // Slack leaves the locale out unless asked
		}
		if !ok {
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "user_not_found"})
			return
		}
		reply(w, map[string]any{"user": map[string]any{
			"id": r.Form.Get("user"), "locale": u.Locale, "tz": u.TZ, "is_admin": u.Admin,
		}})
	})
	mux.HandleFunc("/conversations.open", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.count("conversations.open")
		reply(w, map[string]any{"channel": map[string]any{"id": "D" + r.Form.Get("users")}})
	})
	mux.HandleFunc("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.count("chat.postMessage")
		f.mu.Lock()
		if f.failPosts > 0 {
			f.failPosts--
			f.mu.Unlock()
			http.Error(w, "server error", http.StatusInternalServerError)
			return
		}
		f.dms = append(f.dms, fakeDM{User: strings.TrimPrefix(r.Form.Get("channel"), "D"), Text: r.Form.Get("text"), Blocks: r.Form.Get("blocks")})
		f.mu.Unlock()
		reply(w, map[string]any{"channel": r.Form.Get("channel"), "ts": "1700000000.000100"})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.URL = srv.URL + "/"
	return f
}

func (f *fakeWebAPI) count(method string) {
	f.mu.Lock()
	f.calls[method]++
	f.mu.Unlock()
}

// Calls returns how often method was called.
func (f *fakeWebAPI) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// DMs returns the direct messages posted so far.
func (f *fakeWebAPI) DMs() []fakeDM {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeDM(nil), f.dms...)
}

// clients returns Web API clients that talk to the fake.
func (f *fakeWebAPI) clients() transport.Clients {
	return transport.StaticClients{Token: "xoxb-test", APIURL: f.URL}
}

// newSlackFixture is a bot on its own store (in memory unless cfg sets one), behind a real HTTP server,
// whose Web API calls go to a fake Slack; cfg may set more of the App.
func newSlackFixture(t *testing.T, api *fakeWebAPI, cfg handlers.Config) *fixture {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = bottest.NewMemStore()
	}
	cfg.Slack = api.clients()
	app := handlers.New(cfg)
	t.Cleanup(app.Wait)
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	real, _ := cfg.Store.(*db.DB)
	return &fixture{store: cfg.Store, db: real, app: app, slack: &bottest.Slack{T: t, BaseURL: srv.URL, Now: time.Now}}
}
