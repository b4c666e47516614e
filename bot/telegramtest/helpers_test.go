package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"meetbot/bot/telegramtest"
)

const token = "123456:secret-token-xyz"

// newFake starts a fake with opts (Token defaults to token) and a real
// go-telegram/bot client pointed at it.
func newFake(t *testing.T, opts telegramtest.Options) (*telegramtest.Server, *bot.Bot) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = token
	}
	s := telegramtest.New(opts)
	t.Cleanup(s.Close)
	b, err := bot.New(opts.Token, bot.WithServerURL(s.Start()), bot.WithSkipGetMe(),
		bot.WithErrorsHandler(func(err error) { t.Logf("bot error: %v", err) }))
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return s, b
}

// envelope is a Bot API answer.
type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int   `json:"retry_after"`
		MigrateTo  int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// rawCall posts params as JSON to the method, as the lead's own poller
// may, and returns the HTTP status and the decoded answer.
func rawCall(t *testing.T, ctx context.Context, base, tok, method string, params any) (int, envelope) {
	t.Helper()
	status, env, err := post(ctx, base, tok, method, params)
	if err != nil {
		t.Fatal(err)
	}
	return status, env
}

// post is rawCall for goroutines other than the test's.
func post(ctx context.Context, base, tok, method string, params any) (int, envelope, error) {
	body, err := json.Marshal(params)
	if err != nil {
		return 0, envelope{}, fmt.Errorf("marshal params: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/bot"+tok+"/"+method, bytes.NewReader(body))
	if err != nil {
		return 0, envelope{}, fmt.Errorf("new request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, envelope{}, fmt.Errorf("%s: %w", method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, envelope{}, fmt.Errorf("%s: read: %w", method, err)
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return 0, envelope{}, fmt.Errorf("%s: decode %s: %w", method, data, err)
	}
	return resp.StatusCode, env, nil
}

// clock is an injected clock for rate-limit tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
