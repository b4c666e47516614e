// Package sqltest opens SQLite stores for tests: a new database in the
// test's temporary directory, closed when the test ends.
package sqltest

import (
	"path/filepath"
	"testing"
	"time"

	"meetbot/store/sqlstore"
)

// Open opens an empty store with the office's time zone loc and the
// clock now (nil: the real clock), failing tb if it cannot.
func Open(tb testing.TB, loc *time.Location, now func() time.Time) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(tb.Context(), filepath.Join(tb.TempDir(), "meetbot.db"), sqlstore.Options{Location: loc, Now: now})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}
