// Package redistest connects tests to Redis: the real server named by
// MEETBOT_TEST_REDIS_URL (default redis://127.0.0.1:6379/15) when it
// answers, else an embedded miniredis, unless MEETBOT_REQUIRE_REDIS=1
// (CI), where an unreachable server fails the test. Each test gets its
// own key prefix and deletes only its own keys: the database is shared
// with other packages' tests running at the same time.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// DefaultURL is the test database when MEETBOT_TEST_REDIS_URL is unset.
const DefaultURL = "redis://127.0.0.1:6379/15"

// Redis is a connection for one test.
type Redis struct {
	Client *redis.Client
	// Prefix is unique to the test; keys under it are deleted at cleanup.
	Prefix string
	// Real is true for a real server, false for miniredis.
	Real bool
	// Addr is the server's host:port (for proxies in tests).
	Addr string
	// Mini is the embedded server when Real is false.
	Mini *miniredis.Miniredis
}

// URL returns the test server's URL.
func URL() string {
	if u := os.Getenv("MEETBOT_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New connects t to Redis and registers the cleanup of its keys.
func New(t testing.TB) *Redis {
	t.Helper()
	prefix := "meetbot-test:" + t.Name() + ":" + randHex() + ":"
	opts, err := redis.ParseURL(URL())
	if err != nil {
		t.Fatalf("MEETBOT_TEST_REDIS_URL: %v", err)
	}
	opts.DialTimeout = 300 * time.Millisecond
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	err = c.Ping(ctx).Err()
	cancel()
	if err == nil {
		t.Logf("redis: using the real server at %s", opts.Addr)
		t.Cleanup(func() {
			cleanup(c, prefix)
			_ = c.Close()
		})
		return &Redis{Client: c, Prefix: prefix, Real: true, Addr: opts.Addr}
	}
	_ = c.Close()
	if os.Getenv("MEETBOT_REQUIRE_REDIS") == "1" {
		t.Fatalf("redis: %s unreachable (%v) and MEETBOT_REQUIRE_REDIS=1", opts.Addr, err)
	}
	m := miniredis.RunT(t)
	t.Logf("redis: %s unreachable (%v); using embedded miniredis at %s", opts.Addr, err, m.Addr())
	c = redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	return &Redis{Client: c, Prefix: prefix, Real: false, Addr: m.Addr(), Mini: m}
}

func cleanup(c *redis.Client, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
		if len(keys) == 500 {
			c.Del(ctx, keys...)
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		c.Del(ctx, keys...)
	}
}

func randHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
