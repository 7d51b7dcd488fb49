package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/coach"
)

// Limits on requests not yet verified (docs/OPERATIONS.md lists them).
// Slack's payloads are small: the largest the bot gets is a click on a full
// message or App Home, which carries the whole view back — at Block Kit's
// limits with long CJK text, JSON-escaped and form-encoded, about 100 KB (the
// bot's own largest, its Home tab, is under 10 KB). MaxBody leaves more than
// twice that.
const (
	// MaxBody caps what the bot reads of a request before its signature is
	// checked; a larger one is refused with 413, unread when it says its
	// length.
	MaxBody = 256 << 10
	// MaxUnverified caps the requests being read and verified at once; one
	// more is answered 503 at once, its body unread. With MaxBody, at most
	// 16 MiB is held for requests nobody has vouched for.
	MaxUnverified = 64
	// BodyTimeout is how long a request's body may take to arrive once its
	// headers are in: Slack sends a few kilobytes at once, so a sender this
	// slow is answered 408 and gives its slot back.
	BodyTimeout = 3 * time.Second
	// clientWait is how long a request waits for one of its client's slots
	// (a quarter of MaxUnverified each) before it is answered 503: one
	// address trickling bodies cannot take every slot from Slack's.
	clientWait = 100 * time.Millisecond
)

// Timeouts of the HTTP server (NewHTTPServer): a slow sender holds a slot of
// MaxUnverified for at most BodyTimeout once its headers are in.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 10 * time.Second
	WriteTimeout      = 15 * time.Second
	IdleTimeout       = 90 * time.Second
)

// NewHTTPServer returns an http.Server for h with the bot's timeouts.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout,
		WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: 64 << 10}
}

// Server serves the bot over HTTP.
type Server struct {
	App           Handler // the use cases: handlers.App
	SigningSecret string  // "": Slack's POSTs are refused (Socket Mode only)
	// Timeout bounds the work on a request from Slack, inside its 3
	// seconds: 2.3 s when 0.
	Timeout time.Duration
	Install *Install // the OAuth install routes; nil when not configured
	// MaxUnverified overrides the package's MaxUnverified when not 0.
	MaxUnverified int
	// BodyTimeout overrides the package's BodyTimeout when not 0.
	BodyTimeout time.Duration

	gate    chan struct{} // a slot per request being read and verified
	clients *clientSlots  // the slots each client address holds
}

// Handler returns every HTTP route of the bot.
func (s *Server) Handler() http.Handler {
	n := s.MaxUnverified
	if n <= 0 {
		n = MaxUnverified
	}
	s.gate = make(chan struct{}, n)
	s.clients = &clientSlots{max: max(1, n/4), held: map[string]*clientSlot{}}
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
		body, ok := s.readSigned(w, r)
		if !ok {
			return
		}
		if r.URL.Path == "/slack/events" {
			// Events are not checked for replays by signature: Slack
			// delivers an event again with the same body (the same
			// signature within a second), and the event handler takes each
			// event_id once, which makes a replay harmless too.
			r.Body = io.NopCloser(bytes.NewReader(body))
			next(w, r, nil)
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

// readSigned reads the body of a request and checks its signature, holding
// one of the MaxUnverified slots meanwhile; it answers the request itself
// and returns false when the bot is busy, the body is too large or the
// signature does not hold.
func (s *Server) readSigned(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	busy := func() ([]byte, bool) {
		s.App.Metrics().Failed(observe.KindBusy)
		w.Header().Set("Connection", "close") // the body is not read
		http.Error(w, "busy: too many requests being verified", http.StatusServiceUnavailable)
		return nil, false
	}
	release, ok := s.clients.acquire(r.Context(), clientAddr(r), clientWait)
	if !ok {
		return busy()
	}
	defer release()
	select {
	case s.gate <- struct{}{}:
		defer func() { <-s.gate }()
	default:
		return busy()
	}
	timeout := s.BodyTimeout
	if timeout <= 0 {
		timeout = BodyTimeout
	}
	// Not every ResponseWriter can (a test's recorder): then the server's
	// ReadTimeout alone bounds the body.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(timeout))
	tooLarge := func() ([]byte, bool) {
		s.App.Metrics().Failed(observe.KindTooLarge)
		s.App.Log().WarnContext(r.Context(), "request too large", "path", r.URL.Path, "limit_bytes", MaxBody)
		w.Header().Set("Connection", "close")
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	var body []byte
	var err error
	switch n := r.ContentLength; {
	case n > MaxBody:
		return tooLarge()
	case n >= 0:
		// The length is known: read exactly that (net/http stops there).
		body = make([]byte, n)
		_, err = io.ReadFull(r.Body, body)
	default:
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooLarge()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			s.App.Metrics().Failed(observe.KindRefused)
			s.App.Log().WarnContext(r.Context(), "request body too slow", "path", r.URL.Path, "after", timeout.String())
			w.Header().Set("Connection", "close")
			http.Error(w, "request body too slow", http.StatusRequestTimeout)
			return nil, false
		}
		http.Error(w, "cannot read request", http.StatusBadRequest)
		return nil, false
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
		return nil, false
	}
	return body, true
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
		if check == nil { // an event: taken once by its event_id
			return answer{out: s.App.Dispatch(ctx, in)}
		}
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
		// The replay check could not be made (the database is down): the
		// request is not handled, and gets the unavailable answer in its
		// route's shape — a click a post to its response_url, a modal
		// response_action errors, a command the usual line.
		observe.Label(ctx, "unavailable")
		s.App.Metrics().Failed(observe.ErrorKind(a.err))
		s.App.Log().WarnContext(ctx, "replay check failed: answered as unavailable", "err", a.err)
		a.out = s.App.Unavailable(ctx, in)
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

// clientAddr is the address a request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientSlots caps the requests one client address has being read and
// verified at once.
type clientSlots struct {
	max  int
	mu   sync.Mutex
	held map[string]*clientSlot // by address, while any request of it waits or holds a slot
}

type clientSlot struct {
	sem   chan struct{}
	users int // requests holding or waiting for one of sem's slots
}

// acquire takes one of addr's slots, waiting up to wait for one, and
// returns the function that gives it back; ok is false when none came free.
func (c *clientSlots) acquire(ctx context.Context, addr string, wait time.Duration) (release func(), ok bool) {
	c.mu.Lock()
	cs := c.held[addr]
	if cs == nil {
		cs = &clientSlot{sem: make(chan struct{}, c.max)}
		c.held[addr] = cs
	}
	cs.users++
	c.mu.Unlock()
	leave := func() {
		c.mu.Lock()
		if cs.users--; cs.users == 0 {
			delete(c.held, addr)
		}
		c.mu.Unlock()
	}
	release = func() { <-cs.sem; leave() }
	select {
	case cs.sem <- struct{}{}:
		return release, true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case cs.sem <- struct{}{}:
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	leave()
	return nil, false
}
