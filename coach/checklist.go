package coach

import (
	"fmt"
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
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is lost, so there is nothing to confirm. Reopen it first with /deal reopen #%d.", d.Number, d.Name, d.Number),
			fmt.Sprintf("#%d %s 已丢单，没有需要确认的标准。请先用 /deal reopen #%d 重新打开。", d.Number, d.Name, d.Number))
	}
	stage := d.ShownStage()
	p := PlaybookFor(stage)
	keys := strings.Join(p.Keys(), ", ")
	word = strings.TrimSpace(word)
	if word == "" {
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("Which exit criterion of %s? One of: %s — e.g. /deal check #%d %s.", stage.Name(EN), keys, d.Number, p.ExitCriteria[0].Key),
			fmt.Sprintf("要确认%s阶段的哪一条出阶段标准？可选：%s，例如 /deal check #%d %s。", stage.Name(ZH), keys, d.Number, p.ExitCriteria[0].Key))
	}
	crit, ok := p.Criterion(word)
	if !ok {
		hint, hintZH := "", ""
		if s := SuggestClosest(strings.ToLower(word), p.Keys()); s != "" {
			hint, hintZH = fmt.Sprintf(" Did you mean %s?", s), fmt.Sprintf("您是想输入 %s 吗？", s)
		}
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("%s has no exit criterion %s.%s Use one of: %s (/coach %s explains them).", stage.Name(EN), quoteInput(word), hint, keys, stage),
			fmt.Sprintf("%s阶段没有名为%s的出阶段标准。%s可选：%s（/coach %s 有详细说明）。", stage.Name(ZH), quoteInputZH(word), hintZH, keys, stage))
	}
	if Confirmed(log, stage, d.StageSince)[crit.Key] {
		return Event{}, Fail(EConflict,
			fmt.Sprintf("%s is already confirmed for #%d %s in %s — nothing changed.", crit.Key, d.Number, d.Name, stage.Name(EN)),
			fmt.Sprintf("#%d %s 在%s阶段已经确认过 %s，没有任何改动。", d.Number, d.Name, stage.Name(ZH), crit.Key))
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
