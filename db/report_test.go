package db_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

func TestReportNoData(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := s.Report(context.Background(), team, from, from.AddDate(0, 3, 0))
	if err != nil {
		t.Fatalf("report on a team without data: %v", err)
	}
	got := reportJSON(t, r)
	keys := func(m map[string]any) map[string]bool {
		out := map[string]bool{}
		for k := range m {
			out[k] = true
		}
		return out
	}
	wantKeys := []string{"team_id", "from", "to", "cycle_days", "win_rate", "stages", "stale_deals", "reps", "velocity_per_day",
		"lost_reasons", "pipeline", "slipped"}
	if k := keys(got); len(k) != len(wantKeys) {
		t.Errorf("report keys %v, want %v", k, wantKeys)
	}
	if got["team_id"] != team || got["from"] != "2026-01-01T00:00:00Z" || got["to"] != "2026-04-01T00:00:00Z" {
		t.Errorf("header: %v %v %v", got["team_id"], got["from"], got["to"])
	}
	if got["velocity_per_day"] != nil {
		t.Errorf("velocity_per_day = %v, want null", got["velocity_per_day"])
	}
	win := got["win_rate"].(map[string]any)
	if win["by_count"] != nil || win["by_amount"] != nil || win["won"] != 0.0 || win["amount_excluded"] != 0.0 {
		t.Errorf("win_rate = %v, want zeros and nulls", win)
	}
	stages := got["stages"].([]any)
	if len(stages) != len(coach.OpenStages) {
		t.Fatalf("%d stages, want all %d open stages", len(stages), len(coach.OpenStages))
	}
	for i, st := range stages {
		m := st.(map[string]any)
		if m["stage"] != string(coach.OpenStages[i]) || m["median_days"] != nil || m["conversion"] != nil || m["completed_visits"] != 0.0 {
			t.Errorf("stage %d = %v", i, m)
		}
		if len(keys(m)) != 12 {
			t.Errorf("stage %d keys %v, want the 12 of §9", i, keys(m))
		}
	}
	for _, k := range []string{"lost_reasons", "slipped"} {
		if l, ok := got[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %v, want []", k, got[k])
		}
	}
	if p, ok := got["pipeline"].([]any); !ok || len(p) != len(coach.OpenStages) || p[0].(map[string]any)["deals"] != 0.0 {
		t.Errorf("pipeline = %v, want every open stage with 0 deals", got["pipeline"])
	}
	if s, ok := got["stale_deals"].([]any); !ok || len(s) != 0 {
		t.Errorf("stale_deals = %v, want []", got["stale_deals"])
	}
	if s, ok := got["reps"].([]any); !ok || len(s) != 0 {
		t.Errorf("reps = %v, want []", got["reps"])
	}
}

func TestReportEmptyWindow(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := s.Report(context.Background(), dbtest.TeamID(t), at, at)
	if coach.ErrorCode(err) != coach.EInvalid {
		t.Errorf("from = to: err = %v, want an invalid-input error", err)
	}
}

// day0 is the start of the window of the hand-computed reports; day(x) is x
// days after it, so durations read straight off the rows.
var day0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func day(x float64) time.Time { return day0.Add(time.Duration(x * 24 * float64(time.Hour))) }

// hrow is a row of a hand-made history: deal, owner, amount, currency, stage,
// day, reason.
type hrow struct {
	deal, owner, amount, currency, stage string
	day                                  float64
	reason                               string
}

// loadHistory imports rows into team through the CSV format and returns the
// ids of the deals by deal_id.
func loadHistory(t *testing.T, s *db.DB, team string, rows []hrow) map[string]int64 {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("deal_id,name,owner,amount,currency,stage,entered_at,reason\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s Ltd,%s,%s,%s,%s,%s,%s\n", r.deal, r.deal, r.owner, r.amount, r.currency, r.stage, day(r.day).Format(time.RFC3339), r.reason)
	}
	parsed, bad := coach.ParseHistoryCSV(&b)
	if len(bad) > 0 {
		t.Fatalf("history: %v", bad)
	}
	if _, err := s.Import(context.Background(), team, coach.History{Rows: parsed}, day(0)); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	rs, err := s.SQL().Query(`SELECT external_id, id FROM deals WHERE team_id = $1`, team)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		var x string
		var id int64
		rs.Scan(&x, &id)
		ids[x] = id
	}
	return ids
}

