package coach

import (
	"strconv"
	"strings"
	"time"
)

// fullWeekdays are the weekday names a back-dated change may end with. The
// three-letter forms are left out: "sat", "wed" and "sun" end ordinary notes.
var fullWeekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// whenLeads may stand before a trailing time: "qual on monday", "won at 2026-12-01 14:30".
var whenLeads = map[string]bool{"on": true, "at": true, "于": true, "在": true}

// notPast before a time make it a plan in the text, not the time of the change.
var notPast = map[string]bool{"in": true, "next": true, "this": true, "every": true, "by": true,
	"until": true, "till": true, "before": true, "after": true, "from": true, "since": true}

// SplitTrailingTime takes an optional time off the end of the text of a
// change (move, next, won, lost, reopen, note), for a change logged late. It
// reads, in now's location: yesterday, 昨天, 前天; a weekday (monday, last
// monday, 周一, 星期一, 礼拜一), the most recent such day before today; 3d or
// 2w ago (3d, 3d ago, 3 days ago, 3天前); a date (2026-12-01); and any of the
// days followed by a time of day (2026-12-01 14:30, yesterday 9:00). A day
// given without a time of day is taken at now's time of day. An optional
// "on" or "at" before it is taken too. It returns the text before the time,
// the time and true; or text unchanged, now and false when the text does not
// end with a time. It returns an EInvalid error for a time in the future.
func SplitTrailingTime(text string, now time.Time) (rest string, at time.Time, given bool, err error) {
	spans := wordSpans(text)
	words := make([]string, len(spans))
	for i, sp := range spans {
		words[i] = strings.ToLower(text[sp.start:sp.end])
	}
	for k := min(3, len(words)); k >= 1; k-- {
		t, ok := parsePastTime(words[len(words)-k:], now)
		if !ok {
			continue
		}
		cut := len(words) - k
		if cut > 0 && notPast[words[cut-1]] {
			// "call back in 3d", "next monday": a plan, not when it happened
			return text, now, false, nil
		}
		if cut > 0 && whenLeads[words[cut-1]] {
			cut--
		}
		rest = ""
		if cut > 0 {
			rest = strings.TrimSpace(text[:spans[cut-1].end])
		}
		if t.After(now) {
			typed := strings.TrimSpace(text[spans[len(words)-k].start:])
			return text, now, false, Fail(EInvalid, "when.future", Args{"typed": Quoted(typed)})
		}
		return rest, t, true, nil
	}
	return text, now, false, nil
}

// parsePastTime reads words (lower case) as a whole as one of the forms of
// SplitTrailingTime.
func parsePastTime(words []string, now time.Time) (time.Time, bool) {
	loc := now.Location()
	onDay := func(d time.Time, hour, minute int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, loc)
	}
	keepClock := func(d time.Time) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), loc)
	}
	// A day, then an optional time of day.
	if len(words) >= 2 {
		if hh, mm, err := parseClock(strings.ReplaceAll(words[len(words)-1], "：", ":")); err == nil {
			if d, ok := parsePastDay(words[:len(words)-1], now); ok {
				return onDay(d, hh, mm), true
			}
			return time.Time{}, false
		}
	}
	if d, ok := parsePastDay(words, now); ok {
		return keepClock(d), true
	}
	// Days or weeks ago.
	if n, ok := parseAgo(words); ok {
		return now.AddDate(0, 0, -n), true
	}
	return time.Time{}, false
}

// parsePastDay reads a day before today (or today, for a date): yesterday, a
// weekday, or a date. The result's clock is meaningless.
func parsePastDay(words []string, now time.Time) (time.Time, bool) {
	y, m, d := now.Date()
	day := func(n int) time.Time { return time.Date(y, m, d+n, 0, 0, 0, 0, now.Location()) }
	switch len(words) {
	case 1:
		w := words[0]
		switch w {
		case "yesterday", "昨天", "昨日":
			return day(-1), true
		case "前天":
			return day(-2), true
		}
		if wd, ok := fullWeekdays[w]; ok {
			return day(-pastWeekdayGap(now, wd)), true
		}
		if wd, ok := chineseWeekday(w); ok {
			return day(-pastWeekdayGap(now, wd)), true
		}
		for _, layout := range []string{"2006-1-2", "2006/1/2"} {
			if t, err := time.ParseInLocation(layout, w, now.Location()); err == nil {
				return t, true
			}
		}
	case 2:
		if words[0] == "last" {
			if wd, ok := fullWeekdays[words[1]]; ok {
				return day(-pastWeekdayGap(now, wd)), true
			}
		}
	}
	return time.Time{}, false
}

// pastWeekdayGap returns how many days back the most recent wd before today is (1…7).
func pastWeekdayGap(now time.Time, wd time.Weekday) int {
	return (int(now.Weekday())-int(wd)+6)%7 + 1
}

func chineseWeekday(w string) (time.Weekday, bool) {
	for _, p := range []string{"上周", "上星期", "上礼拜", "星期", "礼拜", "周"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			wd, ok := chineseWeekdays[rest]
			return wd, ok
		}
	}
	return 0, false
}

// parseAgo reads 3d, 2w, 3d ago, 3 days ago, 3天前, 2周前 as a number of days.
func parseAgo(words []string) (int, bool) {
	t := strings.Join(words, " ")
	t = strings.TrimSuffix(strings.TrimSuffix(t, " ago"), "前")
	i := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 {
		return 0, false
	}
	unit, ok := dateUnits[strings.TrimSpace(t[i:])]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(t[:i])
	if err != nil || n > maxDateDays/unit {
		return 0, false
	}
	return n * unit, true
}

// FormatWhen returns t as a user reads it in loc: 2026-12-01 14:30.
func FormatWhen(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// ParseMoveStage reads the stage of /deal move, what is left once
// SplitTrailingTime has taken a time it can read. When that is a stage and
// then words meant as a time it cannot read ("qualification 12/03/2026"),
// the error is about the time rather than an unknown stage.
func ParseMoveStage(rest string) (Stage, error) {
	st, err := ParseStage(rest)
	if err == nil {
		return st, nil
	}
	words := strings.Fields(rest)
	for k := len(words) - 1; k >= 1; k-- {
		if _, serr := ParseStage(strings.Join(words[:k], " ")); serr == nil {
			typed := strings.Join(words[k:], " ")
			if !looksLikeTime(typed) {
				break // "objections handling": a stage mistyped, not a time
			}
			return "", Fail(EInvalid, "when.unreadable", Args{"typed": Both(strconv.Quote(typed), typed)})
		}
	}
	return "", err
}

// dayWords are words that say when without being a time a change can be
// dated to.
var dayWords = map[string]bool{"today": true, "tonight": true, "tomorrow": true, "now": true, "asap": true,
	"今天": true, "明天": true, "后天": true, "现在": true}

// looksLikeTime reports whether s was meant as a time: it has a digit, or is
// one of dayWords.
func looksLikeTime(s string) bool {
	return strings.ContainsAny(s, "0123456789") || dayWords[strings.ToLower(s)]
}
