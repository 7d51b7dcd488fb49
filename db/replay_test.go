package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salescoach/db"
	"salescoach/db/dbtest"
)

// TestReplayByCase: a signature seen by one replica is a replay on another
// in any case of its hex (and of its v0= prefix).
func TestReplayByCase(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	ctx := context.Background()
	var replicas []*db.DB
	for range 2 {
		s, err := db.Open(ctx, url, db.Options{MaxOpen: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		replicas = append(replicas, s)
	}
	const sig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
	mixed := func(s string) string {
		b := []byte(s)
		for i := range b {
			if i%2 == 0 {
				b[i] = strings.ToUpper(string(b[i]))[0]
			}
		}
		return string(b)
	}
	if first, err := replicas[0].FirstSighting(ctx, sig, t0); err != nil || !first {
		t.Fatalf("first sighting: %v, %v", first, err)
	}
	for i, v := range []string{strings.ToUpper(sig), mixed(sig), "v0=" + strings.ToUpper(sig[3:]), sig} {
		if first, err := replicas[(i+1)%2].FirstSighting(ctx, v, t0); err != nil || first {
			t.Errorf("%s on replica %d: first %v, %v; want a replay", v, (i+1)%2, first, err)
		}
	}
}

// TestOAuthStateOnce: an install state works once across replicas, and an
// expired state's record is forgotten.
func TestOAuthStateOnce(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	ctx := context.Background()
	a, err := db.Open(ctx, url, db.Options{MaxOpen: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := db.Open(ctx, url, db.Options{MaxOpen: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	exp := t0.Add(10 * time.Minute)
	if first, err := a.UseOAuthState(ctx, "nonce-1", exp, t0); err != nil || !first {
		t.Fatalf("first use: %v, %v", first, err)
	}
	if first, err := b.UseOAuthState(ctx, "nonce-1", exp, t0.Add(time.Minute)); err != nil || first {
		t.Errorf("second use on another replica: %v, %v; want refused", first, err)
	}
	if first, err := b.UseOAuthState(ctx, "nonce-2", exp, t0.Add(time.Minute)); err != nil || !first {
		t.Errorf("another state: %v, %v", first, err)
	}
	var n int
	if err := sqlx.NewDb(a.SQL(), "postgres").GetContext(ctx, &n, `SELECT count(*) FROM oauth_states`); err != nil || n != 2 {
		t.Fatalf("%d states kept, %v", n, err)
	}
	if _, err := a.UseOAuthState(ctx, "nonce-3", t0.Add(time.Hour), exp.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := sqlx.NewDb(a.SQL(), "postgres").GetContext(ctx, &n, `SELECT count(*) FROM oauth_states`); err != nil || n != 1 {
		t.Errorf("%d states kept after the first two expired, want 1 (%v)", n, err)
	}
}
