package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// fixture is a bot behind a real HTTP server, and a fake Slack that signs its
// requests. Its store is in memory (newFixture) or the PostgreSQL database
// the package's tests share (newDBFixture) for what only the database keeps.
type fixture struct {
	store handlers.Store
	db    *db.DB // the real store; nil in memory
	app   *handlers.App
	slack *bottest.Slack
	team  string // the test's team: T1 in memory, one of its own on the database
}

func newFixture(t *testing.T, managers ...string) *fixture {
	t.Helper()
	return serveFixture(t, bottest.NewMemStore(), "T1", managers)
}

func newDBFixture(t *testing.T, managers ...string) *fixture {
	t.Helper()
	return serveFixture(t, dbtest.Shared(t), dbtest.TeamID(t), managers)
}

func serveFixture(t *testing.T, store handlers.Store, team string, managers []string) *fixture {
	t.Helper()
	app := handlers.New(handlers.Config{Store: store, Managers: managers})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	real, _ := store.(*db.DB)
	return &fixture{store: store, db: real, app: app, slack: &bottest.Slack{T: t, BaseURL: srv.URL}, team: team}
}

// events counts the events of every deal's log (of every team in memory, of
// the fixture's team on the database): the measure of "nothing changed".
func (f *fixture) events(t *testing.T) int {
	t.Helper()
	return countEvents(t, f.store, f.team)
}

// dealCmd sends /deal text as U1 in the fixture's team and returns all the
// text of the reply.
func (f *fixture) dealCmd(text string) string {
	return f.slack.Command(f.team, "U1", "/deal", text).AllText()
}

func (f *fixture) deals(t *testing.T, team string) []coach.Deal {
	t.Helper()
	deals, _, err := f.store.ListDeals(context.Background(), team, coach.ListFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return deals
}

func form(text string) []byte {
	return []byte(bottest.Form("T1", "U1", "/deal", text).Encode())
}

func TestSlashCommandSigned(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reply := f.slack.Command("T1", "U1", "/deal", "add Acme Corp $12,000")
	if reply.ResponseType != "ephemeral" {
		t.Errorf("response_type = %q, want ephemeral", reply.ResponseType)
	}
	if len(reply.Blocks) == 0 {
		t.Fatal("reply has no blocks")
	}
	if !strings.Contains(reply.Text, "#1 Acme Corp") {
		t.Errorf("text fallback %q does not name the deal", reply.Text)
	}
	all := reply.AllText()
	for _, want := range []string{"$12,000", "Prospecting", "Next step"} {
		if !strings.Contains(all, want) {
			t.Errorf("reply lacks %q:\n%s", want, all)
		}
	}
	deals := f.deals(t, "T1")
	if len(deals) != 1 || deals[0].Name != "Acme Corp" || deals[0].Amount.Cents != 1_200_000 || deals[0].OwnerID != "U1" {
		t.Fatalf("stored %+v", deals)
	}
}

func TestSlashCommandRefused(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tests := []struct {
		name    string
		prepare func(req *http.Request, body []byte)
		status  int
	}{
		{"BadSignature", func(req *http.Request, body []byte) {
			transport.Sign(req.Header, "not-the-secret", body, now)
		}, 401},
		{"SixMinutesOld", func(req *http.Request, body []byte) {
			transport.Sign(req.Header, bottest.Secret, body, now.Add(-6*time.Minute))
		}, 401},
		{"MissingSignature", func(req *http.Request, body []byte) {
			transport.Sign(req.Header, bottest.Secret, body, now)
			req.Header.Del("X-Slack-Signature")
		}, 401},
		{"MissingTimestamp", func(req *http.Request, body []byte) {
			transport.Sign(req.Header, bottest.Secret, body, now)
			req.Header.Del("X-Slack-Request-Timestamp")
		}, 401},
		{"BodyChangedAfterSigning", func(req *http.Request, body []byte) {
			transport.Sign(req.Header, bottest.Secret, []byte(strings.Replace(string(body), "Acme", "Evil", 1)), now)
		}, 401},
		{"SignatureOverQueryString", func(req *http.Request, body []byte) {
			// The signature covers the body only: parameters moved to the
			// query string are never read.
			transport.Sign(req.Header, bottest.Secret, []byte{}, now)
			req.URL.RawQuery = string(body)
			req.Body = http.NoBody
			req.ContentLength = 0
		}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			body := form("add Acme Corp 12k")
			req, _ := http.NewRequest(http.MethodPost, f.slack.BaseURL+"/slack/commands", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			tt.prepare(req, body)
			resp := f.slack.Do(req)
			if resp.Status != tt.status {
				t.Errorf("status = %d, want %d (%s)", resp.Status, tt.status, resp.Body)
			}
			if n := f.events(t); n != 0 {
				t.Errorf("%d events stored after a refused request", n)
			}
		})
	}
}

func TestSlashCommandReplay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := form("add Acme Corp 12k")
	req := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, f.slack.BaseURL+"/slack/commands", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		transport.Sign(r.Header, bottest.Secret, body, time.Unix(1_800_000_000, 0).Add(0))
		return r
	}
	// Sign once, send twice with the very same headers.
	first := req()
	transport.Sign(first.Header, bottest.Secret, body, time.Now())
	second, _ := http.NewRequest(http.MethodPost, f.slack.BaseURL+"/slack/commands", bytes.NewReader(body))
	second.Header = first.Header.Clone()

	if r := f.slack.Do(first); r.Status != http.StatusOK {
		t.Fatalf("first: status %d: %s", r.Status, r.Body)
	}
	if r := f.slack.Do(second); r.Status != http.StatusUnauthorized {
		t.Errorf("replay: status = %d, want 401", r.Status)
	}
	if n := len(f.deals(t, "T1")); n != 1 {
		t.Errorf("%d deals after a replay, want 1", n)
	}
}

func TestSSLCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte("ssl_check=1&token=x"), true)
	if r.Status != http.StatusOK || len(bytes.TrimSpace(r.Body)) != 0 {
		t.Errorf("ssl_check: status %d body %q, want an empty 200", r.Status, r.Body)
	}
}

func TestOversizedRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := append(form("add Acme"), bytes.Repeat([]byte("x"), 1<<20+1)...)
	r := f.slack.Post("/slack/commands", "application/x-www-form-urlencoded", body, true)
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", r.Status)
	}
	if n := f.events(t); n != 0 {
		t.Errorf("%d events stored", n)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(f.slack.BaseURL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}
}
