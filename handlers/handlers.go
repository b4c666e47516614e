package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/scheduler"
	"meetbot/store"
)

// Store is the read side of the store that handlers use. *sqlstore.Store
// and *cache.Cache satisfy it.
type Store interface {
	Units(ctx context.Context, f store.UnitFilter) ([]store.Unit, error)
	Unit(ctx context.Context, id int64) (store.Unit, error)
	FindUnits(ctx context.Context, text string) ([]store.Unit, error)
	Meetings(ctx context.Context, f store.MeetingFilter) (store.Page[store.Meeting], error)
	Meeting(ctx context.Context, id int64) (store.Meeting, error)
	Directives(ctx context.Context, f store.DirectiveFilter) (store.Page[store.Directive], error)
	Directive(ctx context.Context, id int64) (store.Directive, error)
	DirectiveByCode(ctx context.Context, code string) (store.Directive, error)
	Programs(ctx context.Context, f store.ProgramFilter) (store.Page[store.Program], error)
	Program(ctx context.Context, id int64) (store.Program, error)
	Search(ctx context.Context, q store.SearchQuery) (store.Page[store.SearchHit], error)
}

// ChatUnits tells which units a chat (and forum topic) is bound to. The
// registry of bound chats comes with the reminders; the console simulates
// a binding with a fixed answer.
type ChatUnits interface {
	// UnitsForChat returns the units bound to the chat and topic (threadID
	// 0 for none); no binding gives an empty slice and no error.
	UnitsForChat(ctx context.Context, chatID int64, threadID int) ([]store.Unit, error)
}

// Registry binds group chats to units (the reminders' registry);
// *sqlstore.Store satisfies it.
type Registry interface {
	// BindChat binds the chat (and topic) to the unit, replacing an
	// earlier binding of the same chat and topic.
	BindChat(ctx context.Context, b store.Binding) (store.Binding, error)
	// UnbindChat ends the binding of the chat and topic; ErrNotFound if
	// there is none.
	UnbindChat(ctx context.Context, chatID int64, threadID int) (store.Binding, error)
	// Bindings returns every binding, with its unit.
	Bindings(ctx context.Context) ([]store.Binding, error)
}

// ChatMembers tells a user's status in a chat (getChatMember); *bot.Bot
// satisfies it.
type ChatMembers interface {
	GetChatMember(ctx context.Context, p *bot.GetChatMemberParams) (*models.ChatMember, error)
}

// People knows the office's granted administrators and the units users
// speak for; *sqlstore.Store satisfies it.
type People interface {
	IsAdmin(ctx context.Context, userID int64) (bool, error)
	UserUnits(ctx context.Context, userID int64) ([]int64, error)
	RecordMember(ctx context.Context, userID, unitID, chatID int64, at time.Time) error
}

// StatusReporter reports the reminders' state (*scheduler.Service).
type StatusReporter interface {
	Status(ctx context.Context) (scheduler.Status, error)
}

// Config holds the settings of the handlers.
type Config struct {
	// BotUsername, without '@', lets "/cmd@BotUsername" through and makes
	// commands addressed to other bots be ignored. Empty accepts any.
	BotUsername string
	// Location is the office's time zone, for "today" and for display.
	Location *time.Location
	// PageSize is the number of items per list page (default 8, at most
	// 50 so a page and its buttons fit one message).
	PageSize int
	// AdminIDs are the Telegram user ids of the office's administrators:
	// they may use /status and bind any group.
	AdminIDs []int64
	// ReminderTime is shown when a group is bound ("07:30").
	ReminderTime string
	// PublicURL (PUBLIC_URL) is the bot's public base address, for the
	// units' calendar feeds; empty: /calendar shows no feed address.
	PublicURL string
	// AdminChatID (ADMIN_CHAT_ID) is told of every report a unit
	// submits; 0: nobody is.
	AdminChatID int64
}

// Deps are the collaborators of the handlers.
type Deps struct {
	// Store answers every read; required.
	Store Store
	// Sender delivers replies; required.
	Sender Sender
	// Chats may be nil: no chat is bound to a unit.
	Chats ChatUnits
	// Registry, Members and Status may be nil (the console): /register,
	// /unregister and /status then say they work on Telegram only.
	Registry Registry
	Members  ChatMembers
	Status   StatusReporter
	// People tells administrators and unit members apart; nil: only
	// Config.AdminIDs are administrators, nobody speaks for a unit.
	People People
	// Conversations keeps guided conversations; nil: they are refused.
	Conversations Conversations
	// Editor writes what administrators enter in chat; nil: data entry
	// is refused.
	Editor Editor
	// Stats answers /stats (the store or the cache); nil: /stats says
	// it is not available.
	Stats StatsReader
	// Feeds gives the units' calendar feed tokens; nil: /calendar shows
	// no feed address.
	Feeds FeedTokens
	// Reports takes units' reports, the office's review and the audit
	// log (report.go); nil: they are refused. Wire the cache-wrapped
	// store so cached answers reflect a review at once.
	Reports Reports
	// Files downloads the documents users send, for imports (files.go);
	// nil: sent files are answered "only on Telegram".
	Files Downloader
	// Now returns the current instant; nil means time.Now.
	Now func() time.Time
	// Log receives unexpected failures and failed sends; nil discards.
	Log *slog.Logger
}

