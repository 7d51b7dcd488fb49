package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"salescoach/bot"
	"salescoach/db"
)

// drainTimeout bounds the wait for in-flight requests on SIGTERM; the process
// exits within 10 seconds.
const drainTimeout = 8 * time.Second

func serve(ctx context.Context, e *env, args []string) error {
	fs := e.flags("serve", "serve [--listen ADDR] [--database URL]")
	fs.StringVar(&e.cfg.ListenAddr, "listen", e.cfg.ListenAddr, "address to listen on (LISTEN_ADDR)")
	e.cfg.databaseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if e.cfg.SigningSecret == "" {
		return &settingError{"SLACK_SIGNING_SECRET", "is required by serve: find it under Basic Information in your Slack app's settings"}
	}
	log := e.logger()
	store, err := e.openDB(ctx, log, db.Options{MaxOpen: 16})
	if err != nil {
		return err
	}
	defer store.Close()

	app := bot.New(bot.Config{Store: store, Log: log, Managers: e.cfg.Managers,
		Slack: e.cfg.slackClients(), Reporter: reporterFor(store)})
	defer app.Close()
	srv := &bot.Server{App: app, SigningSecret: e.cfg.SigningSecret}
	ln, err := net.Listen("tcp", e.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", e.cfg.ListenAddr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       90 * time.Second,
	}
	go forgetRequests(ctx, store)
	go app.RunNudges(ctx, time.Minute)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		app.NewScheduler(bot.SchedulerConfig{}).Run(ctx)
	}()
	log.Info("serving", "addr", ln.Addr().String())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	sctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	// A digest being posted is finished if it can be within the drain time;
	// otherwise its claim's lease runs out and a process looks again.
	select {
	case <-schedDone:
	case <-sctx.Done():
		log.Warn("stopped while posting a digest; its week will be checked again")
	}
	log.Info("stopped")
	return nil
}

// forgetRequests drops remembered request signatures once they are too old to
// be replayed (Slack's window is 5 minutes).
func forgetRequests(ctx context.Context, store *db.DB) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			store.ForgetRequests(ctx, now.Add(-10*time.Minute))
		}
	}
}
