// Package migrations holds the database schema as numbered SQL files embedded
// in the binary, applied in order by goose (`salescoach migrate`, and `serve`
// as it starts).
//
// Each file has an Up section, which every database runs once, and a Down
// section, which only undoes it on a developer's own database (goose down)
// while the file is being written; deployed databases only ever move up.
//
// A migration that is on main is never edited again, not even to fix it:
// goose records each version as applied, so a database migrated with the old
// text would never see the change. Add a new file with the next number
// instead. 00115_catch_up_edits.sql exists because three merged files were
// edited once; db's TestMigrationsCatchUpEditedFiles keeps their merged text
// in db/testdata to show that it brings such databases up to date.
package migrations

import "embed"

// FS holds the migration files, applied in order by goose.
//
//go:embed *.sql
var FS embed.FS
