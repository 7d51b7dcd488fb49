package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// TestRotatedSecretKey starts serve with a SALESCOACH_SECRET_KEY other than
// the one two of three workspaces' tokens were sealed with: one log line at
// start-up names the two and says what to do, and their users are told the
// app needs reinstalling, while the third workspace works as before.
func TestRotatedSecretKey(t *testing.T) {
	t.Parallel()
	oldKey, newKey := []byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")
	dbURL := dbtest.URL(t)
	store, err := db.Open(context.Background(), dbURL, db.Options{MaxOpen: 2})
	if err != nil {
		t.Fatal(err)
	}
	for team, key := range map[string][]byte{"TOLD1": oldKey, "TOLD2": oldKey, "TNEW": newKey} {
		sealer, _ := transport.NewSealer(key)
		sealed, _ := sealer.Seal("xoxb-"+team, team)
		if err := store.SaveInstallation(context.Background(), coach.Installation{TeamID: team, TeamName: team, AppID: "A1",
			BotUserID: "UBOT", BotToken: sealed, Scopes: "commands", InstalledBy: "UADMIN", InstalledAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":false,"error":"user_not_found"}`)
	}))
	defer api.Close()
	addr := freePort(t)
	env := map[string]string{
		"DATABASE_URL": dbURL, "LISTEN_ADDR": addr, "SLACK_SIGNING_SECRET": bottest.Secret,
		"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "client-secret", "SALESCOACH_SECRET_KEY": base64.StdEncoding.EncodeToString(newKey),
		"SALESCOACH_PUBLIC_URL": "http://" + addr, "SLACK_API_URL": api.URL + "/",
	}
	base := "http://" + addr
	out, stop := serveInProcess(t, env)
	slack := &bottest.Slack{T: t, BaseURL: base}
	told := slack.Command("TOLD1", "U1", "/deal", "add Acme 12k").AllText()
	fine := slack.Command("TNEW", "U1", "/deal", "add Acme 12k").AllText()
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}

	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "SALESCOACH_SECRET_KEY") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], `"workspaces":2`) || !strings.Contains(lines[0], "reinstall needed") ||
		!strings.Contains(lines[0], "restore the old key") || !strings.Contains(lines[0], `["TOLD1","TOLD2"]`) {
		t.Errorf("want one line naming the 2 workspaces and what to do, got %q", lines)
	}
	if !strings.Contains(told, "Added #1 Acme") || !strings.Contains(told, "Sales Coach needs to be reinstalled in this workspace") {
		t.Errorf("a user of a workspace whose token no longer opens got %q", told)
	}
	if !strings.Contains(fine, "Added #1 Acme") || strings.Contains(fine, "reinstalled") {
		t.Errorf("a user of a workspace whose token opens got %q", fine)
	}
}
