// Package cache is a Redis read-through cache in front of any store.Store.
//
// A *Cache has the same methods as store.Store. Reads are answered from
// Redis when an entry computed from the current data is there, and from the
// inner store otherwise (the answer is then stored in Redis). Writes go to
// the inner store and then invalidate what they may have changed, so a read
// that starts after a write returns never sees data older than the write.
//
// # Invalidation
//
// Each kind of record (units, meetings, directives, programs) is a
// namespace with a generation counter in Redis. Every cached read depends on
// a fixed set of namespaces (a directive carries its meeting's title, its
// program's name and its units' names, so it depends on all four). An entry
// stores the generations it was computed under next to the answer; a read
// fetches the entry and the current generations in one pipelined round trip
// and treats any difference as a miss. A write bumps the generations of the
// namespaces it touched once the inner store has committed. The generations
// are read before the inner store is, so an answer computed while a write
// commits is stored under the old generations and never served.
//
// # Redis failures
//
// Redis errors never reach callers. The first one opens a breaker: reads go
// straight to the inner store without touching Redis, and one warning is
// logged. A background probe pings Redis every Options.ProbeInterval; when
// it answers, the breaker closes and one info line is logged. Writes made
// while the breaker was open (whose bumps could not be sent) bump every
// generation before the cache serves from Redis again.
//
// # Keys
//
// All keys start with Options.Prefix. Generation counters are
// "<prefix>gen:<namespace>" and never expire. Entries are
// "<prefix>c2-<layout>:<method>:<arguments>", where layout fingerprints
// the Go types of the answers, and the arguments are the id, the code, the
// text or the JSON of the filter, replaced by "#" and a SHA-256 prefix when
// long or not printable ASCII. An entry's value is the comma-separated
// generations it depends on, a newline, and the answer in the binary form
// described in codec.go; it expires after Options.TTL ±10%.
package cache

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"meetbot/store"
)

// Defaults of Options.
const (
	// DefaultPrefix is Options.Prefix when none is given.
	DefaultPrefix = "meetbot:"
	// DefaultTTL is Options.TTL when none is given.
	DefaultTTL = 10 * time.Minute
	// DefaultProbeInterval is Options.ProbeInterval when none is given.
	DefaultProbeInterval = time.Second
)

// probeTimeout bounds one probe (a PING, and the bump of every generation
// after writes made while Redis was unreachable).
const probeTimeout = time.Second

// Options configure a Cache. Zero fields take the defaults.
type Options struct {
	// Prefix starts every key the cache reads or writes (default
	// "meetbot:"). Caches sharing a Redis database and a Prefix share
	// entries and generations, as instances of the bot should. With a
	// Redis Cluster client the Prefix must be a hash tag ("{meetbot}:"):
	// a read fetches generations and entry in one MGET and GET.
	Prefix string
	// TTL is the lifetime of an entry (default 10 minutes), varied by ±10%
	// per entry so entries filled together do not expire together. It only
	// bounds memory: invalidation does not depend on it.
	TTL time.Duration
	// ProbeInterval is the time between pings while the breaker is open
	// (default 1 second).
	ProbeInterval time.Duration
	// Log receives the breaker's transitions (one Warn when it opens, one
	// Info when it closes) and unexpected problems; nil discards.
	Log *slog.Logger

	// newTicker replaces time.NewTicker for the probe loop in tests.
	newTicker func(time.Duration) (<-chan time.Time, func())
	// onJoin runs after a miss joined its flight (tests).
	onJoin func(key string)
	// onProbe runs after the probe loop ran a probe (tests).
	onProbe func()
}

// Stats are counters since New. Reads count exactly one of Hits, Misses
// and Bypassed.
type Stats struct {
	// Hits are reads answered from Redis.
	Hits uint64
	// Misses are reads answered by the inner store while Redis was
	// reachable (no entry, an outdated one, or Redis failed during the read).
	Misses uint64
	// Bypassed are reads sent straight to the inner store because the
	// breaker was open.
	Bypassed uint64
	// Errors are Redis failures (caller cancellations and redis.Nil are not
	// counted).
	Errors uint64
}

