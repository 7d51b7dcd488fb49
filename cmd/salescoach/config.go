package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"salescoach/coach"
	"salescoach/db"
)

// config is the configuration of §6 of the spec, read from the environment;
// flags override it.
type config struct {
	DatabaseURL   string
	ListenAddr    string
	SigningSecret string
	BotToken      string
	AppToken      string
	ClientID      string
	ClientSecret  string
	SlackAPIURL   string
	SecretKey     []byte
	PublicURL     string
	RetentionDays int
	Managers      []string
	LogLevel      slog.Level
	rawSecretKey  string
	rawRetention  string
	rawLogLevel   string
	rawManagers   string
}

// settingError names the setting that is wrong, in one line.
type settingError struct {
	name, problem string
}

func (e *settingError) Error() string { return e.name + ": " + e.problem }

// loadConfig reads the environment.
func loadConfig(getenv func(string) string) *config {
	c := &config{
		DatabaseURL:   getenv("DATABASE_URL"),
		ListenAddr:    getenv("LISTEN_ADDR"),
		SigningSecret: getenv("SLACK_SIGNING_SECRET"),
		BotToken:      getenv("SLACK_BOT_TOKEN"),
		AppToken:      getenv("SLACK_APP_TOKEN"),
		ClientID:      getenv("SLACK_CLIENT_ID"),
		ClientSecret:  getenv("SLACK_CLIENT_SECRET"),
		SlackAPIURL:   getenv("SLACK_API_URL"),
		PublicURL:     getenv("SALESCOACH_PUBLIC_URL"),
		rawSecretKey:  getenv("SALESCOACH_SECRET_KEY"),
		rawRetention:  getenv("SALESCOACH_RETENTION_DAYS"),
		rawLogLevel:   getenv("LOG_LEVEL"),
		rawManagers:   getenv("SALESCOACH_MANAGERS"),
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = db.DefaultURL
	}
	if c.ListenAddr == "" {
		c.ListenAddr = ":3000"
	}
	return c
}

// databaseFlag lets a subcommand override DATABASE_URL. Its default, shown by
// --help, is the URL without its password.
func (c *config) databaseFlag(fs *flag.FlagSet) {
	fs.Var(databaseURL{&c.DatabaseURL}, "database", "PostgreSQL `URL` (DATABASE_URL)")
}

// databaseURL is a flag value that never shows a password.
type databaseURL struct{ p *string }

func (v databaseURL) String() string {
	if v.p == nil {
		return ""
	}
	return db.Redact(*v.p)
}

func (v databaseURL) Set(s string) error {
	*v.p = s
	return nil
}

// validate checks every setting and returns the first problem, naming it.
func (c *config) validate() error {
	u, err := url.Parse(c.DatabaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || strings.TrimPrefix(u.Path, "/") == "" {
		return &settingError{"DATABASE_URL", "must be a postgres:// URL naming a database, e.g. " + db.DefaultURL}
	}
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || port == "" {
		return &settingError{"LISTEN_ADDR", fmt.Sprintf("%q is not host:port or :port (e.g. :3000)", c.ListenAddr)}
	}
	if c.SlackAPIURL != "" {
		u, err := url.Parse(c.SlackAPIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &settingError{"SLACK_API_URL", fmt.Sprintf("%q is not an http(s) URL", c.SlackAPIURL)}
		}
		if !strings.HasSuffix(c.SlackAPIURL, "/") {
			c.SlackAPIURL += "/"
		}
	}
	if c.BotToken != "" && !strings.HasPrefix(c.BotToken, "xoxb-") {
		return &settingError{"SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-"}
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		return &settingError{"SLACK_APP_TOKEN", "must be an app-level token starting with xapp-"}
	}
	if (c.ClientID == "") != (c.ClientSecret == "") {
		return &settingError{"SLACK_CLIENT_ID", "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together; set both or neither"}
	}
	if c.rawSecretKey != "" {
		key, err := base64.StdEncoding.DecodeString(c.rawSecretKey)
		if err != nil || len(key) != 32 {
			return &settingError{"SALESCOACH_SECRET_KEY", "must be 32 random bytes in base64 (openssl rand -base64 32)"}
		}
		c.SecretKey = key
	}
	if c.ClientID != "" && c.SecretKey == nil {
		return &settingError{"SALESCOACH_SECRET_KEY", "is required with SLACK_CLIENT_ID: installed tokens are stored encrypted with it"}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return &settingError{"SALESCOACH_PUBLIC_URL", fmt.Sprintf("%q is not an https URL", c.PublicURL)}
		}
	}
	c.RetentionDays = 30
	if c.rawRetention != "" {
		n, err := strconv.Atoi(c.rawRetention)
		if err != nil || n < 1 {
			return &settingError{"SALESCOACH_RETENTION_DAYS", fmt.Sprintf("%q is not a whole number of days ≥ 1", c.rawRetention)}
		}
		c.RetentionDays = n
	}
	c.Managers = nil
	for _, m := range strings.Split(c.rawManagers, ",") {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		team, user, scoped := strings.Cut(m, ":")
		if !scoped {
			team, user = "", team
		}
		if !validUserID(user) || scoped && !validTeamID(team) {
			return &settingError{"SALESCOACH_MANAGERS", fmt.Sprintf("%q is neither a Slack user id (like U0123ABCD) nor a workspace and user (like T0123ABCD:U0123ABCD)", m)}
		}
		c.Managers = append(c.Managers, m)
	}
	switch strings.ToLower(c.rawLogLevel) {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return &settingError{"LOG_LEVEL", fmt.Sprintf("%q is not one of debug, info, warn, error", c.rawLogLevel)}
	}
	return nil
}

