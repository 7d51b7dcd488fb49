package db_test

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pressly/goose/v3"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/migrations"
)

// asMerged holds 00001, 00010 and 00040 as they read when they were merged,
// before they were edited (git log -p migrations/ shows the edits).
//
//go:embed testdata/migrations-as-merged/*.sql
var asMerged embed.FS

// catchUp is the version that brings databases migrated before those edits
// up to date.
const catchUp = 115

// TestMigrationsCatchUpEditedFiles migrates a database with the files as
// merged, writes data the way the code of that time did, and runs today's
// migrations on it: deals can be added again, numbered after the team's last,
// a scheduled deletion knows when the workspace uninstalled, and the schema is
// the one a fresh database gets.
func TestMigrationsCatchUpEditedFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	oldURL := dbtest.EmptyURL(t)
	conn := sqlOpen(t, oldURL)

	// Every file before the catch-up, three of them as merged.
	files := fstest.MapFS{}
	fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if v, verr := goose.NumericComponent(p); err == nil && !d.IsDir() && verr == nil && v < catchUp {
			b, _ := fs.ReadFile(migrations.FS, p)
			files[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	old, _ := fs.Glob(asMerged, "testdata/migrations-as-merged/*.sql")
	if len(old) != 3 {
		t.Fatalf("want the three files as merged, have %v", old)
	}
	for _, p := range old {
		b, _ := fs.ReadFile(asMerged, p)
		files[path.Base(p)] = &fstest.MapFile{Data: b}
	}
	p, err := goose.NewProvider(goose.DialectPostgres, conn, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("migrate with the files as merged: %v", err)
	}
	if v, _ := p.GetDBVersion(ctx); v >= catchUp {
		t.Fatalf("old schema at version %d", v)
	}

	// As the code of that time wrote them: numbers from teams.deal_seq, a
	// deletion without the time of the uninstall.
	uninstalled := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	mustExec(t, conn, `INSERT INTO teams (id, deal_seq) VALUES ('T1', 2), ('T3', 0), ('T4', 0)`)
	mustExec(t, conn, `INSERT INTO deals (team_id, number, name, owner_id, currency, stage, stage_since, last_active, created_at)
		VALUES ('T1', 1, 'Acme', 'U1', 'USD', 'prospecting', $1, $1, $1), ('T1', 2, 'Initech', 'U1', 'USD', 'prospecting', $1, $1, $1)`, t0)
	mustExec(t, conn, `INSERT INTO slack_events (event_id, team_id, type, received_at) VALUES ('Ev1', 'T3', 'app_uninstalled', $1)`, uninstalled)
	mustExec(t, conn, `INSERT INTO team_purges (team_id, reason, purge_after) VALUES ('T3', 'app_uninstalled', $1), ('T4', 'tokens_revoked', $2)`,
		uninstalled.Add(30*24*time.Hour), uninstalled.Add(40*24*time.Hour))

	s, err := db.Open(ctx, oldURL, db.Options{MaxOpen: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx, nil); err != nil {
		t.Fatalf("today's migrations on the old database: %v", err)
	}

	add := func(team string) int {
		t.Helper()
		if _, err := s.Member(ctx, team, "U1"); err != nil {
			t.Fatal(err)
		}
		d, _, err := s.CreateDeal(ctx, team, coach.NewDeal{Name: "Globex", OwnerID: "U1", Amount: coach.Money{Currency: "USD"},
			Stage: coach.Prospecting, ActorID: "U1", At: time.Now()})
		if err != nil {
			t.Fatalf("add a deal to %s: %v", team, err)
		}
		return d.Number
	}
	if n := add("T1"); n != 3 {
		t.Errorf("T1 had deals #1 and #2; the next is #%d, want #3", n)
	}
	if n := add("T2"); n != 1 {
		t.Errorf("a new team's first deal is #%d, want #1", n)
	}
	for team, want := range map[string]time.Time{
		"T3": uninstalled,                          // its app_uninstalled event
		"T4": uninstalled.Add(10 * 24 * time.Hour), // 30 days before its deletion
	} {
		var got time.Time
		if err := conn.QueryRow(`SELECT uninstalled_at FROM team_purges WHERE team_id = $1`, team).Scan(&got); err != nil || !got.Equal(want) {
			t.Errorf("%s uninstalled at %v (%v), want %v", team, got, err, want)
		}
	}

	freshURL := dbtest.URL(t)
	fresh := sqlOpen(t, freshURL)
	if got, want := schema(t, conn), schema(t, fresh); !slices.Equal(got, want) {
		t.Errorf("the caught-up schema differs from a fresh one:\n%s", diff(got, want))
	}

	// On a database migrated with today's files it changes nothing.
	cur, err := db.Open(ctx, freshURL, db.Options{MaxOpen: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	before := schema(t, fresh)
	add2 := func() int {
		if _, err := cur.Member(ctx, "T1", "U1"); err != nil {
			t.Fatal(err)
		}
		d, _, err := cur.CreateDeal(ctx, "T1", coach.NewDeal{Name: "Deal " + time.Now().String(), OwnerID: "U1",
			Amount: coach.Money{Currency: "USD"}, Stage: coach.Prospecting, ActorID: "U1", At: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return d.Number
	}
	add2()
	add2()
	up, _ := fs.ReadFile(migrations.FS, "00115_catch_up_edits.sql")
	mustExec(t, fresh, string(up))
	if after := schema(t, fresh); !slices.Equal(after, before) {
		t.Errorf("running it again changed the schema:\n%s", diff(after, before))
	}
	if n := add2(); n != 3 {
		t.Errorf("after running it again the next deal is #%d, want #3", n)
	}
}

func sqlOpen(t *testing.T, url string) *sql.DB {
	t.Helper()
	c, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func mustExec(t *testing.T, c *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := c.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// schema lists what makes up a database's schema, one sorted line per
// column, constraint, index, trigger, function and table; the deal-number
// sequences, which are data, are left out.
func schema(t *testing.T, c *sql.DB) []string {
	t.Helper()
	rows, err := c.Query(`
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || coalesce(column_default, '')
FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'function ' || pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
UNION ALL
SELECT 'table ' || relname || ' ' || relkind::text || ' persistence=' || relpersistence::text
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S') AND relname NOT LIKE 'deal_numbers_%'
ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// diff lists the lines only one side has.
func diff(got, want []string) string {
	var b strings.Builder
	for _, l := range got {
		if !slices.Contains(want, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	return b.String()
}
