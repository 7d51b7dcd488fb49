package handlers_test

import (
	"strings"
	"testing"
)

// TestWeeksForms: /coach stats, flow and trend read a number of weeks the
// same ways. Flow and trend share one reading (parseWeeks), so drawing their
// pictures for two of the forms is enough; stats is asked in every form.
func TestWeeksForms(t *testing.T) {
	t.Parallel()
	f := newPictureFixture(t, storeData, "")
	drawn := map[string]bool{"weeks 6": true, "6周": true}
	for _, form := range []string{"weeks 6", "6 weeks", "Weeks 6", "6w", "6wks", "6", "6周", "6 周", "6星期"} {
		t.Run(form, func(t *testing.T) {
			if all := f.slack.Command("T1", "U1", "/coach", "stats team "+form).AllText(); !strings.Contains(all, "last 6 weeks") {
				t.Errorf("/coach stats team %s:\n%s", form, all)
			}
			if !drawn[form] {
				return
			}
			for _, cmd := range []string{"flow", "trend"} {
				f.api.mu.Lock()
				f.api.title = ""
				f.api.mu.Unlock()
				f.slack.Command("T1", "U1", "/coach", cmd+" "+form)
				f.wait(t)
				if !strings.Contains(f.api.title, "last 6 weeks") {
					t.Errorf("/coach %s %s: uploaded %q, want the last 6 weeks", cmd, form, f.api.title)
				}
			}
		})
	}
	for _, bad := range []string{"weeks", "weeks six", "6 weeks more", "0w", "105 weeks", "w6"} {
		t.Run(bad, func(t *testing.T) {
			if all := f.slack.Command("T1", "U1", "/coach", "flow "+bad).AllText(); !strings.Contains(all, "not a number of weeks") {
				t.Errorf("/coach flow %s:\n%s", bad, all)
			}
			if all := f.slack.Command("T1", "U1", "/coach", "stats "+bad).AllText(); !strings.Contains(all, "Try /coach stats") {
				t.Errorf("/coach stats %s:\n%s", bad, all)
			}
		})
	}
}
