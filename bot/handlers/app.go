package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// Store is everything the App needs of the database: the small interfaces
// each group of handlers declares beside itself, and those of the jobs it
// runs. *db.DB is one; the tests' in-memory store is another.
type Store interface {
	ReplayStore  // app.go: the health and replay checks
	MemberStore  // profile.go: who the caller is, their settings and profile
	DealStore    // deals.go: the deal commands
	ListStore    // list.go: lists and App Home
	ClickStore   // buttons.go: buttons and modals
	InstallStore // events.go: events and uninstalls
	ReportStore  // coach_stats.go: stats, flow and export
	CoachStore   // coaching.go: the rules' numbers
	DigestStore  // digest_cmds.go: /coach digest and the scheduler
	jobs.NudgeStore
}

// ReplayStore is what the front door needs of the store: whether it answers,
// and whether a request was seen before.
type ReplayStore interface {
	Ping(ctx context.Context) error
	Sighting(ctx context.Context, signature string, now time.Time, teamID, userID string) (first bool, m coach.Member, known bool, err error)
}

// Request is one command from a user, from Slack or the console.
type Request struct {
	TeamID      string
	UserID      string
	ChannelID   string
	ChannelName string // as a slash command names it: "mpdm-…" for a group DM
	Command     string // "/deal" or "/coach"
	Text        string // unescaped
	ResponseURL string
	TriggerID   string
	// Known is the caller as the replay check read them from the store,
	// so that answering needs no second query; nil to read them.
	Known *coach.Member

	render.Viewer // the caller and the time: filled in by the app
}

// App answers commands, buttons, modals and events. Create it with New.
type App struct {
	store    Store
	now      func() time.Time
	log      *slog.Logger
	managers map[managerKey]bool // SALESCOACH_MANAGERS
	zones    sync.Map            // time zone name → *time.Location
	slack    transport.Clients
	commands []Command
	// The interaction tables: buttons and modals (interactions.go).
	buttonTable []Button
	modalTable  []Modal
	cs          *coachState
	reporter    jobs.Reporter
	retry       transport.Retry
	attach      func(ctx context.Context, p jobs.PostedDigest) error
	nudger      *jobs.Nudger

	pictures   *jobs.Pictures
	pictureDir string

	http      *http.Client     // posts to response_url
	slowWait  time.Duration    // see Config.SlowWait
	retention time.Duration    // how long an uninstalled workspace's data is kept
	bg        observe.InFlight // work that runs after Slack has its answer, profile fetches, uploads
	filesDir  string           // the console: files are written here instead of sent to Slack
	metrics   *observe.Metrics // what /metrics shows
}

// Config configures an App.
type Config struct {
	Store Store
	Now   func() time.Time // time.Now when nil
	Log   *slog.Logger     // discarded when nil
	// Managers are the users who are always managers (SALESCOACH_MANAGERS):
	// "T…:U…" names a user of one workspace, a bare "U…" one of every
	// workspace the App serves (cmd scopes those with OAuth installs).
	Managers []string
	Slack    transport.Clients // Web API clients; calls fail with ErrNoSlack when nil
	// StatsTTL is how long the team's numbers for coaching are cached: 10
	// minutes when 0, not at all when negative.
	StatsTTL time.Duration
	// ProfileTTL is how long a user's cached Slack profile (locale, time zone,
	// admin) stays fresh before it is fetched again in the background: 7 days
	// when 0.
	ProfileTTL time.Duration
	Retry      transport.Retry // how Slack Web API calls are retried
	Reporter   jobs.Reporter   // the team's metrics for the weekly digest; the store when nil
	// DigestAttach, when set, adds files (the flowchart picture) to a digest
	// once it is posted. A failure is logged; the digest stays posted. When
	// nil and Pictures is set, the flowchart and the won-cycle trend go in
	// the digest's thread.
	DigestAttach func(ctx context.Context, p jobs.PostedDigest) error
	// Pictures gives the pictures their data; without it they fail.
	Pictures jobs.PictureStore
	// Painter draws them: jobs.Paint (package picture) when nil.
	Painter jobs.Painter
	// PictureDir, when set (the console), is where pictures are written
	// instead of being uploaded to Slack.
	PictureDir string

	HTTP *http.Client // for response_url posts; one with a 10 s time-out when nil
	// SlowWait is how long a slow command (/coach forecast) waits for its
	// answer inside Slack's request before saying it is on its way and
	// posting it to the response_url once ready: the request's deadline less
	// a margin when 0; negative always posts it later.
	SlowWait  time.Duration
	Retention time.Duration    // an uninstalled workspace's data is deleted after it; 30 days when 0
	FilesDir  string           // the console: where files go when there is no Slack
	Metrics   *observe.Metrics // where requests, errors and Slack calls are counted; a new registry when nil
}

