package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/monitor"
)

// API is the part of *tgbot.Bot the sender calls.
type API interface {
	SendMessage(ctx context.Context, p *tgbot.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, p *tgbot.EditMessageTextParams) (*models.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) (bool, error)
	AnswerInlineQuery(ctx context.Context, p *tgbot.AnswerInlineQueryParams) (bool, error)
	SendDocument(ctx context.Context, p *tgbot.SendDocumentParams) (*models.Message, error)
	SendPhoto(ctx context.Context, p *tgbot.SendPhotoParams) (*models.Message, error)
}

// SenderOptions tune the sender; zero fields take the defaults.
type SenderOptions struct {
	Limits Limits
	// Limiter defaults to an in-process one.
	Limiter Limiter
	// MaxAttempts bounds tries of one call on 5xx and timeouts (default 4).
	MaxAttempts int
	// Max429 bounds tries of one call answered 429 (default 5).
	Max429 int
	// Backoff is the first wait after a transient failure (default
	// 500 ms), doubled each time up to MaxBackoff (default 8 s), ±50% jitter.
	Backoff, MaxBackoff time.Duration
	// AttemptTimeout bounds one HTTP call (default 15 s).
	AttemptTimeout time.Duration
	Metrics        *monitor.Metrics
	Log            *slog.Logger
}

// Sender is the one way out to Telegram: every reply, edit, answer and
// reminder goes through it. It keeps the rate limits (global, per chat,
// per group), waits out 429s for exactly retry_after before trying that
// chat again, retries 5xx and timeouts a bounded number of times with
// backoff and jitter, and returns permanent failures as typed errors
// (*ChatError, *MigratedError, ErrNotModified) without retrying.
// It satisfies handlers.Sender. It is safe for concurrent use.
type Sender struct {
	api  API
	opts SenderOptions
	log  *slog.Logger
	// turn lets one goroutine at a time wait for a global slot; the rest
	// queue behind it (channel waiters are served in order), instead of
	// thousands of fan-out senders waking at once to race for one slot.
	turn chan struct{}
	// takes holds the times the last global slots were taken (guarded by
	// turn), for the sliding-window guard of takeGlobal.
	takes []time.Time
}

// Sliding-window guard: no more than guardTakes global slots in any
// guardWindow. Telegram allows 30 messages per second; the window's extra
// 35 ms absorbs the jitter between taking a slot and the request reaching
// Telegram (goroutine and timer delays of a busy machine), which a pure
// rate could not: 31 requests then reach a second only when one is delayed
// 35 ms more than the one 30 sends later.
const (
	guardTakes  = 30
	guardWindow = time.Second + 35*time.Millisecond
)

