package coach

import (
	"fmt"
	"time"
)

// The functions below decide one change to a deal: given the deal as it is
// now (locked by the store) they return the event to append, or an *Error
// saying why the change does not apply. They never touch the deal itself;
// Replay derives the new state from the log.

func entry(c Caller, d Deal, kind EventKind, to Stage, now time.Time) Event {
	return Event{DealID: d.ID, Kind: kind, Entry: to, ActorID: c.UserID, At: now}
}

func checkWritable(c Caller, d Deal) error {
	if !c.CanSee(d) {
		return Fail(ENotFound, "That deal is not among your deals. /deal list shows them.",
			"这笔交易不在您的交易列表中。用 /deal list 查看您的交易。")
	}
	if d.Archived {
		return Fail(EConflict, fmt.Sprintf("#%d %s is archived. Bring it back with /deal restore #%d.", d.Number, d.Name, d.Number),
			fmt.Sprintf("#%d %s 已归档。用 /deal restore #%d 恢复它。", d.Number, d.Name, d.Number))
	}
	return nil
}

// Move decides a move of d to stage to. Won and Lost are handed to Win and
// Lose; moving a closed deal to an open stage reopens it there. Retention (the
// follow-up names) on an open deal asks whether it was won instead of
// recording a win.
func Move(c Caller, d Deal, to Stage, now time.Time) (Event, error) {
	switch to {
	case Won:
		return Win(c, d, now)
	case Lost:
		return Lose(c, d, ReasonOther, "", now)
	case Retention:
		if err := checkWritable(c, d); err != nil {
			return Event{}, err
		}
		if d.Status == StatusOpen {
			return Event{}, Fail(EConflict,
				fmt.Sprintf("Was #%d %s won? Record it with /deal won #%d — follow-up & retention starts once a deal is won. Nothing changed.", d.Number, d.Name, d.Number),
				fmt.Sprintf("#%d %s 赢单了吗？请用 /deal won #%d 记录赢单，赢单之后才进入%s阶段。没有任何改动。", d.Number, d.Name, d.Number, Retention.Name(ZH)))
		}
		return Win(c, d, now)
	}
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	if !to.IsOpen() {
		return Event{}, Fail(EInvalid, fmt.Sprintf("Unknown stage %q.", to), fmt.Sprintf("未知阶段“%s”。", to))
	}
	if d.Status != StatusOpen {
		return backdated(c, d, entry(c, d, EvReopen, to, now))
	}
	if d.Stage == to {
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is already in %s — nothing changed.", d.Number, d.Name, to.Name(EN)),
			fmt.Sprintf("#%d %s 已经处于%s阶段，没有任何改动。", d.Number, d.Name, to.Name(ZH)))
	}
	return backdated(c, d, entry(c, d, EvMove, to, now))
}

// backdated returns e, or an EInvalid error when it is a stage entry dated
// before the deal's latest stage entry (or its creation), or a note dated
// before the deal was created: the log keeps stage entries in order, so a
// change logged late must still come after the last one recorded.
func backdated(c Caller, d Deal, e Event) (Event, error) {
	at := FormatWhen(e.At, c.Loc)
	if e.Entry == "" {
		if e.At.Before(d.CreatedAt) {
			return Event{}, Fail(EInvalid,
				fmt.Sprintf("#%d %s was added on %s, after the time you gave (%s). Give a later time, or none for now.", d.Number, d.Name, FormatWhen(d.CreatedAt, c.Loc), at),
				fmt.Sprintf("#%d %s 是在 %s 添加的，晚于您给的时间（%s）。请给一个更晚的时间，或不写时间（即现在）。", d.Number, d.Name, FormatWhen(d.CreatedAt, c.Loc), at))
		}
		return e, nil
	}
	if !e.At.Before(d.StageSince) {
		return e, nil
	}
	since := FormatWhen(d.StageSince, c.Loc)
	if !d.StageSince.After(d.CreatedAt) {
		return Event{}, Fail(EInvalid,
			fmt.Sprintf("#%d %s was added on %s, after the time you gave (%s). Give a later time, or none for now.", d.Number, d.Name, since, at),
			fmt.Sprintf("#%d %s 是在 %s 添加的，晚于您给的时间（%s）。请给一个更晚的时间，或不写时间（即现在）。", d.Number, d.Name, since, at))
	}
	return Event{}, Fail(EInvalid,
		fmt.Sprintf("#%d %s entered %s on %s, after the time you gave (%s). To log an earlier change, undo the later one with /deal undo, then log both in order.", d.Number, d.Name, d.ShownStage().Name(EN), since, at),
		fmt.Sprintf("#%d %s 在 %s 进入了%s，晚于您给的时间（%s）。要补记更早的改动，请先用 /deal undo 撤销后来的那次，再按先后顺序把两次都记上。", d.Number, d.Name, since, d.ShownStage().Name(ZH), at))
}

