package coach_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"salescoach/coach"
)

// FuzzParseHistoryCSV feeds arbitrary files to the importer's parser: it
// never panics, refuses with a line number and a message in both languages,
// and every file it accepts keeps the format's rules and reads back the same
// once written out again. Seeds live in testdata/fuzz/FuzzParseHistoryCSV/.
func FuzzParseHistoryCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad := coach.ParseHistoryCSV(strings.NewReader(file))
		if len(bad) > 0 {
			if rows != nil {
				t.Fatalf("rows and errors together: %v", bad)
			}
			last := 0
			for _, e := range bad {
				if e.Line < 1 || e.Line < last || e.Err == nil || e.Err.EN() == "" || e.Err.ZH() == "" || strings.ContainsAny(e.Err.EN()+e.Err.ZH(), "\n\r") {
					t.Fatalf("bad error %+v (after line %d)", e, last)
				}
				last = e.Line
			}
			return
		}
		if len(rows) == 0 {
			t.Fatal("no rows and no errors")
		}
		checkHistory(t, rows)

		var b bytes.Buffer
		if err := coach.WriteHistoryCSV(&b, rows); err != nil {
			t.Fatal(err)
		}
		back, bad := coach.ParseHistoryCSV(&b)
		if len(bad) > 0 || len(back) != len(rows) {
			t.Fatalf("written out, the rows no longer read: %v\n%s", bad, b.String())
		}
		for i := range rows {
			want := rows[i]
			got := back[i]
			want.Line, got.Line = 0, 0
			if got != want {
				t.Fatalf("row %d read back as\n%+v\nwant\n%+v", i, got, want)
			}
		}
	})
}

// checkHistory fails unless rows keep every rule of the format.
func checkHistory(t *testing.T, rows []coach.HistoryRow) {
	t.Helper()
	type state struct {
		stage coach.Stage
		at    time.Time
	}
	last := map[string]state{}
	line := 1
	for _, r := range rows {
		if r.Line <= line {
			t.Fatalf("line %d after line %d", r.Line, line)
		}
		line = r.Line
		if r.DealID == "" || len([]rune(r.DealID)) > coach.MaxExternalIDLen {
			t.Fatalf("deal_id %q", r.DealID)
		}
		if name, err := coach.CheckName(r.Name); err != nil || name != r.Name {
			t.Fatalf("name %q", r.Name)
		}
		if !coach.IsUserID(r.Owner) {
			t.Fatalf("owner %q", r.Owner)
		}
		if r.Amount.Currency != "" {
			if c, err := coach.ParseCurrency(r.Amount.Currency); err != nil || c != r.Amount.Currency {
				t.Fatalf("currency %q", r.Amount.Currency)
			}
		}
		if r.Amount.Cents < 0 || r.Amount.Cents >= coach.MaxAmountCents || !r.HasAmount && r.Amount.Cents != 0 {
			t.Fatalf("amount %+v", r.Amount)
		}
		if !r.Stage.IsEntry() {
			t.Fatalf("stage %q", r.Stage)
		}
		if r.At.Location() != time.UTC || !r.At.Equal(r.At.Truncate(time.Microsecond)) {
			t.Fatalf("time %v", r.At)
		}
		if r.Stage != coach.Lost && (r.Reason != "" || r.Text != "") {
			t.Fatalf("reason on a %s row", r.Stage)
		}
		if r.Stage == coach.Lost && !slices.Contains(coach.LostReasons, r.Reason) {
			t.Fatalf("reason %q", r.Reason)
		}
		if prev, ok := last[r.DealID]; ok {
			if err := coach.CheckNextEntry(prev.stage, prev.at, r.Stage, r.At); err != nil {
				t.Fatalf("line %d: %v", r.Line, err)
			}
		}
		last[r.DealID] = state{r.Stage, r.At}
	}
}
