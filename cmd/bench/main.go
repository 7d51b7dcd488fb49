// Command bench is Sales Coach's load test (make bench). It drives the real
// `salescoach serve` binary on a real PostgreSQL with requests signed exactly
// as Slack signs them, and, alternating with it in the same run, a floor (a
// minimal handler that only verifies the signature and does the least
// database work the same commands need) and the Bolt peer (what a team would
// write instead), as §14 of the spec says. Targets are ratios to them, so a
// noisy, shared machine affects all alike.
package main

import (
	"context"
	"database/sql"
	"errors"
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
	"sync"
	"syscall"
	"time"

	"salescoach/db"
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
	peer     string // the Bolt peer's folder
	grow     int    // deals loaded before the last round
	compare  string // another salescoach binary, measured as a fourth system

	load          bool // the slash-command load against the floor
	scale         bool // the report and the weekly digest at scale
	digestTeams   int
	reportRuns    int
	scaleDB       string
	digestTimeout time.Duration
}

const usageHead = `bench: the §14 benchmark of Sales Coach (make bench).

It measures, against the real salescoach binary and a real PostgreSQL:

  the load (--load): 32 clients sending signed /deal add and /deal list to
    three systems taking turns phase by phase: salescoach serve, a floor (a
    minimal handler doing the least database work the same commands need)
    and the Bolt peer (--peer: a minimal Bolt for JavaScript bot, installed
    with npm ci into a cache directory; left out, saying why, when node, npm
    or its folder is missing). Each phase also gives the CPU seconds per
    1,000 requests of the server process and of the database's PostgreSQL
    backends, from /proc. Then it loads --grow deals over the teams and runs
    one more round, to show the throughput as the data grows.
  the scale (--scale): it generates a dataset — team TBIG of 50 reps, 20,000
    deals, 150,000 stage entries and notes, and --digest-teams teams of 2,000
    deals and 15,000 entries each — by COPY, then times salescoach report
    --format json for TBIG (13 weeks and the whole year; the median of
    --report-runs runs of the binary), and a weekly digest run: salescoach
    serve with one subscription per team all due at one instant, posting to a
    local fake Slack, until every digest and its two pictures are shared.

Both are on by default; --load=false or --scale=false skips one. A quick run:
  go run ./cmd/bench --scale=false --duration 3s --rounds 1 --grow 0
  go run ./cmd/bench --load=false --digest-teams 50 --report-runs 3
Generating the full dataset takes minutes: --scale-db NAME keeps it in that
database and reuses it on later runs.

Flags:
`

