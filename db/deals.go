package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salescoach/coach"
)

// dealRow is a row of deals.
type dealRow struct {
	ID          int64          `db:"id"`
	TeamID      string         `db:"team_id"`
	Number      int            `db:"number"`
	ExternalID  sql.NullString `db:"external_id"`
	Name        string         `db:"name"`
	OwnerID     string         `db:"owner_id"`
	AmountCents sql.NullInt64  `db:"amount_cents"`
	Currency    string         `db:"currency"`
	Status      string         `db:"status"`
	Stage       string         `db:"stage"`
	StageSince  time.Time      `db:"stage_since"`
	LastActive  time.Time      `db:"last_active"`
	LostReason  sql.NullString `db:"lost_reason"`
	Archived    bool           `db:"archived"`
	PausedUntil sql.NullTime   `db:"paused_until"`
	PauseReason sql.NullString `db:"pause_reason"`
	CloseDate   sql.NullTime   `db:"close_date"`
	Slips       int            `db:"close_slips"`
	SlipDays    int            `db:"close_slip_days"`
	CreatedAt   time.Time      `db:"created_at"`
	Version     int64          `db:"version"`
}

const dealCols = `id, team_id, number, external_id, name, owner_id, amount_cents, currency, status, stage,
	stage_since, last_active, lost_reason, archived, paused_until, pause_reason, close_date, close_slips,
	close_slip_days, created_at, version`

// fields returns the row's fields in dealCols order, for Scan.
func (r *dealRow) fields() []any {
	return []any{&r.ID, &r.TeamID, &r.Number, &r.ExternalID, &r.Name, &r.OwnerID, &r.AmountCents,
		&r.Currency, &r.Status, &r.Stage, &r.StageSince, &r.LastActive, &r.LostReason, &r.Archived,
		&r.PausedUntil, &r.PauseReason, &r.CloseDate, &r.Slips, &r.SlipDays, &r.CreatedAt, &r.Version}
}

func (r dealRow) deal() coach.Deal {
	return coach.Deal{
		ID: r.ID, TeamID: r.TeamID, Number: r.Number, ExternalID: r.ExternalID.String,
		Name: r.Name, OwnerID: r.OwnerID,
		Amount:    coach.Money{Cents: r.AmountCents.Int64, Currency: r.Currency},
		HasAmount: r.AmountCents.Valid,
		Status:    coach.Status(r.Status), Stage: coach.Stage(r.Stage),
		StageSince: r.StageSince.UTC(), LastActive: r.LastActive.UTC(),
		LostReason: coach.LostReason(r.LostReason.String), Archived: r.Archived,
		PausedUntil: r.PausedUntil.Time.UTC(), PauseReason: r.PauseReason.String,
		CloseDate: closeDate(r.CloseDate), Slips: r.Slips, SlipDays: r.SlipDays,
		CreatedAt: r.CreatedAt.UTC(), Version: r.Version,
	}
}

