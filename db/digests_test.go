package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

func subscribe(t *testing.T, store *db.DB, team, channel string, s coach.Schedule, since time.Time) coach.DigestSub {
	t.Helper()
	ctx := context.Background()
	if err := store.EnsureTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	sub, err := store.SaveDigest(ctx, coach.DigestSub{TeamID: team, ChannelID: channel, Schedule: s, Names: true,
		Lang: coach.EN, CreatedBy: "UBOSS", Since: since})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestDigestSubscriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dbtest.New(t) // it lists the active digests of every team
	since := time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)
	ny := coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}
	sub := subscribe(t, store, "T1", "C1", ny, since)
	if !sub.Active || sub.Schedule != ny || !sub.Names || sub.Channel != coach.ChannelUnchecked || !sub.Since.Equal(since) {
		t.Fatalf("saved %+v", sub)
	}

	t.Run("NamesOff", func(t *testing.T) {
		got, err := store.SetDigestNames(ctx, "T1", "C1", false)
		if err != nil || got.Names {
			t.Fatalf("SetDigestNames = %+v, %v", got, err)
		}
	})
	t.Run("ResubscribeKeepsNamesAndRechecksTheChannel", func(t *testing.T) {
		if _, err := store.SetDigestChannel(ctx, sub.ID, coach.ChannelNotMember, since); err != nil {
			t.Fatal(err)
		}
		fri := coach.Schedule{Weekday: time.Friday, Hour: 16, Minute: 30, Zone: "Europe/Berlin"}
		got := subscribe(t, store, "T1", "C1", fri, since.Add(time.Hour))
		if got.ID != sub.ID || got.Schedule != fri || got.Names || got.Channel != coach.ChannelUnchecked {
			t.Fatalf("resubscribed %+v", got)
		}
	})
	t.Run("Off", func(t *testing.T) {
		if _, err := store.StopDigest(ctx, "T1", "C1"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DigestIn(ctx, "T1", "C1"); coach.ErrorCode(err) != coach.ENotFound {
			t.Fatalf("DigestIn after off: %v, want not found", err)
		}
		if _, err := store.StopDigest(ctx, "T1", "C1"); coach.ErrorCode(err) != coach.ENotFound {
			t.Fatalf("second off: %v, want not found", err)
		}
		if _, err := store.SetDigestNames(ctx, "T1", "C1", true); coach.ErrorCode(err) != coach.ENotFound {
			t.Fatalf("names without a digest: %v, want not found", err)
		}
		all, err := store.ActiveDigests(ctx)
		if err != nil || len(all) != 0 {
			t.Fatalf("active after off: %v, %v", all, err)
		}
	})
	t.Run("OtherTeamsUnseen", func(t *testing.T) {
		subscribe(t, store, "T2", "C1", ny, since)
		mine, err := store.TeamDigests(ctx, "T1")
		if err != nil || len(mine) != 0 {
			t.Fatalf("T1 sees %+v, %v", mine, err)
		}
	})
}

func TestClaimDigestOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.URL(t)
	open := func() *db.DB {
		s, err := db.Open(ctx, url, db.Options{MaxOpen: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	stores := []*db.DB{open(), open()}
	sched := coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}
	due := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	sub := subscribe(t, stores[0], "T1", "C1", sched, due.AddDate(0, 0, -10))
	week := sched.Week(due)
	claim := func(store *db.DB, by string, now time.Time) (coach.DigestClaim, bool) {
		c, ok, err := store.ClaimDigest(ctx, coach.DigestClaim{SubID: sub.ID, Week: week, Due: due, By: by, At: now, LeaseUntil: now.Add(10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return c, ok
	}

	// Twenty claims from two processes at once: one wins.
	var wins sync.Map
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			by := fmt.Sprintf("p%d", i)
			if c, ok := claim(stores[i%2], by, due); ok {
				wins.Store(by, c)
			}
		}()
	}
	wg.Wait()
	var winners []coach.DigestClaim
	wins.Range(func(_, v any) bool { winners = append(winners, v.(coach.DigestClaim)); return true })
	if len(winners) != 1 || winners[0].Attempt != 1 {
		t.Fatalf("winners = %+v, want exactly one first attempt", winners)
	}
	first := winners[0]

	if _, ok := claim(stores[0], "late", due.Add(5*time.Minute)); ok {
		t.Fatal("claimed a week whose lease still runs")
	}
	// The holder died: after its lease another process takes over, as a second attempt.
	taken, ok := claim(stores[1], "heir", due.Add(11*time.Minute))
	if !ok || taken.Attempt != 2 || !taken.FirstAt.Equal(due) {
		t.Fatalf("take-over = %+v, %v; want attempt 2 first claimed at %s", taken, ok, due)
	}
	if done, err := stores[0].FinishDigest(ctx, first, coach.DigestOutcome{State: coach.RunPosted, TS: "1.1", At: due}); err != nil || done {
		t.Fatalf("the dead holder recorded an outcome: %v, %v", done, err)
	}
	retry := due.Add(20 * time.Minute)
	if done, err := stores[1].FinishDigest(ctx, taken, coach.DigestOutcome{State: coach.RunAmbiguous, RetryAt: retry, At: due}); err != nil || !done {
		t.Fatalf("FinishDigest = %v, %v", done, err)
	}
	if _, ok := claim(stores[0], "early", retry.Add(-time.Second)); ok {
		t.Fatal("claimed before the retry time")
	}
	again, ok := claim(stores[0], "retry", retry)
	if !ok || again.Attempt != 3 {
		t.Fatalf("retry claim = %+v, %v", again, ok)
	}
	if done, err := stores[0].FinishDigest(ctx, again, coach.DigestOutcome{State: coach.RunPosted, TS: "1.2", At: retry}); err != nil || !done {
		t.Fatalf("FinishDigest = %v, %v", done, err)
	}
	if _, ok := claim(stores[1], "after", retry.Add(time.Hour)); ok {
		t.Fatal("claimed a posted week")
	}
	got, err := stores[1].DigestIn(ctx, "T1", "C1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Last.Week.Equal(week) || got.Last.State != coach.RunPosted || got.Last.TS != "1.2" || got.Last.Attempts != 3 || !got.Last.Final() {
		t.Fatalf("last run = %+v", got.Last)
	}
	if _, _, due := got.Due(retry.Add(time.Hour)); due {
		t.Fatal("a posted week is due again")
	}
}
