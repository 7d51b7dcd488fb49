package handlers_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

const redirectURL = "https://coach.example.com/slack/oauth/callback"

// installer is a bot with the OAuth install routes, a fake Slack whose
// oauth.v2.access hands out a bot token per code, and a browser.
type installer struct {
	store   *db.DB
	api     *bottest.API
	app     *handlers.App
	sealer  *transport.Sealer
	clients transport.InstalledClients
	base    string
	now     time.Time
	t       *testing.T
	// team maps an authorization code to the workspace it installs: two
	// of the installer's own on the shared database.
	team map[string]string
}

// tokens maps an authorization code to the bot token Slack gives.
var tokens = map[string]string{
	"code-a": "xoxb-1111-aaaa-SECRET-A",
	"code-b": "xoxb-2222-bbbb-SECRET-B",
}

func newInstaller(t *testing.T) *installer {
	t.Helper()
	in := &installer{store: dbtest.Shared(t), t: t, now: time.Now(),
		team: map[string]string{"code-a": dbtest.TeamID(t), "code-b": dbtest.TeamID(t)}}
	in.api = bottest.NewAPI(t, bottest.Handlers{
		"/oauth.v2.access": func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			tok, ok := tokens[r.PostForm.Get("code")]
			team := in.team[r.PostForm.Get("code")]
			if !ok || r.PostForm.Get("client_id") != "111.222" || r.PostForm.Get("client_secret") != "shh" || r.PostForm.Get("redirect_uri") != redirectURL {
				fmt.Fprint(w, `{"ok":false,"error":"invalid_code"}`)
				return
			}
			fmt.Fprintf(w, `{"ok":true,"access_token":%q,"token_type":"bot","scope":"commands,chat:write","bot_user_id":"UBOT",
				"app_id":"A0001","team":{"id":%q,"name":"Acme %s"},"enterprise":null,"authed_user":{"id":"UADMIN"}}`, tok, team, team)
		},
	})
	var err error
	if in.sealer, err = transport.NewSealer(bytes.Repeat([]byte{7}, 32)); err != nil {
		t.Fatal(err)
	}
	in.clients = transport.InstalledClients{Store: in.store, Sealer: in.sealer, APIURL: in.api.URL()}
	in.app = handlers.New(handlers.Config{Store: in.store, Slack: in.clients})
	install := &transport.Install{ClientID: "111.222", ClientSecret: "shh", RedirectURL: redirectURL,
		APIURL: in.api.URL(), Sealer: in.sealer, Store: in.store, Now: func() time.Time { return in.now }}
	srv := httptest.NewServer((&transport.Server{App: in.app, SigningSecret: bottest.Secret, Install: install}).Handler())
	t.Cleanup(srv.Close)
	in.base = srv.URL
	return in
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// start opens /slack/install and returns Slack's authorize URL and the
// cookie set.
func (in *installer) start() (*url.URL, *http.Cookie) {
	in.t.Helper()
	c := &http.Client{CheckRedirect: noRedirects}
	resp, err := c.Get(in.base + "/slack/install")
	if err != nil {
		in.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		in.t.Fatalf("/slack/install: status %d, want a redirect", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		in.t.Fatal(err)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 {
		in.t.Fatalf("%d cookies set, want 1", len(cookies))
	}
	return loc, cookies[0]
}

// callback comes back from Slack with code and state, with the cookie.
func (in *installer) callback(code, state string, cookie *http.Cookie) (int, string) {
	in.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.base+"/slack/oauth/callback?"+url.Values{"code": {code}, "state": {state}}.Encode(), nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func TestInstallRedirect(t *testing.T) {
	t.Parallel()
	in := newInstaller(t)
	loc, cookie := in.start()
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != "https://slack.com/oauth/v2/authorize" {
		t.Errorf("redirected to %s", got)
	}
	q := loc.Query()
	if q.Get("client_id") != "111.222" || q.Get("redirect_uri") != redirectURL || q.Get("scope") != strings.Join(transport.BotScopes(), ",") {
		t.Errorf("authorize query %v", q)
	}
	if q.Get("state") == "" || !strings.HasPrefix(q.Get("state"), cookie.Value+".") || !cookie.HttpOnly || !cookie.Secure {
		t.Errorf("state %q, cookie %+v", q.Get("state"), cookie)
	}
}

func TestInstallStoresTokenSealed(t *testing.T) {
	t.Parallel()
	in := newInstaller(t)
	ctx := context.Background()
	ta, tb := in.team["code-a"], in.team["code-b"]
	for _, code := range []string{"code-a", "code-b"} {
		loc, cookie := in.start()
		status, page := in.callback(code, loc.Query().Get("state"), cookie)
		if status != http.StatusOK || !strings.Contains(page, "Sales Coach is installed in Acme "+in.team[code]) {
			t.Fatalf("%s: status %d: %s", code, status, page)
		}
	}

	// The plaintext is nowhere in the workspaces' rows, in any encoding.
	// Raw SQL on purpose: the store's API hands out the sealed token only,
	// and what is at stake is what the column itself holds.
	var dump string
	if err := in.store.SQL().QueryRow(`SELECT string_agg(row_to_json(i)::text || encode(bot_token, 'escape'), ' ') FROM installations i WHERE team_id IN ($1, $2)`, ta, tb).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dump, ta) || !strings.Contains(dump, tb) {
		t.Fatalf("the installations' rows were not read: %s", dump)
	}
	for _, tok := range tokens {
		for _, form := range []string{tok, "SECRET", hex.EncodeToString([]byte(tok))} {
			if strings.Contains(dump, form) {
				t.Errorf("installations holds %q", form)
			}
		}
	}
	inst, err := in.store.Installation(ctx, ta)
	if err != nil || inst.BotUserID != "UBOT" || inst.InstalledBy != "UADMIN" || inst.TeamName != "Acme "+ta {
		t.Fatalf("installation %+v (%v)", inst, err)
	}
	if _, err := in.sealer.Open(inst.BotToken, tb); err == nil {
		t.Error("the first workspace's sealed token opens as the second's")
	}

	// Each workspace's calls use its own token, and only its own.
	for _, team := range []string{ta, tb} {
		if err := in.app.PublishHome(ctx, team, "U1", nil); err != nil {
			t.Fatalf("publish home in %s: %v", team, err)
		}
	}
	pubs := in.api.Calls("views.publish")
	if len(pubs) != 2 || pubs[0].Token != tokens["code-a"] || pubs[1].Token != tokens["code-b"] {
		t.Errorf("tokens used: %q and %q", pubs[0].Token, pubs[1].Token)
	}
	if _, err := in.clients.Client(ctx, dbtest.TeamID(t)); !errors.Is(err, transport.ErrNoSlack) {
		t.Errorf("a workspace that did not install got a client (err %v)", err)
	}

	// Uninstalling forgets the token at once.
	// (Event ids are the database's, across teams: this one is the test's.)
	in.app.Dispatch(ctx, transport.Inbound{Event: []byte(`{"type":"event_callback","team_id":"` + ta + `","event_id":"EvBye` + ta + `","event":{"type":"app_uninstalled"}}`)})
	if _, err := in.clients.Client(ctx, ta); !errors.Is(err, transport.ErrNoSlack) {
		t.Errorf("after the uninstall the first workspace still has a client (err %v)", err)
	}
	if _, err := in.clients.Client(ctx, tb); err != nil {
		t.Errorf("the second workspace lost its client: %v", err)
	}
}

func TestInstallRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		tweak func(in *installer, state string, cookie *http.Cookie) (string, *http.Cookie)
	}{
		{"NoCookie", func(_ *installer, s string, _ *http.Cookie) (string, *http.Cookie) { return s, nil }},
		{"AnotherBrowser", func(in *installer, s string, _ *http.Cookie) (string, *http.Cookie) {
			_, other := in.start()
			return s, other
		}},
		{"ForgedState", func(_ *installer, s string, c *http.Cookie) (string, *http.Cookie) {
			parts := strings.Split(s, ".")
			return parts[0] + "." + fmt.Sprint(time.Now().Add(time.Hour).Unix()) + "." + parts[2], c
		}},
		{"NoState", func(_ *installer, _ string, c *http.Cookie) (string, *http.Cookie) { return "", c }},
		{"Expired", func(in *installer, s string, c *http.Cookie) (string, *http.Cookie) {
			in.now = in.now.Add(11 * time.Minute)
			return s, c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := newInstaller(t)
			loc, cookie := in.start()
			state, cookie := tt.tweak(in, loc.Query().Get("state"), cookie)
			status, _ := in.callback("code-a", state, cookie)
			if status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", status)
			}
			if n := len(in.api.Calls("oauth.v2.access")); n != 0 {
				t.Errorf("the code was exchanged (%d calls) despite a bad state", n)
			}
			if _, err := in.store.Installation(context.Background(), in.team["code-a"]); coach.ErrorCode(err) != coach.ENotFound {
				t.Errorf("an installation was stored (err %v)", err)
			}
		})
	}
	t.Run("BadCode", func(t *testing.T) {
		t.Parallel()
		in := newInstaller(t)
		loc, cookie := in.start()
		if status, _ := in.callback("code-x", loc.Query().Get("state"), cookie); status != http.StatusBadGateway {
			t.Errorf("status %d, want 502", status)
		}
	})
}