// change applies one event to a deal as a manager would.
func change(t *testing.T, s *db.DB, team string, id int64, decide func(c coach.Caller, d coach.Deal) (coach.Event, error)) {
	t.Helper()
	c := coach.Caller{TeamID: team, UserID: "U9", Manager: true}
	if _, _, err := s.Change(context.Background(), c, id, func(d coach.Deal, _ []coach.Event) (coach.Event, error) { return decide(c, d) }); err != nil {
		t.Fatal(err)
	}
}

func f(x float64) *float64 { return &x }

func checkReport(t *testing.T, got, want coach.Report) {
	t.Helper()
	for _, d := range sameTo4("report", reportJSON(t, got), reportJSON(t, want)) {
		t.Error(d)
	}
}

// handHistory is a small team history with every case of §9 in it; the
// window of its reports is [day 0, day 31), March 2026.
var handHistory = []hrow{
	// A skips qualification and is won: cycle from contact (day -5) to won (day 12) = 17.
	{"A", "U1", "10000", "USD", "prospecting", -10, ""},
	{"A", "U1", "10000", "USD", "contact", -5, ""},
	{"A", "U1", "10000", "USD", "presentation", 2, ""},
	{"A", "U1", "10000", "USD", "won", 12, ""},
	// B loops back from presentation to qualification and sits in objections at to.
	{"B", "U1", "20000", "USD", "contact", 1, ""},
	{"B", "U1", "20000", "USD", "qualification", 3, ""},
	{"B", "U1", "20000", "USD", "presentation", 6, ""},
	{"B", "U1", "20000", "USD", "qualification", 8, ""},
	{"B", "U1", "20000", "USD", "presentation", 10, ""},
	{"B", "U1", "20000", "USD", "objections", 15, ""},
	// C re-enters contact, which it first entered before the window, and is lost from qualification: cycle 20 − (−3) = 23.
	{"C", "U2", "5000", "USD", "contact", -3, ""},
	{"C", "U2", "5000", "USD", "qualification", 4, ""},
	{"C", "U2", "5000", "USD", "contact", 6, ""},
	{"C", "U2", "5000", "USD", "qualification", 9, ""},
	{"C", "U2", "5000", "USD", "lost", 20, "price"},
	// D is lost from qualification, reopened there, and won: cycle 24 − 3 = 21.
	{"D", "U2", "8000", "USD", "qualification", 3, ""},
	{"D", "U2", "8000", "USD", "lost", 7, "timing: budget frozen"},
	{"D", "U2", "8000", "USD", "qualification", 12, ""},
	{"D", "U2", "8000", "USD", "closing", 16, ""},
	{"D", "U2", "8000", "USD", "won", 24, ""},
	// E is lost from prospecting; it never reached contact, so its cycle starts at its first entry: 8 − 5 = 3.
	{"E", "U3", "3000", "USD", "prospecting", 5, ""},
	{"E", "U3", "3000", "USD", "lost", 8, "need"},
	// F, in euros, skips to closing and is lost there: cycle 10 − (−20) = 30.
	{"F", "U3", "12000", "EUR", "contact", -20, ""},
	{"F", "U3", "12000", "EUR", "closing", -2, ""},
	{"F", "U3", "12000", "EUR", "lost", 10, "competitor: went with Globex"},
	// G is created lost: cycle 0.
	{"G", "U3", "7000", "USD", "lost", 3, "no decision"},
	// H is open in contact at to, since day 20 (11 days: not stale).
	{"H", "U1", "4000", "USD", "prospecting", -40, ""},
	{"H", "U1", "4000", "USD", "contact", 20, ""},
	// I moves on only after to: as of to it is in prospecting since day 25.
	{"I", "U2", "6000", "USD", "prospecting", 25, ""},
	{"I", "U2", "6000", "USD", "contact", 35, ""},
	{"I", "U2", "6000", "USD", "won", 40, ""},
	// J's win (below) is undone: it is in contact since day 2, 29 days.
	{"J", "U1", "9000", "USD", "prospecting", 1, ""},
	{"J", "U1", "9000", "USD", "contact", 2, ""},
	// K is won, then archived (below): it counts nowhere.
	{"K", "U3", "50000", "USD", "contact", 2, ""},
	{"K", "U3", "50000", "USD", "won", 5, ""},
	// L sits in contact since day 1 (30 days) but is paused past to: not stale.
	{"L", "U2", "2000", "USD", "contact", 1, ""},
}

