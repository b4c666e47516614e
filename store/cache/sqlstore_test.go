package cache

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/internal/sqltest"
	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// openSQL returns an empty SQLite store in t's temporary directory,
// configured as the contract tests expect.
func openSQL(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	return sqltest.Open(tb, storetest.Loc, storetest.Now)
}

// cacheOver returns a cache in front of inner on the test Redis, with its
// own key prefix.
func cacheOver(tb testing.TB, inner store.Store) *Cache {
	tb.Helper()
	redisURL, prefix, _ := testRedis(tb)
	c := New(inner, testClient(tb, redisURL), Options{Prefix: prefix})
	tb.Cleanup(func() { c.Close() })
	return c
}

// TestContractThroughCache runs the store contract against the cache in
// front of SQLite: every answer the contract checks comes through the
// cache, most of them twice (a miss, then a hit).
func TestContractThroughCache(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return cacheOver(t, openSQL(t)) })
}

// sqlReads are reads over storetest.Fixture, by code so they do not depend
// on the ids SQLite gives.
func sqlReads(t *testing.T, s store.Store) []aRead {
	t.Helper()
	ctx := t.Context()
	id := func(v int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	unit := func(code string) (int64, error) {
		us, err := s.FindUnits(ctx, code)
		if err != nil || len(us) == 0 {
			t.Fatalf("FindUnits(%q) = %v, %v", code, us, err)
		}
		return us[0].ID, nil
	}
	directive := func(code string) (int64, error) {
		d, err := s.DirectiveByCode(ctx, code)
		return d.ID, err
	}
	meoVac := id(unit("meo-vac"))
	d15 := id(directive("15/CT-UBND"))
	hn03 := id(directive("HN-03"))
	d, err := s.Directive(ctx, d15)
	if err != nil {
		t.Fatal(err)
	}
	meeting := d.MeetingID
	hn03d, err := s.Directive(ctx, hn03)
	if err != nil {
		t.Fatal(err)
	}
	program := hn03d.ProgramID
	today := storetest.Today
	return []aRead{
		{"Units", "", func(ctx context.Context, s store.Store) (any, error) { return s.Units(ctx, store.UnitFilter{}) }},
		{"Unit", "", func(ctx context.Context, s store.Store) (any, error) { return s.Unit(ctx, meoVac) }},
		{"FindUnits", "", func(ctx context.Context, s store.Store) (any, error) { return s.FindUnits(ctx, "MV") }},
		{"Meetings", "", func(ctx context.Context, s store.Store) (any, error) {
			return s.Meetings(ctx, store.MeetingFilter{Desc: true})
		}},
		{"Meeting", "", func(ctx context.Context, s store.Store) (any, error) { return s.Meeting(ctx, meeting) }},
		{"Directives urgent", "", func(ctx context.Context, s store.Store) (any, error) {
			return s.Directives(ctx, store.DirectiveFilter{AsOf: today, Order: store.OrderUrgent})
		}},
		{"Directives of meo-vac, open", "", func(ctx context.Context, s store.Store) (any, error) {
			return s.Directives(ctx, store.DirectiveFilter{UnitID: meoVac, Status: store.SetOpen, AsOf: today})
		}},
		{"Directive 15", "", func(ctx context.Context, s store.Store) (any, error) { return s.Directive(ctx, d15) }},
		{"Directive HN-03", "", func(ctx context.Context, s store.Store) (any, error) { return s.DirectiveByCode(ctx, "hn-03") }},
		{"Programs", "", func(ctx context.Context, s store.Store) (any, error) { return s.Programs(ctx, store.ProgramFilter{}) }},
		{"Program", "", func(ctx context.Context, s store.Store) (any, error) { return s.Program(ctx, program) }},
		{"Search biên giới", "", func(ctx context.Context, s store.Store) (any, error) {
			return s.Search(ctx, store.SearchQuery{Text: "biên giới"})
		}},
		{"Search code", "", func(ctx context.Context, s store.Store) (any, error) {
			return s.Search(ctx, store.SearchQuery{Text: "15/CT-UBND"})
		}},
	}
}

// TestNoStaleAnswersOverSQLite warms every read, writes through the cache,
// and checks every read against SQLite itself.
func TestNoStaleAnswersOverSQLite(t *testing.T) {
	tests := []struct {
		name  string
		write func(t *testing.T, s store.Store)
	}{
		{name: "a unit completes 15/CT-UBND", write: func(t *testing.T, s store.Store) {
			d, err := s.DirectiveByCode(t.Context(), "15/CT-UBND")
			if err != nil {
				t.Fatal(err)
			}
			var unit int64
			for _, a := range d.Assignments {
				if !a.Done() {
					unit = a.Unit.ID
				}
			}
			if _, err := s.RecordProgress(t.Context(), store.ProgressInput{
				DirectiveID: d.ID, UnitID: unit, At: storetest.Now(), Percent: 100, Done: true, Note: "Hoàn thành",
			}); err != nil {
				t.Fatalf("RecordProgress: %v", err)
			}
		}},
		{name: "a progress report on HN-03", write: func(t *testing.T, s store.Store) {
			d, err := s.DirectiveByCode(t.Context(), "HN-03")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.RecordProgress(t.Context(), store.ProgressInput{
				DirectiveID: d.ID, UnitID: d.Assignments[0].Unit.ID, At: storetest.Now(), Percent: 30, Note: "Đang làm",
			}); err != nil {
				t.Fatalf("RecordProgress: %v", err)
			}
		}},
		{name: "import renames a unit", write: func(t *testing.T, s store.Store) {
			ds := storetest.Fixture()
			ds.Units[2].Name = "Đảng ủy Mèo Vạc"
			if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
				t.Fatalf("Import: %v", err)
			}
		}},
		{name: "import retitles a directive and a meeting", write: func(t *testing.T, s store.Store) {
			ds := storetest.Fixture()
			ds.Directives[1].Title = "Tuyên truyền pháp luật biên giới"
			ds.Meetings[0].Title = "Hội nghị tổng kết quy chế phối hợp"
			if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
				t.Fatalf("Import: %v", err)
			}
		}},
		{name: "import adds a report to an assignment", write: func(t *testing.T, s store.Store) {
			ds := storetest.Fixture()
			a := &ds.Directives[2].Assignments[0]
			a.Reports = append(a.Reports, store.ReportRecord{At: "2024-05-13 09:00", Percent: 50, Note: "Nhập từ tệp"})
			if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
				t.Fatalf("Import: %v", err)
			}
		}},
		{name: "import adds a program", write: func(t *testing.T, s store.Store) {
			ds := &store.Dataset{Programs: []store.ProgramRecord{{Code: "moi", Name: "Chương trình biên giới mới", Owner: "bdbp"}}}
			if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
				t.Fatalf("Import: %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sql := openSQL(t)
			if _, err := sql.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
				t.Fatal(err)
			}
			c := cacheOver(t, sql)
			reads := sqlReads(t, sql)
			before := map[string]any{}
			for _, r := range reads {
				before[r.name] = mustRead(t, r, c)
				mustRead(t, r, c)
			}
			hits := c.Counters().Hits

			tc.write(t, c)

			changed := 0
			for _, r := range reads {
				got := mustRead(t, r, c)
				want := mustRead(t, r, sql)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s through the cache is stale (-sqlite +cache):\n%s", r.name, diff)
				}
				if !cmp.Equal(before[r.name], want) {
					changed++
				}
			}
			if changed == 0 {
				t.Error("the write changed none of the reads: the case tests nothing")
			}
			if hits < uint64(len(reads)) {
				t.Errorf("warm-up made %d hits, want %d", hits, len(reads))
			}
		})
	}
}

