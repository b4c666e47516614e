// Package sqlstore is the SQLite engine of the store contract
// (store.Store), on modernc.org/sqlite (pure Go, no cgo).
//
// The database is one file in WAL mode with foreign keys on. Writes go
// through a single connection and take the write lock at BEGIN
// (BEGIN IMMEDIATE), so concurrent writers queue instead of failing;
// reads use a pool of read-only connections and see a consistent
// snapshot per call. The schema is versioned by the migrations embedded in
// the binary and applied by Open.
package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"meetbot/store"
)

// Options configure a Store.
type Options struct {
	// Location is the office's time zone: the day a completion counts
	// for, and the zone of local times in imported files. Default UTC.
	Location *time.Location
	// Now returns the current instant, for updated_at stamps; default
	// time.Now.
	Now func() time.Time
	// ReadConns is the size of the read pool; default GOMAXPROCS+1.
	ReadConns int
}

// Store is the SQLite engine. It is safe for concurrent use.
type Store struct {
	rdb *sql.DB // read-only pool
	wdb *sql.DB // one writer connection
	loc *time.Location
	now func() time.Time
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path, applies
// pending migrations and returns the Store. The caller must Close it.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = runtime.GOMAXPROCS(0) + 1
	}
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, errors.New("open store: a file path is required (an in-memory database cannot be shared by the read and write pools)")
	}
	pragmas := "&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	wdb, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_txlock=immediate&_pragma=journal_mode(WAL)"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	if err := wdb.PingContext(ctx); err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := migrate(ctx, wdb); err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	rdb, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=query_only(1)"+pragmas)
	if err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	rdb.SetMaxOpenConns(opts.ReadConns)
	rdb.SetMaxIdleConns(opts.ReadConns)
	return &Store{rdb: rdb, wdb: wdb, loc: opts.Location, now: opts.Now}, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.rdb.Close(), s.wdb.Close())
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.rdb.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Location returns the office's time zone the store was opened with.
func (s *Store) Location() *time.Location { return s.loc }

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// readTx runs fn in a read transaction: one snapshot for every query fn
// makes.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// writeTx runs fn in a write transaction and commits it if fn succeeds.
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Column encodings.

const instantLayout = "2006-01-02T15:04:05Z"

func encInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(instantLayout)
}

func decInstant(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, err := time.Parse(instantLayout, s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

func encDate(d store.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func decDate(s sql.NullString) store.Date {
	if !s.Valid {
		return store.Date{}
	}
	d, _ := store.ParseDate(s.String)
	return d
}

func encID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func encBool(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// notFound wraps store.ErrNotFound with what was asked for.
func notFound(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, store.ErrNotFound)...)
}

// SchemaID identifies the schema this binary creates: its version and a
// hash of the migrations' text (benchmarks key cached databases on it).
func SchemaID() string {
	ms, err := loadMigrations()
	if err != nil {
		return "invalid"
	}
	h := sha256.New()
	for _, m := range ms {
		h.Write([]byte(m.sql))
	}
	return fmt.Sprintf("%d-%x", len(ms), h.Sum(nil)[:6])
}

// Checkpoint copies the write-ahead log into the database file and
// truncates it, so the file alone holds the data (for copies and backups).
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.wdb.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
