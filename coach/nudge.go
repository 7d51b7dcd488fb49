package coach

import "time"

// The morning window of the stale-deal nudge, in the rep's time zone: from
// 09:00, and not after noon (a bot that was down all morning waits for the
// next working day rather than nudging in the afternoon).
const (
	NudgeHour      = 9
	NudgeUntilHour = 12
)

// NudgeRep is a rep who owns open deals that may need a nudge, with the local
// date (YYYY-MM-DD) of the last nudge claimed for them, "" if none.
type NudgeRep struct {
	Member
	LastNudge string
}

// NudgeDay returns the rep's local date (YYYY-MM-DD) when a nudge is due at
// now in loc, given the local date of their last one: on a working day
// (Monday to Friday in loc), from 09:00 to noon, once per date. ok is false
// when no nudge is due.
func NudgeDay(now time.Time, loc *time.Location, last string) (day string, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return "", false
	}
	if h := local.Hour(); h < NudgeHour || h >= NudgeUntilHour {
		return "", false
	}
	day = local.Format(time.DateOnly)
	return day, day != last
}
