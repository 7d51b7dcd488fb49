package coach

import (
	"math"
	"time"
)

// Money is an amount in minor units (cents) of a currency (ISO 4217 code).
type Money struct {
	Cents    int64
	Currency string
}

// Deal is a deal as its owner sees it now: the projection of its event log.
type Deal struct {
	ID          int64
	TeamID      string
	Number      int
	ExternalID  string
	Name        string
	OwnerID     string
	Amount      Money
	HasAmount   bool
	Status      Status
	Stage       Stage     // the current open stage; the last open stage when won or lost
	StageSince  time.Time // when the deal entered Stage, or its outcome when closed
	LastActive  time.Time // the last stage change or note
	Archived    bool
	PausedUntil time.Time // zero when not paused
	PauseReason string
	LostReason  LostReason
	CloseDate   time.Time // the expected close date, midnight UTC of that day; zero when none
	Slips       int       // how often the close date was moved later
	SlipDays    int       // the days it was pushed in all
	CreatedAt   time.Time
	Version     int64 // the id of the latest event in the log, reverts included; buttons carry it
}

// Status says whether a deal is open, won or lost.
type Status string

// Deal statuses.
const (
	StatusOpen Status = "open"
	StatusWon  Status = "won"
	StatusLost Status = "lost"
)

// ShownStage returns the stage to show for the deal: its open stage, retention
// once won, lost once lost.
func (d Deal) ShownStage() Stage {
	switch d.Status {
	case StatusWon:
		return Retention
	case StatusLost:
		return Lost
	}
	return d.Stage
}

// DaysInStage returns how long the deal has been in its current stage (or
// outcome) at now, in days.
func (d Deal) DaysInStage(now time.Time) float64 {
	return Days(now.Sub(d.StageSince))
}

// Paused reports whether nudges and staleness are muted for the deal at now.
func (d Deal) Paused(now time.Time) bool {
	return !d.PausedUntil.IsZero() && now.Before(d.PausedUntil)
}

// Overdue reports whether the deal is open and past its close date on the
// day now falls on (in now's location).
func (d Deal) Overdue(now time.Time) bool {
	return d.Status == StatusOpen && !d.CloseDate.IsZero() && DayOf(now).After(d.CloseDate)
}

// DaysOverdue returns how many days past its close date the deal is on the
// day now falls on; 0 when it is not overdue.
func (d Deal) DaysOverdue(now time.Time) int {
	if !d.Overdue(now) {
		return 0
	}
	return DaysBetween(d.CloseDate, DayOf(now))
}

// DayOf returns the calendar day t falls on in its location, as midnight UTC:
// the form close dates are kept in.
func DayOf(t time.Time) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// DaysBetween returns the whole days from day a to day b (both midnight UTC).
func DaysBetween(a, b time.Time) int {
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// DayLayout is how a close date is written: 2026-12-20.
const DayLayout = "2006-01-02"

// ParseDay reads a close date written as DayLayout, as midnight UTC.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.Parse(DayLayout, s)
	return t, err == nil
}

// Days converts a duration to days, the unit of every metric.
func Days(d time.Duration) float64 { return d.Seconds() / 86400 }

// EventKind says what an event records.
type EventKind string

// Event kinds. Create, Move, Won, Lost and Reopen carry a stage entry.
const (
	EvCreate  EventKind = "create"
	EvMove    EventKind = "move"
	EvWon     EventKind = "won"
	EvLost    EventKind = "lost"
	EvReopen  EventKind = "reopen"
	EvNote    EventKind = "note"
	EvEdit    EventKind = "edit"
	EvAssign  EventKind = "assign"
	EvArchive EventKind = "archive"
	EvRestore EventKind = "restore"
	EvPause   EventKind = "pause"
	EvCheck   EventKind = "check"
	EvDue     EventKind = "due" // the expected close date set or cleared
	EvRevert  EventKind = "revert"
)

// Event is one entry of a deal's append-only log. Entry is set on stage entries
// only (an open stage, won or lost); every duration is derived from those.
type Event struct {
	ID      int64
	DealID  int64
	Kind    EventKind
	Entry   Stage
	Reason  LostReason // on lost
	Text    string     // a note, a lost reason's free text, a pause reason
	Fields  Fields     // what a create or an edit set
	ActorID string
	At      time.Time // when it happened: what every metric, picture and export reads
	TypedAt time.Time // when it was typed, later than At for a change logged late; zero when not known (then At)
	Reverts int64     // on revert: the event it cancels
}

// Typed returns when the event was typed: TypedAt, or At when that is not known.
func (e Event) Typed() time.Time {
	if e.TypedAt.IsZero() {
		return e.At
	}
	return e.TypedAt
}

// Backdated reports whether the event is dated earlier than it was typed (by
// more than a minute).
func (e Event) Backdated() bool {
	return !e.TypedAt.IsZero() && e.TypedAt.Sub(e.At) > time.Minute
}

