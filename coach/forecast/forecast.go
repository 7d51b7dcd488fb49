// Package forecast says which open deals a team will win in the next days,
// learned from the team's own history: for every deal open at a time, the
// chance it is won within the window and when, and for the team the expected
// number of wins and won amount with an 80 % interval. It also replays the
// history to score itself (Backtest). It does no I/O; time is passed in. The
// method is written down in docs/FORECAST.md.
package forecast

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"salescoach/coach"
)

// Entry is one live stage entry of a deal: an open stage, won or lost.
type Entry struct {
	Stage coach.Stage
	At    time.Time
}

// Due is one live change of a deal's expected close date.
type Due struct {
	At   time.Time
	Date time.Time // the day, midnight UTC; zero when the date was cleared
}

// Deal is a deal's history as the forecast reads it. Only what happened
// before the time of a forecast is looked at.
type Deal struct {
	Number     int
	ExternalID string
	Name       string
	Owner      string
	Amount     coach.Money
	HasAmount  bool
	Entries    []Entry // oldest first
	Dues       []Due   // oldest first
}

// Team is the history a forecast learns from.
type Team struct {
	ID       string
	Currency string // the reporting currency
	Deals    []Deal
}

// Thresholds and constants of the method (docs/FORECAST.md).
const (
	// MinDeals and MinWins: the past situations a forecast learns from must
	// cover at least MinDeals deals, MinWins of them won within the window;
	// below, it says there is too little history.
	MinDeals = 20
	MinWins  = 5
	// DefaultDays is the window unless one is asked for; MaxDays the
	// longest window that may be asked for: a year.
	DefaultDays = 30
	MaxDays     = 366
	// Shrink is the weight, in past situations, of the wider group a small
	// group's rate is pulled toward: a group of Shrink situations is
	// trusted half.
	Shrink = 8.0
	// SnapshotEvery is how often the past is looked at to collect situations.
	SnapshotEvery = 7 * 24 * time.Hour
	// Draws is how many simulated outcomes the intervals rest on;
	// BacktestDraws the same for the past forecasts a backtest scores.
	Draws         = 4000
	BacktestDraws = 1000
	// closeDateGain is how much lower, relatively, the Brier score with the
	// close date must be in the check of recent months before it is used.
	closeDateGain = 0.02
	// closeDateMonths is how many recent month starts that check replays.
	closeDateMonths = 3
)

// ageBounds split the time in a stage into groups, in days.
var ageBounds = []float64{7, 14, 30, 60}

func ageGroup(days float64) int {
	return sort.SearchFloat64s(ageBounds, math.Nextafter(days, math.Inf(1)))
}

// Close-date situations of an open deal at a time, relative to the window.
const (
	dueNone   = iota // no close date
	dueOver          // the date has passed
	dueInside        // the date falls in the window
	dueLater         // after the window
)

// state is where a deal stood at a time.
type state struct {
	open  bool
	stage coach.Stage
	since time.Time
	due   int
	date  time.Time // the close date, zero when none
}

func (d *Deal) stateAt(t time.Time, days int) state {
	var s state
	for _, e := range d.Entries {
		if !e.At.Before(t) {
			break
		}
		s.open, s.since = e.Stage.IsOpen(), e.At
		if s.open {
			s.stage = e.Stage
		}
	}
	for _, u := range d.Dues {
		if !u.At.Before(t) {
			break
		}
		s.date = u.Date
	}
	today := coach.DayOf(t.UTC())
	switch {
	case s.date.IsZero():
		s.due = dueNone
	case s.date.Before(today):
		s.due = dueOver
	case s.date.Before(today.AddDate(0, 0, days)):
		s.due = dueInside
	default:
		s.due = dueLater
	}
	return s
}

// wonIn returns when the deal was first won in [from, to), and whether it was.
func (d *Deal) wonIn(from, to time.Time) (time.Time, bool) {
	for _, e := range d.Entries {
		if e.Stage == coach.Won && !e.At.Before(from) && e.At.Before(to) {
			return e.At, true
		}
	}
	return time.Time{}, false
}