func runBench(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
	}
	var o options
	fs.StringVar(&o.bin, "bin", "bin/salescoach", "the salescoach binary to measure")
	fs.StringVar(&o.adminURL, "admin-url", envOr("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL server to create the bench databases on (a superuser: the dataset is loaded without foreign-key checks)")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "load: length of each measured phase")
	fs.IntVar(&o.clients, "clients", 32, "load: closed-loop clients (each a user)")
	fs.IntVar(&o.teams, "teams", 8, "load: teams the clients are spread over")
	fs.IntVar(&o.rate, "rate", 500, "load: open-loop requests per second")
	fs.IntVar(&o.rounds, "rounds", 3, "load: alternating rounds of floor and serve per scenario")
	fs.StringVar(&o.peer, "peer", "../shared/peers/bolt-js", "load: the folder of the Bolt peer, the third system (installed with npm ci into a cache directory; \"\" leaves it out)")
	fs.IntVar(&o.grow, "grow", 100_000, "load: deals loaded over the bench's teams before one more round (0: no such round)")
	fs.StringVar(&o.compare, "compare", "", "load: another salescoach binary to measure beside --bin, as one more system (to compare two builds in one run)")
	fs.BoolVar(&o.keepDB, "keep-db", false, "keep the bench databases afterwards")
	fs.BoolVar(&o.load, "load", true, "run the slash-command load against the floor")
	fs.BoolVar(&o.scale, "scale", true, "run the figures at scale: dataset, report for a big team, weekly digests for many teams")
	fs.IntVar(&o.digestTeams, "digest-teams", 1000, "scale: teams of 2,000 deals in the dataset, each with a digest subscription (0: no digest run)")
	fs.IntVar(&o.reportRuns, "report-runs", 9, "scale: timed runs of salescoach report per window (the median is reported)")
	fs.StringVar(&o.scaleDB, "scale-db", "", "scale: keep the dataset in this database and reuse it when it is there already (default: a fresh database, dropped afterwards)")
	fs.DurationVar(&o.digestTimeout, "digest-timeout", 10*time.Minute, "scale: give up on the digest run after this long")
	target := fs.String("url", "", "only drive the closed loop against a server already running at this URL (for profiling)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
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
	fmt.Fprintf(out, "Sales Coach benchmark — %s, %d cores\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), numCPU())
	if o.load {
		if err := runLoad(ctx, o, out); err != nil {
			return err
		}
	}
	if o.scale {
		if err := runScale(ctx, o, out); err != nil {
			return err
		}
	}
	return nil
}

// runLoad measures the slash-command load on the floor, serve and the peer.
func runLoad(ctx context.Context, o options, out io.Writer) error {
	name := fmt.Sprintf("salescoach_bench_%d", os.Getpid())
	dbURL, dropDB, err := createDatabase(ctx, o.adminURL, name)
	if err != nil {
		return err
	}
	if !o.keepDB {
		defer dropDB()
	}

	var peerDir, noPeer string
	if o.peer == "" {
		noPeer = "--peer is empty"
	} else if peerDir, noPeer, err = preparePeer(ctx, o.peer, func(s string) { fmt.Fprintln(out, s) }); err != nil {
		return err
	}
	systems := 3
	if noPeer != "" {
		systems = 2
		fmt.Fprintf(out, "the Bolt peer is left out: %s\n", noPeer)
	}
	if o.compare != "" {
		systems++
	}
	fmt.Fprintf(out, "\nload: %d clients over %d teams, %s phases, %d rounds, %d systems taking turns\n", o.clients, o.teams, o.duration, o.rounds, systems)

	self, err := os.Executable()
	if err != nil {
		return err
	}
	floor, err := start(ctx, floorName, withListen(self, "floor", "--database", dbURL), "", false)
	if err != nil {
		return err
	}
	defer floor.stop()
	serve, err := start(ctx, serveName, withListen(o.bin, "serve"), dbURL, false)
	if err != nil {
		return err
	}
	defer serve.stop()
	all := []*server{floor, serve}
	if o.compare != "" {
		other, err := start(ctx, compareName, withListen(o.compare, "serve"), dbURL, false)
		if err != nil {
			return err
		}
		defer other.stop()
		all = append(all, other)
	}
	if noPeer == "" {
		peer, err := start(ctx, peerName, peerCommand(peerDir, dbURL), "", true)
		if err != nil {
			return err
		}
		defer peer.stop()
		all = append(all, peer)
	}

	admin, err := sql.Open("postgres", o.adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	admin.SetMaxOpenConns(1)
	var growFn func(context.Context) error
	if o.grow > 0 {
		growFn = func(ctx context.Context) error {
			fmt.Fprintf(out, "loading %d deals for the last round…\n", o.grow)
			return grow(ctx, dbURL, clients(o.clients, o.teams), o.grow, out)
		}
	}
	res, err := measure(ctx, o, all, &pgMeter{admin: admin, dbName: name}, func(ctx context.Context) error {
		return analyze(ctx, dbURL)
	}, growFn)
	if err != nil {
		return err
	}
	res.noPeer, res.grownN = noPeer, o.grow
	res.print(out)
	return nil
}

// runScale fills (or finds) the scale database and measures the report and
// the weekly digest run on it.
func runScale(ctx context.Context, o options, out io.Writer) error {
	name, keep := o.scaleDB, true
	if name == "" {
		name, keep = fmt.Sprintf("salescoach_bench_scale_%d", os.Getpid()), o.keepDB
	}
	dbURL, dropDB, err := ensureDatabase(ctx, o.adminURL, name)
	if err != nil {
		return err
	}
	if !keep {
		defer dropDB()
	}
	store, err := db.Open(ctx, dbURL, db.Options{MaxOpen: 4})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx, nil); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nscale: database %s\n", name)
	ds, err := ensureDataset(ctx, store.SQL(), o.digestTeams, out)
	if err != nil {
		return err
	}
	res := &scaleResults{ds: ds, runs: o.reportRuns}
	if o.reportRuns > 0 {
		if res.reports, err = timeReports(ctx, o.bin, dbURL, store, ds, o.reportRuns); err != nil {
			return err
		}
	}
	if o.digestTeams > 0 {
		if res.digest, err = runDigests(ctx, o.bin, dbURL, store.SQL(), o.digestTeams, o.digestTimeout); err != nil {
			return err
		}
	}
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
	logs *syncBuilder
	done chan struct{} // closed when the process has exited
}

// syncBuilder collects a process's output; it may be read while written.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// withListen is a command whose last flag is --listen addr.
func withListen(bin string, args ...string) func(addr string) *exec.Cmd {
	return func(addr string) *exec.Cmd {
		return exec.Command(bin, append(args, "--listen", addr)...)
	}
}

// start runs the command mk makes for a free local address and waits until
// it answers GET /readyz with 200 (or with anything, when any is set: the
// peer has no such endpoint, and listens only once it is ready).
func start(ctx context.Context, name string, mk func(addr string) *exec.Cmd, dbURL string, any bool) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := mk(addr)
	// The caller's cmd.Env comes last, so it wins.
	env := append(os.Environ(), "SLACK_SIGNING_SECRET="+secret, "LOG_LEVEL=warn")
	if dbURL != "" {
		env = append(env, "DATABASE_URL="+dbURL)
	}
	cmd.Env = append(env, cmd.Env...)
	logs := &syncBuilder{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, url: "http://" + addr, cmd: cmd, logs: logs, done: make(chan struct{})}
	go func() { cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 || any {
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil || s.exited() {
			s.stop()
			return nil, fmt.Errorf("%s did not start: %s", name, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) stop() {
	if s.exited() {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// exited reports whether the process has ended.
func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
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
