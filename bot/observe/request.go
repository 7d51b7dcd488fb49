package observe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Begin starts a request on route: an id in ctx that every log line of the
// request carries, and a function that, once it is answered, records its
// metrics and logs it at the debug level.
func Begin(ctx context.Context, m *Metrics, log *slog.Logger, route, id string) (context.Context, func(code int)) {
	info := &requestInfo{id: id}
	start := time.Now()
	ctx = withInfo(ctx, info)
	return ctx, func(code int) {
		took := time.Since(start)
		m.observe(route, info, code, took)
		log.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("route", route),
			slog.String("command", info.commandLabel()), slog.Int("status", code), slog.Duration("took", took))
	}
}

// RequestIDHeader carries a request's id: taken from the load balancer when
// it sets one, returned to the caller either way.
const RequestIDHeader = "X-Request-Id"

// requestInfo is what the logs and the metrics know of the request a context
// belongs to.
type requestInfo struct {
	id string

	mu      sync.Mutex
	command string // set once Dispatch knows what the request asks for
	started bool   // the caller was read: what follows may write
}

// Started notes in ctx's request that its caller was read from the store:
// from here on, the request's statements may write.
func Started(ctx context.Context) {
	if i := infoFrom(ctx); i != nil {
		i.mu.Lock()
		i.started = true
		i.mu.Unlock()
	}
}

// MayHaveWritten reports whether ctx's request got as far as statements
// that may write.
func MayHaveWritten(ctx context.Context) bool {
	i := infoFrom(ctx)
	if i == nil {
		return false
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.started
}

func (i *requestInfo) setCommand(c string) {
	i.mu.Lock()
	i.command = c
	i.mu.Unlock()
}

func (i *requestInfo) commandLabel() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.command
}

type infoKey struct{}

func withInfo(ctx context.Context, info *requestInfo) context.Context {
	if info == nil {
		return ctx
	}
	return context.WithValue(ctx, infoKey{}, info)
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// Label records in ctx's request what it asks for (a row of the command
// table, an interaction, an event type), for its metrics and its last log
// line.
func Label(ctx context.Context, label string) {
	if info := infoFrom(ctx); info != nil {
		info.setCommand(label)
	}
}

// Carry returns dst with the request of src, so that work started for a
// request (after its answer) logs under its id.
func Carry(dst, src context.Context) context.Context {
	return withInfo(dst, infoFrom(src))
}

// RequestID returns the id of the request ctx belongs to, "" outside one.
func RequestID(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// RequestIDOf returns the id a load balancer gave the request when it is a
// reasonable one (it goes into every log line), or a new one.
func RequestIDOf(h http.Header) string {
	if id := h.Get(RequestIDHeader); id != "" && len(id) <= 64 && printable(id) {
		return id
	}
	return newRequestID()
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func printable(s string) bool {
	for _, c := range []byte(s) {
		if c < '!' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// LogHandler wraps h so that every record logged with a request's context
// carries the request's id ("request_id"): the handlers' existing
// log.WarnContext(ctx, …) calls pick it up.
func LogHandler(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
