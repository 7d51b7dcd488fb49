package transport

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// logOnly is a Handler that only logs.
type logOnly struct {
	Handler
	log *slog.Logger
}

func (h logOnly) Log() *slog.Logger { return h.log }

// TestSocketModeRefreshLoggedAtDebug feeds the events a routine refresh
// brings — Slack's disconnect closes the connection under a waiting read,
// the library connects again — and wants no warning; a real read error still
// warns.
func TestSocketModeRefreshLoggedAtDebug(t *testing.T) {
	var buf bytes.Buffer
	s := &SocketMode{App: logOnly{log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}}
	closed := &net.OpError{Op: "read", Net: "tcp", Err: fmt.Errorf("use of closed network connection: %w", net.ErrClosed)}
	for _, evt := range []socketmode.Event{
		{Type: socketmode.EventTypeIncomingError, Data: &slack.IncomingEventError{ErrorObj: closed}},
		{Type: socketmode.EventTypeConnecting, Data: &slack.ConnectingEvent{Attempt: 1, ConnectionCount: 1}},
		{Type: socketmode.EventTypeConnected, Data: &socketmode.ConnectedEvent{ConnectionCount: 1}},
	} {
		s.handle(context.Background(), evt)
	}
	if strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), "refresh_requested") {
		t.Errorf("a routine refresh should log at debug only:\n%s", buf.String())
	}
	buf.Reset()
	s.handle(context.Background(), socketmode.Event{Type: socketmode.EventTypeIncomingError, Data: &slack.IncomingEventError{ErrorObj: fmt.Errorf("websocket: bad frame")}})
	if !strings.Contains(buf.String(), "level=WARN") {
		t.Errorf("a real read error should warn:\n%s", buf.String())
	}
}
