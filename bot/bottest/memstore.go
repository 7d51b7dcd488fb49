package bottest

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"salescoach/coach"
	"salescoach/coach/forecast"
)

// MemStore keeps deals, their logs, members, clicks and digest
// subscriptions in memory, so that the command, button and rendering tests
// run without PostgreSQL. It follows what db does (db/deals.go,
// db/members.go, db/slack.go, db/coaching.go, db/digests.go) with coach's own
// rules: the same projection of a log (coach.Replay), the same undo
// (coach.Undoable), the same staleness (coach.TeamStats.Stale) and the same
// errors. The team's reports, exports, the digest's weekly runs, pictures and
// nudges are not kept: those methods fail with ErrNotKept, and their tests
// use the real store.
//
// The zero value is not ready: use NewMemStore. It is safe for concurrent
// use; a change decides under the store's one lock, as under the deal's row
// lock in the database.
type MemStore struct {
	mu       sync.Mutex
	teams    map[string]*memTeam
	deals    map[int64]*memDeal
	lastDeal int64
	lastEv   int64 // events are numbered across teams, as by events_id_seq
	seen     map[string]bool
	events   map[string]bool    // Events API deliveries taken
	gone     map[string]string  // uninstalled team → reason
	subs     []*coach.DigestSub // digest subscriptions, without their runs
	lastSub  int64
}

type memTeam struct {
	currency string
	number   int // the last deal number handed out
	users    map[string]*coach.Member
}

type memDeal struct {
	deal   coach.Deal
	log    []coach.Event
	clicks map[string]bool
}

// ErrNotKept is what MemStore answers for what it does not keep.
var ErrNotKept = errors.New("bottest.MemStore keeps no reports, digest runs, pictures or nudges: use the real store")

// The store's errors, as db gives them.
var (
	errNoDeal = coach.Fail(coach.ENotFound, "deal.gone", nil)
	errUndone = coach.Fail(coach.EConflict, "undo.already", nil)
	errEntry  = coach.Fail(coach.EConflict, "entry.already", nil)
	errNoUndo = coach.Fail(coach.ENotFound, "undo.nothing", nil)
)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{teams: map[string]*memTeam{}, deals: map[int64]*memDeal{}, seen: map[string]bool{},
		events: map[string]bool{}, gone: map[string]string{}}
}

// Ping answers.
func (s *MemStore) Ping(context.Context) error { return nil }

// team returns a team, adding it on first sight. s.mu is held.
func (s *MemStore) team(teamID string) *memTeam {
	t := s.teams[teamID]
	if t == nil {
		t = &memTeam{currency: "USD", users: map[string]*coach.Member{}}
		s.teams[teamID] = t
	}
	return t
}

// user returns a user of a team, adding both on first sight. s.mu is held.
func (s *MemStore) user(teamID, userID string) *coach.Member {
	t := s.team(teamID)
	u := t.users[userID]
	if u == nil {
		u = &coach.Member{TeamID: teamID, UserID: userID}
		t.users[userID] = u
	}
	return u
}

func (s *MemStore) member(teamID, userID string) coach.Member {
	m := *s.user(teamID, userID)
	m.Currency = s.teams[teamID].currency
	return m
}

// Member returns what the store knows of a user, adding the team and the
// user on first sight.
func (s *MemStore) Member(_ context.Context, teamID, userID string) (coach.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.member(teamID, userID), nil
}

// Sighting records a request signature and returns what the store knows of
// the user it names; known is false when the user is new.
func (s *MemStore) Sighting(_ context.Context, signature string, _ time.Time, teamID, userID string) (bool, coach.Member, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	signature = strings.ToLower(signature)
	first := !s.seen[signature]
	s.seen[signature] = true
	t := s.teams[teamID]
	if t == nil || t.users[userID] == nil {
		return first, coach.Member{TeamID: teamID, UserID: userID}, false, nil
	}
	return first, s.member(teamID, userID), true, nil
}

// FirstSighting records a request signature and reports whether it is new.
func (s *MemStore) FirstSighting(ctx context.Context, signature string, now time.Time) (bool, error) {
	first, _, _, err := s.Sighting(ctx, signature, now, "", "")
	return first, err
}

