package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/transport"
	"salescoach/db/dbtest"
)

// TestNoSecretInLogs runs serve with every secret configured — signing
// secret, bot and app tokens, OAuth client secret, the key that seals tokens,
// a database password — at the debug level, and sends it what goes right and
// what goes wrong: commands, forged, replayed and oversized requests, OAuth
// installs that succeed and fail, a Socket Mode connection Slack refuses, a
// click whose response_url cannot be reached. No secret, no token installed
// through OAuth and no response_url appears in what it wrote.
func TestNoSecretInLogs(t *testing.T) {
	t.Parallel()
	const (
		signing      = "sign-SECRET-5f0c2a77d1"
		botToken     = "xoxb-100-200-BOTSECRET"
		appToken     = "xapp-1-A1-300-APPSECRET"
		clientSecret = "client-SECRET-9d1e0b"
		installed    = "xoxb-400-500-INSTALLEDSECRET"
		dbPassword   = "db-SECRET-pw"
		// a password given as a parameter of the URL
		dbParamPassword = "db-param-SECRET-pw"
		// the path of a response_url: a capability for 30 minutes
		hookPath = "/actions/T1/1234/HOOK-SECRET-b8f1"
	)
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch strings.TrimPrefix(r.URL.Path, "/") {
		case "auth.test":
			io.WriteString(w, `{"ok":true,"team_id":"T1","user_id":"UBOT"}`)
		case "oauth.v2.access":
			if r.PostForm.Get("code") != "good" {
				io.WriteString(w, `{"ok":false,"error":"invalid_code"}`)
				return
			}
			fmt.Fprintf(w, `{"ok":true,"access_token":%q,"token_type":"bot","bot_user_id":"UBOT","app_id":"A1","team":{"id":"TA","name":"Acme"},"authed_user":{"id":"UADMIN"}}`, installed)
		default: // users.info, apps.connections.open and the rest fail
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"ok":false,"error":"fatal_error"}`)
		}
	}))
	defer api.Close()
	dbURL, _ := url.Parse(dbtest.URL(t))
	dbURL.User = url.UserPassword("postgres", dbPassword) // the server trusts local connections: any password does
	q := dbURL.Query()
	q.Set("password", dbParamPassword)
	dbURL.RawQuery = q.Encode()
	addr := freePort(t)
	env := map[string]string{
		"DATABASE_URL": dbURL.String(), "LISTEN_ADDR": addr, "LOG_LEVEL": "debug",
		"SLACK_SIGNING_SECRET": signing, "SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": appToken,
		"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": clientSecret, "SALESCOACH_SECRET_KEY": key,
		"SALESCOACH_PUBLIC_URL": "http://" + addr, "SLACK_API_URL": api.URL + "/",
	}
	base := "http://" + addr
	out, stop := serveInProcess(t, env)

	slack := &bottest.Slack{T: t, BaseURL: base, Secret: signing}
	for _, team := range []string{"T1", "TA"} {
		slack.Command(team, "U1", "/deal", "add Acme 12k")
	}
	slack.Command("T1", "U1", "/deal", "move acme nowhere")
	forged := &bottest.Slack{T: t, BaseURL: base, Secret: "not-" + signing}
	forged.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(bottest.Form("T1", "U1", "/deal", "list").Encode()), true)
	body := []byte(bottest.Form("T1", "U1", "/deal", "list").Encode())
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	transport.Sign(req.Header, signing, body, time.Now())
	replay := req.Clone(context.Background())
	replay.Body = io.NopCloser(bytes.NewReader(body))
	slack.Do(req)
	slack.Do(replay)
	slack.Post("/slack/events", "application/json", bytes.Repeat([]byte("x"), 1<<20+1), true)
	slack.Post("/slack/interactions", "application/x-www-form-urlencoded", []byte("payload=%7Bnot+json"), true)
	// OAuth: a code Slack refuses, a forged state, then an install.
	for _, code := range []string{"bad", "good"} {
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := browser.Get(base + "/slack/install")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		state := loc.Query().Get("state")
		for _, s := range []string{state + "x", state} {
			resp, err := browser.Get(base + "/slack/oauth/callback?code=" + code + "&state=" + url.QueryEscape(s))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	// The installed workspace's token is used (its profile fetch fails).
	slack.Command("TA", "U2", "/deal", "list")
	// A click whose response_url cannot be reached: its post fails.
	hook := "http://" + freePort(t) + hookPath
	slack.Interaction(bottest.Button("T1", "U1", "deal_next", "999999.1", hook))

	if err := stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, out.String())
	}
	logs := out.String()
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("a log line is not JSON: %s", l)
		}
	}
	for _, want := range []string{`"request_id"`, "request refused", "replayed request refused", "install failed", "workspace installed", "request too large", `"msg":"request"`, "response_url post failed"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q: the test did not exercise what it should", want)
		}
	}
	secrets := map[string]string{"signing secret": signing, "bot token": botToken, "app token": appToken,
		"client secret": clientSecret, "secret key": key, "installed token": installed, "database password": dbPassword,
		"database password parameter": dbParamPassword, "response_url": hookPath}
	for what, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the %s is in the logs", what)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s", logs)
	}
}

// TestDatabaseURLRedacted checks that a database that cannot be reached is
// named without its password.
func TestDatabaseURLRedacted(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": "postgres://postgres:db-SECRET-pw@127.0.0.1:1/salescoach?sslmode=disable&connect_timeout=2"}
	var out bytes.Buffer
	err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	if err == nil {
		t.Fatal("migrate succeeded without a database")
	}
	if msg := err.Error() + out.String(); strings.Contains(msg, "db-SECRET-pw") || !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("error %q should name the database without its password", msg)
	}
}

// serveInProcess runs serve in this process with env as its environment,
// until it answers /readyz at env's LISTEN_ADDR; stop shuts it down and
// returns what run returned. out holds its logs.
func serveInProcess(t *testing.T, env map[string]string) (out *bottest.LogBuffer, stop func() error) {
	t.Helper()
	out = &bottest.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), out, out)
	}()
	waitReady(t, "http://"+env["LISTEN_ADDR"], done)
	return out, func() error {
		cancel()
		return <-done
	}
}

// waitReady waits until serve at base answers /readyz, or fails the test
// when it stopped.
func waitReady(t *testing.T, base string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
