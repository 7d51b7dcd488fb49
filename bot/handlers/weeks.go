package handlers

import (
	"slices"
	"strconv"
	"strings"

	"salescoach/coach"
)

// maxWeeks bounds the weeks a command looks back over: two years.
const maxWeeks = 104

// weekUnits are the words that say "weeks", longest first so a suffix is cut
// whole.
var weekUnits = []string{"weeks", "week", "wks", "wk", "w", "星期", "周"}

// weeksAt reads a number of weeks starting at words[i], in any of the forms
// "weeks 8", "8 weeks", "8w", "8周" or a bare "8", and returns the number and
// how many words it took; used is 0 when words[i] starts none. ok is false
// when the number is not 1 to maxWeeks.
func weeksAt(words []string, i int) (n, used int, ok bool) {
	num := func(s string) (int, bool) {
		v, err := strconv.Atoi(s)
		return v, err == nil
	}
	w := strings.ToLower(words[i])
	if i+1 < len(words) {
		next := strings.ToLower(words[i+1])
		if v, isNum := num(next); slices.Contains(weekUnits, w) && isNum {
			return v, 2, v >= 1 && v <= maxWeeks
		}
		if v, isNum := num(w); isNum && slices.Contains(weekUnits, next) {
			return v, 2, v >= 1 && v <= maxWeeks
		}
	}
	for _, u := range weekUnits {
		if c, cut := strings.CutSuffix(w, u); cut {
			w = c
			break
		}
	}
	if v, isNum := num(w); isNum {
		return v, 1, v >= 1 && v <= maxWeeks
	}
	return 0, 0, false
}

// parseWeeks reads the "[weeks N]" of /coach flow and /coach trend, returning
// def when args is empty.
func parseWeeks(args string, def int) (int, error) {
	words := strings.Fields(args)
	if len(words) == 0 {
		return def, nil
	}
	n, used, ok := weeksAt(words, 0)
	if !ok || used != len(words) {
		return 0, coach.Fail(coach.EInvalid, "weeks.bad", coach.Args{"typed": coach.Both(strconv.Quote(args), args), "max": maxWeeks})
	}
	return n, nil
}
