package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// envelope is an Events API delivery of inner for team.
func envelope(team, eventID string, inner map[string]any) map[string]any {
	return map[string]any{
		"token": "legacy", "team_id": team, "api_app_id": "A0001", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(), "event": inner,
	}
}

func homeOpened(user string) map[string]any {
	return map[string]any{"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home", "event_ts": "1.0"}
}

// home opens the App Home of user and returns the view published.
func (u *ui) home(team, user string) map[string]any {
	u.t.Helper()
	before := len(u.api.Calls("views.publish"))
	if r := u.slack.Event(envelope(team, fmt.Sprintf("Ev%d", time.Now().UnixNano()), homeOpened(user)), 0); r.Status != http.StatusOK {
		u.t.Fatalf("app_home_opened: status %d: %s", r.Status, r.Body)
	}
	u.drain()
	pubs := u.api.Calls("views.publish")
	if len(pubs) != before+1 {
		u.t.Fatalf("%d views.publish calls, want %d", len(pubs), before+1)
	}
	p := pubs[len(pubs)-1]
	if p.JSON["user_id"] != user {
		u.t.Errorf("published for %v, want %s", p.JSON["user_id"], user)
	}
	return p.JSON["view"].(map[string]any)
}

func blocksOf(view map[string]any) []map[string]any {
	var out []map[string]any
	raw, _ := json.Marshal(view["blocks"])
	json.Unmarshal(raw, &out)
	return out
}

