package db

import (
	"context"
	"database/sql"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salescoach/coach"
)

// importDeal is one deal of an import: the deal as the team has it (ID 0 for
// a new one), its log, and the events the import appends to it.
type importDeal struct {
	externalID string
	base       coach.Deal
	log        []coach.Event
	rows       []coach.HistoryRow
	added      []coach.Event
}

// Import adds a stage history (§8) to the team in one transaction, creating
// the team when it is new. A deal is known by its external id (deal_id); a
// deal exported from Slack as SC-<number> is the team's deal of that number.
// A deal's first row creates it, numbered like a deal added in Slack; later
// rows append moves, outcomes and reopenings, each by the deal's owner. Rows
// the team already has (same deal, stage and time) are skipped, so importing
// a file twice changes nothing, and a file with later rows for a known deal
// appends them. The name, owner, amount and currency of a deal's last row
// win. Any bad row — one that breaks the format's rules against the deal's
// recorded history, too — fails the whole import with a *coach.ImportError
// listing every bad row, and nothing is imported.
func (s *DB) Import(ctx context.Context, teamID string, h coach.History, now time.Time) (coach.ImportResult, error) {
	i := 0
	next := func() (coach.HistoryRow, bool) {
		if i == len(h.Rows) {
			return coach.HistoryRow{}, false
		}
		i++
		return h.Rows[i-1], true
	}
	res, err := s.importRows(ctx, teamID, next, nil, h.Notes, now)
	res.Rows = len(h.Rows)
	return res, err
}

// ImportCSV is Import of a stage-history file, read row by row: the rows go
// to a temporary table as they are read and come back a batch of deals at a
// time, so memory stays flat however large the file. Every bad row is
// reported, the file's own problems (a bad field, a row out of order) as
// well as rows that do not fit the deals' recorded history; then nothing is
// imported.
func (s *DB) ImportCSV(ctx context.Context, teamID string, r io.Reader, now time.Time) (coach.ImportResult, error) {
	hr := coach.NewHistoryReader(r)
	res, err := s.importRows(ctx, teamID, hr.Next, hr.Errors, nil, now)
	res.Rows = hr.Rows()
	return res, err
}

// importBatch is how many staged rows an import reads back at a time.
const importBatch = 4000

// stagedRow is a row of the import's temporary table.
type stagedRow struct {
	Line     int           `db:"line"`
	DealID   string        `db:"deal"`
	Name     string        `db:"name"`
	Owner    string        `db:"owner"`
	Amount   sql.NullInt64 `db:"amount"`
	Currency string        `db:"currency"`
	Stage    string        `db:"stage"`
	At       time.Time     `db:"at"`
	Reason   string        `db:"reason"`
	Body     string        `db:"body"`
}

func (r stagedRow) row() coach.HistoryRow {
	return coach.HistoryRow{Line: r.Line, DealID: r.DealID, Name: r.Name, Owner: r.Owner,
		Amount: coach.Money{Cents: r.Amount.Int64, Currency: r.Currency}, HasAmount: r.Amount.Valid,
		Stage: coach.Stage(r.Stage), At: r.At.UTC(), Reason: coach.LostReason(r.Reason), Text: r.Body}
}

