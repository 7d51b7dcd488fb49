package db_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newDeal(t *testing.T, s *db.DB, team, owner, name string) coach.Deal {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Member(ctx, team, owner); err != nil {
		t.Fatal(err)
	}
	d, created, err := s.CreateDeal(ctx, team, coach.NewDeal{
		Name: name, OwnerID: owner, Amount: coach.Money{Cents: 100, Currency: "USD"}, HasAmount: true,
		Stage: coach.Prospecting, ActorID: owner, At: t0,
	})
	if err != nil || !created {
		t.Fatalf("create: %v (created %v)", err, created)
	}
	return d
}

// TestConcurrentMoves: many identical moves at once (a double click, a
// retry) move the deal once; the others see the move and change nothing.
func TestConcurrentMoves(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	d := newDeal(t, s, team, "U1", "Acme")
	c := coach.Caller{TeamID: team, UserID: "U1"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	moved, refused := 0, 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.Change(context.Background(), c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
				return coach.Move(c, d, coach.Qualification, t0.Add(time.Hour))
			})
			mu.Lock()
			defer mu.Unlock()
			switch coach.ErrorCode(err) {
			case "":
				moved++
			case coach.EConflict:
				refused++
			default:
				t.Errorf("move: %v", err)
			}
		}()
	}
	wg.Wait()
	if moved != 1 || refused != 7 {
		t.Errorf("moved %d, refused %d; want 1 and 7", moved, refused)
	}
	_, log, err := s.Deal(context.Background(), c, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Errorf("log has %d events, want create + one move", len(log))
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	newDeal(t, s, team, "U1", "Acme")
	_, err := s.SQL().Exec(`UPDATE events SET entry = 'closing' WHERE team_id = $1`, team)
	if err == nil {
		t.Fatal("an event was rewritten")
	}
}

func TestCreateDealTwice(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	first := newDeal(t, s, team, "U1", "Acme")
	again, created, err := s.CreateDeal(context.Background(), team, coach.NewDeal{
		Name: "ACME", OwnerID: "U1", Amount: coach.Money{Currency: "USD"}, Stage: coach.Prospecting, ActorID: "U1", At: t0.Add(5 * time.Second),
	})
	if err != nil {
		t.Fatal(err)
	}
	if created || again.ID != first.ID {
		t.Errorf("a double submit created deal #%d", again.Number)
	}
	later, created, err := s.CreateDeal(context.Background(), team, coach.NewDeal{
		Name: "Acme", OwnerID: "U1", Amount: coach.Money{Currency: "USD"}, Stage: coach.Prospecting, ActorID: "U1", At: t0.Add(time.Hour),
	})
	if err != nil || !created || later.Number != 2 {
		t.Errorf("a second deal of the same name an hour later: #%d created %v err %v", later.Number, created, err)
	}
}

func TestUndoConcurrent(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	d := newDeal(t, s, team, "U1", "Acme")
	c := coach.Caller{TeamID: team, UserID: "U1"}
	ctx := context.Background()
	for _, st := range []coach.Stage{coach.Contact, coach.Qualification} {
		if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
			return coach.Move(c, d, st, t0.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Undo(ctx, c, t0.Add(2*time.Hour))
		}()
	}
	wg.Wait()
	got, log, err := s.Deal(ctx, c, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Two undos at once cancel two different changes, never the same twice.
	if got.Stage != coach.Prospecting {
		t.Errorf("stage after two undos = %s, want prospecting", got.Stage)
	}
	reverted := map[int64]int{}
	for _, e := range log {
		if e.Kind == coach.EvRevert {
			reverted[e.Reverts]++
		}
	}
	if len(reverted) != 2 {
		t.Errorf("reverts = %v", reverted)
	}
}

// TestListCountCap: a rep's list shows the first page in order and counts
// the rest only up to coach.ListCountCap.
func TestListCountCap(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	for i := 0; i < coach.ListCountCap+5; i++ {
		newDeal(t, s, team, "U1", "Deal "+strconv.Itoa(i))
	}
	newDeal(t, s, team, "U2", "Someone else's")
	deals, total, err := s.ListDeals(ctx, team, coach.ListFilter{Owner: "U1", Statuses: []coach.Status{coach.StatusOpen}})
	if err != nil {
		t.Fatal(err)
	}
	if total != coach.ListCountCap || len(deals) != 20 {
		t.Fatalf("listed %d deals of %d counted; want 20 of %d (the cap)", len(deals), total, coach.ListCountCap)
	}
	for i, d := range deals {
		// Same time in stage: by number.
		if d.Number != i+1 || d.OwnerID != "U1" {
			t.Errorf("row %d is #%d of %s, want #%d of U1", i, d.Number, d.OwnerID, i+1)
		}
	}
	_, total, err = s.ListDeals(ctx, team, coach.ListFilter{Owner: "U2", Statuses: []coach.Status{coach.StatusOpen}})
	if err != nil || total != 1 {
		t.Errorf("U2's list counts %d (err %v), want 1", total, err)
	}
}

// TestForgetClicks: a click is once-only while remembered; the clean-up
// forgets only clicks older than its cutoff.
func TestForgetClicks(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	rep := coach.Caller{TeamID: team, UserID: "U1"}
	old, recent := newDeal(t, s, team, "U1", "Old"), newDeal(t, s, team, "U1", "Recent")
	if err := s.ClickOnce(ctx, rep, old.ID, "share:v1", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.ClickOnce(ctx, rep, recent.ID, "share:v1", t0.Add(40*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.ClickOnce(ctx, rep, old.ID, "share:v1", t0.Add(time.Minute)); err != coach.ErrAlreadyDone {
		t.Fatalf("a second click: %v, want coach.ErrAlreadyDone", err)
	}
	n, err := s.ForgetClicks(ctx, t0.Add(10*24*time.Hour))
	if err != nil || n < 1 {
		t.Fatalf("ForgetClicks: %d forgotten, err %v", n, err)
	}
	if err := s.ClickOnce(ctx, rep, recent.ID, "share:v1", t0.Add(41*24*time.Hour)); err != coach.ErrAlreadyDone {
		t.Errorf("a recent click was forgotten: %v", err)
	}
	if err := s.ClickOnce(ctx, rep, old.ID, "share:v1", t0.Add(50*24*time.Hour)); err != nil {
		t.Errorf("an old click is still remembered: %v", err)
	}
}
