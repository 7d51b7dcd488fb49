// Package dbtest gives tests a real, migrated PostgreSQL database: a fresh one
// per test (New), or one per test binary shared by tests that keep to their
// own teams (Shared, with TeamID). Both are cloned from a template database
// migrated once per schema version, which is much faster than migrating each.
//
// The server is TEST_DATABASE_URL's (the local PostgreSQL by default), and
// every database the tests make is named with TEST_DATABASE_PREFIX
// (salescoach_test_ by default), so that several checkouts or projects can
// share a server and their leftovers are easy to find.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"

	"salescoach/db"
	"salescoach/migrations"
)

// AdminURL returns the server the tests use: TEST_DATABASE_URL, or the local
// PostgreSQL.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// DefaultPrefix starts the name of every database the tests make unless
// TEST_DATABASE_PREFIX says otherwise.
const DefaultPrefix = "salescoach_test_"

var validPrefix = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,29}$`)

// Prefix returns TEST_DATABASE_PREFIX, or DefaultPrefix. It must be a
// lower-case SQL name of at most 30 characters, which leaves room for what
// follows it within PostgreSQL's 63.
func Prefix() (string, error) {
	p := os.Getenv("TEST_DATABASE_PREFIX")
	if p == "" {
		return DefaultPrefix, nil
	}
	if !validPrefix.MatchString(p) {
		return "", fmt.Errorf("TEST_DATABASE_PREFIX %q must be lower-case letters, digits and _, at most 30, not starting with a digit, e.g. %s", p, DefaultPrefix)
	}
	return p, nil
}

// URLFor returns the URL of database name on the test server.
func URLFor(name string) string {
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

func admin() (*sql.DB, error) {
	a, err := sql.Open("postgres", AdminURL())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.PingContext(ctx); err != nil {
		a.Close()
		return nil, fmt.Errorf("PostgreSQL is not reachable at %s (run `make test`, which starts it, or set TEST_DATABASE_URL): %w", db.Redact(AdminURL()), err)
	}
	return a, nil
}

// templateName names the migrated template of the current schema.
func templateName(prefix string) string {
	h := sha256.New()
	fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(migrations.FS, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return prefix + "tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]
}

var template = sync.OnceValues(ensureTemplate)

// ensureTemplate builds the migrated template of the current schema unless it
// exists, and returns its name. Templates of other schemas are left alone:
// other checkouts testing against the same server may be using them.
func ensureTemplate() (string, error) {
	prefix, err := Prefix()
	if err != nil {
		return "", err
	}
	a, err := admin()
	if err != nil {
		return "", err
	}
	defer a.Close()
	ctx := context.Background()
	conn, err := a.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// One test binary at a time builds the template.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(72217001)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(72217001)`)
	name := templateName(prefix)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(building)+" WITH (FORCE)")
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(building)); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	s, err := db.Open(ctx, URLFor(building), db.Options{MaxOpen: 2})
	if err != nil {
		return "", err
	}
	err = s.Migrate(ctx, nil)
	s.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+pq.QuoteIdentifier(building)+" RENAME TO "+pq.QuoteIdentifier(name)); err != nil {
		return "", fmt.Errorf("finish template: %w", err)
	}
	return name, nil
}

// newName returns a new database name: the prefix, kind and a random part.
func newName(kind string) (string, error) {
	prefix, err := Prefix()
	if err != nil {
		return "", err
	}
	var b [6]byte
	rand.Read(b[:])
	return prefix + kind + hex.EncodeToString(b[:]), nil
}

// create clones the template into a new database and returns its name.
func create(kind string) (string, error) {
	tmpl, err := template()
	if err != nil {
		return "", err
	}
	name, err := newName(kind)
	if err != nil {
		return "", err
	}
	a, err := admin()
	if err != nil {
		return "", err
	}
	defer a.Close()
	// FILE_COPY is several times faster than WAL_LOG for a small database.
	q := "CREATE DATABASE " + pq.QuoteIdentifier(name) + " TEMPLATE " + pq.QuoteIdentifier(tmpl) + " STRATEGY FILE_COPY"
	for attempt := 0; ; attempt++ {
		_, err = a.Exec(q)
		// Another session copying the same template at this instant makes
		// PostgreSQL refuse ("source database is being accessed"): retry.
		if err != nil && attempt < 20 && strings.Contains(err.Error(), "does not exist") {
			// The template was dropped under us: build it again.
			if _, berr := ensureTemplate(); berr != nil {
				return "", berr
			}
			continue
		}
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return "", fmt.Errorf("create test database: %w", err)
	}
	return name, nil
}

func drop(name string) error {
	a, err := admin()
	if err != nil {
		return err
	}
	defer a.Close()
	_, err = a.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name) + " WITH (FORCE)")
	return err
}

// URL creates a fresh, migrated database for the test, dropped when it ends,
// and returns its URL. It fails the test, loudly, when PostgreSQL cannot be
// reached: database tests never skip.
func URL(tb testing.TB) string {
	tb.Helper()
	name, err := create("")
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	dropAtEnd(tb, name)
	return URLFor(name)
}

// EmptyURL creates a database without any schema for the test, dropped when
// it ends, and returns its URL: for tests of the migrations themselves.
func EmptyURL(tb testing.TB) string {
	tb.Helper()
	name, err := newName("empty_")
	if err == nil {
		var a *sql.DB
		if a, err = admin(); err == nil {
			_, err = a.Exec("CREATE DATABASE " + pq.QuoteIdentifier(name))
			a.Close()
		}
	}
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	dropAtEnd(tb, name)
	return URLFor(name)
}

func dropAtEnd(tb testing.TB, name string) {
	tb.Cleanup(func() {
		if err := drop(name); err != nil {
			tb.Logf("dbtest: drop %s: %v", name, err)
		}
	})
}

// New returns a store on a fresh, migrated database of its own for the test.
func New(tb testing.TB) *db.DB {
	tb.Helper()
	return open(tb, URL(tb))
}

func open(tb testing.TB, dsn string) *db.DB {
	tb.Helper()
	s, err := db.Open(context.Background(), dsn, db.Options{MaxOpen: 8})
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

var shared struct {
	mu   sync.Mutex
	name string
	used bool
}

// Shared returns a store on the database this test binary shares between its
// tests; each test must keep to teams of its own (TeamID). The package's
// TestMain must call Main, which drops the database at the end.
func Shared(tb testing.TB) *db.DB {
	tb.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.used {
		tb.Fatal("dbtest: Shared needs the package's TestMain to call dbtest.Main")
	}
	if shared.name == "" {
		name, err := create("pkg_")
		if err != nil {
			tb.Fatalf("dbtest: %v", err)
		}
		shared.name = name
	}
	return open(tb, URLFor(shared.name))
}

// SharedURL returns the URL of the shared database (see Shared).
func SharedURL(tb testing.TB) string {
	tb.Helper()
	Shared(tb)
	return URLFor(shared.name)
}

// Main runs the package's tests and drops the shared database afterwards:
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
func Main(m *testing.M) {
	shared.used = true
	code := m.Run()
	if shared.name != "" {
		if err := drop(shared.name); err != nil {
			fmt.Fprintln(os.Stderr, "dbtest:", err)
		}
	}
	os.Exit(code)
}

var teams atomic.Int64

// TeamID returns a team id no other test of this run uses.
func TeamID(tb testing.TB) string {
	var b [3]byte
	rand.Read(b[:])
	return fmt.Sprintf("T%s%d", strings.ToUpper(hex.EncodeToString(b[:])), teams.Add(1))
}
