package main

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/db/dbtest"
)

// TestSocketModeEndToEnd runs `salescoach serve` with SLACK_APP_TOKEN against
// a fake Slack (slacktest serves apps.connections.open and the websocket) and
// sends it a slash command over the socket.
func TestSocketModeEndToEnd(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	api := bottest.NewAPI(t, nil)
	_, cmd, logs := startServe(t, bin, "DATABASE_URL="+dbtest.URL(t),
		"SLACK_APP_TOKEN=xapp-1-test", "SLACK_BOT_TOKEN=xoxb-test", "SLACK_API_URL="+api.URL())

	b, _ := json.Marshal(map[string]any{"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"team_id": "T1", "user_id": "U1", "channel_id": "C1", "command": "/deal",
			"text": "add Acme Corp $12,000", "response_url": api.ResponseURL("cmd"), "trigger_id": bottest.TriggerID()}})
	api.SendToWebsocket(string(b))
	deadline := time.After(20 * time.Second)
	for ack := map[string]any{}; ack["envelope_id"] != "env-1"; {
		select {
		case m := <-api.SeenFeed:
			ack = map[string]any{}
			json.Unmarshal([]byte(m), &ack)
			if ack["envelope_id"] == "env-1" {
				text := bottest.Call{JSON: ack["payload"].(map[string]any)}.Text()
				if !strings.Contains(text, "Added #1 Acme Corp") {
					t.Errorf("acknowledged with %q", text)
				}
			}
		case <-deadline:
			t.Fatalf("no acknowledgement over the socket after 20 s:\n%s", logs)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve exited with %v:\n%s", err, logs)
	}
	if !strings.Contains(logs.String(), "socket mode connected") {
		t.Errorf("logs do not say socket mode connected:\n%s", logs)
	}
	if strings.Contains(logs.String(), "xoxb-test") || strings.Contains(logs.String(), "xapp-1-test") {
		t.Errorf("a token was logged:\n%s", logs)
	}
}
