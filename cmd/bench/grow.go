package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"salescoach/demo"
)

// grow loads n deals, spread evenly over the bench's clients (each a rep of
// its team), into every system's tables of the bench database: for
// salescoach a year of history per deal (about three stage entries, a note
// on a quarter of the visits), for the floor and the peer the deal and its
// first event, which is all they keep. Then it analyses the tables, as a
// database in use would be. The servers are idle meanwhile.
func grow(ctx context.Context, dbURL string, cs []*client, n int, out io.Writer) error {
	sqldb, err := sql.Open("postgres", dbURL)
	if err != nil {
		return err
	}
	defer sqldb.Close()
	start := time.Now()
	now := time.Now().UTC().Truncate(time.Second)

	// salescoach: per team, its clients' deals.
	var teams []string
	users := map[string][]string{}
	for _, c := range cs {
		if users[c.team] == nil {
			teams = append(teams, c.team)
		}
		users[c.team] = append(users[c.team], c.user)
	}
	l := &loader{db: sqldb, now: now}
	var maxDeal, maxEvent int64
	if err := sqldb.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM deals), (SELECT coalesce(max(id), 0) FROM events)`).Scan(&maxDeal, &maxEvent); err != nil {
		return err
	}
	l.dealID.Store(maxDeal)
	l.nextEv.Store(maxEvent)
	indexes, err := l.prepare(ctx)
	if err != nil {
		return fmt.Errorf("prepare the load: %w", err)
	}
	for i, team := range teams {
		// This team's share of n, the remainder to the first teams.
		count := n / len(cs) * len(users[team])
		for j, u := range cs {
			if j < n%len(cs) && u.team == team {
				count++
			}
		}
		if count == 0 {
			continue
		}
		reps := users[team]
		sh := demo.Shape{Reps: len(reps), Deals: count, Entries: 3 * count, Notes: 1.0 / 4}
		deals := demo.Synthetic(team, sh, now, uint64(5000+i))
		owner := map[string]string{}
		for r, u := range reps {
			owner[demo.RepID(team, r)] = u
		}
		for d := range deals {
			deals[d].ID = fmt.Sprintf("grow-%s", deals[d].ID)
			for k := range deals[d].Rows {
				deals[d].Rows[k].Owner = owner[deals[d].Rows[k].Owner]
			}
			for k := range deals[d].Notes {
				deals[d].Notes[k].Author = owner[deals[d].Notes[k].Author]
			}
		}
		if err := l.addDeals(ctx, team, deals); err != nil {
			return fmt.Errorf("load %s: %w", team, err)
		}
	}
	if err := l.finish(ctx, indexes); err != nil {
		return fmt.Errorf("finish the load: %w", err)
	}

	// The floor and the peer: deal g belongs to client g mod len(cs).
	owner := `format('UBENCH%s', lpad((g % $2)::text, 3, '0'))`
	team := `format('TBENCH%s', lpad((g % $2 % $3)::text, 2, '0'))`
	for _, q := range []string{
		`WITH d AS (INSERT INTO floor_deals (team_id, owner_id, name, amount_cents, stage, created_at)
			SELECT ` + team + `, ` + owner + `, 'Grown deal ' || g, 1200000, 'prospecting', now() - g * interval '1 minute'
			FROM generate_series(1, $1) g RETURNING id)
		INSERT INTO floor_events (deal_id, kind) SELECT id, 'create' FROM d`,
		`WITH d AS (INSERT INTO peer_deals (team_id, owner, name, stage, created_at)
			SELECT ` + team + `, ` + owner + `, 'Grown deal ' || g, 'prospecting', now() - g * interval '1 minute'
			FROM generate_series(1, $1) g RETURNING id)
		INSERT INTO peer_events (deal_id, stage) SELECT id, 'prospecting' FROM d`,
	} {
		if _, err := sqldb.ExecContext(ctx, q, n, len(cs), len(teams)); err != nil {
			if isUndefinedTable(err) {
				continue // that system did not run
			}
			return err
		}
	}
	if _, err := sqldb.ExecContext(ctx, `ANALYZE`); err != nil {
		return err
	}
	fmt.Fprintf(out, "  loaded %d deals over %d teams into each system in %.0f s\n", n, len(teams), time.Since(start).Seconds())
	return nil
}