func TestURLVerification(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	r := u.slack.Event(map[string]any{"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}, 0)
	var got struct{ Challenge string }
	if err := json.Unmarshal(r.Body, &got); r.Status != http.StatusOK || err != nil || got.Challenge != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("status %d body %s, want the challenge back", r.Status, r.Body)
	}
}

func TestNoSigningSecretRefusesEverything(t *testing.T) {
	t.Parallel()
	// Socket Mode only: with no signing secret anyone could sign, so
	// Slack's routes refuse every request.
	store := bottest.NewMemStore()
	srv := httptest.NewServer((&transport.Server{App: handlers.New(handlers.Config{Store: store}), SigningSecret: ""}).Handler())
	t.Cleanup(srv.Close)
	s := &bottest.Slack{T: t, BaseURL: srv.URL}
	for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader("command=/deal&text=add+Acme&team_id=T1&user_id=U1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		transport.Sign(req.Header, "", []byte("command=/deal&text=add+Acme&team_id=T1&user_id=U1"), time.Now())
		if r := s.Do(req); r.Status != http.StatusNotFound {
			t.Errorf("%s signed with an empty secret: status %d, want 404", path, r.Status)
		}
	}
	if n := countEvents(t, store); n != 0 {
		t.Errorf("%d changes stored", n)
	}
}

func TestEventsRefusedUnsigned(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	b, _ := json.Marshal(envelope("T1", "Ev1", homeOpened("U1")))
	if r := u.slack.Post("/slack/events", "application/json", b, false); r.Status != http.StatusUnauthorized {
		t.Errorf("unsigned event: status %d, want 401", r.Status)
	}
	u.drain()
	if n := len(u.api.Calls("views.publish")); n != 0 {
		t.Errorf("%d publications for an unsigned event", n)
	}
}

func TestAppHome(t *testing.T) {
	t.Parallel()
	t.Run("Rep", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		u.add("T1", "U1", "Acme Corp 12k")
		u.add("T1", "U1", "Globex 5k demo")
		u.add("T1", "U2", "Someone Else's 1k")
		view := u.home("T1", "U1")
		if view["type"] != "home" {
			t.Errorf("view type %v", view["type"])
		}
		text := bottest.Call{JSON: view}.Text()
		for _, want := range []string{"Your pipeline", "Prospecting · 1", "#1 Acme Corp · $12,000", "Presentation · 1", "#2 Globex", "Next"} {
			if !strings.Contains(text, want) {
				t.Errorf("home lacks %q:\n%s", want, text)
			}
		}
		for _, unwanted := range []string{"Someone Else", "Team pipeline"} {
			if strings.Contains(text, unwanted) {
				t.Errorf("a rep's home shows %q", unwanted)
			}
		}
		buttonValue(t, blocksOf(view), "deal_next")
	})
	t.Run("Manager", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{managers: []string{"UBOSS"}})
		u.add("T1", "U1", "Acme Corp 12k")
		u.add("T1", "U2", "Globex 5k")
		u.add("T1", "U2", "Initech 3000 EUR qualification")
		text := bottest.Call{JSON: u.home("T1", "UBOSS")}.Text()
		for _, want := range []string{"Team pipeline", "Prospecting", "2 deals · $17,000", "Qualification", "Open: 3 deals worth $17,000", "1 in other currencies"} {
			if !strings.Contains(text, want) {
				t.Errorf("manager's home lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("ManyDealsFitInOneView", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		ctx := context.Background()
		if _, err := u.store.Member(ctx, "T1", "U1"); err != nil {
			t.Fatal(err)
		}
		stages := coach.OpenStages
		for i := range 70 {
			_, _, err := u.store.CreateDeal(ctx, "T1", coach.NewDeal{Name: fmt.Sprintf("Deal %02d", i), OwnerID: "U1",
				Amount: coach.Money{Currency: "USD"}, Stage: stages[i%len(stages)], ActorID: "U1", At: time.Now().Add(-time.Duration(i) * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
		}
		view := u.home("T1", "U1")
		blocks := blocksOf(view)
		if len(blocks) > 100 {
			t.Errorf("%d blocks, Slack allows 100", len(blocks))
		}
		text := bottest.Call{JSON: view}.Text()
		if !strings.Contains(text, "of your 70 open deals") || !strings.Contains(text, "/deal list") {
			t.Errorf("no note saying the list was cut:\n%s", text)
		}
		for _, b := range blocks {
			txt, _ := b["text"].(map[string]any)
			if s, _ := txt["text"].(string); len(s) > 3000 {
				t.Errorf("a block's text has %d characters", len(s))
			}
		}
	})
	t.Run("NoDeals", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		text := bottest.Call{JSON: u.home("T1", "U1")}.Text()
		if !strings.Contains(text, "no open deals") {
			t.Errorf("empty home:\n%s", text)
		}
		buttonValue(t, blocksOf(u.home("T1", "U1")), "deal_add")
	})
	t.Run("ButtonInHome", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		u.add("T1", "U1", "Acme Corp 12k")
		v := buttonValue(t, blocksOf(u.home("T1", "U1")), "deal_next")
		u.click("T1", "U1", "deal_next", v, "")
		u.drain()
		if d := u.deal("T1", 1); d.Stage != coach.Contact {
			t.Errorf("stage %s after Next stage in the Home tab", d.Stage)
		}
		pubs := u.api.Calls("views.publish")
		if text := pubs[len(pubs)-1].Text(); !strings.Contains(text, "Moved #1 Acme Corp") || !strings.Contains(text, "Initial contact · 1") {
			t.Errorf("home after the click:\n%s", text)
		}
	})
	t.Run("MessagesTab", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		ev := homeOpened("U1")
		ev["tab"] = "messages"
		u.slack.Event(envelope("T1", "EvMsg", ev), 0)
		u.drain()
		if n := len(u.api.Calls("views.publish")); n != 0 {
			t.Errorf("%d publications for the Messages tab", n)
		}
	})
}

func TestEventRetriedIsHandledOnce(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{db: true})
	base := time.Now()
	for retry := range 3 {
		// Slack signs each retry anew, when it sends it.
		u.slack.Now = func() time.Time { return base.Add(time.Duration(retry) * time.Second) }
		if r := u.slack.Event(envelope("T1", "Ev0RETRY", homeOpened("U1")), retry); r.Status != http.StatusOK {
			t.Fatalf("delivery %d: status %d", retry, r.Status)
		}
	}
	u.drain()
	if n := len(u.api.Calls("views.publish")); n != 1 {
		t.Errorf("%d publications for one event delivered three times, want 1", n)
	}
	if first, err := u.store.FirstEvent(context.Background(), "Ev0RETRY", "T1", "app_home_opened", time.Now()); err != nil || first {
		t.Errorf("the event is not recorded as taken (first %v, %v)", first, err)
	}
}

