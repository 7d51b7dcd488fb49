package coach

import (
	"fmt"
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
		return PauseArgs{}, Fail(EInvalid,
			fmt.Sprintf("Pause #%d until when? E.g. /deal pause #%d 2w waiting for their budget, or /deal pause #%d off.", number, number, number),
			fmt.Sprintf("要把 #%d 暂停到什么时候？例如 /deal pause #%d 2w 等客户预算，或 /deal pause #%d off 取消暂停。", number, number, number))
	}
	if pauseOffWords[strings.ToLower(words[0])] {
		if len(words) > 1 {
			return PauseArgs{}, Fail(EInvalid,
				fmt.Sprintf("/deal pause #%d off takes nothing after off.", number),
				fmt.Sprintf("/deal pause #%d off 后面不需要再写内容。", number))
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
			return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is not paused — nothing changed.", d.Number, d.Name),
				fmt.Sprintf("#%d %s 没有处于暂停状态，没有任何改动。", d.Number, d.Name))
		}
		ev.Fields.Unpause = true
		return ev, nil
	}
	if d.Status != StatusOpen {
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is closed, so there is nothing to pause.", d.Number, d.Name),
			fmt.Sprintf("#%d %s 已经结束，无需暂停。", d.Number, d.Name))
	}
	if !args.Until.After(now) {
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("Pick a date after today, e.g. /deal pause #%d 2w or /deal pause #%d friday.", d.Number, d.Number),
			fmt.Sprintf("请选择今天之后的日期，例如 /deal pause #%d 2w 或 /deal pause #%d 周五。", d.Number, d.Number))
	}
	if args.Until.Sub(now) > MaxPauseDays*24*time.Hour {
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("Pause for at most a year; if the deal is that far off, close it with /deal lost #%d timing.", d.Number),
			fmt.Sprintf("最多暂停一年；如果这笔商机要等那么久，请用 /deal lost #%d timing 关掉它。", d.Number))
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
