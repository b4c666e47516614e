package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

// scriptedAPI answers sendMessage from a script of errors per chat and
// records when each call arrived (in the bubble's virtual time).
type scriptedAPI struct {
	mu     sync.Mutex
	script map[int64][]error
	calls  map[int64][]time.Time
	all    []time.Time
	// uploads are the bytes each file-sending call read from its upload.
	uploads []string
}

func newScripted() *scriptedAPI {
	return &scriptedAPI{script: map[int64][]error{}, calls: map[int64][]time.Time{}}
}

func (a *scriptedAPI) fail(chat int64, errs ...error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.script[chat] = append(a.script[chat], errs...)
}

func (a *scriptedAPI) next(chat int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	a.calls[chat] = append(a.calls[chat], now)
	a.all = append(a.all, now)
	if s := a.script[chat]; len(s) > 0 {
		a.script[chat] = s[1:]
		return s[0]
	}
	return nil
}

func (a *scriptedAPI) SendMessage(_ context.Context, p *tgbot.SendMessageParams) (*models.Message, error) {
	id := chatIDOf(p.ChatID)
	if err := a.next(id); err != nil {
		return nil, err
	}
	return &models.Message{ID: 1, Chat: models.Chat{ID: id}, Text: p.Text}, nil
}
func (a *scriptedAPI) EditMessageText(_ context.Context, p *tgbot.EditMessageTextParams) (*models.Message, error) {
	return nil, a.next(chatIDOf(p.ChatID))
}
func (a *scriptedAPI) AnswerCallbackQuery(context.Context, *tgbot.AnswerCallbackQueryParams) (bool, error) {
	return true, a.next(0)
}
func (a *scriptedAPI) AnswerInlineQuery(context.Context, *tgbot.AnswerInlineQueryParams) (bool, error) {
	return true, a.next(0)
}
func (a *scriptedAPI) SendDocument(_ context.Context, p *tgbot.SendDocumentParams) (*models.Message, error) {
	a.upload(p.Document)
	return &models.Message{}, a.next(chatIDOf(p.ChatID))
}
func (a *scriptedAPI) SendPhoto(_ context.Context, p *tgbot.SendPhotoParams) (*models.Message, error) {
	a.upload(p.Photo)
	return &models.Message{}, a.next(chatIDOf(p.ChatID))
}

// upload reads an upload as the library does, to the end.
func (a *scriptedAPI) upload(f models.InputFile) {
	up, ok := f.(*models.InputFileUpload)
	if !ok {
		return
	}
	b, _ := io.ReadAll(up.Data)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.uploads = append(a.uploads, up.Filename+":"+string(b))
}

func send(t *testing.T, s *Sender, chat int64) error {
	t.Helper()
	_, err := s.SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: chat, Text: "x"})
	return err
}

func TestSender429WaitsRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newScripted()
		api.fail(42, &tgbot.TooManyRequestsError{Message: "too many requests", RetryAfter: 7})
		s := NewSender(api, SenderOptions{})
		if err := send(t, s, 42); err != nil {
			t.Fatalf("send after a 429 = %v; want success on retry", err)
		}
		calls := api.calls[42]
		if len(calls) != 2 {
			t.Fatalf("calls = %d; want 2", len(calls))
		}
		if gap := calls[1].Sub(calls[0]); gap < 7*time.Second {
			t.Errorf("retried %v after the 429; want ≥ retry_after 7s", gap)
		}
		// Another sender sharing the limiter may not write to the chat early either.
		api.fail(42, &tgbot.TooManyRequestsError{RetryAfter: 5})
		lim := NewMemoryLimiter(nil)
		s1 := NewSender(api, SenderOptions{Limiter: lim})
		s2 := NewSender(api, SenderOptions{Limiter: lim})
		var wg sync.WaitGroup
		wg.Go(func() { _ = send(t, s1, 42) })
		synctest.Wait() // s1 got its 429 and is waiting
		blockedAt := time.Now()
		wg.Go(func() { _ = send(t, s2, 42) })
		wg.Wait()
		// 2 calls above, then s1's 429, s1's retry and s2's send.
		if n := len(api.calls[42]); n != 5 {
			t.Fatalf("calls to chat 42 = %d; want 5", n)
		}
		for _, at := range api.calls[42][3:] {
			if at.Before(blockedAt.Add(5 * time.Second)) {
				t.Errorf("a call reached chat 42 %v after the 429; want ≥ 5s", at.Sub(blockedAt))
			}
		}
	})
}

// countingLimiter counts the calls the sender makes to its limiter: with
// the Redis limiter each one is a round trip.
type countingLimiter struct {
	Limiter
	mu    sync.Mutex
	calls map[string]int // "Method key"
}

func (c *countingLimiter) count(method, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[method+" "+key]++
}

