package main

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"salescoach/db/dbtest"
)

// TestManagersWarnedAtStart: serve with OAuth installs and a SALESCOACH_MANAGERS
// entry that names no workspace says, in one line at start-up, which
// workspace the entry is a manager of.
func TestManagersWarnedAtStart(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/auth.test" {
			io.WriteString(w, `{"ok":true,"team_id":"T1","user_id":"UBOT"}`)
			return
		}
		io.WriteString(w, `{"ok":false,"error":"fatal_error"}`)
	}))
	defer api.Close()
	addr := freePort(t)
	env := map[string]string{
		"DATABASE_URL": dbtest.URL(t), "LISTEN_ADDR": addr, "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1",
		"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SALESCOACH_PUBLIC_URL": "http://" + addr,
		"SALESCOACH_SECRET_KEY": base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")),
		"SLACK_API_URL":         api.URL + "/", "SALESCOACH_MANAGERS": "UBOSS,TA:UANN",
	}
	out, stop := serveInProcess(t, env)
	if err := stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, out.String())
	}
	var warned []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "SALESCOACH_MANAGERS") {
			warned = append(warned, l)
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], `"level":"WARN"`) || !strings.Contains(warned[0], "managers of T1") {
		t.Errorf("start-up lines about SALESCOACH_MANAGERS: %q, want one warning naming T1", warned)
	}
}
