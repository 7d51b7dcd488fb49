package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/internal/faultproxy"
)

// replica is a second bot process on the database of u.
func replica(t *testing.T, u *ui) *bottest.Slack {
	t.Helper()
	store, err := db.Open(context.Background(), u.dbURL, db.Options{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	app := handlers.New(handlers.Config{Store: store, Slack: transport.StaticClients{Token: "xoxb-test", APIURL: u.api.URL()}})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		app.Drain(ctx)
		app.Close()
	})
	return &bottest.Slack{T: t, BaseURL: srv.URL}
}

// TestReplayInAnyCase: a signed request replayed with its signature's hex in
// upper or mixed case — to the same replica or another on the same database
// — is refused and changes nothing.
func TestReplayInAnyCase(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{db: true})
	b := replica(t, u)
	a := u.slack
	v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_next")
	click, _ := json.Marshal(bottest.Button("T1", "U1", "deal_next", v, u.api.ResponseURL("next")))
	bodies := map[string][]byte{
		"/slack/commands":     []byte(bottest.Form("T1", "U1", "/deal", "add Initech 5k").Encode()),
		"/slack/interactions": []byte(url.Values{"payload": {string(click)}}.Encode()),
	}
	variants := map[string]func(string) string{
		"upper": strings.ToUpper,
		"mixed": func(s string) string {
			r := []rune(s)
			for i := range r {
				if i%2 == 1 {
					r[i] = []rune(strings.ToUpper(string(r[i])))[0]
				}
			}
			return string(r)
		},
		"hexUpper": func(s string) string { return "v0=" + strings.ToUpper(strings.TrimPrefix(s, "v0=")) },
		"same":     func(s string) string { return s },
	}
	state := func() string {
		u.drain()
		return fmt.Sprint(len(logs(t, u.store, "T1")), countEvents(t, u.store, "T1"))
	}
	for path, body := range bodies {
		h := http.Header{}
		transport.Sign(h, bottest.Secret, body, time.Now())
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		before := state()
		if got := rawPost(t, a.BaseURL, path, h.Clone(), len(body), body); got != http.StatusOK {
			t.Fatalf("%s: the genuine request: status %d", path, got)
		}
		acted := state()
		if acted == before {
			t.Fatalf("%s: the genuine request changed nothing", path)
		}
		for name, f := range variants {
			for i, to := range []*bottest.Slack{a, b} {
				rh := h.Clone()
				rh.Set("X-Slack-Signature", f(h.Get("X-Slack-Signature")))
				if got := rawPost(t, to.BaseURL, path, rh, len(body), body); got != http.StatusUnauthorized {
					t.Errorf("%s replayed %s to replica %d: status %d, want 401", path, name, i, got)
				}
			}
		}
		if after := state(); after != acted {
			t.Errorf("%s: the replays changed deals and events from %s to %s", path, acted, after)
		}
	}
}

// TestEventRedeliveredInTheSameSecond: Slack's redelivery of an event can
// carry the very same signature; it is answered 200, never refused as a
// replay, and taken once by its event_id — on either replica.
func TestEventRedeliveredInTheSameSecond(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{db: true})
	b := replica(t, u)
	u.add("T1", "U1", "Acme 12k")
	body := []byte(`{"type":"event_callback","team_id":"T1","api_app_id":"A0001","event_id":"Ev0AGAIN","event_time":1,"event":{"type":"app_uninstalled"}}`)
	h := http.Header{}
	transport.Sign(h, bottest.Secret, body, time.Now())
	h.Set("Content-Type", "application/json")
	for i, to := range []*bottest.Slack{u.slack, u.slack, b} {
		if got := rawPost(t, to.BaseURL, "/slack/events", h.Clone(), len(body), body); got != http.StatusOK {
			t.Errorf("delivery %d: status %d, want 200", i+1, got)
		}
	}
	if !u.deletionDue("T1") {
		t.Error("the workspace's deletion is not scheduled")
	}
}

// junk is a request body of n bytes made as it is sent.
type junk struct{ n int }

func (j *junk) Read(p []byte) (int, error) {
	if j.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), j.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	j.n -= k
	return k, nil
}

