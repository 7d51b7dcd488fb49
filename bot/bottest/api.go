package bottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// API is a fake Slack Web API: slack-go's slacktest server (which also serves
// Socket Mode's websocket) with the routes it lacks — views.open,
// views.publish, oauth.v2.access — and response_url, recording every call
// the bot makes to them.
type API struct {
	*slacktest.Server
	t     testing.TB
	mu    sync.Mutex
	calls []Call
	added chan struct{} // closed and replaced on every call
}

// Call is one recorded request.
type Call struct {
	Method string // "views.open", or "respond/<name>" for a response_url
	Token  string // the bearer token, or the form's token
	Form   url.Values
	JSON   map[string]any
}

// Handlers overrides routes of the fake, by path ("/users.info").
type Handlers map[string]http.HandlerFunc

// NewAPI starts a fake Web API for the test; handlers override its routes.
func NewAPI(t testing.TB, handlers Handlers) *API {
	a := &API{t: t, added: make(chan struct{})}
	defaults := Handlers{
		"/views.open":      OK(`{"ok":true,"view":{"id":"V0MODAL"}}`),
		"/views.publish":   OK(`{"ok":true,"view":{"id":"V0HOME"}}`),
		"/users.info":      OK(UserJSON("U1", false, "en-US", "Europe/Paris")),
		"/oauth.v2.access": OK(`{"ok":false,"error":"invalid_code"}`),
		"/auth.test":       OK(`{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"B1"}`),
		"/respond/":        OK(`ok`),
	}
	for k, h := range handlers {
		defaults[k] = h
	}
	a.Server = slacktest.NewTestServer(func(c slacktest.Customize) {
		for path, h := range defaults {
			method := strings.Trim(path, "/")
			c.Handle(path, a.record(method, h))
		}
	})
	a.Start()
	t.Cleanup(a.Stop)
	return a
}

// OK returns a handler that answers body.
func OK(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(body, "{") {
			w.Header().Set("Content-Type", "application/json")
		}
		io.WriteString(w, body)
	}
}

// UserJSON is a users.info answer.
func UserJSON(id string, admin bool, locale, tz string) string {
	return fmt.Sprintf(`{"ok":true,"user":{"id":%q,"name":"rep","is_admin":%t,"is_owner":false,"locale":%q,"tz":%q}}`, id, admin, locale, tz)
}

// URL returns the Web API's URL, ending with "/".
func (a *API) URL() string { return a.GetAPIURL() }

// ResponseURL returns a response_url served by the fake, named name.
func (a *API) ResponseURL(name string) string { return a.GetAPIURL() + "respond/" + name }

func (a *API) record(method string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := Call{Method: method}
		if method == "respond" {
			c.Method = "respond/" + strings.TrimPrefix(r.URL.Path, "/respond/")
		}
		c.Token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			json.Unmarshal(body, &c.JSON)
		} else {
			c.Form, _ = url.ParseQuery(string(body))
			if c.Token == "" {
				c.Token = c.Form.Get("token")
			}
		}
		a.mu.Lock()
		a.calls = append(a.calls, c)
		close(a.added)
		a.added = make(chan struct{})
		a.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r)
	}
}

// Calls returns the calls of a method so far ("respond/" matches every
// response_url).
func (a *API) Calls(method string) []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Call
	for _, c := range a.calls {
		if c.Method == method || strings.HasSuffix(method, "/") && strings.HasPrefix(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Wait waits until method was called n times and returns the calls; after
// 10 seconds it fails the test.
func (a *API) Wait(method string, n int) []Call {
	a.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		a.mu.Lock()
		added := a.added
		a.mu.Unlock()
		if calls := a.Calls(method); len(calls) >= n {
			return calls
		}
		select {
		case <-added:
		case <-deadline:
			a.t.Fatalf("%s: %d calls after 10 s, want %d", method, len(a.Calls(method)), n)
		}
	}
}

// Text returns every "text" field in a JSON call, joined by newlines: what a
// user would read of a message or a view.
func (c Call) Text() string {
	var b bytes.Buffer
	collect(&b, map[string]any(c.JSON))
	return b.String()
}
