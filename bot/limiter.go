package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// Limit is a rate: Rate events per Period, with bursts of up to Burst.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// Limits are the sending rates the sender keeps. The defaults stay just
// under Telegram's published limits (30 messages/s in total, about 1/s
// per chat with short bursts, 20/min per group) so that no window of the
// published size ever holds more than the limit.
type Limits struct {
	Global  Limit // all chats together
	Private Limit // one private chat (chat id > 0)
	Group   Limit // one group or channel (chat id < 0)
}

// DefaultLimits returns the limits the bot runs with.
func DefaultLimits() Limits {
	return Limits{
		// 29/s, one at a time: no 1-second window sees more than 30.
		// Slots are reserved (Limiter.Reserve), so a sender waking late
		// does not push later slots back.
		Global: Limit{Rate: 29, Period: time.Second, Burst: 1},
		// A reply split in three parts goes out at once; then 1/s.
		Private: Limit{Rate: 1, Period: time.Second, Burst: 3},
		// 3 at once, then one every ~3.5 s: at most 20 in any minute.
		Group: Limit{Rate: 17, Period: time.Minute, Burst: 3},
	}
}

// Limiter grants sending slots per key and remembers 429 blocks. The
// in-process one serves a single instance; the Redis one is shared by
// every instance using the same token.
type Limiter interface {
	// Allow takes one slot of key under l if one is free now and returns
	// 0; otherwise it takes nothing and returns how long to wait.
	Allow(ctx context.Context, key string, l Limit) (time.Duration, error)
	// Reserve takes the next free slot of key, now or later, and returns
	// how long to wait before using it: slots follow each other at the
	// rate whenever their takers actually wake up. An implementation that
	// cannot reserve may wait itself and return 0.
	Reserve(ctx context.Context, key string, l Limit) (time.Duration, error)
	// Peek returns how long until a slot of key is free, taking none.
	Peek(ctx context.Context, key string, l Limit) (time.Duration, error)
	// Block forbids sending on key for d (a 429's retry_after).
	Block(ctx context.Context, key string, d time.Duration) error
	// Blocked returns how long key stays blocked (0 if not).
	Blocked(ctx context.Context, key string) (time.Duration, error)
}

// MemoryLimiter is the in-process Limiter, on golang.org/x/time/rate.
type MemoryLimiter struct {
	now func() time.Time

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	blocked  map[string]time.Time
	sweepAt  time.Time
}

// NewMemoryLimiter returns an in-process limiter using now as its clock
// (time.Now if nil).
func NewMemoryLimiter(now func() time.Time) *MemoryLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimiter{now: now, limiters: map[string]*rate.Limiter{}, blocked: map[string]time.Time{}}
}

// Allow implements Limiter.
func (m *MemoryLimiter) Allow(_ context.Context, key string, l Limit) (time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	r := m.limiter(key, l).ReserveN(now, 1)
	if !r.OK() {
		return 0, fmt.Errorf("limit %v cannot grant one slot", l)
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, nil
	}
	return 0, nil
}

// Reserve implements Limiter.
func (m *MemoryLimiter) Reserve(_ context.Context, key string, l Limit) (time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.limiter(key, l).ReserveN(now, 1)
	if !r.OK() {
		return 0, fmt.Errorf("limit %v cannot grant one slot", l)
	}
	return r.DelayFrom(now), nil
}

// limiter returns key's limiter, creating it; m.mu must be held.
func (m *MemoryLimiter) limiter(key string, l Limit) *rate.Limiter {
	lim, ok := m.limiters[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(l.Period/time.Duration(l.Rate)), l.Burst)
		m.limiters[key] = lim
	}
	return lim
}

// Peek implements Limiter.
func (m *MemoryLimiter) Peek(_ context.Context, key string, l Limit) (time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	lim, ok := m.limiters[key]
	if !ok {
		return 0, nil
	}
	if tokens := lim.TokensAt(now); tokens < 1 {
		return time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second)), nil
	}
	return 0, nil
}

// Block implements Limiter.
func (m *MemoryLimiter) Block(_ context.Context, key string, d time.Duration) error {
	until := m.now().Add(d)
	m.mu.Lock()
	defer m.mu.Unlock()
	if until.After(m.blocked[key]) {
		m.blocked[key] = until
	}
	return nil
}

// Blocked implements Limiter.
func (m *MemoryLimiter) Blocked(_ context.Context, key string) (time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if until, ok := m.blocked[key]; ok && until.After(now) {
		return until.Sub(now), nil
	}
	return 0, nil
}

