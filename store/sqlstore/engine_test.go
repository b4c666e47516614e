package sqlstore_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	opts := sqlstore.Options{Location: storetest.Loc, Now: storetest.Now}
	s, err := sqlstore.Open(t.Context(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlstore.Open(t.Context(), path, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	res, err := s.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"})
	if err != nil || res.Changed() {
		t.Errorf("import after reopen = %+v, %v; want nothing changed", res, err)
	}
}

func TestPragmas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := sqlstore.Open(t.Context(), path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	// Foreign keys are enforced: an assignment to a unit that does not exist fails.
	if _, err := db.Exec(`INSERT INTO assignments(directive_id, unit_id, role, position) VALUES (999, 999, 'lead', 0)`); err == nil {
		t.Error("insert breaking a foreign key succeeded")
	}
	var version int
	if err := db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version); err != nil || version < 1 {
		t.Errorf("schema version = %d, %v", version, err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := sqlstore.Open(t.Context(), path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, '999_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlstore.Open(t.Context(), path, sqlstore.Options{})
	if err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Errorf("Open(newer schema) error = %v; want a refusal", err)
	}
}

func TestOpenNeedsAFile(t *testing.T) {
	if _, err := sqlstore.Open(t.Context(), ":memory:", sqlstore.Options{}); err == nil {
		t.Error("Open(:memory:) succeeded; the read and write pools would see different databases")
	}
}

// Writers from many goroutines queue on the write lock instead of failing
// with SQLITE_BUSY, and readers keep reading meanwhile.
func TestConcurrentWriters(t *testing.T) {
	s := open(t)
	if _, err := s.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.DirectiveByCode(t.Context(), "HN-03")
	if err != nil {
		t.Fatal(err)
	}
	unit := d.Assignments[0].Unit.ID
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := s.RecordProgress(t.Context(), store.ProgressInput{DirectiveID: d.ID, UnitID: unit, Percent: i, Note: fmt.Sprint(i)})
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := s.Directives(t.Context(), store.DirectiveFilter{UnitID: unit})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	d, err = s.Directive(t.Context(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Assignments[0].ReportCount; got != 20 {
		t.Errorf("reports = %d; want 20", got)
	}
}
