package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// socket is a bot served over Socket Mode by slacktest's websocket.
type socket struct {
	store handlers.Store
	app   *handlers.App
	api   *bottest.API
	t     *testing.T
	opens atomic.Int32 // apps.connections.open calls
}

// newSocket starts the bot in Socket Mode; the first failOpens attempts to
// connect are refused with invalid_auth, which makes slack-go give up.
func newSocket(t *testing.T, failOpens int32) *socket {
	return newSocketLogged(t, failOpens, nil)
}

// newSocketLogged is newSocket logging to log (nil: the default logger).
func newSocketLogged(t *testing.T, failOpens int32, log *slog.Logger) *socket {
	t.Helper()
	return newSocketWith(t, failOpens, handlers.Config{Store: bottest.NewMemStore(), Log: log})
}

// newSocketWith is newSocket with cfg's store, log and metrics.
func newSocketWith(t *testing.T, failOpens int32, cfg handlers.Config) *socket {
	t.Helper()
	s := &socket{store: cfg.Store, t: t}
	s.api = bottest.NewAPI(t, bottest.Handlers{
		"/apps.connections.open": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if s.opens.Add(1) <= failOpens {
				fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			fmt.Fprintf(w, `{"ok":true,"url":%q}`, s.api.GetWSURL())
		},
	})
	cfg.Slack = transport.StaticClients{Token: "xoxb-test", APIURL: s.api.URL()}
	s.app = handlers.New(cfg)
	sm := &transport.SocketMode{App: s.app, Client: transport.NewSocketModeClient("xapp-1-test", s.api.URL(), nil),
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sm.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		s.app.Drain(dctx)
	})
	return s
}

// send delivers an envelope over the websocket and returns the bot's
// acknowledgement of it.
func (s *socket) send(envelopeID, typ string, payload any) map[string]any {
	s.t.Helper()
	ack, ok := s.trySend(envelopeID, typ, payload, 15*time.Second)
	if !ok {
		s.t.Fatalf("no acknowledgement of %s after 15 s", envelopeID)
	}
	return ack
}

// trySend delivers an envelope and waits up to wait for its
// acknowledgement, reporting whether one came.
func (s *socket) trySend(envelopeID, typ string, payload any, wait time.Duration) (map[string]any, bool) {
	b, _ := json.Marshal(map[string]any{"envelope_id": envelopeID, "type": typ, "payload": payload, "accepts_response_payload": typ != "events_api"})
	s.api.SendToWebsocket(string(b))
	deadline := time.After(wait)
	for {
		select {
		case m := <-s.api.SeenFeed:
			var ack map[string]any
			if json.Unmarshal([]byte(m), &ack) == nil && ack["envelope_id"] == envelopeID {
				return ack, true
			}
		case <-deadline:
			return nil, false
		}
	}
}

func (s *socket) drain() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.app.Drain(ctx)
}

func slashPayload(team, user, text, responseURL string) map[string]any {
	return map[string]any{"team_id": team, "user_id": user, "channel_id": "C0001", "command": "/deal", "text": text,
		"response_url": responseURL, "trigger_id": bottest.TriggerID(), "api_app_id": "A0001"}
}

func ackBlocks(ack map[string]any) []map[string]any {
	p, _ := ack["payload"].(map[string]any)
	return callBlocks(bottest.Call{JSON: p})
}

