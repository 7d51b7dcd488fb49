package db_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"salescoach/bot/render"
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
	t.Parallel()
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
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	newDeal(t, s, team, "U1", "Acme")
	_, err := s.SQL().Exec(`UPDATE events SET entry = 'closing' WHERE team_id = $1`, team)
	if err == nil {
		t.Fatal("an event was rewritten")
	}
}

func TestCreateDealTwice(t *testing.T) {
	t.Parallel()
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
	// The same name with another amount, seconds later: not dropped silently.
	_, created, err = s.CreateDeal(context.Background(), team, coach.NewDeal{
		Name: "Acme", OwnerID: "U1", Amount: coach.Money{Cents: 500000, Currency: "USD"}, HasAmount: true,
		Stage: coach.Prospecting, ActorID: "U1", At: t0.Add(8 * time.Second),
	})
	if created || coach.ErrorCode(err) != coach.EConflict || !strings.Contains(render.ErrorMessage(err, coach.EN), "/deal amount #1 $5,000") {
		t.Errorf("a second add with another amount: created %v, %v; want it refused with how to set the amount", created, err)
	}
	// A second open deal of the same name an hour later asks for a word to tell them apart…
	later := coach.NewDeal{Name: "Acme", OwnerID: "U1", Amount: coach.Money{Currency: "USD"}, Stage: coach.Prospecting, ActorID: "U1", At: t0.Add(time.Hour)}
	_, created, err = s.CreateDeal(context.Background(), team, later)
	if created || !strings.Contains(render.ErrorMessage(err, coach.EN), "already have an open deal called #1 Acme") || render.ErrorMessage(err, coach.ZH) == render.ErrorMessage(err, coach.EN) {
		t.Errorf("a second open deal of the same name: created %v, %v; want it refused in both languages", created, err)
	}
	// …and is added once the rep confirms.
	later.SameNameOK = true
	d, created, err := s.CreateDeal(context.Background(), team, later)
	if err != nil || !created || d.Number != 2 {
		t.Errorf("a confirmed second deal of the same name: #%d created %v err %v", d.Number, created, err)
	}
	// Another rep's deal of the same name is no ambiguity for this one.
	if _, err := s.Member(context.Background(), team, "U2"); err != nil {
		t.Fatal(err)
	}
	if _, created, err := s.CreateDeal(context.Background(), team, coach.NewDeal{Name: "Acme", OwnerID: "U2", Amount: coach.Money{Currency: "USD"},
		Stage: coach.Prospecting, ActorID: "U2", At: t0.Add(2 * time.Hour)}); err != nil || !created {
		t.Errorf("another rep's Acme: created %v, %v", created, err)
	}
}

