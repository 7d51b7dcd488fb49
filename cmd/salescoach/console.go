package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"salescoach/bot/handlers"
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
	app := handlers.New(handlers.Config{Store: store, Log: e.logger(), Managers: managers,
		Pictures: store, PictureDir: *pictures, FilesDir: os.TempDir()})
	prompt := ""
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			prompt = "> "
			fmt.Fprintf(e.stdout, "Sales Coach console — team %s, user %s%s. Type /deal help or /coach help; exit leaves.\n",
				*team, *user, map[bool]string{true: " (manager)", false: ""}[*manager])
		}
	}
	return app.Console(ctx, e.stdin, e.stdout, *team, *user, prompt)
}