// tally is a group of past situations: how many, how many were won within
// the window, and how long those wins took.
type tally struct {
	median  *float64 // of winDays, once worked out
	n, won  int
	deals   int // distinct deals among the situations
	last    int // the deal counted last, + 1
	winDays []float64
}

func (t *tally) add(deal int, won bool, days float64) {
	if t.last != deal+1 {
		t.deals, t.last = t.deals+1, deal+1
	}
	t.n++
	if won {
		t.won++
		t.winDays = append(t.winDays, days)
	}
}

type cellKey struct {
	stage coach.Stage
	age   int
	due   int // -1 when the close date is not looked at
}

// model is what was learned from the past situations before a time.
type model struct {
	days         int
	useCloseDate bool
	all          tally
	stage        map[coach.Stage]*tally
	cell         map[cellKey]*tally
	deals, wins  int // distinct deals among the situations, and those won within the window
}

// fit collects the situations of the team's deals before at: every
// SnapshotEvery back from at − days (so that the window after each is over
// by at), each deal open then, its stage, time in stage and close date, and
// whether it was won within days.
func fit(team *Team, at time.Time, days int) *model {
	m := &model{days: days, stage: map[coach.Stage]*tally{}, cell: map[cellKey]*tally{}}
	window := time.Duration(days) * 24 * time.Hour
	last := at.Add(-window)
	for i := range team.Deals {
		d := &team.Deals[i]
		if len(d.Entries) == 0 || !d.Entries[0].At.Before(last) {
			continue
		}
		seen, won := false, false
		for t := last; t.After(d.Entries[0].At); t = t.Add(-SnapshotEvery) {
			s := d.stateAt(t, days)
			if !s.open {
				continue
			}
			wonAt, ok := d.wonIn(t, t.Add(window))
			w := coach.Days(wonAt.Sub(t))
			seen, won = true, won || ok
			m.all.add(i, ok, w)
			st := m.stage[s.stage]
			if st == nil {
				st = &tally{}
				m.stage[s.stage] = st
			}
			st.add(i, ok, w)
			age := ageGroup(coach.Days(t.Sub(s.since)))
			for _, k := range []cellKey{{s.stage, age, -1}, {s.stage, -1, s.due}} {
				c := m.cell[k]
				if c == nil {
					c = &tally{}
					m.cell[k] = c
				}
				c.add(i, ok, w)
			}
		}
		if seen {
			m.deals++
		}
		if won {
			m.wins++
		}
	}
	return m
}

func (m *model) enough() bool { return m.deals >= MinDeals && m.wins >= MinWins }

// base is the share of all past situations won within the window: the best
// constant forecast.
func (m *model) base() float64 {
	if m.all.n == 0 {
		return 0
	}
	return float64(m.all.won) / float64(m.all.n)
}

func shrunk(t *tally, prior float64) float64 {
	if t == nil {
		return prior
	}
	return (float64(t.won) + Shrink*prior) / (float64(t.n) + Shrink)
}

// p returns the chance a deal in situation s at the forecast's time is won
// within the window: the rate of its group (stage × time in stage, and close
// date when used), pulled toward its stage's rate, itself pulled toward the
// team's.
func (m *model) p(s state, at time.Time) float64 {
	pStage := shrunk(m.stage[s.stage], m.base())
	age := ageGroup(coach.Days(at.Sub(s.since)))
	p := shrunk(m.cell[cellKey{s.stage, age, -1}], pStage)
	if m.useCloseDate && pStage > 0 {
		// The close date moves the odds as much as it did for the stage.
		p = odds(p) * odds(shrunk(m.cell[cellKey{s.stage, -1, s.due}], pStage)) / odds(pStage)
		p = p / (1 + p)
	}
	return p
}

// winDays returns the median days to a win of the past situations like s
// that were won within the window: its group's when it has at least 5, else
// its stage's, else the team's; false when there is none.
func (m *model) winDays(s state, at time.Time) (float64, bool) {
	age := ageGroup(coach.Days(at.Sub(s.since)))
	for _, t := range []*tally{m.cell[cellKey{s.stage, age, -1}], m.stage[s.stage], &m.all} {
		if t != nil && len(t.winDays) >= 5 {
			return t.medianDays(), true
		}
	}
	if len(m.all.winDays) > 0 {
		return m.all.medianDays(), true
	}
	return 0, false
}

