package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/chzyer/readline"

	"salescoach/bot/handlers"
	"salescoach/bot/observe"
	"salescoach/db"
)

func console(ctx context.Context, e *env, args []string) error {
	fs := e.flags("console", "console --team T --user U [--manager]")
	team := fs.String("team", "", "Slack team (workspace) id, e.g. T0001")
	user := fs.String("user", "", "Slack user id, e.g. U0001")
	manager := fs.Bool("manager", false, "act as a manager of the team")
	pictures := fs.String("pictures", filepath.Join(os.TempDir(), "salescoach-pictures"), "folder for the pictures /coach flow and /deal blueprint draw")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *team == "" || *user == "" {
		fs.Usage()
		return errors.New("console: --team and --user are required")
	}
	store, err := e.openDB(ctx, nil, db.Options{MaxOpen: 4})
	if err != nil {
		return err
	}
	defer store.Close()
	managers := e.cfg.Managers
	if *manager {
		managers = append(managers, *user)
	}
	if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
		// A person at a terminal: line editing and history, Ctrl-C to cancel
		// a line, and the log in a file rather than between the replies.
		logFile := filepath.Join(os.TempDir(), "salescoach-console.log")
		lf, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer lf.Close()
		log := slog.New(observe.LogHandler(slog.NewJSONHandler(lf, &slog.HandlerOptions{Level: e.cfg.LogLevel})))
		app := handlers.New(handlers.Config{Store: store, Log: log, Managers: managers,
			Pictures: store, PictureDir: *pictures, FilesDir: os.TempDir()})
		fmt.Fprintf(e.stdout, "Sales Coach console — team %s, user %s%s. Type /deal help or /coach help; ↑ and ↓ recall lines; Ctrl-C clears a line, Ctrl-D or exit leaves. The log goes to %s.\n",
			*team, *user, map[bool]string{true: " (manager)", false: ""}[*manager], logFile)
		return terminalConsole(ctx, app, f, e.stdout, *team, *user)
	}
	app := handlers.New(handlers.Config{Store: store, Log: e.logger(), Managers: managers,
		Pictures: store, PictureDir: *pictures, FilesDir: os.TempDir()})
	return app.Console(ctx, e.stdin, e.stdout, *team, *user, "")
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// terminalConsole reads lines with a line editor (github.com/chzyer/readline):
// arrows, history kept across sessions, Ctrl-C clears the line (twice in a
// row leaves), Ctrl-D on an empty line leaves. Ctrl-C while a command runs
// stops that command, not the console.
func terminalConsole(ctx context.Context, app *handlers.App, in *os.File, out io.Writer, team, user string) error {
	history := ""
	if dir, err := os.UserCacheDir(); err == nil && os.MkdirAll(dir, 0o700) == nil {
		history = filepath.Join(dir, "salescoach_console_history")
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt: "> ", HistoryFile: history, HistoryLimit: 1000,
		Stdin: in, Stdout: out, InterruptPrompt: "^C", EOFPrompt: "exit",
	})
	if err != nil {
		return err
	}
	defer rl.Close()
	// The console stays up after a Ctrl-C: a command runs under a context of
	// its own that the interrupt cancels.
	base := context.WithoutCancel(ctx)
	interrupted := false
	for {
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			// The line is dropped; a second Ctrl-C in a row leaves.
			if interrupted {
				return nil
			}
			interrupted = true
			fmt.Fprintln(out, "(Ctrl-C again, Ctrl-D or exit leaves.)")
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		interrupted = false
		cctx, cancel := context.WithCancel(base)
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		go func() {
			select {
			case <-sig:
				cancel()
			case <-cctx.Done():
			}
		}()
		exit := app.ConsoleLine(cctx, out, team, user, line)
		signal.Stop(sig)
		if cctx.Err() != nil {
			fmt.Fprintln(out, "Stopped. Check with /deal show or /deal list before trying again: a change may or may not have been saved.")
		}
		cancel()
		if exit {
			return nil
		}
	}
}
