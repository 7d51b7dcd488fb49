package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// TestListTotalsFollowEveryChange: the total /deal list shows for a rep
// ("1–20 of N") stays the number of deals it lists, page after page, through
// adds, wins, losses, reopenings, reassignments, archiving, restoring, undo
// and imports.
func TestListTotalsFollowEveryChange(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	var deals []coach.Deal
	for i := range 30 {
		deals = append(deals, newDeal(t, s, team, "U1", "Deal "+strconv.Itoa(i)))
	}
	newDeal(t, s, team, "U2", "Theirs")
	rep := coach.Caller{TeamID: team, UserID: "U1", Loc: time.UTC}
	boss := coach.Caller{TeamID: team, UserID: "UBOSS", Manager: true, Loc: time.UTC}
	at := t0.Add(time.Hour)
	change := func(c coach.Caller, d coach.Deal, decide func(coach.Deal) (coach.Event, error)) {
		t.Helper()
		at = at.Add(time.Minute)
		if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) { return decide(d) }); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string) {
		t.Helper()
		for _, owner := range []string{"U1", "U2", "U3"} {
			for _, st := range []coach.Status{coach.StatusOpen, coach.StatusWon, coach.StatusLost} {
				listed, total := listAll(t, s, team, owner, st)
				if total != listed {
					t.Errorf("after %s: %s's %s deals: the list says %d and shows %d", step, owner, st, total, listed)
				}
			}
		}
	}
	check("adding")

	for _, d := range deals[:4] {
		change(rep, d, func(d coach.Deal) (coach.Event, error) { return coach.Win(rep, d, at) })
	}
	for _, d := range deals[4:7] {
		change(rep, d, func(d coach.Deal) (coach.Event, error) { return coach.Lose(rep, d, coach.ReasonPrice, "", at) })
	}
	check("wins and losses")
	change(rep, deals[0], func(d coach.Deal) (coach.Event, error) { return coach.Reopen(rep, d, at) })
	change(boss, deals[1], func(d coach.Deal) (coach.Event, error) { return coach.Assign(boss, d, "U2", at) })
	change(boss, deals[10], func(d coach.Deal) (coach.Event, error) { return coach.Assign(boss, d, "U3", at) })
	check("a reopening and reassignments")
	change(rep, deals[11], func(d coach.Deal) (coach.Event, error) { return coach.Archive(rep, d, at) })
	change(rep, deals[12], func(d coach.Deal) (coach.Event, error) { return coach.Archive(rep, d, at) })
	change(rep, deals[12], func(d coach.Deal) (coach.Event, error) { return coach.Restore(rep, d, at) })
	change(rep, deals[5], func(d coach.Deal) (coach.Event, error) { return coach.Archive(rep, d, at) }) // a lost one
	check("archiving and restoring")
	if _, _, err := s.Undo(ctx, rep, at.Add(time.Minute)); err != nil { // the lost deal comes back
		t.Fatal(err)
	}
	check("undo")

	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	if _, err := s.Import(ctx, team, coach.History{Rows: []coach.HistoryRow{
		{DealID: "I-1", Name: "Imported open", Owner: "U1", Stage: coach.Prospecting, At: day(1)},
		{DealID: "I-2", Name: "Imported won", Owner: "U1", Stage: coach.Prospecting, At: day(1)},
		{DealID: "I-2", Name: "Imported won", Owner: "U1", Stage: coach.Won, At: day(2)},
		{DealID: "I-3", Name: "Imported for U3", Owner: "U3", Stage: coach.Contact, At: day(1)},
		{DealID: "SC-" + strconv.Itoa(deals[20].Number), Name: "Deal 20", Owner: "U1", Stage: coach.Lost, Reason: coach.ReasonPrice, At: at.Add(time.Hour)},
	}}, at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("an import")
	if _, total := listAll(t, s, team, "U1", coach.StatusOpen); total != 30-4-3+1-1-1+1-1 { // won, lost, reopened, to U3, archived, imported, lost by the import
		t.Errorf("U1's open deals: the list says %d", total)
	}
}

