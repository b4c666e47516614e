package cache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"meetbot/store"
)

// env is a cache in front of a seeded fake store, on a real Redis (or
// miniredis), optionally through a switchable proxy.
type env struct {
	fake   *fakeStore
	cache  *Cache
	admin  *redis.Client // straight to Redis, never through the proxy
	prefix string
	logs   *logBuffer
	proxy  *proxy         // nil unless viaProxy
	ticks  chan time.Time // the probe loop's ticker
	probed chan struct{}  // receives after each probe of the loop
	joined chan string    // receives the key of each miss that joined a flight
	opts   Options        // as given to New
	url    string         // the URL the cache's client uses
	inner  store.Store    // what the cache wraps (fake unless replaced)
}

type envOption func(*env)

// viaProxy puts a switchable proxy between the cache and Redis.
func viaProxy() envOption { return func(e *env) { e.proxy = &proxy{} } }

// withInner makes the cache wrap s instead of the fake.
func withInner(f func(*fakeStore) store.Store) envOption {
	return func(e *env) { e.inner = f(e.fake) }
}

func newEnv(t *testing.T, options ...envOption) *env {
	t.Helper()
	redisURL, prefix, admin := testRedis(t)
	e := &env{
		fake:   seededFake(t),
		prefix: prefix,
		admin:  admin,
		ticks:  make(chan time.Time),
		probed: make(chan struct{}),
		joined: make(chan string, 64),
		url:    redisURL,
	}
	e.inner = e.fake
	for _, o := range options {
		o(e)
	}
	if e.proxy != nil {
		e.proxy = startProxy(t, hostOf(t, redisURL))
		e.url = withHost(t, redisURL, e.proxy.addr)
	}
	log, logs := newTestLogger()
	e.logs = logs
	e.opts = Options{
		Prefix: e.prefix,
		TTL:    time.Hour,
		Log:    log,
		newTicker: func(time.Duration) (<-chan time.Time, func()) {
			return e.ticks, func() {}
		},
		onJoin: func(key string) {
			select {
			case e.joined <- key:
			default: // no test is counting
			}
		},
		onProbe: func() { e.probed <- struct{}{} },
	}
	e.cache = e.newCache(t)
	return e
}

