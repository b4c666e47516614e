package handlers

import (
	"context"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/tghtml"
)

// send sends v to the request's chat (and topic), split into messages of
// at most 4096 characters; the keyboard goes on the last one. A failed
// send is logged and the rest is not sent.
func (h *Handlers) send(ctx context.Context, r *request, v view) {
	if v.html == "" {
		return // already answered otherwise (a file sent, a message edited)
	}
	h.sendParts(ctx, r, tghtml.Split(v.html, tghtml.MaxMessageLen), v.kb, v.ask)
}

func (h *Handlers) sendParts(ctx context.Context, r *request, parts []string, kb *models.InlineKeyboardMarkup, ask bool) {
	for i, p := range parts {
		params := &bot.SendMessageParams{
			ChatID:             r.chatID,
			MessageThreadID:    r.thread,
			Text:               p,
			ParseMode:          models.ParseModeHTML,
			LinkPreviewOptions: noPreview(),
		}
		// Only a non-nil keyboard: a nil pointer in the interface field
		// would be sent as "null".
		if i == len(parts)-1 && kb != nil {
			params.ReplyMarkup = kb
		}
		if i == len(parts)-1 && kb == nil && ask && !r.private {
			// A question in a group: privacy mode delivers only replies to
			// the bot, so ask for one, from this user only: selective
			// targets the author of the message replied to. After a button
			// there is none, and a selective request would reach nobody.
			params.ReplyMarkup = &models.ForceReply{ForceReply: true, Selective: r.messageID != 0}
			if r.messageID != 0 {
				params.ReplyParameters = &models.ReplyParameters{MessageID: r.messageID, AllowSendingWithoutReply: true}
			}
		}
		if _, err := h.deps.Sender.SendMessage(ctx, params); err != nil {
			h.deps.Log.Error("send message", "update_id", r.updateID, "part", i+1, "parts", len(parts), "err", err)
			return
		}
	}
}

// target is the message a button was pressed on.
type target struct {
	chatID    int64
	messageID int    // 0 when the message is too old to edit
	inlineID  string // a message sent through inline mode
}

// present shows v in place of the message a button was pressed on: the
// first part replaces it, further parts follow as new messages, and the
// keyboard goes on the last part. An inline-mode message has no chat to
// follow up in, so it gets the first part and the keyboard. When the
// message cannot be edited, v is sent anew.
func (h *Handlers) present(ctx context.Context, r *request, t target, v view) {
	parts := tghtml.Split(v.html, tghtml.MaxMessageLen)
	edit := &bot.EditMessageTextParams{
		Text:               parts[0],
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: noPreview(),
	}
	switch {
	case t.inlineID != "":
		edit.InlineMessageID = t.inlineID
		if v.kb != nil {
			edit.ReplyMarkup = v.kb
		}
	case t.messageID != 0:
		edit.ChatID, edit.MessageID = t.chatID, t.messageID
		if len(parts) == 1 && v.kb != nil {
			edit.ReplyMarkup = v.kb
		}
	default:
		h.sendParts(ctx, r, parts, v.kb, v.ask)
		return
	}
	if _, err := h.deps.Sender.EditMessageText(ctx, edit); err != nil {
		if notModified(err) {
			// The same view pressed twice: nothing to change.
			return
		}
		h.deps.Log.Warn("edit message", "update_id", r.updateID, "err", err)
		if t.inlineID == "" {
			h.sendParts(ctx, r, parts, v.kb, v.ask)
		}
		return
	}
	if t.inlineID == "" && len(parts) > 1 {
		h.sendParts(ctx, r, parts[1:], v.kb, v.ask)
	}
}

// notModified reports Telegram's answer to an edit that changes nothing.
func notModified(err error) bool {
	return strings.Contains(err.Error(), "message is not modified")
}