// listAll reads every page of owner's deals of status st, returning how many
// it listed and the total the first page gave.
func listAll(t *testing.T, s *db.DB, team, owner string, st coach.Status) (listed, total int) {
	t.Helper()
	for page := 0; ; page++ {
		got, tot, err := s.ListDeals(context.Background(), team, coach.ListFilter{
			Owner: owner, Statuses: []coach.Status{st}, Offset: page * coach.ListPage})
		if err != nil {
			t.Fatal(err)
		}
		if page == 0 {
			total = tot
		}
		if len(got) == 0 {
			return listed, total
		}
		listed += len(got)
	}
}

// TestVersionIsLatestEvent: a deal's version (what buttons carry to notice an
// out-of-date message) is its latest event's id, for a deal added in Slack,
// after a change, and for imported deals with one row or several.
func TestVersionIsLatestEvent(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	c := coach.Caller{TeamID: team, UserID: "U1", Loc: time.UTC}
	check := func(what string, id int64) {
		t.Helper()
		d, log, err := s.Deal(ctx, c, id)
		if err != nil {
			t.Fatal(err)
		}
		var latest int64
		for _, e := range log {
			latest = max(latest, e.ID)
		}
		if latest == 0 || d.Version != latest {
			t.Errorf("%s: version %d, latest event %d", what, d.Version, latest)
		}
	}
	d := newDeal(t, s, team, "U1", "Added")
	check("added", d.ID)
	if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return coach.Move(c, d, coach.Qualification, t0.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	check("moved", d.ID)

	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	if _, err := s.Import(ctx, team, coach.History{Rows: []coach.HistoryRow{
		{DealID: "V-1", Name: "One row", Owner: "U1", Stage: coach.Prospecting, At: day(1)},
		{DealID: "V-2", Name: "Three rows", Owner: "U1", Stage: coach.Prospecting, At: day(1)},
		{DealID: "V-2", Name: "Three rows", Owner: "U1", Stage: coach.Contact, At: day(2)},
		{DealID: "V-2", Name: "Three rows", Owner: "U1", Stage: coach.Won, At: day(3)},
	}}, t0); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"One row", "Three rows"} {
		found, err := s.FindDeals(ctx, c, coach.DealRef{Phrase: name}, false)
		if err != nil || len(found) != 1 {
			t.Fatalf("%s: %v, %v", name, found, err)
		}
		check("imported, "+name, found[0].ID)
	}
}

// TestCountEvents: a team's count holds every event of its deals' logs —
// reverted ones, a revert, an archived deal's — and nothing of another team.
func TestCountEvents(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	ctx := context.Background()
	team, other := dbtest.TeamID(t), dbtest.TeamID(t)
	count := func(team string) int {
		t.Helper()
		n, err := s.CountEvents(ctx, team)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(team); n != 0 {
		t.Fatalf("a new team has %d events", n)
	}
	c := coach.Caller{TeamID: team, UserID: "U1", Loc: time.UTC}
	d := newDeal(t, s, team, "U1", "Acme")
	change := func(decide func(coach.Deal) (coach.Event, error)) {
		t.Helper()
		if _, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) { return decide(d) }); err != nil {
			t.Fatal(err)
		}
	}
	change(func(d coach.Deal) (coach.Event, error) { return coach.Move(c, d, coach.Contact, t0.Add(time.Hour)) })
	if _, _, err := s.Undo(ctx, c, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	change(func(d coach.Deal) (coach.Event, error) { return coach.Archive(c, d, t0.Add(3*time.Hour)) })
	newDeal(t, s, other, "U1", "Globex")
	if n := count(team); n != 4 {
		t.Errorf("%d events, want 4: the creation, the move, its revert and the archiving", n)
	}
	if n := count(other); n != 1 {
		t.Errorf("the other team has %d events, want 1", n)
	}
}