// NewSender returns a Sender calling api.
func NewSender(api API, opts SenderOptions) *Sender {
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.Limiter == nil {
		opts.Limiter = NewMemoryLimiter(nil)
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 4
	}
	if opts.Max429 <= 0 {
		opts.Max429 = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 8 * time.Second
	}
	if opts.AttemptTimeout <= 0 {
		opts.AttemptTimeout = 15 * time.Second
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{api: api, opts: opts, log: log, turn: make(chan struct{}, 1)}
}

// SendMessage sends a message, keeping the limits of its chat.
func (s *Sender) SendMessage(ctx context.Context, p *tgbot.SendMessageParams) (*models.Message, error) {
	return call(ctx, s, "sendMessage", chatIDOf(p.ChatID), true, func(ctx context.Context) (*models.Message, error) {
		return s.api.SendMessage(ctx, p)
	})
}

// EditMessageText edits a message; edits count against the chat's limits.
func (s *Sender) EditMessageText(ctx context.Context, p *tgbot.EditMessageTextParams) (*models.Message, error) {
	return call(ctx, s, "editMessageText", chatIDOf(p.ChatID), p.InlineMessageID == "", func(ctx context.Context) (*models.Message, error) {
		return s.api.EditMessageText(ctx, p)
	})
}

// SendDocument sends a file, keeping the limits of its chat. An upload is
// read once and sent whole on every attempt.
func (s *Sender) SendDocument(ctx context.Context, p *tgbot.SendDocumentParams) (*models.Message, error) {
	fresh, err := replayable(p.Document)
	if err != nil {
		return nil, fmt.Errorf("sendDocument: %w", err)
	}
	return call(ctx, s, "sendDocument", chatIDOf(p.ChatID), true, func(ctx context.Context) (*models.Message, error) {
		q := *p
		q.Document = fresh()
		return s.api.SendDocument(ctx, &q)
	})
}

// SendPhoto sends a picture, keeping the limits of its chat. An upload is
// read once and sent whole on every attempt.
func (s *Sender) SendPhoto(ctx context.Context, p *tgbot.SendPhotoParams) (*models.Message, error) {
	fresh, err := replayable(p.Photo)
	if err != nil {
		return nil, fmt.Errorf("sendPhoto: %w", err)
	}
	return call(ctx, s, "sendPhoto", chatIDOf(p.ChatID), true, func(ctx context.Context) (*models.Message, error) {
		q := *p
		q.Photo = fresh()
		return s.api.SendPhoto(ctx, &q)
	})
}

// replayable returns a function giving f for each attempt of a send: an
// upload's reader is drained by the first attempt, so its content is read
// once and each attempt gets a new reader over it (a retry after a 429
// or a 5xx would otherwise upload an empty file). Files sent by id or URL
// are returned as they are.
func replayable(f models.InputFile) (func() models.InputFile, error) {
	up, ok := f.(*models.InputFileUpload)
	if !ok || up == nil || up.Data == nil {
		return func() models.InputFile { return f }, nil
	}
	data, err := io.ReadAll(up.Data)
	if err != nil {
		return nil, fmt.Errorf("read upload %q: %w", up.Filename, err)
	}
	return func() models.InputFile {
		return &models.InputFileUpload{Filename: up.Filename, Data: bytes.NewReader(data)}
	}, nil
}

// AnswerCallbackQuery answers a button press. Answers are not messages:
// they skip the rate limits (a user waits for them) but are retried.
func (s *Sender) AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) (bool, error) {
	return call(ctx, s, "answerCallbackQuery", 0, false, func(ctx context.Context) (bool, error) {
		return s.api.AnswerCallbackQuery(ctx, p)
	})
}

// AnswerInlineQuery answers an inline query, skipping the rate limits.
func (s *Sender) AnswerInlineQuery(ctx context.Context, p *tgbot.AnswerInlineQueryParams) (bool, error) {
	return call(ctx, s, "answerInlineQuery", 0, false, func(ctx context.Context) (bool, error) {
		return s.api.AnswerInlineQuery(ctx, p)
	})
}

// chatIDOf reads a chat id given as int64, int or numeric string; 0 for
// "@channel" names and anything else.
func chatIDOf(v any) int64 {
	switch id := v.(type) {
	case int64:
		return id
	case int:
		return int64(id)
	case string:
		n, _ := strconv.ParseInt(id, 10, 64)
		return n
	}
	return 0
}

func chatKey(chatID int64) string { return "chat:" + strconv.FormatInt(chatID, 10) }

// call runs one Bot API call under the sender's rules.
func call[T any](ctx context.Context, s *Sender, method string, chatID int64, limited bool, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	attempts, tooManys := 0, 0
	for {
		if limited {
			if err := s.wait(ctx, chatID); err != nil {
				return zero, err
			}
		}
		actx, cancel := context.WithTimeout(ctx, s.opts.AttemptTimeout)
		res, err := fn(actx)
		cancel()
		if err == nil {
			s.opts.Metrics.Sent(method, "ok")
			return res, nil
		}
		typed, v := classify(chatID, err)
		if ctx.Err() != nil {
			s.opts.Metrics.Sent(method, "canceled")
			return zero, ctx.Err()
		}
		switch v {
		case tooMany:
			s.opts.Metrics.TooManyRequests()
			var tm *tgbot.TooManyRequestsError
			errors.As(err, &tm)
			wait := time.Duration(max(tm.RetryAfter, 1)) * time.Second
			if chatID != 0 {
				// Shared with every sender (and instance): nothing goes
				// to this chat before retry_after has passed.
				if err := s.opts.Limiter.Block(ctx, chatKey(chatID), wait); err != nil {
					s.log.Warn("rate limiter: cannot record a 429 block", "err", err)
				}
			}
			tooManys++
			if tooManys >= s.opts.Max429 {
				s.opts.Metrics.Sent(method, "rate_limited")
				return zero, err
			}
			s.log.Info("telegram asked to slow down", "method", method, "chat", chatID, "retry_after", wait)
			if !limited || chatID == 0 {
				// Calls not held by wait() on a chat block sleep here.
				if err := sleep(ctx, wait); err != nil {
					return zero, err
				}
			}
			s.opts.Metrics.Sent(method, "retry_429")
		case transient:
			attempts++
			if attempts >= s.opts.MaxAttempts {
				s.opts.Metrics.Sent(method, "error")
				return zero, err
			}
			s.opts.Metrics.Sent(method, "retry")
			d := s.backoff(attempts)
			s.log.Info("telegram call failed, retrying", "method", method, "chat", chatID, "attempt", attempts, "in", d, "err", err)
			if err := sleep(ctx, d); err != nil {
				return zero, err
			}
		default:
			s.opts.Metrics.Sent(method, outcome(typed))
			return zero, typed
		}
	}
}

