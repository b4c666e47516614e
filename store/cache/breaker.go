package cache

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// maxRecoveryBumps bounds how often one probe bumps every generation while
// writes keep arriving; past it the next probe tries again.
const maxRecoveryBumps = 3

// fail records a Redis failure and opens the breaker. dirty says a write's
// bump was lost: every generation must be bumped before the breaker closes.
//
// A failure while the caller's context is done is the caller giving up,
// not Redis failing, unless a bump was lost. A full connection pool is a
// burst, not a dead Redis: that request goes to the store, and the breaker
// stays closed.
func (c *Cache) fail(ctx context.Context, err error, dirty bool) {
	if !dirty && ctx.Err() != nil {
		return
	}
	c.errs.Add(1)
	if !dirty && errors.Is(err, redis.ErrPoolTimeout) {
		return
	}
	c.mu.Lock()
	if dirty {
		c.dirty = true
	}
	if c.open {
		c.mu.Unlock()
		return
	}
	c.open = true
	c.openedAt = time.Now()
	c.available.Store(false)
	c.mu.Unlock()

	c.log.Warn("cache: redis unavailable, serving from the store until it answers", "err", err)
	select {
	case c.wake <- struct{}{}:
	default: // the loop is already awake
	}
}

// probeLoop probes Redis every probeInterval while the breaker is open,
// until ctx ends.
func (c *Cache) probeLoop(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		tick, stop := c.newTicker(c.probeInterval)
		for !c.available.Load() {
			select {
			case <-ctx.Done():
				stop()
				return
			case <-tick:
				c.probe(ctx)
				if c.onProbe != nil {
					c.onProbe()
				}
			}
		}
		stop()
	}
}

// probe pings Redis if the breaker is open and closes it when Redis
// answers, first bumping every generation if writes happened meanwhile.
// It reports whether the breaker is closed on return.
func (c *Cache) probe(ctx context.Context) bool {
	c.probeMu.Lock()
	defer c.probeMu.Unlock()
	if c.available.Load() {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		c.log.Debug("cache: redis probe failed", "err", err)
		return false
	}
	for range maxRecoveryBumps {
		c.mu.Lock()
		if !c.dirty {
			// Closing under mu: a write either saw the breaker open and set
			// dirty before this point, or sees it closed and bumps itself.
			c.open = false
			c.available.Store(true)
			down := time.Since(c.openedAt)
			c.mu.Unlock()
			c.log.Info("cache: redis available again", "down", down.Round(time.Millisecond))
			return true
		}
		c.dirty = false
		c.mu.Unlock()
		if err := c.bump(ctx, nsAll); err != nil {
			c.mu.Lock()
			c.dirty = true
			c.mu.Unlock()
			c.log.Debug("cache: redis probe could not bump generations", "err", err)
			return false
		}
	}
	return false
}