// TestSQLiteBackedOutage: with Redis gone, answers come from SQLite, and a
// write made meanwhile is visible after recovery.
func TestSQLiteBackedOutage(t *testing.T) {
	redisURL, prefix, _ := testRedis(t)
	p := startProxy(t, hostOf(t, redisURL))
	log, logs := newTestLogger()
	sql := openSQL(t)
	if _, err := sql.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	c := New(sql, testClient(t, withHost(t, redisURL, p.addr)), Options{
		Prefix: prefix, Log: log, ProbeInterval: time.Hour,
	})
	t.Cleanup(func() { c.Close() })
	reads := sqlReads(t, sql)
	for _, r := range reads {
		mustRead(t, r, c)
	}

	p.Set(hang)
	d, err := c.DirectiveByCode(t.Context(), "HN-03")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecordProgress(t.Context(), store.ProgressInput{
		DirectiveID: d.ID, UnitID: d.Assignments[0].Unit.ID, At: storetest.Now(), Done: true,
	}); err != nil {
		t.Fatalf("RecordProgress with Redis hung: %v", err)
	}
	for _, r := range reads {
		mustRead(t, r, c)
	}
	p.Set(pass)
	if !c.probe(t.Context()) {
		t.Fatal("breaker still open")
	}
	for _, r := range reads {
		got := mustRead(t, r, c)
		want := mustRead(t, r, sql)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s stale after recovery (-sqlite +cache):\n%s", r.name, diff)
		}
	}
	if w, i := logs.count("WARN"), logs.count("INFO"); w != 1 || i != 1 {
		t.Errorf("%d warnings and %d info lines, want 1 and 1:\n%s", w, i, logs)
	}
}