// newCache returns another cache like e.cache: same Redis, same prefix,
// its own client.
func (e *env) newCache(t *testing.T) *Cache {
	t.Helper()
	c := New(e.inner, testClient(t, e.url), e.opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// aRead is one read of the store contract.
type aRead struct {
	name   string
	method string // the fake's counter
	read   func(ctx context.Context, s store.Store) (any, error)
}

// someReads covers every read method, with arguments that hit the seed.
var someReads = []aRead{
	{"Units", "Units", func(ctx context.Context, s store.Store) (any, error) {
		return s.Units(ctx, store.UnitFilter{})
	}},
	{"Unit", "Unit", func(ctx context.Context, s store.Store) (any, error) { return s.Unit(ctx, idMeoVac) }},
	{"FindUnits", "FindUnits", func(ctx context.Context, s store.Store) (any, error) { return s.FindUnits(ctx, "Mèo") }},
	{"Meetings", "Meetings", func(ctx context.Context, s store.Store) (any, error) {
		return s.Meetings(ctx, store.MeetingFilter{From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 5})
	}},
	{"Meeting", "Meeting", func(ctx context.Context, s store.Store) (any, error) { return s.Meeting(ctx, idMeeting) }},
	{"Directives", "Directives", func(ctx context.Context, s store.Store) (any, error) {
		return s.Directives(ctx, store.DirectiveFilter{AsOf: store.NewDate(2024, 5, 1), Order: store.OrderUrgent})
	}},
	{"Directives by unit", "Directives", func(ctx context.Context, s store.Store) (any, error) {
		return s.Directives(ctx, store.DirectiveFilter{UnitID: idMeoVac, Status: store.SetOpen, AsOf: store.NewDate(2024, 5, 1)})
	}},
	{"Directive", "Directive", func(ctx context.Context, s store.Store) (any, error) { return s.Directive(ctx, idPatrol) }},
	{"Directive 16", "Directive", func(ctx context.Context, s store.Store) (any, error) { return s.Directive(ctx, idTreePlants) }},
	{"DirectiveByCode", "DirectiveByCode", func(ctx context.Context, s store.Store) (any, error) {
		return s.DirectiveByCode(ctx, " 15/ct-ubnd ")
	}},
	{"Programs", "Programs", func(ctx context.Context, s store.Store) (any, error) {
		return s.Programs(ctx, store.ProgramFilter{Limit: 20})
	}},
	{"Program", "Program", func(ctx context.Context, s store.Store) (any, error) { return s.Program(ctx, idProgram) }},
	{"Search codes", "Search", func(ctx context.Context, s store.Store) (any, error) {
		return s.Search(ctx, store.SearchQuery{Text: "CT-UBND"})
	}},
	{"Stats", "Stats", func(ctx context.Context, s store.Store) (any, error) {
		return s.Stats(ctx, store.StatsQuery{AsOf: store.NewDate(2024, 5, 1)})
	}},
	{"Search words", "Search", func(ctx context.Context, s store.Store) (any, error) {
		return s.Search(ctx, store.SearchQuery{Text: "biên giới", Kinds: []store.RecordKind{store.RecordDirective, store.RecordMeeting}})
	}},
}

func readByName(t *testing.T, name string) aRead {
	t.Helper()
	for _, r := range someReads {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("no read %q", name)
	return aRead{}
}

// mustRead runs r on s and fails t on error.
func mustRead(t *testing.T, r aRead, s store.Store) any {
	t.Helper()
	v, err := r.read(t.Context(), s)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	return v
}

// checkFresh fails t unless r through the cache answers what the store
// answers now.
func checkFresh(t *testing.T, e *env, r aRead) {
	t.Helper()
	got := mustRead(t, r, e.cache)
	want := mustRead(t, r, e.fake)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s through the cache is stale (-store +cache):\n%s", r.name, diff)
	}
}

func TestEveryReadIsCached(t *testing.T) {
	e := newEnv(t)
	for _, r := range someReads {
		t.Run(r.name, func(t *testing.T) {
			want := mustRead(t, r, e.fake)
			calls := e.fake.Calls(r.method)
			before := e.cache.Counters()

			first := mustRead(t, r, e.cache)
			second := mustRead(t, r, e.cache)

			if got := e.fake.Calls(r.method) - calls; got != 1 {
				t.Errorf("inner %s called %d times for two reads, want 1", r.method, got)
			}
			for i, got := range []any{first, second} {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("read %d (-store +cache):\n%s", i+1, diff)
				}
			}
			after := e.cache.Counters()
			if got := after.Hits - before.Hits; got != 1 {
				t.Errorf("Hits grew by %d, want 1", got)
			}
			if got := after.Misses - before.Misses; got != 1 {
				t.Errorf("Misses grew by %d, want 1", got)
			}
		})
	}
	if s := e.cache.Counters(); s.Errors != 0 || s.Bypassed != 0 || !e.cache.Available() {
		t.Errorf("Stats = %+v, Available = %v; want no errors, nothing bypassed, available", s, e.cache.Available())
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	e := newEnv(t)
	for range 2 {
		if _, err := e.cache.Directive(t.Context(), 999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Directive(999) error = %v, want ErrNotFound", err)
		}
	}
	if got := e.fake.Calls("Directive"); got != 2 {
		t.Errorf("inner Directive called %d times, want 2", got)
	}
}

// renamedDirective is the seed with 15/CT-UBND retitled.
func renamedDirective() *store.Dataset {
	ds := seedDataset()
	ds.Units, ds.Programs, ds.Meetings = nil, nil, nil
	ds.Directives = ds.Directives[:1]
	ds.Directives[0].Title = "Tuần tra biên giới mùa mưa"
	return ds
}

func TestWritesInvalidate(t *testing.T) {
	renamedUnit := func() *store.Dataset {
		return &store.Dataset{Units: []store.UnitRecord{{Code: "meo-vac", Name: "Đảng ủy Mèo Vạc mới", Kind: store.KindDistrict}}}
	}
	newDirective := func() *store.Dataset {
		return &store.Dataset{Directives: []store.DirectiveRecord{{
			Code: "17/CT-UBND", Title: "Giao ban biên giới hằng tháng", Meeting: "hn-2024-04",
			Assignments: []store.AssignmentRecord{{Unit: "meo-vac"}},
		}}}
	}
	imp := func(ds func() *store.Dataset) func(context.Context, store.Store) error {
		return func(ctx context.Context, s store.Store) error {
			_, err := s.Import(ctx, ds(), store.Actor{Name: "test"})
			return err
		}
	}
	tests := []struct {
		name  string
		write func(context.Context, store.Store) error
		// changed are reads whose answer the write changes.
		changed []string
		// cached are reads the write must leave cached.
		cached []string
	}{
		{
			name:    "import retitles a directive",
			write:   imp(renamedDirective),
			changed: []string{"Directive", "DirectiveByCode", "Directives", "Directives by unit", "Search words"},
			cached:  []string{"Units", "Unit", "FindUnits"},
		},
		{
			name:    "import renames a unit",
			write:   imp(renamedUnit),
			changed: []string{"Units", "Unit", "FindUnits", "Meetings", "Meeting", "Directives", "Directive", "DirectiveByCode"},
		},
		{
			name:    "import adds a directive",
			write:   imp(newDirective),
			changed: []string{"Meeting", "Meetings", "Directives", "Directives by unit", "Search codes", "Search words"},
			cached:  []string{"Units", "Unit", "FindUnits"},
		},
		{
			name: "record progress completes a directive",
			write: func(ctx context.Context, s store.Store) error {
				_, err := s.RecordProgress(ctx, store.ProgressInput{
					DirectiveID: idTreePlants, UnitID: idBDBP, At: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC), Percent: 100, Done: true,
				})
				return err
			},
			changed: []string{"Directive 16", "Directives", "Search codes"},
			cached:  []string{"Units", "Unit", "FindUnits"},
		},
		{
			name: "record progress on a directive",
			write: func(ctx context.Context, s store.Store) error {
				_, err := s.RecordProgress(ctx, store.ProgressInput{
					DirectiveID: idPatrol, UnitID: idMeoVac, At: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC), Percent: 40, Note: "đã tuần tra 2 đợt",
				})
				return err
			},
			changed: []string{"Directive", "DirectiveByCode", "Directives", "Directives by unit"},
			cached:  []string{"Units", "Unit", "FindUnits"},
		},
		{
			name:   "import of unchanged data",
			write:  imp(seedDataset),
			cached: []string{"Units", "Unit", "FindUnits", "Meetings", "Meeting", "Directives", "Directive", "Programs", "Program", "Search codes"},
		},
		{
			name: "refused write",
			write: func(ctx context.Context, s store.Store) error {
				_, err := s.RecordProgress(ctx, store.ProgressInput{DirectiveID: 999, UnitID: idMeoVac, At: time.Now()})
				if !errors.Is(err, store.ErrNotFound) {
					return errors.New("RecordProgress on a missing directive did not fail with ErrNotFound")
				}
				return nil
			},
			cached: []string{"Units", "Meetings", "Directives", "Directive", "Search codes"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			before := map[string]any{}
			for _, r := range someReads {
				before[r.name] = mustRead(t, r, e.cache)
			}
			// Everything is cached now.
			for _, r := range someReads {
				mustRead(t, r, e.cache)
			}
			if s := e.cache.Counters(); s.Hits != uint64(len(someReads)) {
				t.Fatalf("warm-up: %d hits, want %d", s.Hits, len(someReads))
			}

			if err := tc.write(t.Context(), e.cache); err != nil {
				t.Fatalf("write: %v", err)
			}

			for _, name := range tc.cached {
				r := readByName(t, name)
				calls := e.fake.Calls(r.method)
				got := mustRead(t, r, e.cache)
				if e.fake.Calls(r.method) != calls {
					t.Errorf("%s was invalidated by a write that cannot change it", name)
				}
				if diff := cmp.Diff(before[name], got); diff != "" {
					t.Errorf("%s changed (-before +after):\n%s", name, diff)
				}
			}
			for _, r := range someReads {
				checkFresh(t, e, r)
			}
			for _, name := range tc.changed {
				r := readByName(t, name)
				if cmp.Equal(before[name], mustRead(t, r, e.fake)) {
					t.Errorf("the write did not change %s: the case tests nothing", name)
				}
			}
		})
	}
}

