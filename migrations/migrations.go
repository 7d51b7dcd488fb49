// Package migrations holds the database schema as numbered, forward-only SQL
// files embedded in the binary.
package migrations

import "embed"

// FS holds the migration files, applied in order by goose.
//
//go:embed *.sql
var FS embed.FS