// TestUnverifiedFlood: 500 connections at once, each sending a body just
// under the cap (or declaring 960 KiB, as the attack did) with a junk
// signature and holding back its last byte until every other one has sent
// the rest, keep the bot's Go heap under 60 MB (it reached 662 MB with 300),
// are all refused, and the heap comes back near where it was.
func TestUnverifiedFlood(t *testing.T) {
	u := newUI(t, uiOptions{})
	h := (&transport.Server{App: u.app, SigningSecret: bottest.Secret}).Handler()
	srv := httptest.NewUnstartedServer(h)
	srv.Config = transport.NewHTTPServer(h)
	srv.Start()
	defer srv.Close()

	runtime.GC()
	var idle runtime.MemStats
	runtime.ReadMemStats(&idle)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	// Raw connections, writing from one shared buffer, so that the test's
	// client side holds next to nothing of the heap it measures.
	addr := strings.TrimPrefix(srv.URL, "http://")
	chunk := []byte(strings.Repeat("x", 32<<10))
	const conns = 500
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		ready    atomic.Int32 // connections at their last byte, or answered
		hold     = make(chan struct{})
	)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var once sync.Once
			arrived := func() { once.Do(func() { ready.Add(1) }) }
			defer arrived()
			n := transport.MaxBody - 1
			if i%5 == 0 {
				n = 960 << 10
			}
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "POST /slack/commands HTTP/1.1\r\nHost: bot\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
				"Content-Length: %d\r\nX-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n",
				n, time.Now().Unix(), strings.Repeat("ab", 32))
			for left := n - 1; left > 0; {
				k, err := c.Write(chunk[:min(left, len(chunk))])
				if err != nil {
					break // answered (503, 413) and closed
				}
				left -= k
			}
			arrived()
			<-hold
			c.Write([]byte("x"))
			code := 0
			if resp, err := http.ReadResponse(bufio.NewReaderSize(c, 512), nil); err == nil {
				resp.Body.Close()
				code = resp.StatusCode
			}
			mu.Lock()
			statuses[code]++
			mu.Unlock()
		}()
	}
	// Every body is in (but its last byte) or answered: let them finish.
	for ready.Load() < conns {
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()
	close(stop)
	<-sampled

	for code, n := range statuses {
		switch code {
		case http.StatusUnauthorized, http.StatusServiceUnavailable, http.StatusRequestEntityTooLarge, http.StatusRequestTimeout, 0:
		default:
			t.Errorf("%d requests answered %d: junk must be refused (401, 413, 408 when too slow) or turned away (503)", n, code)
		}
	}
	t.Logf("statuses %v; heap %.1f MB idle, peak %.1f MB", statuses, float64(idle.HeapAlloc)/1e6, float64(peak.Load())/1e6)
	if peak.Load() > 60e6 {
		t.Errorf("the heap peaked at %.1f MB under %d junk connections, want under 60 MB", float64(peak.Load())/1e6, conns)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > idle.HeapAlloc+8e6 {
		t.Errorf("after the flood the heap is %.1f MB, was %.1f MB idle", float64(after.HeapAlloc)/1e6, float64(idle.HeapAlloc)/1e6)
	}
}

// TestSlowSendersCannotStarveSlack: one address holding connections open
// with bodies that never come cannot keep Slack out: it gets a quarter of
// the slots, Slack's signed command from another address is served at once,
// and the slow ones are answered 408 once their bodies are late.
func TestSlowSendersCannotStarveSlack(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	h := (&transport.Server{App: u.app, SigningSecret: bottest.Secret, MaxUnverified: 8, BodyTimeout: 500 * time.Millisecond}).Handler()
	srv := httptest.NewUnstartedServer(h)
	srv.Config = transport.NewHTTPServer(h)
	srv.Start()
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	// Eight slow senders from 127.0.0.1: headers, then no body.
	var slow []net.Conn
	for range 8 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /slack/commands HTTP/1.1\r\nHost: bot\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nteam_id=")
		slow = append(slow, c)
	}
	// Slack, from another address.
	other := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
	slackSide := &bottest.Slack{T: t, BaseURL: srv.URL, Client: &http.Client{Transport: &http.Transport{DialContext: other.DialContext}}}
	if r := slackSide.Command("T1", "U1", "/deal", "add Acme Corp 5k"); !strings.Contains(r.AllText(), "Acme Corp") {
		t.Errorf("Slack's command beside eight slow senders got %q, want it served", r.AllText())
	}
	// The slow ones: the quarter that got a slot waited out its body and was
	// told so; the rest were turned away.
	codes := map[int]int{}
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("a slow sender got no answer: %v", err)
		}
		resp.Body.Close()
		codes[resp.StatusCode]++
	}
	if codes[http.StatusRequestTimeout] != 2 || codes[http.StatusServiceUnavailable] != 6 {
		t.Errorf("slow senders answered %v, want 2 × 408 (their slots) and 6 × 503", codes)
	}
}