// SetLang records the language a user chose; "" returns to the locale.
func (s *MemStore) SetLang(_ context.Context, teamID, userID string, lang coach.Lang) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.teams[teamID]; t != nil && t.users[userID] != nil {
		t.users[userID].Lang = lang
	}
	return nil
}

// SetProfile caches what Slack says of a user.
func (s *MemStore) SetProfile(_ context.Context, teamID, userID, locale, tz string, admin bool, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.user(teamID, userID)
	u.Locale, u.TZ, u.SlackAdmin, u.FetchedAt = locale, tz, admin, at
	return nil
}

// SetManager makes a user a manager of the team, or a rep again.
func (s *MemStore) SetManager(_ context.Context, teamID, userID string, manager bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user(teamID, userID).Manager = manager
	return nil
}

// Managers returns the team's managers and Slack admins by user id.
func (s *MemStore) Managers(_ context.Context, teamID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if t := s.teams[teamID]; t != nil {
		for id, u := range t.users {
			if u.Manager || u.SlackAdmin {
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// SetCurrency sets the team's reporting currency.
func (s *MemStore) SetCurrency(_ context.Context, teamID, currency string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.teams[teamID]; t != nil {
		t.currency = currency
	}
	return nil
}

// CreateDeal adds a deal with its first stage entry, as db's: a double
// submit within 30 seconds returns the first deal with created false, and
// another open deal of the owner's with that name refuses it unless
// nd.SameNameOK.
func (s *MemStore) CreateDeal(_ context.Context, teamID string, nd coach.NewDeal) (coach.Deal, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.teams[teamID]
	if t == nil {
		return coach.Deal{}, false, errors.New("create deal: team " + teamID + " does not exist")
	}
	var twin, same *memDeal
	for _, md := range s.sorted(func(d coach.Deal) bool {
		return d.TeamID == teamID && !d.Archived && d.OwnerID == nd.OwnerID && strings.EqualFold(d.Name, nd.Name)
	}) {
		d := md.deal
		if twin == nil && d.CreatedAt.After(nd.At.Add(-30*time.Second)) &&
			(!nd.HasAmount || d.HasAmount && d.Amount == nd.Amount) {
			twin = md
		}
		if d.Status == coach.StatusOpen && (same == nil || d.CreatedAt.After(same.deal.CreatedAt)) {
			same = md
		}
	}
	if twin != nil {
		return twin.deal, false, nil
	}
	if same != nil && !nd.SameNameOK {
		return coach.Deal{}, false, coach.ErrSameName(same.deal, nd)
	}
	s.lastDeal++
	s.lastEv++
	t.number++
	d := coach.Deal{
		ID: s.lastDeal, TeamID: teamID, Number: t.number, Name: nd.Name, OwnerID: nd.OwnerID,
		Amount: nd.Amount, HasAmount: nd.HasAmount, Status: coach.StatusOpen, Stage: nd.Stage,
		StageSince: nd.At.UTC(), LastActive: nd.At.UTC(), CreatedAt: nd.At.UTC(), Version: s.lastEv,
	}
	if !d.HasAmount {
		d.Amount.Cents = 0
	}
	f := coach.Fields{Name: nd.Name, Owner: nd.OwnerID, Currency: nd.Amount.Currency}
	if nd.HasAmount {
		cents := nd.Amount.Cents
		f.AmountCents = &cents
	}
	ev := coach.Event{ID: s.lastEv, DealID: d.ID, Kind: coach.EvCreate, Entry: nd.Stage, Fields: f,
		ActorID: nd.ActorID, At: nd.At.UTC(), TypedAt: nd.At.UTC()}
	s.deals[d.ID] = &memDeal{deal: d, log: []coach.Event{ev}, clicks: map[string]bool{}}
	return d, true, nil
}

// sorted returns the deals that keep, by id. s.mu is held.
func (s *MemStore) sorted(keep func(coach.Deal) bool) []*memDeal {
	var out []*memDeal
	for _, md := range s.deals {
		if keep(md.deal) {
			out = append(out, md)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].deal.ID < out[j].deal.ID })
	return out
}

// FindDeals returns the deals the caller may see that ref could mean: the
// one numbered ref.Number, or those whose name contains ref.Search().
func (s *MemStore) FindDeals(_ context.Context, c coach.Caller, ref coach.DealRef, archived bool) ([]coach.DealName, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	search := strings.ToLower(ref.Search())
	found := s.sorted(func(d coach.Deal) bool {
		return c.CanSee(d) && (archived || !d.Archived) &&
			(ref.Number > 0 && d.Number == ref.Number || strings.Contains(strings.ToLower(d.Name), search))
	})
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i].deal, found[j].deal
		if (a.Number == ref.Number) != (b.Number == ref.Number) {
			return a.Number == ref.Number
		}
		return a.Number < b.Number
	})
	out := []coach.DealName{}
	for _, md := range found[:min(len(found), 200)] {
		out = append(out, coach.DealName{ID: md.deal.ID, Number: md.deal.Number, Name: md.deal.Name})
	}
	return out, nil
}

