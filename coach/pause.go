package coach

import (
	"strings"
	"time"
)

// MaxPauseDays is how far ahead a deal may be paused.
const MaxPauseDays = 366

// PauseArgs are the arguments of /deal pause after the deal: a date and an
// optional reason, or "off".
type PauseArgs struct {
	Until  time.Time // midnight at the start of the day nudges resume, in now's location
	Off    bool      // lift the pause
	Reason string
}

var pauseOffWords = map[string]bool{
	"off": true, "resume": true, "unpause": true, "stop": true, "none": true,
	"取消": true, "恢复": true, "关闭": true,
}

// ParsePauseArgs reads what follows the deal in /deal pause: "off", or a date
// in any form ParseDate accepts (one or two words: 2026-03-10, 2w, "next
// friday", "2 weeks") followed by an optional reason. Dates are read in now's
// location. It returns an EInvalid error that shows the correct form.
func ParsePauseArgs(s string, number int, now time.Time) (PauseArgs, error) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return PauseArgs{}, Fail(EInvalid, "pause.usage", Args{"n": number})
	}
	if pauseOffWords[strings.ToLower(words[0])] {
		if len(words) > 1 {
			return PauseArgs{}, Fail(EInvalid, "pause.off_extra", Args{"n": number})
		}
		return PauseArgs{Off: true}, nil
	}
	// Two words first ("next friday", "2 weeks"), then one; the error is the
	// one about the first word alone.
	var err error
	for n := min(2, len(words)); n >= 1; n-- {
		var until time.Time
		if until, err = ParseDate(strings.Join(words[:n], " "), now); err == nil {
			return PauseArgs{Until: until, Reason: strings.Join(words[n:], " ")}, nil
		}
	}
	// A day gone by (yesterday, monday, 2026-11-30) reads fine, but a pause
	// must end ahead.
	for n := min(2, len(words)); n >= 1; n-- {
		lower := make([]string, n)
		for i, w := range words[:n] {
			lower[i] = strings.ToLower(w)
		}
		if _, ok := parsePastDay(lower, now); ok {
			return PauseArgs{}, Fail(EInvalid, "pause.past", Args{"n": number})
		}
	}
	return PauseArgs{}, err
}

// Pause decides muting nudges and staleness for d until the start of the day
// until (a date after today, at most MaxPauseDays ahead), with an optional
// reason, or lifting the pause when args.Off.
func Pause(c Caller, d Deal, args PauseArgs, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	ev := Event{DealID: d.ID, Kind: EvPause, ActorID: c.UserID, At: now}
	if args.Off {
		if !d.Paused(now) {
			return Event{}, Fail(EConflict, "pause.not_paused", dealArgs(d))
		}
		ev.Fields.Unpause = true
		return ev, nil
	}
	if d.Status != StatusOpen {
		return Event{}, Fail(EConflict, "pause.closed", dealArgs(d))
	}
	if !args.Until.After(now) {
		return Event{}, Fail(EInvalid, "pause.past", Args{"n": d.Number})
	}
	if args.Until.Sub(now) > MaxPauseDays*24*time.Hour {
		return Event{}, Fail(EInvalid, "pause.too_long", Args{"n": d.Number})
	}
	reason := ""
	if strings.TrimSpace(args.Reason) != "" {
		r, err := CheckNote(args.Reason)
		if err != nil {
			return Event{}, err
		}
		reason = r
	}
	until := args.Until.UTC()
	ev.Fields.Until = &until
	ev.Text = reason
	return ev, nil
}
