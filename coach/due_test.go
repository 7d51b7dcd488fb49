package coach

import (
	"strings"
	"testing"
	"time"
)

func TestParseDueArgs(t *testing.T) {
	tests := []struct {
		in  string
		day string // YYYY-MM-DD; "" for off or an error
		off bool
		err string // part of the error; "" when it parses
	}{
		{in: "2026-04-30", day: "2026-04-30"},
		{in: "3w", day: "2026-04-08"},
		{in: "next friday", day: "2026-03-20"},
		{in: "周五", day: "2026-03-20"},
		{in: "off", off: true},
		{in: "取消", off: true},
		{in: "", err: "When do you expect #12 to close?"},
		{in: "someday", err: `Can't read "someday" as a date`},
		{in: "friday maybe", err: "When do you expect #12 to close?"},
		{in: "off please", err: "nothing after off"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDueArgs(tt.in, 12, ruleNow)
			if tt.err != "" {
				if err == nil || !strings.Contains(ErrorMessage(err, EN), tt.err) {
					t.Fatalf("ParseDueArgs(%q) = %+v, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				if ErrorMessage(err, ZH) == ErrorMessage(err, EN) {
					t.Errorf("error has no Chinese: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDueArgs(%q): %v", tt.in, err)
			}
			if got.Off != tt.off || (tt.day != "" && got.Date.Format(DayLayout) != tt.day) {
				t.Errorf("got %+v, want off=%v day=%s", got, tt.off, tt.day)
			}
		})
	}
}

// due applies a /deal due decision to a history, as the store would.
func (h *history) due(t *testing.T, s string, ago float64) (*history, error) {
	t.Helper()
	d, _ := h.deal()
	args, err := ParseDueArgs(s, d.Number, daysAgo(ago))
	if err != nil {
		return h, err
	}
	ev, err := Due(rep, d, args, daysAgo(ago))
	if err != nil {
		return h, err
	}
	return h.add(ev), nil
}

func TestDueSlipsAndOverdue(t *testing.T) {
	h := newHistory(Qualification, 40)
	steps := []struct {
		date            string
		ago             float64
		slips, slipDays int
	}{
		{"2026-03-10", 30, 0, 0}, // the first date is no slip
		{"2026-03-20", 20, 1, 10},
		{"2026-03-15", 15, 1, 10}, // earlier: no slip
		{"off", 14, 1, 10},
		{"2026-03-25", 10, 2, 20}, // later than the last date set, though cleared since
	}
	for _, st := range steps {
		var err error
		if h, err = h.due(t, st.date, st.ago); err != nil {
			t.Fatalf("due %s: %v", st.date, err)
		}
		d, _ := h.deal()
		if d.Slips != st.slips || d.SlipDays != st.slipDays {
			t.Errorf("after %s: %d slips, %d days pushed; want %d, %d", st.date, d.Slips, d.SlipDays, st.slips, st.slipDays)
		}
	}
	d, log := h.deal()
	if got := d.CloseDate.Format(DayLayout); got != "2026-03-25" {
		t.Errorf("close date %s, want 2026-03-25", got)
	}
	if d.Overdue(time.Date(2026, 3, 25, 23, 0, 0, 0, time.UTC)) {
		t.Error("overdue on its close date")
	}
	if !d.Overdue(time.Date(2026, 3, 26, 1, 0, 0, 0, time.UTC)) || d.DaysOverdue(time.Date(2026, 3, 28, 1, 0, 0, 0, time.UTC)) != 3 {
		t.Error("not overdue 3 days after its close date")
	}
	last := log[len(log)-1]
	if last.Kind != EvDue || last.Fields.Prev != nil {
		t.Errorf("a date set after a clear has no previous date: %+v", last.Fields)
	}
	// Undoing the last slip takes it back.
	h.revertLast(9)
	if d, _ := h.deal(); d.Slips != 1 || !d.CloseDate.IsZero() {
		t.Errorf("after undo: %d slips, close date %v; want 1 and none", d.Slips, d.CloseDate)
	}
	won, _ := newHistory(Closing, 5).won(1).deal()
	if won.Overdue(ruleNow.AddDate(1, 0, 0)) {
		t.Error("a won deal is overdue")
	}
}

func TestDueRefuses(t *testing.T) {
	h := newHistory(Qualification, 10) // created 2026-03-08
	tests := []struct {
		h   *history
		in  string
		err string
	}{
		{h, "2026-03-01", "before #12 was created (2026-03-08)"},
		{h, "2031-01-01", "more than three years ahead"},
		{h, "off", "has no close date"},
		{newHistory(Closing, 5).won(1), "friday", "already won"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := tt.h.due(t, tt.in, 0)
			if err == nil || !strings.Contains(ErrorMessage(err, EN), tt.err) {
				t.Fatalf("due %q: %v; want an error with %q", tt.in, err, tt.err)
			}
		})
	}
	h, _ = h.due(t, "2026-04-01", 0)
	if _, err := h.due(t, "2026-04-01", 0); ErrorCode(err) != EConflict {
		t.Errorf("the same date again: %v; want nothing changed", err)
	}
}