// DealNames returns the names of the deals the caller may see that are not
// archived, open deals and the most recent first.
func (s *MemStore) DealNames(_ context.Context, c coach.Caller) ([]coach.DealName, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := s.sorted(func(d coach.Deal) bool { return c.CanSee(d) && !d.Archived })
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i].deal, found[j].deal
		if (a.Status == coach.StatusOpen) != (b.Status == coach.StatusOpen) {
			return a.Status == coach.StatusOpen
		}
		return a.LastActive.After(b.LastActive)
	})
	out := []coach.DealName{}
	for _, md := range found[:min(len(found), 5000)] {
		out = append(out, coach.DealName{ID: md.deal.ID, Number: md.deal.Number, Name: md.deal.Name})
	}
	return out, nil
}

// Deal returns a deal the caller may see with its log, oldest first.
func (s *MemStore) Deal(_ context.Context, c coach.Caller, id int64) (coach.Deal, []coach.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	md := s.deals[id]
	if md == nil || !c.CanSee(md.deal) {
		return coach.Deal{}, nil, errNoDeal
	}
	return md.deal, logOf(md), nil
}

// logOf returns a copy of a deal's log, by time and then id.
func logOf(md *memDeal) []coach.Event {
	log := slices.Clone(md.log)
	sort.SliceStable(log, func(i, j int) bool {
		if !log[i].At.Equal(log[j].At) {
			return log[i].At.Before(log[j].At)
		}
		return log[i].ID < log[j].ID
	})
	return log
}

// Logs returns the logs of the team's deals with the given ids.
func (s *MemStore) Logs(_ context.Context, teamID string, dealIDs []int64) (map[int64][]coach.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64][]coach.Event, len(dealIDs))
	for _, id := range dealIDs {
		if md := s.deals[id]; md != nil && md.deal.TeamID == teamID {
			out[id] = logOf(md)
		}
	}
	return out, nil
}

// Change applies one decided change to a deal the caller may see and
// returns the deal after it and the appended event.
func (s *MemStore) Change(_ context.Context, c coach.Caller, id int64, decide coach.Decide) (coach.Deal, coach.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.change(c, id, nil, decide)
}

