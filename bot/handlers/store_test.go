package handlers_test

import (
	"context"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// The in-memory store stands in for the database in the tests.
var _ handlers.Store = (*bottest.MemStore)(nil)

// The tests on dbtest.Shared's database keep to teams of their own
// (dbtest.TeamID).
func TestMain(m *testing.M) { dbtest.Main(m) }

// countEvents counts the events of every deal's log: the measure of
// "nothing changed". In memory it counts every team's; the database,
// shared between tests, counts those of the teams given.
func countEvents(t testing.TB, s handlers.Store, teams ...string) int {
	t.Helper()
	switch s := s.(type) {
	case *bottest.MemStore:
		return s.Events()
	case *db.DB:
		if len(teams) == 0 {
			t.Fatal("countEvents on the database: name the test's teams")
		}
		n := 0
		for _, team := range teams {
			c, err := s.CountEvents(context.Background(), team)
			if err != nil {
				t.Fatal(err)
			}
			n += c
		}
		return n
	}
	t.Fatalf("countEvents: a %T", s)
	return 0
}

// logs returns the logs of a team's deals that are not archived, by deal
// number, as a manager reads them through the store.
func logs(t testing.TB, s handlers.Store, team string) map[int][]coach.Event {
	t.Helper()
	deals, byID := bottest.TeamLogs(t, s, team)
	out := map[int][]coach.Event{}
	for _, d := range deals {
		out[d.Number] = byID[d.ID]
	}
	return out
}

// knownUser reports whether the store knows a user of a team, as the replay
// check reads them (with a signature of its own).
func knownUser(t testing.TB, s handlers.Store, team, user string) bool {
	t.Helper()
	_, _, known, err := s.Sighting(context.Background(), "v0=known-"+bottest.TriggerID(), time.Now(), team, user)
	if err != nil {
		t.Fatal(err)
	}
	return known
}

// knownTeam reports whether the database holds the team: only a team it
// holds has a reporting currency, which Sighting reads with the user.
func knownTeam(t testing.TB, s *db.DB, team string) bool {
	t.Helper()
	_, m, _, err := s.Sighting(context.Background(), "v0=team-"+bottest.TriggerID(), time.Now(), team, "")
	if err != nil {
		t.Fatal(err)
	}
	return m.Currency != ""
}

// countKind counts the events of one kind in a team's logs, reverted or not.
func countKind(t testing.TB, s handlers.Store, team string, kind coach.EventKind) int {
	t.Helper()
	n := 0
	for _, log := range logs(t, s, team) {
		for _, e := range log {
			if e.Kind == kind {
				n++
			}
		}
	}
	return n
}