// New returns an App.
func New(cfg Config) *App {
	a := &App{store: cfg.Store, now: cfg.Now, log: cfg.Log, managers: map[managerKey]bool{}, slack: cfg.Slack,
		pictureDir: cfg.PictureDir, http: cfg.HTTP, slowWait: cfg.SlowWait, retention: cfg.Retention, filesDir: cfg.FilesDir,
		reporter: cfg.Reporter, retry: cfg.Retry, attach: cfg.DigestAttach, metrics: cfg.Metrics}
	if cfg.Pictures != nil {
		a.pictures = jobs.NewPictures(cfg.Pictures, cfg.Painter)
	}
	if a.metrics == nil {
		a.metrics = observe.NewMetrics()
	}
	if a.reporter == nil && cfg.Store != nil {
		a.reporter = cfg.Store
	}
	if a.attach == nil && a.pictures != nil {
		a.attach = a.attachPictures
	}
	if a.http == nil {
		a.http = &http.Client{Timeout: 10 * time.Second}
	}
	if a.retention <= 0 {
		a.retention = 30 * 24 * time.Hour
	}
	if a.slack == nil {
		a.slack = transport.StaticClients{}
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	for _, m := range cfg.Managers {
		team, user, scoped := strings.Cut(strings.TrimSpace(m), ":")
		if !scoped {
			team, user = "", team
		}
		if user != "" {
			a.managers[managerKey{team, user}] = true
		}
	}
	a.commands = a.table()
	a.buttonTable, a.modalTable = a.buttons(), a.modals()
	a.cs = newCoachState(cfg)
	a.nudger = &jobs.Nudger{Env: a.env(), Store: cfg.Store, Coach: a}
	return a
}

// env is what the jobs share with the App.
func (a *App) env() jobs.Env {
	return jobs.Env{Slack: a.slack, Retry: a.retry, Now: a.now, Log: a.log, Metrics: a.metrics}
}

// Metrics returns where the App counts requests, errors and Slack calls.
func (a *App) Metrics() *observe.Metrics { return a.metrics }

// Log returns the App's logger.
func (a *App) Log() *slog.Logger { return a.log }

// Ping reports whether the store answers.
func (a *App) Ping(ctx context.Context) error { return a.store.Ping(ctx) }

// Sighting records a request's signature (the replay check) and returns what
// the store knows of the user it names, nil when none.
func (a *App) Sighting(ctx context.Context, signature, teamID, userID string) (bool, *coach.Member, error) {
	first, m, known, err := a.store.Sighting(ctx, signature, a.now(), teamID, userID)
	if err != nil || !known {
		return first, nil, err
	}
	return first, &m, nil
}

// start fills in the time and the caller of a request from what the store
// knows, and asks for the caller's Slack profile to be refreshed in the
// background when it is old.
func (a *App) start(ctx context.Context, req Request) (Request, error) {
	req.Now = a.now().UTC()
	var m coach.Member
	if k := req.Known; k != nil && k.TeamID == req.TeamID && k.UserID == req.UserID {
		m = *k
	} else {
		var err error
		if m, err = a.store.Member(ctx, req.TeamID, req.UserID); err != nil {
			return req, err
		}
	}
	req.Caller = a.Caller(m)
	a.wantProfile(m, req.Now)
	observe.Started(ctx)
	return req, nil
}

// zone returns the time zone named tz, UTC when tz is empty or unknown.
// Zones are loaded once: parsing the zone database on every request costs
// more than answering it.
func (a *App) zone(tz string) *time.Location {
	if tz == "" {
		return time.UTC
	}
	if l, ok := a.zones.Load(tz); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(tz)
	if err != nil {
		l = time.UTC
	}
	a.zones.Store(tz, l)
	return l
}

// managerKey is a user made a manager by SALESCOACH_MANAGERS: of one
// workspace, or of every one when team is "".
type managerKey struct{ team, user string }

// configuredManager reports whether SALESCOACH_MANAGERS makes userID a
// manager of teamID.
func (a *App) configuredManager(teamID, userID string) bool {
	return a.managers[managerKey{"", userID}] || a.managers[managerKey{teamID, userID}]
}

// Caller builds the caller of a request from what the store knows.
func (a *App) Caller(m coach.Member) coach.Caller {
	lang := m.Lang
	if lang == "" {
		lang = coach.LangFromLocale(m.Locale)
	}
	loc := a.zone(m.TZ)
	return coach.Caller{
		TeamID: m.TeamID, UserID: m.UserID, Lang: lang, Currency: m.Currency, Loc: loc,
		Manager: m.Manager || m.SlackAdmin || a.configuredManager(m.TeamID, m.UserID),
	}
}

// Handle answers one command. It never fails: errors become friendly replies,
// and what went wrong on our side is logged.
func (a *App) Handle(ctx context.Context, req Request) render.Reply {
	// PostgreSQL stores UTF-8 only; a stray invalid byte must not become a
	// database error.
	req.Text = strings.ToValidUTF8(req.Text, "\uFFFD")
	req, err := a.start(ctx, req)
	if err != nil {
		return a.withReinstall(&req, a.failure(ctx, &req, err))
	}
	reply, err := a.dispatch(ctx, &req)
	if err != nil {
		return a.withReinstall(&req, a.failure(ctx, &req, err))
	}
	return a.withReinstall(&req, reply)
}

func (a *App) failure(ctx context.Context, req *Request, err error) render.Reply {
	lang := req.Caller.Lang
	a.metrics.Failed(coach.ErrorCode(err))
	switch coach.ErrorCode(err) {
	case coach.EInternal:
		a.log.ErrorContext(ctx, "command failed", "team", req.TeamID, "user", req.UserID, "command", req.Command, "err", err)
	case coach.EUnavailable:
		a.log.WarnContext(ctx, "database unavailable", "team", req.TeamID, "command", req.Command, "err", err)
	}
	if lang == "" { // the caller is not known yet (the database is down): say it in both languages
		return render.Fail(render.Bilingual(err))
	}
	if errors.Is(err, coach.ErrUnavailable) {
		// The caller is known: the database went away partway through,
		// perhaps after a write was sent.
		err = coach.ErrInterrupted
	}
	return render.Fail(render.ErrorMessage(err, lang))
}
