package store

import (
	"errors"
	"fmt"
)

// Sentinel errors of the store contract. Implementations wrap them with
// context; callers test with errors.Is and map them to what the user sees.
var (
	// ErrNotFound: the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the domain (a missing field,
	// an unknown reference, a malformed value). The message says which.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict: the change collides with data already stored (a key
	// already used by another record, progress that would be lost).
	ErrConflict = errors.New("conflict")
	// ErrReportPending: a unit reports its share done while an earlier
	// completion report of it still waits for the office's review. It
	// wraps ErrConflict.
	ErrReportPending = fmt.Errorf("a completion report already waits for review: %w", ErrConflict)
)
