package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/coach"
)

// maxBody caps what the bot reads of a request from Slack.
const maxBody = 1 << 20

// Server serves the bot over HTTP.
type Server struct {
	App           Handler // the use cases: handlers.App
	SigningSecret string  // "": Slack's POSTs are refused (Socket Mode only)
	// Timeout bounds the work on a request from Slack, inside its 3
	// seconds: 2.3 s when 0.
	Timeout time.Duration
	Install *Install // the OAuth install routes; nil when not configured
}

// Handler returns every HTTP route of the bot.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	// Every route is observed: a request id, and its count and latency.
	handle := func(pattern string, h http.Handler) {
		_, route, _ := strings.Cut(pattern, " ")
		mux.Handle(pattern, s.observed(route, h))
	}
	handle("POST /slack/commands", s.verified(s.slashCommand))
	handle("POST /slack/interactions", s.verified(s.interactions))
	handle("POST /slack/events", s.verified(s.events))
	if s.Install != nil {
		handle("GET /slack/install", http.HandlerFunc(s.Install.Start))
		handle("GET /slack/oauth/callback", http.HandlerFunc(s.Install.Callback))
	}
	handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	}))
	handle("GET /readyz", http.HandlerFunc(s.ready))
	mux.Handle("GET /metrics", s.App.Metrics().Handler())
	return mux
}

// observed gives a request its id — the load balancer's X-Request-Id, or a
// new one — in its context (every log line of the request carries it) and
// in the response, and counts it once answered.
func (s *Server) observed(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := observe.RequestIDOf(r.Header)
		w.Header().Set(observe.RequestIDHeader, id)
		ctx, done := observe.Begin(r.Context(), s.App.Metrics(), s.App.Log(), route, id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))
		done(sw.status())
	})
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	// A hung database never answers the ping: answer for it.
	err, ok := answerBy(ctx, func() error { return s.App.Ping(ctx) })
	if !ok || err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ready\n")
}

// replayCheck records a request's signature and reports whether it is seen
// for the first time, with what the store knows of the user it names.
type replayCheck func(ctx context.Context) (first bool, m *coach.Member, err error)

// verified checks that a request comes from Slack before anything else looks
// at it: the signature over the raw body and a timestamp within 5 minutes;
// any failure is a 401 with no side effect. The body is restored for next,
// with the slash command's form parsed once for both; next hands check, the
// check that the signature was never accepted before (a replay), to
// dispatch, which runs it before anything else is done.
func (s *Server) verified(next func(w http.ResponseWriter, r *http.Request, check replayCheck)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Slack's 3 seconds run from here: the replay check and the
		// handler share one deadline.
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout())
		defer cancel()
		r = r.WithContext(ctx)
		if s.SigningSecret == "" {
			// Anyone could sign with an empty secret.
			http.Error(w, "requests over HTTP are off: SLACK_SIGNING_SECRET is not set", http.StatusNotFound)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.App.Metrics().Failed(observe.KindTooLarge)
				s.App.Log().WarnContext(r.Context(), "request too large", "path", r.URL.Path, "limit_bytes", maxBody)
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read request", http.StatusBadRequest)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, s.SigningSecret)
		if err == nil {
			sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			s.App.Log().WarnContext(r.Context(), "request refused", "path", r.URL.Path, "reason", err.Error())
			s.App.Metrics().Failed(observe.KindRefused)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		// A slash command names its user in the form: the replay check reads
		// what the store knows of them in the same round trip. The form is
		// parsed here once, for the command's handler too.
		var team, user string
		if r.URL.Path == "/slack/commands" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if form, err := url.ParseQuery(string(body)); err == nil {
				team, user = form.Get("team_id"), form.Get("user_id")
				r.PostForm = form
				if r.URL.RawQuery == "" {
					r.Form = form
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		signature := r.Header.Get("X-Slack-Signature")
		next(w, r, func(ctx context.Context) (bool, *coach.Member, error) {
			return s.App.Sighting(ctx, signature, team, user)
		})
	})
}

func (s *Server) slashCommand(w http.ResponseWriter, r *http.Request, check replayCheck) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	sc, _ := slack.SlashCommandParse(r)
	if sc.Command == "" || sc.TeamID == "" || sc.UserID == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	s.dispatch(w, r, Inbound{Command: &sc}, check)
}

func (s *Server) interactions(w http.ResponseWriter, r *http.Request, check replayCheck) {
	cb, err := slack.InteractionCallbackParse(r)
	if err != nil {
		http.Error(w, "not an interaction", http.StatusBadRequest)
		return
	}
	s.dispatch(w, r, Inbound{Interaction: &cb}, check)
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, check replayCheck) {
	body, err := io.ReadAll(r.Body) // capped and verified by s.verified
	if err != nil || !json.Valid(body) {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	s.dispatch(w, r, Inbound{Event: body}, check)
}

// dispatch runs the replay check, then answers a verified request through
// the App, both inside Slack's 3 seconds (the deadline verified set) and on
// one goroutine; then it starts the work that follows the answer. A replay
// is a 401 and nothing else is done.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, in Inbound, check replayCheck) {
	ctx := r.Context()
	type answer struct {
		out      Outcome
		replayed bool
		err      error // of the replay check
	}
	a, ok := answerBy(ctx, func() answer {
		first, m, err := check(ctx)
		switch {
		case err != nil:
			return answer{err: err}
		case !first:
			return answer{replayed: true}
		}
		in := in // in is read again below when this is too late
		if in.Command != nil {
			in.Member = m
		}
		return answer{out: s.App.Dispatch(ctx, in)}
	})
	switch {
	case !ok:
		tooSlow(ctx, s.App)
		a.out = s.App.Unavailable(ctx, in)
	case a.err != nil:
		s.App.Log().WarnContext(ctx, "replay check failed", "err", a.err)
		if in.Event != nil {
			// Nobody reads an event's answer; a 503 makes Slack deliver
			// it again, rather than lose an uninstall.
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, render.Fail(render.Bilingual(a.err)).Message())
		return
	case a.replayed:
		s.App.Log().WarnContext(ctx, "replayed request refused", "path", r.URL.Path)
		s.App.Metrics().Failed(observe.KindReplayed)
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return
	}
	out := a.out
	if later := out.Later; later != nil {
		// The work after the answer logs under the request's id too.
		out.Later = func(bg context.Context) { later(observe.Carry(bg, ctx)) }
	}
	// The work that follows the answer is counted before the answer goes
	// (so Drain cannot miss it) and starts once Slack has the answer.
	if later := out.Later; later != nil {
		answered := make(chan struct{})
		defer close(answered)
		s.App.Go(func(ctx context.Context) {
			<-answered
			later(ctx)
		})
	}
	if out.Body != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	raw, encoded := out.Body.(json.RawMessage) // encoded already (Reply.Wire)
	if encoded {
		// With its length known the answer leaves in one write.
		w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	}
	if out.Status != 0 {
		w.WriteHeader(out.Status)
	}
	switch {
	case out.Body == nil:
	case encoded:
		w.Write(raw)
	default:
		json.NewEncoder(w).Encode(out.Body)
	}
	if out.Later != nil {
		// Slack has the answer before the work that follows it starts.
		http.NewResponseController(w).Flush()
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}