// loadHandHistory imports handHistory into team and makes the changes made
// in Slack: a note on B, J's win undone, K archived, L paused.
func loadHandHistory(t *testing.T, s *db.DB, team string) {
	t.Helper()
	ids := loadHistory(t, s, team, handHistory)
	change(t, s, team, ids["B"], func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		return coach.AddNote(c, d, "Called the buyer about the security review", day(25))
	})
	change(t, s, team, ids["J"], func(c coach.Caller, d coach.Deal) (coach.Event, error) { return coach.Win(c, d, day(4)) })
	if _, undone, err := s.Undo(context.Background(), coach.Caller{TeamID: team, UserID: "U9", Manager: true}, day(4.1)); err != nil || undone.Kind != coach.EvWon {
		t.Fatalf("undo the win of J: %v, %v", undone, err)
	}
	change(t, s, team, ids["K"], func(c coach.Caller, d coach.Deal) (coach.Event, error) { return coach.Archive(c, d, day(6)) })
	change(t, s, team, ids["L"], func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		until := day(40)
		return coach.Event{Kind: coach.EvPause, Fields: coach.Fields{Until: &until}, ActorID: c.UserID, At: day(20)}, nil
	})
	// Close dates: B's slips 21 days in the window, then 5 more after it;
	// H's first date is no slip; J's earlier date is none either.
	due := func(deal, date string, at float64) {
		change(t, s, team, ids[deal], func(c coach.Caller, d coach.Deal) (coach.Event, error) {
			date, _ := coach.ParseDay(date)
			return coach.Due(c, d, coach.DueArgs{Date: date}, day(at))
		})
	}
	due("B", "2026-03-20", 2)
	due("B", "2026-04-10", 21)
	due("B", "2026-04-15", 33)
	due("H", "2026-04-30", 29)
	due("J", "2026-03-25", 3)
	due("J", "2026-03-22", 10)
}

