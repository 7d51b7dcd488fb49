package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/lib/pq"

	"salescoach/coach"
)

// translate turns a driver error into a coach error: coach.ErrUnavailable when
// the database cannot be reached, the error wrapped as it is otherwise. Errors
// that already are coach errors pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var ce *coach.Error
	if errors.As(err, &ce) {
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("%w: %v", coach.ErrUnavailable, err)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == "22021" || pqErr.Code == "22P05") {
		// A character PostgreSQL cannot store in text (a NUL byte).
		return fmt.Errorf("%w: %v", errBadCharacter, err)
	}
	return fmt.Errorf("database: %w", err)
}

var errBadCharacter = coach.Fail(coach.EInvalid, "bad_character", nil)

func unreachable(err error) bool {
	var (
		netErr net.Error
		opErr  *net.OpError
		pqErr  *pq.Error
	)
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &opErr), errors.As(err, &netErr):
		return true
	case errors.As(err, &pqErr):
		// Class 08: connection exception; 57P01-03: the server is shutting down
		// or cannot accept connections yet.
		// 57014: a statement cancelled at its deadline (waiting for a lock,
		// most often); 55P03: a lock not granted within lock_timeout.
		c := string(pqErr.Code)
		return len(c) >= 2 && c[:2] == "08" || c == "57P01" || c == "57P02" || c == "57P03" || c == "57014" || c == "55P03"
	}
	return false
}

// isUnique reports whether err is a unique violation, optionally of the named
// constraint.
func isUnique(err error, constraint string) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505" && (constraint == "" || pqErr.Constraint == constraint)
}
