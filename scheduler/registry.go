package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/store"
)

// Registry keeps the chat registry in step with Telegram: it deactivates
// the bindings of a chat the bot was removed from (or can no longer write
// to) and tells the administrators once, and follows a group that became
// a supergroup to its new id. It satisfies bot.ChatEvents; get it from
// Service.Registry.
type Registry struct {
	store       Store
	render      Renderer
	adminChatID int64
	now         func() time.Time
	log         *slog.Logger
}

var _ bot.ChatEvents = (*Registry)(nil)

// Reasons a binding is deactivated, stored with it (bot.ChatProblem
// values are used as they are).
const (
	ReasonLeft       = "left"       // the bot left or was removed (my_chat_member "left")
	ReasonKicked     = "kicked"     // the bot was banned from the chat
	ReasonRestricted = "restricted" // the bot may no longer send messages there
)

// MembershipChanged implements bot.ChatEvents: when the bot is removed
// from a chat ("left", "kicked") or may no longer write there, the chat's
// bindings are deactivated and the administrators told, once. Being added
// or promoted changes nothing: a unit's chat is bound with /register.
func (r *Registry) MembershipChanged(ctx context.Context, ev *models.ChatMemberUpdated) {
	if ev == nil {
		return
	}
	var reason string
	switch nm := ev.NewChatMember; nm.Type {
	case models.ChatMemberTypeLeft:
		reason = ReasonLeft
	case models.ChatMemberTypeBanned:
		reason = ReasonKicked
	case models.ChatMemberTypeRestricted:
		if nm.Restricted != nil && (!nm.Restricted.IsMember || !nm.Restricted.CanSendMessages) {
			reason = ReasonRestricted
		}
	}
	if reason == "" {
		r.log.Info("bot membership changed", "chat", ev.Chat.ID, "status", string(ev.NewChatMember.Type))
		return
	}
	r.chatLost(ctx, ev.Chat.ID, ev.Chat.Title, reason)
}

// Migrated implements bot.ChatEvents: the group's bindings and unsent
// messages move to the supergroup's id, and a configured chat id
// (ADMIN_CHAT_ID, LEADERSHIP_CHAT_ID) that migrated is followed too.
// Calling it again for the same migration changes nothing.
func (r *Registry) Migrated(ctx context.Context, from, to int64) {
	n, err := r.store.MigrateChat(ctx, from, to)
	if err != nil {
		r.log.Error("cannot follow a chat to its new id", "from", from, "to", to, "err", err)
		return
	}
	if err := r.store.SetSchedulerState(ctx, stateMigrated+strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)); err != nil {
		r.log.Error("cannot record a chat migration", "from", from, "to", to, "err", err)
	}
	r.log.Info("chat became a supergroup; its bindings follow", "from", from, "to", to, "bindings", n)
}

// ChatUnavailable deactivates the bindings of a chat the bot can no
// longer write to (a 403, or 400 chat not found, when sending) and tells
// the administrators if they were active. problem is the
// bot.ChatProblem.
func (r *Registry) ChatUnavailable(ctx context.Context, chatID int64, problem string) {
	r.chatLost(ctx, chatID, "", problem)
}

func (r *Registry) chatLost(ctx context.Context, chatID int64, title, reason string) {
	lost, err := r.store.DeactivateChat(ctx, chatID, reason)
	if err != nil {
		r.log.Error("cannot deactivate a lost chat", "chat", chatID, "reason", reason, "err", err)
		return
	}
	if len(lost) == 0 {
		return // not bound, or already handled (by another report or instance)
	}
	if title == "" {
		title = lost[0].ChatTitle
	}
	units := make([]string, 0, len(lost))
	for _, b := range lost {
		units = append(units, b.Unit.Name)
	}
	r.log.Warn("lost a unit's chat; its reminders stop", "chat", chatID, "reason", reason, "units", units)
	if r.adminChatID == 0 {
		r.log.Warn("ADMIN_CHAT_ID is not set: nobody is told that a unit's chat was lost", "chat", chatID)
		return
	}
	admin, err := resolveChat(ctx, r.store, r.adminChatID)
	if err != nil {
		r.log.Error("cannot resolve the administrators' chat", "err", err)
		admin = r.adminChatID
	}
	now := r.now()
	parts := r.render.ChatLost(ChatLost{ChatID: chatID, ChatTitle: title, Reason: reason, Bindings: lost, At: now})
	b := store.OutboxBatch{Name: fmt.Sprintf("notice/%d/%d", chatID, now.UnixNano())}
	for i, p := range parts {
		b.Messages = append(b.Messages, store.OutboxMessage{Kind: store.KindNotice, ChatID: admin, Part: i + 1, Parts: len(parts),
			Text: p.Text, Buttons: p.Buttons, NotBefore: now, ExpiresAt: now.Add(72 * time.Hour)})
	}
	if err := r.store.EnqueueBatch(ctx, b); err != nil {
		r.log.Error("cannot queue the notice to the administrators", "chat", chatID, "err", err)
	}
}
