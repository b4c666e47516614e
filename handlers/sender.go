// Package handlers answers Telegram updates: commands, button presses and
// inline queries. It renders every reply, in Vietnamese, as Telegram HTML
// in one place (render.go: escaping, the HTML builder, formats and labels;
// views.go: the screens; split.go: splitting under 4096 characters) and
// sends it through a Sender, so the same code serves Telegram (package
// bot) and the terminal (package console).
//
// The files, in the order an update flows through them: handlers.go
// (Handle, dispatch, error mapping), command.go and args.go (parsing),
// commands.go (one function per command), callbacks.go and callback.go
// (button presses and the callback data format), inline.go (inline
// mode), screens.go (loading what a screen shows), views.go and render.go
// (rendering), reply.go and split.go (sending). Who the user is, and so
// what they may see and do, is people.go; units' reports and the office's
// review are report.go and review.go, a record's audit log history.go,
// granted administrators admin.go.
package handlers

import (
	"context"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Sender is the part of the Telegram Bot API that handlers use.
// *bot.Bot satisfies it; so do the rate-limited sender of package bot and
// the console.
type Sender interface {
	SendMessage(ctx context.Context, p *bot.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, p *bot.EditMessageTextParams) (*models.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *bot.AnswerCallbackQueryParams) (bool, error)
	AnswerInlineQuery(ctx context.Context, p *bot.AnswerInlineQueryParams) (bool, error)
	// SendDocument and SendPhoto send files: exports, templates,
	// calendars, charts.
	SendDocument(ctx context.Context, p *bot.SendDocumentParams) (*models.Message, error)
	SendPhoto(ctx context.Context, p *bot.SendPhotoParams) (*models.Message, error)
}
