// Command bench is Sales Coach's load test (make bench). It drives the real
// `salescoach serve` binary on a real PostgreSQL with requests signed exactly
// as Slack signs them, and, alternating with it in the same run, a floor: a
// minimal handler that only verifies the signature and does the least
// database work the same commands need (§14 of the spec). Targets are ratios
// to the floor, so a noisy, shared machine affects both alike.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		err = runFloor(ctx, os.Args[2:])
	} else {
		err = runBench(ctx, os.Args[1:], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	bin      string
	adminURL string
	duration time.Duration
	clients  int
	teams    int
	rate     int
	rounds   int
	keepDB   bool
}

func runBench(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.bin, "bin", "bin/salescoach", "the salescoach binary to measure")
	fs.StringVar(&o.adminURL, "admin-url", envOr("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL server to create the bench database on")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured phase")
	fs.IntVar(&o.clients, "clients", 32, "closed-loop clients (each a user)")
	fs.IntVar(&o.teams, "teams", 8, "teams the clients are spread over")
	fs.IntVar(&o.rate, "rate", 500, "open-loop requests per second")
	fs.IntVar(&o.rounds, "rounds", 2, "alternating rounds of floor and serve per scenario")
	fs.BoolVar(&o.keepDB, "keep-db", false, "keep the bench database afterwards")
	target := fs.String("url", "", "only drive the closed loop against a server already running at this URL (for profiling)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *target != "" {
		s := closedLoop(ctx, *target, clients(o.clients, o.teams), o.duration)
		fmt.Fprintf(out, "%.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors\n", s.throughput(), ms(s.pct(0.5)), ms(s.pct(0.99)), s.errors)
		return nil
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	o.bin = bin

	dbURL, dropDB, err := createDatabase(ctx, o.adminURL, fmt.Sprintf("salescoach_bench_%d", os.Getpid()))
	if err != nil {
		return err
	}
	if !o.keepDB {
		defer dropDB()
	}

	fmt.Fprintf(out, "Sales Coach benchmark — %s, %d cores, %d clients over %d teams, %s phases, %d rounds\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), numCPU(), o.clients, o.teams, o.duration, o.rounds)

	self, err := os.Executable()
	if err != nil {
		return err
	}
	floor, err := start(ctx, "floor", exec.Command(self, "floor", "--database", dbURL), "")
	if err != nil {
		return err
	}
	defer floor.stop()
	serve, err := start(ctx, "serve", exec.Command(o.bin, "serve"), dbURL)
	if err != nil {
		return err
	}
	defer serve.stop()

	idle := serve.rss()
	res, err := measure(ctx, o, floor, serve)
	if err != nil {
		return err
	}
	res.idleRSS = idle
	res.print(out)
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// server is a process under test.
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
	logs *strings.Builder
}

func start(ctx context.Context, name string, cmd *exec.Cmd, dbURL string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd.Args = append(cmd.Args, "--listen", addr)
	cmd.Env = append(os.Environ(), "SLACK_SIGNING_SECRET="+secret, "LOG_LEVEL=warn")
	if dbURL != "" {
		cmd.Env = append(cmd.Env, "DATABASE_URL="+dbURL)
	}
	logs := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, url: "http://" + addr, cmd: cmd, logs: logs}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			s.stop()
			return nil, fmt.Errorf("%s did not start: %s", name, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// rss returns the process's resident memory in bytes (VmRSS).
func (s *server) rss() int64 { return procStatus(s.cmd.Process.Pid, "VmRSS:") }

// procStatus reads a kB field of /proc/<pid>/status, in bytes.
func procStatus(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimPrefix(line, field)), &kb)
			return kb * 1024
		}
	}
	return 0
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}
