package cache_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"meetbot/internal/benchdata"
	"meetbot/internal/redistest"
	"meetbot/store"
	"meetbot/store/cache"
	"meetbot/store/sqlstore"
)

// scaleQueries are searches an official might type, with and without
// diacritics, a document number, and words common enough to match tens
// of thousands of directives.
var scaleQueries = []string{
	"biên giới", "bien gioi", "an ninh", "cửa khẩu", "xuat nhap canh", "mốc quốc giới",
	"cai tao vuon tap", "Xín Mần", "ma túy", "15/CT-UBND", "phòng chống thiên tai", "huyen uy meo vac",
}

// BenchmarkScale measures the answer path at 100,000 directives, 10,000
// meetings and 3,500 units: SQLite alone ("sqlite/...") and through the
// Redis cache ("cached/..."), with one plain Redis GET in the same run as
// the yardstick. Targets: cached within 3x a GET; uncached detail ≤ 2 ms;
// search p99 ≤ 20 ms. Run with:
//
//	go test -run '^$' -bench Scale -benchtime 2s ./store/cache
func BenchmarkScale(b *testing.B) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	path := benchdata.Path(b, benchdata.Scale, loc)
	ctx := context.Background()
	sql, err := sqlstore.Open(ctx, path, sqlstore.Options{Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	defer sql.Close()
	r := redistest.New(b)
	c := cache.New(sql, r.Client, cache.Options{Prefix: r.Prefix, TTL: time.Hour})
	defer c.Close()

	rng := rand.New(rand.NewPCG(1, 2))
	asOf := store.DateOf(benchdata.Scale.Now)
	units, err := sql.Units(ctx, store.UnitFilter{})
	if err != nil {
		b.Fatal(err)
	}
	const sample = 256 // distinct arguments per benchmark, cycled
	ids := make([]int64, sample)
	unitIDs := make([]int64, sample)
	for i := range sample {
		ids[i] = 1 + rng.Int64N(int64(benchdata.Scale.Directives))
		unitIDs[i] = units[rng.IntN(len(units))].ID
	}

	cases := []struct {
		name string
		op   func(s store.Store, i int) error
	}{
		{"Directive", func(s store.Store, i int) error {
			_, err := s.Directive(ctx, ids[i%sample])
			return err
		}},
		{"DirectivesOfUnit", func(s store.Store, i int) error {
			_, err := s.Directives(ctx, store.DirectiveFilter{UnitID: unitIDs[i%sample], Order: store.OrderUrgent, Limit: 8})
			return err
		}},
		{"DirectivesOverdue", func(s store.Store, i int) error {
			_, err := s.Directives(ctx, store.DirectiveFilter{Status: store.SetOverdue, AsOf: asOf, Order: store.OrderUrgent, Offset: 8 * (i % 4), Limit: 8})
			return err
		}},
		{"DirectivesRecent", func(s store.Store, i int) error {
			_, err := s.Directives(ctx, store.DirectiveFilter{Offset: 8 * (i % 8), Limit: 8})
			return err
		}},
		{"Search", func(s store.Store, i int) error {
			_, err := s.Search(ctx, store.SearchQuery{Text: scaleQueries[i%len(scaleQueries)], Limit: 8})
			return err
		}},
	}
	for _, eng := range []struct {
		name string
		s    store.Store
	}{{"sqlite", sql}, {"cached", c}} {
		for _, tc := range cases {
			b.Run(eng.name+"/"+tc.name, func(b *testing.B) {
				if eng.name == "cached" {
					for i := range sample { // warm: every argument cached
						if err := tc.op(eng.s, i); err != nil {
							b.Fatal(err)
						}
					}
				}
				timed(b, func(i int) error { return tc.op(eng.s, i) })
			})
		}
	}
	b.Run("redis/GET", func(b *testing.B) {
		key := r.Prefix + "bench-get"
		if err := r.Client.Set(ctx, key, "x", 0).Err(); err != nil {
			b.Fatal(err)
		}
		timed(b, func(int) error { return r.Client.Get(ctx, key).Err() })
	})
}

// timed runs op b.N times and reports the 50th and 99th percentiles.
func timed(b *testing.B, op func(i int) error) {
	b.Helper()
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