func TestSocketMode(t *testing.T) {
	t.Parallel()
	// The first two connections are refused as invalid_auth: slack-go gives
	// up each time, and the supervisor connects again.
	s := newSocket(t, 2)

	ack := s.send("env-cmd", "slash_commands", slashPayload("T1", "U1", "add Acme Corp $12,000", s.api.ResponseURL("cmd")))
	if text := (bottest.Call{JSON: ack["payload"].(map[string]any)}).Text(); !strings.Contains(text, "Added #1 Acme Corp") {
		t.Fatalf("acknowledgement carries %q, want the reply", text)
	}
	if n := s.opens.Load(); n < 3 {
		t.Errorf("%d connection attempts, want 3 (two refused, then connected)", n)
	}

	// The button of that reply, clicked over the same socket, goes through
	// the same handlers as over HTTP: once only.
	v := buttonValue(t, ackBlocks(ack), "deal_next")
	for i, name := range []string{"sock1", "sock2"} {
		click := bottest.Button("T1", "U1", "deal_next", v, s.api.ResponseURL(name))
		if ack := s.send(fmt.Sprintf("env-click-%d", i), "interactive", click); ack["payload"] != nil {
			t.Errorf("click acknowledged with %v, want an empty acknowledgement", ack["payload"])
		}
	}
	s.drain()
	deals, _, _ := s.store.ListDeals(context.Background(), "T1", coach.ListFilter{})
	if len(deals) != 1 || deals[0].Stage != coach.Contact {
		t.Fatalf("deals %+v, want #1 in contact", deals)
	}
	if c := s.api.Wait("respond/sock1", 1); !strings.Contains(c[0].Text(), "Moved #1 Acme Corp") {
		t.Errorf("first click answered %q", c[0].Text())
	}
	if c := s.api.Wait("respond/sock2", 1); !strings.Contains(c[0].Text(), "Already done") {
		t.Errorf("second click answered %q", c[0].Text())
	}

	// An event: acknowledged, the Home tab published.
	s.send("env-home", "events_api", envelope("T1", "EvSock1", homeOpened("U1")))
	s.drain()
	if pubs := s.api.Wait("views.publish", 1); !strings.Contains(pubs[0].Text(), "#1 Acme Corp") {
		t.Errorf("home %q", pubs[0].Text())
	}
}

func TestSocketModeLargeReply(t *testing.T) {
	t.Parallel()
	s := newSocket(t, 0)
	ctx := context.Background()
	if _, err := s.store.Member(ctx, "T1", "U1"); err != nil {
		t.Fatal(err)
	}
	// Names of 200 "<" grow six-fold once escaped for Slack and JSON: the
	// list of twenty is well over Socket Mode's 20 KB.
	for i := range 20 {
		name := fmt.Sprintf("%02d %s", i, strings.Repeat("<", 190))
		if _, _, err := s.store.CreateDeal(ctx, "T1", coach.NewDeal{Name: name, OwnerID: "U1", Amount: coach.Money{Currency: "USD"},
			Stage: coach.Prospecting, ActorID: "U1", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	ack := s.send("env-list", "slash_commands", slashPayload("T1", "U1", "list", s.api.ResponseURL("list")))
	if ack["payload"] != nil {
		t.Errorf("a reply over 20 KB went into the acknowledgement")
	}
	posts := s.api.Wait("respond/list", 1)
	if text := posts[0].Text(); !strings.Contains(text, "Your open deals (20)") {
		t.Errorf("posted %q", text[:min(len(text), 200)])
	}
}

// TestSocketModeRefreshIsRoutine has Slack ask for the routine reconnection
// it asks for every few hours (a disconnect with reason refresh_requested):
// the bot connects again and logs it at debug, with no warning.
func TestSocketModeRefreshIsRoutine(t *testing.T) {
	t.Parallel()
	var logs bottest.LogBuffer
	s := newSocketLogged(t, 0, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	s.send("env-1", "slash_commands", slashPayload("T1", "U1", "list", s.api.ResponseURL("cmd")))
	s.api.SendToWebsocket(`{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-1"}}`)
	// The bot opens a new connection. An envelope sent before that may still
	// be answered over the old one, so wait for it first.
	for deadline := time.Now().Add(15 * time.Second); s.opens.Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.opens.Load(); n < 2 {
		t.Fatalf("%d connections opened, want a second after the refresh", n)
	}
	// Answered over the new connection: the bot came back. An envelope
	// sent while the old connection is closing is lost, as it would be with
	// Slack, so it is sent again (a new envelope each time) until one is
	// answered.
	answered := false
	for i := 0; i < 30 && !answered; i++ {
		_, answered = s.trySend(fmt.Sprintf("env-2-%d", i), "slash_commands", slashPayload("T1", "U1", "list", s.api.ResponseURL("cmd")), time.Second)
	}
	if !answered {
		t.Fatal("no envelope answered after the refresh")
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct{ Level, Msg string }
		json.Unmarshal([]byte(l), &rec)
		if rec.Level == "WARN" || rec.Level == "ERROR" {
			t.Errorf("a routine refresh logged %s: %s", rec.Level, l)
		}
	}
	if !strings.Contains(logs.String(), `"level":"DEBUG","msg":"socket mode reconnecting`) {
		t.Errorf("the reconnection is not in the debug log:\n%s", logs.String())
	}
}
