package coach

import "time"

// NewDeal is a deal to create.
type NewDeal struct {
	Name      string
	OwnerID   string
	Amount    Money // Currency is always set: the given one or the team's
	HasAmount bool
	Stage     Stage // an open stage
	ActorID   string
	At        time.Time
	// SameNameOK adds the deal even when the owner has an open deal of the
	// same name (the rep confirmed it is another deal).
	SameNameOK bool
}

// ListCountCap was as far as a rep's list counted. Lists now count exactly;
// it stays, larger than any count, until no caller reads it.
const ListCountCap = 1<<31 - 1

// ListPage is how many deals a page of a list holds.
const ListPage = 20

// ListFilter selects deals for a list.
type ListFilter struct {
	Owner    string   // "" for the whole team
	Statuses []Status // empty for all
	Limit    int      // ListPage when 0
	Offset   int      // deals to skip, for a later page: (page − 1) × Limit
	Stage    Stage    // only open deals in this open stage; "" for any
	Stale    bool     // only the stale deals of §9 (judged as of Now): open, not paused
	Paused   bool     // only deals paused at Now
	Now      time.Time
}

// Decide returns the event to append to a deal's log, given the deal as it is
// now (locked by the store) and its log, or an error that changes nothing.
type Decide func(d Deal, log []Event) (Event, error)
