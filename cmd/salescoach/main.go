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
	"slices"
	"strings"
	"syscall"
	_ "time/tzdata" // the binary carries the zone database for users' time zones

	"salescoach/bot/observe"
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
	env               []string // the environment variables it reads
}

// dbEnv is what every subcommand that opens the database reads.
var dbEnv = []string{"DATABASE_URL", "LOG_LEVEL"}

// slackEnv is what serve reads on top of dbEnv.
var slackEnv = []string{"LISTEN_ADDR", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
	"SLACK_CLIENT_SECRET", "SLACK_API_URL", "SALESCOACH_SECRET_KEY", "SALESCOACH_PUBLIC_URL", "SALESCOACH_RETENTION_DAYS",
	"SALESCOACH_MANAGERS", "GOGC"}

// envHelp says what each environment variable is for, in --help.
var envHelp = map[string]string{
	"DATABASE_URL":              "PostgreSQL URL (default " + db.DefaultURL + "); --database overrides it",
	"LOG_LEVEL":                 "debug, info (default), warn or error",
	"LISTEN_ADDR":               "address to listen on (default :3000); --listen overrides it",
	"SLACK_SIGNING_SECRET":      "verifies requests from Slack; required over HTTP",
	"SLACK_BOT_TOKEN":           "xoxb- token of a single workspace",
	"SLACK_APP_TOKEN":           "xapp- app-level token: turns on Socket Mode",
	"SLACK_CLIENT_ID":           "with SLACK_CLIENT_SECRET: OAuth installs into many workspaces",
	"SLACK_CLIENT_SECRET":       "the OAuth client secret",
	"SLACK_API_URL":             "Slack Web API base URL (tests, proxies)",
	"SALESCOACH_SECRET_KEY":     "32 bytes in base64 that seal stored tokens; required with OAuth",
	"SALESCOACH_PUBLIC_URL":     "the bot's public https base, for OAuth redirects",
	"SALESCOACH_RETENTION_DAYS": "days an uninstalled workspace's data is kept (default 30)",
	"SALESCOACH_MANAGERS":       "comma-separated managers (bootstrap): U… in the single workspace, T…:U… for one workspace with OAuth installs",
	"GOGC":                      "Go garbage-collector target (serve defaults to 200)",
}

func subcommands() []subcommand {
	return []subcommand{
		{"serve", "serve [--listen ADDR] [--database URL]", "answer Slack over HTTP (and Socket Mode), run the digest scheduler; applies migrations first", serve, append(slices.Clone(dbEnv), slackEnv...)},
		{"console", "console --team T --user U [--manager]", "type /deal and /coach commands as in Slack and read the replies as plain text", console, append(slices.Clone(dbEnv), "SALESCOACH_MANAGERS")},
		{"migrate", "migrate [--database URL]", "apply database migrations and exit", migrate, dbEnv},
		{"picture", pictureUsage, "draw the team's flowchart, the won-cycle trend or a deal's blueprint as PNG", pictureCmd, dbEnv},
		{"demo", "demo [--team T] [--seed N]", "create a demo team with six months of made-up history (idempotent)", demoCmd, dbEnv},
		{"import", "import --team T FILE", "import a stage-history CSV (one transaction; idempotent)", importCmd, dbEnv},
		{"export", "export --team T [--out FILE]", "write the team's stage history as CSV", exportCmd, dbEnv},
		{"report", "report --team T --from DATE --to DATE [--format text|json]", "the cycle-time metrics of a window", reportCmd, dbEnv},
		{"forecast", forecastUsage, "the chance each open deal is won in the next days and the team's expected wins, or --backtest to score past forecasts", forecastCmd, dbEnv},
		{"digest", "digest --team T [--at TIME] [--print | --post CHANNEL]", "build the weekly digest as of a time: print it, or post it to a channel", digest, append(slices.Clone(dbEnv), "SLACK_BOT_TOKEN", "SLACK_API_URL")},
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
			err := s.run(ctx, e, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return nil // the help was asked for and printed
			}
			return err
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown subcommand %q", args[0])
}

// flags returns a flag set for a subcommand whose usage lists its flags and
// the environment variables it reads.
func (e *env) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		cmd, _, _ := strings.Cut(name, " ")
		var sub subcommand
		for _, s := range subcommands() {
			if s.name == cmd {
				sub = s
			}
		}
		fmt.Fprintf(w, "Usage: salescoach %s\n", usage)
		if sub.help != "" {
			fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(sub.help[:1])+sub.help[1:])
		}
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
		if len(sub.env) > 0 {
			fmt.Fprintln(w, "\nEnvironment:")
			for _, v := range sub.env {
				fmt.Fprintf(w, "  %-26s %s\n", v, envHelp[v])
			}
		}
	}
	return fs
}

// wantsHelp reports whether the arguments ask for help (before a "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

// parse parses flags, then validates the configuration. Asked for help, it
// prints the usage on stdout and returns flag.ErrHelp, which exits 0.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	if wantsHelp(args) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return flag.ErrHelp
	}
	// A bad flag is one line, said once (by main), with where to look.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(e.stderr)
	if err != nil {
		return fmt.Errorf("%s: %w (salescoach %s --help lists the flags)", fs.Name(), err, fs.Name())
	}
	if fs.NArg() > 0 && fs.Name() != "import" {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return e.cfg.validate()
}

func (e *env) logger() *slog.Logger {
	// Every line logged within a request carries the request's id.
	return slog.New(observe.LogHandler(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: e.cfg.LogLevel})))
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
