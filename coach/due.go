package coach

import (
	"strings"
	"time"
)

// MaxDueDays is how far ahead an expected close date may lie: three years.
const MaxDueDays = 3 * 366

// DueArgs are the arguments of /deal due after the deal: a date, or "off".
type DueArgs struct {
	Date time.Time // the day, midnight UTC
	Off  bool      // clear the close date
}

var dueOffWords = map[string]bool{
	"off": true, "none": true, "clear": true, "remove": true, "取消": true, "清除": true, "无": true,
}

func dueUsage(number int) *Error {
	return Fail(EInvalid, "due.usage", Args{"n": number})
}

// ParseDueArgs reads what follows the deal in /deal due: "off", or one date
// in any form ParseDate accepts (2026-12-20, 3w, friday, "next friday"),
// read in now's location (the caller's). Anything else is an EInvalid error
// showing the accepted form.
func ParseDueArgs(s string, number int, now time.Time) (DueArgs, error) {
	words := strings.Fields(s)
	switch {
	case len(words) == 0:
		return DueArgs{}, dueUsage(number)
	case dueOffWords[strings.ToLower(words[0])]:
		if len(words) > 1 {
			return DueArgs{}, Fail(EInvalid, "due.off_extra", Args{"n": number})
		}
		return DueArgs{Off: true}, nil
	case len(words) > 2:
		return DueArgs{}, dueUsage(number)
	}
	day, err := ParseDate(strings.Join(words, " "), now)
	if err != nil && len(words) == 2 {
		if _, err1 := ParseDate(words[0], now); err1 == nil {
			return DueArgs{}, dueUsage(number) // a date and something more
		}
	}
	if err != nil {
		return DueArgs{}, err
	}
	return DueArgs{Date: DayOf(day)}, nil
}

// Due decides setting or clearing d's expected close date. now is the time of
// the change in the caller's location (its day is "today" for the caller). A
// date before the deal was created, more than MaxDueDays ahead, or on a closed
// deal changes nothing. A date later than the last one set is a slip.
func Due(c Caller, d Deal, args DueArgs, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	ev := Event{DealID: d.ID, Kind: EvDue, ActorID: c.UserID, At: now.UTC()}
	prev := ""
	if !d.CloseDate.IsZero() {
		prev = d.CloseDate.Format(DayLayout)
	}
	if args.Off {
		if d.CloseDate.IsZero() {
			return Event{}, Fail(EConflict, "due.none", dealArgs(d))
		}
		ev.Fields = Fields{NoCloseDate: true, Prev: &Fields{CloseDate: prev}}
		return ev, nil
	}
	if d.Status != StatusOpen {
		if d.Status == StatusLost {
			return Event{}, Fail(EConflict, "due.lost", dealArgs(d))
		}
		return Event{}, Fail(EConflict, "due.won", dealArgs(d))
	}
	day := DayOf(args.Date)
	if created := DayOf(d.CreatedAt.In(now.Location())); day.Before(created) {
		return Event{}, Fail(EInvalid, "due.before_created", Args{"date": day.Format(DayLayout), "n": d.Number, "created": created.Format(DayLayout)})
	}
	if DaysBetween(DayOf(now), day) > MaxDueDays {
		return Event{}, Fail(EInvalid, "due.too_far", Args{"date": day.Format(DayLayout), "n": d.Number})
	}
	if day.Equal(d.CloseDate) {
		return Event{}, Fail(EConflict, "due.same", dealArgs(d, "date", prev))
	}
	ev.Fields = Fields{CloseDate: day.Format(DayLayout)}
	if prev != "" {
		ev.Fields.Prev = &Fields{CloseDate: prev}
	}
	return ev, nil
}
