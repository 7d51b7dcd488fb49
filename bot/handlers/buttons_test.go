package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
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

// ui is a bot behind a real HTTP server, a fake Slack that signs its
// requests, and a fake Web API (with response_url) that records what the bot
// sends. Its store is in memory unless the test asks for PostgreSQL (db).
type ui struct {
	dbURL string // the database's URL; "" in memory
	store handlers.Store
	db    *db.DB // the real store; nil in memory
	app   *handlers.App
	slack *bottest.Slack
	api   *bottest.API
	t     *testing.T
}

type uiOptions struct {
	managers []string
	handlers bottest.Handlers
	now      func() time.Time
	db       bool // a fresh PostgreSQL database instead of the in-memory store
}

func newUI(t *testing.T, opts uiOptions) *ui {
	t.Helper()
	u := &ui{t: t}
	if opts.db {
		u.dbURL = dbtest.URL(t)
		store, err := db.Open(context.Background(), u.dbURL, db.Options{MaxOpen: 8})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		u.store, u.db = store, store
	} else {
		u.store = bottest.NewMemStore()
	}
	u.api = bottest.NewAPI(t, opts.handlers)
	u.app = handlers.New(handlers.Config{Store: u.store, Managers: opts.managers, Now: opts.now,
		Slack: transport.StaticClients{Token: "xoxb-test", APIURL: u.api.URL()}})
	srv := httptest.NewServer((&transport.Server{App: u.app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	u.slack = &bottest.Slack{T: t, BaseURL: srv.URL}
	t.Cleanup(func() { u.drain(); u.app.Close() })
	return u
}

// command sends a slash command whose response_url is served by the fake as
// "respond/cmd".
func (u *ui) command(team, user, command, text string) bottest.Response {
	u.t.Helper()
	f := bottest.Form(team, user, command, text)
	f.Set("response_url", u.api.ResponseURL("cmd"))
	return u.slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(f.Encode()), true)
}

// add creates a deal with /deal add and returns the reply.
func (u *ui) add(team, user, text string) bottest.Reply {
	u.t.Helper()
	r := u.command(team, user, "/deal", "add "+text)
	if r.Status != http.StatusOK {
		u.t.Fatalf("/deal add %s: status %d: %s", text, r.Status, r.Body)
	}
	return r.Message(u.t)
}

// click sends a click on a message whose response_url is "respond/<name>".
func (u *ui) click(team, user, action, value, name string) bottest.Response {
	u.t.Helper()
	url := ""
	if name != "" {
		url = u.api.ResponseURL(name)
	}
	return u.slack.Interaction(bottest.Button(team, user, action, value, url))
}

// drain waits for the work the bot does after answering Slack.
func (u *ui) drain() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := u.app.Drain(ctx); err != nil {
		u.t.Errorf("background work did not finish: %v", err)
	}
}

func (u *ui) deal(team string, number int) coach.Deal {
	u.t.Helper()
	deals, _, err := u.store.ListDeals(context.Background(), team, coach.ListFilter{Limit: 100})
	if err != nil {
		u.t.Fatal(err)
	}
	for _, d := range deals {
		if d.Number == number {
			return d
		}
	}
	u.t.Fatalf("no deal #%d in %s", number, team)
	return coach.Deal{}
}

// deletionDue reports whether the deletion of the team's data is scheduled.
func (u *ui) deletionDue(team string) bool {
	u.t.Helper()
	if u.db == nil {
		u.t.Fatalf("u.deletionDue reads the database: use uiOptions{db: true}")
	}
	_, due, err := u.db.PurgeAfter(context.Background(), team)
	if err != nil {
		u.t.Fatal(err)
	}
	return due
}

// posted returns the one post to response_url name.
func (u *ui) posted(name string) bottest.Call {
	u.t.Helper()
	calls := u.api.Calls("respond/" + name)
	if len(calls) != 1 {
		u.t.Fatalf("%d posts to response_url %s, want 1", len(calls), name)
	}
	return calls[0]
}

// buttonValue returns the value of the button actionID in a reply's blocks.
func buttonValue(t *testing.T, blocks []map[string]any, actionID string) string {
	t.Helper()
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			e, _ := e.(map[string]any)
			if e["action_id"] == actionID {
				v, _ := e["value"].(string)
				return v
			}
		}
	}
	t.Fatalf("no %s button in %v", actionID, blocks)
	return ""
}

