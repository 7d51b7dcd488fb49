package handlers

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// MemberStore is what the App needs of the store about people: the caller
// of a request, their cached Slack profile, and the settings /coach changes
// (language, currency, managers).
type MemberStore interface {
	Member(ctx context.Context, teamID, userID string) (coach.Member, error)
	SetProfile(ctx context.Context, teamID, userID, locale, tz string, admin bool, at time.Time) error
	SetLang(ctx context.Context, teamID, userID string, lang coach.Lang) error
	SetCurrency(ctx context.Context, teamID, currency string) error
	SetManager(ctx context.Context, teamID, userID string, manager bool) error
	Managers(ctx context.Context, teamID string) ([]string, error)
}

// What Slack says of a user — locale, time zone, whether they are a workspace
// admin or owner — is read with users.info in the background and cached in
// the store, so no reply ever waits for Slack's API (§7). A request from a
// user whose profile is missing or older than the profile TTL starts one
// fetch; the first reply may be in English, the next ones follow the locale.

// profileFetchTimeout bounds one background fetch, retries included.
const profileFetchTimeout = 30 * time.Second

// wantProfile starts a background fetch of m's Slack profile when it is
// missing or stale and no fetch for m started in the last few minutes. It
// never blocks.
func (a *App) wantProfile(m coach.Member, now time.Time) {
	cs := a.cs
	if !m.FetchedAt.IsZero() && now.Sub(m.FetchedAt) < cs.profileTTL {
		return
	}
	if !a.startProfileFetch(m, now) {
		return
	}
	a.bg.Add()
	go func() {
		defer a.bg.Done()
		ctx, cancel := context.WithTimeout(cs.bgCtx, profileFetchTimeout)
		defer cancel()
		defer observe.Recovered(ctx, a.metrics, a.log, "profile")
		if err := a.RefreshProfile(ctx, m.TeamID, m.UserID); err != nil {
			a.log.WarnContext(ctx, "slack profile not refreshed", "team", m.TeamID, "user", m.UserID, "err", err)
		}
	}()
}

// startProfileFetch reports whether a fetch of m's profile may start at now:
// not when one started in the last few minutes (pending, or failed recently).
func (a *App) startProfileFetch(m coach.Member, now time.Time) bool {
	cs := a.cs
	key := m.TeamID + "/" + m.UserID
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if at, ok := cs.profiles[key]; ok && now.Sub(at) < profileRetryAfter && !now.Before(at) {
		return false
	}
	cs.profiles[key] = now
	if len(cs.profiles) > 10_000 {
		for k, at := range cs.profiles {
			if now.Sub(at) >= profileRetryAfter {
				delete(cs.profiles, k)
			}
		}
	}
	return true
}

// RefreshProfile reads a user's profile from Slack (users.info with their
// locale) and caches it. A team with no Slack token is not an error: there is
// nothing to read; nor is one whose token needs a reinstall, which serve
// logged once at start-up.
func (a *App) RefreshProfile(ctx context.Context, teamID, userID string) error {
	client, err := a.slack.Client(ctx, teamID)
	if errors.Is(err, transport.ErrNoSlack) || errors.Is(err, transport.ErrReinstall) {
		return nil
	}
	if err != nil {
		return err
	}
	retry := a.cs.retry
	if retry.Attempts == 0 {
		retry.Attempts = 3
	}
	var u *slack.User
	err = retry.Do(ctx, func(ctx context.Context) error {
		var err error
		u, err = client.GetUserInfoContext(ctx, userID, slack.GetUserInfoOptionIncludeLocale(true))
		return err
	})
	if err != nil {
		return err
	}
	// An admin of another organisation (a Slack Connect channel's external
	// member) is no admin here.
	admin := (u.IsAdmin || u.IsOwner || u.IsPrimaryOwner) && memberOf(u, teamID)
	return a.store.SetProfile(ctx, teamID, userID, u.Locale, u.TZ, admin, a.now().UTC())
}

// memberOf reports whether Slack's profile u is of a member of the workspace
// teamID: their own team, or in Enterprise Grid one of their workspaces. A
// profile that names no team is taken as a member.
func memberOf(u *slack.User, teamID string) bool {
	return u.TeamID == "" || u.TeamID == teamID || slices.Contains(u.Enterprise.Teams, teamID)
}
