package bot

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/monitor"
)

// Handler answers one update (handlers.Handlers satisfies it).
type Handler interface {
	Handle(ctx context.Context, u *models.Update)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, u *models.Update)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, u *models.Update) { f(ctx, u) }

// ChatEvents receives changes of the bot's chats: the unit registry
// follows them (a removed bot, a group that became a supergroup).
type ChatEvents interface {
	// MembershipChanged: the bot was added to, promoted in, or removed
	// from a chat (my_chat_member).
	MembershipChanged(ctx context.Context, ev *models.ChatMemberUpdated)
	// Migrated: a group became a supergroup with a new id.
	Migrated(ctx context.Context, fromChatID, toChatID int64)
}

// LogEvents is the ChatEvents that only logs.
type LogEvents struct{ Log *slog.Logger }

// MembershipChanged implements ChatEvents.
func (l LogEvents) MembershipChanged(_ context.Context, ev *models.ChatMemberUpdated) {
	l.Log.Info("bot membership changed", "chat", ev.Chat.ID, "title", ev.Chat.Title, "status", string(ev.NewChatMember.Type))
}

// Migrated implements ChatEvents.
func (l LogEvents) Migrated(_ context.Context, from, to int64) {
	l.Log.Info("group migrated to a supergroup", "from", from, "to", to)
}

var errStopped = errors.New("dispatcher stopped")

// dispatcher runs updates on a fixed number of workers. It tracks which
// updates are queued or running, so the poller confirms only finished
// ones.
type dispatcher struct {
	queue   chan *models.Update
	quit    chan struct{}
	handle  func(context.Context, *models.Update)
	workers int
	timeout time.Duration // per update
	wg      sync.WaitGroup

	mu      sync.Mutex
	pending map[int64]struct{}
	hardCtx context.Context // cancelled when the shutdown grace ends
	hardEnd context.CancelFunc
}

func newDispatcher(workers int, timeout time.Duration, handle func(context.Context, *models.Update)) *dispatcher {
	hard, cancel := context.WithCancel(context.Background())
	return &dispatcher{
		queue: make(chan *models.Update, workers), quit: make(chan struct{}),
		handle: handle, workers: workers, timeout: timeout,
		pending: map[int64]struct{}{}, hardCtx: hard, hardEnd: cancel,
	}
}

func (d *dispatcher) start() {
	for range d.workers {
		d.wg.Add(1)
		go d.work()
	}
}

func (d *dispatcher) work() {
	defer d.wg.Done()
	for {
		select {
		case u := <-d.queue:
			d.run(u)
		case <-d.quit:
			// Finish what was queued before stopping.
			for {
				select {
				case u := <-d.queue:
					d.run(u)
				default:
					return
				}
			}
		}
	}
}

func (d *dispatcher) run(u *models.Update) {
	// Handlers outlive the receiving context: a reply in flight at
	// shutdown is still delivered, until the grace period ends.
	ctx, cancel := context.WithTimeout(d.hardCtx, d.timeout)
	defer cancel()
	d.handle(ctx, u)
	d.mu.Lock()
	delete(d.pending, u.ID)
	d.mu.Unlock()
}

// submit queues u, waiting while every worker is busy.
func (d *dispatcher) submit(ctx context.Context, u *models.Update) error {
	d.mu.Lock()
	d.pending[u.ID] = struct{}{}
	d.mu.Unlock()
	select {
	case d.queue <- u:
		return nil
	case <-d.quit:
	case <-ctx.Done():
	}
	d.mu.Lock()
	delete(d.pending, u.ID)
	d.mu.Unlock()
	return errStopped
}

// stop stops accepting updates and waits for queued and running ones, at
// most grace; then it cancels their contexts. It returns the lowest id of
// an update that did not finish, or 0 when all did.
func (d *dispatcher) stop(grace time.Duration) int64 {
	close(d.quit)
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		d.hardEnd()
		<-done
	}
	d.hardEnd()
	d.mu.Lock()
	defer d.mu.Unlock()
	var lowest int64
	for id := range d.pending {
		if lowest == 0 || id < lowest {
			lowest = id
		}
	}
	return lowest
}

// updateKind names an update for metrics and logs.
func updateKind(u *models.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.InlineQuery != nil:
		return "inline_query"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.EditedMessage != nil:
		return "edited_message"
	}
	return "other"
}

// middleware wraps the handling of one update.
type middleware func(next func(context.Context, *models.Update)) func(context.Context, *models.Update)

func chain(h func(context.Context, *models.Update), ms ...middleware) func(context.Context, *models.Update) {
	for i := len(ms) - 1; i >= 0; i-- {
		h = ms[i](h)
	}
	return h
}

// recoverer keeps the process alive when a handler panics: it logs the
// panic with the update id (never the update's content), counts it, and
// tells the user something went wrong.
func recoverer(sender *Sender, metrics *monitor.Metrics, log *slog.Logger) middleware {
	return func(next func(context.Context, *models.Update)) func(context.Context, *models.Update) {
		return func(ctx context.Context, u *models.Update) {
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				metrics.Panicked()
				log.Error("handler panicked", "update_id", u.ID, "type", updateKind(u), "panic", p, "stack", string(debug.Stack()))
				apologise(context.WithoutCancel(ctx), sender, u, log)
			}()
			next(ctx, u)
		}
	}
}

const apology = "Xin lỗi, đã có lỗi khi xử lý yêu cầu này. Vui lòng thử lại sau."

func apologise(ctx context.Context, s *Sender, u *models.Update, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var err error
	switch {
	case u.CallbackQuery != nil:
		_, err = s.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: apology})
	case u.Message != nil:
		p := &tgbot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: apology, MessageThreadID: u.Message.MessageThreadID}
		_, err = s.SendMessage(ctx, p)
	case u.InlineQuery != nil:
		_, err = s.AnswerInlineQuery(ctx, &tgbot.AnswerInlineQueryParams{InlineQueryID: u.InlineQuery.ID, Results: []models.InlineQueryResult{}, CacheTime: 1})
	}
	if err != nil {
		log.Warn("could not apologise after a panic", "update_id", u.ID, "err", err)
	}
}

// measure counts updates and times their handling.
func measure(metrics *monitor.Metrics) middleware {
	return func(next func(context.Context, *models.Update)) func(context.Context, *models.Update) {
		return func(ctx context.Context, u *models.Update) {
			kind := updateKind(u)
			metrics.Update(kind)
			start := time.Now()
			next(ctx, u)
			metrics.Handled(kind, time.Since(start))
		}
	}
}

// lifecycle hands membership changes and migrations to events, then lets
// the update go on to the handlers.
func lifecycle(events ChatEvents) middleware {
	return func(next func(context.Context, *models.Update)) func(context.Context, *models.Update) {
		return func(ctx context.Context, u *models.Update) {
			switch {
			case u.MyChatMember != nil:
				events.MembershipChanged(ctx, u.MyChatMember)
				return
			case u.Message != nil && u.Message.MigrateToChatID != 0:
				events.Migrated(ctx, u.Message.Chat.ID, u.Message.MigrateToChatID)
				return
			case u.Message != nil && u.Message.MigrateFromChatID != 0:
				return // the same migration, seen from the new supergroup
			}
			next(ctx, u)
		}
	}
}
