package coach

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestScheduleAcrossDaylightSaving(t *testing.T) {
	ny := Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}
	berlin := Schedule{Weekday: time.Sunday, Hour: 2, Minute: 30, Zone: "Europe/Berlin"}
	tests := []struct {
		name     string
		s        Schedule
		now      string
		wantLast string
		wantNext string
	}{
		// New York leaves daylight saving on Sunday 2026-11-01.
		{"SummerSlotIs13UTC", ny, "2026-10-26T13:00:00Z", "2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z"},
		{"JustBeforeSummerSlot", ny, "2026-10-26T12:59:59Z", "2026-10-19T13:00:00Z", "2026-10-26T13:00:00Z"},
		{"WinterSlotIs14UTC", ny, "2026-11-02T14:00:00Z", "2026-11-02T14:00:00Z", "2026-11-09T14:00:00Z"},
		{"AnHourEarlyIsStillLastWeek", ny, "2026-11-02T13:30:00Z", "2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z"},
		// And enters it again on 2026-03-08.
		{"SpringForward", ny, "2026-03-06T12:00:00Z", "2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z"},
		// 02:30 does not exist in Berlin on 2026-03-29: the slot still falls that Sunday.
		{"SlotInTheSpringGap", berlin, "2026-03-30T00:00:00Z", "2026-03-29T01:30:00Z", "2026-04-05T00:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := utc(tt.now)
			if got := tt.s.Last(now); !got.Equal(utc(tt.wantLast)) {
				t.Errorf("Last(%s) = %s, want %s", tt.now, got.UTC().Format(time.RFC3339), tt.wantLast)
			}
			if got := tt.s.Next(now); !got.Equal(utc(tt.wantNext)) {
				t.Errorf("Next(%s) = %s, want %s", tt.now, got.UTC().Format(time.RFC3339), tt.wantNext)
			}
		})
	}
}

func TestScheduleWeek(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		slot string
		want string
	}{
		{"Monday", Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, "2026-11-02T14:00:00Z", "2026-11-02"},
		{"SundayBelongsToTheWeekBefore", Schedule{Weekday: time.Sunday, Hour: 18, Zone: "UTC"}, "2026-11-08T18:00:00Z", "2026-11-02"},
		// Monday 07:00 in Shanghai is Sunday 23:00 UTC: the local calendar decides.
		{"LocalCalendar", Schedule{Weekday: time.Monday, Hour: 7, Zone: "Asia/Shanghai"}, "2026-11-01T23:00:00Z", "2026-11-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Week(utc(tt.slot)).Format("2006-01-02"); got != tt.want {
				t.Errorf("Week = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseSchedule(t *testing.T) {
	def := Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/Chicago"}
	tests := []struct {
		name     string
		args     string
		want     Schedule
		wantZone bool
		wantErr  bool
	}{
		{"Defaults", "", def, false, false},
		{"Everything", "friday 16:30 Europe/Berlin", Schedule{time.Friday, 16, 30, "Europe/Berlin"}, true, false},
		{"AnyOrder", "Asia/Shanghai 8:05 周三", Schedule{time.Wednesday, 8, 5, "Asia/Shanghai"}, true, false},
		{"TimeOnly", "07:45", Schedule{time.Monday, 7, 45, "America/Chicago"}, false, false},
		{"AmPm", "tue 5pm", Schedule{time.Tuesday, 17, 0, "America/Chicago"}, false, false},
		{"LowerCaseZone", "america/new_york", Schedule{time.Monday, 9, 0, "America/New_York"}, true, false},
		{"UTC", "utc", Schedule{time.Monday, 9, 0, "UTC"}, true, false},
		{"BadWeekday", "funday", def, false, true},
		{"BadHour", "25:00", def, false, true},
		{"BadMinute", "09:60", def, false, true},
		{"NoMinutes", "9", def, false, true},
		{"BadZone", "Europe/Berln", def, false, true},
		{"TwoDays", "monday friday", def, false, true},
		{"TwoTimes", "09:00 10:00", def, false, true},
		{"LocalIsNotAZone", "Local/Nowhere", def, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, zone, err := ParseSchedule(tt.args, def)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if ErrorCode(err) != EInvalid {
					t.Errorf("code = %s, want %s", ErrorCode(err), EInvalid)
				}
				if e := err.(*Error); e.ZH() == "" || e.ZH() == e.EN() {
					t.Errorf("no Chinese message: %+v", e)
				}
				return
			}
			if got != tt.want || zone != tt.wantZone {
				t.Errorf("got %+v (zone given %v), want %+v (%v)", got, zone, tt.want, tt.wantZone)
			}
		})
	}
}

func TestDigestSubDue(t *testing.T) {
	s := Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}
	week := utc("2026-11-02T00:00:00Z")
	slot := utc("2026-11-02T09:00:00Z")
	now := utc("2026-11-02T09:05:00Z")
	tests := []struct {
		name string
		sub  DigestSub
		want bool
	}{
		{"NewWeek", DigestSub{Active: true, Schedule: s, Since: slot.Add(-time.Hour)}, true},
		{"SubscribedAfterTheSlot", DigestSub{Active: true, Schedule: s, Since: slot.Add(time.Minute)}, false},
		{"Inactive", DigestSub{Active: false, Schedule: s, Since: slot.Add(-time.Hour)}, false},
		{"Posted", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week, State: RunPosted, TS: "1"}}, false},
		{"ClaimHeld", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week, State: RunClaimed, LeaseUntil: now.Add(time.Minute)}}, false},
		{"ClaimExpired", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week, State: RunClaimed, LeaseUntil: now}}, true},
		{"RetryLater", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week, State: RunAmbiguous, RetryAt: now.Add(time.Second)}}, false},
		{"RetryNow", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week, State: RunFailed, RetryAt: now}}, true},
		{"GaveUp", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week, State: RunAmbiguous}}, false},
		{"LastWeekPosted", DigestSub{Active: true, Schedule: s, Last: DigestRun{Week: week.AddDate(0, 0, -7), State: RunPosted, TS: "1"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotSlot, gotWeek, ok := tt.sub.Due(now)
			if ok != tt.want {
				t.Errorf("due = %v, want %v", ok, tt.want)
			}
			if !gotSlot.Equal(slot) || !gotWeek.Equal(week) {
				t.Errorf("slot %s week %s, want %s %s", gotSlot, gotWeek, slot, week)
			}
		})
	}
}
