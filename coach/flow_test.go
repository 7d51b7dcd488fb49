package coach

import "testing"

func TestTransitionKind(t *testing.T) {
	tests := []struct {
		from, to Stage
		kind     TransitionKind
		span     int
	}{
		{Prospecting, Contact, MoveForward, 1},
		{Closing, Won, MoveForward, 1},
		{Contact, Presentation, MoveSkip, 2},
		{Prospecting, Closing, MoveSkip, 5},
		{Objections, Won, MoveSkip, 2},
		{Objections, Presentation, MoveBack, 1},
		{Closing, Prospecting, MoveBack, 5},
		{Qualification, Lost, MoveLost, 0},
		{Lost, Qualification, MoveReopen, 0},
		{Won, Closing, MoveReopen, 0},
		{Won, Lost, MoveOther, 0},
		{Contact, Contact, MoveOther, 0},
	}
	for _, tt := range tests {
		m := Transition{From: tt.from, To: tt.to, Count: 1}
		if got := m.Kind(); got != tt.kind {
			t.Errorf("%s -> %s: kind %s, want %s", tt.from, tt.to, got, tt.kind)
		}
		if got := m.Span(); got != tt.span {
			t.Errorf("%s -> %s: span %d, want %d", tt.from, tt.to, got, tt.span)
		}
	}
}