func callBlocks(c bottest.Call) []map[string]any {
	var out []map[string]any
	raw, _ := json.Marshal(c.JSON["blocks"])
	json.Unmarshal(raw, &out)
	return out
}

func TestCoachingReplyHasButtons(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	reply := u.add("T1", "U1", "Acme Corp 12k")
	for _, id := range []string{"deal_next", "deal_won", "deal_lost", "deal_note", "deal_share"} {
		v := buttonValue(t, reply.Blocks, id)
		d := u.deal("T1", 1)
		if want := strings.Join([]string{itoa(d.ID), itoa(d.Version)}, "."); v != want {
			t.Errorf("%s value = %q, want deal id and version %q", id, v, want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestNextStageClickedTwiceMovesOnce(t *testing.T) {
	t.Parallel()
	t.Run("OneAfterTheOther", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		v := buttonValue(t, u.add("T1", "U1", "Acme Corp 12k").Blocks, "deal_next")
		for _, name := range []string{"first", "second"} {
			if r := u.click("T1", "U1", "deal_next", v, name); r.Status != http.StatusOK {
				t.Fatalf("%s click: status %d: %s", name, r.Status, r.Body)
			}
		}
		u.drain()
		if d := u.deal("T1", 1); d.Stage != coach.Contact {
			t.Errorf("stage = %s, want contact (one step)", d.Stage)
		}
		if n := countKind(t, u.store, "T1", coach.EvMove); n != 1 {
			t.Errorf("%d moves recorded, want 1", n)
		}
		first, second := u.posted("first"), u.posted("second")
		if !strings.Contains(first.Text(), "Moved #1 Acme Corp") || first.JSON["replace_original"] != true {
			t.Errorf("first click: replace_original=%v %q", first.JSON["replace_original"], first.Text())
		}
		if !strings.Contains(second.Text(), "Already done") || second.JSON["response_type"] != "ephemeral" {
			t.Errorf("second click answered %q (%v), want an ephemeral \"Already done\"", second.Text(), second.JSON["response_type"])
		}
	})
	t.Run("AtTheSameTime", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		v := buttonValue(t, u.add("T1", "U1", "Globex 5k").Blocks, "deal_next")
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, name := range []string{"a", "b", "c"} {
			wg.Go(func() {
				<-start
				u.click("T1", "U1", "deal_next", v, name)
			})
		}
		close(start)
		wg.Wait()
		u.drain()
		if n := countKind(t, u.store, "T1", coach.EvMove); n != 1 {
			t.Errorf("%d moves recorded for three simultaneous clicks, want 1", n)
		}
		moved, done := 0, 0
		for _, c := range u.api.Calls("respond/") {
			switch {
			case strings.Contains(c.Text(), "Moved #1"):
				moved++
			case strings.Contains(c.Text(), "Already done"):
				done++
			}
		}
		if moved != 1 || done != 2 {
			t.Errorf("answers: %d moved, %d already done; want 1 and 2", moved, done)
		}
	})
}

func TestClickOnceAcrossServers(t *testing.T) {
	t.Parallel()
	// Two bots on one database, as two replicas of serve: the database, not
	// a lock in one process, makes the click count once.
	u := newUI(t, uiOptions{db: true})
	second, err := db.Open(context.Background(), u.dbURL, db.Options{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	app2 := handlers.New(handlers.Config{Store: second, Slack: transport.StaticClients{Token: "xoxb-test", APIURL: u.api.URL()}})
	srv2 := httptest.NewServer((&transport.Server{App: app2, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv2.Close)
	slack2 := &bottest.Slack{T: t, BaseURL: srv2.URL}

	v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_next")
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, s := range []*bottest.Slack{u.slack, slack2, u.slack, slack2} {
		wg.Go(func() {
			<-start
			s.Interaction(bottest.Button("T1", "U1", "deal_next", v, u.api.ResponseURL(itoa(int64(i)))))
		})
	}
	close(start)
	wg.Wait()
	u.drain()
	app2.Drain(context.Background())
	if n := countKind(t, u.store, "T1", coach.EvMove); n != 1 {
		t.Errorf("%d moves for four clicks on two servers, want 1", n)
	}
	// The clean-up of old clicks says how many it forgot: every click
	// recorded, on this test's own database.
	if n, err := u.db.ForgetClicks(context.Background(), time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("%d clicks recorded (%v), want 1", n, err)
	}
}

func TestReplayedClickRefused(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_won")
	b, _ := json.Marshal(bottest.Button("T1", "U1", "deal_won", v, u.api.ResponseURL("won")))
	body := []byte(url.Values{"payload": {string(b)}}.Encode())
	req, _ := http.NewRequest(http.MethodPost, u.slack.BaseURL+"/slack/interactions", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	transport.Sign(req.Header, bottest.Secret, body, time.Now())
	replay, _ := http.NewRequest(http.MethodPost, u.slack.BaseURL+"/slack/interactions", strings.NewReader(string(body)))
	replay.Header = req.Header.Clone()

	if r := u.slack.Do(req); r.Status != http.StatusOK {
		t.Fatalf("click: status %d: %s", r.Status, r.Body)
	}
	if r := u.slack.Do(replay); r.Status != http.StatusUnauthorized {
		t.Errorf("replayed click: status %d, want 401", r.Status)
	}
	u.drain()
	if d := u.deal("T1", 1); d.Status != coach.StatusWon {
		t.Errorf("status = %s, want won", d.Status)
	}
	if n := countKind(t, u.store, "T1", coach.EvWon); n != 1 {
		t.Errorf("%d wins recorded, want 1", n)
	}
}

func TestClickRefused(t *testing.T) {
	t.Parallel()
	t.Run("OutOfDateMessage", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_next")
		u.command("T1", "U1", "/deal", "move acme demo")
		u.click("T1", "U1", "deal_next", v, "old")
		u.drain()
		if d := u.deal("T1", 1); d.Stage != coach.Presentation {
			t.Errorf("stage = %s, want presentation: an old button must not move the deal", d.Stage)
		}
		c := u.posted("old")
		if !strings.Contains(c.Text(), "out of date") || !strings.Contains(c.Text(), "Presentation") {
			t.Errorf("answer %q does not say the message was out of date and where the deal is", c.Text())
		}
		// The answer replaces the old message and its buttons work.
		if c.JSON["replace_original"] != true {
			t.Error("the out-of-date message was not replaced")
		}
		fresh := buttonValue(t, callBlocks(c), "deal_next")
		u.click("T1", "U1", "deal_next", fresh, "fresh")
		u.drain()
		if d := u.deal("T1", 1); d.Stage != coach.Objections {
			t.Errorf("after the fresh button: stage %s, want objections", d.Stage)
		}
	})
	t.Run("AnotherRepsDeal", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_won")
		u.click("T1", "U2", "deal_won", v, "intruder")
		u.click("T2", "U1", "deal_won", v, "other-team")
		u.drain()
		if d := u.deal("T1", 1); d.Status != coach.StatusOpen {
			t.Errorf("status = %s: another rep's click changed the deal", d.Status)
		}
		for _, name := range []string{"intruder", "other-team"} {
			if c := u.posted(name); !strings.Contains(c.Text(), "not among your deals") && !strings.Contains(c.Text(), "no longer exists") {
				t.Errorf("%s: answer %q, want a refusal", name, c.Text())
			}
		}
	})
	t.Run("ManagerMayClick", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{managers: []string{"UBOSS"}})
		v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_won")
		u.click("T1", "UBOSS", "deal_won", v, "boss")
		u.drain()
		if d := u.deal("T1", 1); d.Status != coach.StatusWon {
			t.Errorf("status = %s, want won by the manager", d.Status)
		}
	})
	t.Run("GarbledValue", func(t *testing.T) {
		t.Parallel()
		u := newUI(t, uiOptions{})
		u.add("T1", "U1", "Acme 12k")
		u.click("T1", "U1", "deal_next", "1;DROP TABLE deals", "bad")
		u.drain()
		if c := u.posted("bad"); !strings.Contains(c.Text(), "button") {
			t.Errorf("answer %q", c.Text())
		}
		if d := u.deal("T1", 1); d.Stage != coach.Prospecting {
			t.Errorf("stage = %s", d.Stage)
		}
	})
}

func TestLostModal(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_lost")
	if r := u.click("T1", "U1", "deal_lost", v, "msg"); r.Status != http.StatusOK || len(strings.TrimSpace(string(r.Body))) != 0 {
		t.Fatalf("click: status %d body %q, want an empty 200", r.Status, r.Body)
	}
	opens := u.api.Calls("views.open")
	if len(opens) != 1 {
		t.Fatalf("%d views.open calls, want 1", len(opens))
	}
	if opens[0].JSON["trigger_id"] == "" {
		t.Error("views.open without the click's trigger_id")
	}
	view := opens[0].JSON["view"].(map[string]any)
	if view["callback_id"] != "deal_lost" || !strings.Contains(opens[0].Text(), "Why was it lost?") {
		t.Fatalf("modal: %v", view)
	}
	if n := countKind(t, u.store, "T1", coach.EvLost); n != 0 {
		t.Fatal("opening the modal changed the deal")
	}

	submit := func() map[string]any {
		return bottest.Submit("T1", "U1", "V0LOST", view, map[string]string{"reason": "price", "details": "went with a cheaper <tool> & co"})
	}
	if r := u.slack.Interaction(submit()); r.Status != http.StatusOK || len(strings.TrimSpace(string(r.Body))) != 0 {
		t.Fatalf("submit: status %d body %s, want an empty 200 (the modal closes)", r.Status, r.Body)
	}
	u.drain()
	d := u.deal("T1", 1)
	if d.Status != coach.StatusLost || d.LostReason != coach.ReasonPrice {
		t.Fatalf("deal %s %s, want lost for price", d.Status, d.LostReason)
	}
	var text string
	for _, e := range logs(t, u.store, "T1")[1] {
		if e.Kind == coach.EvLost {
			text = e.Text
		}
	}
	if text != "went with a cheaper <tool> & co" {
		t.Errorf("details stored as %q", text)
	}
	c := u.posted("msg")
	if !strings.Contains(c.Text(), "lost (price: went with a cheaper &lt;tool&gt; &amp; co)") || c.JSON["replace_original"] != true {
		t.Errorf("answer %q (replace %v)", c.Text(), c.JSON["replace_original"])
	}

	// Submitting the same modal again changes nothing and says why, in place.
	r := u.slack.Interaction(submit())
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	json.Unmarshal(r.Body, &resp)
	if resp.Action != "errors" || !strings.Contains(resp.Errors["reason"], "Already done") {
		t.Errorf("second submit answered %s", r.Body)
	}
	if n := countKind(t, u.store, "T1", coach.EvLost); n != 1 {
		t.Errorf("%d losses recorded, want 1", n)
	}
}

func TestLostModalNotOpenedForLostDeal(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	u.add("T1", "U1", "Acme 12k")
	u.command("T1", "U1", "/deal", "lost acme timing")
	d := u.deal("T1", 1)
	u.click("T1", "U1", "deal_lost", strings.Join([]string{itoa(d.ID), itoa(d.Version)}, "."), "msg")
	u.drain()
	if n := len(u.api.Calls("views.open")); n != 0 {
		t.Errorf("%d modals opened for a deal already lost", n)
	}
	if c := u.posted("msg"); !strings.Contains(c.Text(), "already lost") {
		t.Errorf("answer %q", c.Text())
	}
}

func TestNoteModal(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_note")
	u.click("T1", "U1", "deal_note", v, "msg")
	opens := u.api.Calls("views.open")
	if len(opens) != 1 {
		t.Fatalf("%d views.open calls, want 1", len(opens))
	}
	view := opens[0].JSON["view"].(map[string]any)

	t.Run("EmptyNote", func(t *testing.T) {
		r := u.slack.Interaction(bottest.Submit("T1", "U1", "V0NOTE", view, map[string]string{"note": "   "}))
		if !strings.Contains(string(r.Body), `"response_action":"errors"`) || !strings.Contains(string(r.Body), `"note"`) {
			t.Errorf("empty note answered %s, want an error on the note block", r.Body)
		}
	})
	t.Run("SubmittedTwice", func(t *testing.T) {
		for range 2 {
			submit := bottest.Submit("T1", "U1", "V0NOTE", view, map[string]string{"note": "Sent pricing to the CFO\nCall on Friday 📞"})
			if r := u.slack.Interaction(submit); r.Status != http.StatusOK || len(strings.TrimSpace(string(r.Body))) != 0 {
				t.Fatalf("submit: status %d body %s", r.Status, r.Body)
			}
		}
		u.drain()
		var notes []string
		for _, e := range logs(t, u.store, "T1")[1] {
			if e.Kind == coach.EvNote {
				notes = append(notes, e.Text)
			}
		}
		if len(notes) != 1 || notes[0] != "Sent pricing to the CFO\nCall on Friday 📞" {
			t.Errorf("notes = %q, want the one note once", notes)
		}
		if c := u.posted("msg"); !strings.Contains(c.Text(), "Noted on #1 Acme") {
			t.Errorf("answer %q", c.Text())
		}
	})
}

func TestShare(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	v := buttonValue(t, u.add("T1", "U1", "Acme Corp 12k").Blocks, "deal_share")
	u.click("T1", "U1", "deal_share", v, "one")
	u.click("T1", "U1", "deal_share", v, "two")
	u.drain()
	c := u.posted("one")
	if c.JSON["response_type"] != "in_channel" || !strings.Contains(c.Text(), "<@U1> shared #1 Acme Corp") || !strings.Contains(c.Text(), "Next step") {
		t.Errorf("shared %v: %q", c.JSON["response_type"], c.Text())
	}
	if blocks := callBlocks(c); strings.Contains(jsonString(blocks), "deal_next") {
		t.Error("the shared message carries buttons")
	}
	if c := u.posted("two"); c.JSON["response_type"] != "ephemeral" || !strings.Contains(c.Text(), "Already shared") {
		t.Errorf("second share: %v %q", c.JSON["response_type"], c.Text())
	}
}

func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestBlueprintButton(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	u.add("T1", "U1", "Acme 12k")
	show := u.command("T1", "U1", "/deal", "show acme").Message(t)
	v := buttonValue(t, show.Blocks, render.ActionBlueprint)
	u.click("T1", "U1", render.ActionBlueprint, v, "mine")
	u.click("T1", "U2", render.ActionBlueprint, v, "theirs")
	u.drain()
	if c := u.posted("mine"); !strings.Contains(c.Text(), "service blueprint") || c.JSON["response_type"] != "ephemeral" {
		t.Errorf("owner's click answered %q", c.Text())
	}
	if c := u.posted("theirs"); !strings.Contains(c.Text(), "not among your deals") && !strings.Contains(c.Text(), "no longer exists") {
		t.Errorf("another rep's click answered %q, want a refusal", c.Text())
	}
}

// TestSavedClickToldWhenItsReplyFails has the response_url of a clicked
// message fail (500, then 404) after the click's change was saved: the user
// is told it was saved, in a message only they see in the channel, or — when
// that fails too — in their direct messages; the deal moves once.
func TestSavedClickToldWhenItsReplyFails(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		status    int
		ephemeral http.HandlerFunc
		where     string
	}{
		{"Ephemeral", http.StatusInternalServerError, bottest.OK(`{"ok":true,"message_ts":"1.2"}`), "chat.postEphemeral"},
		{"DirectMessage", http.StatusNotFound, bottest.OK(`{"ok":false,"error":"channel_not_found"}`), "chat.postMessage"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := newUI(t, uiOptions{handlers: bottest.Handlers{
				"/respond/":           func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tt.status) },
				"/chat.postEphemeral": tt.ephemeral,
				"/conversations.open": bottest.OK(`{"ok":true,"channel":{"id":"D0U1"}}`),
				"/chat.postMessage":   bottest.OK(`{"ok":true,"channel":"D0U1","ts":"1.3"}`),
			}})
			v := buttonValue(t, u.add("T1", "U1", "Acme Corp 12k").Blocks, "deal_next")
			u.click("T1", "U1", "deal_next", v, "lost")
			u.drain()
			if d := u.deal("T1", 1); d.Stage != coach.Contact {
				t.Errorf("stage = %s, want contact", d.Stage)
			}
			if n := countKind(t, u.store, "T1", coach.EvMove); n != 1 {
				t.Errorf("%d moves recorded, want 1", n)
			}
			if n := len(u.api.Calls("respond/lost")); n == 0 {
				t.Error("the response_url was never tried")
			}
			calls := u.api.Calls(tt.where)
			if len(calls) != 1 {
				t.Fatalf("%d calls of %s, want 1", len(calls), tt.where)
			}
			c := calls[0]
			text := c.Text() + c.Form.Get("text")
			if !strings.Contains(text, "Your change was saved: Moved #1 Acme Corp") || !strings.Contains(text, "could not show the full reply") {
				t.Errorf("%s says %q, want that the move was saved", tt.where, text)
			}
			want := map[string]string{"chat.postEphemeral": "C0001", "chat.postMessage": "D0U1"}[tt.where]
			if ch := c.Form.Get("channel"); ch != want {
				t.Errorf("posted in %q, want %q", ch, want)
			}
			if tt.where == "chat.postEphemeral" && c.Form.Get("user") != "U1" {
				t.Errorf("ephemeral for %q, want U1", c.Form.Get("user"))
			}
		})
	}
}