// Cache is a store.Store that caches the reads of another in Redis. It is
// safe for concurrent use. Create it with New and stop it with Close.
type Cache struct {
	inner   store.Store
	rdb     redis.UniversalClient
	log     *slog.Logger
	prefix  string
	ttl     time.Duration
	genKeys [nsAll + 1][]string // generation keys of each namespace set
	sf      singleflight.Group

	hits, misses, bypassed, errs atomic.Uint64

	// available is the fast-path view of !open.
	available atomic.Bool
	mu        sync.Mutex // guards open, dirty, openedAt
	open      bool
	// dirty: a write could not bump its generations; every generation must
	// be bumped before the breaker closes.
	dirty    bool
	openedAt time.Time
	wake     chan struct{} // tells the probe loop the breaker opened
	probeMu  sync.Mutex    // one probe at a time

	probeInterval time.Duration
	newTicker     func(time.Duration) (<-chan time.Time, func())
	stop          context.CancelFunc
	done          chan struct{}
	closeOnce     sync.Once

	// Test hooks (Options.onJoin, Options.onProbe), nil in production.
	onJoin  func(key string)
	onProbe func()
}

var _ store.Store = (*Cache)(nil)

// New returns a Cache in front of inner using rdb, and starts its probe
// goroutine; call Close to stop it. The breaker starts closed: the first
// Redis failure opens it. New does not contact Redis. The caller keeps
// ownership of rdb (Close does not close it) and of inner.
func New(inner store.Store, rdb redis.UniversalClient, opts Options) *Cache {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.ProbeInterval <= 0 {
		opts.ProbeInterval = DefaultProbeInterval
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.newTicker == nil {
		opts.newTicker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	c := &Cache{
		inner:         inner,
		rdb:           rdb,
		log:           opts.Log,
		prefix:        opts.Prefix,
		ttl:           opts.TTL,
		wake:          make(chan struct{}, 1),
		probeInterval: opts.ProbeInterval,
		newTicker:     opts.newTicker,
		done:          make(chan struct{}),
		onJoin:        opts.onJoin,
		onProbe:       opts.onProbe,
	}
	for set := range c.genKeys {
		for _, n := range nsNames {
			if nsSet(set)&n.ns != 0 {
				c.genKeys[set] = append(c.genKeys[set], genKey(c.prefix, n.name))
			}
		}
	}
	c.available.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	c.stop = cancel
	go c.probeLoop(ctx)
	return c
}

// Close stops the probe goroutine and waits for it. It does not close the
// Redis client or the inner store. The Cache still answers afterwards, but
// once the breaker opens it stays open. Close always returns nil.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() {
		c.stop()
		<-c.done
	})
	return nil
}

// Counters returns the hit, miss and error counters. They are read one by
// one, not as a snapshot.
func (c *Cache) Counters() Stats {
	return Stats{
		Hits:     c.hits.Load(),
		Misses:   c.misses.Load(),
		Bypassed: c.bypassed.Load(),
		Errors:   c.errs.Load(),
	}
}

// Available reports whether the breaker is closed: reads use Redis. It is
// false from the first Redis failure until a probe succeeds (and the
// generations are bumped if writes happened in between).
func (c *Cache) Available() bool { return c.available.Load() }

// flight is what a collapsed miss shares between its callers.
type flight struct {
	v       any
	payload []byte // the encoded v
}

// read answers a read method m with arguments args: from Redis if a
// current entry is there, else from load (the inner store), storing the
// answer.
func read[T any](ctx context.Context, c *Cache, m method, args string, cd codec[T], load func(context.Context) (T, error)) (T, error) {
	if !c.available.Load() {
		c.bypassed.Add(1)
		return load(ctx)
	}
	key := entryKey(c.prefix, m, args)
	genKeys := c.genKeys[m.deps]

	// One round trip: the generations the answer depends on, and the entry.
	pipe := c.rdb.Pipeline()
	mget := pipe.MGet(ctx, genKeys...)
	get := pipe.Get(ctx, key)
	_, _ = pipe.Exec(ctx) // errors are read per command below
	if err := mget.Err(); err != nil {
		return missAfterFailure(ctx, c, err, load)
	}
	val, err := get.Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return missAfterFailure(ctx, c, err, load)
	}
	tag, complete := genTag(mget.Val())
	if complete && err == nil && len(val) > len(tag) && val[len(tag)] == '\n' && strings.HasPrefix(val, tag) {
		v, err := cd.decode(val[len(tag)+1:])
		if err == nil {
			c.hits.Add(1)
			return v, nil
		}
		// An entry we cannot decode is a miss; the fill overwrites it.
		c.log.Warn("cache: undecodable entry", "key", key, "err", err)
	}
	c.misses.Add(1)
	if !complete {
		if tag, err = c.initGens(ctx, genKeys); err != nil {
			c.fail(ctx, err, false)
			return load(ctx)
		}
	}
	return fill(ctx, c, key, tag, cd, load)
}

