package db_test

import (
	"context"
	"math"
	"reflect"
	"sync"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// builder writes a deal's history at chosen times.
type builder struct {
	t    *testing.T
	s    *db.DB
	team string
	now  time.Time
}

// newBuilder is a builder on the package's shared database, in a team of
// the test's own whose member U1 exists.
func newBuilder(t *testing.T, now time.Time) (*db.DB, builder) {
	t.Helper()
	s := dbtest.Shared(t)
	b := builder{t: t, s: s, team: dbtest.TeamID(t), now: now}
	if _, err := s.Member(context.Background(), b.team, "U1"); err != nil {
		t.Fatal(err)
	}
	return s, b
}

// win marks d won days ago.
func (b builder) win(d coach.Deal, days float64) {
	b.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) { return coach.Win(c, d, at) })
}

func (b builder) ago(days float64) time.Time {
	return b.now.Add(-time.Duration(days * 24 * float64(time.Hour)))
}

// deal creates a deal in stage days ago, with an amount in cents (0: none).
func (b builder) deal(name string, stage coach.Stage, days float64, cents int64, currency string) coach.Deal {
	b.t.Helper()
	nd := coach.NewDeal{Name: name, OwnerID: "U1", Amount: coach.Money{Currency: currency}, Stage: stage, ActorID: "U1", At: b.ago(days)}
	if cents > 0 {
		nd.Amount.Cents, nd.HasAmount = cents, true
	}
	d, _, err := b.s.CreateDeal(context.Background(), b.team, nd)
	if err != nil {
		b.t.Fatal(err)
	}
	return d
}

// change appends one event to d days ago and returns it.
func (b builder) change(d coach.Deal, days float64, decide func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error)) coach.Event {
	b.t.Helper()
	c := coach.Caller{TeamID: b.team, UserID: "U1"}
	_, ev, err := b.s.Change(context.Background(), c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return decide(c, d, b.ago(days))
	})
	if err != nil {
		b.t.Fatal(err)
	}
	return ev
}

func (b builder) move(d coach.Deal, to coach.Stage, days float64) coach.Event {
	return b.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) { return coach.Move(c, d, to, at) })
}

func (b builder) lose(d coach.Deal, r coach.LostReason, days float64) coach.Event {
	return b.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Lose(c, d, r, "", at)
	})
}

func (b builder) revert(d coach.Deal, ev coach.Event, days float64) {
	b.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Event{Kind: coach.EvRevert, Reverts: ev.ID, ActorID: c.UserID, At: at}, nil
	})
}

