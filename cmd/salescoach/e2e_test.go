package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/db/dbtest"
)

// binary is salescoach built once for the whole test binary, in a folder
// TestMain removes at the end; the end-to-end tests share it.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "salescoach-e2e-")
	if err != nil {
		return "", err
	}
	binDir.Store(dir)
	bin := filepath.Join(dir, "salescoach")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

var binDir atomic.Value // string: the folder of binary, once built

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, ok := binDir.Load().(string); ok {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// buildBinary returns the path of the salescoach binary, built on first use.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `salescoach serve` and waits until /readyz answers.
func startServe(t *testing.T, bin string, env ...string) (addr string, cmd *exec.Cmd, logs *bytes.Buffer) {
	t.Helper()
	addr = freePort(t)
	cmd = exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), append([]string{"LISTEN_ADDR=" + addr, "SLACK_SIGNING_SECRET=" + bottest.Secret}, env...)...)
	logs = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr, cmd, logs
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not become ready:\n%s", logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestEndToEnd builds the binary, starts serve on a free port and drives a
// whole deal from add to won through signed HTTP requests.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	addr, cmd, logs := startServe(t, bin, "DATABASE_URL="+dbtest.URL(t))
	slack := &bottest.Slack{T: t, BaseURL: "http://" + addr}

	steps := []struct{ text, want string }{
		{"add Acme Corp $12,000", "Added #1 Acme Corp — $12,000 (USD) · Prospecting."},
		{"next acme", "Moved #1 Acme Corp from Prospecting to Initial contact."},
		{"move acme qualification", "Moved #1 Acme Corp from Initial contact to Qualification."},
		{"move acme demo", "Moved #1 Acme Corp from Qualification to Presentation."},
		{"note acme sent pricing", "Noted on #1 Acme Corp."},
		{"move acme objections", "Moved #1 Acme Corp from Presentation to Objection handling."},
		{"move acme close", "Moved #1 Acme Corp from Objection handling to Closing."},
		{"won acme", "Won #1 Acme Corp"},
	}
	for _, s := range steps {
		r := slack.Command("T1", "U1", "/deal", s.text)
		if r.ResponseType != "ephemeral" || !strings.Contains(r.Text, s.want) {
			t.Fatalf("/deal %s: %s %q, want %q", s.text, r.ResponseType, r.Text, s.want)
		}
	}
	show := slack.Command("T1", "U1", "/deal", "show acme").AllText()
	for _, want := range []string{"Initial contact", "Qualification", "Presentation", "Objection handling", "Closing", "Won", "sent pricing"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}

	// SIGTERM: a clean exit well within 10 seconds.
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v:\n%s", err, logs)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve still running 10 s after SIGTERM")
	}
	t.Logf("stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
}

func TestConsolePiped(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	cmd := exec.Command(bin, "console", "--team", "T1", "--user", "U1")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbtest.URL(t))
	cmd.Stdin = strings.NewReader("/deal add Acme 12k\n/deal list\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("console: %v\n%s", err, out)
	}
	for _, want := range []string{"Added #1 Acme", "Your open deals (1):"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestMakeRunSession is what make run opens: the demo team, the console as
// its manager, and the walk through a deal of the quick start. Each reply
// does what §3.1 says, naming the stage and, for a change, the next step.
func TestMakeRunSession(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	env := append(os.Environ(), "DATABASE_URL="+dbtest.URL(t))
	demo := exec.Command(bin, "demo", "--team", "T0DEMO")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	steps := []struct{ in, want string }{
		{"/deal add Acme Corp $12,000", "Prospecting"},
		{"/deal move acme demo", "from Prospecting to Presentation"},
		{"/deal note acme sent pricing", "Noted on"},
		{"/deal won acme", "Won #"},
		{"/deal list all", "Acme Corp"},
		{"/deal show acme", "Follow-up & retention"},
		{"/deal undo", "Undone: marking it won"},
	}
	var in strings.Builder
	for _, s := range steps {
		in.WriteString(s.in + "\n")
	}
	cmd := exec.Command(bin, "console", "--team", "T0DEMO", "--user", "U0MANAGER", "--manager")
	cmd.Env = env
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("console: %v\n%s", err, out)
	}
	text := string(out)
	if strings.Contains(text, `"acme" matches`) {
		t.Errorf("a reference to acme was ambiguous in the demo team:\n%s", text)
	}
	for _, s := range steps {
		if !strings.Contains(text, s.want) {
			t.Errorf("after %q the output lacks %q", s.in, s.want)
		}
	}
	if n := strings.Count(text, "Next step:"); n < 3 {
		t.Errorf("%d replies carry a next step, want one per change:\n%s", n, text)
	}
}

// TestBadSetting checks that a bad setting stops start-up with one line naming it.
func TestBadSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"LISTEN_ADDR": "nonsense"}, []string{"serve"}, "LISTEN_ADDR"},
		{map[string]string{}, []string{"serve"}, "SLACK_SIGNING_SECRET"},
		{map[string]string{"DATABASE_URL": "mysql://x", "SLACK_SIGNING_SECRET": "s"}, []string{"serve"}, "DATABASE_URL"},
		{map[string]string{"LOG_LEVEL": "loud"}, []string{"migrate"}, "LOG_LEVEL"},
		{map[string]string{"SALESCOACH_RETENTION_DAYS": "-3"}, []string{"migrate"}, "SALESCOACH_RETENTION_DAYS"},
		{map[string]string{"SALESCOACH_SECRET_KEY": "short"}, []string{"migrate"}, "SALESCOACH_SECRET_KEY"},
		{map[string]string{"SALESCOACH_MANAGERS": "U1,bob"}, []string{"migrate"}, "SALESCOACH_MANAGERS"},
		{map[string]string{"SLACK_BOT_TOKEN": "abc"}, []string{"migrate"}, "SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_CLIENT_ID": "1.2"}, []string{"migrate"}, "SLACK_CLIENT_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, func(k string) string { return tt.env[k] }, strings.NewReader(""), &stdout, &stderr)
			if err == nil {
				t.Fatal("started with a bad setting")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.want+":") || strings.Contains(msg, "\n") {
				t.Errorf("error %q should be one line starting with %s", msg, tt.want)
			}
		})
	}
}

func TestUnknownSubcommand(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(stderr.String(), "console --team") {
		t.Errorf("usage not printed:\n%s", stderr.String())
	}
}