// Fields are the deal attributes an event sets. Empty strings and a nil
// amount leave an attribute as it was.
type Fields struct {
	Name        string     `json:"name,omitempty"`
	Owner       string     `json:"owner,omitempty"`
	AmountCents *int64     `json:"amount_cents,omitempty"`
	NoAmount    bool       `json:"no_amount,omitempty"`
	Currency    string     `json:"currency,omitempty"`
	Until       *time.Time `json:"until,omitempty"`         // pause: muted until; nil with Unpause
	Unpause     bool       `json:"unpause,omitempty"`       // pause: lift the pause
	Criterion   string     `json:"criterion,omitempty"`     // check: the exit criterion confirmed
	Stage       Stage      `json:"stage,omitempty"`         // check: the stage the criterion belongs to
	CloseDate   string     `json:"close_date,omitempty"`    // due: the expected close date, 2026-12-20
	NoCloseDate bool       `json:"no_close_date,omitempty"` // due: the close date cleared
	Prev        *Fields    `json:"prev,omitempty"`          // edit: the values before, for display
	Undo        bool       `json:"undo,omitempty"`          // archive: /deal undo of the deal's creation
}

// Live returns the events that count: every event except reverts and the
// events they cancel, in the order given.
func Live(events []Event) []Event {
	reverted := map[int64]bool{}
	for _, e := range events {
		if e.Kind == EvRevert {
			reverted[e.Reverts] = true
		}
	}
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if e.Kind == EvRevert || reverted[e.ID] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Replay folds a deal's log (oldest first) into its current state, skipping
// reverted events. The identity fields of base (ID, team, number, external id,
// creation time) are kept. A deal whose creation was reverted comes back
// archived.
func Replay(base Deal, events []Event) Deal {
	d := Deal{
		ID: base.ID, TeamID: base.TeamID, Number: base.Number, ExternalID: base.ExternalID,
		CreatedAt: base.CreatedAt, Status: StatusOpen, Stage: Prospecting,
		Archived: true, // until a live create is seen
		Version:  base.Version,
	}
	for _, e := range events {
		d.Version = max(d.Version, e.ID)
	}
	var lastDue time.Time // the last close date set, even if cleared since
	for _, e := range Live(events) {
		switch e.Kind {
		case EvDue:
			if e.Fields.NoCloseDate {
				d.CloseDate = time.Time{}
			} else if day, ok := ParseDay(e.Fields.CloseDate); ok {
				if !lastDue.IsZero() && day.After(lastDue) {
					d.Slips++
					d.SlipDays += DaysBetween(lastDue, day)
				}
				d.CloseDate, lastDue = day, day
			}
		case EvCreate:
			d.Archived = false
		case EvArchive:
			d.Archived = true
		case EvRestore:
			d.Archived = false
		case EvPause:
			if e.Fields.Unpause || e.Fields.Until == nil {
				d.PausedUntil, d.PauseReason = time.Time{}, ""
			} else {
				d.PausedUntil, d.PauseReason = *e.Fields.Until, e.Text
			}
		case EvNote:
			d.LastActive = later(d.LastActive, e.At)
		}
		d.apply(e.Fields)
		if e.Entry != "" {
			d.enter(e)
		}
	}
	return d
}

func (d *Deal) apply(f Fields) {
	if f.Name != "" {
		d.Name = f.Name
	}
	if f.Owner != "" {
		d.OwnerID = f.Owner
	}
	if f.Currency != "" {
		d.Amount.Currency = f.Currency
	}
	if f.AmountCents != nil {
		d.Amount.Cents, d.HasAmount = *f.AmountCents, true
	}
	if f.NoAmount {
		d.Amount.Cents, d.HasAmount = 0, false
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (d *Deal) enter(e Event) {
	// A note logged late may be dated before this entry; the last activity is
	// the latest of them.
	d.StageSince, d.LastActive = e.At, later(d.LastActive, e.At)
	switch e.Entry {
	case Won:
		d.Status, d.LostReason = StatusWon, ""
	case Lost:
		d.Status, d.LostReason = StatusLost, e.Reason
	default:
		d.Status, d.Stage, d.LostReason = StatusOpen, e.Entry, ""
	}
}

// Visit is one stay of a deal in an open stage: from its entry to the next
// stage entry of any kind (End is zero while the deal is still there).
type Visit struct {
	Stage Stage
	Start time.Time
	End   time.Time
	Event Event // the entry that began the visit
}

// Days returns the visit's length, up to now when it has not ended.
func (v Visit) Days(now time.Time) float64 {
	end := v.End
	if end.IsZero() {
		end = now
	}
	return Days(end.Sub(v.Start))
}

// Visits returns the open-stage visits in a deal's log (oldest first), with
// reverted events skipped.
func Visits(events []Event) []Visit {
	var out []Visit
	for _, e := range Live(events) {
		if e.Entry == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].End.IsZero() {
			out[n-1].End = e.At
		}
		if e.Entry.IsOpen() {
			out = append(out, Visit{Stage: e.Entry, Start: e.At, Event: e})
		}
	}
	return out
}

// Stale reports whether d is a stale deal of §9 at now by the team's numbers
// t: open, not paused, and in its stage longer than the stage's mark (the
// team's p90 on enough visits, else StaleDays) or without a stage change or
// note for more than StaleDays.
func (t TeamStats) Stale(d Deal, now time.Time) bool {
	if d.Status != StatusOpen || d.Archived || d.Paused(now) {
		return false
	}
	return d.DaysInStage(now) > t.Threshold(d.Stage).P90 || (!d.LastActive.IsZero() && Days(now.Sub(d.LastActive)) > StaleDays)
}
