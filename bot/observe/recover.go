package observe

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
)

// KindPanic counts work that panicked and was recovered.
const KindPanic = "panic"

// Recovered, deferred at the top of a goroutine that runs user work, stops a
// panic there from taking the process down: it is logged at the error level
// with its stack and the request id ctx carries, and counted in
// salescoach_errors_total{kind="panic"}. It reports whether it recovered
// one, so the caller's own deferred function can answer for the work.
//
//	defer observe.Recovered(ctx, m, log, "scheduler")
func Recovered(ctx context.Context, m *Metrics, log *slog.Logger, where string) bool {
	v := recover()
	if v == nil {
		return false
	}
	report(ctx, m, log, where, v)
	return true
}

// Report logs and counts a panic value v recovered by the caller.
func Report(ctx context.Context, m *Metrics, log *slog.Logger, where string, v any) {
	report(ctx, m, log, where, v)
}

func report(ctx context.Context, m *Metrics, log *slog.Logger, where string, v any) {
	if m != nil {
		m.Failed(KindPanic)
	}
	if log != nil {
		log.ErrorContext(ctx, "panic recovered: nothing was saved by this work", "where", where,
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	}
}