// serveSettings checks what serve needs on top of validate: a way for Slack to
// reach the bot, a bot token for Socket Mode, and the public address OAuth
// redirects to.
func (c *config) serveSettings() error {
	if c.SigningSecret == "" && c.AppToken == "" {
		return &settingError{"SLACK_SIGNING_SECRET", "is required by serve over HTTP (find it under Basic Information in your Slack app's settings), unless SLACK_APP_TOKEN turns on Socket Mode"}
	}
	if c.AppToken != "" && c.BotToken == "" && c.ClientID == "" {
		return &settingError{"SLACK_BOT_TOKEN", "is required with SLACK_APP_TOKEN (or SLACK_CLIENT_ID for OAuth installs): Socket Mode brings requests, the bot token answers them"}
	}
	if c.ClientID != "" && c.PublicURL == "" {
		return &settingError{"SALESCOACH_PUBLIC_URL", "is required with SLACK_CLIENT_ID: Slack sends installers back to <SALESCOACH_PUBLIC_URL>/slack/oauth/callback"}
	}
	return nil
}

func validUserID(s string) bool { return coach.IsUserID(s) }

// validTeamID reports whether s looks like a Slack workspace id: T, then
// capital letters and digits.
func validTeamID(s string) bool {
	if len(s) < 2 || s[0] != 'T' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// scopeManagers returns the SALESCOACH_MANAGERS entries as the bot takes
// them. With one workspace (no OAuth) an entry without a workspace is a
// manager of that one. With OAuth installs it would be a manager of every
// workspace that installs the bot: such an entry applies only to home, the
// workspace of SLACK_BOT_TOKEN, or to none when there is no such token, and
// warning says so (one line for the log; "" when there is nothing to say).
func scopeManagers(entries []string, oauth bool, home string) (scoped []string, warning string) {
	if !oauth {
		return entries, ""
	}
	bare := 0
	for _, m := range entries {
		if strings.Contains(m, ":") {
			scoped = append(scoped, m)
			continue
		}
		bare++
		if home != "" {
			scoped = append(scoped, home+":"+m)
		}
	}
	switch {
	case bare == 0:
		return scoped, ""
	case home != "":
		return scoped, fmt.Sprintf("SALESCOACH_MANAGERS: %d entries name no workspace; with OAuth installs they are managers of %s (SLACK_BOT_TOKEN's workspace) only; write T…:U… for other workspaces", bare, home)
	}
	return scoped, fmt.Sprintf("SALESCOACH_MANAGERS: %d entries name no workspace and are managers of none with OAuth installs; write them as T…:U… (workspace:user)", bare)
}