// TestTeamStats checks the figures against values worked out by hand.
func TestTeamStats(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s, b := newBuilder(t, now)

	// Qualification visits completed in the 90-day window: 4, 6 and 2 days.
	a := b.deal("A", coach.Qualification, 40, 1_000_000, "USD")
	b.move(a, coach.Presentation, 36)
	b.change(a, 30, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) { return coach.Win(c, d, at) }) // presentation: 6
	bd := b.deal("B", coach.Qualification, 30, 2_000_000, "USD")
	b.move(bd, coach.Presentation, 24)
	cd := b.deal("C", coach.Qualification, 20, 3_000_000, "USD")
	b.lose(cd, coach.ReasonPrice, 18)
	// Ended before the window; still open; its move undone; archived: none count.
	dd := b.deal("D", coach.Qualification, 200, 4_000_000, "USD")
	b.move(dd, coach.Presentation, 100)
	b.deal("E", coach.Qualification, 10, 5_000_000, "USD")
	fd := b.deal("F", coach.Qualification, 50, 0, "USD")
	b.revert(fd, b.move(fd, coach.Presentation, 42), 42)
	gd := b.deal("G", coach.Qualification, 30, 100_000_000, "USD")
	b.move(gd, coach.Presentation, 25)
	b.change(gd, 20, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) { return coach.Archive(c, d, at) })
	// Losses: timing after 55 days in closing, price after a day of
	// prospecting; one too old, one undone.
	b.lose(b.deal("H", coach.Closing, 60, 0, "USD"), coach.ReasonTiming, 5)
	b.lose(b.deal("I", coach.Prospecting, 10, 0, "USD"), coach.ReasonPrice, 9)
	b.lose(b.deal("J", coach.Prospecting, 101, 0, "USD"), coach.ReasonPrice, 100)
	kd := b.deal("K", coach.Prospecting, 4, 0, "USD")
	b.revert(kd, b.lose(kd, coach.ReasonPrice, 3), 3)
	// Another currency, and another team, stay out.
	b.deal("L", coach.Qualification, 5, 900_000_000, "EUR")
	other := builder{t: t, s: s, team: dbtest.TeamID(t), now: now}
	s.Member(context.Background(), other.team, "U1")
	o := other.deal("O", coach.Qualification, 30, 1, "USD")
	other.move(o, coach.Presentation, 29)

	got, err := s.TeamStats(context.Background(), b.team, now)
	if err != nil {
		t.Fatal(err)
	}
	want := coach.TeamStats{
		At: now,
		Stages: []coach.StageTimes{
			{Stage: coach.Prospecting, Visits: 1, Median: 1, P75: 1, P90: 1},
			// [2 4 6]: p75 at rank 1.5 → 5, p90 at rank 1.8 → 5.6.
			{Stage: coach.Qualification, Visits: 3, Median: 4, P75: 5, P90: 5.6},
			{Stage: coach.Presentation, Visits: 1, Median: 6, P75: 6, P90: 6},
			{Stage: coach.Closing, Visits: 1, Median: 55, P75: 55, P90: 55},
		},
		// 10k, 20k, 30k, 40k, 50k; G is archived, L in euros.
		Typical: coach.Money{Cents: 3_000_000, Currency: "USD"}, TypicalN: 5,
		LostReasons: []coach.ReasonCount{{Reason: coach.ReasonPrice, N: 2}, {Reason: coach.ReasonTiming, N: 1}},
		Losses:      3,
	}
	for i := range got.Stages {
		g := &got.Stages[i]
		g.Median, g.P75, g.P90 = round4(g.Median), round4(g.P75), round4(g.P90)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TeamStats =\n  %+v\nwant\n  %+v", got, want)
	}

	t.Run("EmptyTeam", func(t *testing.T) {
		team := dbtest.TeamID(t)
		s.Member(context.Background(), team, "U1")
		got, err := s.TeamStats(context.Background(), team, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Stages) != 0 || got.TypicalN != 0 || got.Losses != 0 || got.Typical.Currency != "USD" {
			t.Errorf("empty team: %+v", got)
		}
	})
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func TestLogs(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	b := builder{t: t, s: s, team: dbtest.TeamID(t), now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	s.Member(context.Background(), b.team, "U1")
	x := b.deal("X", coach.Contact, 5, 0, "USD")
	b.move(x, coach.Qualification, 3)
	y := b.deal("Y", coach.Contact, 5, 0, "USD")
	other := builder{t: t, s: s, team: dbtest.TeamID(t), now: b.now}
	s.Member(context.Background(), other.team, "U1")
	z := other.deal("Z", coach.Contact, 5, 0, "USD")

	logs, err := s.Logs(context.Background(), b.team, []int64{x.ID, y.ID, z.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(logs[x.ID]); n != 2 || logs[x.ID][1].Entry != coach.Qualification {
		t.Errorf("log of X: %+v", logs[x.ID])
	}
	if n := len(logs[y.ID]); n != 1 {
		t.Errorf("log of Y has %d events, want 1", n)
	}
	if _, ok := logs[z.ID]; ok {
		t.Errorf("another team's deal was returned")
	}
}

// TestClaimNudge: of many processes claiming one rep's nudge for one day,
// exactly one wins; after a release it can be claimed again; once sent, a
// release keeps it.
func TestClaimNudge(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	s.Member(ctx, team, "U1")
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.ClaimNudge(ctx, team, "U1", "2026-06-01", 2, now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d claims won, want 1", won)
	}
	if ok, _ := s.ClaimNudge(ctx, team, "U1", "2026-06-02", 2, now); !ok {
		t.Errorf("the next day could not be claimed")
	}
	if err := s.ReleaseNudge(ctx, team, "U1", "2026-06-01"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ClaimNudge(ctx, team, "U1", "2026-06-01", 2, now); !ok {
		t.Errorf("a released claim could not be claimed again")
	}
	s.NudgeSent(ctx, team, "U1", "2026-06-01", now)
	s.ReleaseNudge(ctx, team, "U1", "2026-06-01")
	if ok, _ := s.ClaimNudge(ctx, team, "U1", "2026-06-01", 2, now); ok {
		t.Errorf("a sent nudge was released and claimed again")
	}
}

func TestNudgeReps(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	b := builder{t: t, s: s, team: dbtest.TeamID(t), now: now}
	ctx := context.Background()
	s.Member(ctx, b.team, "U1")
	s.SetProfile(ctx, b.team, "U1", "zh-CN", "Asia/Shanghai", false, now)
	b.deal("Open", coach.Qualification, 5, 0, "USD")
	paused := b.deal("Paused", coach.Qualification, 5, 0, "USD")
	until := now.Add(48 * time.Hour)
	b.change(paused, 1, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Pause(c, d, coach.PauseArgs{Until: until}, at)
	})
	// U2 owns only a paused deal.
	s.Member(ctx, b.team, "U2")
	c2 := coach.Caller{TeamID: b.team, UserID: "U2"}
	d2, _, _ := s.CreateDeal(ctx, b.team, coach.NewDeal{Name: "Quiet", OwnerID: "U2", Amount: coach.Money{Currency: "USD"}, Stage: coach.Contact, ActorID: "U2", At: b.ago(3)})
	s.Change(ctx, c2, d2.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return coach.Pause(c2, d, coach.PauseArgs{Until: until}, b.ago(1))
	})
	s.ClaimNudge(ctx, b.team, "U1", "2026-05-29", 1, now)

	reps, err := s.NudgeReps(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	var mine []coach.NudgeRep
	for _, r := range reps {
		if r.TeamID == b.team {
			mine = append(mine, r)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("reps = %+v, want U1 only", mine)
	}
	r := mine[0]
	if r.UserID != "U1" || r.TZ != "Asia/Shanghai" || r.Locale != "zh-CN" || r.LastNudge != "2026-05-29" || r.FetchedAt.IsZero() {
		t.Errorf("rep = %+v", r)
	}
	// Once the pause has run out, U2 is back.
	later, err := s.NudgeReps(ctx, until)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range later {
		if r.TeamID == b.team {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d reps after the pause ended, want 2", n)
	}
}