// change is Change with a guard that runs before the decision (ev zero)
// and once the event is appended; s.mu is held. An error changes nothing.
func (s *MemStore) change(c coach.Caller, id int64, guard func(md *memDeal, ev coach.Event) error, decide coach.Decide) (coach.Deal, coach.Event, error) {
	md := s.deals[id]
	if md == nil || !c.CanSee(md.deal) {
		return coach.Deal{}, coach.Event{}, errNoDeal
	}
	if guard != nil {
		if err := guard(md, coach.Event{}); err != nil {
			return coach.Deal{}, coach.Event{}, err
		}
	}
	log := logOf(md)
	ev, err := decide(md.deal, slices.Clone(log))
	if err != nil {
		return coach.Deal{}, ev, err
	}
	ev.DealID = md.deal.ID
	if ev.TypedAt.IsZero() {
		ev.TypedAt = ev.At
	}
	ev.At, ev.TypedAt = ev.At.UTC(), ev.TypedAt.UTC()
	for _, e := range md.log {
		if ev.Reverts != 0 && e.Reverts == ev.Reverts {
			return coach.Deal{}, coach.Event{}, errUndone
		}
		if ev.Entry != "" && e.Entry == ev.Entry && e.At.Equal(ev.At) {
			return coach.Deal{}, coach.Event{}, errEntry
		}
	}
	ev.ID = s.lastEv + 1
	if guard != nil {
		if err := guard(md, ev); err != nil {
			return coach.Deal{}, coach.Event{}, err
		}
	}
	s.lastEv++
	base := md.deal
	d := coach.Replay(base, append(log, ev))
	if d.Name == "" { // a deal whose creation was undone keeps its last name
		d.Name, d.OwnerID, d.Amount.Currency = base.Name, base.OwnerID, base.Amount.Currency
	}
	if d.StageSince.IsZero() {
		d.StageSince, d.LastActive = base.StageSince, base.LastActive
	}
	md.deal, md.log = d, append(md.log, ev)
	return d, ev, nil
}

// Undo cancels the caller's most recent change of the last 24 hours and
// returns the deal after it and the event it cancelled.
func (s *MemStore) Undo(_ context.Context, c coach.Caller, now time.Time) (coach.Deal, coach.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var last coach.Event
	for _, md := range s.deals {
		if md.deal.TeamID != c.TeamID {
			continue
		}
		if e, ok := coach.LastUndoable(c, md.deal, md.log, now); ok && e.ID > last.ID {
			last = e
		}
	}
	if last.ID == 0 {
		return coach.Deal{}, coach.Event{}, errNoUndo
	}
	var undone coach.Event
	d, _, err := s.change(c, last.DealID, nil, func(d coach.Deal, log []coach.Event) (coach.Event, error) {
		var ok bool
		if undone, ok = coach.LastUndoable(c, d, log, now); ok {
			return coach.UndoEvent(c, d, undone, now), nil
		}
		return coach.Event{}, errUndone
	})
	return d, undone, err
}

// ListDeals returns a page of the team's deals matching f, open deals
// longest in their stage first and closed deals most recent first, with the
// number that matched in all. Stale deals are judged by the team's numbers
// (coach.TeamStats.Stale), the rule the report's list of stale deals follows.
func (s *MemStore) ListDeals(_ context.Context, teamID string, f coach.ListFilter) ([]coach.Deal, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Limit <= 0 {
		f.Limit = coach.ListPage
	}
	f.Offset = max(f.Offset, 0)
	if f.Now.IsZero() {
		f.Now = time.Now()
	}
	var stats coach.TeamStats
	if f.Stale {
		stats = s.teamStats(teamID, f.Now)
	}
	found := s.sorted(func(d coach.Deal) bool {
		return d.TeamID == teamID && !d.Archived && (f.Owner == "" || d.OwnerID == f.Owner) &&
			(len(f.Statuses) == 0 || slices.Contains(f.Statuses, d.Status)) &&
			(f.Stage == "" || d.Status == coach.StatusOpen && d.Stage == f.Stage) &&
			(!f.Paused || d.PausedUntil.After(f.Now)) &&
			(!f.Stale || stats.Stale(d, f.Now))
	})
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i].deal, found[j].deal
		ao, bo := a.Status == coach.StatusOpen, b.Status == coach.StatusOpen
		switch {
		case ao != bo:
			return ao
		case ao && !a.StageSince.Equal(b.StageSince):
			return a.StageSince.Before(b.StageSince)
		case !ao && !a.StageSince.Equal(b.StageSince):
			return a.StageSince.After(b.StageSince)
		}
		return a.Number < b.Number
	})
	out := []coach.Deal{}
	for i := f.Offset; i < len(found) && i < f.Offset+f.Limit; i++ {
		out = append(out, found[i].deal)
	}
	return out, len(found), nil
}

