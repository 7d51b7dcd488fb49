package transport

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/coach"
)

// BotScopes returns the bot token scopes the app asks for when installed;
// manifest.yml lists the same (a test checks).
func BotScopes() []string {
	return []string{
		"commands",         // /deal and /coach
		"chat:write",       // replies, digests and nudges
		"im:write",         // open a direct message for exports, pictures and nudges
		"users:read",       // users.info: time zone, locale, workspace admins
		"files:write",      // upload pictures and CSV exports
		"channels:read",    // conversations.info: is the bot a member, is it Slack Connect
		"groups:read",      // the same for private channels
		"channels:history", // find the bot's own digest after an ambiguous post
		"groups:history",   // the same for private channels
	}
}

// InstallStore keeps the workspaces installed through OAuth.
type InstallStore interface {
	SaveInstallation(ctx context.Context, in coach.Installation) error
	// Installation returns a coach error with code ENotFound when the
	// workspace has none.
	Installation(ctx context.Context, teamID string) (coach.Installation, error)
	// UseOAuthState records the use of an install state's nonce, valid
	// until expires, and reports whether it is the first: a state works
	// once, whichever serve process gets it.
	UseOAuthState(ctx context.Context, nonce string, expires, now time.Time) (bool, error)
}

// Install serves Slack's OAuth v2 flow, by which more workspaces install the
// app: /slack/install sends the installer to Slack with a signed state, and
// /slack/oauth/callback checks the state, exchanges the code for the bot
// token and stores the token sealed.
type Install struct {
	ClientID     string
	ClientSecret string
	RedirectURL  string // <SALESCOACH_PUBLIC_URL>/slack/oauth/callback
	AuthorizeURL string // Slack's when empty
	APIURL       string // the Web API for oauth.v2.access; Slack's when empty
	Sealer       *Sealer
	Store        InstallStore
	HTTP         *http.Client // http.DefaultClient when nil
	Now          func() time.Time
	Log          *slog.Logger
}

const (
	slackAuthorizeURL = "https://slack.com/oauth/v2/authorize"
	stateCookie       = "salescoach_install"
	stateLife         = 10 * time.Minute
)

func (in *Install) now() time.Time {
	if in.Now == nil {
		return time.Now()
	}
	return in.Now()
}

func (in *Install) log() *slog.Logger {
	if in.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return in.Log
}