func (c *countingLimiter) Allow(ctx context.Context, key string, l Limit) (time.Duration, error) {
	c.count("Allow", key)
	return c.Limiter.Allow(ctx, key, l)
}

func (c *countingLimiter) Reserve(ctx context.Context, key string, l Limit) (time.Duration, error) {
	c.count("Reserve", key)
	return c.Limiter.Reserve(ctx, key, l)
}

func (c *countingLimiter) Peek(ctx context.Context, key string, l Limit) (time.Duration, error) {
	c.count("Peek", key)
	return c.Limiter.Peek(ctx, key, l)
}

func (c *countingLimiter) Blocked(ctx context.Context, key string) (time.Duration, error) {
	c.count("Blocked", key)
	return c.Limiter.Blocked(ctx, key)
}

func TestSenderLimiterCallsPerSend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := &countingLimiter{Limiter: NewMemoryLimiter(nil), calls: map[string]int{}}
		s := NewSender(newScripted(), SenderOptions{Limiter: lim})
		if err := send(t, s, 42); err != nil {
			t.Fatal(err)
		}
		// A free chat: its block and slot looked at, a global slot, the
		// chat's slot; nothing else (each is a Redis round trip).
		want := map[string]int{"Blocked chat:42": 1, "Peek chat:42": 1, "Reserve global": 1, "Allow chat:42": 1}
		if diff := cmp.Diff(want, lim.calls); diff != "" {
			t.Errorf("limiter calls for one send (-want +got):\n%s", diff)
		}
	})
}

func TestSenderRetriesTransientBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newScripted()
		api.fail(1, &ServerError{Status: 502}, fmt.Errorf("wrapped: %w", &ServerError{Status: 503}))
		s := NewSender(api, SenderOptions{})
		if err := send(t, s, 1); err != nil {
			t.Fatalf("send after two 5xx = %v; want success", err)
		}
		if n := len(api.calls[1]); n != 3 {
			t.Errorf("calls = %d; want 3", n)
		}
		if gap := api.calls[1][1].Sub(api.calls[1][0]); gap < 250*time.Millisecond {
			t.Errorf("first retry after %v; want a backoff of at least 250ms", gap)
		}
		api.fail(2, &ServerError{502}, &ServerError{502}, &ServerError{502}, &ServerError{502}, &ServerError{502})
		err := send(t, s, 2)
		var se *ServerError
		if !errors.As(err, &se) || len(api.calls[2]) != 4 {
			t.Errorf("after 5 failures: err %v, %d calls; want a ServerError after 4 attempts", err, len(api.calls[2]))
		}
		api.fail(3, context.DeadlineExceeded)
		if err := send(t, s, 3); err != nil || len(api.calls[3]) != 2 {
			t.Errorf("timeout then success: err %v, %d calls", err, len(api.calls[3]))
		}
	})
}

// A retried upload sends the whole file again, not what the first attempt
// left of its reader.
func TestSenderRetriesUploadWhole(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newScripted()
		api.fail(5, &ServerError{Status: 502}, &tgbot.TooManyRequestsError{RetryAfter: 1})
		s := NewSender(api, SenderOptions{})
		_, err := s.SendDocument(t.Context(), &tgbot.SendDocumentParams{ChatID: 5,
			Document: &models.InputFileUpload{Filename: "a.xlsx", Data: strings.NewReader("PK workbook")}})
		if err != nil {
			t.Fatal(err)
		}
		api.fail(5, &ServerError{Status: 500})
		if _, err := s.SendPhoto(t.Context(), &tgbot.SendPhotoParams{ChatID: 5,
			Photo: &models.InputFileUpload{Filename: "c.png", Data: strings.NewReader("PNG chart")}}); err != nil {
			t.Fatal(err)
		}
		want := []string{"a.xlsx:PK workbook", "a.xlsx:PK workbook", "a.xlsx:PK workbook", "c.png:PNG chart", "c.png:PNG chart"}
		if !slices.Equal(api.uploads, want) {
			t.Errorf("uploads = %q; want %q", api.uploads, want)
		}
	})
}

