package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/lib/pq"
)

// createDatabase creates an empty database on the server of adminURL and
// returns its URL and a function that drops it.
func createDatabase(ctx context.Context, adminURL, name string) (string, func(), error) {
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return "", nil, err
	}
	if err := admin.PingContext(ctx); err != nil {
		return "", nil, fmt.Errorf("PostgreSQL at %s: %w (make bench starts it; or set BENCH_ADMIN_URL)", adminURL, err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return "", nil, fmt.Errorf("create bench database: %w", err)
	}
	u, _ := url.Parse(adminURL)
	u.Path = "/" + name
	drop := func() {
		admin.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name) + " WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}

// ensureDatabase creates the database name on the server of adminURL unless
// it exists, and returns its URL and a function that drops it.
func ensureDatabase(ctx context.Context, adminURL, name string) (string, func(), error) {
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return "", nil, err
	}
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("PostgreSQL at %s: %w (make bench starts it; or set BENCH_ADMIN_URL)", adminURL, err)
	}
	admin.Close()
	if !exists {
		return createDatabase(ctx, adminURL, name)
	}
	u, _ := url.Parse(adminURL)
	u.Path = "/" + name
	drop := func() {
		if admin, err := sql.Open("postgres", adminURL); err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name) + " WITH (FORCE)")
			admin.Close()
		}
	}
	return u.String(), drop, nil
}

// analyze vacuums the bench database and gathers the planner's statistics,
// before every round: as autovacuum does on a real install within a minute
// or so of many writes, where this shared server runs with autovacuum off. A
// database minutes old, not seconds, for every system alike: index-only
// scans find their pages all-visible, and plans the servers prepared before
// are planned again with the new statistics.
func analyze(ctx context.Context, dbURL string) error {
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("vacuum the bench database: %w", err)
	}
	return nil
}