// importRows is the import: it stages the rows next gives in a temporary
// table (COPY), then reads them back deal by deal in order of first
// appearance, checks each deal's rows against each other and against its
// recorded history, and writes a batch of deals at a time. parseErrs, when
// not nil, returns the rows the reader refused; with any of them, the rest
// is still checked but nothing is written.
func (s *DB) importRows(ctx context.Context, teamID string, next func() (coach.HistoryRow, bool),
	parseErrs func() []coach.RowError, notes []coach.HistoryNote, now time.Time) (coach.ImportResult, error) {
	var res coach.ImportResult
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		// The team row's lock makes concurrent imports of one team take turns.
		if _, err := tx.ExecContext(ctx, `INSERT INTO teams (id) VALUES ($1) ON CONFLICT DO NOTHING`, teamID); err != nil {
			return translate(err)
		}
		var currency string
		if err := tx.GetContext(ctx, &currency, `SELECT currency FROM teams WHERE id = $1 FOR UPDATE`, teamID); err != nil {
			return translate(err)
		}
		// The per-rep deal counts (deal_counts) are made again once, at the
		// end, instead of on each of the import's writes.
		if _, err := tx.ExecContext(ctx, `SET LOCAL salescoach.deal_counts = 'later'`); err != nil {
			return translate(err)
		}
		if err := stageRows(ctx, tx, next); err != nil {
			return err
		}
		var bad []coach.RowError
		if parseErrs != nil {
			bad = append(bad, parseErrs()...)
		}
		im := &importer{s: s, tx: tx, teamID: teamID, currency: currency, now: now, res: &res,
			checkOnly: len(bad) > 0, bad: bad, notes: map[string][]coach.HistoryNote{}}
		var noteOrder []string
		for _, n := range notes {
			if _, ok := im.notes[n.DealID]; !ok {
				noteOrder = append(noteOrder, n.DealID)
			}
			im.notes[n.DealID] = append(im.notes[n.DealID], n)
		}

		const cursor = `
DECLARE import_rows_cur NO SCROLL CURSOR FOR
SELECT line, deal, name, owner, amount, currency, stage, at, reason, body
FROM (SELECT *, min(ord) OVER (PARTITION BY deal) AS first FROM import_rows) r
ORDER BY first, ord`
		if _, err := tx.ExecContext(ctx, cursor); err != nil {
			return translate(err)
		}
		var pending []stagedRow // the last deal of a batch, whose rows may go on
		for {
			var got []stagedRow
			if err := tx.SelectContext(ctx, &got, `FETCH `+strconv.Itoa(importBatch)+` FROM import_rows_cur`); err != nil {
				return translate(err)
			}
			rows := append(pending, got...)
			pending = nil
			end := len(got) < importBatch
			if !end {
				cut := len(rows)
				for cut > 0 && rows[cut-1].DealID == rows[len(rows)-1].DealID {
					cut--
				}
				rows, pending = rows[:cut], slices.Clone(rows[cut:])
			}
			if err := im.batch(ctx, rows); err != nil {
				return err
			}
			if end {
				break
			}
		}
		// Notes on deals the file has no rows for.
		var rest []*importDeal
		for _, id := range noteOrder {
			if _, ok := im.notes[id]; ok {
				rest = append(rest, &importDeal{externalID: id})
			}
		}
		if err := im.deals(ctx, rest); err != nil {
			return err
		}
		if len(im.bad) > 0 {
			slices.SortStableFunc(im.bad, func(a, b coach.RowError) int { return a.Line - b.Line })
			return &coach.ImportError{Rows: im.bad}
		}
		_, err := tx.ExecContext(ctx, `SELECT recount_deals($1)`, teamID)
		return translate(err)
	})
	if err != nil {
		return coach.ImportResult{}, err
	}
	return res, nil
}

