package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/collectors"

	"salescoach/bot/handlers"
	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/db"
)

// The database is the store of every part of the bot.
var (
	_ handlers.Store       = (*db.DB)(nil)
	_ jobs.PictureStore    = (*db.DB)(nil)
	_ jobs.DigestFileStore = (*db.DB)(nil)
)

// drainTimeout bounds the wait for in-flight requests on SIGTERM; the process
// exits within 10 seconds.
const drainTimeout = 8 * time.Second

func serve(ctx context.Context, e *env, args []string) error {
	fs := e.flags("serve", "serve [--listen ADDR] [--database URL]")
	fs.StringVar(&e.cfg.ListenAddr, "listen", e.cfg.ListenAddr, "address to listen on (LISTEN_ADDR)")
	e.cfg.databaseFlag(fs)
	pprofAddr := fs.String("pprof", os.Getenv("SALESCOACH_PPROF"), "serve Go's profiler on this loopback address, e.g. 127.0.0.1:6060 (SALESCOACH_PPROF; off by default)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.cfg.serveSettings(); err != nil {
		return err
	}
	log := e.logger()
	if *pprofAddr != "" {
		if err := startPprof(*pprofAddr, log); err != nil {
			return err
		}
	}
	if os.Getenv("GOGC") == "" {
		// Every request allocates a little and the heap is small: collecting
		// at 3× the live heap instead of 2× saves garbage-collection CPU under
		// load for a few MB more at the peak (see the README's benchmark).
		debug.SetGCPercent(200)
	}
	store, err := e.openDB(ctx, log, db.Options{MaxOpen: 16})
	if err != nil {
		return err
	}
	defer store.Close()

	metrics := newMetrics(store)
	slackHTTP := metrics.Instrument(nil) // every Slack call is counted, by method
	clients, install, err := slackClientsWith(ctx, e.cfg, store, log, slackHTTP)
	if err != nil {
		return err
	}
	home := ""
	if ic, ok := clients.(transport.InstalledClients); ok && ic.Fallback.Token != "" {
		home = ic.FallbackTeam
	}
	managers, warning := scopeManagers(e.cfg.Managers, install != nil, home)
	if warning != "" {
		log.Warn(warning)
	}
	app := handlers.New(handlers.Config{Store: store, Log: log, Managers: managers, Slack: clients,
		Pictures: store, Retention: time.Duration(e.cfg.RetentionDays) * 24 * time.Hour,
		Metrics: metrics, HTTP: metrics.Instrument(&http.Client{Timeout: 10 * time.Second})})
	defer app.Close()
	srv := &transport.Server{App: app, SigningSecret: e.cfg.SigningSecret, Install: install}
	ln, err := net.Listen("tcp", e.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", e.cfg.ListenAddr, err)
	}
	hs := transport.NewHTTPServer(srv.Handler())
	go forgetRequests(ctx, store)
	go housekeeping(ctx, store, log)
	go app.RunNudges(ctx, time.Minute)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		app.NewScheduler(jobs.SchedulerConfig{}).Run(ctx)
	}()
	if e.cfg.AppToken != "" {
		sm := &transport.SocketMode{App: app, Client: transport.NewSocketModeClient(e.cfg.AppToken, e.cfg.SlackAPIURL, slackHTTP)}
		go sm.Run(ctx)
		log.Info("socket mode on")
	}
	log.Info("serving", "addr", ln.Addr().String(), "http_from_slack", e.cfg.SigningSecret != "", "oauth_install", install != nil)

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
	if err := app.Drain(sctx); err != nil {
		log.Warn("stopped before all work after replies was done", "err", err)
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

// slackClients returns the Web API clients: the single workspace's token
// (SLACK_BOT_TOKEN), or with OAuth configured the tokens of the installed
// workspaces, falling back to SLACK_BOT_TOKEN for its own workspace only. It
// also returns the OAuth install routes, nil without OAuth.
func slackClients(ctx context.Context, cfg *config, store *db.DB, log *slog.Logger) (transport.Clients, *transport.Install, error) {
	return slackClientsWith(ctx, cfg, store, log, nil)
}

// slackClientsWith is slackClients whose Web API calls go through hc (the
// default client when nil).
func slackClientsWith(ctx context.Context, cfg *config, store *db.DB, log *slog.Logger, hc *http.Client) (transport.Clients, *transport.Install, error) {
	static := transport.StaticClients{Token: cfg.BotToken, APIURL: cfg.SlackAPIURL, HTTP: hc}
	if cfg.ClientID == "" {
		return static, nil, nil
	}
	sealer, err := transport.NewSealer(cfg.SecretKey)
	if err != nil {
		return nil, nil, &settingError{"SALESCOACH_SECRET_KEY", err.Error()}
	}
	clients := transport.InstalledClients{Store: store, Sealer: sealer, APIURL: cfg.SlackAPIURL, Fallback: static, HTTP: hc,
		Health: &transport.TokenHealth{}}
	// A changed SALESCOACH_SECRET_KEY leaves the stored tokens unreadable:
	// said once here, and to the workspaces' users, instead of every Slack
	// call failing as if Slack were down.
	if bad, err := clients.CheckTokens(ctx, store); err != nil {
		log.Warn("could not check the stored Slack tokens", "err", err)
	} else if len(bad) > 0 {
		log.Error("stored Slack tokens do not open with SALESCOACH_SECRET_KEY: reinstall needed in these workspaces, or restore the old key",
			"workspaces", len(bad), "teams", bad)
	}
	if static.Token != "" {
		// Which workspace SLACK_BOT_TOKEN belongs to, so that no other
		// workspace's calls ever use it.
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		client, _ := static.Client(actx, "")
		if at, err := client.AuthTestContext(actx); err == nil && at.TeamID != "" {
			clients.FallbackTeam = at.TeamID
		} else {
			log.Warn("SLACK_BOT_TOKEN is not used: auth.test did not say which workspace it belongs to", "err", err)
			clients.Fallback = transport.StaticClients{}
		}
	}
	install := &transport.Install{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: strings.TrimSuffix(cfg.PublicURL, "/") + "/slack/oauth/callback",
		APIURL:      cfg.SlackAPIURL, Sealer: sealer, Store: store, Log: log, HTTP: hc,
	}
	return clients, install, nil
}

// housekeeping deletes, every hour, the event deliveries too old to be
// retried and the data of workspaces uninstalled longer ago than the
// retention period.
// clickMemory is how long a button click or modal submission is remembered
// to make it once-only.
const clickMemory = 30 * 24 * time.Hour

func housekeeping(ctx context.Context, store *db.DB, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		now := time.Now()
		if err := store.ForgetEvents(ctx, now.Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			log.Warn("forget old events failed", "err", err)
		}
		if _, err := store.ForgetClicks(ctx, now.Add(-clickMemory)); err != nil && ctx.Err() == nil {
			log.Warn("forget old clicks failed", "err", err)
		}
		ids, err := store.PurgeTeams(ctx, now)
		if err != nil && ctx.Err() == nil {
			log.Warn("deleting uninstalled workspaces failed", "err", err)
		}
		for _, id := range ids {
			log.Info("uninstalled workspace deleted after the retention period", "team", id)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// newMetrics returns the bot's metrics with the database pool's (go_sql_*)
// and the Go runtime's and the process's beside them.
func newMetrics(store *db.DB) *observe.Metrics {
	m := observe.NewMetrics()
	m.Registry.MustRegister(
		collectors.NewDBStatsCollector(store.SQL(), "salescoach"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}
