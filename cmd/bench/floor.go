package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"io"
	"net/http"
	"time"

	_ "github.com/lib/pq"
	"github.com/slack-go/slack"
)

// The floor: the least work the same commands need, as the physical limit of
// the machine. It verifies the signature; for an add it runs one transaction
// with two INSERTs (the deal and its first event); for a list one indexed
// SELECT … LIMIT 20. Pool of 16 connections, lib/pq.
const floorSchema = `
CREATE TABLE IF NOT EXISTS floor_deals (
	id bigserial PRIMARY KEY, team_id text NOT NULL, owner_id text NOT NULL,
	name text NOT NULL, amount_cents bigint, stage text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS floor_deals_owner ON floor_deals (team_id, owner_id, id DESC);
CREATE TABLE IF NOT EXISTS floor_events (
	id bigserial PRIMARY KEY, deal_id bigint NOT NULL REFERENCES floor_deals(id), kind text NOT NULL,
	at timestamptz NOT NULL DEFAULT now());`

func runFloor(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:3001", "address")
	dbURL := fs.String("database", "", "PostgreSQL URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := sql.Open("postgres", *dbURL)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if _, err := db.ExecContext(ctx, floorSchema); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.PingContext(r.Context()); err != nil {
			w.WriteHeader(503)
		}
	})
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			w.WriteHeader(400)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err == nil {
			sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			w.WriteHeader(401)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sc, err := slack.SlashCommandParse(r)
		if err != nil {
			w.WriteHeader(400)
			return
		}
		ctx := r.Context()
		if len(sc.Text) >= 3 && sc.Text[:3] == "add" {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				w.WriteHeader(500)
				return
			}
			defer tx.Rollback()
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO floor_deals (team_id, owner_id, name, amount_cents, stage) VALUES ($1, $2, $3, $4, 'prospecting') RETURNING id`,
				sc.TeamID, sc.UserID, sc.Text[4:], 1200000).Scan(&id); err != nil {
				w.WriteHeader(500)
				return
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO floor_events (deal_id, kind) VALUES ($1, 'create')`, id); err != nil {
				w.WriteHeader(500)
				return
			}
			if err := tx.Commit(); err != nil {
				w.WriteHeader(500)
				return
			}
		} else {
			rows, err := db.QueryContext(ctx, `SELECT id, name, amount_cents, stage FROM floor_deals WHERE team_id = $1 AND owner_id = $2 ORDER BY id DESC LIMIT 20`, sc.TeamID, sc.UserID)
			if err != nil {
				w.WriteHeader(500)
				return
			}
			for rows.Next() {
				var id, amount int64
				var name, stage string
				rows.Scan(&id, &name, &amount, &stage)
			}
			rows.Close()
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"response_type":"ephemeral","text":"ok"}`)
	})
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
