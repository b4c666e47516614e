package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"meetbot/config"
	"meetbot/store"
	"meetbot/store/cache"
	"meetbot/store/sqlstore"
)

// errUsage: the flags were wrong; the flag package already said why.
var errUsage = errors.New("usage")

// parseFlags parses args with fs, writing errors and -h to stderr.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}

// app is what every command shares: settings, logger, clock and the
// store (behind the Redis cache when REDIS_URL is set).
type app struct {
	cfg   config.Config
	log   *slog.Logger
	loc   *time.Location
	now   func() time.Time
	sql   *sqlstore.Store
	store store.Store // the cache when enabled, else sql
	cache *cache.Cache
	rdb   *redis.Client
}

// openApp loads the configuration, opens the database at dbPath (the
// configured one if empty) and, with REDIS_URL set, the cache.
func openApp(ctx context.Context, dbPath string, now func() time.Time, stderr io.Writer) (*app, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	log := config.NewLogger(stderr, cfg)
	loc, err := cfg.Location()
	if err != nil {
		return nil, fmt.Errorf("TIMEZONE: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	if dbPath == "" {
		dbPath = cfg.DatabasePath
	}
	sql, err := sqlstore.Open(ctx, dbPath, sqlstore.Options{Location: loc, Now: now})
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, loc: loc, now: now, sql: sql, store: sql}
	if cfg.RedisURL != "" {
		// go-redis logs every failed dial through a global logger: send
		// those to debug, the cache reports outages itself, once.
		redis.SetLogger(redisLogger{log})
		rdb, err := cache.NewClient(cfg.RedisURL)
		if err != nil {
			_ = sql.Close()
			return nil, err
		}
		a.rdb = rdb
		a.cache = cache.New(sql, rdb, cache.Options{TTL: cfg.CacheTTL, Log: log})
		a.store = a.cache
		log.Debug("read cache on", "redis", cfg.String())
	}
	return a, nil
}

// Close releases the cache, Redis and the database.
func (a *app) Close() error {
	var errs []error
	if a.cache != nil {
		errs = append(errs, a.cache.Close())
	}
	if a.rdb != nil {
		errs = append(errs, a.rdb.Close())
	}
	errs = append(errs, a.sql.Close())
	return errors.Join(errs...)
}

// empty reports whether the database holds no unit yet.
func (a *app) empty(ctx context.Context) (bool, error) {
	us, err := a.sql.Units(ctx, store.UnitFilter{IncludeRetired: true})
	return len(us) == 0, err
}

type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(_ context.Context, format string, v ...any) {
	l.log.Debug("redis: " + fmt.Sprintf(format, v...))
}

// fixedClock returns a clock stopped at the RFC 3339 instant s, or nil
// (the real clock) when s is empty.
func fixedClock(s string) (func() time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("--now %q: want RFC 3339, e.g. 2024-05-14T09:00:00+07:00", s)
	}
	return func() time.Time { return t }, nil
}

// printImport writes an import's counts.
func printImport(w io.Writer, res store.ImportResult) {
	row := func(name string, c store.ImportCounts) {
		fmt.Fprintf(w, "  %-10s %d created, %d updated, %d unchanged\n", name, c.Created, c.Updated, c.Unchanged)
	}
	row("units", res.Units)
	row("programs", res.Programs)
	row("meetings", res.Meetings)
	row("directives", res.Directives)
}

// importActor is who the command-line imports are audited as.
var importActor = store.Actor{Name: "meetbot import"}
