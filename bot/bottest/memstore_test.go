package bottest_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/coach"
	"salescoach/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestMemStoreAnswersAsTheDatabase writes the same history into the
// in-memory store and into PostgreSQL through the store's methods, and holds
// what the handlers read back equal: lists with their filters, pages and
// counts, lookups, team numbers, pipeline totals, undo and the errors. The
// handler tests that run in memory rest on it.
func TestMemStoreAnswersAsTheDatabase(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	stores := map[string]handlers.Store{"memory": bottest.NewMemStore(), "database": dbtest.Shared(t)}
	team := dbtest.TeamID(t)
	answers := map[string][]string{}
	for name, s := range stores {
		answers[name] = script(t, s, team, now)
	}
	mem, real := answers["memory"], answers["database"]
	// The script reaches what it means to: both undos, a refusal of the
	// same name, a stale deal.
	all := strings.Join(mem, "\n")
	for _, want := range []string{"undid note ok", "undid move ok", "add.same_name", "list {Owner: Statuses:[] Limit:0 Offset:0 Stage: Stale:true"} {
		if !strings.Contains(all, want) {
			t.Errorf("the script's answers lack %q:\n%s", want, all)
		}
	}
	for i := 0; i < max(len(mem), len(real)); i++ {
		var m, r string
		if i < len(mem) {
			m = mem[i]
		}
		if i < len(real) {
			r = real[i]
		}
		if m != r {
			t.Errorf("answer %d differs:\n memory:   %s\n database: %s", i, m, r)
		}
	}
}

