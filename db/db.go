// Package db stores Sales Coach's teams, users, deals and their event log in
// PostgreSQL, through sqlx and lib/pq. Driver errors are translated into coach
// errors here and nowhere else.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"salescoach/migrations"
)

// DefaultURL is the database used when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/salescoach?sslmode=disable"

// DB is the store. It is safe for concurrent use.
type DB struct {
	db *sqlx.DB

	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt // the hot queries, prepared once
}

// Options tune the connection pool.
type Options struct {
	MaxOpen int // default 16
	MaxIdle int // default MaxOpen
}

// Open connects to the database at dsn, creating the database first when it
// does not exist. It returns an error when the server cannot be reached.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	sdb, err := sqlx.Open("postgres", withBinaryParameters(dsn))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if opts.MaxOpen <= 0 {
		opts.MaxOpen = 16
	}
	if opts.MaxIdle <= 0 {
		opts.MaxIdle = opts.MaxOpen
	}
	sdb.SetMaxOpenConns(opts.MaxOpen)
	sdb.SetMaxIdleConns(opts.MaxIdle)
	sdb.SetConnMaxIdleTime(5 * time.Minute)

	err = sdb.PingContext(ctx)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "3D000" { // invalid_catalog_name
		sdb.Close()
		if err := CreateDatabase(ctx, dsn); err != nil {
			return nil, err
		}
		return Open(ctx, dsn, opts)
	}
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connect to %s: %w", Redact(dsn), err)
	}
	return &DB{db: sdb, stmts: map[string]*sqlx.Stmt{}}, nil
}

// withBinaryParameters turns on lib/pq's binary_parameters unless the URL
// says otherwise (a query with arguments then takes one round trip instead of
// two) and bounds how long a transaction may sit idle.
func withBinaryParameters(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if !q.Has("binary_parameters") {
		q.Set("binary_parameters", "yes")
	}
	// A transaction whose client went quiet (a stalled network) is rolled
	// back instead of committing long after the user was answered.
	if !q.Has("idle_in_transaction_session_timeout") {
		q.Set("idle_in_transaction_session_timeout", "10000")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// CreateDatabase creates the database named in dsn, connecting to the server's
// "postgres" database to do it. An existing database is not an error.
func CreateDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("DATABASE_URL must be a postgres:// URL")
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return fmt.Errorf("DATABASE_URL names no database")
	}
	u.Path = "/postgres"
	admin, err := sql.Open("postgres", u.String())
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // duplicate_database
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// Redact returns dsn without its password, for messages: the password of
// the user part and a password= parameter are both masked.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Close closes the pool.
func (s *DB) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.mu.Unlock()
	return s.db.Close()
}

// SQL returns the underlying pool, for metrics and tests.
func (s *DB) SQL() *sql.DB { return s.db.DB }

// Ping returns coach.ErrUnavailable when the database cannot be reached.
func (s *DB) Ping(ctx context.Context) error {
	return translate(s.db.PingContext(ctx))
}

// Migrate applies every migration not yet applied. Several processes may call
// it at once: a PostgreSQL advisory lock lets one run them.
func (s *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, s.db.DB, migrations.FS, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
		}
	}
	return nil
}

// prepared returns query as a prepared statement, prepared on first use. The
// queries on the path of every slash command use it: PostgreSQL then parses
// and plans them once per connection instead of on every call.
func (s *DB) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	s.mu.Lock()
	st, ok := s.stmts[query]
	s.mu.Unlock()
	if ok {
		return st, nil
	}
	// Prepared outside the lock: a slow database must not queue every
	// other query behind this one.
	st, err := s.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, translate(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.stmts[query]; ok {
		st.Close()
		return prev, nil
	}
	s.stmts[query] = st
	return st, nil
}

// get runs a query returning one row into dest: in tx when not nil,
// prepared on the pool otherwise.
func (s *DB) get(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	if tx != nil {
		// Not prepared: preparing on the pool while transactions hold every
		// connection would wait forever.
		return tx.GetContext(ctx, dest, query, args...)
	}
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}

// all runs a query returning rows into dest: in tx when not nil, prepared on
// the pool otherwise.
func (s *DB) all(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	if tx != nil {
		// Not prepared: preparing on the pool while transactions hold every
		// connection would wait forever.
		return tx.SelectContext(ctx, dest, query, args...)
	}
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	return st.SelectContext(ctx, dest, args...)
}

// exec runs a prepared statement returning no rows.
func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return translate(tx.Commit())
}