// TestWriteRacingMiss: a read loads the old data, a write commits and
// returns, then the read stores what it loaded. The entry must not be
// served to reads that start after the write.
func TestWriteRacingMiss(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	loaded := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	e.fake.hold = func(method string) {
		if method == "Directive" {
			once.Do(func() {
				close(loaded)
				<-release
			})
		}
	}

	type result struct {
		d   store.Directive
		err error
	}
	racing := make(chan result)
	go func() {
		d, err := e.cache.Directive(ctx, idPatrol)
		racing <- result{d, err}
	}()
	<-loaded // the racing read has read the generations and the old data
	if _, err := e.cache.Import(ctx, renamedDirective(), store.Actor{Name: "test"}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	close(release)
	r := <-racing
	if r.err != nil {
		t.Fatalf("racing read: %v", r.err)
	}
	if r.d.Title != "Tuần tra biên giới" {
		t.Fatalf("racing read got %q, want the title it loaded before the write", r.d.Title)
	}
	// The racing read did store its answer: what protects later reads is
	// the generations it is tagged with.
	entry, err := e.admin.Get(ctx, entryKey(e.prefix, mDirective, idArgs(idPatrol))).Result()
	if err != nil {
		t.Fatalf("entry of the racing read: %v", err)
	}
	if !strings.Contains(entry, "Tuần tra biên giới") || strings.Contains(entry, "mùa mưa") {
		t.Fatalf("entry = %q, want the old title", entry)
	}

	d, err := e.cache.Directive(ctx, idPatrol)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Tuần tra biên giới mùa mưa" {
		t.Errorf("read after the write got %q: the racing read's stale entry was served", d.Title)
	}
	if got := e.fake.Calls("Directive"); got != 2 {
		t.Errorf("inner Directive called %d times, want 2", got)
	}
}