// maxPageSize bounds Config.PageSize.
const maxPageSize = 50

// Handlers answers updates. It is safe for concurrent use.
type Handlers struct {
	cfg  Config
	deps Deps
}

// New returns Handlers with cfg's zero fields defaulted.
func New(cfg Config, deps Deps) *Handlers {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 8
	}
	cfg.PageSize = min(cfg.PageSize, maxPageSize)
	cfg.BotUsername = strings.TrimPrefix(strings.TrimSpace(cfg.BotUsername), "@")
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	return &Handlers{cfg: cfg, deps: deps}
}

// Handle answers one update: a message with a command (or, in a private
// chat, plain text, which is searched), a button press or an inline
// query. Other updates, edited messages and messages from bots are
// ignored. Every failure is answered to the user in Vietnamese; only
// unexpected ones are logged, with the update id. A panic is recovered,
// logged and answered like any unexpected failure.
//
// Plain text counts as private when Chat.Type is "private" or empty (the
// console's synthetic updates need not set it).
func (h *Handlers) Handle(ctx context.Context, u *models.Update) {
	if u == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			h.deps.Log.Error("handler panicked", "update_id", u.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if m := u.Message; m != nil {
				h.send(ctx, h.newRequest(u.ID, m.Chat, topicOf(m)), systemError())
			}
		}
	}()
	switch {
	case u.Message != nil:
		h.onMessage(ctx, u.ID, u.Message)
	case u.CallbackQuery != nil:
		h.onCallback(ctx, u.ID, u.CallbackQuery)
	case u.InlineQuery != nil:
		h.onInline(ctx, u.ID, u.InlineQuery)
	}
}

// newRequest returns the context of an update from chat: "today" is taken
// once, so one answer never straddles midnight.
func (h *Handlers) newRequest(updateID int64, chat models.Chat, thread int) *request {
	return &request{
		updateID:  updateID,
		chatID:    chat.ID,
		chatTitle: chat.Title,
		thread:    thread,
		private:   chat.Type == models.ChatTypePrivate || chat.Type == "",
		rd: renderer{
			loc:   h.cfg.Location,
			today: store.DateIn(h.deps.Now(), h.cfg.Location),
			bot:   h.cfg.BotUsername,
			size:  h.cfg.PageSize,
		},
	}
}

// topicOf returns the forum topic a message is in, 0 for none.
func topicOf(m *models.Message) int {
	if m.IsTopicMessage {
		return m.MessageThreadID
	}
	return 0
}

// onMessage answers a command, or searches plain text in a private chat.
func (h *Handlers) onMessage(ctx context.Context, updateID int64, m *models.Message) {
	if m.ViaBot != nil || (m.From != nil && m.From.IsBot) {
		return // our own inline results posted in a chat, or another bot
	}
	r := h.newRequest(updateID, m.Chat, topicOf(m))
	r.messageID = m.ID
	if m.From != nil {
		r.user = *m.From
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.From != nil {
		r.replyTo = m.ReplyToMessage.From
	}
	h.noteMember(ctx, r)
	if m.Document != nil {
		h.onDocument(ctx, r, m) // files.go
		return
	}
	cmd, res := parseCommand(m.Text, m.Entities, h.cfg.BotUsername)
	switch res {
	case otherTarget:
		return
	case notCommand:
		text := strings.TrimSpace(m.Text)
		// An answer to a question of a guided conversation?
		if vs, ok, err := h.continueFlow(ctx, r, flowInput{Text: text}); ok {
			if err != nil {
				vs = append(vs, h.errorView(r, err))
			}
			for _, v := range vs {
				h.send(ctx, r, v)
			}
			return
		}
		if !r.private || text == "" {
			return // groups: privacy mode, never answer chatter
		}
		cmd = command{Name: "search", Args: text}
	}
	v, ok := h.runCommand(ctx, r, cmd)
	if ok {
		h.send(ctx, r, v)
	}
}

// runCommand answers a command. It reports false when the command is not
// answered: an unknown command in a group that may belong to another bot.
func (h *Handlers) runCommand(ctx context.Context, r *request, cmd command) (view, bool) {
	run, known := commands[cmd.Name]
	if !known {
		if !r.private && !cmd.Addressed {
			// Several bots may share a group: answer only likely typos
			// of our commands.
			if _, d := closestCommand(cmd.Name); !validCommandName(cmd.Name) || d > 2 {
				return view{}, false
			}
		}
		return unknownCommand(cmd.Name), true
	}
	v, err := run(h, ctx, r, cmd.Args)
	if err != nil {
		return h.errorView(r, err), true
	}
	return v, true
}

// errorView maps an error to the reply the user sees, logging the
// unexpected ones.
func (h *Handlers) errorView(r *request, err error) view {
	var nf *notFoundError
	switch {
	case errors.As(err, &nf):
		return message("🔍", nf.msg, nf.hint)
	case errors.Is(err, store.ErrNotFound):
		return message("🔍", "Không tìm thấy dữ liệu yêu cầu.", "Gõ /help để xem các lệnh.")
	case errors.Is(err, store.ErrInvalid):
		return message("⚠️", "Yêu cầu không hợp lệ, vui lòng kiểm tra lại.", "Gõ /help để xem cách dùng.")
	}
	h.deps.Log.Error("handle update", "update_id", r.updateID, "err", err)
	return systemError()
}
