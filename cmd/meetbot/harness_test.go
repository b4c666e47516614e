package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/bot/telegramtest"
)

// testToken has the shape of a real token, so configuration accepts it,
// and a distinctive part to look for in logs.
const testToken = "123456789:TESTtokenSECRETvalue_xyz"

const botName = "meetbot_test_bot"

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a running "meetbot run --demo" against a fake Bot API.
type harness struct {
	t      testing.TB
	fake   *telegramtest.Server
	user   models.User
	dm     models.Chat
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	// stopped is set by stop().
	stopErr error
	// env is the environment the bot runs with.
	env map[string]string
}

// startBot runs serveBot exactly as "meetbot run --demo" does, with the
// environment env on top of test defaults.
func startBot(t *testing.T, env map[string]string, opts serveOptions, fakeOpts ...func(*telegramtest.Options)) *harness {
	t.Helper()
	return startBotTB(t, env, opts, fakeOpts...)
}

// startBotTB is startBot for tests and benchmarks.
func startBotTB(t testing.TB, env map[string]string, opts serveOptions, fakeOpts ...func(*telegramtest.Options)) *harness {
	t.Helper()
	return startBotAt(t, nil, env, opts, fakeOpts...)
}

// startBotAt is startBot with the app's clock stopped at now (nil: the
// real clock).
func startBotAt(t testing.TB, now func() time.Time, env map[string]string, opts serveOptions, fakeOpts ...func(*telegramtest.Options)) *harness {
	t.Helper()
	opts.demo = true
	return startBotOn(t, now, env, opts, fakeOpts...)
}

// startBotOn is startBotAt with opts.demo as given: false starts on an
// empty database, as "meetbot run" does on a new machine.
func startBotOn(t testing.TB, now func() time.Time, env map[string]string, opts serveOptions, fakeOpts ...func(*telegramtest.Options)) *harness {
	t.Helper()
	fo := telegramtest.Options{Token: testToken, Bot: models.User{ID: 777000, IsBot: true, FirstName: "meetbot", Username: botName}}
	for _, f := range fakeOpts {
		f(&fo)
	}
	fake := telegramtest.New(fo)
	url := fake.Start()
	t.Cleanup(fake.Close)
	defaults := map[string]string{
		"TELEGRAM_BOT_TOKEN": testToken,
		"TELEGRAM_API_URL":   url,
		"DATABASE_PATH":      t.TempDir() + "/meetbot.db",
		"HTTP_ADDR":          "off",
		"REDIS_URL":          "",
		"LOG_LEVEL":          "debug",
		"SHUTDOWN_TIMEOUT":   "10s",
		"WEBHOOK_URL":        "",
		"WEBHOOK_SECRET":     "",
		"WORKERS":            "4",
	}
	for k, v := range env {
		defaults[k] = v
	}
	for k, v := range defaults {
		t.Setenv(k, v)
	}
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, "", now, logs)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h := &harness{t: t, fake: fake, logs: logs, cancel: cancel, done: make(chan error, 1), env: defaults}
	h.user = fake.User(4242, "Lan")
	h.dm = fake.PrivateChat(h.user)
	go func() {
		err := serveBot(ctx, a, opts)
		_ = a.Close()
		h.done <- err
	}()
	t.Cleanup(func() { h.stop() })
	return h
}

// stop shuts the bot down as SIGTERM does and returns serveBot's error.
func (h *harness) stop() error {
	if h.cancel == nil {
		return h.stopErr
	}
	h.cancel()
	h.cancel = nil
	select {
	case h.stopErr = <-h.done:
	case <-time.After(30 * time.Second):
		h.t.Fatal("the bot did not stop within 30s of the stop signal")
	}
	return h.stopErr
}

// wait blocks until cond holds (re-checked on every request the fake
// sees), failing the test after 15 s.
func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	h.waitTB(h.t, what, cond)
}

// waitTB is wait reporting to tb.
func (h *harness) waitTB(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := h.fake.Wait(ctx, cond); err != nil {
		tb.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, h.logs.String())
	}
}

// waitText waits for a message of the bot in chat whose visible text
// contains s, and returns it.
func (h *harness) waitText(chat models.Chat, s string) telegramtest.Message {
	h.t.Helper()
	var found telegramtest.Message
	h.wait(s, func() bool {
		for _, m := range h.replies(chat) {
			if strings.Contains(m.Plain, s) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// replies returns the messages the bot sent to chat.
func (h *harness) replies(chat models.Chat) []telegramtest.Message { return h.fake.Messages(chat.ID) }

// say sends text to chat as the test user and waits for the n-th message
// of the bot in that chat, which it returns.
func (h *harness) say(chat models.Chat, text string) telegramtest.Message {
	h.t.Helper()
	return h.sayAs(chat, h.user, text)
}

// sayAs is say from another user.
func (h *harness) sayAs(chat models.Chat, from models.User, text string) telegramtest.Message {
	h.t.Helper()
	before := len(h.replies(chat))
	h.fake.SendText(chat, from, text)
	h.wait("a reply to "+text, func() bool { return len(h.replies(chat)) > before })
	return h.replies(chat)[before]
}

// buttonData returns the callback data of the button whose label
// contains label.
func buttonData(t *testing.T, m telegramtest.Message, label string) string {
	t.Helper()
	if m.Markup == nil {
		t.Fatalf("message has no keyboard: %s", m.Plain)
	}
	for _, row := range m.Markup.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, m.Markup.InlineKeyboard)
	return ""
}