func TestSenderPermanentErrorsAreTyped(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		check func(error) bool
	}{
		{"kicked", fmt.Errorf("%w, %s", tgbot.ErrorForbidden, "Forbidden: bot was kicked from the supergroup chat"), func(err error) bool {
			var ce *ChatError
			return errors.As(err, &ce) && ce.Problem == ChatKicked && ce.ChatID == -100 && errors.Is(err, ErrChatUnavailable)
		}},
		{"blocked", fmt.Errorf("%w, %s", tgbot.ErrorForbidden, "Forbidden: bot was blocked by the user"), func(err error) bool {
			var ce *ChatError
			return errors.As(err, &ce) && ce.Problem == ChatBlocked
		}},
		{"chat not found", fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: chat not found"), func(err error) bool {
			var ce *ChatError
			return errors.As(err, &ce) && ce.Problem == ChatNotFound
		}},
		{"migrated", &tgbot.MigrateError{Message: "bad request", MigrateToChatID: -1001234}, func(err error) bool {
			var me *MigratedError
			return errors.As(err, &me) && me.ChatID == -100 && me.NewChatID == -1001234
		}},
		{"not modified", fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: message is not modified: specified new message content"), func(err error) bool {
			return errors.Is(err, ErrNotModified)
		}},
		{"other bad request", fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: can't parse entities"), func(err error) bool {
			return errors.Is(err, tgbot.ErrorBadRequest)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := newScripted()
				api.fail(-100, tc.err, tc.err)
				err := send(t, NewSender(api, SenderOptions{}), -100)
				if !tc.check(err) {
					t.Errorf("error = %#v; not the expected typed error", err)
				}
				if n := len(api.calls[-100]); n != 1 {
					t.Errorf("calls = %d; a permanent error must not be retried", n)
				}
			})
		})
	}
}

// windowMax returns the most calls in any window of length w.
func windowMax(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

func TestSenderKeepsLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newScripted()
		s := NewSender(api, SenderOptions{})
		var wg sync.WaitGroup
		// 300 different groups at once: the global limit governs.
		for i := range 300 {
			wg.Go(func() { _ = send(t, s, -int64(1000+i)) })
		}
		// 10 messages to one private chat and 25 to one group.
		for range 10 {
			wg.Go(func() { _ = send(t, s, 7) })
		}
		for range 25 {
			wg.Go(func() { _ = send(t, s, -5) })
		}
		wg.Wait()
		if got := windowMax(api.all, time.Second); got > 30 {
			t.Errorf("%d calls in one second; Telegram allows 30", got)
		}
		// A burst of 3, then one a second. x/time/rate's float arithmetic
		// may put a slot a nanosecond before the second is up, so the
		// window is a millisecond short of one second.
		if got := windowMax(api.calls[7], time.Second-time.Millisecond); got > 3 {
			t.Errorf("%d calls to one private chat in a second; want a burst of at most 3", got)
		}
		if got := windowMax(api.calls[-5], time.Minute); got > 20 {
			t.Errorf("%d calls to one group in a minute; Telegram allows 20", got)
		}
		// The fan-out (300 groups, competing with the other 35 sends) uses
		// the global rate well: 300 at 29/s take at least 10.3 s, and no
		// more than 12 s.
		var first, last time.Time
		for i := range 300 {
			at := api.calls[-int64(1000+i)][0]
			if first.IsZero() || at.Before(first) {
				first = at
			}
			if at.After(last) {
				last = at
			}
		}
		if span := last.Sub(first); span < 10300*time.Millisecond || span > 12*time.Second {
			t.Errorf("fan-out to 300 groups took %v; want 10.3–12s at 29/s", span)
		}
	})
}

func TestAnswersSkipChatLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newScripted()
		s := NewSender(api, SenderOptions{})
		start := time.Now()
		for range 20 {
			if _, err := s.AnswerCallbackQuery(t.Context(), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "q"}); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("20 callback answers took %v of virtual time; answers must not wait for limits", d)
		}
	})
}

func TestSenderStopsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newScripted()
		api.fail(9, &tgbot.TooManyRequestsError{RetryAfter: 60})
		s := NewSender(api, SenderOptions{})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err := s.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 9, Text: "x"})
		if !errors.Is(err, context.DeadlineExceeded) || len(api.calls[9]) != 1 {
			t.Errorf("err = %v after %d calls; want the context's deadline while waiting out the 429", err, len(api.calls[9]))
		}
	})
}

// Limits lifted above Telegram's (the throughput benchmark) are not held
// back to 30 per second by the sliding-window guard; the default limits
// are.
func TestSenderGuardOnlyAtTelegramRates(t *testing.T) {
	for _, tt := range []struct {
		name   string
		limits Limits
		within time.Duration // 90 sends take at most this
		least  time.Duration // and at least this
	}{
		{"lifted", Limits{Global: Limit{Rate: 1_000_000, Period: time.Second, Burst: 1_000_000},
			Private: Limit{Rate: 1_000_000, Period: time.Second, Burst: 1_000_000}}, time.Millisecond, 0},
		{"default", Limits{}, 4 * time.Second, 2 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := newScripted()
				s := NewSender(api, SenderOptions{Limits: tt.limits})
				start := time.Now()
				for i := range 90 {
					if err := send(t, s, int64(1000+i)); err != nil {
						t.Fatal(err)
					}
				}
				if took := time.Since(start); took > tt.within || took < tt.least {
					t.Errorf("90 sends took %v; want between %v and %v", took, tt.least, tt.within)
				}
			})
		})
	}
}