func TestInstalledClientsFallback(t *testing.T) {
	t.Parallel()
	in := newInstaller(t)
	ctx := context.Background()
	c := in.clients
	c.Fallback = transport.StaticClients{Token: "xoxb-single", APIURL: in.api.URL()}
	c.FallbackTeam = dbtest.TeamID(t)
	if _, err := c.Client(ctx, c.FallbackTeam); err != nil {
		t.Errorf("the single workspace lost its token: %v", err)
	}
	if _, err := c.Client(ctx, dbtest.TeamID(t)); !errors.Is(err, transport.ErrNoSlack) {
		t.Errorf("another workspace got the single workspace's token (err %v)", err)
	}
}

// TestInstallStateWorksOnce: a state brings back one install, within its 10
// minutes; the same state again — in the same browser, with a code Slack
// would accept — is refused with a page that says so, and exchanges nothing.
func TestInstallStateWorksOnce(t *testing.T) {
	t.Parallel()
	in := newInstaller(t)
	loc, cookie := in.start()
	state := loc.Query().Get("state")
	if status, page := in.callback("code-a", state, cookie); status != http.StatusOK {
		t.Fatalf("first use: status %d: %s", status, page)
	}
	status, page := in.callback("code-b", state, cookie)
	if status != http.StatusBadRequest || !strings.Contains(page, "already used") || !strings.Contains(page, "已经用过") {
		t.Errorf("second use: status %d, want 400 with a page saying the link was used: %s", status, page)
	}
	if n := len(in.api.Calls("oauth.v2.access")); n != 1 {
		t.Errorf("oauth.v2.access called %d times, want once", n)
	}
	if _, err := in.store.Installation(context.Background(), in.team["code-b"]); coach.ErrorCode(err) != coach.ENotFound {
		t.Errorf("the second use installed the second workspace (err %v)", err)
	}
	// A fresh install link still works.
	loc, cookie = in.start()
	if status, page := in.callback("code-b", loc.Query().Get("state"), cookie); status != http.StatusOK {
		t.Errorf("a new link: status %d: %s", status, page)
	}
}