// handReport is the report of handHistory for [day 0, day 31), worked out by
// hand following §9.
func handReport(team string) coach.Report {
	return coach.Report{
		TeamID: team, From: day(0), To: day(31),
		CycleDays: coach.CycleDays{
			// Won in the window: A 17, D 21. p75 = 17 + 0.75·4, p90 = 17 + 0.9·4.
			Won: coach.Summary{N: 2, Median: f(19), P75: f(20), P90: f(20.6)},
			// Lost in the window: G 0, E 3, C 23, F 30. Median at position 1.5 = 3 + 0.5·20;
			// p75 at 2.25 = 23 + 0.25·7; p90 at 2.7 = 23 + 0.7·7.
			Lost: coach.Summary{N: 4, Median: f(13), P75: f(24.75), P90: f(27.9)},
		},
		// By amount, in USD only: won A 10000 + D 8000 = 18000 of 18000 + C 5000 + E 3000 + G 7000 = 33000;
		// F (EUR) is left out.
		WinRate: coach.WinRate{Won: 2, Lost: 4, ByCount: f(2.0 / 6), ByAmount: f(18000.0 / 33000), AmountExcluded: 1},
		Stages: []coach.StageStats{
			// Visits ended in the window: E 5→8 = 3, H −40→20 = 60, J 1→2 = 1 (A's ended on day −5).
			// [1 3 60]: p75 at 1.5 = 3 + 0.5·57, p90 at 1.8 = 3 + 0.8·57. Open: I.
			// Cohort: E (lost), I (pending: its later rows are after to), J (advanced to contact).
			{Stage: coach.Prospecting, CompletedVisits: 3, MedianDays: f(3), P75Days: f(31.5), P90Days: f(48.6),
				OpenNow: 1, Entered: 3, Advanced: 1, Lost: 1, Pending: 1, Conversion: f(0.5), LostFrom: 1},
			// Visits: A −5→2 = 7, B 1→3 = 2, C −3→4 = 7 and 6→9 = 3 (F's ended on day −2).
			// [2 3 7 7]: median at 1.5 = 5, p75 at 2.25 = 7, p90 at 2.7 = 7. Open: H, J, L.
			// Cohort: B (advanced), H, J (its win undone), L pending; C first entered before the window.
			{Stage: coach.Contact, CompletedVisits: 4, MedianDays: f(5), P75Days: f(7), P90Days: f(7),
				OpenNow: 3, Entered: 4, Advanced: 1, Lost: 0, Pending: 3, Conversion: f(1), LostFrom: 0},
			// Visits: B 3→6 = 3 and 8→10 = 2, C 4→6 = 2 and 9→20 = 11, D 3→7 = 4 and 12→16 = 4.
			// [2 2 3 4 4 11]: median at 2.5 = 3.5, p75 at 3.75 = 4, p90 at 4.5 = 4 + 0.5·7.
			// Cohort: B advanced, D advanced (lost, then won later), C lost (it only got back to qualification).
			// Lost from qualification: C (day 20) and D (day 7).
			{Stage: coach.Qualification, CompletedVisits: 6, MedianDays: f(3.5), P75Days: f(4), P90Days: f(7.5),
				OpenNow: 0, Entered: 3, Advanced: 2, Lost: 1, Pending: 0, Conversion: f(2.0 / 3), LostFrom: 2},
			// Visits: A 2→12 = 10, B 6→8 = 2 and 10→15 = 5. [2 5 10]: p75 at 1.5 = 7.5, p90 at 1.8 = 9.
			// Cohort: A (won) and B (objections) advanced.
			{Stage: coach.Presentation, CompletedVisits: 3, MedianDays: f(5), P75Days: f(7.5), P90Days: f(9),
				OpenNow: 0, Entered: 2, Advanced: 2, Lost: 0, Pending: 0, Conversion: f(1), LostFrom: 0},
			// B is still there: no completed visit, one pending.
			{Stage: coach.Objections, OpenNow: 1, Entered: 1, Pending: 1},
			// Visits: D 16→24 = 8, F −2→10 = 12: p75 = 8 + 0.75·4, p90 = 8 + 0.9·4.
			// Cohort: D (won); F entered before the window but is lost from closing in it.
			{Stage: coach.Closing, CompletedVisits: 2, MedianDays: f(10), P75Days: f(11), P90Days: f(11.6),
				OpenNow: 0, Entered: 1, Advanced: 1, Conversion: f(1), LostFrom: 1},
		},
		// No stage has 10 visits in the 90 days before to, so the rule is 14 days.
		// J: in contact since day 2 (29 days), idle as long. B: in objections since day 15
		// (16 days); its note on day 25 keeps it from being idle. L is paused.
		StaleDeals: []coach.StaleDeal{
			{Deal: 10, Name: "J Ltd", Owner: "U1", Stage: coach.Contact, DaysInStage: 29, Rule: coach.StaleStage14d, DaysIdle: 29},
			{Deal: 2, Name: "B Ltd", Owner: "U1", Stage: coach.Objections, DaysInStage: 16, Rule: coach.StaleStage14d},
		},
		Reps: []coach.RepStats{
			{User: "U1", Won: 1, MedianWonCycleDays: f(17), Open: 3},          // A won; B, H, J open
			{User: "U2", Won: 1, Lost: 1, MedianWonCycleDays: f(21), Open: 2}, // D won, C lost; I, L open
			{User: "U3", Lost: 3}, // E, F, G lost; K is archived
		},
		// Over the 90 days before to the median won cycle rests on two deals (A, D):
		// too few for a velocity.
		VelocityPerDay: nil,
		// Lost in the window: G 7000, C 5000, E 3000, F in EUR; D's loss was
		// not its closing entry.
		LostReasons: []coach.LostReasonStat{
			{Reason: coach.ReasonNoDecision, N: 1, Amount: 7000},
			{Reason: coach.ReasonPrice, N: 1, Amount: 5000},
			{Reason: coach.ReasonNeed, N: 1, Amount: 3000},
			{Reason: coach.ReasonCompetitor, N: 1, AmountExcluded: 1},
		},
		// Open at to: I in prospecting; H, J, L in contact; B in objections.
		Pipeline: []coach.PipelineStage{
			{Stage: coach.Prospecting, Deals: 1, Amount: 6000}, {Stage: coach.Contact, Deals: 3, Amount: 15000},
			{Stage: coach.Qualification}, {Stage: coach.Presentation},
			{Stage: coach.Objections, Deals: 1, Amount: 20000}, {Stage: coach.Closing},
		},
		Slipped: []coach.SlippedDeal{{Deal: 2, Name: "B Ltd", Owner: "U1", Slips: 1, DaysPushed: 21, From: "2026-03-20", To: "2026-04-10"}},
	}
}

