package coach

import (
	"strings"
	"testing"
	"time"
)

var rep = Caller{TeamID: "T1", UserID: "U1", Lang: EN, Loc: time.UTC}

func TestParsePauseArgs(t *testing.T) {
	tests := []struct {
		in     string
		until  string // YYYY-MM-DD; "" for off or an error
		off    bool
		reason string
		err    string // part of the error; "" when it parses
	}{
		{in: "2026-04-01", until: "2026-04-01"},
		{in: "2w waiting for their budget", until: "2026-04-01", reason: "waiting for their budget"},
		{in: "2 weeks customer on leave", until: "2026-04-01", reason: "customer on leave"},
		{in: "next friday", until: "2026-03-20"},
		{in: "friday board meets thursday", until: "2026-03-20", reason: "board meets thursday"},
		{in: "周五 等预算", until: "2026-03-20", reason: "等预算"},
		{in: "off", off: true},
		{in: "OFF", off: true},
		{in: "取消", off: true},
		{in: "", err: "until when"},
		{in: "soon please", err: `Can't read "soon"`},
		{in: "off now", err: "nothing after off"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePauseArgs(tt.in, 12, ruleNow)
			if tt.err != "" {
				if err == nil || !strings.Contains(ErrorMessage(err, EN), tt.err) {
					t.Fatalf("ParsePauseArgs(%q) = %+v, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				if ErrorMessage(err, ZH) == ErrorMessage(err, EN) {
					t.Errorf("error has no Chinese: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePauseArgs(%q): %v", tt.in, err)
			}
			if got.Off != tt.off || got.Reason != tt.reason {
				t.Errorf("got off=%v reason=%q, want off=%v reason=%q", got.Off, got.Reason, tt.off, tt.reason)
			}
			if tt.until != "" && got.Until.Format(time.DateOnly) != tt.until {
				t.Errorf("until = %s, want %s", got.Until.Format(time.DateOnly), tt.until)
			}
		})
	}
}

func TestPause(t *testing.T) {
	open, _ := newHistory(Qualification, 5).deal()
	paused, _ := newHistory(Qualification, 5).pause(ruleNow.AddDate(0, 0, 3), "", 1).deal()
	won, _ := newHistory(Closing, 5).won(1).deal()
	other := open
	other.OwnerID = "U2"
	day := func(n int) time.Time { return time.Date(2026, 3, 18+n, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		deal Deal
		args PauseArgs
		code string // "" when the pause applies
	}{
		{"OK", open, PauseArgs{Until: day(14), Reason: "budget freeze"}, ""},
		{"Off", paused, PauseArgs{Off: true}, ""},
		{"OffWhenNotPaused", open, PauseArgs{Off: true}, EConflict},
		{"Today", open, PauseArgs{Until: day(0)}, EInvalid},
		{"MoreThanAYear", open, PauseArgs{Until: day(400)}, EInvalid},
		{"Closed", won, PauseArgs{Until: day(3)}, EConflict},
		{"AnotherRepsDeal", other, PauseArgs{Until: day(3)}, ENotFound},
		{"ReasonTooLong", open, PauseArgs{Until: day(3), Reason: strings.Repeat("x", MaxNoteLen+1)}, EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Pause(rep, tt.deal, tt.args, ruleNow)
			if got := ErrorCode(err); got != tt.code {
				t.Fatalf("Pause: error %v (code %q), want code %q", err, got, tt.code)
			}
			if err != nil {
				return
			}
			after := Replay(tt.deal, append(append([]Event{}, createOf(tt.deal)...), ev))
			if tt.args.Off {
				if after.Paused(ruleNow) {
					t.Errorf("still paused after off")
				}
				return
			}
			if !after.Paused(ruleNow) || !after.PausedUntil.Equal(tt.args.Until) || after.PauseReason != tt.args.Reason {
				t.Errorf("after pause: until %v reason %q, want %v %q", after.PausedUntil, after.PauseReason, tt.args.Until, tt.args.Reason)
			}
			if after.Paused(tt.args.Until) {
				t.Errorf("still paused on the day it ends")
			}
		})
	}
}

// createOf returns a creation event that replays to an open deal like d.
func createOf(d Deal) []Event {
	return []Event{{ID: 100, Kind: EvCreate, Entry: d.Stage, At: d.StageSince, Fields: Fields{Name: d.Name, Owner: d.OwnerID, Currency: "USD"}}}
}

func TestCheck(t *testing.T) {
	h := newHistory(Qualification, 5)
	d, log := h.deal()
	checked, checkedLog := newHistory(Qualification, 5).check(Qualification, "budget", 1).deal()
	earlier, earlierLog := newHistory(Qualification, 30).check(Qualification, "budget", 29).move(Presentation, 20).move(Qualification, 2).deal()
	won, wonLog := newHistory(Closing, 5).won(1).deal()
	lost, lostLog := newHistory(Closing, 5).lost(ReasonPrice, 1).deal()
	tests := []struct {
		name  string
		deal  Deal
		log   []Event
		word  string
		key   string // the criterion recorded; "" for an error
		stage Stage
		code  string
		msg   string // part of the English error
	}{
		{"Key", d, log, "budget", "budget", Qualification, "", ""},
		{"Alias", d, log, "Economic buyer", "authority", Qualification, "", ""},
		{"ChineseAlias", d, log, "预算", "budget", Qualification, "", ""},
		{"ConfirmedInAnEarlierVisitCountsAgain", earlier, earlierLog, "budget", "budget", Qualification, "", ""},
		{"WonDealChecksFollowUp", won, wonLog, PlaybookFor(Retention).ExitCriteria[0].Key, PlaybookFor(Retention).ExitCriteria[0].Key, Retention, "", ""},
		{"Unknown", d, log, "budgte", "", "", EInvalid, "Did you mean budget? Use one of: need, budget, authority, timeline, champion"},
		{"Empty", d, log, " ", "", "", EInvalid, "One of: need, budget"},
		{"AlreadyConfirmed", checked, checkedLog, "money", "", "", EConflict, "already confirmed"},
		{"Lost", lost, lostLog, "budget", "", "", EConflict, "/deal reopen #12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Check(rep, tt.deal, tt.log, tt.word, ruleNow)
			if got := ErrorCode(err); got != tt.code {
				t.Fatalf("Check(%q): error %v, want code %q", tt.word, err, tt.code)
			}
			if err != nil {
				if !strings.Contains(ErrorMessage(err, EN), tt.msg) {
					t.Errorf("error %q lacks %q", ErrorMessage(err, EN), tt.msg)
				}
				if !hasHan(ErrorMessage(err, ZH)) {
					t.Errorf("error has no Chinese: %q", ErrorMessage(err, ZH))
				}
				return
			}
			if ev.Kind != EvCheck || ev.Fields.Criterion != tt.key || ev.Fields.Stage != tt.stage {
				t.Errorf("event %+v, want a check of %s in %s", ev, tt.key, tt.stage)
			}
		})
	}
}

func TestLeftStage(t *testing.T) {
	open, _ := newHistory(Qualification, 5).deal()
	lost, _ := newHistory(Qualification, 5).lost(ReasonPrice, 1).deal()
	tests := []struct {
		name   string
		before Deal
		ev     Event
		want   Stage
	}{
		{"Forward", open, Event{Kind: EvMove, Entry: Presentation}, Qualification},
		{"Skip", open, Event{Kind: EvMove, Entry: Closing}, Qualification},
		{"Back", open, Event{Kind: EvMove, Entry: Contact}, ""},
		{"Won", open, Event{Kind: EvWon, Entry: Won}, ""}, // no pre-close checklist once signed
		{"Lost", open, Event{Kind: EvLost, Entry: Lost}, ""},
		{"ReopenForward", lost, Event{Kind: EvReopen, Entry: Closing}, ""},
		{"Note", open, Event{Kind: EvNote}, ""},
	}
	for _, tt := range tests {
		got, ok := LeftStage(tt.before, tt.ev)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: LeftStage = %q, %v, want %q", tt.name, got, ok, tt.want)
		}
	}
}
