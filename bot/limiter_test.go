package bot

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meetbot/internal/redistest"
)

func TestMemoryLimiter(t *testing.T) {
	now := time.Date(2024, 4, 17, 8, 0, 0, 0, time.UTC)
	m := NewMemoryLimiter(func() time.Time { return now })
	ctx := t.Context()
	l := Limit{Rate: 1, Period: time.Second, Burst: 2}
	for i := range 2 {
		if d, _ := m.Allow(ctx, "k", l); d != 0 {
			t.Fatalf("slot %d of a burst of 2 refused (%v)", i, d)
		}
	}
	if d, _ := m.Peek(ctx, "k", l); d != time.Second {
		t.Errorf("Peek after the burst = %v; want 1s", d)
	}
	if d, _ := m.Allow(ctx, "k", l); d != time.Second {
		t.Errorf("third slot: wait %v; want 1s", d)
	}
	// A refused Allow took nothing: the same answer again.
	if d, _ := m.Allow(ctx, "k", l); d != time.Second {
		t.Errorf("after a refusal: wait %v; want still 1s", d)
	}
	now = now.Add(time.Second)
	if d, _ := m.Allow(ctx, "k", l); d != 0 {
		t.Errorf("after 1s: wait %v; want a free slot", d)
	}
	_ = m.Block(ctx, "k", 3*time.Second)
	_ = m.Block(ctx, "k", time.Second) // shorter: the longer block stays
	if d, _ := m.Blocked(ctx, "k"); d != 3*time.Second {
		t.Errorf("Blocked = %v; want 3s", d)
	}
	now = now.Add(3 * time.Second)
	if d, _ := m.Blocked(ctx, "k"); d != 0 {
		t.Errorf("Blocked after it ended = %v", d)
	}
}

func TestRedisLimiter(t *testing.T) {
	r := redistest.New(t)
	lim := NewRedisLimiter(r.Client, r.Prefix, nil)
	ctx := t.Context()
	l := Limit{Rate: 1, Period: time.Minute, Burst: 2}
	for i := range 2 {
		if d, err := lim.Allow(ctx, "chat:1", l); err != nil || d != 0 {
			t.Fatalf("slot %d: %v, %v", i, d, err)
		}
	}
	d, err := lim.Allow(ctx, "chat:1", l)
	if err != nil || d < 59*time.Second || d > time.Minute {
		t.Errorf("third slot: wait %v, %v; want about a minute", d, err)
	}
	if p, err := lim.Peek(ctx, "chat:1", l); err != nil || p < 59*time.Second || p > time.Minute {
		t.Errorf("Peek = %v, %v; want about a minute", p, err)
	}
	if p, err := lim.Peek(ctx, "chat:2", l); err != nil || p != 0 {
		t.Errorf("Peek on a fresh key = %v, %v; want 0", p, err)
	}
	// Another instance sharing Redis sees the same state.
	other := NewRedisLimiter(r.Client, r.Prefix, nil)
	if d, _ := other.Allow(ctx, "chat:1", l); d == 0 {
		t.Error("a second instance got a slot the first one used")
	}
	if err := lim.Block(ctx, "chat:9", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if d, err := other.Blocked(ctx, "chat:9"); err != nil || d <= 4*time.Second || d > 5*time.Second {
		t.Errorf("block seen by another instance = %v, %v; want ~5s", d, err)
	}
}

// With Redis unreachable the limiter keeps limiting, in process, without
// returning errors to the sender.
func TestRedisLimiterFallsBack(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	defer c.Close()
	lim := NewRedisLimiter(c, "x:", nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	l := Limit{Rate: 1, Period: time.Minute, Burst: 1}
	if d, err := lim.Allow(ctx, "k", l); err != nil || d != 0 {
		t.Fatalf("first slot with Redis down: %v, %v", d, err)
	}
	if d, err := lim.Allow(ctx, "k", l); err != nil || d == 0 {
		t.Errorf("second slot with Redis down: %v, %v; want a wait from the in-process limiter", d, err)
	}
	if err := lim.Block(ctx, "k", time.Minute); err != nil {
		t.Error(err)
	}
	if d, err := lim.Blocked(ctx, "k"); err != nil || d == 0 {
		t.Errorf("Blocked with Redis down = %v, %v; want the in-process block", d, err)
	}
}
