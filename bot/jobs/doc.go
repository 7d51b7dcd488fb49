// Package jobs is the bot's background work: the weekly digest scheduler
// (claims with leases in the database), the morning nudges, and the
// pictures — drawn for commands and added to posted digests. The jobs post
// through a small Poster, never through the handlers.
package jobs