// PipelineTotals returns the team's open deals by open stage, with their
// value in the team's currency and how many are in another.
func (s *MemStore) PipelineTotals(_ context.Context, teamID string) ([]coach.StageTotal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.teams[teamID]
	if t == nil {
		return nil, nil
	}
	by := map[coach.Stage]*coach.StageTotal{}
	for _, md := range s.deals {
		d := md.deal
		if d.TeamID != teamID || d.Status != coach.StatusOpen || d.Archived {
			continue
		}
		st := by[d.Stage]
		if st == nil {
			st = &coach.StageTotal{Stage: d.Stage}
			by[d.Stage] = st
		}
		st.Deals++
		switch {
		case d.HasAmount && d.Amount.Currency == t.currency:
			st.Cents += d.Amount.Cents
		case d.HasAmount:
			st.Excluded++
		}
	}
	var out []coach.StageTotal
	for _, s := range coach.OpenStages {
		if st := by[s]; st != nil {
			out = append(out, *st)
		}
	}
	return out, nil
}

// TeamStats returns the team's numbers the rules compare a deal with, as
// db computes them: the stage visits completed in the StatsWindowDays before
// now, the team's last RecentLosses losses in that window, and the median
// amount of its deals created in the last year in its currency.
func (s *MemStore) TeamStats(_ context.Context, teamID string, now time.Time) (coach.TeamStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.teamStats(teamID, now), nil
}

func (s *MemStore) teamStats(teamID string, now time.Time) coach.TeamStats {
	stats := coach.TeamStats{At: now}
	from := now.Add(-time.Duration(coach.StatsWindowDays) * 24 * time.Hour)
	days := map[coach.Stage][]float64{}
	var losses []coach.Event
	var amounts []float64
	t := s.teams[teamID]
	if t == nil {
		return stats
	}
	stats.Typical.Currency = t.currency
	for _, md := range s.sorted(func(d coach.Deal) bool { return d.TeamID == teamID && !d.Archived }) {
		d := md.deal
		if d.HasAmount && d.Amount.Currency == t.currency && d.CreatedAt.Before(now) && !d.CreatedAt.Before(now.AddDate(0, 0, -365)) {
			amounts = append(amounts, float64(d.Amount.Cents))
		}
		var entries []coach.Event
		for _, e := range coach.Live(logOf(md)) {
			if e.Entry != "" && e.At.Before(now) {
				entries = append(entries, e)
			}
		}
		for i, e := range entries {
			if e.Entry == coach.Lost && !e.At.Before(from) {
				losses = append(losses, e)
			}
			if i+1 < len(entries) && e.Entry.IsOpen() {
				if end := entries[i+1].At; !end.Before(from) {
					days[e.Entry] = append(days[e.Entry], coach.Days(end.Sub(e.At)))
				}
			}
		}
	}
	for _, st := range coach.OpenStages {
		if v := days[st]; len(v) > 0 {
			sort.Float64s(v)
			stats.Stages = append(stats.Stages, coach.StageTimes{Stage: st, Visits: len(v),
				Median: percentile(v, 0.5), P75: percentile(v, 0.75), P90: percentile(v, 0.9)})
		}
	}
	sort.SliceStable(losses, func(i, j int) bool {
		if !losses[i].At.Equal(losses[j].At) {
			return losses[i].At.After(losses[j].At)
		}
		return losses[i].ID > losses[j].ID
	})
	counts := map[coach.LostReason]int{}
	for _, e := range losses[:min(len(losses), coach.RecentLosses)] {
		r := e.Reason
		if r == "" {
			r = "other"
		}
		counts[r]++
		stats.Losses++
	}
	for r, n := range counts {
		stats.LostReasons = append(stats.LostReasons, coach.ReasonCount{Reason: r, N: n})
	}
	sort.Slice(stats.LostReasons, func(i, j int) bool {
		a, b := stats.LostReasons[i], stats.LostReasons[j]
		if a.N != b.N {
			return a.N > b.N
		}
		return a.Reason < b.Reason
	})
	if len(amounts) > 0 {
		sort.Float64s(amounts)
		stats.Typical.Cents = int64(percentile(amounts, 0.5) + 0.5)
	}
	stats.TypicalN = len(amounts)
	return stats
}