// script writes a team's history and returns what reading it answers, one
// line per question, without the ids the database numbers its own way.
func script(t *testing.T, s handlers.Store, team string, now time.Time) []string {
	t.Helper()
	ctx := context.Background()
	day := func(n float64) time.Time { return now.Add(-time.Duration(n * 24 * float64(time.Hour))) }
	for _, u := range []string{"U1", "U2", "UBOSS"} {
		if _, err := s.Member(ctx, team, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetManager(ctx, team, "UBOSS", true); err != nil {
		t.Fatal(err)
	}
	var out []string
	say := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	add := func(owner, name string, cents int64, stage coach.Stage, at time.Time) coach.Deal {
		d, created, err := s.CreateDeal(ctx, team, coach.NewDeal{Name: name, OwnerID: owner, ActorID: owner,
			Amount: coach.Money{Cents: cents, Currency: "USD"}, HasAmount: cents > 0, Stage: stage, At: at})
		say("add %s: #%d created=%v %s", name, d.Number, created, errText(err))
		return d
	}
	change := func(d coach.Deal, what string, decide func(c coach.Caller, d coach.Deal) (coach.Event, error)) {
		c := coach.Caller{TeamID: team, UserID: d.OwnerID}
		after, ev, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) { return decide(c, d) })
		say("%s #%d: %s %s %s", what, d.Number, dealText(after), ev.Kind, errText(err))
	}
	move := func(d coach.Deal, to coach.Stage, at time.Time) {
		change(d, "move", func(c coach.Caller, d coach.Deal) (coach.Event, error) { return coach.Move(c, d, to, at) })
	}

	acme := add("U1", "Acme Corp", 1_200_000, coach.Prospecting, day(60))
	globex := add("U1", "Globex", 800_000, coach.Presentation, day(59))
	initech := add("U2", "Initech", 500_000, coach.Qualification, day(58))
	umbrella := add("U1", "Umbrella", 3_000_000, coach.Presentation, day(18))
	hooli := add("U2", "Hooli", 0, coach.Contact, day(5))
	add("U1", "acme corp", 0, coach.Prospecting, day(4))                                              // the same name: refused
	add("U1", "Umbrella", 3_000_000, coach.Presentation, day(18).Add(10*time.Second))                 // a double submit
	eur, _, _ := s.CreateDeal(ctx, team, coach.NewDeal{Name: "Euro AG", OwnerID: "U2", ActorID: "U2", // another currency
		Amount: coach.Money{Cents: 900_000, Currency: "EUR"}, HasAmount: true, Stage: coach.Closing, At: day(3)})
	move(acme, coach.Qualification, day(50))
	move(acme, coach.Presentation, day(40))
	change(acme, "note", func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		return coach.AddNote(c, d, "sent pricing", day(20))
	})
	change(initech, "won", func(c coach.Caller, d coach.Deal) (coach.Event, error) { return coach.Win(c, d, day(30)) })
	change(globex, "lost", func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		return coach.Lose(c, d, coach.ReasonPrice, "cheaper tool", day(20))
	})
	change(hooli, "pause", func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		return coach.Pause(c, d, coach.PauseArgs{Until: now.AddDate(0, 0, 7), Reason: "on leave"}, day(1))
	})
	move(umbrella, coach.Objections, now.Add(-2*time.Hour))
	move(umbrella, coach.Objections, now.Add(-time.Hour)) // already there
	change(umbrella, "note", func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		return coach.AddNote(c, d, "asked for a discount", now.Add(-time.Hour))
	})
	change(eur, "other rep", func(c coach.Caller, d coach.Deal) (coach.Event, error) { return coach.Win(c, d, day(1)) })

	// Undo: U1's latest change (the note on Umbrella), then the move before
	// it; the rest is older than a day. (Half an hour ago: a report as of a
	// time counts only the undos made before it.)
	for range 3 {
		d, ev, err := s.Undo(ctx, coach.Caller{TeamID: team, UserID: "U1"}, now.Add(-30*time.Minute))
		say("undo: %s undid %s %s", dealText(d), ev.Kind, errText(err))
	}
	_, _, err := s.Undo(ctx, coach.Caller{TeamID: team, UserID: "UBOSS"}, now)
	say("undo with nothing: %s", errText(err))

	rep, boss := coach.Caller{TeamID: team, UserID: "U1"}, coach.Caller{TeamID: team, UserID: "UBOSS", Manager: true}
	for _, f := range []coach.ListFilter{
		{Owner: "U1", Statuses: []coach.Status{coach.StatusOpen}},
		{Owner: "U1", Statuses: []coach.Status{coach.StatusLost}},
		{},
		{Limit: 2, Offset: 2},
		{Limit: 2, Offset: 20},
		{Stage: coach.Presentation},
		{Stale: true, Now: now},
		{Owner: "U1", Stale: true, Now: now},
		{Paused: true, Now: now},
		{Statuses: []coach.Status{coach.StatusWon, coach.StatusLost}},
	} {
		deals, total, err := s.ListDeals(ctx, team, f)
		var nums []int
		for _, d := range deals {
			nums = append(nums, d.Number)
		}
		say("list %+v: %v of %d %s", f, nums, total, errText(err))
	}
	for _, ref := range []string{"#2", "acme", "corp", "2", "nothing"} {
		r, _ := coach.ParseDealRef(ref)
		for _, c := range []coach.Caller{rep, boss} {
			names, err := s.FindDeals(ctx, c, r, false)
			say("find %q as %s: %v %s", ref, c.UserID, numbers(names), errText(err))
		}
	}
	names, err := s.DealNames(ctx, boss)
	say("names: %v %s", numbers(names), errText(err))
	_, log, err := s.Deal(ctx, rep, acme.ID)
	var kinds []coach.EventKind
	for _, e := range log {
		kinds = append(kinds, e.Kind)
	}
	say("log of #1: %v %s", kinds, errText(err))
	_, _, err = s.Deal(ctx, rep, initech.ID)
	say("another rep's deal: %s", errText(err))
	totals, err := s.PipelineTotals(ctx, team)
	say("pipeline: %+v %s", totals, errText(err))
	stats, err := s.TeamStats(ctx, team, now)
	for i := range stats.Stages {
		st := &stats.Stages[i]
		st.Median, st.P75, st.P90 = round(st.Median), round(st.P75), round(st.P90)
	}
	say("team stats: %+v %s", stats, errText(err))
	managers, err := s.Managers(ctx, team)
	say("managers: %v %s", managers, errText(err))
	return out
}

func round(f float64) float64 { return math.Round(f*1e6) / 1e6 }

// dealText is a deal without the ids and version the stores number apart.
func dealText(d coach.Deal) string {
	d.ID, d.Version = 0, 0
	v := reflect.ValueOf(d)
	return fmt.Sprintf("%+v", v.Interface())
}

func numbers(names []coach.DealName) []string {
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("#%d %s", n.Number, n.Name))
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return coach.ErrorCode(err) + ":" + err.Error()
}
