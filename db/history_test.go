package db_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"testing"
	"time"

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
	rows, bad := coach.ParseHistoryCSV(f)
	if len(bad) > 0 {
		t.Fatalf("%s: %v", path, bad)
	}
	res, err := s.Import(context.Background(), team, coach.History{Rows: rows}, time.Now())
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
