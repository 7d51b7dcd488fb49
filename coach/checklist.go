package coach

import (
	"strings"
	"time"
	"unicode"
)

// Confirmed returns the keys of stage s's exit criteria confirmed with
// `/deal check` at or after since, from a deal's log (reverted checks do not
// count).
func Confirmed(log []Event, s Stage, since time.Time) map[string]bool {
	done := map[string]bool{}
	for _, e := range Live(log) {
		if e.Kind == EvCheck && e.Fields.Stage == s && !e.At.Before(since) {
			done[e.Fields.Criterion] = true
		}
	}
	return done
}

// Unconfirmed returns p's exit criteria not confirmed at or after since, in
// the playbook's order.
func (p *Playbook) Unconfirmed(log []Event, since time.Time) []Criterion {
	done := Confirmed(log, p.Stage, since)
	var out []Criterion
	for _, c := range p.ExitCriteria {
		if !done[c.Key] {
			out = append(out, c)
		}
	}
	return out
}

// Keys returns the keys of p's exit criteria, as a rep types them.
func (p *Playbook) Keys() []string {
	keys := make([]string, len(p.ExitCriteria))
	for i, c := range p.ExitCriteria {
		keys[i] = c.Key
	}
	return keys
}

// Label returns how a criterion is named in a list: its key in English; in
// Chinese its first Chinese alias followed by the key, e.g. 预算（budget）.
func (c Criterion) Label(l Lang) string {
	if l == ZH {
		for _, a := range c.Aliases {
			if strings.IndexFunc(a, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
				return a + "（" + c.Key + "）"
			}
		}
	}
	return c.Key
}

// criteriaList names criteria in lang: "budget, authority" or
// "预算（budget）、决策权（authority）".
func criteriaList(cs []Criterion) Text {
	en := make([]string, len(cs))
	zh := make([]string, len(cs))
	for i, c := range cs {
		en[i], zh[i] = c.Label(EN), c.Label(ZH)
	}
	return Text{EN: strings.Join(en, ", "), ZH: strings.Join(zh, "、")}
}

// Check decides confirming one exit criterion of the stage d is in (the
// follow-up stage once won), named by its key or an alias. An unknown
// criterion is an EInvalid error listing the stage's keys; one already
// confirmed since the deal entered its stage is an EConflict.
func Check(c Caller, d Deal, log []Event, word string, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	if d.Status == StatusLost {
		return Event{}, Fail(EConflict, "check.lost", dealArgs(d))
	}
	stage := d.ShownStage()
	p := PlaybookFor(stage)
	keys := strings.Join(p.Keys(), ", ")
	word = strings.TrimSpace(word)
	if word == "" {
		return Event{}, Fail(EInvalid, "check.which", Args{"stage": stage.Named(), "keys": keys, "n": d.Number, "first": p.ExitCriteria[0].Key})
	}
	crit, ok := p.Criterion(word)
	if !ok {
		args := Args{"stage": stage.Named(), "typed": Quoted(word), "keys": keys, "key": string(stage)}
		if s := SuggestClosest(strings.ToLower(word), p.Keys()); s != "" {
			args["suggestion"] = s
			return Event{}, Fail(EInvalid, "check.unknown.did_you_mean", args)
		}
		return Event{}, Fail(EInvalid, "check.unknown", args)
	}
	if Confirmed(log, stage, d.StageSince)[crit.Key] {
		return Event{}, Fail(EConflict, "check.already", dealArgs(d, "key", crit.Key, "stage", stage.Named()))
	}
	return Event{DealID: d.ID, Kind: EvCheck, Fields: Fields{Criterion: crit.Key, Stage: stage}, ActorID: c.UserID, At: now}, nil
}

// LeftStage returns the open stage a move took the deal past, whose
// unconfirmed exit criteria are worth a reminder, with ok false when the
// change did not move it forward. A win is not such a move: once signed,
// the pre-close checklist has nothing left to settle.
func LeftStage(before Deal, ev Event) (Stage, bool) {
	if before.Status != StatusOpen {
		return "", false
	}
	switch ev.Kind {
	case EvMove:
		if ev.Entry.IsOpen() && ev.Entry.Index() > before.Stage.Index() {
			return before.Stage, true
		}
	}
	return "", false
}
