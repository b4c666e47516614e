package handlers

import (
	"context"
	"errors"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

// maxFallbacks bounds the fresh views tried for an outdated button.
const maxFallbacks = 4

// onCallback answers a button press: it answers the callback query (always,
// exactly once, also on failure and on panic), then shows the screen the
// button asks for in place of the message. Data that cannot be decoded, or
// that names a record or page that no longer exists, is answered "Nút này
// đã hết hạn." with a fresh view.
func (h *Handlers) onCallback(ctx context.Context, updateID int64, q *models.CallbackQuery) {
	answered := false
	answer := func(text string, alert bool) {
		if answered {
			return
		}
		answered = true
		_, err := h.deps.Sender.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: text, ShowAlert: alert})
		if err != nil {
			h.deps.Log.Error("answer callback query", "update_id", updateID, "err", err)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			answer(systemErrorText, true)
			panic(p) // Handle logs it
		}
		answer("", false)
	}()

	var t target
	var chat models.Chat
	thread := 0
	switch q.Message.Type {
	case models.MaybeInaccessibleMessageTypeMessage:
		if m := q.Message.Message; m != nil {
			chat, t = m.Chat, target{chatID: m.Chat.ID, messageID: m.ID}
			thread = topicOf(m)
		}
	case models.MaybeInaccessibleMessageTypeInaccessibleMessage:
		if m := q.Message.InaccessibleMessage; m != nil {
			chat, t = m.Chat, target{chatID: m.Chat.ID}
		}
	}
	if q.InlineMessageID != "" {
		t.inlineID = q.InlineMessageID
	}
	r := h.newRequest(updateID, chat, thread)
	r.user = q.From
	if t.chatID == 0 && t.inlineID == "" {
		return // nowhere to show anything; the deferred answer still goes
	}

	cb, err := decodeCallback(q.Data)
	var v view
	switch {
	case err != nil:
		v = r.rd.help()
		v.notice = expiredNotice
	case cb.Kind == kindNoop:
		return
	case isEntryKind(cb.Kind):
		// Data entry (entry.go): the conversation starts below the card.
		vs, notice := h.onEntryButton(ctx, r, cb)
		answer(notice, notice != "" && notice != expiredNotice)
		for _, v := range vs {
			h.send(ctx, r, v)
		}
		return
	case isOfficeKind(cb.Kind):
		// Reports, review, history (report.go, review.go, history.go).
		vs, notice, alert := h.onOfficeButton(ctx, r, cb)
		answer(notice, alert)
		for _, v := range vs {
			if v.replace && (t.messageID != 0 || t.inlineID != "") {
				h.present(ctx, r, t, v)
				continue
			}
			h.send(ctx, r, v)
		}
		return
	case cb.Kind == kindConv:
		// A choice answers the conversation; the next question comes as
		// a new message, the old one keeps what was asked (a question
		// kept, its choices toggled or paged, is redrawn in place).
		vs, ok, err := h.continueFlow(ctx, r, flowInput{Choice: cb.Choice})
		switch {
		case err != nil:
			h.deps.Log.Error("handle conversation button", "update_id", updateID, "err", err)
			answer(systemErrorText, true)
		case !ok:
			answer("Việc này đã kết thúc hoặc hết hạn.", false)
		default:
			answer("", false)
			for _, v := range vs {
				if v.replace && t.messageID != 0 {
					h.present(ctx, r, t, v)
					continue
				}
				h.send(ctx, r, v)
			}
		}
		return
	default:
		v, err = h.show(ctx, r, cb)
		for i := 0; i < maxFallbacks && gone(err); i++ {
			cb = fallback(cb)
			v, err = h.show(ctx, r, cb)
			v.notice = expiredNotice
		}
		if err != nil {
			h.deps.Log.Error("handle button", "update_id", updateID, "err", err)
			answer(systemErrorText, true)
			return
		}
	}
	answer(v.notice, false)
	h.present(ctx, r, t, v)
}

// gone reports an error that makes a button outdated.
func gone(err error) bool {
	return err != nil && (errors.Is(err, store.ErrNotFound) || errors.Is(err, errBadCallback))
}
