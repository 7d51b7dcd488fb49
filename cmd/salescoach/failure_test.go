package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/internal/faultproxy"
)

// TestServeFailures runs the real binary through the failures of §13 that
// need a whole process: SIGTERM with a request in flight, and two replicas
// on one database.
func TestServeFailures(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)

	// SIGTERM: a request held up by the database still gets its answer,
	// new connections are refused at once, and the process exits in time.
	t.Run("SIGTERMDrains", func(t *testing.T) {
		t.Parallel()
		direct := dbtest.URL(t)
		u, _ := url.Parse(direct)
		proxy := faultproxy.New(t, u.Host)
		u.Host = proxy.Addr
		addr, cmd, logs := startServe(t, bin, "DATABASE_URL="+u.String())
		slack := &bottest.Slack{T: t, BaseURL: "http://" + addr}
		slack.Command("T1", "U1", "/deal", "add Acme")

		proxy.Stall()
		answer := make(chan bottest.Reply, 1)
		go func() { answer <- slack.Command("T1", "U1", "/deal", "add Globex") }()
		waitUntil(t, "the request to reach the database", func() bool { return proxy.Held() > 0 })

		start := time.Now()
		cmd.Process.Signal(syscall.SIGTERM)
		waitUntil(t, "new connections to be refused", func() bool {
			c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
			if err == nil {
				c.Close()
			}
			return err != nil
		})
		proxy.Flow()
		if r := <-answer; !strings.Contains(r.Text, "Added #2 Globex") {
			t.Errorf("the request in flight at SIGTERM was answered %q", r.Text)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve exited with %v:\n%s", err, logs)
			}
		case <-time.After(10*time.Second - time.Since(start)):
			t.Fatalf("serve still running 10 s after SIGTERM:\n%s", logs)
		}
		deals, _ := teamLogs(t, direct, "T1")
		n := 0
		for _, d := range deals {
			if d.Name == "Globex" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d Globex deals stored, want the one acknowledged", n)
		}
	})

	// Two replicas behind a load balancer: the same button clicked through
	// both moves the deal once.
	t.Run("TwoReplicasMoveOnce", func(t *testing.T) {
		t.Parallel()
		dbURL := dbtest.URL(t)
		var mu sync.Mutex
		var answers []string
		respond := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var m struct{ Text string }
			json.NewDecoder(r.Body).Decode(&m)
			mu.Lock()
			answers = append(answers, m.Text)
			mu.Unlock()
		}))
		defer respond.Close()
		addrA, _, _ := startServe(t, bin, "DATABASE_URL="+dbURL)
		addrB, _, _ := startServe(t, bin, "DATABASE_URL="+dbURL)
		a := &bottest.Slack{T: t, BaseURL: "http://" + addrA}
		b := &bottest.Slack{T: t, BaseURL: "http://" + addrB}
		value := buttonOf(t, a.Command("T1", "U1", "/deal", "add Acme 12k"), "deal_next")

		var wg sync.WaitGroup
		begin := make(chan struct{})
		for i, s := range []*bottest.Slack{a, b, a, b} {
			wg.Go(func() {
				<-begin
				r := s.Interaction(bottest.Button("T1", "U1", "deal_next", value, respond.URL+"/click/"+string(rune('0'+i))))
				if r.Status != http.StatusOK {
					t.Errorf("click %d: status %d", i, r.Status)
				}
			})
		}
		close(begin)
		wg.Wait()
		waitUntil(t, "every click to be answered", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(answers) == 4
		})
		_, logs := teamLogs(t, dbURL, "T1")
		n := 0
		for _, log := range logs {
			for _, e := range log {
				if e.Kind == coach.EvMove {
					n++
				}
			}
		}
		if n != 1 {
			t.Errorf("%d moves for four clicks on two replicas, want 1", n)
		}
		moved := 0
		for _, text := range answers {
			if strings.Contains(text, "Moved #1 Acme") {
				moved++
			}
		}
		if moved != 1 {
			t.Errorf("%d answers say the deal moved, want 1: %q", moved, answers)
		}
	})
}

// waitUntil polls cond for up to 10 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// teamLogs reads a team's deals that are not archived, and their logs, from
// the database at dsn through the store.
func teamLogs(t *testing.T, dsn, team string) ([]coach.Deal, map[int64][]coach.Event) {
	t.Helper()
	s, err := db.Open(context.Background(), dsn, db.Options{MaxOpen: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return bottest.TeamLogs(t, s, team)
}

// buttonOf returns the value of the button actionID in a reply.
func buttonOf(t *testing.T, r bottest.Reply, actionID string) string {
	t.Helper()
	for _, b := range r.Blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			if e, _ := e.(map[string]any); e["action_id"] == actionID {
				v, _ := e["value"].(string)
				return v
			}
		}
	}
	raw, _ := json.Marshal(r.Blocks)
	t.Fatalf("no %s button in %s", actionID, raw)
	return ""
}
