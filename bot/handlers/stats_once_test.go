package handlers_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/coach"
)

// slowStats is a store whose team numbers take until release is closed.
type slowStats struct {
	*bottest.MemStore
	reads   atomic.Int32
	release chan struct{}
}

func (s *slowStats) TeamStats(ctx context.Context, teamID string, now time.Time) (coach.TeamStats, error) {
	s.reads.Add(1)
	select {
	case <-s.release:
	case <-ctx.Done():
		return coach.TeamStats{}, ctx.Err()
	}
	return s.MemStore.TeamStats(ctx, teamID, now)
}

// TestTeamNumbersReadOnce: while a team's numbers are slow to read, the many
// replies that coach meanwhile do not each start the same read again (on a
// busy server none of them would finish); they coach with fixed thresholds
// once their own time is up, and the one read, once done, serves the replies
// after it.
func TestTeamNumbersReadOnce(t *testing.T) {
	store := &slowStats{MemStore: bottest.NewMemStore(), release: make(chan struct{})}
	app := handlers.New(handlers.Config{Store: store})
	defer app.Close()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := coach.Caller{TeamID: "T1", UserID: "U1"}
	d := coach.Deal{ID: 1, TeamID: "T1", Number: 1, Name: "Acme", OwnerID: "U1", Status: coach.StatusOpen,
		Stage: coach.Qualification, StageSince: now.AddDate(0, 0, -3), LastActive: now.AddDate(0, 0, -3), CreatedAt: now.AddDate(0, 0, -9)}

	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			if adv := app.Advise(ctx, c, now, d, nil); adv.Situation.Rule == "" {
				t.Error("no advice while the team's numbers are read")
			}
		}()
	}
	wg.Wait()
	if n := store.reads.Load(); n != 1 {
		t.Errorf("16 replies read the team's numbers %d times; want once", n)
	}
	close(store.release)
	app.Wait()
	app.Advise(context.Background(), c, now.Add(time.Minute), d, nil)
	if n := store.reads.Load(); n != 1 {
		t.Errorf("after the read, the numbers were read %d times in all; want once (cached)", n)
	}
}
