package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salescoach/coach"
	"salescoach/db/dbtest"
)

// TestPurgeLeavesNothing: the retention purge of an uninstalled workspace
// removes every row of the team in every table and its deal-number
// sequence, so nothing tells how many deals it had and a reinstall starts
// again at #1.
func TestPurgeLeavesNothing(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t) // PurgeTeams deletes every team due, not only this test's
	ctx := context.Background()
	const team = "TPURGE"
	newDeal(t, s, team, "U1", "Acme")
	newDeal(t, s, team, "U1", "Globex")
	newDeal(t, s, "TKEEP", "U1", "Initech")
	if err := s.Uninstall(ctx, team, "app_uninstalled", t0.Add(time.Hour), t0.Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ids, err := s.PurgeTeams(ctx, t0.Add(31*24*time.Hour))
	if err != nil || len(ids) != 1 || ids[0] != team {
		t.Fatalf("purged %v, %v; want [%s]", ids, err, team)
	}

	sqlDB := sqlx.NewDb(s.SQL(), "postgres")
	var tables []string
	if err := sqlDB.SelectContext(ctx, &tables, `
SELECT table_name FROM information_schema.columns
WHERE table_schema = 'public' AND column_name = 'team_id' ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		var n int
		if err := sqlDB.GetContext(ctx, &n, `SELECT count(*) FROM `+table+` WHERE team_id = $1`, team); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s keeps %d rows of the purged team", table, n)
		}
	}
	var seqs []string
	if err := sqlDB.SelectContext(ctx, &seqs, `SELECT relname FROM pg_class WHERE relkind = 'S' AND relname = 'deal_numbers_' || md5($1)`, team); err != nil {
		t.Fatal(err)
	}
	if len(seqs) != 0 {
		t.Errorf("the purged team's deal-number sequence %v is still there", seqs)
	}
	if d := newDeal(t, s, team, "U1", "Umbrella"); d.Number != 1 {
		t.Errorf("after the purge a new deal of the team is #%d, want #1", d.Number)
	}
	if d := newDeal(t, s, "TKEEP", "U1", "Hooli"); d.Number != 2 {
		t.Errorf("another team's next deal is #%d, want #2: its numbering must not change", d.Number)
	}
}

// TestPurgeAfter: an uninstall schedules the deletion of the team's data,
// a second uninstall keeps the first date, and installing again calls it
// off; another team's schedule is its own.
func TestPurgeAfter(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	ctx := context.Background()
	team, other := dbtest.TeamID(t), dbtest.TeamID(t)
	newDeal(t, s, team, "U1", "Acme")
	newDeal(t, s, other, "U1", "Globex")
	scheduled := func(team string) (time.Time, bool) {
		t.Helper()
		at, ok, err := s.PurgeAfter(ctx, team)
		if err != nil {
			t.Fatal(err)
		}
		return at, ok
	}
	if at, ok := scheduled(team); ok {
		t.Fatalf("an installed team's deletion is due %v", at)
	}
	due := t0.Add(30 * 24 * time.Hour)
	for _, purge := range []time.Time{due, due.Add(24 * time.Hour)} {
		if err := s.Uninstall(ctx, team, "app_uninstalled", t0, purge); err != nil {
			t.Fatal(err)
		}
		if at, ok := scheduled(team); !ok || !at.Equal(due) {
			t.Errorf("after an uninstall: due %v (%v), want %v", at, ok, due)
		}
	}
	if at, ok := scheduled(other); ok {
		t.Errorf("the other team's deletion is due %v", at)
	}
	if err := s.SaveInstallation(ctx, coach.Installation{TeamID: team, BotUserID: "UBOT", BotToken: []byte("sealed"), InstalledAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if at, ok := scheduled(team); ok {
		t.Errorf("installed again, yet the deletion is due %v", at)
	}
}
