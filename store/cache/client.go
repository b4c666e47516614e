package cache

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
)

// Timeouts NewClient sets on the Redis client, unless the URL's query sets
// them (dial_timeout, read_timeout, write_timeout, pool_timeout). They are
// short on purpose: Redis on the same host or LAN answers in well under a
// millisecond, so a Redis that is down or hung costs a request one of these
// at most, after which the breaker serves from the store without trying
// Redis at all.
const (
	// DialTimeout bounds establishing a connection (one attempt).
	DialTimeout = 100 * time.Millisecond
	// ReadTimeout bounds waiting for a reply on a socket.
	ReadTimeout = 100 * time.Millisecond
	// WriteTimeout bounds writing a command on a socket. A read_timeout
	// in the URL applies to writes too, unless write_timeout is also set.
	WriteTimeout = ReadTimeout
	// PoolTimeout bounds waiting for a free connection when all are busy.
	PoolTimeout = 100 * time.Millisecond
)

// NewClient returns a Redis client for url (the REDIS_URL form:
// redis://[user:password@]host:port/db, or rediss:// for TLS) set up for a
// cache that must fail fast: the timeouts above, one dial attempt per
// connection, no command retries (set max_retries in the URL to have some)
// and ContextTimeoutEnabled, so a caller's deadline also cuts socket I/O.
// The caller owns the client and closes it. The error never contains the
// URL, which may carry a password.
func NewClient(rawURL string) (*redis.Client, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		// url.Parse errors quote the whole URL, password included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("parse redis URL: %w", err)
	}
	if opt.DialTimeout == 0 {
		opt.DialTimeout = DialTimeout
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = ReadTimeout
	}
	if opt.WriteTimeout == 0 {
		// As go-redis does, the write timeout follows the read timeout
		// (WriteTimeout when neither is in the URL).
		opt.WriteTimeout = opt.ReadTimeout
	}
	if opt.PoolTimeout == 0 {
		opt.PoolTimeout = PoolTimeout
	}
	if opt.MaxRetries == 0 {
		// go-redis reads 0 as "3 retries"; -1 means none. A retry against a
		// dead server only doubles the time the caller waits.
		opt.MaxRetries = -1
	}
	// The default of 5 dial attempts with 100ms pauses turns a refused
	// connection into half a second per command.
	opt.DialerRetries = 1
	opt.ContextTimeoutEnabled = true
	return redis.NewClient(opt), nil
}