func TestConcurrentMissesShareOneLoad(t *testing.T) {
	e := newEnv(t)
	const n = 8
	want, err := e.fake.Directive(t.Context(), idPatrol)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	e.fake.hold = func(method string) {
		if method == "Directive" {
			<-release
		}
	}

	results := make([]store.Directive, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i], errs[i] = e.cache.Directive(t.Context(), idPatrol) })
	}
	for range n {
		<-e.joined // every miss waits on the same flight
	}
	close(release)
	wg.Wait()

	if got := e.fake.Calls("Directive") - 1; got != 1 {
		t.Errorf("inner Directive called %d times for %d concurrent misses, want 1", got, n)
	}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("read %d: %v", i, errs[i])
		}
		if diff := cmp.Diff(want, results[i]); diff != "" {
			t.Errorf("read %d (-store +cache):\n%s", i, diff)
		}
	}
	// Callers do not share memory.
	results[0].Assignments[0].Unit.Name = "changed by caller 0"
	if results[1].Assignments[0].Unit.Name == "changed by caller 0" {
		t.Error("two callers share the same Assignments slice")
	}
	if s := e.cache.Counters(); s.Misses != n {
		t.Errorf("Misses = %d, want %d", s.Misses, n)
	}
}

// leaderGivesUp blocks Directive until released or the caller gives up.
type leaderGivesUp struct {
	*fakeStore
	entered chan struct{}
	release chan struct{}
}

func (s *leaderGivesUp) Directive(ctx context.Context, id int64) (store.Directive, error) {
	s.entered <- struct{}{}
	select {
	case <-s.release:
	case <-ctx.Done():
		return store.Directive{}, ctx.Err()
	}
	return s.fakeStore.Directive(ctx, id)
}

func TestFollowerOutlivesLeader(t *testing.T) {
	blocking := &leaderGivesUp{entered: make(chan struct{}, 2), release: make(chan struct{})}
	e := newEnv(t, withInner(func(f *fakeStore) store.Store {
		blocking.fakeStore = f
		return blocking
	}))
	leaderCtx, cancel := context.WithCancel(t.Context())
	leaderErr := make(chan error)
	go func() {
		_, err := e.cache.Directive(leaderCtx, idPatrol)
		leaderErr <- err
	}()
	<-e.joined
	<-blocking.entered // the flight is loading with the leader's context
	type result struct {
		d   store.Directive
		err error
	}
	follower := make(chan result)
	go func() {
		d, err := e.cache.Directive(t.Context(), idPatrol)
		follower <- result{d, err}
	}()
	<-e.joined
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error = %v, want context.Canceled", err)
	}
	<-blocking.entered // the follower loads on its own
	close(blocking.release)
	r := <-follower
	if r.err != nil || r.d.ID != idPatrol {
		t.Errorf("follower got %d, %v; want directive %d", r.d.ID, r.err, idPatrol)
	}
	if s := e.cache.Counters(); s.Errors != 0 || !e.cache.Available() {
		t.Errorf("Stats = %+v, Available = %v: a caller giving up is not a Redis failure", s, e.cache.Available())
	}
}

