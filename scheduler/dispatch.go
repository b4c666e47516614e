package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/store"
)

// dispatch expires the messages whose moment has passed, then sends the
// ready ones with cfg.Workers workers until none is ready (messages
// waiting for a retry wait for a later pass). Between 20:00 and 07:00 it
// sends nothing.
func (s *Service) dispatch(ctx context.Context, now time.Time, rep *Report) error {
	n, err := s.deps.Store.ExpireMessages(ctx, now)
	rep.Expired += n
	if err != nil || !s.inDay(now) {
		return err
	}
	claim := func(owner string) ([]store.OutboxMessage, error) {
		return s.deps.Store.ClaimMessages(ctx, store.ClaimRequest{Owner: owner, Now: now, Clock: s.deps.Now(), Lease: s.cfg.Lease, Limit: 1})
	}
	// Most passes find nothing to send: one claim tells, before any
	// worker starts.
	owner0 := s.cfg.InstanceID + "/w0"
	first, err := claim(owner0)
	if err != nil || len(first) == 0 {
		return err
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for w := range s.cfg.Workers {
		owner := fmt.Sprintf("%s/w%d", s.cfg.InstanceID, w)
		var claimed []store.OutboxMessage
		if w == 0 {
			claimed = first
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				ms := claimed
				claimed = nil
				var err error
				if ms == nil {
					ms, err = claim(owner)
				}
				if err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
					return
				}
				if len(ms) == 0 {
					return
				}
				for _, m := range ms {
					status, errText := s.send(ctx, owner, m)
					mu.Lock()
					switch status {
					case store.MessageSent:
						rep.Sent++
					case store.MessageFailed:
						rep.Failed++
					case store.MessagePending:
						if errText != "" {
							rep.Retrying++
						}
					}
					if errText != "" || status == store.MessageSent {
						rep.add(m, status, errText)
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// send sends one claimed message and settles it. It returns the
// message's new status, and the failure's text if any (a message given
// back untried returns pending and "").
func (s *Service) send(ctx context.Context, owner string, m store.OutboxMessage) (store.MessageStatus, string) {
	// Settle even when ctx is cancelled (shutdown): a claim left behind
	// would only be retried after its lease.
	settleCtx, cancelSettle := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancelSettle()
	log := s.log.With("message", m.ID, "chat", m.ChatID, "kind", string(m.Kind), "attempt", m.Attempts)
	settled := func(err error) {
		if err != nil {
			log.Error("cannot record the outcome of a message", "err", err)
		}
	}

	if m.Attempts > s.cfg.MaxAttempts {
		reason := fmt.Sprintf("gave up after %d attempts (claims that ran out count)", m.Attempts-1)
		settled(s.deps.Store.FailMessage(settleCtx, m.ID, owner, reason))
		return store.MessageFailed, reason
	}

	// A send never outlives its lease, so no other dispatcher claims the
	// message while it may still go out.
	sendCtx, cancel := context.WithTimeout(ctx, s.cfg.Lease-30*time.Second)
	sent, err := s.deliver(sendCtx, m)
	cancel()

	var (
		chatErr  *bot.ChatError
		migrated *bot.MigratedError
	)
	switch {
	case err == nil:
		id := 0
		if sent != nil {
			id = sent.ID
		}
		if err := s.deps.Store.CompleteMessage(settleCtx, m.ID, owner, id, s.deps.Now()); errors.Is(err, store.ErrConflict) {
			log.Warn("message sent twice: its lease ran out while it was being sent", "err", err)
		} else {
			settled(err)
		}
		return store.MessageSent, ""

	case ctx.Err() != nil:
		settled(s.deps.Store.ReleaseMessage(settleCtx, m.ID, owner))
		return store.MessagePending, ""

	case errors.As(err, &migrated) && migrated.NewChatID != 0:
		// The registry moves the bindings and this and every other
		// unsent message to the new id; given back, it goes out again.
		log.Info("chat became a supergroup, resending to its new id", "new_chat", migrated.NewChatID)
		s.registry.Migrated(settleCtx, m.ChatID, migrated.NewChatID)
		settled(s.deps.Store.ReleaseMessage(settleCtx, m.ID, owner))
		return store.MessagePending, ""

	case errors.As(err, &chatErr):
		reason := err.Error()
		settled(s.deps.Store.FailMessage(settleCtx, m.ID, owner, reason))
		if m.Kind != store.KindNotice {
			s.registry.ChatUnavailable(settleCtx, m.ChatID, string(chatErr.Problem))
		} else {
			log.Error("cannot reach the administrators' chat", "err", err)
		}
		return store.MessageFailed, reason

	case errors.Is(err, tgbot.ErrorBadRequest):
		// Telegram refused the message itself (markup, a closed topic):
		// sending it again would fail again.
		reason := err.Error()
		log.Error("telegram refused a reminder", "err", err)
		settled(s.deps.Store.FailMessage(settleCtx, m.ID, owner, reason))
		return store.MessageFailed, reason
	}

	// Transient: the sender already retried 5xx and waited out 429s.
	reason := err.Error()
	if m.Attempts >= s.cfg.MaxAttempts {
		reason = fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, reason)
		settled(s.deps.Store.FailMessage(settleCtx, m.ID, owner, reason))
		return store.MessageFailed, reason
	}
	retry := s.deps.Now().Add(s.backoff(m.Attempts))
	log.Warn("sending a reminder failed, will retry", "at", retry, "err", err)
	settled(s.deps.Store.RetryMessage(settleCtx, m.ID, owner, retry, reason))
	return store.MessagePending, reason
}

// backoff is the wait after the attempt-th failure: RetryBackoff doubled
// each time, at most 30 minutes.
func (s *Service) backoff(attempt int) time.Duration {
	d := s.cfg.RetryBackoff << max(attempt-1, 0)
	if d <= 0 || d > 30*time.Minute {
		d = 30 * time.Minute
	}
	return d
}

// params builds the sendMessage call of m: HTML, no link previews, its
// topic and buttons.
func params(m store.OutboxMessage) *tgbot.SendMessageParams {
	noPreview := true
	p := &tgbot.SendMessageParams{
		ChatID:             m.ChatID,
		MessageThreadID:    m.ThreadID,
		Text:               m.Text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: &noPreview},
	}
	if len(m.Buttons) > 0 {
		kb := &models.InlineKeyboardMarkup{}
		for _, row := range m.Buttons {
			var r []models.InlineKeyboardButton
			for _, b := range row {
				r = append(r, models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data})
			}
			kb.InlineKeyboard = append(kb.InlineKeyboard, r)
		}
		p.ReplyMarkup = kb
	}
	return p
}

// dryDispatch reports what a real dispatch would send now: the messages
// waiting in the outbox and those just composed (in order, per chat).
func (s *Service) dryDispatch(ctx context.Context, now time.Time, composed []store.OutboxMessage, rep *Report) error {
	if !s.inDay(now) {
		return nil
	}
	ready, err := s.deps.Store.ReadyMessages(ctx, now)
	if err != nil {
		return err
	}
	for _, m := range append(ready, composed...) {
		rep.add(m, store.MessagePending, "")
	}
	return nil
}
