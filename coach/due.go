package coach

import (
	"fmt"
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
	return Fail(EInvalid,
		fmt.Sprintf("When do you expect #%d to close? E.g. /deal due #%d 2026-12-20, /deal due #%d 3w or /deal due #%d off.", number, number, number, number),
		fmt.Sprintf("预计 #%d 什么时候成交？例如 /deal due #%d 2026-12-20、/deal due #%d 3w，或 /deal due #%d off 清除。", number, number, number, number))
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
			return DueArgs{}, Fail(EInvalid,
				fmt.Sprintf("/deal due #%d off takes nothing after off.", number),
				fmt.Sprintf("/deal due #%d off 后面不需要再写内容。", number))
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
			return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s has no close date — nothing changed.", d.Number, d.Name),
				fmt.Sprintf("#%d %s 没有预计成交日期，没有任何改动。", d.Number, d.Name))
		}
		ev.Fields = Fields{NoCloseDate: true, Prev: &Fields{CloseDate: prev}}
		return ev, nil
	}
	if d.Status != StatusOpen {
		word, wordZH := "won", "赢单"
		if d.Status == StatusLost {
			word, wordZH = "lost", "丢单"
		}
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is already %s, so it needs no close date. Reopen it first with /deal reopen #%d.", d.Number, d.Name, word, d.Number),
			fmt.Sprintf("#%d %s 已经%s，不需要预计成交日期。请先用 /deal reopen #%d 重新打开。", d.Number, d.Name, wordZH, d.Number))
	}
	day := DayOf(args.Date)
	if created := DayOf(d.CreatedAt.In(now.Location())); day.Before(created) {
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("%s is before #%d was created (%s). Pick a later date, e.g. /deal due #%d 3w.", day.Format(DayLayout), d.Number, created.Format(DayLayout), d.Number),
			fmt.Sprintf("%s 早于 #%d 的创建日期（%s）。请选择更晚的日期，例如 /deal due #%d 3w。", day.Format(DayLayout), d.Number, created.Format(DayLayout), d.Number))
	}
	if DaysBetween(DayOf(now), day) > MaxDueDays {
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("%s is more than three years ahead; pick a date within three years, or close the deal with /deal lost #%d timing.", day.Format(DayLayout), d.Number),
			fmt.Sprintf("%s 超过三年之后了；请选择三年以内的日期，或用 /deal lost #%d timing 关掉这笔商机。", day.Format(DayLayout), d.Number))
	}
	if day.Equal(d.CloseDate) {
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is already expected to close on %s — nothing changed.", d.Number, d.Name, prev),
			fmt.Sprintf("#%d %s 的预计成交日期已经是 %s，没有任何改动。", d.Number, d.Name, prev))
	}
	ev.Fields = Fields{CloseDate: day.Format(DayLayout)}
	if prev != "" {
		ev.Fields.Prev = &Fields{CloseDate: prev}
	}
	return ev, nil
}