// closeDate reads a date column as midnight UTC of that day, whatever zone
// the driver put it in.
func closeDate(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	y, m, d := t.Time.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// eventRow is a row of events.
type eventRow struct {
	ID      int64          `db:"id"`
	DealID  int64          `db:"deal_id"`
	Kind    string         `db:"kind"`
	Entry   sql.NullString `db:"entry"`
	Reason  sql.NullString `db:"reason"`
	Body    sql.NullString `db:"body"`
	Fields  []byte         `db:"fields"`
	ActorID string         `db:"actor_id"`
	At      time.Time      `db:"at"`
	TypedAt sql.NullTime   `db:"typed_at"`
	Reverts sql.NullInt64  `db:"reverts"`
}

const eventCols = `id, deal_id, kind, entry, reason, body, fields, actor_id, at, typed_at, reverts`

// notReverted holds for an event e that no revert has cancelled: the live
// log as it stands. Every figure, whatever time it is as of, skips an undone
// change and its undo whenever the undo was typed (§2).
const notReverted = `NOT EXISTS (SELECT 1 FROM events r WHERE r.reverts = e.id)`

func (r eventRow) event() (coach.Event, error) {
	e := coach.Event{
		ID: r.ID, DealID: r.DealID, Kind: coach.EventKind(r.Kind), Entry: coach.Stage(r.Entry.String),
		Reason: coach.LostReason(r.Reason.String), Text: r.Body.String, ActorID: r.ActorID,
		At: r.At.UTC(), Reverts: r.Reverts.Int64,
	}
	if r.TypedAt.Valid {
		e.TypedAt = r.TypedAt.Time.UTC()
	}
	if len(r.Fields) > 0 {
		if err := json.Unmarshal(r.Fields, &e.Fields); err != nil {
			return e, fmt.Errorf("event %d fields: %w", r.ID, err)
		}
	}
	return e, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// fieldsJSON encodes what an event sets for the jsonb column, as text: with
// binary_parameters, lib/pq would send []byte in jsonb's binary format.
func fieldsJSON(f coach.Fields) (sql.NullString, error) {
	if f == (coach.Fields{}) {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(f)
	return sql.NullString{String: string(b), Valid: true}, err
}

// CreateDeal adds a deal to the caller's team with its first stage entry and
// returns it with created true. When the same owner added a deal with the same
// name and amount in the last 30 seconds (a double submit) it returns that
// deal instead, with created false. When the owner already has an open deal
// of that name (a double submit with another amount, or an older deal) it
// adds nothing and returns coach.ErrSameName, unless nd.SameNameOK.
func (s *DB) CreateDeal(ctx context.Context, teamID string, nd coach.NewDeal) (d coach.Deal, created bool, err error) {
	var amount sql.NullInt64
	if nd.HasAmount {
		amount = sql.NullInt64{Int64: nd.Amount.Cents, Valid: true}
	}
	f := coach.Fields{Name: nd.Name, Owner: nd.OwnerID, Currency: nd.Amount.Currency}
	if nd.HasAmount {
		f.AmountCents = &nd.Amount.Cents
	}
	fields, err := fieldsJSON(f)
	if err != nil {
		return d, false, err
	}
	// One statement: a recent twin stops it; otherwise number the deal and
	// insert it with its creation event, and return it as stored.
	var q = `
WITH same_name AS MATERIALIZED (
	-- Found through the team's deals of that name (deals_team_name): the
	-- OFFSET 0 fence keeps the owner out of the index choice, which without
	-- statistics could otherwise fall on the owner's index and read every
	-- deal the owner has. The rows come whole, so the answer needs no
	-- second read of them.
	SELECT * FROM (
		SELECT ` + dealCols + ` FROM deals
		WHERE team_id = $1 AND lower(name) = lower($2) AND NOT archived
		OFFSET 0
	) n
	WHERE owner_id = $3
), twin AS (
	-- The same deal added again within 30 seconds: a double submit (one
	-- that names another amount is not: it is refused below, with how to
	-- change the amount).
	SELECT * FROM same_name
	WHERE created_at > $7::timestamptz - interval '30 seconds'
	  AND ($4::bigint IS NULL OR (amount_cents = $4 AND currency = $5))
	LIMIT 1
), same AS (
	-- Another open deal of the owner's with that name: every later reference
	-- to the name would be ambiguous.
	SELECT * FROM same_name WHERE status = 'open' AND NOT $11 AND NOT EXISTS (SELECT 1 FROM twin)
	ORDER BY created_at DESC LIMIT 1
), deal AS (
	-- The creation event's id is taken first, to be the deal's version from
	-- the start: the version trigger then has nothing to rewrite.
	INSERT INTO deals (team_id, number, name, owner_id, amount_cents, currency, stage, stage_since, last_active, created_at, version)
	SELECT $1, next_deal_number($1), $2, $3, $4, $5, $6, $7, $7, $7, nextval('events_id_seq')
	-- A statement that reaches the server after its caller gave up (a stalled
	-- network) adds nothing: the user was told it may not have been saved.
	WHERE NOT EXISTS (SELECT 1 FROM twin) AND NOT EXISTS (SELECT 1 FROM same) AND clock_timestamp() < $10
	RETURNING *
), ev AS (
	INSERT INTO events (id, team_id, deal_id, kind, entry, fields, actor_id, at, typed_at)
	SELECT deal.version, $1, deal.id, 'create', $6, $8, $9, $7, $7 FROM deal
	RETURNING id, deal_id
)
SELECT ` + dealColsOfDeal + `, 'created' AS outcome FROM deal JOIN ev ON ev.deal_id = deal.id
UNION ALL
SELECT ` + dealCols + `, 'twin' FROM twin
UNION ALL
SELECT ` + dealCols + `, 'same' FROM same`
	var row struct {
		dealRow
		Outcome string `db:"outcome"`
	}
	// The cut-off leaves room for the database's clock to run a little
	// ahead of ours.
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Minute)
	}
	deadline = deadline.Add(10 * time.Second)
	err = s.get(ctx, nil, &row, q, teamID, nd.Name, nd.OwnerID, amount, nd.Amount.Currency,
		string(nd.Stage), nd.At, fields, nd.ActorID, deadline, nd.SameNameOK)
	if errors.Is(err, sql.ErrNoRows) {
		if time.Now().After(deadline) {
			return d, false, translate(context.DeadlineExceeded)
		}
		return d, false, fmt.Errorf("create deal: team %s does not exist", teamID)
	}
	if err != nil {
		return d, false, translate(err)
	}
	if row.Outcome == "same" {
		return d, false, coach.ErrSameName(row.deal(), nd)
	}
	return row.deal(), row.Outcome == "created", nil
}

// dealCols qualified by the alias of CreateDeal's statement, made once.
var dealColsOfDeal = dealColsOf("deal")

// dealColsOf returns dealCols qualified by a table alias.
func dealColsOf(alias string) string {
	cols := strings.Split(dealCols, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// dealByID reads a deal, in tx when not nil; lock takes its row lock.
func (s *DB) dealByID(ctx context.Context, tx *sqlx.Tx, teamID string, id int64, lock bool) (coach.Deal, error) {
	query := `SELECT ` + dealCols + ` FROM deals WHERE team_id = $1 AND id = $2`
	if lock {
		query += ` FOR UPDATE`
	}
	var r dealRow
	err := s.get(ctx, tx, &r, query, teamID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return coach.Deal{}, errNoDeal
	}
	if err != nil {
		return coach.Deal{}, translate(err)
	}
	return r.deal(), nil
}

var errNoDeal = coach.Fail(coach.ENotFound, "deal.gone", nil)

// FindDeals returns the deals the caller may see that a reference could mean:
// the deal numbered ref.Number, or the deals whose name contains ref.Search()
// (case-insensitive). Archived deals are included only when archived is true.
func (s *DB) FindDeals(ctx context.Context, c coach.Caller, ref coach.DealRef, archived bool) ([]coach.DealName, error) {
	const q = `
SELECT id, number, name FROM deals
WHERE team_id = $1 AND ($2 OR owner_id = $3) AND ($4 OR NOT archived)
  AND ((number = $5 AND $5 > 0) OR lower(name) LIKE '%' || lower($6) || '%' ESCAPE '\')
ORDER BY number = $5 DESC, number
LIMIT 200`
	var rows []struct {
		ID     int64  `db:"id"`
		Number int    `db:"number"`
		Name   string `db:"name"`
	}
	if err := s.all(ctx, nil, &rows, q, c.TeamID, c.Manager, c.UserID, archived, ref.Number, escapeLike(ref.Search())); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.DealName, len(rows))
	for i, r := range rows {
		out[i] = coach.DealName{ID: r.ID, Number: r.Number, Name: r.Name}
	}
	return out, nil
}

// maxSuggestNames bounds the names DealNames reads for a suggestion.
const maxSuggestNames = "5000"

// DealNames returns the names of the deals the caller may see that are not
// archived, open deals and the most recent first (at most 5,000): what a
// reference that matched nothing is compared with, for "Did you mean …?"
// (coach.DidYouMean).
func (s *DB) DealNames(ctx context.Context, c coach.Caller) ([]coach.DealName, error) {
	const q = `
SELECT id, number, name FROM deals
WHERE team_id = $1 AND ($2 OR owner_id = $3) AND NOT archived
ORDER BY status = 'open' DESC, last_active DESC
LIMIT ` + maxSuggestNames
	var rows []struct {
		ID     int64  `db:"id"`
		Number int    `db:"number"`
		Name   string `db:"name"`
	}
	if err := s.all(ctx, nil, &rows, q, c.TeamID, c.Manager, c.UserID); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.DealName, len(rows))
	for i, r := range rows {
		out[i] = coach.DealName{ID: r.ID, Number: r.Number, Name: r.Name}
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Deal returns a deal the caller may see with its whole log, oldest first.
func (s *DB) Deal(ctx context.Context, c coach.Caller, id int64) (coach.Deal, []coach.Event, error) {
	d, err := s.dealByID(ctx, nil, c.TeamID, id, false)
	if err != nil {
		return d, nil, err
	}
	if !c.CanSee(d) {
		return coach.Deal{}, nil, errNoDeal
	}
	events, err := s.events(ctx, nil, id)
	return d, events, err
}

func (s *DB) events(ctx context.Context, tx *sqlx.Tx, dealID int64) ([]coach.Event, error) {
	var rows []eventRow
	if err := s.all(ctx, tx, &rows, `SELECT `+eventCols+` FROM events WHERE deal_id = $1 ORDER BY at, id`, dealID); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.Event, len(rows))
	for i, r := range rows {
		e, err := r.event()
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// Change applies one decided change to a deal the caller may see: under the
// deal's row lock it loads the deal and its log, lets decide pick the event,
// appends it and rewrites the deal's projection. Two concurrent changes to one
// deal are serialised, so the second decides on the first's result. It returns
// the deal after the change and the appended event.
func (s *DB) Change(ctx context.Context, c coach.Caller, id int64, decide coach.Decide) (coach.Deal, coach.Event, error) {
	return s.change(ctx, c, id, nil, decide)
}

// guard runs in a change's transaction, under the deal's lock: before the
// decision (ev is zero) and once the event is appended. An error undoes it all.
type guard func(ctx context.Context, tx *sqlx.Tx, d coach.Deal, ev coach.Event) error

func (s *DB) change(ctx context.Context, c coach.Caller, id int64, g guard, decide coach.Decide) (coach.Deal, coach.Event, error) {
	var (
		after coach.Deal
		ev    coach.Event
	)
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		d, err := s.dealByID(ctx, tx, c.TeamID, id, true)
		if err != nil {
			return err
		}
		if !c.CanSee(d) {
			return errNoDeal
		}
		if g != nil {
			if err := g(ctx, tx, d, coach.Event{}); err != nil {
				return err
			}
		}
		log, err := s.events(ctx, tx, id)
		if err != nil {
			return err
		}
		ev, err = decide(d, log)
		if err != nil {
			return err
		}
		ev.DealID = d.ID
		if ev.TypedAt.IsZero() { // not logged late: typed when it happened
			ev.TypedAt = ev.At
		}
		if ev.ID, err = appendEvent(ctx, tx, c.TeamID, ev); err != nil {
			return err
		}
		if g != nil {
			if err := g(ctx, tx, d, ev); err != nil {
				return err
			}
		}
		after, err = project(ctx, tx, d, append(log, ev))
		return err
	})
	return after, ev, err
}

func appendEvent(ctx context.Context, tx *sqlx.Tx, teamID string, e coach.Event) (int64, error) {
	fields, err := fieldsJSON(e.Fields)
	if err != nil {
		return 0, err
	}
	const q = `
INSERT INTO events (team_id, deal_id, kind, entry, reason, body, fields, actor_id, at, typed_at, reverts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING id`
	var id int64
	err = tx.GetContext(ctx, &id, q, teamID, e.DealID, string(e.Kind), nullString(string(e.Entry)),
		nullString(string(e.Reason)), nullString(e.Text), fields, e.ActorID, e.At, e.TypedAt,
		sql.NullInt64{Int64: e.Reverts, Valid: e.Reverts != 0})
	if isUnique(err, "events_reverts_key") {
		return 0, coach.Fail(coach.EConflict, "undo.already", nil)
	}
	if isUnique(err, "events_entry_once") {
		return 0, coach.Fail(coach.EConflict, "entry.already", nil)
	}
	return id, translate(err)
}

// project rewrites a deal's row from its log and returns the new state.
func project(ctx context.Context, tx *sqlx.Tx, base coach.Deal, log []coach.Event) (coach.Deal, error) {
	d := coach.Replay(base, log)
	if d.Name == "" { // a deal whose creation was undone keeps its last name
		d.Name, d.OwnerID, d.Amount.Currency = base.Name, base.OwnerID, base.Amount.Currency
	}
	if d.StageSince.IsZero() {
		d.StageSince, d.LastActive = base.StageSince, base.LastActive
	}
	var amount sql.NullInt64
	if d.HasAmount {
		amount = sql.NullInt64{Int64: d.Amount.Cents, Valid: true}
	}
	var paused sql.NullTime
	if !d.PausedUntil.IsZero() {
		paused = sql.NullTime{Time: d.PausedUntil, Valid: true}
	}
	var due sql.NullString
	if !d.CloseDate.IsZero() {
		due = sql.NullString{String: d.CloseDate.Format(coach.DayLayout), Valid: true}
	}
	const q = `
UPDATE deals SET name = $2, owner_id = $3, amount_cents = $4, currency = $5, status = $6, stage = $7,
	stage_since = $8, last_active = $9, lost_reason = $10, archived = $11, paused_until = $12, pause_reason = $13,
	close_date = $14::date, close_slips = $15, close_slip_days = $16
WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, d.ID, d.Name, d.OwnerID, amount, d.Amount.Currency, string(d.Status),
		string(d.Stage), d.StageSince, d.LastActive, nullString(string(d.LostReason)), d.Archived, paused,
		nullString(d.PauseReason), due, d.Slips, d.SlipDays)
	return d, translate(err)
}

// Undo cancels the caller's most recent change made in the last 24 hours by
// appending a revert event. It returns the deal after the undo and the event
// it cancelled.
func (s *DB) Undo(ctx context.Context, c coach.Caller, now time.Time) (coach.Deal, coach.Event, error) {
	// The deal of the caller's latest change that coach.LastUndoable would
	// take: not an undo itself, nor the add of a deal since archived.
	const q = `
SELECT e.deal_id FROM events e JOIN deals d ON d.id = e.deal_id
WHERE e.team_id = $1 AND e.actor_id = $2 AND e.kind <> 'revert' AND coalesce(e.typed_at, e.at) > $3
  AND NOT (e.kind = 'archive' AND coalesce((e.fields->>'undo')::boolean, false))
  AND NOT (e.kind = 'create' AND d.archived)
  AND ` + notReverted + `
ORDER BY e.id DESC LIMIT 1`
	var dealID int64
	err := s.db.GetContext(ctx, &dealID, q, c.TeamID, c.UserID, now.Add(-24*time.Hour))
	if errors.Is(err, sql.ErrNoRows) {
		return coach.Deal{}, coach.Event{}, coach.Fail(coach.ENotFound, "undo.nothing", nil)
	}
	if err != nil {
		return coach.Deal{}, coach.Event{}, translate(err)
	}
	var undone coach.Event
	d, _, err := s.Change(ctx, c, dealID, func(d coach.Deal, log []coach.Event) (coach.Event, error) {
		// Under the lock, take the caller's latest live change on this deal:
		// the last typed, which a change logged late does not date last.
		var ok bool
		if undone, ok = coach.LastUndoable(c, d, log, now); ok {
			return coach.UndoEvent(c, d, undone, now), nil
		}
		return coach.Event{}, coach.Fail(coach.EConflict, "undo.already", nil)
	})
	return d, undone, err
}

// listScanned runs a prepared query of dealCols and a total, scanning by hand:
// it answers the default /deal list, where sqlx's reflection showed in the
// profile.
func (s *DB) listScanned(ctx context.Context, limit int, query string, args ...any) ([]coach.Deal, int, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, 0, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	var (
		out   = make([]coach.Deal, 0, min(limit, 100)) // a page, not grown
		total int
		r     dealRow
	)
	dest := append(r.fields(), &total)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, translate(err)
		}
		out = append(out, r.deal())
	}
	return out, total, translate(rows.Err())
}

// repTotal reads how many deals the rep $2 of team $1 has of status $3
// (repTotalOpen: open), not counting archived ones, from deal_counts.
const (
	repTotal = `coalesce((SELECT n FROM deal_counts c
	WHERE c.team_id = $1 AND c.owner_id = $2 AND c.status = $3), 0) AS total`
	repTotalOpen = `coalesce((SELECT n FROM deal_counts c
	WHERE c.team_id = $1 AND c.owner_id = $2 AND c.status = 'open'), 0) AS total`
)

// firstPages holds the first-page texts of ListDeals's queries, by query
// and page size (a few sizes, set by the code, never by a user).
var firstPages sync.Map

// firstPage returns query limited to its first limit rows, the number
// written in the text.
func firstPage(query string, limit int) string {
	type key struct {
		query string
		limit int
	}
	k := key{query, limit}
	if q, ok := firstPages.Load(k); ok {
		return q.(string)
	}
	q := query + "\nLIMIT " + strconv.Itoa(limit)
	firstPages.Store(k, q)
	return q
}

// ListDeals returns a page of the team's deals matching f, open deals
// longest in their stage first and closed deals most recent first, with the
// number of deals that matched in all (exact, at any size).
func (s *DB) ListDeals(ctx context.Context, teamID string, f coach.ListFilter) ([]coach.Deal, int, error) {
	if f.Limit <= 0 {
		f.Limit = coach.ListPage
	}
	f.Offset = max(f.Offset, 0)
	if f.Now.IsZero() {
		f.Now = time.Now()
	}
	if f.Owner != "" && len(f.Statuses) == 1 && f.Stage == "" && !f.Stale && !f.Paused {
		// One rep's deals of one status, what /deal list shows by default:
		// read in index order (deals_owner), the total from the rep's
		// counter (deal_counts, kept by triggers) rather than by counting
		// every deal.
		const q = `
SELECT ` + dealCols + `, ` + repTotal + `
FROM deals
WHERE team_id = $1 AND owner_id = $2 AND status = $3 AND NOT archived
ORDER BY CASE WHEN $3 = 'open' THEN stage_since END ASC, stage_since DESC, number`
		const qOpen = `
SELECT ` + dealCols + `, ` + repTotalOpen + `
FROM deals
WHERE team_id = $1 AND owner_id = $2 AND status = 'open' AND NOT archived
ORDER BY stage_since, number`
		query, args := q+"\nLIMIT $4 OFFSET $5", []any{teamID, f.Owner, string(f.Statuses[0]), f.Limit, f.Offset}
		if f.Statuses[0] == coach.StatusOpen {
			query, args = qOpen+"\nLIMIT $3 OFFSET $4", []any{teamID, f.Owner, f.Limit, f.Offset}
		}
		if f.Offset == 0 {
			// The first page, what nearly every list reads, with its size
			// written out: with LIMIT and OFFSET as parameters PostgreSQL
			// planned the statement again on every run (its generic plan
			// looked costlier), which cost more than reading the page.
			query, args = firstPage(q, f.Limit), []any{teamID, f.Owner, string(f.Statuses[0])}
			if f.Statuses[0] == coach.StatusOpen {
				query, args = firstPage(qOpen, f.Limit), []any{teamID, f.Owner}
			}
		}
		deals, total, err := s.listScanned(ctx, f.Limit, query, args...)
		if err == nil && len(deals) == 0 && f.Offset > 0 {
			// Past the last page: the total on its own.
			err = s.db.GetContext(ctx, &total, `SELECT `+repTotal, teamID, f.Owner, string(f.Statuses[0]))
			err = translate(err)
		}
		return deals, total, err
	}
	statuses := make([]string, len(f.Statuses))
	for i, st := range f.Statuses {
		statuses[i] = string(st)
	}
	var stale []int64
	if f.Stale {
		// The stale deals are the report's: the same rule as /coach stats.
		rep, err := s.ReportFor(ctx, teamID, f.Owner, f.Now.Add(-coach.StatsWindowDays*24*time.Hour), f.Now)
		if err != nil {
			return nil, 0, err
		}
		stale = []int64{}
		for _, d := range rep.StaleDeals {
			stale = append(stale, int64(d.Deal))
		}
	}
	const match = `
	SELECT ` + dealCols + ` FROM deals
	WHERE team_id = $1 AND NOT archived AND ($2 = '' OR owner_id = $2)
	  AND (cardinality($3::text[]) = 0 OR status = ANY($3))
	  AND ($4 = '' OR (status = 'open' AND stage = $4))
	  AND (NOT $5 OR paused_until > $6)
	  AND (NOT $7 OR number = ANY($8::bigint[]))`
	const q = `WITH m AS (` + match + `)
SELECT *, (SELECT count(*) FROM m) AS total FROM m
ORDER BY status = 'open' DESC,
	CASE WHEN status = 'open' THEN stage_since END ASC,
	stage_since DESC, number
LIMIT $9 OFFSET $10`
	args := []any{teamID, f.Owner, pq.StringArray(statuses), string(f.Stage), f.Paused, f.Now, f.Stale, pq.Int64Array(stale)}
	var rows []struct {
		dealRow
		Total int `db:"total"`
	}
	if err := s.db.SelectContext(ctx, &rows, q, append(args, f.Limit, f.Offset)...); err != nil {
		return nil, 0, translate(err)
	}
	out := make([]coach.Deal, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.deal(), r.Total
	}
	if len(rows) == 0 && f.Offset > 0 {
		// Past the last page: count on its own.
		if err := s.db.GetContext(ctx, &total, `WITH m AS (`+match+`) SELECT count(*) FROM m`, args...); err != nil {
			return nil, 0, translate(err)
		}
	}
	return out, total, nil
}