// percentile is PostgreSQL's percentile_cont of sorted values.
func percentile(sorted []float64, p float64) float64 {
	pos := p * float64(len(sorted)-1)
	lo := math.Floor(pos)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[i]
	}
	return sorted[i] + (pos-lo)*(sorted[i+1]-sorted[i])
}

// ChangeOnce is Change for a click: a key recorded for the deal before
// gives coach.ErrAlreadyDone; with version not 0, a deal whose version moved
// on gives coach.ErrStale.
func (s *MemStore) ChangeOnce(_ context.Context, c coach.Caller, id int64, key string, version int64, decide coach.Decide) (coach.Deal, coach.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.change(c, id, func(md *memDeal, ev coach.Event) error {
		if ev.ID == 0 {
			if md.clicks[key] {
				return coach.ErrAlreadyDone
			}
			if version != 0 && md.deal.Version != version {
				return coach.ErrStale
			}
			return nil
		}
		md.clicks[key] = true
		return nil
	}, decide)
}

// ClickOnce records a click that changes no deal; coach.ErrAlreadyDone when
// key was recorded for the deal before.
func (s *MemStore) ClickOnce(_ context.Context, c coach.Caller, id int64, key string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	md := s.deals[id]
	if md == nil || !c.CanSee(md.deal) {
		return errNoDeal
	}
	if md.clicks[key] {
		return coach.ErrAlreadyDone
	}
	md.clicks[key] = true
	return nil
}

// ForgetClick forgets a recorded click.
func (s *MemStore) ForgetClick(_ context.Context, c coach.Caller, id int64, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if md := s.deals[id]; md != nil && md.deal.TeamID == c.TeamID {
		delete(md.clicks, key)
	}
	return nil
}

// FirstEvent records an Events API delivery and reports whether it is new.
func (s *MemStore) FirstEvent(_ context.Context, eventID, _, _ string, _ time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := !s.events[eventID]
	s.events[eventID] = true
	return first, nil
}

// UnmarkEvent forgets a delivery whose handling failed.
func (s *MemStore) UnmarkEvent(_ context.Context, eventID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.events, eventID)
	return nil
}

// Uninstall records that a workspace uninstalled the app.
func (s *MemStore) Uninstall(_ context.Context, teamID, reason string, _, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone[teamID] = reason
	return nil
}

// Uninstalled reports whether a team uninstalled the app, and why.
func (s *MemStore) Uninstalled(teamID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.gone[teamID]
	return r, ok
}

// Events returns how many events the logs hold, in all teams: the measure
// of "nothing changed".
func (s *MemStore) Events() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, md := range s.deals {
		n += len(md.log)
	}
	return n
}

// What MemStore does not keep.

// Report fails with ErrNotKept.
func (s *MemStore) Report(context.Context, string, time.Time, time.Time) (coach.Report, error) {
	return coach.Report{}, ErrNotKept
}

// ReportFor fails with ErrNotKept.
func (s *MemStore) ReportFor(context.Context, string, string, time.Time, time.Time) (coach.Report, error) {
	return coach.Report{}, ErrNotKept
}

// DigestReport fails with ErrNotKept.
func (s *MemStore) DigestReport(context.Context, string, time.Time, time.Time) (coach.Report, error) {
	return coach.Report{}, ErrNotKept
}

// ForecastTeam fails with ErrNotKept.
func (s *MemStore) ForecastTeam(context.Context, string, time.Time) (forecast.Team, error) {
	return forecast.Team{}, ErrNotKept
}

// History fails with ErrNotKept.
func (s *MemStore) History(context.Context, string, string) ([]coach.HistoryRow, error) {
	return nil, ErrNotKept
}

