package cache

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// benchDataset is a province-sized dataset: 40 units, 20 meetings, 400
// directives with three units each and some progress reports.
func benchDataset() *store.Dataset {
	ds := &store.Dataset{}
	for i := range 40 {
		ds.Units = append(ds.Units, store.UnitRecord{
			Code: fmt.Sprintf("u%02d", i), Name: fmt.Sprintf("Huyện ủy số %d biên giới", i), Kind: store.KindDistrict,
			Aliases: []string{fmt.Sprintf("H%d", i)},
		})
	}
	ds.Programs = []store.ProgramRecord{{Code: "p1", Name: "Chương trình biên giới xanh", Owner: "u00"}}
	for i := range 20 {
		ds.Meetings = append(ds.Meetings, store.MeetingRecord{
			Key: fmt.Sprintf("m%02d", i), Title: fmt.Sprintf("Hội nghị giao ban biên giới kỳ %d", i),
			StartsAt: fmt.Sprintf("2024-%02d-%02d 08:00", 1+i%5, 1+i), Organiser: "u00", Attendees: []string{"u01", "u02", "u03"},
		})
	}
	for i := range 400 {
		d := store.DirectiveRecord{
			Code:     fmt.Sprintf("%d/CT-UBND", 100+i),
			Title:    fmt.Sprintf("Chỉ đạo số %d về tuần tra, kiểm soát khu vực biên giới", i),
			Body:     strings.Repeat("Tăng cường phối hợp giữa các lực lượng. ", 5),
			IssuedOn: store.NewDate(2024, time.Month(1+i%5), 1+i%28), Meeting: fmt.Sprintf("m%02d", i%20),
			Deadline: store.NewDate(2024, 6, 1+i%28),
		}
		if i%3 == 0 {
			d.Program = "p1"
		}
		for j := range 3 {
			a := store.AssignmentRecord{Unit: fmt.Sprintf("u%02d", (i+j)%40)}
			if j > 0 {
				a.Role = store.RoleSupport
			}
			if i%2 == 0 {
				a.Reports = []store.ReportRecord{{At: "2024-05-02 10:00", Percent: 30, Note: "Đã triển khai"}, {At: "2024-05-09 10:00", Percent: 60}}
			}
			d.Assignments = append(d.Assignments, a)
		}
		ds.Directives = append(ds.Directives, d)
	}
	return ds
}

// benchStore returns a SQLite store holding benchDataset.
func benchStore(b *testing.B) *sqlstore.Store {
	b.Helper()
	s := openSQL(b)
	if _, err := s.Import(b.Context(), benchDataset(), store.Actor{Name: "test"}); err != nil {
		b.Fatalf("import bench dataset: %v", err)
	}
	return s
}

// benchReads are the reads the cached benchmarks measure.
var benchReads = map[string]func(ctx context.Context, s store.Store) (any, error){
	"Directive": func(ctx context.Context, s store.Store) (any, error) { return s.DirectiveByCode(ctx, "110/CT-UBND") },
	"Directives": func(ctx context.Context, s store.Store) (any, error) {
		return s.Directives(ctx, store.DirectiveFilter{AsOf: storetest.Today, Order: store.OrderUrgent})
	},
	"Search": func(ctx context.Context, s store.Store) (any, error) {
		return s.Search(ctx, store.SearchQuery{Text: "tuần tra biên giới"})
	},
}

// benchCached measures read through a warm cache: every call is a hit.
func benchCached(b *testing.B, name string) {
	read := benchReads[name]
	c := cacheOver(b, benchStore(b))
	ctx := b.Context()
	if _, err := read(ctx, c); err != nil {
		b.Fatal(err)
	}
	before := c.Counters()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := read(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	if s := c.Counters(); s.Misses != before.Misses || s.Bypassed != before.Bypassed {
		b.Fatalf("not every read was a hit: %+v, before %+v", s, before)
	}
}

// BenchmarkRedisGET is the baseline: one GET round trip on a client made
// by NewClient, as the cache uses.
func BenchmarkRedisGET(b *testing.B) {
	redisURL, prefix, _ := testRedis(b)
	rdb := testClient(b, redisURL)
	key := prefix + "get"
	ctx := b.Context()
	if err := rdb.Set(ctx, key, strings.Repeat("x", 64), 0).Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := rdb.Get(ctx, key).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedDirective: a directive's detail (3 units, 6 reports).
func BenchmarkCachedDirective(b *testing.B) { benchCached(b, "Directive") }

// BenchmarkCachedDirectives: a page of 10 directives.
func BenchmarkCachedDirectives(b *testing.B) { benchCached(b, "Directives") }

// BenchmarkCachedSearch: a page of 10 search hits.
func BenchmarkCachedSearch(b *testing.B) { benchCached(b, "Search") }

// BenchmarkSQLite measures the same reads on SQLite alone, for scale.
func BenchmarkSQLite(b *testing.B) {
	for _, name := range []string{"Directive", "Directives", "Search"} {
		b.Run(name, func(b *testing.B) {
			s := benchStore(b)
			read := benchReads[name]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := read(b.Context(), s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