// TestBusyAnsweredUnread: beyond the cap on requests being verified, a
// request is answered 503 at once, its body unread, and counted as busy.
func TestBusyAnsweredUnread(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	srv := httptest.NewServer((&transport.Server{App: u.app, SigningSecret: bottest.Secret, MaxUnverified: 1, BodyTimeout: time.Minute}).Handler())
	defer srv.Close()
	// The one slot is held by a request whose body never comes.
	pr, pw := io.Pipe()
	defer pw.Close()
	held := make(chan struct{})
	go func() {
		defer close(held)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/commands", pr)
		req.ContentLength = 100
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	pw.Write([]byte("a")) // the request reached the handler once a byte is read
	var got int
	// The held request may reach the handler only after many tries on a
	// loaded machine: the client's read of the pipe says nothing of that.
	for range 5000 {
		resp, err := http.Post(srv.URL+"/slack/commands", "application/x-www-form-urlencoded", &junk{n: 1000})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got = resp.StatusCode; got == http.StatusServiceUnavailable {
			break
		}
	}
	if got != http.StatusServiceUnavailable {
		t.Errorf("with the slot taken: status %d, want 503", got)
	}
	if n := gathered(t, u.app.Metrics(), "salescoach_errors_total", map[string]string{"kind": observe.KindBusy}); n < 1 {
		t.Errorf("busy counted %v times", n)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	<-held
}

// TestReplayCheckDown: when the replay check itself cannot be made (the
// database is down), each route answers in its own shape: a command the
// usual "temporarily unavailable, nothing was saved", a click a post to its
// response_url saying so, a modal submission response_action errors, an
// event 503 — and the outage is counted as unavailable.
func TestReplayCheckDown(t *testing.T) {
	t.Parallel()
	direct := dbtest.URL(t)
	pu, _ := url.Parse(direct)
	proxy := faultproxy.New(t, pu.Host)
	pu.Host = proxy.Addr
	store, err := db.Open(context.Background(), pu.String(), db.Options{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	api := bottest.NewAPI(t, nil)
	app := handlers.New(handlers.Config{Store: store, Slack: transport.StaticClients{Token: "xoxb-test", APIURL: api.URL()}})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	slack := &bottest.Slack{T: t, BaseURL: srv.URL}
	add := slack.Command("T1", "U1", "/deal", "add Acme 12k")
	v := buttonValue(t, add.Blocks, "deal_won")

	proxy.Cut()
	defer proxy.Restore(t)
	if r := slack.Command("T1", "U1", "/deal", "list"); !strings.Contains(r.Text, "temporarily unavailable, nothing was saved") {
		t.Errorf("a command: %q", r.Text)
	}
	if r := slack.Interaction(bottest.Button("T1", "U1", "deal_won", v, api.ResponseURL("won"))); r.Status != http.StatusOK {
		t.Errorf("a click: status %d", r.Status)
	}
	if calls := api.Wait("respond/won", 1); !strings.Contains(calls[0].Text(), "nothing was saved") {
		t.Errorf("the click's response_url got %q, want it to say nothing was saved", calls[0].Text())
	}
	view := map[string]any{"callback_id": "deal_add", "private_metadata": "", "blocks": []any{
		map[string]any{"type": "input", "block_id": "name", "element": map[string]any{"type": "plain_text_input", "action_id": "name"}}}}
	r := slack.Interaction(bottest.Submit("T1", "U1", "V1", view, map[string]string{"name": "Globex"}))
	var sub struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &sub); err != nil || sub.Action != "errors" || !strings.Contains(sub.Errors["name"], "nothing was saved") {
		t.Errorf("a modal submission: %d %s, want response_action errors saying nothing was saved", r.Status, r.Body)
	}
	ev := map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev0DOWN", "event": map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home"}}
	if r := slack.Event(ev, 0); r.Status != http.StatusServiceUnavailable {
		t.Errorf("an event: status %d, want 503", r.Status)
	}
	if n := gathered(t, app.Metrics(), "salescoach_errors_total", map[string]string{"kind": "unavailable"}); n < 3 {
		t.Errorf("unavailable counted %v times, want at least 3", n)
	}
	if n := gathered(t, app.Metrics(), "salescoach_requests_total", map[string]string{"command": "unavailable", "route": "/slack/commands"}); n < 1 {
		t.Errorf("the command refused in the outage is not labelled unavailable (%v)", n)
	}
}
