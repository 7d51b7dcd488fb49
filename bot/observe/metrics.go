package observe

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"salescoach/coach"
)

// Metrics is what the bot counts, in a Prometheus registry of its own (never
// the global default one). Every label takes its values from a fixed set —
// routes, rows of the command table, error codes, Slack method names — never
// from what a user typed.
type Metrics struct {
	// Registry holds the bot's metrics; serve adds the database pool's and
	// the Go runtime's, and /metrics serves it.
	Registry *prometheus.Registry

	requests *prometheus.CounterVec   // route, command, code
	latency  *prometheus.HistogramVec // route, command
	errors   *prometheus.CounterVec   // kind
	digests  *prometheus.CounterVec   // outcome
	nudges   *prometheus.CounterVec   // outcome
	advice   *prometheus.CounterVec   // rule
	calls    *prometheus.CounterVec   // method, outcome
	callTime *prometheus.HistogramVec // method
}

// Error kinds beyond the coach error codes: requests refused before they
// reach a handler.
const (
	KindRefused  = "refused"   // bad or missing signature, stale timestamp
	KindReplayed = "replayed"  // a signature seen before
	KindTooLarge = "too_large" // over the body cap (transport.MaxBody)
	KindTimeout  = "timeout"   // no answer within Slack's 3 seconds: the database hangs
	KindBusy     = "busy"      // over the cap on requests being verified at once: answered 503 unread
)

// ErrorKind is the kind an error is counted under: its coach error code, so
// that a database that cannot be reached, or a lock not granted in time,
// counts as unavailable.
func ErrorKind(err error) string { return coach.ErrorCode(err) }

// NewMetrics returns the bot's metrics in a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salescoach_requests_total",
			Help: "Requests answered, by route (or socket_mode), command (a row of the command table, an interaction or an event type) and HTTP status.",
		}, []string{"route", "command", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "salescoach_request_duration_seconds",
			Help:    "Time to answer a request, by route and command.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "command"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salescoach_errors_total",
			Help: "Failed requests by kind: the coach error codes, and refused, replayed, too_large, busy and timeout for requests stopped before a handler answered.",
		}, []string{"kind"}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salescoach_digests_total",
			Help: "Weekly digest attempts recorded, by outcome: posted, failed or ambiguous.",
		}, []string{"outcome"}),
		nudges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salescoach_nudges_total",
			Help: "Stale-deal nudges, by outcome: sent or failed.",
		}, []string{"outcome"}),
		advice: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salescoach_advice_total",
			Help: "Advice given about one deal in a reply, by the coaching rule that fired (its id; reps see its label).",
		}, []string{"rule"}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salescoach_slack_api_calls_total",
			Help: "Calls to Slack: by Web API method, response_url or other (file uploads), and outcome: ok, rate_limited (429), server_error (5xx), client_error (other 4xx) or error (no answer).",
		}, []string{"method", "outcome"}),
		callTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "salescoach_slack_api_call_duration_seconds",
			Help:    "Time of a call to Slack's Web API, by method.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"method"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.errors, m.digests, m.nudges, m.advice, m.calls, m.callTime)
	// Every kind shows from the start, at 0, so a rate over it is defined.
	for _, k := range []string{coach.EInvalid, coach.ENotFound, coach.EAmbiguous, coach.EForbidden, coach.EConflict,
		coach.EUnavailable, coach.EInternal, KindRefused, KindReplayed, KindTooLarge, KindTimeout, KindBusy} {
		m.errors.WithLabelValues(k)
	}
	for _, o := range []string{coach.RunPosted, coach.RunFailed, coach.RunAmbiguous} {
		m.digests.WithLabelValues(o)
	}
	for _, o := range []string{"sent", "failed"} {
		m.nudges.WithLabelValues(o)
	}
	for _, r := range coach.Rules() {
		m.advice.WithLabelValues(string(r))
	}
	return m
}

// Advised counts a piece of advice given in a reply, by its rule.
func (m *Metrics) Advised(rule coach.Rule) { m.advice.WithLabelValues(string(rule)).Inc() }

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Failed counts a failed request of kind: a coach error code or one of the
// kinds above.
func (m *Metrics) Failed(kind string) { m.errors.WithLabelValues(kind).Inc() }

// Digest counts a weekly digest attempt recorded with outcome.
func (m *Metrics) Digest(outcome string) { m.digests.WithLabelValues(outcome).Inc() }

// Nudge counts a nudge sent, or one that failed.
func (m *Metrics) Nudge(sent bool) {
	if sent {
		m.nudges.WithLabelValues("sent").Inc()
	} else {
		m.nudges.WithLabelValues("failed").Inc()
	}
}

// observe records one request: its route, the command it turned out to be
// (set by Dispatch in the request's context), its status and how long it took.
func (m *Metrics) observe(route string, info *requestInfo, code int, took time.Duration) {
	cmd := info.commandLabel()
	m.requests.WithLabelValues(route, cmd, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route, cmd).Observe(took.Seconds())
}

// Instrument returns a copy of c (a client with a 30 s time-out when nil)
// whose calls are counted by Slack method, for the clients of slack-go and
// the posts to response_url. It is the one place Slack calls and rate limits
// are counted.
func (m *Metrics) Instrument(c *http.Client) *http.Client {
	out := &http.Client{Timeout: 30 * time.Second}
	if c != nil {
		cp := *c
		out = &cp
	}
	next := out.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	out.Transport = slackTransport{m: m, next: next}
	return out
}

type slackTransport struct {
	m    *Metrics
	next http.RoundTripper
}

// slackMethod matches the names of Slack's Web API methods (chat.postMessage,
// oauth.v2.access).
var slackMethod = regexp.MustCompile(`^[a-z]+(\.[a-zA-Z0-9]+){1,3}$`)

// callLabel names a call for metrics: its Web API method, "response_url" for
// a post to one (hooks.slack.com/commands/…, /actions/…), "other" for the
// rest (a file's upload URL).
func callLabel(u *url.URL) string {
	method := u.Path[strings.LastIndexByte(u.Path, '/')+1:]
	switch {
	case len(method) <= 48 && slackMethod.MatchString(method):
		return method
	case strings.HasPrefix(u.Host, "hooks.") || strings.HasPrefix(u.Path, "/commands/") || strings.HasPrefix(u.Path, "/actions/"):
		return "response_url"
	}
	return "other"
}

func (t slackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := callLabel(req.URL)
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	t.m.callTime.WithLabelValues(method).Observe(time.Since(start).Seconds())
	outcome := "error"
	switch {
	case err != nil:
	case resp.StatusCode == http.StatusTooManyRequests:
		outcome = "rate_limited"
	case resp.StatusCode >= 500:
		outcome = "server_error"
	case resp.StatusCode >= 400:
		outcome = "client_error"
	default:
		outcome = "ok"
	}
	t.m.calls.WithLabelValues(method, outcome).Inc()
	return resp, err
}
