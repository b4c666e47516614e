package gen_test

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/gen"
	"meetbot/internal/sqltest"
	"meetbot/store"
	"meetbot/store/sqlstore"
)

func openStore(t testing.TB, o gen.Options) *sqlstore.Store {
	t.Helper()
	return sqltest.Open(t, o.Loc, func() time.Time { return o.Now })
}

func TestImportIntoSQLite(t *testing.T) {
	// Small: SQLite (transpiled C) is slow under the race detector.
	o := opts(t, 120, 100, 300, 11)
	ds := gen.Dataset(o)
	s := openStore(t, o)

	res, err := s.Import(t.Context(), ds, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	want := store.ImportResult{
		Units:      store.ImportCounts{Created: len(ds.Units)},
		Programs:   store.ImportCounts{Created: len(ds.Programs)},
		Meetings:   store.ImportCounts{Created: len(ds.Meetings)},
		Directives: store.ImportCounts{Created: len(ds.Directives)},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("first import (-want +got):\n%s", diff)
	}

	res, err = s.Import(t.Context(), gen.Dataset(o), store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("second Import: %v", err)
	}
	if res.Changed() {
		t.Errorf("importing the same generated dataset again changed %+v", res)
	}

	// The stored states agree with the dataset's.
	today := store.DateIn(o.Now, o.Loc)
	var wantCounts store.StatusCounts
	for _, d := range ds.Directives {
		wantCounts.Add(store.StatusAt(d.Deadline, overallCompletion(d), today))
	}
	var gotCounts store.StatusCounts
	for _, st := range []store.Status{store.StatusPending, store.StatusOverdue, store.StatusDoneOnTime, store.StatusDoneLate, store.StatusOngoing} {
		page, err := s.Directives(t.Context(), store.DirectiveFilter{Status: store.StatusSet(1 << st), AsOf: today, Limit: 1, Viewer: store.NewViewer(true)})
		if err != nil {
			t.Fatalf("Directives(%v): %v", st, err)
		}
		for range page.Total {
			gotCounts.Add(st)
		}
	}
	if diff := cmp.Diff(wantCounts, gotCounts); diff != "" {
		t.Errorf("directive states, dataset vs store (-dataset +store):\n%s", diff)
	}
}

func overallCompletion(d store.DirectiveRecord) store.Date {
	if !d.ClosedOn.IsZero() {
		return d.ClosedOn
	}
	var last store.Date
	for _, a := range d.Assignments {
		if a.CompletedOn.IsZero() {
			return store.Date{}
		}
		if a.CompletedOn.After(last) {
			last = a.CompletedOn
		}
	}
	return last
}

// TestImportFullSize measures importing the benchmark dataset; it runs
// only when MEETBOT_GEN_IMPORT_DIRECTIVES is set (e.g. to 100000).
func TestImportFullSize(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("MEETBOT_GEN_IMPORT_DIRECTIVES"))
	if n == 0 {
		t.Skip("set MEETBOT_GEN_IMPORT_DIRECTIVES to run")
	}
	o := opts(t, 3500, n/10, n, 2024)
	ds := gen.Dataset(o)
	s := openStore(t, o)
	start := time.Now()
	if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	first := time.Since(start)
	start = time.Now()
	res, err := s.Import(t.Context(), ds, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("second Import: %v", err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d directives: first import %v, second %v (changed: %v); total alloc %d MiB, sys %d MiB",
		n, first, time.Since(start), res.Changed(), ms.TotalAlloc>>20, ms.Sys>>20)
}
