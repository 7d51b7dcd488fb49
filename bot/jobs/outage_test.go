package jobs_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/internal/faultproxy"
)

// TestSlackUnreachable cuts, then hangs, the network between the bot and
// Slack's Web API while a weekly digest is due: nothing is posted, the week
// is tried again later, and once Slack is back the digest is posted once.
// The metrics count the failed attempt, the calls that got no answer, and
// the post.
func TestSlackUnreachable(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	monday := coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}
	tests := []struct {
		name       string
		fail, heal func(p *faultproxy.Proxy)
	}{
		{"Refused", (*faultproxy.Proxy).Cut, func(p *faultproxy.Proxy) { p.Restore(t) }},
		{"Hung", (*faultproxy.Proxy).Stall, (*faultproxy.Proxy).Flow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newSchedFixture(t, due)
			api, _ := url.Parse(f.api.URL())
			proxy := faultproxy.New(t, api.Host)
			api.Host = proxy.Addr
			store, err := db.Open(context.Background(), f.url, db.Options{MaxOpen: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			metrics := observe.NewMetrics()
			env := jobs.Env{Now: f.clock.Now, Metrics: metrics,
				Slack: transport.StaticClients{Token: "xoxb-test", APIURL: api.String(), HTTP: metrics.Instrument(nil)},
				Retry: transport.Retry{Sleep: func(context.Context, time.Duration) error { return nil }}}
			p := &process{store: store, sched: jobs.NewScheduler(env, store, store, nil, jobs.SchedulerConfig{ID: "p1", CallTimeout: 300 * time.Millisecond})}
			f.subscribe(p, "C1", monday, due.Add(-time.Hour))

			tt.fail(proxy)
			f.tick(p)
			r := f.lastRun(p, "C1")
			if r.State != coach.RunFailed || r.RetryAt.IsZero() || len(f.api.Messages("C1")) != 0 {
				t.Fatalf("Slack unreachable: run %+v, %d messages; want failed, to try again", r, len(f.api.Messages("C1")))
			}
			tt.heal(proxy)
			f.clock.Set(r.RetryAt)
			f.tick(p)
			if n := len(f.api.Messages("C1")); n != 1 {
				t.Errorf("%d digests posted once Slack is back, want 1", n)
			}
			if r := f.lastRun(p, "C1"); r.State != coach.RunPosted {
				t.Errorf("run = %+v, want posted", r)
			}
			for _, c := range []struct {
				metric string
				labels map[string]string
				min    float64
			}{
				{"salescoach_digests_total", map[string]string{"outcome": "failed"}, 1},
				{"salescoach_digests_total", map[string]string{"outcome": "posted"}, 1},
				{"salescoach_slack_api_calls_total", map[string]string{"method": "conversations.info", "outcome": "error"}, 1},
				{"salescoach_slack_api_calls_total", map[string]string{"method": "chat.postMessage", "outcome": "ok"}, 1},
			} {
				if got := bottest.Counter(t, metrics, c.metric, c.labels); got < c.min {
					t.Errorf("%s%v = %v, want at least %v", c.metric, c.labels, got, c.min)
				}
			}
		})
	}
}