// TestCommandFromWorkspaceNotInstalled: with OAuth installs, a slash command
// from a workspace that never installed the bot is told the bot serves only
// the workspaces that did, and nothing is stored for it.
func TestCommandFromWorkspaceNotInstalled(t *testing.T) {
	t.Parallel()
	in := newInstaller(t)
	loc, cookie := in.start()
	if status, page := in.callback("code-a", loc.Query().Get("state"), cookie); status != http.StatusOK {
		t.Fatalf("install: %d %s", status, page)
	}
	s := &bottest.Slack{T: t, BaseURL: in.base}
	if r := s.Command(in.team["code-a"], "U1", "/deal", "add Acme 12k"); !strings.Contains(r.Text, "#1") {
		t.Errorf("the installed workspace's member: %q", r.Text)
	}
	outside := dbtest.TeamID(t)
	r := s.Command(outside, "U1", "/deal", "add Acme 12k")
	for _, want := range []string{"only for members of the workspace that installed it", "只为安装它的工作区的成员服务"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("a workspace that did not install: %q, want %q", r.Text, want)
		}
	}
	// A form and a click in the App Home from the same workspace, as a
	// member of it would send them: the form says why under its first
	// field; neither stores anything (checked below).
	addForm := map[string]any{"callback_id": render.CallbackAdd, "private_metadata": "", "blocks": []any{
		map[string]any{"type": "input", "block_id": "name", "element": map[string]any{"type": "plain_text_input", "action_id": "name"}},
	}}
	if r := s.Interaction(bottest.Submit(outside, "U1", "V0ADD", addForm, map[string]string{"name": "ExtCo"})); !strings.Contains(string(r.Body), "only for members of the workspace that installed it") {
		t.Errorf("a form from a workspace that did not install: %d %s", r.Status, r.Body)
	}
	if r := s.Interaction(bottest.Button(outside, "U1", render.ActAdd, "", "")); r.Status != http.StatusOK {
		t.Errorf("a click from a workspace that did not install: %d %s", r.Status, r.Body)
	}
	in.app.Drain(context.Background())
	if !knownTeam(t, in.store, in.team["code-a"]) || countEvents(t, in.store, in.team["code-a"]) == 0 {
		t.Fatal("the installed workspace and its deal are not seen: the checks below would see nothing either")
	}
	// Every deal's log starts with its creation: no events, no deals.
	if n := countEvents(t, in.store, outside); n != 0 || knownTeam(t, in.store, outside) {
		t.Errorf("stored for a workspace that did not install: the workspace, or deals with %d events", n)
	}
}
