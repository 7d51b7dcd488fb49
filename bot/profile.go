package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// What Slack says of a user — locale, time zone, whether they are a workspace
// admin or owner — is read with users.info in the background and cached in
// the store (db SetProfile), so that no reply waits for Slack's API. A request
// from a user whose profile is missing or older than profileMaxAge asks for a
// refresh; RunProfiles does the fetching. This is the one place that calls
// users.info for profiles.

const (
	profileMaxAge  = 24 * time.Hour
	profileRetry   = 10 * time.Minute // after a failed or pending fetch
	profileWorkers = 2
)

type profileKey struct{ team, user string }

// profileRefresher queues the users whose profile to fetch. Asking never
// blocks: when the queue is full the request is dropped and asked again later.
type profileRefresher struct {
	queue chan profileKey
	mu    *sync.Mutex
	asked map[profileKey]time.Time // when a fetch was last queued
}

func newProfileRefresher() profileRefresher {
	return profileRefresher{queue: make(chan profileKey, 256), mu: &sync.Mutex{}, asked: map[profileKey]time.Time{}}
}

// wantProfile queues a fetch of m's Slack profile when it is missing or old
// and was not asked for recently.
func (a *App) wantProfile(m coach.Member, now time.Time) {
	if !m.FetchedAt.IsZero() && now.Sub(m.FetchedAt) < profileMaxAge {
		return
	}
	p := a.profiles
	k := profileKey{m.TeamID, m.UserID}
	p.mu.Lock()
	defer p.mu.Unlock()
	if at, ok := p.asked[k]; ok && now.Sub(at) < profileRetry {
		return
	}
	select {
	case p.queue <- k:
		p.asked[k] = now
	default:
	}
	if len(p.asked) > 10_000 {
		for k, at := range p.asked {
			if now.Sub(at) >= profileRetry {
				delete(p.asked, k)
			}
		}
	}
}

// RunProfiles fetches the profiles asked for until ctx ends.
func (a *App) RunProfiles(ctx context.Context) {
	var wg sync.WaitGroup
	for range profileWorkers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case k := <-a.profiles.queue:
					if err := a.RefreshProfile(ctx, k.team, k.user); err != nil && ctx.Err() == nil {
						a.log.WarnContext(ctx, "profile refresh failed", "team", k.team, "user", k.user, "err", err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// RefreshProfile reads a user's profile from Slack and caches it. A team with
// no Slack token is not an error: there is nothing to read.
func (a *App) RefreshProfile(ctx context.Context, teamID, userID string) error {
	client, err := a.slack.Client(ctx, teamID)
	if errors.Is(err, ErrNoSlack) {
		return nil
	}
	if err != nil {
		return err
	}
	var u *slack.User
	err = Retry{Attempts: 3}.Do(ctx, func(ctx context.Context) error {
		var err error
		u, err = client.GetUserInfoContext(ctx, userID)
		return err
	})
	if err != nil {
		return err
	}
	admin := u.IsAdmin || u.IsOwner || u.IsPrimaryOwner
	return a.store.SetProfile(ctx, teamID, userID, u.Locale, u.TZ, admin, a.now().UTC())
}