func TestUndoConcurrent(t *testing.T) {
	t.Parallel()
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

// TestListPages: a rep with 150 open deals reads every one of them, 20 at a
// time, each once and in order, under an exact count; the stage, paused and
// stale filters page and count the same way.
func TestListPages(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	const n = 150
	var deals []coach.Deal
	for i := 0; i < n; i++ {
		deals = append(deals, newDeal(t, s, team, "U1", "Deal "+strconv.Itoa(i)))
	}
	newDeal(t, s, team, "U2", "Someone else's")
	now := t0.AddDate(0, 0, 30)
	c := coach.Caller{TeamID: team, UserID: "U1", Loc: time.UTC}
	for _, d := range deals[:5] { // fresh: moved yesterday
		if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
			return coach.Move(c, d, coach.Qualification, now.AddDate(0, 0, -1))
		}); err != nil {
			t.Fatal(err)
		}
	}
	until := now.AddDate(0, 0, 10)
	for _, d := range deals[10:13] {
		if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
			return coach.Event{Kind: coach.EvPause, Fields: coach.Fields{Until: &until}, ActorID: "U1", At: now}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}

	read := func(f coach.ListFilter) (seen []int, total int) {
		t.Helper()
		f.Owner, f.Statuses, f.Now = "U1", []coach.Status{coach.StatusOpen}, now
		for page := 0; ; page++ {
			f.Offset = page * coach.ListPage
			got, tot, err := s.ListDeals(ctx, team, f)
			if err != nil {
				t.Fatal(err)
			}
			total = tot
			if len(got) == 0 {
				return seen, total
			}
			if len(got) > coach.ListPage {
				t.Fatalf("page %d has %d deals", page+1, len(got))
			}
			for _, d := range got {
				if d.OwnerID != "U1" {
					t.Errorf("page %d lists #%d of %s", page+1, d.Number, d.OwnerID)
				}
				seen = append(seen, d.Number)
			}
		}
	}
	seen, total := read(coach.ListFilter{})
	if total != n || len(seen) != n {
		t.Fatalf("read %d deals in pages, counted %d; want %d and %d", len(seen), total, n, n)
	}
	once := map[int]bool{}
	for _, num := range seen {
		if once[num] {
			t.Errorf("#%d is listed twice", num)
		}
		once[num] = true
	}
	// Longest in stage first: the five moved yesterday come last.
	if last := seen[n-5:]; last[0] != deals[0].Number || last[4] != deals[4].Number {
		t.Errorf("the last page ends with %v; want the deals moved yesterday", last)
	}

	for _, tt := range []struct {
		name string
		f    coach.ListFilter
		want int
	}{
		{"Stage", coach.ListFilter{Stage: coach.Qualification}, 5},
		{"Paused", coach.ListFilter{Paused: true}, 3},
		{"Stale", coach.ListFilter{Stale: true}, n - 5 - 3}, // not the fresh ones, not the paused ones
	} {
		t.Run(tt.name, func(t *testing.T) {
			seen, total := read(tt.f)
			if total != tt.want || len(seen) != tt.want {
				t.Errorf("read %d deals, counted %d; want %d", len(seen), total, tt.want)
			}
		})
	}
	_, total, err := s.ListDeals(ctx, team, coach.ListFilter{Owner: "U2", Statuses: []coach.Status{coach.StatusOpen}})
	if err != nil || total != 1 {
		t.Errorf("U2's list counts %d (err %v), want 1", total, err)
	}
	// Past the last page: nothing listed, still counted.
	got, total, err := s.ListDeals(ctx, team, coach.ListFilter{Owner: "U1", Statuses: []coach.Status{coach.StatusOpen}, Offset: 200})
	if err != nil || len(got) != 0 || total != n {
		t.Errorf("page 11: %d deals of %d (err %v); want none of %d", len(got), total, err, n)
	}
}

// TestForgetClicks: a click is once-only while remembered; the clean-up
// forgets only clicks older than its cutoff.
func TestForgetClicks(t *testing.T) {
	t.Parallel()
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

// TestDidYouMeanFromStore: a typo in a deal's name is answered with the
// closest of the caller's own deals, never another rep's.
func TestDidYouMeanFromStore(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	g := newDeal(t, s, team, "U1", "Globex")
	newDeal(t, s, team, "U2", "Globez Holdings")
	rep := coach.Caller{TeamID: team, UserID: "U1"}
	ref, err := coach.ParseDealRef("globx demo")
	if err != nil {
		t.Fatal(err)
	}
	cands, err := s.FindDeals(ctx, rep, ref, false)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = coach.ResolveDeal(ref, cands)
	names, nerr := s.DealNames(ctx, rep)
	if nerr != nil {
		t.Fatal(nerr)
	}
	err = coach.DidYouMean(err, ref, names)
	if want := "Did you mean #" + strconv.Itoa(g.Number) + " Globex?"; !strings.Contains(render.ErrorMessage(err, coach.EN), want) {
		t.Errorf("globx: %v; want %q", err, want)
	}
	if len(names) != 1 {
		t.Errorf("the rep's names: %v; want only their own deal", names)
	}
}
