package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/internal/faultproxy"
)

// proxied is a bot behind a real HTTP server whose connections to its
// database go through a fault proxy.
type proxied struct {
	direct string // the database's own URL, around the proxy
	proxy  *faultproxy.Proxy
	url    string // the bot's
	slack  *bottest.Slack
}

func newProxied(t *testing.T, maxOpen int) *proxied {
	t.Helper()
	direct := dbtest.URL(t)
	u, _ := url.Parse(direct)
	proxy := faultproxy.New(t, u.Host)
	u.Host = proxy.Addr
	store, err := db.Open(context.Background(), u.String(), db.Options{MaxOpen: maxOpen})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	app := handlers.New(handlers.Config{Store: store})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	return &proxied{direct: direct, proxy: proxy, url: srv.URL, slack: &bottest.Slack{T: t, BaseURL: srv.URL}}
}

// TestDatabaseOutage cuts the network between the bot and PostgreSQL under
// traffic: Slack still gets a 200 saying nothing was saved, /readyz fails,
// and service resumes by itself when the database is back, with every
// acknowledged write kept.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	p := newProxied(t, 4)
	proxy, slack := p.proxy, p.slack

	acked := 0
	for _, name := range []string{"Acme", "Globex"} {
		if r := slack.Command("T1", "U1", "/deal", "add "+name); strings.Contains(r.Text, "Added") {
			acked++
		}
	}

	proxy.Cut()
	for _, text := range []string{"add Initech", "list", "move acme demo"} {
		r := slack.Command("T1", "U1", "/deal", text) // fails the test unless 200
		if !strings.Contains(r.Text, "temporarily unavailable, nothing was saved") {
			t.Errorf("/deal %s during the outage: %q", text, r.Text)
		}
	}
	if resp, err := http.Get(p.url + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %v %v", resp.StatusCode, err)
	}
	// An event cannot be recorded: Slack is asked to deliver it again.
	uninstall := map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev0OUT", "event": map[string]any{"type": "app_uninstalled"}}
	if r := slack.Event(uninstall, 0); r.Status != http.StatusServiceUnavailable {
		t.Errorf("an event during the outage: status %d, want 503 so that Slack sends it again", r.Status)
	}

	proxy.Restore(t)
	if r := slack.Command("T1", "U1", "/deal", "add Umbrella"); strings.Contains(r.Text, "Added") {
		acked++
	} else {
		t.Errorf("after the outage: %q", r.Text)
	}
	if resp, err := http.Get(p.url + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz after the outage: %v %v", resp.StatusCode, err)
	}
	list := slack.Command("T1", "U1", "/deal", "list").AllText()
	for _, name := range []string{"Acme", "Globex", "Umbrella"} {
		if !strings.Contains(list, name) {
			t.Errorf("acknowledged deal %s lost:\n%s", name, list)
		}
	}
	if strings.Contains(list, "Initech") {
		t.Errorf("a deal refused during the outage was stored")
	}
	if acked != 3 {
		t.Errorf("acknowledged %d adds, want 3", acked)
	}
}

// TestDatabaseStall makes PostgreSQL hang rather than go away: the proxy
// accepts and holds every byte. Slack still gets its 200 saying nothing was
// saved within its 3 seconds, /readyz fails, and service resumes once the
// database answers again.
func TestDatabaseStall(t *testing.T) {
	t.Parallel()
	p := newProxied(t, 4)
	proxy, slack := p.proxy, p.slack
	if r := slack.Command("T1", "U1", "/deal", "add Acme"); !strings.Contains(r.Text, "Added") {
		t.Fatalf("before the stall: %q", r.Text)
	}

	proxy.Stall()
	// Two commands and the readiness probe at once: each waits out its
	// own deadline.
	var wg sync.WaitGroup
	for _, text := range []string{"add Initech", "list"} {
		wg.Go(func() {
			start := time.Now()
			r := slack.Command("T1", "U1", "/deal", text)
			if took := time.Since(start); took >= 3*time.Second {
				t.Errorf("/deal %s answered after %v: Slack gives up at 3 s", text, took.Round(time.Millisecond))
			}
			if !strings.Contains(r.Text, "temporarily unavailable, nothing was saved") {
				t.Errorf("/deal %s during the stall: %q", text, r.Text)
			}
		})
	}
	wg.Go(func() {
		resp, err := http.Get(p.url + "/readyz")
		if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz during the stall: %v %v", resp.StatusCode, err)
		}
	})
	wg.Wait()

	proxy.Flow()
	deadline := time.Now().Add(10 * time.Second)
	var r bottest.Reply
	for {
		if r = slack.Command("T1", "U1", "/deal", "add Umbrella"); strings.Contains(r.Text, "Added") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(r.Text, "Added") {
		t.Fatalf("after the stall: %q", r.Text)
	}
	list := slack.Command("T1", "U1", "/deal", "list").AllText()
	if !strings.Contains(list, "Acme") || !strings.Contains(list, "Umbrella") || strings.Contains(list, "Initech") {
		t.Errorf("after the stall, the list is:\n%s", list)
	}
}

