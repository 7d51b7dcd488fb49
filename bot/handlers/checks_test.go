package handlers_test

import (
	"strings"
	"testing"
)

func TestPauseAndCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	steps := []struct {
		text string
		want []string
		not  []string
	}{
		{"add Acme Corp 12k qualification", []string{"#1 Acme Corp"}, nil},
		{"pause acme 2w waiting for their budget", []string{"Paused #1 Acme Corp until", "(waiting for their budget)", "/deal pause #1 off", "Why · Paused", "on that day"}, nil},
		{"show acme", []string{"Paused until"}, nil},
		{"pause acme off", []string{"no longer paused"}, []string{"Why · Paused"}},
		{"check acme money", []string{"Confirmed budget for #1 Acme Corp in Qualification (1 of 6)", "Still open: need, authority, timeline, champion, competition"}, nil},
		{"check acme", []string{"(1 of 6 confirmed)", "✓ budget", "☐ need"}, nil},
		{"check acme economic buyer", []string{"Confirmed authority", "(2 of 6)"}, nil},
		{"next acme", []string{"Moved #1 Acme Corp from Qualification to Presentation", "Not confirmed before leaving Qualification (4 of 6)", "☐ need", "☐ timeline", "☐ champion", "☐ competition"},
			[]string{"☐ budget", "☐ authority"}},
		{"check acme fit", []string{"Confirmed fit", "in Presentation (1 of 5)"}, nil},
		{"check acme value", []string{"(2 of 5)"}, nil},
		{"check acme threads", nil, nil},
		{"check acme plan", nil, nil},
		{"check acme objection cost they want 10 % off", []string{"Recorded a price objection on #1 Acme Corp", "5A"}, nil},
		{"check acme objection money", []string{"There is no objection type \"money\""}, []string{"Recorded"}},
		{"check acme recap", []string{"Every exit criterion is confirmed: move it on with /deal next #1"}, nil},
		{"next acme", []string{"✓ All 5 exit criteria of Presentation were confirmed"}, []string{"Not confirmed"}},
	}
	for _, s := range steps {
		reply := f.slack.Command("T1", "U1", "/deal", s.text)
		all := reply.AllText()
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
}

// TestPauseCheckBadInput: each mistake gets one friendly line in the caller's
// language and changes nothing.
func TestPauseCheckBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.slack.Command("T1", "U1", "/deal", "add Acme Corp 12k qualification")
	f.slack.Command("T1", "U1", "/deal", "check acme budget")
	f.slack.Command("T1", "U1", "/deal", "add Globex 5k closing")
	f.slack.Command("T1", "U1", "/deal", "lost globex price")
	f.slack.Command("T1", "U2", "/deal", "add Initech 5k")
	before := f.events(t)

	tests := []struct {
		name, text, want, wantZH string
	}{
		{"PauseWithoutDate", "pause acme", "until when? E.g. /deal pause #1 2w", "要把 #1 暂停到什么时候"},
		{"PauseUnreadableDate", "pause acme someday", `Can't read "someday" as a date`, "无法把“someday”识别为日期"},
		{"PauseToday", "pause acme today", "Pick a date after today", "请选择今天之后的日期"},
		{"PauseTooLong", "pause acme 400d", "at most a year", "最多暂停一年"},
		{"UnpauseWhenNotPaused", "pause acme off", "is not paused — nothing changed", "没有处于暂停状态"},
		{"PauseLostDeal", "pause globex 2w", "closed, so there is nothing to pause", "已经结束，无需暂停"},
		{"PauseYesterday", "pause acme yesterday", "Pick a date after today", "请选择今天之后的日期"},
		{"PauseLostDealBadDate", "pause globex yesterday", "closed, so there is nothing to pause", "已经结束，无需暂停"},
		{"PauseAnotherRepsDeal", "pause initech 2w", "No deal", "没有"},
		{"CheckUnknownCriterion", "check acme bugdet", `Qualification has no exit criterion "bugdet". Did you mean budget? Use one of: need, budget, authority, timeline, champion`, "商机确认阶段没有名为“bugdet”的出阶段标准"},
		{"CheckTwice", "check acme budget", "budget is already confirmed", "已经确认过 budget"},
		{"CheckLostDeal", "check globex proposal", "is lost, so there is nothing to confirm", "已丢单，没有需要确认的标准"},
		{"CheckLostDealList", "check globex", "is lost, so there is nothing to confirm", "已丢单，没有需要确认的标准"},
		{"CheckNoDeal", "check", "Which deal", "是哪个商机"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []struct{ set, want string }{{"en", tt.want}, {"zh", tt.wantZH}} {
				f.slack.Command("T1", "U1", "/coach", "lang "+lang.set)
				reply := f.slack.Command("T1", "U1", "/deal", tt.text)
				if len(reply.Blocks) != 1 {
					t.Errorf("%s: want one friendly line, got %d blocks: %s", lang.set, len(reply.Blocks), reply.AllText())
				}
				if !strings.Contains(reply.Text, lang.want) {
					t.Errorf("%s: reply %q lacks %q", lang.set, reply.Text, lang.want)
				}
			}
			if n := f.events(t); n != before {
				t.Errorf("events: %d → %d; bad input must change nothing", before, n)
			}
		})
	}
}
