package observe

import (
	"context"
	"sync"
)

// InFlight counts the work in flight, so that shutting down can wait for it.
// Work may be added while something waits (a sync.WaitGroup forbids that).
// The zero value is ready to use.
type InFlight struct {
	mu    sync.Mutex
	n     int
	empty chan struct{} // closed when n drops to 0
}

// Add counts one more piece of work.
func (b *InFlight) Add() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		b.empty = make(chan struct{})
	}
	b.n++
}

// Done counts one piece of work finished.
func (b *InFlight) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n--; b.n == 0 {
		close(b.empty)
	}
}

// Idle returns a channel closed once no work is in flight.
func (b *InFlight) Idle() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return b.empty
}

// Wait waits until no work is in flight, or ctx ends.
func (b *InFlight) Wait(ctx context.Context) error {
	select {
	case <-b.Idle():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
