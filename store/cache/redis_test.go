package cache

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meetbot/internal/redistest"
)

// testRedis connects tb to the test Redis through internal/redistest (the
// server named by MEETBOT_TEST_REDIS_URL, or miniredis unless
// MEETBOT_REQUIRE_REDIS=1; it logs which). It returns the URL that clients
// made by NewClient use, a key prefix unique to tb whose keys are deleted
// when tb ends (never the whole database: other packages' tests share
// it), and a client with go-redis's default settings for inspecting keys.
func testRedis(tb testing.TB) (redisURL, prefix string, admin *redis.Client) {
	tb.Helper()
	r := redistest.New(tb)
	redisURL = redistest.URL()
	if !r.Real {
		redisURL = "redis://" + r.Addr + "/0"
	}
	return redisURL, r.Prefix, r.Client
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
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
