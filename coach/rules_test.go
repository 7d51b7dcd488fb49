package coach

import (
	"testing"
	"time"
)

// ruleNow is a Wednesday morning.
var ruleNow = time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC)

func daysAgo(d float64) time.Time { return ruleNow.Add(-time.Duration(d * 24 * float64(time.Hour))) }

// history builds a deal's log from steps, oldest first, and replays it.
type history struct {
	amount   int64 // cents; 0 for none
	currency string
	events   []Event
}

func newHistory(stage Stage, ago float64) *history {
	return &history{currency: "USD", events: []Event{{Kind: EvCreate, Entry: stage, At: daysAgo(ago)}}}
}

func (h *history) add(e Event) *history {
	e.ID = int64(len(h.events) + 1)
	h.events = append(h.events, e)
	return h
}

func (h *history) move(s Stage, ago float64) *history {
	return h.add(Event{Kind: EvMove, Entry: s, At: daysAgo(ago)})
}

func (h *history) note(ago float64) *history {
	return h.add(Event{Kind: EvNote, Text: "called the buyer", At: daysAgo(ago)})
}

func (h *history) check(s Stage, key string, ago float64) *history {
	return h.add(Event{Kind: EvCheck, Fields: Fields{Stage: s, Criterion: key}, At: daysAgo(ago)})
}

func (h *history) pause(until time.Time, reason string, ago float64) *history {
	return h.add(Event{Kind: EvPause, Fields: Fields{Until: &until}, Text: reason, At: daysAgo(ago)})
}

func (h *history) revertLast(ago float64) *history {
	return h.add(Event{Kind: EvRevert, Reverts: h.events[len(h.events)-1].ID, At: daysAgo(ago)})
}

func (h *history) won(ago float64) *history {
	return h.add(Event{Kind: EvWon, Entry: Won, At: daysAgo(ago)})
}

func (h *history) lost(r LostReason, ago float64) *history {
	return h.add(Event{Kind: EvLost, Entry: Lost, Reason: r, At: daysAgo(ago)})
}

func (h *history) withAmount(cents int64, currency string) *history {
	h.amount, h.currency = cents, currency
	return h
}

func (h *history) deal() (Deal, []Event) {
	first := &h.events[0]
	first.ID = 1
	first.Fields = Fields{Name: "Acme Corp", Owner: "U1", Currency: h.currency}
	if h.amount > 0 {
		first.Fields.AmountCents = &h.amount
	}
	for i := range h.events {
		h.events[i].DealID = 7
	}
	d := Replay(Deal{ID: 7, TeamID: "T1", Number: 12, CreatedAt: first.At}, h.events)
	return d, h.events
}

// teamStats: enough qualification and closing visits to judge by, too few
// of the other stages.
func teamStats() TeamStats {
	return TeamStats{
		At: ruleNow,
		Stages: []StageTimes{
			{Stage: Qualification, Visits: 23, Median: 5, P75: 7, P90: 9},
			{Stage: Presentation, Visits: 3, Median: 4, P75: 6, P90: 20},
			{Stage: Closing, Visits: 12, Median: 9, P75: 15, P90: 21},
		},
		Typical: Money{Cents: 3_000_000, Currency: "USD"}, TypicalN: 12,
	}
}

func withLosses(t TeamStats, losses int, rc ...ReasonCount) TeamStats {
	t.LostReasons, t.Losses = rc, losses
	return t
}

// TestEveryRuleHasAScenario makes sure the scenario suite shows every rule
// firing.
func TestEveryRuleHasAScenario(t *testing.T) {
	covered := map[Rule]bool{}
	for _, sc := range scenarios() {
		covered[sc.rule] = true
	}
	for _, r := range Rules() {
		if !covered[r] {
			t.Errorf("rule %s has no scenario", r)
		}
		if l := r.Label(); l.EN == "" || !hasHan(l.ZH) {
			t.Errorf("rule %s has no label in both languages: %+v", r, l)
		}
	}
}

func TestThresholdFallback(t *testing.T) {
	stats := TeamStats{Stages: []StageTimes{
		{Stage: Qualification, Visits: 10, Median: 5, P75: 7, P90: 9},
		{Stage: Closing, Visits: 9, Median: 2, P75: 3, P90: 4},
	}}
	tests := []struct {
		stage Stage
		want  Threshold
	}{
		{Qualification, Threshold{Stage: Qualification, Team: true, Visits: 10, Median: 5, P75: 7, P90: 9}},
		{Closing, Threshold{Stage: Closing, Visits: 9, P75: 10, P90: 14}},
		{Contact, Threshold{Stage: Contact, P75: 5, P90: 14}},
	}
	for _, tt := range tests {
		if got := stats.Threshold(tt.stage); got != tt.want {
			t.Errorf("Threshold(%s) = %+v, want %+v", tt.stage, got, tt.want)
		}
	}
}

func TestNudgeDay(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		name string
		now  time.Time
		loc  *time.Location
		last string
		day  string // "" when none is due
	}{
		{"NineLocalOnMonday", time.Date(2026, 3, 16, 1, 0, 0, 0, time.UTC), shanghai, "", "2026-03-16"},
		{"BeforeNine", time.Date(2026, 3, 16, 0, 59, 0, 0, time.UTC), shanghai, "", ""},
		{"AlreadyNudgedToday", time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC), shanghai, "2026-03-16", ""},
		{"NudgedYesterday", time.Date(2026, 3, 17, 1, 30, 0, 0, time.UTC), shanghai, "2026-03-16", "2026-03-17"},
		{"Noon", time.Date(2026, 3, 16, 4, 0, 0, 0, time.UTC), shanghai, "", ""},
		{"SaturdayLocal", time.Date(2026, 3, 21, 2, 0, 0, 0, time.UTC), shanghai, "", ""},
		// Friday 21:00 in New York is Saturday 09:00 in Shanghai.
		{"FridayEveningUTCIsSaturdayInShanghai", time.Date(2026, 3, 20, 1, 0, 0, 0, time.UTC).Add(24 * time.Hour), shanghai, "", ""},
		// 13:00 UTC is 09:00 in New York once daylight saving time began (8 March 2026).
		{"NewYorkAfterDSTChange", time.Date(2026, 3, 18, 13, 0, 0, 0, time.UTC), ny, "", "2026-03-18"},
		{"NewYorkBeforeNineLocal", time.Date(2026, 3, 18, 12, 59, 0, 0, time.UTC), ny, "", ""},
		{"UnknownZoneIsUTC", time.Date(2026, 3, 18, 9, 0, 0, 0, time.UTC), nil, "", "2026-03-18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day, ok := NudgeDay(tt.now, tt.loc, tt.last)
			if ok != (tt.day != "") || ok && day != tt.day {
				t.Errorf("NudgeDay = %q, %v, want %q", day, ok, tt.day)
			}
		})
	}
}
