package monitor_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"meetbot/monitor"
)

func TestEndpoints(t *testing.T) {
	m := monitor.New()
	m.Update("message")
	m.Handled("message", 3*time.Millisecond)
	m.Sent("sendMessage", "ok")
	m.TooManyRequests()
	m.WatchCache(func() (uint64, uint64) { return 7, 3 })
	storeErr := error(nil)
	h := m.Handler(monitor.Readiness{
		Required: map[string]monitor.Check{"store": func(context.Context) error { return storeErr }},
		Info:     map[string]monitor.Check{"redis": func(context.Context) error { return errors.New("connection refused") }},
	})
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	code, body := get("/readyz")
	var got map[string]string
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if code != 200 || got["store"] != "ok" || !strings.HasPrefix(got["redis"], "unavailable") {
		t.Errorf("/readyz with Redis down = %d %v; want 200, store ok, redis reported", code, got)
	}
	storeErr = errors.New("disk I/O error")
	if code, _ := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the store down = %d; want 503", code)
	}
	code, body = get("/metrics")
	for _, want := range []string{
		`meetbot_updates_total{type="message"} 1`,
		`meetbot_handler_seconds_count{type="message"} 1`,
		`meetbot_telegram_requests_total{method="sendMessage",outcome="ok"} 1`,
		`meetbot_telegram_429_total 1`,
		`meetbot_cache_hits_total 7`,
		`meetbot_cache_misses_total 3`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code != 200 {
		t.Errorf("/metrics = %d", code)
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *monitor.Metrics
	m.Update("x")
	m.Sent("m", "ok")
	m.Handled("x", time.Second)
	m.TooManyRequests()
	m.Panicked()
	m.WatchCache(nil)
}
