package handlers_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
)

// scrape returns the value of the sample of metric whose labels include
// every one of labels ("name=value"), and whether there is one.
func scrape(t *testing.T, base, metric string, labels ...string) (float64, bool) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, metric+"{") && !strings.HasPrefix(line, metric+" ") {
			continue
		}
		all := true
		for _, l := range labels {
			name, value, _ := strings.Cut(l, "=")
			all = all && strings.Contains(line, fmt.Sprintf("%s=%q", name, value))
		}
		if all {
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return v, true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	store := bottest.NewMemStore()
	team := "T1"
	api := bottest.NewAPI(t, nil)
	metrics := observe.NewMetrics()
	app := handlers.New(handlers.Config{Store: store, Metrics: metrics,
		Slack: transport.StaticClients{Token: "xoxb-test", APIURL: api.URL(), HTTP: metrics.Instrument(nil)}})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	defer srv.Close()
	slack := &bottest.Slack{T: t, BaseURL: srv.URL}

	slack.Command(team, "U1", "/deal", "add Acme 12k")
	slack.Command(team, "U1", "/deal", "new Globex") // an alias counts as its command
	slack.Command(team, "U1", "/deal", "list")
	slack.Command(team, "U1", "/deal", "move acme nowhere") // a bad stage: invalid
	slack.Command(team, "U1", "/coach", "stats")
	forged := slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(bottest.Form(team, "U1", "/deal", "list").Encode()), false)
	big := slack.Post("/slack/events", "application/json", bytes.Repeat([]byte(" "), 1<<20+1), true)
	if forged.Status != http.StatusUnauthorized || big.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("forged: %d, oversized: %d", forged.Status, big.Status)
	}
	// The caller's Slack profile is fetched once, in the background.
	api.Wait("users.info", 1)
	app.Close()

	tests := []struct {
		metric string
		labels []string
		want   float64
	}{
		{"salescoach_requests_total", []string{"route=/slack/commands", "command=/deal add", "code=200"}, 2},
		{"salescoach_requests_total", []string{"route=/slack/commands", "command=/deal list", "code=200"}, 1},
		{"salescoach_requests_total", []string{"route=/slack/commands", "command=/deal move", "code=200"}, 1},
		{"salescoach_requests_total", []string{"route=/slack/commands", "command=/coach stats", "code=200"}, 1},
		{"salescoach_requests_total", []string{"route=/slack/commands", "command=", "code=401"}, 1},
		{"salescoach_requests_total", []string{"route=/slack/events", "code=413"}, 1},
		{"salescoach_request_duration_seconds_count", []string{"route=/slack/commands", "command=/deal add"}, 2},
		{"salescoach_errors_total", []string{"kind=invalid"}, 1},
		{"salescoach_errors_total", []string{"kind=refused"}, 1},
		{"salescoach_errors_total", []string{"kind=too_large"}, 1},
		{"salescoach_errors_total", []string{"kind=unavailable"}, 0},
		{"salescoach_digests_total", []string{"outcome=posted"}, 0},
		{"salescoach_slack_api_calls_total", []string{"method=users.info"}, 1},
	}
	for _, tt := range tests {
		got, ok := scrape(t, srv.URL, tt.metric, tt.labels...)
		if !ok || got != tt.want {
			t.Errorf("%s%v = %v (found %v), want %v", tt.metric, tt.labels, got, ok, tt.want)
		}
	}
	// What a user typed never becomes a label.
	resp, _ := http.Get(srv.URL + "/metrics")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, typed := range []string{"Acme", "Globex", "nowhere"} {
		if bytes.Contains(body, []byte(typed)) {
			t.Errorf("/metrics shows %q, which a user typed", typed)
		}
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	store := bottest.NewMemStore()
	team := "T1"
	var logs bottest.LogBuffer
	app := handlers.New(handlers.Config{Store: store, Log: slog.New(observe.LogHandler(slog.NewJSONHandler(&logs, nil)))})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	defer srv.Close()

	t.Run("FromTheLoadBalancer", func(t *testing.T) {
		body := []byte(bottest.Form(team, "U1", "/deal", "list").Encode())
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/commands", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Request-Id", "lb-7f3a9c")
		// Forged: the refusal is logged, and the log line carries the id.
		transport.Sign(req.Header, "not-the-secret", body, time.Now())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); got != "lb-7f3a9c" {
			t.Errorf("X-Request-Id = %q, want the load balancer's", got)
		}
		if !strings.Contains(logs.String(), `"request_id":"lb-7f3a9c"`) {
			t.Errorf("the refusal's log line lacks the request id:\n%s", logs.String())
		}
	})
	t.Run("Generated", func(t *testing.T) {
		seen := map[string]bool{}
		for range 3 {
			resp, err := http.Get(srv.URL + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			id := resp.Header.Get("X-Request-Id")
			if id == "" || seen[id] {
				t.Errorf("request id %q: want a new one per request", id)
			}
			seen[id] = true
		}
	})
}

func TestSlackCallLabels(t *testing.T) {
	t.Parallel()
	metrics := observe.NewMetrics()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "chat.postMessage") {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	hc := metrics.Instrument(nil)
	tests := []struct{ path, method, outcome string }{
		{"/api/chat.postMessage", "chat.postMessage", "rate_limited"},
		{"/api/oauth.v2.access", "oauth.v2.access", "ok"},
		{"/commands/T1/1234/abcDEF", "response_url", "ok"},
		{"/actions/T1/1234/abcDEF", "response_url", "ok"},
		{"/upload/v1/CwABAAAAXAoAAZ", "other", "ok"},
		{"/api/" + strings.Repeat("a.b", 40), "other", "ok"},
	}
	for _, tt := range tests {
		resp, err := hc.Post(srv.URL+tt.path, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, tt := range tests {
		if got := gathered(t, metrics, "salescoach_slack_api_calls_total", map[string]string{"method": tt.method, "outcome": tt.outcome}); got < 1 {
			t.Errorf("%s: no call counted as %s/%s", tt.path, tt.method, tt.outcome)
		}
	}
}
