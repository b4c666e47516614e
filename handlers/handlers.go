package handlers

import (
	"context"
	"log/slog"
	"time"

	"github.com/go-telegram/bot/models"

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

// Config holds the settings of the handlers.
type Config struct {
	// BotUsername, without '@', lets "/cmd@BotUsername" through and makes
	// commands addressed to other bots be ignored. Empty accepts any.
	BotUsername string
	// Location is the office's time zone, for "today" and for display.
	Location *time.Location
	// PageSize is the number of items per list page (default 8).
	PageSize int
}

// Deps are the collaborators of the handlers.
type Deps struct {
	Store  Store
	Sender Sender
	// Chats may be nil: no chat is bound to a unit.
	Chats ChatUnits
	// Now returns the current instant; nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
}

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
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	return &Handlers{cfg: cfg, deps: deps}
}

// Handle answers one update: a message with a command, a button press or
// an inline query. Other updates are ignored. Every failure is answered to
// the user in Vietnamese; only unexpected ones are logged.
func (h *Handlers) Handle(ctx context.Context, u *models.Update) {
	// Implemented in the handlers work; see docs/design.md.
	_ = ctx
	_ = u
}