// stageRows copies the rows into the transaction's temporary table.
func stageRows(ctx context.Context, tx *sqlx.Tx, next func() (coach.HistoryRow, bool)) error {
	const table = `
CREATE TEMPORARY TABLE import_rows (
    ord int NOT NULL, line int NOT NULL, deal text NOT NULL, name text NOT NULL, owner text NOT NULL, amount bigint,
    currency text NOT NULL, stage text NOT NULL, at timestamptz NOT NULL, reason text NOT NULL, body text NOT NULL
) ON COMMIT DROP`
	if _, err := tx.ExecContext(ctx, table); err != nil {
		return translate(err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("import_rows", "ord", "line", "deal", "name", "owner", "amount", "currency", "stage", "at", "reason", "body"))
	if err != nil {
		return translate(err)
	}
	defer stmt.Close()
	// ord keeps the order rows were given in: rows built in memory carry no
	// line numbers, and a deal's rows must come back oldest first.
	for ord := 0; ; ord++ {
		r, ok := next()
		if !ok {
			break
		}
		var amount any
		if r.HasAmount {
			amount = r.Amount.Cents
		}
		if _, err := stmt.ExecContext(ctx, ord, r.Line, r.DealID, r.Name, r.Owner, amount, r.Amount.Currency, string(r.Stage),
			r.At, string(r.Reason), r.Text); err != nil {
			return translate(err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return translate(err)
	}
	return translate(stmt.Close())
}

// importer carries an import from one batch of deals to the next.
type importer struct {
	s         *DB
	tx        *sqlx.Tx
	teamID    string
	currency  string
	now       time.Time
	res       *coach.ImportResult
	checkOnly bool // a row is bad: check the rest, write nothing
	bad       []coach.RowError
	notes     map[string][]coach.HistoryNote // by deal, until their deal's batch
	seq       coach.HistorySequence
}

// batch checks and writes the deals of rows, whole deals in order of first
// appearance.
func (im *importer) batch(ctx context.Context, rows []stagedRow) error {
	var deals []*importDeal
	for _, r := range rows {
		if len(deals) == 0 || deals[len(deals)-1].externalID != r.DealID {
			deals = append(deals, &importDeal{externalID: r.DealID})
			im.seq.Reset()
		}
		row := r.row()
		if e := im.seq.Check(row); e != nil {
			im.bad = append(im.bad, *e)
			im.checkOnly = true
			continue
		}
		d := deals[len(deals)-1]
		d.rows = append(d.rows, row)
	}
	return im.deals(ctx, deals)
}

// deals checks deals against their recorded history while every row so far
// is good on its own and, while no row at all is bad, writes them.
func (im *importer) deals(ctx context.Context, deals []*importDeal) error {
	if len(deals) == 0 || im.checkOnly {
		return nil // a bad row's deal cannot be judged against its history
	}
	if err := im.s.loadDeals(ctx, im.tx, im.teamID, deals); err != nil {
		return err
	}
	for _, d := range deals {
		im.res.AlreadyThere += d.plan(im.currency, im.now, &im.bad)
		for _, n := range im.notes[d.externalID] {
			if d.base.ID == 0 && len(d.rows) == 0 {
				im.bad = append(im.bad, coach.RowError{Err: coach.Fail(coach.EInvalid, "import.note_without_deal",
					coach.Args{"deal": coach.Both(strconv.Quote(n.DealID), n.DealID)})})
				continue
			}
			if d.addNote(n, &im.bad) {
				im.res.AlreadyThere++
			}
		}
		delete(im.notes, d.externalID)
	}
	if len(im.bad) > 0 {
		return nil
	}

	if err := im.s.insertDeals(ctx, im.tx, im.teamID, deals); err != nil {
		return err
	}
	var events []coach.Event
	for _, d := range deals {
		for i := range d.added {
			d.added[i].DealID = d.base.ID
		}
		events = append(events, d.added...)
	}
	if err := insertEvents(ctx, im.tx, im.teamID, events); err != nil {
		return err
	}
	for _, d := range deals {
		if len(d.added) == 0 {
			continue
		}
		if len(d.log) == 0 {
			im.res.NewDeals++
		} else {
			im.res.Updated++
		}
		im.res.Events += len(d.added)
		log := append(slices.Clone(d.log), d.added...)
		slices.SortStableFunc(log, func(a, b coach.Event) int { return a.At.Compare(b.At) })
		if _, err := project(ctx, im.tx, d.base, log); err != nil {
			return err
		}
	}
	return nil
}

// loadDeals loads (and locks) the deals the team already has among deals,
// with their logs.
func (s *DB) loadDeals(ctx context.Context, tx *sqlx.Tx, teamID string, batch []*importDeal) error {
	deals := map[string]*importDeal{}
	var ids []string
	var numbers []int64
	for _, d := range batch {
		deals[d.externalID] = d
		ids = append(ids, d.externalID)
		if n, ok := coach.ExportNumber(d.externalID); ok {
			numbers = append(numbers, int64(n))
		}
	}
	var rows []dealRow
	const q = `
SELECT ` + dealCols + ` FROM deals
WHERE team_id = $1 AND (external_id = ANY($2) OR external_id IS NULL AND number = ANY($3))
ORDER BY id FOR UPDATE`
	if err := tx.SelectContext(ctx, &rows, q, teamID, pq.StringArray(ids), pq.Int64Array(numbers)); err != nil {
		return translate(err)
	}
	var dealIDs []int64
	byID := map[int64]*importDeal{}
	for _, r := range rows {
		key := r.ExternalID.String
		if !r.ExternalID.Valid {
			key = coach.ExportID("", r.Number)
			if other, taken := deals[key]; !taken || other.base.ID != 0 {
				continue // a deal imported as SC-<n> wins over the deal numbered n
			}
		}
		d, ok := deals[key]
		if !ok {
			continue
		}
		d.base = r.deal()
		dealIDs = append(dealIDs, r.ID)
		byID[r.ID] = d
	}
	if len(dealIDs) == 0 {
		return nil
	}
	var evs []eventRow
	if err := tx.SelectContext(ctx, &evs, `SELECT `+eventCols+` FROM events WHERE deal_id = ANY($1) ORDER BY deal_id, at, id`, pq.Int64Array(dealIDs)); err != nil {
		return translate(err)
	}
	for _, r := range evs {
		e, err := r.event()
		if err != nil {
			return err
		}
		byID[r.DealID].log = append(byID[r.DealID].log, e)
	}
	return nil
}

// plan decides the events that bring the deal up to its rows, appending an
// error for every row that does not fit its recorded history, and returns how
// many rows the team already had.
func (d *importDeal) plan(currency string, now time.Time, bad *[]coach.RowError) (already int) {
	if len(d.rows) == 0 {
		return 0
	}
	type key struct {
		stage coach.Stage
		at    int64
	}
	have := map[key]bool{}
	for _, e := range d.log {
		if e.Entry != "" {
			have[key{e.Entry, e.At.UnixMicro()}] = true // reverted entries too: they stay undone
		}
	}
	var last coach.Event
	for _, e := range coach.Live(d.log) {
		if e.Entry != "" {
			last = e
		}
	}
	final := d.rows[len(d.rows)-1]
	if final.Amount.Currency == "" {
		final.Amount.Currency = currency
	}
	for _, r := range d.rows {
		if have[key{r.Stage, r.At.UnixMicro()}] {
			already++
			continue
		}
		if last.Entry != "" && !r.At.After(last.At) {
			*bad = append(*bad, coach.RowError{Line: r.Line, Err: coach.Fail(coach.EInvalid, "import.before_history",
				coach.Args{"deal": d.externalID, "at": last.At.Format(time.RFC3339)})})
			continue
		}
		if err := coach.CheckNextEntry(last.Entry, last.At, r.Stage, r.At); err != nil {
			*bad = append(*bad, coach.RowError{Line: r.Line, Err: err})
			continue
		}
		e := coach.Event{Kind: coach.EntryKind(last.Entry, r.Stage), Entry: r.Stage, Reason: r.Reason, Text: r.Text,
			ActorID: r.Owner, At: r.At}
		if e.Kind == coach.EvCreate {
			e.Fields = rowFields(final)
			d.base.CreatedAt = r.At
		}
		d.added = append(d.added, e)
		last = e
	}
	if len(d.log) > 0 {
		if e, ok := edits(d.base, final, now); ok {
			d.added = append(d.added, e)
		}
	}
	return already
}

// addNote appends a note unless the deal has one at that time already, and
// reports whether it had.
func (d *importDeal) addNote(n coach.HistoryNote, bad *[]coach.RowError) bool {
	at := n.At.UTC().Truncate(time.Microsecond)
	for _, e := range d.log {
		if e.Kind == coach.EvNote && e.At.Equal(at) {
			return true
		}
	}
	text, err := coach.CheckNote(n.Text)
	if err != nil {
		*bad = append(*bad, coach.RowError{Err: err.(*coach.Error)})
		return false
	}
	d.added = append(d.added, coach.Event{Kind: coach.EvNote, Text: text, ActorID: n.Author, At: at})
	return false
}

func rowFields(r coach.HistoryRow) coach.Fields {
	f := coach.Fields{Name: r.Name, Owner: r.Owner, Currency: r.Amount.Currency}
	if r.HasAmount {
		cents := r.Amount.Cents
		f.AmountCents = &cents
	}
	return f
}

// edits returns the event that gives an existing deal the attributes of its
// last row, when they differ: an assign when the owner changes, an edit
// otherwise.
func edits(d coach.Deal, r coach.HistoryRow, now time.Time) (coach.Event, bool) {
	var f coach.Fields
	if r.Name != d.Name {
		f.Name = r.Name
	}
	if r.Owner != d.OwnerID {
		f.Owner = r.Owner
	}
	if r.Amount.Currency != d.Amount.Currency {
		f.Currency = r.Amount.Currency
	}
	switch {
	case r.HasAmount && (!d.HasAmount || r.Amount.Cents != d.Amount.Cents):
		cents := r.Amount.Cents
		f.AmountCents = &cents
	case !r.HasAmount && d.HasAmount:
		f.NoAmount = true
	}
	if f == (coach.Fields{}) {
		return coach.Event{}, false
	}
	prev := coach.Fields{Name: d.Name, Owner: d.OwnerID, Currency: d.Amount.Currency}
	if d.HasAmount {
		cents := d.Amount.Cents
		prev.AmountCents = &cents
	}
	f.Prev = &prev
	kind := coach.EvEdit
	if f.Owner != "" {
		kind = coach.EvAssign
	}
	return coach.Event{Kind: kind, Fields: f, ActorID: r.Owner, At: now.UTC()}, true
}

// insertDeals adds the import's new deals, numbered from the team's sequence
// in order of first appearance.
func (s *DB) insertDeals(ctx context.Context, tx *sqlx.Tx, teamID string, deals []*importDeal) error {
	var fresh []*importDeal
	for _, d := range deals {
		if d.base.ID == 0 && len(d.added) > 0 {
			fresh = append(fresh, d)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	var seq []int
	if err := tx.SelectContext(ctx, &seq, `SELECT next_deal_number($1) FROM generate_series(1, $2) ORDER BY 1`, teamID, len(fresh)); err != nil {
		return translate(err)
	}
	var (
		numbers                                 []int64
		external, names, owners, currencies, at []string
		stages                                  []string
		amounts                                 []sql.NullInt64
	)
	for i, d := range fresh {
		f := d.added[0].Fields
		d.base = coach.Deal{TeamID: teamID, Number: seq[i], ExternalID: d.externalID,
			Name: f.Name, OwnerID: f.Owner, Amount: coach.Money{Currency: f.Currency}, CreatedAt: d.base.CreatedAt}
		stage := d.added[0].Entry
		if !stage.IsOpen() {
			stage = coach.Prospecting // until the projection below
		}
		numbers = append(numbers, int64(d.base.Number))
		external = append(external, d.externalID)
		names = append(names, f.Name)
		owners = append(owners, f.Owner)
		currencies = append(currencies, f.Currency)
		stages = append(stages, string(stage))
		at = append(at, d.base.CreatedAt.Format(time.RFC3339Nano))
		var amount sql.NullInt64
		if f.AmountCents != nil {
			amount = sql.NullInt64{Int64: *f.AmountCents, Valid: true}
		}
		amounts = append(amounts, amount)
	}
	const q = `
INSERT INTO deals (team_id, number, external_id, name, owner_id, amount_cents, currency, stage, stage_since, last_active, created_at)
SELECT $1, n, x, nm, o, a, c, st, t, t, t
FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::timestamptz[]) AS u (n, x, nm, o, a, c, st, t)
RETURNING id, number`
	var ids []struct {
		ID     int64 `db:"id"`
		Number int   `db:"number"`
	}
	err := tx.SelectContext(ctx, &ids, q, teamID, pq.Int64Array(numbers), pq.StringArray(external), pq.StringArray(names),
		pq.StringArray(owners), pq.Array(amounts), pq.StringArray(currencies), pq.StringArray(stages), pq.StringArray(at))
	if err != nil {
		return translate(err)
	}
	byNumber := map[int]int64{}
	for _, r := range ids {
		byNumber[r.Number] = r.ID
	}
	for _, d := range fresh {
		d.base.ID = byNumber[d.base.Number]
	}
	return nil
}

// insertEvents appends events in one statement.
func insertEvents(ctx context.Context, tx *sqlx.Tx, teamID string, events []coach.Event) error {
	if len(events) == 0 {
		return nil
	}
	var (
		dealIDs                          []int64
		kinds, actors, at                []string
		entries, reasons, bodies, fields []sql.NullString
	)
	for _, e := range events {
		f, err := fieldsJSON(e.Fields)
		if err != nil {
			return err
		}
		dealIDs = append(dealIDs, e.DealID)
		kinds = append(kinds, string(e.Kind))
		entries = append(entries, nullString(string(e.Entry)))
		reasons = append(reasons, nullString(string(e.Reason)))
		bodies = append(bodies, nullString(e.Text))
		fields = append(fields, f)
		actors = append(actors, e.ActorID)
		at = append(at, e.At.UTC().Format(time.RFC3339Nano))
	}
	// A new deal's version is its creation event's id from the start (the
	// version trigger skips creations); later events move it on.
	const q = `
WITH ins AS (
	INSERT INTO events (team_id, deal_id, kind, entry, reason, body, fields, actor_id, at)
	SELECT $1, d, k, en, r, b, f, a, t
	FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::timestamptz[]) AS u (d, k, en, r, b, f, a, t)
	RETURNING id, deal_id, kind
)
UPDATE deals SET version = ins.id FROM ins
WHERE ins.kind = 'create' AND deals.id = ins.deal_id AND deals.version < ins.id`
	_, err := tx.ExecContext(ctx, q, teamID, pq.Int64Array(dealIDs), pq.StringArray(kinds), pq.Array(entries),
		pq.Array(reasons), pq.Array(bodies), pq.Array(fields), pq.StringArray(actors), pq.StringArray(at))
	if isUnique(err, "events_entry_once") {
		return coach.Fail(coach.EConflict, "import.changed", nil)
	}
	return translate(err)
}

// History returns the team's stage history in the format of §8, ready for
// export: every live stage entry of every deal that is not archived (only
// owner's deals when owner is not empty), deals by number, entries oldest
// first, each row carrying the deal's current name, owner, amount and
// currency. A deal made in Slack is exported as SC-<number>.
func (s *DB) History(ctx context.Context, teamID, owner string) ([]coach.HistoryRow, error) {
	const q = `
SELECT d.number, coalesce(d.external_id, '') AS external_id, d.name, d.owner_id, d.amount_cents, d.currency,
	e.entry, e.at, coalesce(e.reason, '') AS reason, coalesce(e.body, '') AS body
FROM deals d JOIN events e ON e.deal_id = d.id
WHERE d.team_id = $1 AND NOT d.archived AND ($2 = '' OR d.owner_id = $2)
  AND e.entry IS NOT NULL AND ` + notReverted + `
ORDER BY d.number, e.at, e.id`
	var rows []struct {
		Number     int           `db:"number"`
		ExternalID string        `db:"external_id"`
		Name       string        `db:"name"`
		Owner      string        `db:"owner_id"`
		Amount     sql.NullInt64 `db:"amount_cents"`
		Currency   string        `db:"currency"`
		Entry      string        `db:"entry"`
		At         time.Time     `db:"at"`
		Reason     string        `db:"reason"`
		Body       string        `db:"body"`
	}
	if err := s.db.SelectContext(ctx, &rows, q, teamID, owner); err != nil {
		return nil, translate(err)
	}
	out := make([]coach.HistoryRow, len(rows))
	for i, r := range rows {
		out[i] = coach.HistoryRow{
			DealID: coach.ExportID(r.ExternalID, r.Number), Name: r.Name, Owner: r.Owner,
			Amount: coach.Money{Cents: r.Amount.Int64, Currency: r.Currency}, HasAmount: r.Amount.Valid,
			Stage: coach.Stage(r.Entry), At: r.At.UTC(),
		}
		if out[i].Stage == coach.Lost {
			out[i].Reason, out[i].Text = coach.LostReason(r.Reason), r.Body
		}
	}
	return coach.Exportable(out), nil
}

// CountEvents returns how many events the logs of the team's deals hold,
// archived deals and reverted events included: the measure of "nothing
// changed" for a team.
func (s *DB) CountEvents(ctx context.Context, teamID string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM events WHERE team_id = $1`, teamID)
	return n, translate(err)
}

// CountDeals returns how many deals of the team have an external id that
// starts with prefix (archived ones included).
func (s *DB) CountDeals(ctx context.Context, teamID, prefix string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM deals WHERE team_id = $1 AND starts_with(external_id, $2)`, teamID, prefix)
	return n, translate(err)
}
