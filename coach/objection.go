package coach

import (
	"strings"
	"time"
	"unicode"
)

// objectionWords are the words a rep may type for an objection type, in
// English or Chinese.
var objectionWords = map[string]Objection{
	"price": ObjPrice, "pricing": ObjPrice, "cost": ObjPrice, "expensive": ObjPrice, "价格": ObjPrice, "价钱": ObjPrice, "太贵": ObjPrice,
	"timing": ObjTiming, "time": ObjTiming, "later": ObjTiming, "时机": ObjTiming, "时间": ObjTiming,
	"authority": ObjAuthority, "decision-maker": ObjAuthority, "boss": ObjAuthority, "决策权": ObjAuthority, "决策人": ObjAuthority,
	"need": ObjNeed, "value": ObjNeed, "需求": ObjNeed, "价值": ObjNeed,
	"trust": ObjTrust, "risk": ObjTrust, "信任": ObjTrust, "风险": ObjTrust,
	"indecision": ObjIndecision, "no-decision": ObjIndecision, "undecided": ObjIndecision, "犹豫": ObjIndecision, "犹豫不决": ObjIndecision, "迟迟不决": ObjIndecision,
	"competitor": ObjCompetitor, "competition": ObjCompetitor, "rival": ObjCompetitor, "竞争对手": ObjCompetitor, "竞品": ObjCompetitor, "对手": ObjCompetitor,
}

// objectionTags start the tag that records an objection type in a note:
// "objection:price", "异议：价格".
var objectionTags = []string{"objection:", "objection：", "异议:", "异议："}

// ParseObjection returns the objection type a word names (a type, or an
// alias such as cost, risk, 价格, 竞品), or an EInvalid error listing the
// types, with an example for deal number.
func ParseObjection(word string, number int) (Objection, error) {
	w := strings.ToLower(strings.Trim(strings.TrimSpace(word), ".,;，。；"))
	if o, ok := objectionWords[w]; ok {
		return o, nil
	}
	list := objectionList()
	if w == "" {
		return "", Fail(EInvalid, "objection.which", Args{"types": list, "n": number})
	}
	return "", Fail(EInvalid, "objection.unknown", Args{"typed": Quoted(word), "types": list, "n": number})
}

// NoteObjection returns the objection type a note records with a tag such
// as "objection:price" or "异议：价格" anywhere in it; ok is false when the
// note has no tag. An unknown type is an EInvalid error (see ParseObjection),
// so a typo is caught before the note is stored.
func NoteObjection(text string, number int) (o Objection, ok bool, err error) {
	lower := strings.ToLower(text)
	for _, tag := range objectionTags {
		i := strings.Index(lower, tag)
		if i < 0 {
			continue
		}
		if i > 0 && !unicode.IsSpace(rune(lower[i-1])) && tag[0] == 'o' {
			continue // part of a longer word
		}
		rest := strings.TrimLeft(lower[i+len(tag):], " ")
		word := rest
		if j := strings.IndexFunc(rest, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",;，。；、", r)
		}); j >= 0 {
			word = rest[:j]
		}
		o, err := ParseObjection(word, number)
		if err != nil {
			return "", false, err
		}
		return o, true, nil
	}
	return "", false, nil
}

// RecordedObjection returns the objection type recorded last in a deal's
// notes at or after since; ok is false when none was.
func RecordedObjection(log []Event, since time.Time) (o Objection, ok bool) {
	for _, e := range Live(log) {
		if e.Kind != EvNote || e.At.Before(since) {
			continue
		}
		if t, found, err := NoteObjection(e.Text, 0); err == nil && found {
			o, ok = t, true
		}
	}
	return o, ok
}

// CheckObjection decides `/deal check <deal> objection <type> [what they
// said]` (also 异议 价格): rest is what follows the deal. It returns ok
// false, changing nothing, when rest does not start with objection / 异议,
// so the caller treats it as an exit criterion. The objection is recorded as
// a note tagged objection:<type>; an unknown type is an EInvalid error.
func CheckObjection(c Caller, d Deal, rest string, now time.Time) (ev Event, ok bool, err error) {
	words := strings.Fields(rest)
	if len(words) == 0 {
		return Event{}, false, nil
	}
	switch strings.ToLower(strings.TrimRight(words[0], ":：")) {
	case "objection", "objections", "异议":
	default:
		return Event{}, false, nil
	}
	if err := checkWritable(c, d); err != nil {
		return Event{}, true, err
	}
	if d.Status != StatusOpen {
		return Event{}, true, Fail(EConflict, "objection.closed", dealArgs(d))
	}
	word := ""
	if len(words) > 1 {
		word = words[1]
	}
	o, err := ParseObjection(word, d.Number)
	if err != nil {
		return Event{}, true, err
	}
	text := "objection:" + string(o)
	if said := strings.Join(words[min(2, len(words)):], " "); said != "" {
		text += " " + said
	}
	ev, err = AddNote(c, d, text, now)
	return ev, true, err
}
