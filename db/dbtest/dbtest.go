// Package dbtest gives each test a fresh, migrated PostgreSQL database.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/lib/pq"

	"salescoach/db"
)

// AdminURL returns the server the tests use: TEST_DATABASE_URL, or the local
// PostgreSQL.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// URL creates an empty database for the test, dropped when it ends, and
// returns its URL. It fails the test, loudly, when PostgreSQL cannot be
// reached: database tests never skip.
func URL(tb testing.TB) string {
	tb.Helper()
	admin, err := sql.Open("postgres", AdminURL())
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		tb.Fatalf("dbtest: PostgreSQL is not reachable at %s (run `make test`, which starts it, or set TEST_DATABASE_URL): %v", db.Redact(AdminURL()), err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "salescoach_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		tb.Fatalf("dbtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			tb.Logf("dbtest: drop database %s: %v", name, err)
		}
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

// New returns a store on a fresh, migrated database for the test.
func New(tb testing.TB) *db.DB {
	tb.Helper()
	ctx := context.Background()
	s, err := db.Open(ctx, URL(tb), db.Options{MaxOpen: 8})
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx, nil); err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	return s
}