// Start sends the installer to Slack's authorize page. The state names a
// random nonce, its expiry and a signature; the nonce is also set in a cookie,
// so only the browser that started an install can finish it.
func (in *Install) Start(w http.ResponseWriter, r *http.Request) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		http.Error(w, "cannot start the install", http.StatusInternalServerError)
		return
	}
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	exp := in.now().Add(stateLife).Unix()
	payload := nonce + "." + strconv.FormatInt(exp, 10)
	state := payload + "." + base64.RawURLEncoding.EncodeToString(in.Sealer.sign(payload))
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: nonce, Path: "/slack/oauth", MaxAge: int(stateLife.Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(in.RedirectURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
	authorize := in.AuthorizeURL
	if authorize == "" {
		authorize = slackAuthorizeURL
	}
	q := url.Values{
		"client_id":    {in.ClientID},
		"scope":        {strings.Join(BotScopes(), ",")},
		"redirect_uri": {in.RedirectURL},
		"state":        {state},
	}
	http.Redirect(w, r, authorize+"?"+q.Encode(), http.StatusFound)
}

// checkState verifies a state from Start against the browser's cookie and
// returns its nonce and expiry; ok is false when it does not hold.
func (in *Install) checkState(r *http.Request) (nonce string, expires time.Time, ok bool) {
	parts := strings.Split(r.URL.Query().Get("state"), ".")
	if len(parts) != 3 {
		return "", time.Time{}, false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, in.Sealer.sign(parts[0]+"."+parts[1])) {
		return "", time.Time{}, false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || in.now().Unix() > exp {
		return "", time.Time{}, false
	}
	c, err := r.Cookie(stateCookie)
	if err != nil || !hmac.Equal([]byte(c.Value), []byte(parts[0])) {
		return "", time.Time{}, false
	}
	return parts[0], time.Unix(exp, 0).UTC(), true
}

var installPage = template.Must(template.New("install").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Sales Coach</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto">
<h1>{{.Title.EN}}</h1><p>{{.Text.EN}}</p>
<h2 lang="zh">{{.Title.ZH}}</h2><p lang="zh">{{.Text.ZH}}</p></body></html>
`))

// page answers the installer's browser in both languages.
func (in *Install) page(w http.ResponseWriter, status int, title, text coach.Message) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	both := func(m coach.Message) coach.Text {
		return coach.Text{EN: render.Msg(coach.EN, m.Key, m.Args), ZH: render.Msg(coach.ZH, m.Key, m.Args)}
	}
	installPage.Execute(w, struct{ Title, Text coach.Text }{both(title), both(text)})
}

// Callback finishes an install: it refuses a missing, forged, expired,
// foreign or already used state, exchanges the code with oauth.v2.access and stores the bot
// token sealed. Reinstalling cancels a pending deletion of the workspace's
// data.
func (in *Install) Callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		in.page(w, http.StatusBadRequest, coach.Msg("install.cancelled.title", nil),
			coach.Msg("install.cancelled", coach.Args{"error": e}))
		return
	}
	nonce, expires, ok := in.checkState(r)
	if !ok {
		in.log().WarnContext(r.Context(), "install refused: state does not match")
		in.page(w, http.StatusBadRequest, coach.Msg("install.invalid.title", nil),
			coach.Msg("install.expired", nil))
		return
	}
	code := q.Get("code")
	if code == "" {
		in.page(w, http.StatusBadRequest, coach.Msg("install.invalid.title", nil),
			coach.Msg("install.no_code", nil))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	// The state is spent before the code is exchanged, so that two
	// callbacks with one state (a replay, a second tab) install once.
	first, err := in.Store.UseOAuthState(ctx, nonce, expires, in.now().UTC())
	if err != nil {
		in.log().ErrorContext(ctx, "install not finished: the install state could not be recorded", "err", err)
		in.page(w, http.StatusServiceUnavailable, coach.Msg("install.unfinished.title", nil),
			coach.Msg("install.no_database", nil))
		return
	}
	if !first {
		in.log().WarnContext(ctx, "install refused: state already used")
		in.page(w, http.StatusBadRequest, coach.Msg("install.used.title", nil),
			coach.Msg("install.used", nil))
		return
	}
	inst, err := in.exchange(ctx, code)
	if err != nil {
		in.log().ErrorContext(ctx, "install failed", "err", err)
		in.page(w, http.StatusBadGateway, coach.Msg("install.failed.title", nil),
			coach.Msg("install.failed", nil))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: "/slack/oauth", MaxAge: -1})
	in.log().InfoContext(ctx, "workspace installed", "team", inst.TeamID, "by", inst.InstalledBy)
	name := inst.TeamName
	if name == "" {
		name = inst.TeamID
	}
	in.page(w, http.StatusOK, coach.Msg("install.done.title", coach.Args{"workspace": name}),
		coach.Msg("install.done", nil))
}

// exchange trades the code for the bot token and stores it sealed.
func (in *Install) exchange(ctx context.Context, code string) (coach.Installation, error) {
	hc := in.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	var opts []slack.OAuthOption
	if in.APIURL != "" {
		opts = append(opts, slack.OAuthOptionAPIURL(in.APIURL))
	}
	resp, err := slack.GetOAuthV2ResponseContext(ctx, hc, in.ClientID, in.ClientSecret, code, in.RedirectURL, opts...)
	if err != nil {
		return coach.Installation{}, fmt.Errorf("oauth.v2.access: %w", err)
	}
	if resp.IsEnterpriseInstall || resp.Team.ID == "" {
		return coach.Installation{}, errors.New("an organisation-wide install is not supported: install into a workspace")
	}
	if !strings.HasPrefix(resp.AccessToken, "xoxb-") {
		return coach.Installation{}, errors.New("oauth.v2.access gave no bot token")
	}
	sealed, err := in.Sealer.Seal(resp.AccessToken, resp.Team.ID)
	if err != nil {
		return coach.Installation{}, err
	}
	inst := coach.Installation{
		TeamID: resp.Team.ID, TeamName: resp.Team.Name, EnterpriseID: resp.Enterprise.ID, AppID: resp.AppID,
		BotUserID: resp.BotUserID, BotToken: sealed, Scopes: resp.Scope, InstalledBy: resp.AuthedUser.ID,
		InstalledAt: in.now().UTC(),
	}
	if err := in.Store.SaveInstallation(ctx, inst); err != nil {
		return coach.Installation{}, fmt.Errorf("save installation: %w", err)
	}
	return inst, nil
}

// InstalledClients gives each workspace a client with the bot token it
// installed through OAuth. A workspace with no installation gets the single
// workspace's token (SLACK_BOT_TOKEN) when one is configured — only that
// workspace's when FallbackTeam is set — and ErrNoSlack otherwise.
type InstalledClients struct {
	Store        InstallStore
	Sealer       *Sealer
	Health       *TokenHealth // remembers the workspaces whose token does not open; nil: none
	APIURL       string       // Slack's when empty; must end with "/"
	HTTP         *http.Client
	Fallback     StaticClients
	FallbackTeam string
}

// Serves reports whether teamID installed the app, or is the workspace of
// the single workspace's token: the bot serves no other workspace.
func (c InstalledClients) Serves(ctx context.Context, teamID string) (bool, error) {
	if c.Fallback.Token != "" && (c.FallbackTeam == "" || c.FallbackTeam == teamID) {
		return true, nil
	}
	_, err := c.Store.Installation(ctx, teamID)
	switch {
	case err == nil:
		return true, nil
	case coach.ErrorCode(err) == coach.ENotFound:
		return false, nil
	}
	return false, err
}

// Client returns the client for teamID. The token is read from the store on
// every call, so a forgotten token is never used again.
func (c InstalledClients) Client(ctx context.Context, teamID string) (*slack.Client, error) {
	inst, err := c.Store.Installation(ctx, teamID)
	switch {
	case err == nil:
		token, err := c.Sealer.Open(inst.BotToken, teamID)
		c.Health.mark(teamID, err != nil)
		if err != nil {
			return nil, ErrReinstall
		}
		return NewSlackClient(token, c.APIURL, c.HTTP), nil
	case coach.ErrorCode(err) == coach.ENotFound:
		if c.Fallback.Token != "" && (c.FallbackTeam == "" || c.FallbackTeam == teamID) {
			return c.Fallback.Client(ctx, teamID)
		}
		return nil, ErrNoSlack
	}
	return nil, err
}

// ErrReinstall is the error of a workspace whose stored bot token does not
// open with SALESCOACH_SECRET_KEY — the key was changed since it installed
// the app. Trying again never helps: the app must be installed there again
// (which stores a token sealed with the new key), or the old key restored.
var ErrReinstall = errors.New("the workspace's stored Slack token does not open with SALESCOACH_SECRET_KEY: reinstall the app there, or restore the old key")

// TokenHealth remembers which workspaces' stored tokens do not open with the
// key: found at start-up (CheckTokens) or by a call that needed the token,
// forgotten once the token opens again (after a reinstall).
type TokenHealth struct {
	mu  sync.Mutex
	bad map[string]bool
}

func (h *TokenHealth) mark(teamID string, bad bool) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if bad {
		if h.bad == nil {
			h.bad = map[string]bool{}
		}
		h.bad[teamID] = true
	} else {
		delete(h.bad, teamID)
	}
}

// NeedsReinstall reports whether teamID's stored token was found not to open.
func (c InstalledClients) NeedsReinstall(teamID string) bool {
	if c.Health == nil {
		return false
	}
	c.Health.mu.Lock()
	defer c.Health.mu.Unlock()
	return c.Health.bad[teamID]
}

// SealedTokens lists every stored installation's sealed bot token, by team.
type SealedTokens interface {
	SealedTokens(ctx context.Context) (map[string][]byte, error)
}

// CheckTokens tries to open every stored token with the key and returns the
// workspaces (sorted) whose token does not open, marking them.
func (c InstalledClients) CheckTokens(ctx context.Context, store SealedTokens) ([]string, error) {
	tokens, err := store.SealedTokens(ctx)
	if err != nil {
		return nil, err
	}
	var bad []string
	for team, sealed := range tokens {
		_, err := c.Sealer.Open(sealed, team)
		c.Health.mark(team, err != nil)
		if err != nil {
			bad = append(bad, team)
		}
	}
	slices.Sort(bad)
	return bad, nil
}
