package importer_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/importer"
	"meetbot/internal/sqltest"
	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// openStore opens a real SQLite store in a temporary directory, with the
// clock at now.
func openStore(t *testing.T, now time.Time) *sqlstore.Store {
	t.Helper()
	return sqltest.Open(t, storetest.Loc, func() time.Time { return now })
}

// The documented example is a complete file: it imports into an empty
// store, and again without changes.
func TestExampleImportsIntoSQLite(t *testing.T) {
	loc := storetest.Loc
	s := openStore(t, time.Date(2024, 12, 31, 9, 0, 0, 0, loc))

	ds, err := importer.LoadFile(filepath.Join("testdata", "example.yaml"), loc)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	res, err := s.Import(t.Context(), ds, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	want := store.ImportResult{
		Units:      store.ImportCounts{Created: 3},
		Programs:   store.ImportCounts{Created: 1},
		Meetings:   store.ImportCounts{Created: 1},
		Directives: store.ImportCounts{Created: 1},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("import (-want +got):\n%s", diff)
	}
	if res, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil || res.Changed() {
		t.Errorf("second import = %+v, %v; want no change", res, err)
	}
	d, err := s.DirectiveByCode(t.Context(), "hnxm-2024/04")
	if err != nil {
		t.Fatalf("DirectiveByCode: %v", err)
	}
	if d.ProgramName == "" || d.MeetingTitle == "" || len(d.Assignments) != 2 || d.Assignments[0].ReportCount != 1 {
		t.Errorf("stored directive %+v lacks its program, meeting or progress", d)
	}
}
