// Command salescoach is the Sales Coach Slack bot and its tools: serve,
// console, migrate and more; run it with --help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the binary carries the zone database for users' time zones

	"salescoach/bot"
	"salescoach/db"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "salescoach:", err)
		}
		os.Exit(1)
	}
}

// env is what every subcommand gets.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	cfg    *config
}

type subcommand struct {
	name, usage, help string
	run               func(ctx context.Context, e *env, args []string) error
}

func subcommands() []subcommand {
	return []subcommand{
		{"serve", "serve [--listen ADDR] [--database URL]", "answer Slack over HTTP (and Socket Mode), run the digest scheduler; applies migrations first", serve},
		{"console", "console --team T --user U [--manager]", "type /deal and /coach commands as in Slack and read the replies as plain text", console},
		{"migrate", "migrate [--database URL]", "apply database migrations and exit", migrate},
		{"picture", pictureUsage, "draw the team's flowchart, the won-cycle trend or a deal's blueprint as PNG", pictureCmd},
		{"demo", "demo [--team T] [--seed N]", "create a demo team with six months of made-up history (idempotent)", demoCmd},
		{"import", "import --team T FILE", "import a stage-history CSV (one transaction; idempotent)", importCmd},
		{"export", "export --team T [--out FILE]", "write the team's stage history as CSV", exportCmd},
		{"report", "report --team T --from DATE --to DATE [--format text|json]", "the cycle-time metrics of a window", reportCmd},
		{"digest", "digest --team T [--at TIME] [--print | --post CHANNEL]", "build the weekly digest as of a time: print it, or post it to a channel", digest},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Sales Coach: a Slack bot that coaches a sales team deal by deal.")
	fmt.Fprintln(w, "\nUsage: salescoach <subcommand> [flags]   (each subcommand takes --help)")
	for _, s := range subcommands() {
		fmt.Fprintf(w, "\n  %-50s %s", s.usage, s.help)
	}
	fmt.Fprintln(w, "\n\nConfiguration comes from the environment (DATABASE_URL, LISTEN_ADDR, SLACK_SIGNING_SECRET, ...); see README.md.")
}

// run is the whole program: it returns instead of exiting.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return errors.New("a subcommand is required")
		}
		return nil
	}
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, cfg: loadConfig(getenv)}
	for _, s := range subcommands() {
		if s.name == args[0] {
			return s.run(ctx, e, args[1:])
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown subcommand %q", args[0])
}

// flags returns a flag set for a subcommand that prints its usage on --help.
func (e *env) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: salescoach %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, then validates the configuration.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 && fs.Name() != "import" {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return e.cfg.validate()
}

func (e *env) logger() *slog.Logger {
	// Every line logged within a request carries the request's id.
	return slog.New(bot.LogHandler(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: e.cfg.LogLevel})))
}

// openDB opens and migrates the database.
func (e *env) openDB(ctx context.Context, log *slog.Logger, opts db.Options) (*db.DB, error) {
	store, err := db.Open(ctx, e.cfg.DatabaseURL, opts)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if err := store.Migrate(ctx, log); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func migrate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("migrate", "migrate [--database URL]")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	store, err := e.openDB(ctx, e.logger(), db.Options{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintln(e.stdout, "migrations applied")
	return nil
}