// odds returns p / (1 − p), kept finite.
func odds(p float64) float64 {
	p = min(max(p, 1e-6), 1-1e-6)
	return p / (1 - p)
}

func (t *tally) medianDays() float64 {
	if t.median == nil {
		v := median(t.winDays)
		t.median = &v
	}
	return *t.median
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Interval is an 80 % interval: the 10th and 90th percentiles.
type Interval struct {
	P10 float64 `json:"p10"`
	P90 float64 `json:"p90"`
}

// Contains reports whether x lies in the interval, bounds included.
func (i Interval) Contains(x float64) bool { return x >= i.P10 && x <= i.P90 }

// DealForecast is the forecast of one deal open at the forecast's time.
type DealForecast struct {
	Deal          int         `json:"deal"`
	ExternalID    *string     `json:"external_id"` // the import's deal_id; null for deals made in Slack
	Name          string      `json:"name"`
	Owner         string      `json:"owner"`
	Stage         coach.Stage `json:"stage"`
	PWin          float64     `json:"p_win"`
	ExpectedClose *string     `json:"expected_close"` // 2026-02-12, null when the team has won nothing to learn from
	CloseDate     *string     `json:"close_date"`     // the rep's close date, null when none
	// Amount is the deal's amount in the reporting currency (0 when it has
	// none); Excluded says it is in another currency.
	Amount   float64 `json:"-"`
	Excluded bool    `json:"-"`
	// Money is the deal's amount as stored, in its own currency; nil when
	// it has none.
	Money *coach.Money `json:"-"`
	won   bool         // known to the backtest: won within the window
}

// Forecast is the forecast of a team as of a time: the JSON of SPEC §16.
type Forecast struct {
	TeamID            string         `json:"team_id"`
	At                time.Time      `json:"at"`
	Days              int            `json:"days"`
	Currency          string         `json:"currency"`
	ExpectedWon       float64        `json:"expected_won"`
	WonInterval       Interval       `json:"won_interval"`
	ExpectedWonAmount float64        `json:"expected_won_amount"`
	AmountInterval    Interval       `json:"amount_interval"`
	AmountExcluded    int            `json:"amount_excluded"`
	Deals             []DealForecast `json:"deals"`

	// TooLittle is set when the history is too short to forecast from:
	// the figures above are zero and every p_win is unknown.
	TooLittle bool `json:"-"`
	// UsedCloseDate says whether the reps' close dates were used: only when
	// they improved the forecasts of recent months.
	UsedCloseDate bool `json:"-"`
	// Base is the best constant forecast: the share of past situations won
	// within the window.
	Base float64 `json:"-"`
	// LearnedFrom is the number of past deals the forecast learned from.
	LearnedFrom int `json:"-"`
}

// MarshalJSON writes the object of SPEC §16. With too little history the
// figures and every p_win and expected_close are null, and "note" says why.
func (f Forecast) MarshalJSON() ([]byte, error) {
	type plain Forecast
	if !f.TooLittle {
		return json.Marshal(plain(f))
	}
	type deal struct {
		DealForecast
		PWin          *float64 `json:"p_win"`
		ExpectedClose *string  `json:"expected_close"`
	}
	deals := make([]deal, len(f.Deals))
	for i, d := range f.Deals {
		deals[i] = deal{DealForecast: d}
	}
	return json.Marshal(struct {
		TeamID            string    `json:"team_id"`
		At                time.Time `json:"at"`
		Days              int       `json:"days"`
		Currency          string    `json:"currency"`
		ExpectedWon       *float64  `json:"expected_won"`
		WonInterval       *Interval `json:"won_interval"`
		ExpectedWonAmount *float64  `json:"expected_won_amount"`
		AmountInterval    *Interval `json:"amount_interval"`
		AmountExcluded    int       `json:"amount_excluded"`
		Deals             []deal    `json:"deals"`
		Note              string    `json:"note"`
	}{TeamID: f.TeamID, At: f.At, Days: f.Days, Currency: f.Currency, AmountExcluded: f.AmountExcluded, Deals: deals,
		Note: "too little history to forecast"})
}

// Make forecasts the team's deals open at at for the next days days, from
// what happened before at alone. days must be positive.
func Make(team Team, at time.Time, days int) Forecast {
	useDue := closeDateHelps(&team, at, days)
	return make1(&team, at, days, useDue, Draws)
}

// makeScored is Make with fewer simulated outcomes, for scoring past
// forecasts: how often the interval holds needs less precision than the
// interval itself.
func makeScored(team Team, at time.Time, days int) Forecast {
	return make1(&team, at, days, closeDateHelps(&team, at, days), BacktestDraws)
}

// make1 forecasts with or without the close dates; the team's intervals
// only when intervals is set.
func make1(team *Team, at time.Time, days int, useDue bool, draws int) Forecast {
	at = at.UTC()
	f := Forecast{TeamID: team.ID, At: at, Days: days, Currency: team.Currency, Deals: []DealForecast{}}
	m := fit(team, at, days)
	m.useCloseDate = useDue
	f.TooLittle, f.UsedCloseDate, f.Base, f.LearnedFrom = !m.enough(), useDue, m.base(), m.deals
	window := time.Duration(days) * 24 * time.Hour
	var sims []sim
	for i := range team.Deals {
		d := &team.Deals[i]
		s := d.stateAt(at, days)
		if !s.open {
			continue
		}
		df := DealForecast{Deal: d.Number, Name: d.Name, Owner: d.Owner, Stage: s.stage}
		if d.ExternalID != "" {
			id := d.ExternalID
			df.ExternalID = &id
		}
		if !s.date.IsZero() {
			day := s.date.Format(coach.DayLayout)
			df.CloseDate = &day
		}
		if d.HasAmount {
			m := d.Amount
			df.Money = &m
			if d.Amount.Currency == team.Currency {
				df.Amount = float64(d.Amount.Cents) / 100
			} else {
				df.Excluded = true
				f.AmountExcluded++
			}
		}
		_, df.won = d.wonIn(at, at.Add(window))
		if !f.TooLittle {
			df.PWin = math.Round(m.p(s, at)*1e4) / 1e4
			if w, ok := m.winDays(s, at); ok {
				day := coach.DayOf(at.Add(time.Duration(w * 24 * float64(time.Hour)))).Format(coach.DayLayout)
				df.ExpectedClose = &day
			}
			key, n := m.group(s, at)
			sims = append(sims, sim{p: df.PWin, amount: df.Amount, group: key, n: n})
		}
		f.Deals = append(f.Deals, df)
	}
	slices.SortStableFunc(f.Deals, func(a, b DealForecast) int {
		if a.PWin != b.PWin {
			if a.PWin > b.PWin {
				return -1
			}
			return 1
		}
		return a.Deal - b.Deal
	})
	if f.TooLittle || draws == 0 {
		return f
	}
	for _, x := range sims {
		f.ExpectedWon += x.p
		f.ExpectedWonAmount += x.p * x.amount
	}
	f.ExpectedWon = math.Round(f.ExpectedWon*100) / 100
	f.ExpectedWonAmount = math.Round(f.ExpectedWonAmount*100) / 100
	f.WonInterval, f.AmountInterval = intervals(sims, seed(team.ID, at, days), draws)
	return f
}

// closeDateHelps replays the last closeDateMonths month starts before at
// whose windows are over by at, forecasting each with and without the close
// dates, and says whether the close dates lowered the Brier score.
func closeDateHelps(team *Team, at time.Time, days int) bool {
	dated := 0
	for i := range team.Deals {
		if d := &team.Deals[i]; len(d.Dues) > 0 && d.Dues[0].At.Before(at) {
			dated++
		}
	}
	if dated < 10 {
		return false // too few dates to tell: not worth replaying
	}
	var with, without float64
	n := 0
	dated = 0
	past := team.before(at) // outcomes up to at are known at at, no later
	window := time.Duration(days) * 24 * time.Hour
	for _, ms := range monthStarts(at, days, closeDateMonths) {
		m := fit(past, ms, days)
		if !m.enough() {
			continue
		}
		for i := range past.Deals {
			d := &past.Deals[i]
			s := d.stateAt(ms, days)
			if !s.open {
				continue
			}
			_, won := d.wonIn(ms, ms.Add(window))
			y := b2f(won)
			m.useCloseDate = false
			without += sq(m.p(s, ms) - y)
			m.useCloseDate = true
			with += sq(m.p(s, ms) - y)
			if !s.date.IsZero() {
				dated++
			}
			n++
		}
	}
	return n > 0 && dated >= 10 && with < without*(1-closeDateGain)
}

// before returns the team with only what happened before t.
func (t *Team) before(at time.Time) *Team {
	out := &Team{ID: t.ID, Currency: t.Currency, Deals: make([]Deal, 0, len(t.Deals))}
	for _, d := range t.Deals {
		d.Entries = cut(d.Entries, func(e Entry) bool { return e.At.Before(at) })
		d.Dues = cut(d.Dues, func(u Due) bool { return u.At.Before(at) })
		out.Deals = append(out.Deals, d)
	}
	return out
}

func cut[T any](xs []T, keep func(T) bool) []T {
	i := 0
	for i < len(xs) && keep(xs[i]) {
		i++
	}
	return xs[:i:i]
}

// monthStarts returns up to n month starts (midnight UTC on the 1st) before
// now whose window of days is over by now, oldest first.
func monthStarts(now time.Time, days, n int) []time.Time {
	now = now.UTC()
	m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []time.Time
	for ; len(out) < n; m = m.AddDate(0, -1, 0) {
		if m.AddDate(0, 0, days).After(now) {
			continue
		}
		if now.Sub(m) > 20*366*24*time.Hour {
			break
		}
		out = append(out, m)
	}
	slices.Reverse(out)
	return out
}

func sq(x float64) float64 { return x * x }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// sim is what the simulation of a team's outcomes knows of an open deal:
// its chance, its amount (0 when none or in another currency), and the
// group its chance was learned from with that group's weight in situations.
type sim struct {
	p, amount float64
	group     cellKey
	n         float64
}

// group returns the finest group a deal's chance rests on and its weight:
// the distinct past deals among its situations (a deal's weekly situations
// are not independent of each other) plus the Shrink of the wider group.
func (m *model) group(s state, at time.Time) (cellKey, float64) {
	k := cellKey{s.stage, ageGroup(coach.Days(at.Sub(s.since))), -1}
	n := Shrink
	if c := m.cell[k]; c != nil {
		n += float64(c.deals)
	}
	return k, n
}

// intervals returns the 80 % intervals of the number of wins and the won
// amount over Draws simulated outcomes. Each draw first takes each group's
// chance from its uncertainty — a chance learned from n situations is off by
// about sqrt(p(1−p)/(n+1)), the spread of its Beta posterior, and the
// deals of a group are off together — then wins each deal with its
// chance, independently. The same seed gives the same intervals.
func intervals(sims []sim, seed uint64, draws int) (Interval, Interval) {
	rnd := rand.New(rand.NewPCG(seed, 16))
	wins, sums := make([]float64, draws), make([]float64, draws)
	index := map[cellKey]int{}
	group, sd := make([]int, len(sims)), make([]float64, len(sims))
	for j, x := range sims {
		g, ok := index[x.group]
		if !ok {
			g = len(index)
			index[x.group] = g
		}
		group[j], sd[j] = g, math.Sqrt(x.p*(1-x.p)/(x.n+1))
	}
	shift := make([]float64, len(index))
	for i := range draws {
		for g := range shift {
			shift[g] = rnd.NormFloat64()
		}
		for j, x := range sims {
			p := x.p + shift[group[j]]*sd[j]
			if rnd.Float64() < p {
				wins[i]++
				sums[i] += x.amount
			}
		}
	}
	return percentiles(wins), percentiles(sums)
}

// percentiles returns the 10th and 90th percentiles of xs, sorting it.
func percentiles(xs []float64) Interval {
	slices.Sort(xs)
	return Interval{P10: xs[len(xs)/10-1], P90: xs[len(xs)*9/10-1]}
}

func seed(team string, at time.Time, days int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(team))
	h.Write([]byte(at.UTC().Format(time.RFC3339)))
	return h.Sum64() ^ uint64(days)
}
