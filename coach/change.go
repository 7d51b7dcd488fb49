package coach

import (
	"strconv"
	"time"
)

// The functions below decide one change to a deal: given the deal as it is
// now (locked by the store) they return the event to append, or an *Error
// saying why the change does not apply. They never touch the deal itself;
// Replay derives the new state from the log.

func entry(c Caller, d Deal, kind EventKind, to Stage, now time.Time) Event {
	return Event{DealID: d.ID, Kind: kind, Entry: to, ActorID: c.UserID, At: now}
}

// dealArgs returns the arguments naming d in a message: {n} and {name}, and
// more given as name, value pairs.
func dealArgs(d Deal, more ...any) Args {
	a := Args{"n": d.Number, "name": d.Name}
	for i := 0; i+1 < len(more); i += 2 {
		a[more[i].(string)] = more[i+1]
	}
	return a
}

// ErrArchived says that the deal numbered n, named name, is archived and how
// to bring it back: for a change to it, or a reference only it matches.
func ErrArchived(n int, name string) error {
	return Fail(EConflict, "deal.archived", Args{"n": n, "name": name})
}

func checkWritable(c Caller, d Deal) error {
	if !c.CanSee(d) {
		return Fail(ENotFound, "deal.not_yours", nil)
	}
	if d.Archived {
		return ErrArchived(d.Number, d.Name)
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
			return Event{}, Fail(EConflict, "move.retention_open", dealArgs(d))
		}
		return Win(c, d, now)
	}
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	if !to.IsOpen() {
		return Event{}, Fail(EInvalid, "move.unknown_stage", Args{"stage": Both(strconv.Quote(string(to)), string(to))})
	}
	if d.Status != StatusOpen {
		return backdated(c, d, entry(c, d, EvReopen, to, now))
	}
	if d.Stage == to {
		return Event{}, Fail(EConflict, "move.already", dealArgs(d, "stage", to.Named()))
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
			return Event{}, Fail(EInvalid, "when.before_added", dealArgs(d, "added", FormatWhen(d.CreatedAt, c.Loc), "at", at))
		}
		return e, nil
	}
	if !e.At.Before(d.StageSince) {
		return e, nil
	}
	since := FormatWhen(d.StageSince, c.Loc)
	if !d.StageSince.After(d.CreatedAt) {
		return Event{}, Fail(EInvalid, "when.before_added", dealArgs(d, "added", since, "at", at))
	}
	return Event{}, Fail(EInvalid, "when.before_entry", dealArgs(d, "stage", d.ShownStage().Named(), "since", since, "at", at))
}

// Advance decides a move of d to the next stage of the process.
func Advance(c Caller, d Deal, now time.Time) (Event, error) {
	if err := checkWritable(c, d); err != nil {
		return Event{}, err
	}
	switch {
	case d.Status == StatusWon:
		return Event{}, Fail(EConflict, "next.won", dealArgs(d))
	case d.Status == StatusLost:
		return Event{}, Fail(EConflict, "next.lost", dealArgs(d))
	case d.Stage == Closing:
		return Event{}, Fail(EConflict, "next.closing", dealArgs(d))
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
		return Event{}, Fail(EConflict, "won.already", dealArgs(d))
	case StatusLost:
		return Event{}, Fail(EConflict, "won.lost", dealArgs(d))
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
		return Event{}, Fail(EConflict, "lost.already", dealArgs(d))
	case StatusWon:
		return Event{}, Fail(EConflict, "lost.won", dealArgs(d))
	}
	if len([]rune(text)) > MaxNoteLen {
		return Event{}, Fail(EInvalid, "lost.reason_too_long", Args{"n": len([]rune(text)), "max": MaxNoteLen})
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
		return Event{}, Fail(EConflict, "reopen.open", dealArgs(d, "stage", d.Stage.Named()))
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

// RepeatedNote reports whether c already logged the note text on the deal
// of log less than a minute before now: the same command sent twice (a
// double Enter, a retry), which is not a second note.
func RepeatedNote(c Caller, log []Event, text string, now time.Time) bool {
	text, err := CheckNote(text)
	if err != nil {
		return false
	}
	for _, e := range Live(log) {
		if e.Kind == EvNote && e.ActorID == c.UserID && e.Text == text && now.Sub(e.Typed()) < time.Minute {
			return true
		}
	}
	return false
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
		return Event{}, Fail(EConflict, "amount.same", dealArgs(d, "amount", FormatMoney(m)))
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
		return Event{}, Fail(EConflict, "rename.same", Args{"n": d.Number, "name": name})
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
		return Event{}, Fail(EConflict, "assign.same", dealArgs(d))
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
		return Event{}, Fail(EConflict, "restore.not_archived", dealArgs(d))
	}
	return Event{DealID: d.ID, Kind: EvRestore, ActorID: c.UserID, At: now}, nil
}

// UndoEvent decides how c cancels e, their change being undone on deal d: a
// revert naming it, or, for the deal's creation, hiding the deal as /deal
// archive does (marked as the undo's, which a later undo passes over). A
// reverted creation would leave the deal's first stage and amount out for
// good; archived, /deal restore brings it back whole.
func UndoEvent(c Caller, d Deal, e Event, now time.Time) Event {
	if e.Kind == EvCreate {
		return Event{DealID: d.ID, Kind: EvArchive, ActorID: c.UserID, At: now, Fields: Fields{Undo: true}}
	}
	return Event{DealID: d.ID, Kind: EvRevert, Reverts: e.ID, ActorID: c.UserID, At: now}
}

// LastUndoable returns the change of c on deal d (with its log) that /deal
// undo cancels at now: the last typed of those Undoable. The add of a deal
// that is archived is not one (undoing it again would change nothing), nor
// the archive an undo made.
func LastUndoable(c Caller, d Deal, log []Event, now time.Time) (Event, bool) {
	var last Event
	for _, e := range Live(log) {
		if !Undoable(c, e, now) || e.ID < last.ID || e.Kind == EvCreate && d.Archived {
			continue
		}
		last = e
	}
	return last, last.ID != 0
}

// ErrManagerOnly is returned to a rep who tries a manager's command.
var ErrManagerOnly = Fail(EForbidden, "manager_only", nil)

// Undoable reports whether e is a change /deal undo may cancel at now: typed by
// the caller in the last 24 hours (whenever it is dated), and not an undo
// itself (a revert, or the archive that undid an add).
func Undoable(c Caller, e Event, now time.Time) bool {
	return e.ActorID == c.UserID && e.Kind != EvRevert && !(e.Kind == EvArchive && e.Fields.Undo) &&
		now.Sub(e.Typed()) <= 24*time.Hour
}

// ErrSameName refuses adding nd when the owner already has the open deal
// existing of the same name: every later reference to the name would be
// ambiguous. A double submit with another amount is told how to change the
// amount instead.
func ErrSameName(existing Deal, nd NewDeal) error {
	if nd.At.Sub(existing.CreatedAt) < time.Minute && nd.HasAmount && (!existing.HasAmount || existing.Amount != nd.Amount) {
		args := dealArgs(existing, "amount", FormatMoney(nd.Amount))
		if !existing.HasAmount {
			return Fail(EConflict, "add.twice.no_amount", args)
		}
		args["was"] = FormatMoney(existing.Amount)
		return Fail(EConflict, "add.twice", args)
	}
	return Fail(EConflict, "add.same_name", dealArgs(existing))
}