// sweep drops limiters that are full again (idle chats), once a minute,
// so memory follows the chats active in the last minutes.
func (m *MemoryLimiter) sweep(now time.Time) {
	if now.Before(m.sweepAt) {
		return
	}
	m.sweepAt = now.Add(time.Minute)
	for k, lim := range m.limiters {
		if lim.TokensAt(now) >= float64(lim.Burst()) {
			delete(m.limiters, k)
		}
	}
	for k, until := range m.blocked {
		if !until.After(now) {
			delete(m.blocked, k)
		}
	}
}

// RedisLimiter shares slots and blocks between instances through Redis
// (GCRA from github.com/go-redis/redis_rate). When Redis fails it falls
// back to an in-process limiter, logging the switch once each way: a
// bot must keep sending, and one instance alone still keeps the limits.
type RedisLimiter struct {
	rdb      redis.UniversalClient
	rl       *redis_rate.Limiter
	prefix   string
	fallback *MemoryLimiter
	log      *slog.Logger
	down     atomic.Bool
}

// NewRedisLimiter returns a limiter keeping its state under prefix in rdb.
func NewRedisLimiter(rdb redis.UniversalClient, prefix string, log *slog.Logger) *RedisLimiter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RedisLimiter{rdb: rdb, rl: redis_rate.NewLimiter(rdb), prefix: prefix, fallback: NewMemoryLimiter(nil), log: log}
}

func (r *RedisLimiter) failed(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		if err == nil && r.down.CompareAndSwap(true, false) {
			r.log.Info("rate limiter: redis is back, limits shared again")
		}
		return false
	}
	if r.down.CompareAndSwap(false, true) {
		r.log.Warn("rate limiter: redis unavailable, limiting in process", "err", err)
	}
	return true
}

// Allow implements Limiter.
func (r *RedisLimiter) Allow(ctx context.Context, key string, l Limit) (time.Duration, error) {
	res, err := r.rl.Allow(ctx, r.prefix+key, redis_rate.Limit{Rate: l.Rate, Period: l.Period, Burst: l.Burst})
	if r.failed(err) {
		return r.fallback.Allow(ctx, key, l)
	}
	if err != nil {
		return 0, err
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return max(res.RetryAfter, time.Millisecond), nil
}

// Reserve implements Limiter. redis_rate cannot reserve a future slot, so
// this asks until a slot is granted, waiting in between, and returns 0.
func (r *RedisLimiter) Reserve(ctx context.Context, key string, l Limit) (time.Duration, error) {
	for {
		d, err := r.Allow(ctx, key, l)
		if err != nil || d == 0 {
			return 0, err
		}
		if err := sleep(ctx, d); err != nil {
			return 0, err
		}
	}
}

// Peek implements Limiter. A request of cost 0 reads the GCRA state
// without changing it: one slot is free once ResetAfter has shrunk to
// (burst-1) emission intervals.
func (r *RedisLimiter) Peek(ctx context.Context, key string, l Limit) (time.Duration, error) {
	res, err := r.rl.AllowN(ctx, r.prefix+key, redis_rate.Limit{Rate: l.Rate, Period: l.Period, Burst: l.Burst}, 0)
	if r.failed(err) {
		return r.fallback.Peek(ctx, key, l)
	}
	if err != nil {
		return 0, err
	}
	emission := l.Period / time.Duration(l.Rate)
	return max(res.ResetAfter-time.Duration(l.Burst-1)*emission, 0), nil
}

// Block implements Limiter.
func (r *RedisLimiter) Block(ctx context.Context, key string, d time.Duration) error {
	_ = r.fallback.Block(ctx, key, d)
	k := r.prefix + "block:" + key
	// Keep the longer of an existing block and this one.
	err := r.rdb.Eval(ctx, `local t = redis.call('PTTL', KEYS[1])
if t < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`, []string{k}, strconv.FormatInt(max(d.Milliseconds(), 1), 10)).Err()
	if r.failed(err) {
		return nil
	}
	return err
}

// Blocked implements Limiter.
func (r *RedisLimiter) Blocked(ctx context.Context, key string) (time.Duration, error) {
	d, err := r.rdb.PTTL(ctx, r.prefix+"block:"+key).Result()
	if r.failed(err) {
		return r.fallback.Blocked(ctx, key)
	}
	if err != nil {
		return 0, err
	}
	if d < 0 { // -2 no key, -1 no expiry (never set by us)
		return r.fallback.Blocked(ctx, key)
	}
	return d, nil
}
