package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"salescoach/coach"
	"salescoach/demo"
)

// The teams of §14: one team of 50 reps, 20,000 deals and 150,000 stage
// entries; and the teams the weekly digest runs for, 2,000 deals each with
// entries in the same proportion.
var (
	bigShape   = demo.Shape{Reps: 50, Deals: 20_000, Entries: 150_000, Notes: 2.0 / 3}
	digestTeam = demo.Shape{Reps: 10, Deals: 2_000, Entries: 15_000, Notes: 1.0 / 4}
)

// loader writes generated teams straight into the tables with COPY: the
// rows an import of the same history writes (the same event kinds, the
// create's fields, the deal's projection by coach.Replay), without the
// import's per-row work. Ids come from counters shared by the loader's
// workers; the sequences are moved past them at the end.
type loader struct {
	db             *sql.DB
	dealID, nextEv atomic.Int64
	now            time.Time
}

// prepare readies a fresh, migrated database for a bulk load: the indexes of
// events that are not constraints are dropped (and returned, to be made
// again once the rows are in), which is much faster than keeping them up to
// date row by row.
func (l *loader) prepare(ctx context.Context) ([]string, error) {
	var defs []struct{ name, def string }
	rows, err := l.db.QueryContext(ctx, `
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename = 'events'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d struct{ name, def string }
		if err := rows.Scan(&d.name, &d.def); err != nil {
			rows.Close()
			return nil, err
		}
		defs = append(defs, d)
	}
	rows.Close()
	var out []string
	for _, d := range defs {
		if _, err := l.db.ExecContext(ctx, "DROP INDEX "+pq.QuoteIdentifier(d.name)); err != nil {
			return nil, err
		}
		out = append(out, d.def)
	}
	return out, nil
}

// finish makes the dropped indexes again, two at a time, moves the id
// sequences past the loaded rows, counts the reps' deals, and vacuums and
// analyses the tables (this server runs no autovacuum), as a database in use
// would be.
func (l *loader) finish(ctx context.Context, indexes []string) error {
	sem := make(chan struct{}, 2)
	errs := make(chan error, len(indexes))
	var wg sync.WaitGroup
	for _, def := range indexes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			conn, err := l.db.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, `SET maintenance_work_mem = '256MB'`); err != nil {
				errs <- err
				return
			}
			if _, err := conn.ExecContext(ctx, def); err != nil {
				errs <- fmt.Errorf("%s: %w", def, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	for _, q := range []string{
		`SELECT setval('deals_id_seq', (SELECT coalesce(max(id), 1) FROM deals))`,
		`SELECT setval('events_id_seq', (SELECT coalesce(max(id), 1) FROM events))`,
		// The load ran without triggers: the reps' deal counts are made
		// again from the deals.
		`SELECT recount_deals(id) FROM teams`,
		`VACUUM ANALYZE teams, users, deals, events`,
	} {
		if _, err := l.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// loadTeam generates a team and writes it in one transaction: the team, its
// reps (as users whose Slack profile was just read, in zone tz), its deals
// and their events, and its deal-number sequence.
func (l *loader) loadTeam(ctx context.Context, team string, sh demo.Shape, to time.Time, seed uint64, tz string) error {
	deals := demo.Synthetic(team, sh, to, seed)
	tx, err := l.bulkTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO teams (id, name) VALUES ($1, $2)`, team, "Bench "+team); err != nil {
		return err
	}
	users, err := tx.PrepareContext(ctx, pq.CopyIn("users", "team_id", "id", "locale", "tz", "fetched_at"))
	if err != nil {
		return err
	}
	for r := range sh.Reps {
		if _, err := users.ExecContext(ctx, team, demo.RepID(team, r), "en-US", tz, l.now); err != nil {
			return err
		}
	}
	if err := closeCopy(ctx, users); err != nil {
		return err
	}
	if err := l.writeDeals(ctx, tx, team, deals, 1); err != nil {
		return err
	}
	// The team's next deal number follows its last, as the import leaves it.
	if _, err := tx.ExecContext(ctx, `SELECT next_deal_number($1)`, team); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `SELECT setval(('deal_numbers_' || md5($1))::regclass, $2)`, team, len(deals)); err != nil {
		return err
	}
	return tx.Commit()
}

