package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"salescoach/db/dbtest"
	"salescoach/demo"
)

// TestLoaderWritesWhatImportWrites generates a team, writes it once with the
// bench's bulk loader and once with salescoach's import, and finds the same
// §9 report in both databases over several windows, and the same deals.
func TestLoaderWritesWhatImportWrites(t *testing.T) {
	ctx := context.Background()
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	sh := demo.Shape{Reps: 7, Deals: 300, Entries: 2_250, Notes: 1.0 / 3}

	loaded := dbtest.New(t) // of its own: the loader drops and remakes the events table's indexes
	l := &loader{db: loaded.SQL(), now: to}
	indexes, err := l.prepare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.loadTeam(ctx, "T7", sh, to, 7, "UTC"); err != nil {
		t.Fatal(err)
	}
	if err := l.finish(ctx, indexes); err != nil {
		t.Fatal(err)
	}

	imported := dbtest.New(t) // of its own: its whole deals table is compared with loaded's
	h := demo.SyntheticHistory(demo.Synthetic("T7", sh, to, 7))
	if _, err := imported.Import(ctx, "T7", h, to); err != nil {
		t.Fatal(err)
	}

	var entries, notes int
	loaded.SQL().QueryRow(`SELECT count(*) FILTER (WHERE entry IS NOT NULL), count(*) FILTER (WHERE kind = 'note') FROM events`).Scan(&entries, &notes)
	if entries < sh.Entries*9/10 || notes == 0 {
		t.Errorf("loaded %d stage entries and %d notes, want about %d entries and some notes", entries, notes, sh.Entries)
	}
	for _, days := range []int{7, 35, 91, 365} {
		from := to.AddDate(0, 0, -days)
		a, err := loaded.Report(ctx, "T7", from, to)
		if err != nil {
			t.Fatal(err)
		}
		b, err := imported.Report(ctx, "T7", from, to)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("report over %d days:\nloaded   %s\nimported %s", days, ja, jb)
		}
		if a.CycleDays.Won.N == 0 && days >= 91 {
			t.Errorf("report over %d days has no won deal: %s", days, ja)
		}
	}
	const deals = `SELECT string_agg(concat_ws(',', number, external_id, name, owner_id, amount_cents, currency, status, stage,
		stage_since, last_active, lost_reason, archived, created_at), E'\n' ORDER BY number) FROM deals`
	var da, db string
	loaded.SQL().QueryRow(deals).Scan(&da)
	imported.SQL().QueryRow(deals).Scan(&db)
	if da != db {
		t.Errorf("the deals differ")
	}
	// A deal added later gets the next number.
	var next int
	loaded.SQL().QueryRow(`SELECT next_deal_number('T7')`).Scan(&next)
	if next != sh.Deals+1 {
		t.Errorf("next deal number %d, want %d", next, sh.Deals+1)
	}
}
