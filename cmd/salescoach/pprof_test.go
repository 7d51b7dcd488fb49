package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
)

// The profiler listens only on a loopback address; anything else is refused
// with the accepted form.
func TestPprofOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "10.1.2.3:6060", "example.com:6060", "6060"} {
		err := startPprof(addr, log)
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%q: got %v, want a refusal naming loopback", addr, err)
		}
	}
	if err := startPprof("127.0.0.1:0", log); err != nil {
		t.Errorf("127.0.0.1:0: %v", err)
	}
}