func TestUninstall(t *testing.T) {
	t.Parallel()
	events := []struct {
		name  string
		inner map[string]any
	}{
		{"AppUninstalled", map[string]any{"type": "app_uninstalled"}},
		{"TokensRevoked", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOT"}}}},
	}
	for _, ev := range events {
		t.Run(ev.name, func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			u := newUI(t, uiOptions{db: true, now: func() time.Time { return now }})
			ctx := context.Background()
			u.add("T1", "U1", "Acme 12k")
			u.add("T2", "U1", "Other workspace 1k")
			sealer, _ := transport.NewSealer(make([]byte, 32))
			for _, team := range []string{"T1", "T2"} {
				tok, _ := sealer.Seal("xoxb-"+team, team)
				if err := u.db.SaveInstallation(ctx, coach.Installation{TeamID: team, BotUserID: "UBOT", BotToken: tok, InstalledAt: now}); err != nil {
					t.Fatal(err)
				}
			}
			if r := u.slack.Event(envelope("T1", "Ev"+ev.name, ev.inner), 0); r.Status != http.StatusOK {
				t.Fatalf("status %d", r.Status)
			}
			if _, err := u.db.Installation(ctx, "T1"); coach.ErrorCode(err) != coach.ENotFound {
				t.Errorf("T1's token is still stored (err %v)", err)
			}
			if _, err := u.db.Installation(ctx, "T2"); err != nil {
				t.Errorf("T2's token was forgotten too: %v", err)
			}
			// The data stays for the retention period, then goes.
			if ids, _ := u.db.PurgeTeams(ctx, now.Add(29*24*time.Hour)); len(ids) != 0 {
				t.Errorf("purged %v before 30 days", ids)
			}
			ids, err := u.db.PurgeTeams(ctx, now.Add(30*24*time.Hour))
			if err != nil || len(ids) != 1 || ids[0] != "T1" {
				t.Fatalf("purged %v (%v), want T1", ids, err)
			}
			if n := len(logs(t, u.store, "T1")); n != 0 {
				t.Errorf("%d deals of the uninstalled workspace left", n)
			}
			if n := len(logs(t, u.store, "T2")); n != 1 {
				t.Errorf("%d deals of the other workspace left, want 1", n)
			}
		})
	}
	t.Run("UserTokensOnly", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{db: true})
		u.add("T1", "U1", "Acme 12k")
		u.slack.Event(envelope("T1", "EvUser", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"oauth": []string{"U1"}}}), 0)
		if u.deletionDue("T1") {
			t.Error("revoking a user's token scheduled the workspace's deletion")
		}
	})
	t.Run("UsedAgainKeepsData", func(t *testing.T) {
		t.Parallel()
		// With a single workspace's token a reinstall goes through Slack
		// alone: the workspace using the bot again is the sign.
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		u := newUI(t, uiOptions{db: true, now: clock})
		ctx := context.Background()
		u.add("T1", "U1", "Acme 12k")
		u.slack.Event(envelope("T1", "EvGone1", map[string]any{"type": "app_uninstalled"}), 0)
		mu.Lock()
		now = now.Add(3 * 24 * time.Hour)
		mu.Unlock()
		u.command("T1", "U1", "/deal", "note acme back with the bot")
		if ids, _ := u.db.PurgeTeams(ctx, now.Add(60*24*time.Hour)); len(ids) != 0 {
			t.Errorf("purged %v though it was used after the uninstall", ids)
		}
		if u.deletionDue("T1") {
			t.Errorf("the deletion is still scheduled")
		}
	})
	t.Run("ReinstallKeepsData", func(t *testing.T) {
		t.Parallel()
		now := time.Now()
		u := newUI(t, uiOptions{db: true})
		ctx := context.Background()
		u.add("T1", "U1", "Acme 12k")
		u.slack.Event(envelope("T1", "EvGone", map[string]any{"type": "app_uninstalled"}), 0)
		if err := u.db.SaveInstallation(ctx, coach.Installation{TeamID: "T1", BotUserID: "UBOT", BotToken: []byte("sealed"), InstalledAt: now}); err != nil {
			t.Fatal(err)
		}
		if ids, _ := u.db.PurgeTeams(ctx, now.Add(365*24*time.Hour)); len(ids) != 0 {
			t.Errorf("purged %v after a reinstall", ids)
		}
	})
}
