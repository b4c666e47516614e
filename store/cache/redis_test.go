package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// defaultTestRedisURL is the Redis the tests use unless
// MEETBOT_TEST_REDIS_URL says otherwise. DB 15 is shared with other
// packages' tests: each test uses its own key prefix and deletes only its
// own keys.
const defaultTestRedisURL = "redis://127.0.0.1:6379/15"

var realRedis struct {
	once sync.Once
	url  string // "" if unreachable
	err  error
}

// testRedisURL returns the URL of a Redis for t: the real one if it
// answers, else (unless MEETBOT_REQUIRE_REDIS=1) a miniredis that lives as
// long as t. It logs which.
func testRedisURL(tb testing.TB) string {
	tb.Helper()
	realRedis.once.Do(func() {
		u := os.Getenv("MEETBOT_TEST_REDIS_URL")
		if u == "" {
			u = defaultTestRedisURL
		}
		rdb, err := NewClient(u)
		if err != nil {
			realRedis.err = err
			return
		}
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := rdb.Ping(ctx).Err(); err != nil {
			realRedis.err = fmt.Errorf("ping %s: %w", redactURL(u), err)
			return
		}
		realRedis.url = u
	})
	if realRedis.url != "" {
		tb.Logf("using Redis at %s", redactURL(realRedis.url))
		return realRedis.url
	}
	if os.Getenv("MEETBOT_REQUIRE_REDIS") == "1" {
		tb.Fatalf("MEETBOT_REQUIRE_REDIS=1 but Redis is unreachable: %v", realRedis.err)
	}
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		tb.Fatalf("start miniredis: %v", err)
	}
	tb.Cleanup(mr.Close)
	tb.Logf("Redis unreachable (%v); using miniredis", realRedis.err)
	return "redis://" + mr.Addr() + "/15"
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

var prefixSeq atomic.Int64

// testPrefix returns a key prefix no other test (in this or another
// process) uses, and deletes the keys under it when tb ends.
func testPrefix(tb testing.TB, redisURL string) string {
	tb.Helper()
	name := strings.NewReplacer("/", ".", " ", "_").Replace(tb.Name())
	prefix := fmt.Sprintf("meetbot-test:cache:%d:%d:%s:", os.Getpid(), prefixSeq.Add(1), name)
	tb.Cleanup(func() {
		rdb, err := NewClient(redisURL)
		if err != nil {
			tb.Errorf("cleanup: %v", err)
			return
		}
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := deleteKeys(ctx, rdb, prefix); err != nil {
			tb.Errorf("cleanup of %s*: %v", prefix, err)
		}
	})
	return prefix
}

// deleteKeys deletes the keys starting with prefix (which contains no glob
// characters).
func deleteKeys(ctx context.Context, rdb *redis.Client, prefix string) error {
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := rdb.Del(ctx, keys[:n]...).Err(); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// testClient returns a client made by NewClient for redisURL, closed when
// tb ends.
func testClient(tb testing.TB, redisURL string) *redis.Client {
	tb.Helper()
	rdb, err := NewClient(redisURL)
	if err != nil {
		tb.Fatalf("NewClient: %v", err)
	}
	tb.Cleanup(func() { rdb.Close() })
	return rdb
}

// withHost returns redisURL with its host:port replaced by addr.
func withHost(tb testing.TB, redisURL, addr string) string {
	tb.Helper()
	u, err := url.Parse(redisURL)
	if err != nil {
		tb.Fatalf("parse %s: %v", redactURL(redisURL), err)
	}
	u.Host = addr
	return u.String()
}

// logBuffer is a slog destination safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// count returns the number of lines at level ("WARN", "INFO", ...).
func (b *logBuffer) count(level string) int {
	return strings.Count(b.String(), "level="+level+" ")
}

func newTestLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelInfo})), b
}

// proxyMode is what the test proxy does with connections.
type proxyMode int

const (
	// pass forwards both ways.
	pass proxyMode = iota
	// refuse stops listening (new connections are refused) and closes the
	// open ones.
	refuse
	// hang accepts connections and reads what is sent, but never forwards
	// it nor answers, on new and open connections alike.
	hang
)

// proxy is a TCP proxy in front of a Redis that can be switched between
// pass, refuse and hang.
type proxy struct {
	tb     testing.TB
	target string
	addr   string

	mu    sync.Mutex
	mode  proxyMode
	ln    net.Listener
	conns map[*proxyConn]struct{}
	wg    sync.WaitGroup
}

type proxyConn struct {
	client, server net.Conn // server is nil for a connection accepted in hang mode
	// poisoned: bytes were dropped, so the stream can never be forwarded
	// again.
	poisoned bool
}

func (pc *proxyConn) close() {
	pc.client.Close()
	if pc.server != nil {
		pc.server.Close()
	}
}

// startProxy starts a proxy to target in pass mode, stopped when tb ends.
func startProxy(tb testing.TB, target string) *proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("proxy listen: %v", err)
	}
	p := &proxy{tb: tb, target: target, addr: ln.Addr().String(), ln: ln, conns: map[*proxyConn]struct{}{}}
	p.wg.Add(1)
	go p.accept(ln)
	tb.Cleanup(func() {
		p.mu.Lock()
		if p.ln != nil {
			p.ln.Close()
			p.ln = nil
		}
		for pc := range p.conns {
			pc.close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

// Set switches the proxy to mode m.
func (p *proxy) Set(m proxyMode) {
	p.tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	switch m {
	case pass:
		// Connections that lost bytes are useless: close them, as a
		// restarted server would.
		for pc := range p.conns {
			if pc.poisoned {
				pc.close()
				delete(p.conns, pc)
			}
		}
		if p.ln == nil {
			ln, err := net.Listen("tcp", p.addr)
			if err != nil {
				p.tb.Fatalf("proxy listen again on %s: %v", p.addr, err)
			}
			p.ln = ln
			p.wg.Add(1)
			go p.accept(ln)
		}
	case refuse:
		if p.ln != nil {
			p.ln.Close()
			p.ln = nil
		}
		for pc := range p.conns {
			pc.close()
			delete(p.conns, pc)
		}
	case hang:
		for pc := range p.conns {
			pc.poisoned = true
		}
	}
}

func (p *proxy) accept(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		mode := p.mode
		p.mu.Unlock()
		pc := &proxyConn{client: c, poisoned: mode != pass}
		if mode == pass {
			s, err := net.DialTimeout("tcp", p.target, time.Second)
			if err != nil {
				c.Close()
				continue
			}
			pc.server = s
		}
		p.mu.Lock()
		p.conns[pc] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go p.pipe(pc, pc.client, pc.server)
		if pc.server != nil {
			p.wg.Add(1)
			go p.pipe(pc, pc.server, pc.client)
		}
	}
}

// pipe copies from src to dst while pc is not poisoned, and drops what it
// reads afterwards. dst is nil for a connection accepted in hang mode.
func (p *proxy) pipe(pc *proxyConn, src, dst net.Conn) {
	defer p.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			if p.mode != pass {
				pc.poisoned = true
			}
			forward := !pc.poisoned && dst != nil
			p.mu.Unlock()
			if forward {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					err = werr
				}
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				p.tb.Logf("proxy: %v", err)
			}
			pc.close()
			return
		}
	}
}

// proxyAddr returns the host:port of redisURL.
func hostOf(tb testing.TB, redisURL string) string {
	tb.Helper()
	u, err := url.Parse(redisURL)
	if err != nil {
		tb.Fatalf("parse %s: %v", redactURL(redisURL), err)
	}
	return u.Host
}
