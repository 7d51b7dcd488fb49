package db_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// importFile imports a stage-history file into team and fails the test on
// any error.
func importFile(t *testing.T, s *db.DB, team, path string) coach.ImportResult {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := s.ImportCSV(context.Background(), team, f, time.Now())
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

// reportJSON returns the report as generic JSON.
func reportJSON(t *testing.T, r coach.Report) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameTo4 reports the differences between got and want, where numbers must
// agree to 4 significant digits. Only the keys want has are compared.
func sameTo4(path string, got, want any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %v, want an object", path, got)}
		}
		var keys []string
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var diffs []string
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			diffs = append(diffs, sameTo4(path+"."+k, gv, w[k])...)
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, sameTo4(fmt.Sprintf("%s[%d]", path, i), g[i], w[i])...)
		}
		return diffs
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 5e-5*math.Max(math.Abs(w), math.Abs(g)) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
		}
		return nil
	default:
		if got != want {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
		}
		return nil
	}
}

func TestReportHistoryExample(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	importFile(t, s, team, "../testdata/history-example.csv")
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	r, err := s.Report(context.Background(), team, from, to)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../testdata/history-example.report.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for _, d := range sameTo4("report", reportJSON(t, r), want) {
		t.Error(d)
	}
}

// snapshot is everything an import may change in a team, to tell whether it
// changed anything.
func snapshot(t *testing.T, s *db.DB, team string) string {
	t.Helper()
	var out string
	err := s.SQL().QueryRow(`
SELECT coalesce((SELECT string_agg(d::text, E'\n' ORDER BY id) FROM deals d WHERE team_id = $1), '') || E'\n' ||
	coalesce((SELECT string_agg(e::text, E'\n' ORDER BY id) FROM events e WHERE team_id = $1), '')`, team).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func parseCSV(t *testing.T, text string) []coach.HistoryRow {
	t.Helper()
	rows, bad := coach.ParseHistoryCSV(strings.NewReader(text))
	if len(bad) > 0 {
		t.Fatalf("%v", bad)
	}
	return rows
}

func TestImportBadFileImportsNothing(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	importFile(t, s, team, "../testdata/history-example.csv")
	before := snapshot(t, s, team)

	// Good rows for a new deal around one bad row of each kind.
	file := "deal_id,name,owner,amount,currency,stage,entered_at,reason\n" +
		"N-1,Newco,U0001,1000,USD,prospecting,2026-03-01T09:00:00Z,\n" +
		"N-1,Newco,U0001,1000,USD,contact,2026-03-02T09:00:00Z,\n" +
		"N-2,Other,U0001,1000,USD,demo-ish,2026-03-02T09:00:00Z,\n" + // line 4: unknown stage
		"N-2,Other,U0001,1000,USD,contact,03/03/2026,\n" + // line 5: bad time
		"N-1,Newco,U0001,1000,USD,qualification,2026-03-03T09:00:00Z,timing\n" + // line 6: reason on a non-lost row
		"N-1,Newco,U0001,1000,USD,closing,2026-03-01T10:00:00Z,\n" // line 7: out of order
	rows, bad := coach.ParseHistoryCSV(strings.NewReader(file))
	lines := map[int]bool{}
	for _, e := range bad {
		lines[e.Line] = true
	}
	if rows != nil || len(lines) != 4 || !lines[4] || !lines[5] || !lines[6] || !lines[7] {
		t.Errorf("bad lines %v, want 4, 5, 6 and 7", bad)
	}

	// A file whose rows are fine on their own but do not fit the recorded
	// history: H-3 already has rows up to 2026-03-30; H-2 ended lost.
	late := "deal_id,name,owner,amount,currency,stage,entered_at,reason\n" +
		"N-1,Newco,U0001,1000,USD,prospecting,2026-03-01T09:00:00Z,\n" +
		"H-3,Initech 3,U0003,8000,USD,closing,2026-03-20T00:00:00Z,\n" + // line 3: before its last row
		"H-2,深圳科技 2,U0002,12000,USD,won,2026-03-20T00:00:00Z,\n" // line 4: won right after lost
	_, err := s.Import(context.Background(), team, coach.History{Rows: parseCSV(t, late)}, time.Now())
	var ie *coach.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 2 || ie.Rows[0].Line != 3 || ie.Rows[1].Line != 4 {
		t.Fatalf("import = %v, want rows 3 and 4 refused", err)
	}
	if !strings.Contains(render.ErrorMessage(ie.Rows[1].Err, coach.EN), "must follow an open stage") {
		t.Errorf("line 4: %s", render.ErrorMessage(ie.Rows[1].Err, coach.EN))
	}
	if after := snapshot(t, s, team); after != before {
		t.Errorf("a refused import changed the team")
	}
}

func TestImportIdempotent(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	first := importFile(t, s, team, "../testdata/history-example.csv")
	if first.NewDeals != 64 || first.Events != 306 {
		t.Errorf("first import: %+v, want 64 deals and 306 events", first)
	}
	before := snapshot(t, s, team)
	again := importFile(t, s, team, "../testdata/history-example.csv")
	if again.NewDeals != 0 || again.Events != 0 || again.AlreadyThere != 306 {
		t.Errorf("second import: %+v, want nothing new", again)
	}
	if after := snapshot(t, s, team); after != before {
		t.Errorf("importing the same file twice changed the team")
	}
}

func TestImportAppends(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	head := "deal_id,name,owner,amount,currency,stage,entered_at,reason\n"
	first := head +
		"A-1,Acme,U0001,1000,USD,prospecting,2026-03-01T09:00:00Z,\n" +
		"A-1,Acme,U0001,1000,USD,lost,2026-03-02T09:00:00Z,price\n"
	if _, err := s.Import(ctx, team, coach.History{Rows: parseCSV(t, first)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The same rows again, then a reopening and a win, with a new amount and owner.
	more := first +
		"A-1,Acme Corp,U0002,2500,USD,contact,2026-03-05T09:00:00Z,\n" +
		"A-1,Acme Corp,U0002,2500,USD,won,2026-03-09T09:00:00Z,\n"
	res, err := s.Import(ctx, team, coach.History{Rows: parseCSV(t, more)}, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if res.NewDeals != 0 || res.Updated != 1 || res.Events != 3 || res.AlreadyThere != 2 {
		t.Errorf("result %+v, want 2 rows skipped and 3 events (reopen, won, assign) on one deal", res)
	}
	deals, _, err := s.ListDeals(ctx, team, coach.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(deals) != 1 {
		t.Fatalf("%d deals, want 1", len(deals))
	}
	d := deals[0]
	if d.Number != 1 || d.Name != "Acme Corp" || d.OwnerID != "U0002" || d.Amount.Cents != 250_000 || d.Status != coach.StatusWon ||
		!d.StageSince.Equal(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)) || d.Stage != coach.Contact {
		t.Errorf("deal after the second import: %+v", d)
	}
	var kinds string
	s.SQL().QueryRow(`SELECT string_agg(kind, ',' ORDER BY at, id) FROM events WHERE team_id = $1`, team).Scan(&kinds)
	if kinds != "create,lost,reopen,won,assign" {
		t.Errorf("log %s, want create,lost,reopen,won,assign", kinds)
	}
	// The projection is the replay of the log.
	_, log, err := s.Deal(ctx, coach.Caller{TeamID: team, Manager: true}, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := coach.Replay(d, log); r != d {
		t.Errorf("projection %+v\n  replay %+v", d, r)
	}
}

// exportTo exports team and imports the file into a new team, returning it.
func exportTo(t *testing.T, s *db.DB, team string) (string, []byte) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.History(ctx, team, "")
	if err != nil {
		t.Fatal(err)
	}
	file := coach.HistoryCSV(rows)
	fresh := dbtest.TeamID(t)
	if _, err := s.Import(ctx, fresh, coach.History{Rows: parseCSV(t, string(file))}, time.Now()); err != nil {
		t.Fatalf("import the export: %v\n%s", err, file)
	}
	return fresh, file
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	ctx := context.Background()

	t.Run("HistoryExample", func(t *testing.T) {
		team := dbtest.TeamID(t)
		importFile(t, s, team, "../testdata/history-example.csv")
		fresh, file := exportTo(t, s, team)
		from, to := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		want, _ := s.Report(ctx, team, from, to)
		got, _ := s.Report(ctx, fresh, from, to)
		want.TeamID = fresh
		checkReport(t, got, want)
		// And the export of the copy is the same file.
		if _, again := exportTo(t, s, fresh); string(again) != string(file) {
			t.Errorf("export of the re-imported team differs:\n%s\n---\n%s", file, again)
		}
	})

	t.Run("MadeInSlack", func(t *testing.T) {
		// Deals made in Slack go out as SC-<number> and come back as the same
		// deals; the undo and the archived deal leave no trace.
		team := dbtest.TeamID(t)
		loadHandHistory(t, s, team)
		c := coach.Caller{TeamID: team, UserID: "U7"}
		d, _, err := s.CreateDeal(ctx, team, coach.NewDeal{Name: "Made in Slack", OwnerID: "U7", Stage: coach.Contact, ActorID: "U7", At: day(3),
			Amount: coach.Money{Cents: 99_00, Currency: "USD"}, HasAmount: true})
		if err != nil {
			t.Fatal(err)
		}
		change(t, s, team, d.ID, func(_ coach.Caller, d coach.Deal) (coach.Event, error) {
			return coach.Move(c, d, coach.Closing, day(5))
		})
		change(t, s, team, d.ID, func(_ coach.Caller, d coach.Deal) (coach.Event, error) {
			return coach.Lose(c, d, coach.ReasonCompetitor, "went with Initech", day(9))
		})

		rows, err := s.History(ctx, team, "")
		if err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, s, team)
		if _, err := s.Import(ctx, team, coach.History{Rows: parseCSV(t, string(coach.HistoryCSV(rows)))}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if snapshot(t, s, team) != before {
			t.Errorf("importing a team's own export changed it")
		}

		fresh, file := exportTo(t, s, team)
		if !strings.Contains(string(file), "SC-13,Made in Slack,U7,99,USD,lost,2026-03-10T00:00:00Z,competitor: went with Initech") {
			t.Errorf("export lacks the Slack deal's loss:\n%s", file)
		}
		if strings.Contains(string(file), "K,") {
			t.Errorf("export has the archived deal:\n%s", file)
		}
		want, _ := s.Report(ctx, team, day(0), day(31))
		got, _ := s.Report(ctx, fresh, day(0), day(31))
		want.TeamID = fresh
		// Notes, pauses and close dates are not part of the format: staleness
		// and slips may differ.
		want.StaleDeals, got.StaleDeals = nil, nil
		want.Slipped, got.Slipped = nil, nil
		checkReport(t, got, want)
	})
}

func TestHistoryOfOneRep(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	importFile(t, s, team, "../testdata/history-example.csv")
	rows, err := s.History(context.Background(), team, "U0002")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no rows for U0002")
	}
	for _, r := range rows {
		if r.Owner != "U0002" {
			t.Fatalf("row of %s in U0002's export", r.Owner)
		}
	}
}
