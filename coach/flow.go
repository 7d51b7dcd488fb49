package coach

import "time"

// Transition counts the observed moves of deals from one stage entry to the
// next (From and To are open stages, Won or Lost) in a window: pairs of
// consecutive live entries of a deal whose second entry lies in the window.
type Transition struct {
	From  Stage `json:"from"`
	To    Stage `json:"to"`
	Count int   `json:"count"`
}

// TransitionKind says how a transition runs through the process.
type TransitionKind string

// Transition kinds.
const (
	MoveForward TransitionKind = "forward" // to the next open stage, or from closing to won
	MoveSkip    TransitionKind = "skip"    // forward past one or more stages (won from before closing too)
	MoveBack    TransitionKind = "back"    // to an earlier open stage
	MoveLost    TransitionKind = "lost"    // from an open stage to lost
	MoveReopen  TransitionKind = "reopen"  // from won or lost back to an open stage
	MoveOther   TransitionKind = "other"   // anything else (an entry repeated, an unknown stage)
)

// Kind returns how t runs through the process.
func (t Transition) Kind() TransitionKind {
	from, to := flowIndex(t.From), flowIndex(t.To)
	switch {
	case (t.From == Won || t.From == Lost) && t.To.IsOpen():
		return MoveReopen
	case !t.From.IsOpen():
		return MoveOther
	case t.To == Lost:
		return MoveLost
	case to < 0 || to == from:
		return MoveOther
	case to == from+1:
		return MoveForward
	case to > from:
		return MoveSkip
	}
	return MoveBack
}

// flowIndex is a stage's column in the process with Won right after Closing,
// or -1 for Lost and anything not in the process.
func flowIndex(s Stage) int {
	if s == Won {
		return len(OpenStages)
	}
	if s.IsOpen() {
		return s.Index()
	}
	return -1
}

// Span returns how many columns t crosses in the process, with Won one column
// after Closing: 1 for a move to the next stage, 3 for a skip past two, and
// the same for a move back. It is 0 for moves to lost and reopens.
func (t Transition) Span() int {
	switch t.Kind() {
	case MoveForward, MoveSkip, MoveBack:
	default:
		return 0
	}
	from, to := flowIndex(t.From), flowIndex(t.To)
	if to > from {
		return to - from
	}
	return from - to
}

// WeekCycle is the won sales cycle of one week: the deals closed won in
// [Start, End) by §9's rule, and their median cycle in days (nil with none).
// Rolling is the median over the four weeks that end with this one, and
// RollingN how many deals it rests on.
type WeekCycle struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	N        int       `json:"n"`
	Median   *float64  `json:"median"`
	RollingN int       `json:"rolling_n"`
	Rolling  *float64  `json:"rolling_median"`
}