// addDeals writes generated deals into a team that exists and is in use,
// numbered after its last deal, in one transaction.
func (l *loader) addDeals(ctx context.Context, team string, deals []demo.SyntheticDeal) error {
	tx, err := l.bulkTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var first int
	if err := tx.QueryRowContext(ctx, `SELECT next_deal_number($1)`, team).Scan(&first); err != nil {
		return err
	}
	if err := l.writeDeals(ctx, tx, team, deals, first); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `SELECT setval(('deal_numbers_' || md5($1))::regclass, $2)`, team, first+len(deals)-1); err != nil {
		return err
	}
	return tx.Commit()
}

// bulkTx begins a bulk load: no foreign-key checks and no per-row triggers
// (the deal's version, which the trigger keeps, is written by writeDeals).
func (l *loader) bulkTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{`SET LOCAL session_replication_role = replica`, `SET LOCAL synchronous_commit = off`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("%s (the bench loads its data as a superuser): %w", q, err)
		}
	}
	return tx, nil
}

// writeDeals writes deals and their events by COPY, the first numbered
// first.
func (l *loader) writeDeals(ctx context.Context, tx *sql.Tx, team string, deals []demo.SyntheticDeal, first int) error {
	type event struct {
		coach.Event
		fields sql.NullString
	}
	type dealOut struct {
		deal   coach.Deal
		events []event
	}
	outs := make([]dealOut, len(deals))
	for i, g := range deals {
		var evs []coach.Event
		var prev coach.Stage
		final := g.Rows[len(g.Rows)-1]
		for _, r := range g.Rows {
			e := coach.Event{Kind: coach.EntryKind(prev, r.Stage), Entry: r.Stage, Reason: r.Reason, ActorID: r.Owner, At: r.At}
			if e.Kind == coach.EvCreate {
				cents := final.Amount.Cents
				e.Fields = coach.Fields{Name: final.Name, Owner: final.Owner, Currency: final.Amount.Currency, AmountCents: &cents}
			}
			evs = append(evs, e)
			prev = r.Stage
		}
		for _, n := range g.Notes {
			evs = append(evs, coach.Event{Kind: coach.EvNote, Text: n.Text, ActorID: n.Author, At: n.At})
		}
		slices.SortStableFunc(evs, func(a, b coach.Event) int { return a.At.Compare(b.At) })
		dealID := l.dealID.Add(1)
		firstEv := l.nextEv.Add(int64(len(evs))) - int64(len(evs)) + 1
		out := dealOut{events: make([]event, len(evs))}
		for j := range evs {
			evs[j].ID, evs[j].DealID = firstEv+int64(j), dealID
			out.events[j].Event = evs[j]
			if evs[j].Kind == coach.EvCreate {
				b, _ := json.Marshal(evs[j].Fields)
				out.events[j].fields = sql.NullString{String: string(b), Valid: true}
			}
		}
		out.deal = coach.Replay(coach.Deal{ID: dealID, TeamID: team, Number: first + i, ExternalID: g.ID, CreatedAt: g.Rows[0].At}, evs)
		outs[i] = out
	}

	dst, err := tx.PrepareContext(ctx, pq.CopyIn("deals", "id", "team_id", "number", "external_id", "name", "owner_id",
		"amount_cents", "currency", "status", "stage", "stage_since", "last_active", "lost_reason", "archived", "created_at", "version"))
	if err != nil {
		return err
	}
	for _, o := range outs {
		d := o.deal
		if _, err := dst.ExecContext(ctx, d.ID, team, d.Number, d.ExternalID, d.Name, d.OwnerID, d.Amount.Cents, d.Amount.Currency,
			string(d.Status), string(d.Stage), d.StageSince, d.LastActive, nullStr(string(d.LostReason)), d.Archived, d.CreatedAt, d.Version); err != nil {
			return err
		}
	}
	if err := closeCopy(ctx, dst); err != nil {
		return err
	}
	est, err := tx.PrepareContext(ctx, pq.CopyIn("events", "id", "team_id", "deal_id", "kind", "entry", "reason", "body", "fields", "actor_id", "at"))
	if err != nil {
		return err
	}
	for _, o := range outs {
		for _, e := range o.events {
			if _, err := est.ExecContext(ctx, e.ID, team, e.DealID, string(e.Kind), nullStr(string(e.Entry)), nullStr(string(e.Reason)),
				nullStr(e.Text), e.fields, e.ActorID, e.At); err != nil {
				return err
			}
		}
	}
	return closeCopy(ctx, est)
}

// closeCopy ends a COPY: the final Exec flushes it.
func closeCopy(ctx context.Context, st *sql.Stmt) error {
	if _, err := st.ExecContext(ctx); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