// Advance decides a move of d to the next stage of the process.
func Advance(c Caller, d Deal, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	switch {
	case d.Status == StatusWon:
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is won and in follow-up & retention; there is no next stage.", d.Number, d.Name),
			fmt.Sprintf("#%d %s 已赢单，处于%s阶段，没有下一个阶段了。", d.Number, d.Name, Retention.Name(ZH)))
	case d.Status == StatusLost:
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is lost. Reopen it first with /deal reopen #%d.", d.Number, d.Name, d.Number),
			fmt.Sprintf("#%d %s 已丢单。请先用 /deal reopen #%d 重新打开。", d.Number, d.Name, d.Number))
	case d.Stage == Closing:
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is in Closing, the last open stage. Signed? Record it with /deal won #%d.", d.Number, d.Name, d.Number),
			fmt.Sprintf("#%d %s 已处于%s阶段，这是最后一个进行中阶段。签约了吗？用 /deal won #%d 记录赢单。", d.Number, d.Name, Closing.Name(ZH), d.Number))
	}
	return backdated(c, d, entry(c, d, EvMove, d.Stage.Next(), now))
}

// Win decides closing d as won.
func Win(c Caller, d Deal, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	switch d.Status {
	case StatusWon:
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is already won — nothing changed.", d.Number, d.Name),
			fmt.Sprintf("#%d %s 已经是赢单状态，没有任何改动。", d.Number, d.Name))
	case StatusLost:
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is lost — nothing changed. If it was won after all, reopen it first with /deal reopen #%d, then /deal won #%d.", d.Number, d.Name, d.Number, d.Number),
			fmt.Sprintf("#%d %s 是丢单状态，没有任何改动。如果其实赢单了，请先用 /deal reopen #%d 重新打开，再用 /deal won #%d。", d.Number, d.Name, d.Number, d.Number))
	}
	return backdated(c, d, entry(c, d, EvWon, Won, now))
}

// Lose decides closing d as lost for reason, with optional free text.
func Lose(c Caller, d Deal, reason LostReason, text string, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	switch d.Status {
	case StatusLost:
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is already lost — nothing changed.", d.Number, d.Name),
			fmt.Sprintf("#%d %s 已经是丢单状态，没有任何改动。", d.Number, d.Name))
	case StatusWon:
		return Event{}, Fail(EConflict,
			fmt.Sprintf("#%d %s is won — nothing changed. If it was lost after all, reopen it first with /deal reopen #%d, then /deal lost #%d.", d.Number, d.Name, d.Number, d.Number),
			fmt.Sprintf("#%d %s 是赢单状态，没有任何改动。如果其实丢单了，请先用 /deal reopen #%d 重新打开，再用 /deal lost #%d。", d.Number, d.Name, d.Number, d.Number))
	}
	if len([]rune(text)) > MaxNoteLen {
		return Event{}, Fail(EInvalid, fmt.Sprintf("The reason is too long (%d characters); keep it under %d.", len([]rune(text)), MaxNoteLen),
			fmt.Sprintf("原因太长（%d 个字符），请控制在 %d 个字符以内。", len([]rune(text)), MaxNoteLen))
	}
	e := entry(c, d, EvLost, Lost, now)
	e.Reason, e.Text = reason, text
	return backdated(c, d, e)
}

// Reopen decides reopening a won or lost deal in its last open stage.
func Reopen(c Caller, d Deal, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	if d.Status == StatusOpen {
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is already open, in %s.", d.Number, d.Name, d.Stage.Name(EN)),
			fmt.Sprintf("#%d %s 本来就在进行中（%s）。", d.Number, d.Name, d.Stage.Name(ZH)))
	}
	return backdated(c, d, entry(c, d, EvReopen, d.Stage, now))
}

// AddNote decides logging a note on d.
func AddNote(c Caller, d Deal, text string, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	text, err := CheckNote(text)
	if err != nil {
		return Event{}, err
	}
	if _, _, err := NoteObjection(text, d.Number); err != nil {
		return Event{}, err // a mistyped objection type would record nothing
	}
	return backdated(c, d, Event{DealID: d.ID, Kind: EvNote, Text: text, ActorID: c.UserID, At: now})
}

