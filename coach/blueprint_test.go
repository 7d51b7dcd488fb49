package coach

import (
	"reflect"
	"testing"
	"time"
)

func TestBlueprint(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(days float64) time.Time { return t0.Add(time.Duration(days * 24 * float64(time.Hour))) }
	cents := int64(1_200_000)
	until := at(20)
	id := int64(0)
	ev := func(days float64, kind EventKind, entry Stage, text string, f Fields) Event {
		id++
		return Event{ID: id, DealID: 1, Kind: kind, Entry: entry, Text: text, Fields: f, ActorID: "U1", At: at(days)}
	}
	events := []Event{
		ev(0, EvCreate, Qualification, "", Fields{Name: "Acme", Owner: "U1", Currency: "USD"}),
		ev(1, EvNote, "", "Discovery call with the CFO", Fields{}),
		ev(2, EvCheck, "", "", Fields{Criterion: "budget", Stage: Qualification}),
		ev(3, EvEdit, "", "", Fields{AmountCents: &cents, Currency: "USD"}),
		ev(4, EvMove, Presentation, "", Fields{}),
		ev(5, EvNote, "", "Sent the proposal and pricing", Fields{}),
		ev(6, EvNote, "", "Prepared the ROI model internally", Fields{}),
		ev(7, EvNote, "", "a mistake", Fields{}),
		{ID: 100, DealID: 1, Kind: EvRevert, Reverts: 8, ActorID: "U1", At: at(7.1)},
		ev(20, EvMove, Qualification, "", Fields{}), // a loop back: a second column
		ev(21, EvPause, "", "waiting for budget", Fields{Until: &until}),
		ev(23, EvLost, Lost, "too expensive", Fields{}),
	}
	events[len(events)-1].Reason = ReasonPrice
	p90 := 10.0
	rep := &Report{Stages: []StageStats{
		{Stage: Qualification, CompletedVisits: 12, P90Days: &p90},
		{Stage: Presentation, CompletedVisits: 12, P90Days: &p90},
	}}
	bp := Blueprint(Deal{ID: 1, Number: 7, Name: "Acme"}, events, rep, at(30), EN)

	type col struct {
		Stage Stage
		Visit int
		Days  float64
		Fail  bool
		Lanes map[Lane][]string
	}
	var got []col
	for _, c := range bp.Columns {
		lanes := map[Lane][]string{}
		for _, l := range Lanes {
			for _, it := range c.Lanes[l] {
				text := it.Text
				if it.Expected {
					text = "expected: " + text
				}
				lanes[l] = append(lanes[l], text)
			}
		}
		got = append(got, col{c.Stage, c.Visit, c.Days, c.FailPoint, lanes})
	}
	next := func(s Stage) string { return "expected: " + PlaybookFor(s).NextStep.EN }
	budget, _ := PlaybookFor(Qualification).Criterion("budget")
	want := []col{
		{Qualification, 1, 4, false, map[Lane][]string{
			LaneCustomer:   {"✓ " + budget.EN},
			LaneFrontstage: {"Discovery call with the CFO"},
			LaneBackstage:  {"Amount set to $12,000"},
			LaneSupport:    {next(Qualification)},
		}},
		{Presentation, 1, 16, true, map[Lane][]string{ // 16 days, past the p90 of 10
			LaneEvidence:   {"Proposal", "Quote"},
			LaneFrontstage: {"Sent the proposal and pricing"},
			LaneBackstage:  {"Prepared the ROI model internally"},
			LaneSupport:    {next(Presentation)},
		}},
		{Qualification, 2, 3, false, map[Lane][]string{
			LaneBackstage: {"Paused until 2026-03-22: waiting for budget"},
			LaneSupport:   {next(Qualification)},
		}},
		{Lost, 1, 7, false, map[Lane][]string{
			LaneCustomer: {"Said no: price — too expensive"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Blueprint:\n got %+v\nwant %+v", got, want)
	}

	t.Run("NoP90WithFewVisits", func(t *testing.T) {
		few := &Report{Stages: []StageStats{{Stage: Presentation, CompletedVisits: 9, P90Days: &p90}}}
		bp := Blueprint(Deal{}, events, few, at(30), EN)
		for _, c := range bp.Columns {
			if c.FailPoint || c.P90 != nil {
				t.Errorf("%s: fail point on a p90 of %d visits", c.Stage, 9)
			}
		}
	})
	t.Run("AsOfEarlier", func(t *testing.T) {
		bp := Blueprint(Deal{}, events, rep, at(10), EN)
		if len(bp.Columns) != 2 || !bp.Columns[1].End.IsZero() || bp.Columns[1].Days != 6 {
			t.Errorf("as of day 10: %+v, want qualification then presentation, still open after 6 days", bp.Columns)
		}
	})
	t.Run("EvidenceOnce", func(t *testing.T) {
		again := []Event{
			ev(0, EvCreate, Presentation, "", Fields{Name: "Acme", Owner: "U1", Currency: "USD"}),
			ev(1, EvNote, "", "Sent the proposal", Fields{}),
			ev(2, EvNote, "", "Walked their CFO through the proposal and the quote", Fields{}),
		}
		bp := Blueprint(Deal{}, again, rep, at(3), EN)
		var got []string
		for _, it := range bp.Columns[0].Lanes[LaneEvidence] {
			got = append(got, it.Text)
		}
		if want := []string{"Proposal", "Quote"}; !reflect.DeepEqual(got, want) {
			t.Errorf("evidence %v, want each artifact once: %v", got, want)
		}
	})
	t.Run("CurrentVisitRunsToNow", func(t *testing.T) {
		bp := Blueprint(Deal{}, events[:6], rep, at(30), ZH)
		last := bp.Columns[len(bp.Columns)-1]
		if !last.End.IsZero() || last.Days != 26 || !last.FailPoint {
			t.Errorf("current visit: end %v, %v days, fail %v; want open, 26 days, a fail point", last.End, last.Days, last.FailPoint)
		}
		if got := last.Lanes[LaneEvidence]; !reflect.DeepEqual(got, []BlueprintItem{{Text: "方案", At: at(5)}, {Text: "报价", At: at(5)}}) {
			t.Errorf("evidence in Chinese: %v", got)
		}
	})
}

func TestNoteLane(t *testing.T) {
	tests := []struct {
		note string
		want Lane
	}{
		{"Demo went well; they asked about the API", LaneCustomer},
		{"Timeline: they want to go live before the summer", LaneCustomer},
		{"Their new CFO wants the business case redone", LaneCustomer},
		{"客户要求再做一次演示，重点讲报表", LaneCustomer},
		{"CFO pushed back on price; sent a phased proposal", LaneFrontstage},
		{"Sent the recap and a draft action plan", LaneFrontstage},
		{"已加微信，约了下周电话", LaneFrontstage},
		{"Budget confirmed for this fiscal year", LaneFrontstage},
		{"Prepared the ROI model internally", LaneBackstage},
		{"内部评审了报价方案", LaneBackstage},
		{"Prepared the deck and presented it to the board", LaneFrontstage},
	}
	for _, tt := range tests {
		if got := NoteLane(tt.note); got != tt.want {
			t.Errorf("NoteLane(%q) = %s, want %s", tt.note, got.Name(EN), tt.want.Name(EN))
		}
	}
}