// TestNoAcknowledgedWriteLost cuts the database under concurrent adds: every
// add Slack was told succeeded is in the database afterwards, and none it
// was told was not saved is. An add cut after its statement was sent may
// have been committed; it is answered as such ("may or may not have been
// saved") and may be either.
func TestNoAcknowledgedWriteLost(t *testing.T) {
	t.Parallel()
	p := newProxied(t, 8)
	proxy, slack, direct := p.proxy, p.slack, p.direct

	const clients = 8
	var (
		mu               sync.Mutex
		acked, refused   []string
		unexpected       []string
		unsure           int
		nAcked, nRefused int
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Deal %d-%d", c, i)
				form := bottest.Form("T1", fmt.Sprintf("U%d", c), "/deal", "add "+name)
				resp := slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), true)
				var r bottest.Reply
				json.Unmarshal(resp.Body, &r)
				mu.Lock()
				switch {
				// database/sql runs a statement again on another connection
				// when the first one died before its answer: the add may
				// find itself already done.
				case strings.Contains(r.Text, "Added #"), strings.Contains(r.Text, "You just added #"):
					acked, nAcked = append(acked, name), nAcked+1
				case resp.Status == http.StatusUnauthorized:
					// The same for the replay check: the request is refused
					// as a replay of itself, and nothing is done.
					refused = append(refused, name)
				case strings.Contains(r.Text, "nothing was saved"):
					refused, nRefused = append(refused, name), nRefused+1
				case strings.Contains(r.Text, "may or may not have been saved"):
					unsure++
				default:
					unexpected = append(unexpected, fmt.Sprintf("%s: %d %s", name, resp.Status, resp.Body))
				}
				mu.Unlock()
			}
		})
	}
	// waitFor waits until cond holds of the counts.
	waitFor := func(what string, cond func(acked, refused int) bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			ok := cond(nAcked, nRefused)
			mu.Unlock()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				close(stop)
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("adds before the cut", func(a, _ int) bool { return a >= 40 })
	proxy.Cut()
	waitFor("adds refused during the cut", func(_, r int) bool { return r >= clients })
	proxy.Restore(t)
	mu.Lock()
	before := nAcked
	mu.Unlock()
	waitFor("adds after the cut", func(a, _ int) bool { return a >= before+40 })
	close(stop)
	wg.Wait()

	for _, s := range unexpected {
		t.Errorf("neither added nor refused: %s", s)
	}
	check, err := db.Open(context.Background(), direct, db.Options{MaxOpen: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	stored := map[string]bool{}
	deals, _, err := check.ListDeals(context.Background(), "T1", coach.ListFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deals {
		stored[d.Name] = true
	}
	for _, name := range acked {
		if !stored[name] {
			t.Errorf("%s was acknowledged and is not in the database", name)
		}
	}
	for _, name := range refused {
		if stored[name] {
			t.Errorf("%s was refused (\"nothing was saved\") and is in the database", name)
		}
	}
	t.Logf("%d acknowledged, %d refused, %d unsure, %d stored", len(acked), len(refused), unsure, len(stored))
}

// gathered returns the value of the counter metric with labels.
func gathered(t *testing.T, m *observe.Metrics, metric string, labels map[string]string) float64 {
	t.Helper()
	return bottest.Counter(t, m, metric, labels)
}