// SaveDigest subscribes a channel to the weekly digest, or changes the
// schedule, language and subscriber of its subscription (keeping its names
// setting) and switches it back on, as db's: the channel is to be checked
// again.
func (s *MemStore) SaveDigest(_ context.Context, sub coach.DigestSub) (coach.DigestSub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.digest(sub.TeamID, sub.ChannelID)
	if old == nil {
		s.lastSub++
		old = &coach.DigestSub{ID: s.lastSub, TeamID: sub.TeamID, ChannelID: sub.ChannelID, Names: sub.Names}
		s.subs = append(s.subs, old)
	}
	old.Schedule, old.Lang, old.CreatedBy, old.Since = sub.Schedule, sub.Lang, sub.CreatedBy, sub.Since
	old.Active, old.Channel, old.CheckedAt = true, coach.ChannelUnchecked, time.Time{}
	return *old, nil
}

// digest returns a channel's subscription, active or not; s.mu is held.
func (s *MemStore) digest(teamID, channelID string) *coach.DigestSub {
	for _, sub := range s.subs {
		if sub.TeamID == teamID && sub.ChannelID == channelID {
			return sub
		}
	}
	return nil
}

// DigestIn returns the active subscription of a channel, or
// coach.ErrNoDigest.
func (s *MemStore) DigestIn(_ context.Context, teamID, channelID string) (coach.DigestSub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sub := s.digest(teamID, channelID); sub != nil && sub.Active {
		return *sub, nil
	}
	return coach.DigestSub{}, coach.ErrNoDigest
}

// TeamDigests returns the team's active subscriptions, by channel.
func (s *MemStore) TeamDigests(_ context.Context, teamID string) ([]coach.DigestSub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []coach.DigestSub
	for _, sub := range s.subs {
		if sub.TeamID == teamID && sub.Active {
			out = append(out, *sub)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ChannelID < out[j].ChannelID })
	return out, nil
}

// ActiveDigests fails with ErrNotKept.
func (s *MemStore) ActiveDigests(context.Context) ([]coach.DigestSub, error) {
	return nil, ErrNotKept
}

// StopDigest switches off a channel's digest and returns it, or
// coach.ErrNoDigest when there is none.
func (s *MemStore) StopDigest(_ context.Context, teamID, channelID string) (coach.DigestSub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.digest(teamID, channelID)
	if sub == nil || !sub.Active {
		return coach.DigestSub{}, coach.ErrNoDigest
	}
	sub.Active = false
	return *sub, nil
}

// SetDigestNames shows or hides deal names in a channel's digest, or
// returns coach.ErrNoDigest when there is none.
func (s *MemStore) SetDigestNames(_ context.Context, teamID, channelID string, on bool) (coach.DigestSub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.digest(teamID, channelID)
	if sub == nil || !sub.Active {
		return coach.DigestSub{}, coach.ErrNoDigest
	}
	sub.Names = on
	return *sub, nil
}

// SetDigestChannel fails with ErrNotKept.
func (s *MemStore) SetDigestChannel(context.Context, int64, coach.ChannelState, time.Time) (coach.ChannelState, error) {
	return "", ErrNotKept
}

// ClaimDigest fails with ErrNotKept.
func (s *MemStore) ClaimDigest(context.Context, coach.DigestClaim) (coach.DigestClaim, bool, error) {
	return coach.DigestClaim{}, false, ErrNotKept
}

// FinishDigest fails with ErrNotKept.
func (s *MemStore) FinishDigest(context.Context, coach.DigestClaim, coach.DigestOutcome) (bool, error) {
	return false, ErrNotKept
}

// NudgeReps fails with ErrNotKept.
func (s *MemStore) NudgeReps(context.Context, time.Time) ([]coach.NudgeRep, error) {
	return nil, ErrNotKept
}

// ClaimNudge fails with ErrNotKept.
func (s *MemStore) ClaimNudge(context.Context, string, string, string, int, time.Time) (bool, error) {
	return false, ErrNotKept
}

// NudgeSent fails with ErrNotKept.
func (s *MemStore) NudgeSent(context.Context, string, string, string, time.Time) error {
	return ErrNotKept
}

// ReleaseNudge fails with ErrNotKept.
func (s *MemStore) ReleaseNudge(context.Context, string, string, string) error {
	return ErrNotKept
}
