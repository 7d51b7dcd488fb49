// Package observe is the plumbing every part of the bot shares: the
// Prometheus metrics, request ids and the log handler that adds them, the
// count of work in flight, and the recovery of panics.
package observe