func TestCallerCancellationIsNotARedisFailure(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := e.cache.Directive(ctx, idPatrol); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if s := e.cache.Counters(); s.Errors != 0 || !e.cache.Available() {
		t.Errorf("Stats = %+v, Available = %v; want no errors and the breaker closed", s, e.cache.Available())
	}
	if n := e.logs.count("WARN"); n != 0 {
		t.Errorf("%d warnings logged:\n%s", n, e.logs)
	}
}

func TestEntriesExpireWithJitter(t *testing.T) {
	e := newEnv(t)
	const n = 20
	for i := range n {
		if _, err := e.cache.FindUnits(t.Context(), strings.Repeat("m", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := e.admin.Keys(t.Context(), e.prefix+entryVersion+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != n {
		t.Fatalf("%d entries, want %d", len(keys), n)
	}
	ttl := e.opts.TTL
	// Generous bounds: time passes between the SET and the PTTL.
	lo, hi := ttl*9/10-time.Minute, ttl*11/10
	distinct := map[time.Duration]bool{}
	for _, k := range keys {
		d, err := e.admin.PTTL(t.Context(), k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if d < lo || d > hi {
			t.Errorf("PTTL(%s) = %v, want within [%v, %v]", k, d, lo, hi)
		}
		distinct[d] = true
	}
	if len(distinct) < n/2 {
		t.Errorf("only %d distinct TTLs among %d entries: no jitter", len(distinct), n)
	}
	for _, n := range nsNames {
		d, err := e.admin.PTTL(t.Context(), genKey(e.prefix, n.name)).Result()
		if err != nil {
			t.Fatal(err)
		}
		if n.ns&mFindUnits.deps != 0 && d != -1 {
			t.Errorf("generation %s has TTL %v; counters must not expire", n.name, d)
		}
	}
}

// TestLostGenerationCounter: a counter that disappears (evicted, deleted)
// makes the entries depending on it misses.
func TestLostGenerationCounter(t *testing.T) {
	e := newEnv(t)
	r := readByName(t, "Directive")
	mustRead(t, r, e.cache)
	if err := e.admin.Del(t.Context(), genKey(e.prefix, "directives")).Err(); err != nil {
		t.Fatal(err)
	}
	mustRead(t, r, e.cache)
	mustRead(t, r, e.cache)
	if got := e.fake.Calls("Directive"); got != 2 {
		t.Errorf("inner Directive called %d times, want 2 (miss, miss after the loss, hit)", got)
	}
}

// TestInstancesShareInvalidation: a write through one instance is seen by
// reads through another.
func TestInstancesShareInvalidation(t *testing.T) {
	e := newEnv(t)
	other := e.newCache(t)
	r := readByName(t, "Directive")
	mustRead(t, r, other)
	mustRead(t, r, e.cache) // a hit on the entry other stored
	if got := e.fake.Calls("Directive"); got != 1 {
		t.Errorf("inner Directive called %d times, want 1: instances share entries", got)
	}
	if _, err := e.cache.Import(t.Context(), renamedDirective(), store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	d, err := other.Directive(t.Context(), idPatrol)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Tuần tra biên giới mùa mưa" {
		t.Errorf("other instance got %q after a write through the first", d.Title)
	}
}

func TestRedisOutage(t *testing.T) {
	tests := []struct {
		name string
		mode proxyMode
		// writeFirst: the first thing to meet the outage is a write,
		// whose bump then fails; otherwise a read opens the breaker and
		// the write never tries Redis.
		writeFirst bool
	}{
		{name: "refused", mode: refuse},
		{name: "refused, write first", mode: refuse, writeFirst: true},
		{name: "hung", mode: hang},
		{name: "hung, write first", mode: hang, writeFirst: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, viaProxy())
			ctx := t.Context()
			for _, r := range someReads {
				mustRead(t, r, e.cache)
			}
			write := func() {
				t.Helper()
				if _, err := e.cache.RecordProgress(ctx, store.ProgressInput{
					DirectiveID: idPatrol, UnitID: idMeoVac, At: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC), Percent: 100, Done: true,
				}); err != nil {
					t.Fatalf("RecordProgress during the outage: %v", err)
				}
			}

			e.proxy.Set(tc.mode)
			if tc.writeFirst {
				write()
			}
			for range 5 {
				for _, r := range someReads {
					checkFresh(t, e, r)
				}
			}
			if !tc.writeFirst {
				write()
			}
			for _, r := range someReads {
				checkFresh(t, e, r)
			}
			if e.cache.Available() {
				t.Fatal("Available() during the outage")
			}
			if n := e.logs.count("WARN"); n != 1 {
				t.Errorf("%d warnings during the outage, want 1:\n%s", n, e.logs)
			}
			s := e.cache.Counters()
			if s.Errors == 0 || s.Bypassed == 0 {
				t.Errorf("Stats = %+v, want errors and bypassed reads", s)
			}

			e.proxy.Set(pass)
			if !e.cache.probe(ctx) {
				t.Fatalf("breaker still open after a probe against a live Redis; log:\n%s", e.logs)
			}
			if !e.cache.Available() {
				t.Fatal("Available() = false after recovery")
			}
			if n := e.logs.count("INFO"); n != 1 {
				t.Errorf("%d info lines after recovery, want 1:\n%s", n, e.logs)
			}
			// The entries stored before the outage predate the write.
			for _, r := range someReads {
				checkFresh(t, e, r)
			}
			// And the cache serves again.
			calls := e.fake.TotalCalls()
			for _, r := range someReads {
				checkFresh(t, e, r)
			}
			if got := e.fake.TotalCalls() - calls - len(someReads); got != 0 {
				t.Errorf("after recovery, %d of %d reads went to the store, want 0", got, len(someReads))
			}
			if n := e.logs.count("WARN"); n != 1 {
				t.Errorf("%d warnings in all, want 1:\n%s", n, e.logs)
			}
		})
	}
}

func TestProbeLoop(t *testing.T) {
	e := newEnv(t, viaProxy())
	r := readByName(t, "Directive")
	mustRead(t, r, e.cache)

	e.proxy.Set(refuse)
	checkFresh(t, e, r) // opens the breaker and wakes the loop
	if e.cache.Available() {
		t.Fatal("Available() with Redis refusing connections")
	}
	e.ticks <- time.Now()
	<-e.probed
	if e.cache.Available() {
		t.Fatal("a probe against a dead Redis closed the breaker")
	}

	e.proxy.Set(pass)
	e.ticks <- time.Now()
	<-e.probed
	if !e.cache.Available() {
		t.Fatalf("a probe against a live Redis left the breaker open; log:\n%s", e.logs)
	}
	if w, i := e.logs.count("WARN"), e.logs.count("INFO"); w != 1 || i != 1 {
		t.Errorf("%d warnings and %d info lines, want 1 and 1:\n%s", w, i, e.logs)
	}

	// A second outage is logged again, once.
	e.proxy.Set(refuse)
	for range 3 {
		checkFresh(t, e, r)
	}
	if n := e.logs.count("WARN"); n != 2 {
		t.Errorf("%d warnings after a second outage, want 2:\n%s", n, e.logs)
	}
	e.proxy.Set(pass)
	e.ticks <- time.Now()
	<-e.probed
	if !e.cache.Available() {
		t.Fatal("breaker open after the second recovery")
	}
}

func TestCloseStopsTheProbe(t *testing.T) {
	e := newEnv(t)
	for range 2 {
		if err := e.cache.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	select {
	case <-e.cache.done:
	default:
		t.Fatal("probe goroutine still running after Close")
	}
	// Still answers.
	checkFresh(t, e, readByName(t, "Units"))
}

func TestImportTouched(t *testing.T) {
	changed := store.ImportCounts{Updated: 1}
	created := store.ImportCounts{Created: 2}
	same := store.ImportCounts{Unchanged: 3}
	tests := []struct {
		name string
		res  store.ImportResult
		err  error
		want nsSet
	}{
		{name: "nothing changed", res: store.ImportResult{Units: same, Directives: same}, want: 0},
		{name: "units updated", res: store.ImportResult{Units: changed, Directives: same}, want: nsUnits},
		{name: "meetings and directives created", res: store.ImportResult{Meetings: created, Directives: created}, want: nsMeetings | nsDirectives},
		{name: "programs", res: store.ImportResult{Programs: changed}, want: nsPrograms},
		{name: "invalid dataset", err: store.ImportErrors{{Record: "x", Msg: "bad"}}, want: 0},
		{name: "conflict", err: store.ErrConflict, want: 0},
		{name: "unknown failure", err: errors.New("commit: connection lost"), want: nsAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := importTouched(tc.res, tc.err); got != tc.want {
				t.Errorf("importTouched = %04b, want %04b", got, tc.want)
			}
		})
	}
}