func outcome(err error) string {
	var ce *ChatError
	var me *MigratedError
	switch {
	case errors.As(err, &ce):
		return "chat_unavailable"
	case errors.As(err, &me):
		return "migrated"
	case errors.Is(err, ErrNotModified):
		return "not_modified"
	}
	return "error"
}

// wait blocks until a message may go to chatID: no 429 block on the
// chat, a free slot of the chat (looked at, not taken), a global slot,
// then the chat's slot. Taking the global slot before the chat's means a
// message never leaves later than its chat slot (which could crowd the
// chat); looking first means a busy chat does not waste global slots.
func (s *Sender) wait(ctx context.Context, chatID int64) error {
	key := chatKey(chatID)
	lim := s.opts.Limits.Private
	if chatID < 0 {
		lim = s.opts.Limits.Group
	}
	for {
		var (
			d   time.Duration
			err error
		)
		if chatID != 0 {
			// Only a chat is ever blocked (a 429 in call); a message
			// without a chat id has no block to look at.
			if d, err = s.opts.Limiter.Blocked(ctx, key); err != nil {
				return err
			}
			if d == 0 {
				if d, err = s.opts.Limiter.Peek(ctx, key, lim); err != nil {
					return err
				}
			}
		}
		if d == 0 {
			if err := s.takeGlobal(ctx); err != nil {
				return err
			}
		}
		if d == 0 && chatID != 0 {
			if d, err = s.opts.Limiter.Allow(ctx, key, lim); err != nil {
				return err
			}
		}
		if d == 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// takeGlobal waits for and takes one global slot, queueing behind other
// senders of this process. Slots are reserved (so a late wake-up does not
// push later slots back), and the sliding-window guard then holds the
// take if the last guardTakes were taken within guardWindow.
func (s *Sender) takeGlobal(ctx context.Context) error {
	select {
	case s.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.turn }()
	d, err := s.opts.Limiter.Reserve(ctx, "global", s.opts.Limits.Global)
	if err != nil {
		return err
	}
	if err := sleep(ctx, d); err != nil {
		return err
	}
	if !s.guarded() {
		return nil // limits lifted above Telegram's (benchmarks)
	}
	if len(s.takes) == guardTakes {
		if wait := guardWindow - time.Since(s.takes[0]); wait > 0 {
			if err := sleep(ctx, wait); err != nil {
				return err
			}
		}
		s.takes = s.takes[1:]
	}
	s.takes = append(s.takes, time.Now())
	return nil
}

// guarded reports whether the sliding-window guard applies: when the
// global limit is at most Telegram's 30 per second. A global limit set
// above it (the throughput benchmark lifts the limits) is not held back
// to Telegram's rate by the guard.
func (s *Sender) guarded() bool {
	g := s.opts.Limits.Global
	return g.Period <= 0 || float64(g.Rate)/g.Period.Seconds() <= guardTakes
}

func (s *Sender) backoff(attempt int) time.Duration {
	d := s.opts.Backoff << (attempt - 1)
	if d > s.opts.MaxBackoff || d <= 0 {
		d = s.opts.MaxBackoff
	}
	return d/2 + rand.N(d) // ±50% around d
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
