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
}

// ListCountCap is as far as a rep's list counts: a list of more deals says
// "more than" instead of counting every one on every request.
const ListCountCap = 100

// ListFilter selects deals for a list.
type ListFilter struct {
	Owner    string   // "" for the whole team
	Statuses []Status // empty for all
	Limit    int      // 20 when 0
}

// Decide returns the event to append to a deal's log, given the deal as it is
// now (locked by the store) and its log, or an error that changes nothing.
type Decide func(d Deal, log []Event) (Event, error)
