package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"salescoach/bot"
	"salescoach/bot/bottest"
	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/internal/faultproxy"
)

// TestDatabaseOutage cuts the network between the bot and PostgreSQL under
// traffic: Slack still gets a 200 saying nothing was saved, /readyz fails,
// and service resumes by itself when the database is back, with every
// acknowledged write kept.
func TestDatabaseOutage(t *testing.T) {
	direct := dbtest.URL(t)
	u, _ := url.Parse(direct)
	proxy := faultproxy.New(t, u.Host)
	u.Host = proxy.Addr
	store, err := db.Open(context.Background(), u.String(), db.Options{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	app := bot.New(bot.Config{Store: store})
	srv := httptest.NewServer((&bot.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	defer srv.Close()
	slack := &bottest.Slack{T: t, BaseURL: srv.URL}

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
	if resp, err := http.Get(srv.URL + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %v %v", resp.StatusCode, err)
	}

	proxy.Restore(t)
	if r := slack.Command("T1", "U1", "/deal", "add Umbrella"); strings.Contains(r.Text, "Added") {
		acked++
	} else {
		t.Errorf("after the outage: %q", r.Text)
	}
	if resp, err := http.Get(srv.URL + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
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
