package coach

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is when a weekly digest is due: a weekday and a time of day in an
// IANA time zone. The instant follows the zone's daylight-saving rules, so a
// Monday 09:00 America/New_York digest is 13:00 UTC in summer and 14:00 UTC in
// winter.
type Schedule struct {
	Weekday time.Weekday
	Hour    int
	Minute  int
	Zone    string // IANA name, e.g. "Europe/Berlin"
}

// DefaultSchedule is Monday 09:00 in loc.
func DefaultSchedule(loc *time.Location) Schedule {
	return Schedule{Weekday: time.Monday, Hour: 9, Minute: 0, Zone: loc.String()}
}

// Location returns the schedule's zone, or UTC when its name is unknown.
func (s Schedule) Location() *time.Location {
	loc, err := time.LoadLocation(s.Zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// slot returns the slot on the local date y-m-d (normalised by time.Date).
func (s Schedule) slot(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, s.Hour, s.Minute, 0, 0, loc)
}

// Last returns the latest slot at or before now. Days are counted on the
// local calendar and the time of day is set with time.Date in the zone, so the
// slot keeps its local time across daylight-saving changes.
func (s Schedule) Last(now time.Time) time.Time {
	loc := s.Location()
	local := now.In(loc)
	back := (int(local.Weekday()) - int(s.Weekday) + 7) % 7
	y, m, d := local.Date()
	t := s.slot(y, m, d-back, loc)
	if t.After(now) {
		t = s.slot(y, m, d-back-7, loc)
	}
	return t
}

// Next returns the earliest slot after now.
func (s Schedule) Next(now time.Time) time.Time {
	loc := s.Location()
	last := s.Last(now).In(loc)
	y, m, d := last.Date()
	return s.slot(y, m, d+7, loc)
}

// Week returns the week a slot belongs to: the date of the Monday of its
// week on the local calendar (as midnight UTC, a plain date). It is the key
// that lets a digest be posted once per week even when its schedule changes
// within the week.
func (s Schedule) Week(slot time.Time) time.Time {
	local := slot.In(s.Location())
	back := (int(local.Weekday()) + 6) % 7
	y, m, d := local.Date()
	return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
}

// Clock returns the time of day, e.g. "09:00".
func (s Schedule) Clock() string { return fmt.Sprintf("%02d:%02d", s.Hour, s.Minute) }

// WeekdayName returns the schedule's weekday in lang, e.g. "Monday" or "周一".
func (s Schedule) WeekdayName(lang Lang) string {
	if lang == ZH {
		return "周" + [...]string{"日", "一", "二", "三", "四", "五", "六"}[s.Weekday]
	}
	return s.Weekday.String()
}

// ParseSchedule reads the arguments of /coach digest here: an optional
// weekday (monday, mon, 周一), time of day (09:00, 9:30, 17:00) and IANA zone
// (Europe/Berlin, UTC), in any order. What is not given comes from def. It
// returns an EInvalid error naming the accepted forms for anything else, and
// whether a zone was given.
func ParseSchedule(args string, def Schedule) (Schedule, bool, error) {
	s := def
	var gotDay, gotTime, gotZone bool
	for _, w := range strings.Fields(args) {
		lw := strings.ToLower(w)
		switch {
		case strings.Contains(w, "/") || strings.EqualFold(w, "UTC") || strings.EqualFold(w, "GMT"):
			if gotZone {
				return def, false, Fail(EInvalid, "digest.twice.zone", nil)
			}
			zone, err := parseZone(w)
			if err != nil {
				return def, false, err
			}
			s.Zone, gotZone = zone, true
		case strings.ContainsAny(w, "0123456789"):
			if gotTime {
				return def, false, Fail(EInvalid, "digest.twice.time", nil)
			}
			h, m, err := parseClock(lw)
			if err != nil {
				return def, false, err
			}
			s.Hour, s.Minute, gotTime = h, m, true
		default:
			wd, ok := parseWeekday(lw)
			if !ok {
				return def, false, Fail(EInvalid, "digest.unknown_word", Args{"typed": Quoted(w)})
			}
			if gotDay {
				return def, false, Fail(EInvalid, "digest.twice.weekday", nil)
			}
			s.Weekday, gotDay = wd, true
		}
	}
	return s, gotZone, nil
}

// parseZone accepts an IANA zone name; case is forgiven (europe/berlin).
func parseZone(w string) (string, error) {
	if strings.EqualFold(w, "UTC") || strings.EqualFold(w, "GMT") {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(w); err == nil && w != "Local" {
		return w, nil
	}
	// Zone names are Title_Case by part: try that spelling.
	parts := strings.Split(w, "/")
	for i, p := range parts {
		words := strings.Split(strings.ToLower(p), "_")
		for j, x := range words {
			if x != "" {
				words[j] = strings.ToUpper(x[:1]) + x[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	if fixed := strings.Join(parts, "/"); fixed != w {
		if _, err := time.LoadLocation(fixed); err == nil {
			return fixed, nil
		}
	}
	return "", Fail(EInvalid, "digest.unknown_zone", Args{"typed": Quoted(w)})
}

// parseClock accepts 24-hour HH:MM (9:00, 09:00, 17:30) and 9am, 5:30pm.
func parseClock(w string) (int, int, error) {
	bad := Fail(EInvalid, "digest.bad_time", Args{"typed": Quoted(w)})
	t, pm := w, false
	ampm := false
	if x, ok := strings.CutSuffix(t, "am"); ok {
		t, ampm = x, true
	} else if x, ok := strings.CutSuffix(t, "pm"); ok {
		t, ampm, pm = x, true, true
	}
	hs, ms, hasMin := strings.Cut(t, ":")
	if !hasMin && !ampm {
		return 0, 0, bad
	}
	h, err := strconv.Atoi(hs)
	if err != nil || len(hs) > 2 || hs == "" {
		return 0, 0, bad
	}
	m := 0
	if hasMin {
		m, err = strconv.Atoi(ms)
		if err != nil || len(ms) != 2 {
			return 0, 0, bad
		}
	}
	if ampm {
		if h < 1 || h > 12 {
			return 0, 0, bad
		}
		h %= 12
		if pm {
			h += 12
		}
	}
	if h > 23 || m > 59 {
		return 0, 0, bad
	}
	return h, m, nil
}

// ChannelState is what Slack last said of a digest's channel.
type ChannelState string

// Channel states. A digest is posted only in a channel the bot is a member
// of, and never in one shared with another organisation (Slack Connect).
const (
	ChannelUnchecked ChannelState = "unchecked"
	ChannelOK        ChannelState = "ok"
	ChannelNotMember ChannelState = "not_member"
	ChannelExternal  ChannelState = "external"
	ChannelNotFound  ChannelState = "not_found"
)

// Postable reports whether a digest may be posted in a channel in state c as
// far as we know.
func (c ChannelState) Postable() bool { return c == ChannelOK || c == ChannelUnchecked }

// DigestSub is a channel's subscription to the weekly digest.
type DigestSub struct {
	ID        int64
	TeamID    string
	ChannelID string
	Schedule  Schedule
	Names     bool // deal names in the needs-attention list; counts per rep otherwise
	Lang      Lang // the subscriber's language when subscribing
	Active    bool
	CreatedBy string
	Since     time.Time // slots before it are not posted: a new schedule starts at its next slot
	Channel   ChannelState
	CheckedAt time.Time
	Last      DigestRun // the subscription's latest week, zero when none
}

// Digest run states. Claimed is held by a process until its lease runs out;
// posted, and failed or ambiguous without a retry time, are final.
const (
	RunClaimed   = "claimed"
	RunPosted    = "posted"
	RunFailed    = "failed"
	RunAmbiguous = "ambiguous" // a post may have reached Slack and we could not tell
)

// DigestRun is one week of a subscription: its claim and outcome.
type DigestRun struct {
	Week       time.Time // Schedule.Week of the slot; zero when there is no run
	Due        time.Time
	State      string
	Attempts   int
	LeaseUntil time.Time
	RetryAt    time.Time // zero: final (unless claimed)
	TS         string
	Error      string
	FinishedAt time.Time
}

// Final reports whether nothing more will be done for the run.
func (r DigestRun) Final() bool {
	return r.State == RunPosted || (r.State == RunFailed || r.State == RunAmbiguous) && r.RetryAt.IsZero()
}

// Due returns the slot the subscription's scheduler should work on at now,
// its week, and whether there is work: a slot at or before now that has no
// run yet (and came after Since), or whose run is unfinished and due to be
// looked at again (an expired lease, a retry time passed). An inactive
// subscription has no work.
func (s DigestSub) Due(now time.Time) (slot, week time.Time, ok bool) {
	slot = s.Schedule.Last(now)
	week = s.Schedule.Week(slot)
	if !s.Active {
		return slot, week, false
	}
	if s.Last.Week.Equal(week) {
		r := s.Last
		switch {
		case r.Final():
			return slot, week, false
		case r.State == RunClaimed:
			return slot, week, !now.Before(r.LeaseUntil)
		default:
			return slot, week, !now.Before(r.RetryAt)
		}
	}
	return slot, week, !slot.Before(s.Since)
}

// DigestClaim is a process's hold on one subscription-week.
type DigestClaim struct {
	SubID      int64
	Week       time.Time
	Due        time.Time
	By         string    // the process
	At         time.Time // when claimed
	LeaseUntil time.Time
	Attempt    int       // 1 for the first; more when taken over
	FirstAt    time.Time // when the week was first claimed
}

// DigestOutcome is how a claim ended.
type DigestOutcome struct {
	State   string // RunPosted, RunFailed or RunAmbiguous
	TS      string // posted: the message
	Error   string
	RetryAt time.Time // zero: final
	At      time.Time
}

// ErrNoDigest is returned when a channel has no active digest subscription.
var ErrNoDigest = Fail(ENotFound, "digest.none", nil)