func edit(c Caller, d Deal, f Fields, now time.Time) Event {
	prev := Fields{Name: d.Name, Owner: d.OwnerID, Currency: d.Amount.Currency}
	if d.HasAmount {
		cents := d.Amount.Cents
		prev.AmountCents = &cents
	}
	f.Prev = &prev
	return Event{DealID: d.ID, Kind: EvEdit, Fields: f, ActorID: c.UserID, At: now}
}

// SetAmount decides changing d's amount.
func SetAmount(c Caller, d Deal, m Money, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	if d.HasAmount && d.Amount == m {
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is already %s — nothing changed.", d.Number, d.Name, FormatMoney(m)),
			fmt.Sprintf("#%d %s 的金额已经是 %s，没有任何改动。", d.Number, d.Name, FormatMoney(m)))
	}
	cents := m.Cents
	return edit(c, d, Fields{AmountCents: &cents, Currency: m.Currency}, now), nil
}

// Rename decides renaming d.
func Rename(c Caller, d Deal, name string, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	name, err := CheckName(name)
	if err != nil {
		return Event{}, err
	}
	if name == d.Name {
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d is already called %s — nothing changed.", d.Number, name),
			fmt.Sprintf("#%d 已经叫 %s 了，没有任何改动。", d.Number, name))
	}
	return edit(c, d, Fields{Name: name}, now), nil
}

// Assign decides giving d to another rep; only a manager may.
func Assign(c Caller, d Deal, owner string, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	if !c.Manager {
		return Event{}, ErrManagerOnly
	}
	if owner == d.OwnerID {
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s already belongs to that rep — nothing changed.", d.Number, d.Name),
			fmt.Sprintf("#%d %s 本来就属于这位销售，没有任何改动。", d.Number, d.Name))
	}
	e := edit(c, d, Fields{Owner: owner}, now)
	e.Kind = EvAssign
	return e, nil
}

// Archive decides hiding d from lists and metrics.
func Archive(c Caller, d Deal, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	return Event{DealID: d.ID, Kind: EvArchive, ActorID: c.UserID, At: now}, nil
}

// Restore decides bringing back an archived deal.
func Restore(c Caller, d Deal, now time.Time) (Event, error) {
	if !c.CanSee(d) {
		return Event{}, checkWritable(c, d)
	}
	if !d.Archived {
		return Event{}, Fail(EConflict, fmt.Sprintf("#%d %s is not archived — nothing changed.", d.Number, d.Name),
			fmt.Sprintf("#%d %s 没有被归档，没有任何改动。", d.Number, d.Name))
	}
	return Event{DealID: d.ID, Kind: EvRestore, ActorID: c.UserID, At: now}, nil
}

// ErrManagerOnly is returned to a rep who tries a manager's command.
var ErrManagerOnly = Fail(EForbidden, "Only a manager can do that. Managers are listed by /coach managers.",
	"只有经理可以执行此操作。用 /coach managers 查看经理名单。")

// Undoable reports whether e is a change /deal undo may cancel at now: typed by
// the caller in the last 24 hours (whenever it is dated) and not a revert itself.
func Undoable(c Caller, e Event, now time.Time) bool {
	return e.ActorID == c.UserID && e.Kind != EvRevert && now.Sub(e.Typed()) <= 24*time.Hour
}

// ErrSameName refuses adding nd when the owner already has the open deal
// existing of the same name: every later reference to the name would be
// ambiguous. A double submit with another amount is told how to change the
// amount instead.
func ErrSameName(existing Deal, nd NewDeal) error {
	title := fmt.Sprintf("#%d %s", existing.Number, existing.Name)
	if nd.At.Sub(existing.CreatedAt) < time.Minute && nd.HasAmount && (!existing.HasAmount || existing.Amount != nd.Amount) {
		m := FormatMoney(nd.Amount)
		was := "no amount"
		wasZH := "没有金额"
		if existing.HasAmount {
			was, wasZH = FormatMoney(existing.Amount), FormatMoney(existing.Amount)
		}
		return Fail(EConflict,
			fmt.Sprintf("You just added %s with %s — not adding it twice. To make it %s: /deal amount #%d %s.", title, was, m, existing.Number, m),
			fmt.Sprintf("您刚刚已新建 %s（%s），不会重复添加。要把金额改为 %s：/deal amount #%d %s。", title, wasZH, m, existing.Number, m))
	}
	return Fail(EConflict,
		fmt.Sprintf("You already have an open deal called %s. Add a word to tell them apart, e.g. /deal add %s – Berlin office, or use %s's number.", title, existing.Name, title),
		fmt.Sprintf("您已经有一笔名为 %s 的进行中交易。请加一个词加以区分，例如 /deal add %s 北京分公司；或直接用 %s 的编号。", title, existing.Name, title))
}
