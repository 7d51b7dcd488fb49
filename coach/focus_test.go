package coach

import (
	"strings"
	"testing"
)

func TestCoachingFocus(t *testing.T) {
	fp := func(x float64) *float64 { return &x }
	q := Report{
		Stages: []StageStats{
			{Stage: Qualification, CompletedVisits: 30, MedianDays: fp(6)},
			{Stage: Objections, CompletedVisits: 25, MedianDays: fp(9)},
			{Stage: Closing, CompletedVisits: 4, MedianDays: fp(3)}, // too few to judge by
			{Stage: Qualification, LostFrom: 18}, {Stage: Closing, LostFrom: 4},
		},
		Reps: []RepStats{
			{User: "U0BOB", Won: 2, Open: 5}, {User: "U0CAROL", Open: 3}, {User: "U0ERIN", Lost: 2, Open: 2},
			{User: "U0FRANK", Open: 4}, {User: "U0GONE"}, {User: "U0HAL", Won: 1, Lost: 2},
		},
		RepStages: []RepStage{
			{User: "U0BOB", Stage: Objections, Visits: 12, MedianDays: fp(14), Open: 2},
			{User: "U0BOB", Stage: Qualification, Visits: 9, MedianDays: fp(8.5)},        // 1.4 × the team but 2.5 days: less slow than objections
			{User: "U0CAROL", Stage: Objections, Visits: 5, MedianDays: fp(30), Open: 1}, // too few visits
			{User: "U0CAROL", Stage: Closing, Visits: 9, MedianDays: fp(20)},             // the team's closing is too thin
			{User: "U0ERIN", Stage: Contact, Open: 2},
			{User: "U0FRANK", Stage: Presentation, Open: 4, Visits: 10, MedianDays: fp(9)},
		},
	}
	got := CoachingFocus(q)
	if len(got) != 3 {
		t.Fatalf("focus %+v; want Bob's objections, Erin's missing late pipeline and Hal's empty one", got)
	}
	// Hal closed all he had: not told to move deals he does not have.
	if hal := got[2]; hal.User != "U0HAL" || !hal.NoPipeline || !strings.Contains(hal.Text(EN), "no open deal left") ||
		strings.Contains(hal.Text(EN), "presentation") || hal.Text(ZH) == hal.Text(EN) {
		t.Errorf("Hal: %+v %q", hal, hal.Text(EN))
	}
	if bob := got[0].Text(EN); got[0].User != "U0BOB" || bob != Objections.Name(EN)+" 14 days against the team's 9 over 12 visits — coach on "+strings.ToLower(Objections.Name(EN)) {
		t.Errorf("Bob: %q", bob)
	}
	if got[1].User != "U0ERIN" || !got[1].NoLatePipeline || !strings.Contains(got[1].Text(EN), "no open deal past "+Qualification.Name(EN)) {
		t.Errorf("Erin: %+v %q", got[1], got[1].Text(EN))
	}
	if zh := got[0].Text(ZH); !strings.Contains(zh, Objections.Name(ZH)) || zh == got[0].Text(EN) {
		t.Errorf("Chinese: %q", zh)
	}
	if s, n := q.DropOut(); s != Qualification || n != 18 {
		t.Errorf("drop-out %s %d; want qualification 18", s, n)
	}
}
