package handlers_test

import (
	"strings"
	"testing"
)

// TestDue: a rep sets the close date, pushes it (a slip) and clears it; the
// list and the deal show it; bad dates change nothing.
func TestDue(t *testing.T) {
	f := newFixture(t)
	steps := []struct {
		text string
		want []string
		not  []string
	}{
		{"add Acme Corp 12k closing", []string{"#1 Acme Corp"}, nil},
		{"due acme 2099-01-01", []string{"more than three years ahead"}, nil},
		{"due acme someday", []string{`Can't read "someday" as a date`}, nil},
		{"due acme 2020-01-01", []string{"before #1 was created"}, nil},
		{"due acme 1w", []string{"#1 Acme Corp is expected to close on"}, []string{"slip"}},
		{"close-date acme 3w", []string{"14 days later than", "slip 1 of this deal, 14 days pushed in all"}, nil},
		{"list", []string{"#1 Acme Corp", " · close 20"}, nil},
		{"show acme", []string{"Expected close", "slipped 1× (14 days in all)"}, nil},
		{"预计成交 acme off", []string{"no expected close date any more"}, nil},
		{"show acme", nil, []string{"Expected close"}},
		{"due acme off", []string{"has no close date — nothing changed"}, nil},
	}
	for _, s := range steps {
		all := f.slack.Command("T1", "U1", "/deal", s.text).AllText()
		for _, w := range s.want {
			if !strings.Contains(all, w) {
				t.Errorf("/deal %s: reply lacks %q:\n%s", s.text, w, all)
			}
		}
		for _, w := range s.not {
			if strings.Contains(all, w) {
				t.Errorf("/deal %s: reply has %q:\n%s", s.text, w, all)
			}
		}
	}
	if all := f.slack.Command("T1", "U1", "/deal", "help").AllText(); !strings.Contains(all, "a later date than before counts as a slip") {
		t.Errorf("help lacks /deal due:\n%s", all)
	}
}