func TestReportHandComputed(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	loadHandHistory(t, s, team)

	t.Run("Team", func(t *testing.T) {
		got, err := s.Report(context.Background(), team, day(0), day(31))
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, got, handReport(team))
		if got, err = s.DigestReport(context.Background(), team, day(0), day(31)); err != nil {
			t.Fatal(err)
		}
		checkReport(t, got, handReport(team))
		// For the digest: won A 10000 + D 8000; made in the window B, D, E, G,
		// I, J, L (K is archived); J is past its close date and stale.
		if got.WonCents != 1800000 || got.Created != (coach.StageTotal{Deals: 7, Cents: 5500000}) {
			t.Errorf("won %d cents, created %+v; want 1800000 and 7 deals of 5500000", got.WonCents, got.Created)
		}
		if len(got.Overdue) != 1 || got.Overdue[0].Name != "J Ltd" || got.Overdue[0].CloseDate != "2026-03-22" {
			t.Errorf("overdue %+v; want J since 2026-03-22", got.Overdue)
		}
		if j := got.StaleDeals[0]; j.Amount == nil || j.Amount.Cents != 900000 || j.CloseDate != "2026-03-22" {
			t.Errorf("stale J has amount %v, close date %q", j.Amount, j.CloseDate)
		}
		// U2's qualification: C 4→6 and 9→20, D 3→7 and 12→16 (median 4); I
		// is open in prospecting.
		for _, rs := range got.RepStages {
			if rs.User == "U2" && rs.Stage == coach.Qualification && (rs.Visits != 4 || rs.MedianDays == nil || *rs.MedianDays != 4) {
				t.Errorf("U2 in qualification: %+v", rs)
			}
			if rs.User == "U2" && rs.Stage == coach.Prospecting && rs.Open != 1 {
				t.Errorf("U2 in prospecting: %+v", rs)
			}
		}
	})

	t.Run("OneRep", func(t *testing.T) {
		got, err := s.ReportFor(context.Background(), team, "U2", day(0), day(31))
		if err != nil {
			t.Fatal(err)
		}
		// U2: D won (21), C lost (23); by amount 8000 / (8000 + 5000); I and L open, neither stale.
		want := map[string]any{
			"cycle_days": map[string]any{
				"won":  map[string]any{"n": 1.0, "median": 21.0},
				"lost": map[string]any{"n": 1.0, "median": 23.0},
			},
			"win_rate":    map[string]any{"won": 1.0, "lost": 1.0, "by_count": 0.5, "by_amount": 8000.0 / 13000, "amount_excluded": 0.0},
			"stale_deals": []any{},
			"reps":        []any{map[string]any{"user": "U2", "won": 1.0, "lost": 1.0, "median_won_cycle_days": 21.0, "open": 2.0}},
		}
		for _, d := range sameTo4("report", reportJSON(t, got), want) {
			t.Error(d)
		}
	})
}

