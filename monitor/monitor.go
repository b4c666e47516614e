// Package monitor holds meetbot's Prometheus metrics and the operations
// HTTP endpoints: /healthz (the process is up), /readyz (the store
// answers; Redis state reported, not fatal) and /metrics.
package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the counters and histograms the bot updates. A nil *Metrics
// is valid and records nothing, so components work without monitoring.
type Metrics struct {
	reg *prometheus.Registry

	updates        *prometheus.CounterVec
	handlerSeconds *prometheus.HistogramVec
	sends          *prometheus.CounterVec
	tooMany        prometheus.Counter
	panics         prometheus.Counter
}

// New returns metrics registered in a registry of their own (plus the Go
// runtime and process collectors).
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "meetbot_updates_total", Help: "Telegram updates received, by type.",
		}, []string{"type"}),
		handlerSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "meetbot_handler_seconds", Help: "Time to handle one update, by type.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"type"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "meetbot_telegram_requests_total", Help: "Outgoing Bot API calls, by method and outcome.",
		}, []string{"method", "outcome"}),
		tooMany: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "meetbot_telegram_429_total", Help: "Bot API answers 429 Too Many Requests.",
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "meetbot_handler_panics_total", Help: "Handlers that panicked and were recovered.",
		}),
	}
	m.reg.MustRegister(m.updates, m.handlerSeconds, m.sends, m.tooMany, m.panics,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Update counts one received update of the given type.
func (m *Metrics) Update(kind string) {
	if m != nil {
		m.updates.WithLabelValues(kind).Inc()
	}
}

// Handled records how long an update of the given type took.
func (m *Metrics) Handled(kind string, d time.Duration) {
	if m != nil {
		m.handlerSeconds.WithLabelValues(kind).Observe(d.Seconds())
	}
}

// Sent counts one outgoing call by method and outcome ("ok", "retry",
// "rate_limited", "forbidden", "error", ...).
func (m *Metrics) Sent(method, outcome string) {
	if m != nil {
		m.sends.WithLabelValues(method, outcome).Inc()
	}
}

// TooManyRequests counts one 429 answer.
func (m *Metrics) TooManyRequests() {
	if m != nil {
		m.tooMany.Inc()
	}
}

// Panicked counts one recovered handler panic.
func (m *Metrics) Panicked() {
	if m != nil {
		m.panics.Inc()
	}
}

// CacheStats reports the cache's counters.
type CacheStats func() (hits, misses uint64)

// WatchCache exports the cache's hit and miss counters.
func (m *Metrics) WatchCache(stats CacheStats) {
	if m == nil || stats == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "meetbot_cache_hits_total", Help: "Cache reads answered from Redis."},
			func() float64 { h, _ := stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "meetbot_cache_misses_total", Help: "Cache reads answered from the store."},
			func() float64 { _, mi := stats(); return float64(mi) }),
	)
}

// Check is one readiness check: nil when the dependency is usable.
type Check func(ctx context.Context) error

// Readiness lists what /readyz reports. Required checks decide the
// status code; Info checks are reported only (Redis: the bot works
// without it).
type Readiness struct {
	Required map[string]Check
	Info     map[string]Check
}

// Handler returns the operations mux: /healthz, /readyz, /metrics.
func (m *Metrics) Handler(ready Readiness) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		body := map[string]string{}
		code := http.StatusOK
		run := func(checks map[string]Check, required bool) {
			for name, c := range checks {
				if err := c(ctx); err != nil {
					body[name] = "unavailable: " + err.Error()
					if required {
						code = http.StatusServiceUnavailable
					}
				} else {
					body[name] = "ok"
				}
			}
		}
		run(ready.Required, true)
		run(ready.Info, false)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(body)
	})
	if m != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	}
	return mux
}

// Serve runs an HTTP server with h on addr until ctx ends, then shuts it
// down gracefully. It returns nil after a clean shutdown.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return ServeListener(ctx, ln, h, log)
}

// ServeListener is Serve on a listener the caller opened.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("http server listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