// missAfterFailure answers a read whose Redis round trip failed.
func missAfterFailure[T any](ctx context.Context, c *Cache, err error, load func(context.Context) (T, error)) (T, error) {
	c.misses.Add(1)
	c.fail(ctx, err, false)
	return load(ctx)
}

// fill answers a miss from load and stores the answer under tag, the
// generations read before load was called. Concurrent misses for the same
// key and generations share one call to load.
func fill[T any](ctx context.Context, c *Cache, key, tag string, cd codec[T], load func(context.Context) (T, error)) (T, error) {
	// The generations are part of the flight key: a read that started after
	// a write saw the bumped generations and must not share an answer
	// loaded before the write.
	ch := c.sf.DoChan(key+"\x00"+tag, func() (any, error) {
		v, err := load(ctx)
		if err != nil {
			return nil, err
		}
		entry := append(append(make([]byte, 0, 512), tag...), '\n')
		entry = cd.append(entry, &v)
		c.set(ctx, key, entry)
		return flight{v: v, payload: entry[len(tag)+1:]}, nil
	})
	if c.onJoin != nil {
		c.onJoin(key)
	}
	var zero T
	select {
	case r := <-ch:
		if r.Err != nil {
			if r.Shared && isContextErr(r.Err) && ctx.Err() == nil {
				// The caller that ran the load gave up; this one has not.
				return load(ctx)
			}
			return zero, r.Err
		}
		f := r.Val.(flight)
		if r.Shared {
			// Each caller gets its own copy: slices must not be shared.
			if v, err := cd.decode(string(f.payload)); err == nil {
				return v, nil
			}
		}
		return f.v.(T), nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// set stores an entry. It runs even if the caller has given up: the answer
// is already computed.
func (c *Cache) set(ctx context.Context, key string, entry []byte) {
	ctx = context.WithoutCancel(ctx)
	if err := c.rdb.Set(ctx, key, entry, c.jitteredTTL()).Err(); err != nil {
		c.fail(ctx, err, false)
	}
}

// jitteredTTL returns the TTL varied uniformly by up to ±10%.
func (c *Cache) jitteredTTL() time.Duration {
	return time.Duration(float64(c.ttl) * (0.9 + 0.2*rand.Float64()))
}

// genTag joins MGET's answer into an entry tag; complete is false when a
// generation counter does not exist.
func genTag(vals []any) (tag string, complete bool) {
	var b strings.Builder
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			return "", false
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s)
	}
	return b.String(), true
}

// initGens creates the missing generation counters among keys and returns
// the tag of their values. A counter starts at the current time in
// nanoseconds rather than 0, so a counter lost (evicted, deleted) and
// created again never takes a value it had before, which would revive
// entries computed under that value.
func (c *Cache) initGens(ctx context.Context, keys []string) (string, error) {
	seed := time.Now().UnixNano()
	pipe := c.rdb.Pipeline()
	for _, k := range keys {
		pipe.SetNX(ctx, k, seed, 0)
	}
	mget := pipe.MGet(ctx, keys...)
	if _, err := pipe.Exec(ctx); err != nil {
		return "", err
	}
	tag, complete := genTag(mget.Val())
	if !complete {
		return "", errors.New("generation counter missing right after creation")
	}
	return tag, nil
}

// bump increments the generation counters of set, creating missing ones as
// initGens does.
func (c *Cache) bump(ctx context.Context, set nsSet) error {
	seed := time.Now().UnixNano()
	pipe := c.rdb.Pipeline()
	for _, k := range c.genKeys[set] {
		pipe.SetNX(ctx, k, seed, 0)
		pipe.Incr(ctx, k)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// invalidate bumps the generations of set after a write. If Redis cannot
// be told, the write is remembered and every generation is bumped before
// the breaker closes again.
func (c *Cache) invalidate(ctx context.Context, set nsSet) {
	if set == 0 {
		return
	}
	c.mu.Lock()
	if c.open {
		c.dirty = true
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	// The caller's cancellation must not skip the invalidation of a
	// committed write; the client's timeouts bound it.
	if err := c.bump(context.WithoutCancel(ctx), set); err != nil {
		c.fail(ctx, err, true)
	}
}

// isContextErr reports whether err is a context's cancellation or expiry.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