// The stale-deal rules side by side: a stage with ten visits in the 90 days
// before to is judged by its own p90; one with fewer by 14 days; and a deal
// within its stage's norm can still be idle.
func TestReportStaleRules(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	var rows []hrow
	// N0…N9 spend 11…20 days in prospecting and are won: ten completed visits,
	// p90 at position 8.1 = 19 + 0.1·1 = 19.1 days.
	for i := range 10 {
		id := fmt.Sprintf("N%d", i)
		rows = append(rows, hrow{id, "U1", "1000", "USD", "prospecting", 0, ""}, hrow{id, "U1", "1000", "USD", "won", float64(11 + i), ""})
	}
	rows = append(rows,
		hrow{"X1", "U2", "", "", "prospecting", 6, ""},  // 25 days > 19.1: stage_p90
		hrow{"X2", "U2", "", "", "prospecting", 14, ""}, // 17 days ≤ 19.1, but idle 17 > 14: idle
		hrow{"X3", "U2", "", "", "prospecting", 14, ""}, // 17 days, a note on day 25: fine
		hrow{"X4", "U2", "", "", "contact", 15, ""},     // contact has no visits: 16 > 14: stage_14d
		hrow{"X5", "U2", "", "", "contact", 18, ""},     // 13 days: fine
	)
	ids := loadHistory(t, s, team, rows)
	change(t, s, team, ids["X3"], func(c coach.Caller, d coach.Deal) (coach.Event, error) {
		return coach.AddNote(c, d, "Sent the case study they asked for", day(25))
	})
	got, err := s.Report(context.Background(), team, day(0), day(31))
	if err != nil {
		t.Fatal(err)
	}
	// Numbers follow the order of first rows: N0…N9 are 1–10, X1 11, X2 12, X4 14.
	want := []coach.StaleDeal{
		{Deal: 11, Name: "X1 Ltd", Owner: "U2", Stage: coach.Prospecting, DaysInStage: 25, Rule: coach.StaleStageP90, DaysIdle: 25},
		{Deal: 12, Name: "X2 Ltd", Owner: "U2", Stage: coach.Prospecting, DaysInStage: 17, Rule: coach.StaleIdle, DaysIdle: 17},
		{Deal: 14, Name: "X4 Ltd", Owner: "U2", Stage: coach.Contact, DaysInStage: 16, Rule: coach.StaleStage14d, DaysIdle: 16},
	}
	gotJ, _ := json.Marshal(got.StaleDeals)
	wantJ, _ := json.Marshal(want)
	var g, w any
	json.Unmarshal(gotJ, &g)
	json.Unmarshal(wantJ, &w)
	for _, d := range sameTo4("stale_deals", g, w) {
		t.Error(d)
	}
	if b := got.Bottleneck(); b != coach.Prospecting {
		t.Errorf("bottleneck = %q, want prospecting (the only stage with 10 visits)", b)
	}
}

// An undone change never counts, even in a report as of a time before the
// undo (§2: metrics skip both): the reopen undone after to leaves the deal
// lost long before the window, as it stands now.
func TestReportUndoAfterTo(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ids := loadHistory(t, s, team, []hrow{
		{"Z", "U1", "1000", "USD", "prospecting", -80, ""},
		{"Z", "U1", "1000", "USD", "lost", -70, "timing"},
	})
	// Reopened on day 30.5, undone on day 31.4: the undo is after to (day 31).
	change(t, s, team, ids["Z"], func(c coach.Caller, d coach.Deal) (coach.Event, error) { return coach.Reopen(c, d, day(30.5)) })
	if _, _, err := s.Undo(context.Background(), coach.Caller{TeamID: team, UserID: "U9", Manager: true}, day(31.4)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		to   float64
		open int
	}{{31, 0}, {31.5, 0}} {
		r, err := s.Report(context.Background(), team, day(0), day(tt.to))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Stage(coach.Prospecting).OpenNow; got != tt.open {
			t.Errorf("as of day %v: %d open in prospecting, want %d", tt.to, got, tt.open)
		}
	}
}

// TestVelocityNeedsFiveWins: velocity rests on the median won cycle, so it is
// null until five deals were won in the 90 days before to.
func TestVelocityNeedsFiveWins(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	rows := []hrow{
		{"O", "U1", "1000", "USD", "presentation", 1, ""}, // open past qualification at to
		{"L", "U1", "1000", "USD", "contact", 0, ""},
		{"L", "U1", "1000", "USD", "lost", 5, "price"},
	}
	for _, w := range []string{"W1", "W2", "W3", "W4", "W5"} {
		rows = append(rows, hrow{w, "U1", "1000", "USD", "contact", 0, ""}, hrow{w, "U1", "1000", "USD", "won", 10, ""})
	}
	four := dbtest.TeamID(t)
	loadHistory(t, s, four, rows[:len(rows)-2]) // four wins
	rep, err := s.Report(context.Background(), four, day(0), day(31))
	if err != nil {
		t.Fatal(err)
	}
	if rep.VelocityPerDay != nil || rep.WinRate.Won != 4 {
		t.Errorf("four wins: velocity %v (won %d); want null", rep.VelocityPerDay, rep.WinRate.Won)
	}
	five := dbtest.TeamID(t) + "5"
	loadHistory(t, s, five, rows)
	rep, err = s.Report(context.Background(), five, day(0), day(31))
	if err != nil {
		t.Fatal(err)
	}
	// 1 open past qualification × 1000 average won × 5/6 win rate ÷ 10 days.
	if want := 1000.0 * 5 / 6 / 10; rep.VelocityPerDay == nil || math.Abs(*rep.VelocityPerDay-want) > 1e-6 {
		t.Errorf("five wins: velocity %v; want %v", rep.VelocityPerDay, want)
	}
}
