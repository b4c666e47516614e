package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

// Guided conversations ask one question at a time: creating a directive,
// reporting progress, giving a reason. The state is kept in the store
// (Conversations), one conversation per user and chat, so a restart or
// another instance loses nothing. An answer is a typed message (in a
// group, a reply to the question: questions there are forced replies, as
// privacy mode delivers nothing else) or a button with a choice
// (kindConv). /cancel, or the "Huỷ" button, ends it at any step.

// Conversations keeps guided conversations; *sqlstore.Store satisfies it.
type Conversations interface {
	// Conversation returns the user's conversation in the chat, or an
	// error wrapping store.ErrNotFound when there is none (or it expired).
	Conversation(ctx context.Context, chatID, userID int64) (store.Conversation, error)
	SaveConversation(ctx context.Context, c store.Conversation) error
	EndConversation(ctx context.Context, chatID, userID int64) error
}

// conversationTTL is how long a conversation waits for its next answer.
const conversationTTL = time.Hour

// choiceCancel is the choice of the "Huỷ" button.
const choiceCancel = "cancel"

// flow is one kind of guided conversation: named steps, each asking one
// question and taking its answer.
type flow struct {
	kind  string
	first string
	steps map[string]flowStep
}

// flowStep is one question of a flow.
type flowStep struct {
	// ask renders the question, with choice buttons (kindConv callbacks)
	// if any; the framework adds the cancel button.
	ask func(h *Handlers, ctx context.Context, r *request, c *store.Conversation) (view, error)
	// answer takes the answer and returns the next step ("" ends the
	// conversation) and a view shown first (a confirmation, the result
	// of the last step, or why the answer was refused, with next the
	// same step to ask again). It may change c.Data.
	answer func(h *Handlers, ctx context.Context, r *request, c *store.Conversation, in flowInput) (next string, reply view, err error)
}

// flowInput is an answer: typed text, or the choice of a button.
type flowInput struct {
	Text   string
	Choice string
}

// flows are the kinds of conversations, by kind; feature files add
// theirs with registerFlow at init.
var flows = map[string]*flow{}

// registerFlow adds f to flows; it panics on a duplicate kind or a first
// step that does not exist (a programming error, caught by any test).
func registerFlow(f *flow) {
	if _, dup := flows[f.kind]; dup {
		panic("handlers: flow " + f.kind + " registered twice")
	}
	if _, ok := f.steps[f.first]; !ok {
		panic("handlers: flow " + f.kind + " has no step " + f.first)
	}
	flows[f.kind] = f
}

// startFlow begins a conversation of the kind with data and returns its
// first question. A conversation the user had in this chat is replaced.
func (h *Handlers) startFlow(ctx context.Context, r *request, kind string, data map[string]string) (view, error) {
	return h.startFlowAt(ctx, r, kind, "", data)
}

// startFlowAt is startFlow beginning at step ("" for the flow's first),
// for a conversation that already has some answers.
func (h *Handlers) startFlowAt(ctx context.Context, r *request, kind, step string, data map[string]string) (view, error) {
	f, ok := flows[kind]
	if !ok {
		return view{}, fmt.Errorf("no flow %q", kind)
	}
	if step == "" {
		step = f.first
	}
	if h.deps.Conversations == nil {
		return message("ℹ️", "Chức năng này chỉ dùng được trên Telegram.", ""), nil
	}
	if data == nil {
		data = map[string]string{}
	}
	c := store.Conversation{ChatID: r.chatID, UserID: r.user.ID, Kind: kind, Step: step, Data: data}
	return h.askStep(ctx, r, f, &c)
}

// askStep saves c at its step and returns the step's question.
func (h *Handlers) askStep(ctx context.Context, r *request, f *flow, c *store.Conversation) (view, error) {
	st, ok := f.steps[c.Step]
	if !ok {
		return view{}, fmt.Errorf("flow %q has no step %q", f.kind, c.Step)
	}
	q, err := st.ask(h, ctx, r, c)
	if err != nil {
		return view{}, err
	}
	now := h.deps.Now()
	c.UpdatedAt, c.ExpiresAt = now, now.Add(conversationTTL)
	if err := h.deps.Conversations.SaveConversation(ctx, *c); err != nil {
		return view{}, fmt.Errorf("save conversation: %w", err)
	}
	q.ask = true
	// In a group a typed answer must be a reply (privacy mode delivers
	// nothing else): a question without buttons is a forced reply
	// (reply.go) and says how to cancel; one with buttons says to reply.
	if q.kb != nil || r.private {
		var k keyboard
		if q.kb != nil {
			k.rows = q.kb.InlineKeyboard
		}
		k.row(button("✖ Huỷ", callback{Kind: kindConv, Choice: choiceCancel}))
		q.kb = k.markup()
		if !r.private {
			q.html += "\n\n<i>↩️ Trả lời (reply) tin nhắn này để gõ câu trả lời.</i>"
		}
	} else {
		q.html += "\n\n<i>Trả lời tin nhắn này; gõ /cancel để huỷ.</i>"
	}
	return q, nil
}

// continueFlow takes in as the answer to the user's conversation in this
// chat, if there is one (ok false otherwise), and returns what to send.
func (h *Handlers) continueFlow(ctx context.Context, r *request, in flowInput) (vs []view, ok bool, err error) {
	if h.deps.Conversations == nil || r.user.ID == 0 {
		return nil, false, nil
	}
	c, err := h.deps.Conversations.Conversation(ctx, r.chatID, r.user.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, fmt.Errorf("load conversation: %w", err)
	}
	if in.Choice == choiceCancel {
		return []view{h.endFlow(ctx, r)}, true, nil
	}
	f, known := flows[c.Kind]
	var st flowStep
	if known {
		st, known = f.steps[c.Step]
	}
	if !known {
		// A kind or step this version does not have (an upgrade):
		// start over rather than guess.
		if err := h.deps.Conversations.EndConversation(ctx, r.chatID, r.user.ID); err != nil {
			h.deps.Log.Error("end conversation", "update_id", r.updateID, "err", err)
		}
		return []view{message("⚠️", "Cuộc trao đổi trước đã hết hiệu lực.", "Hãy bắt đầu lại.")}, true, nil
	}
	in.Text = strings.TrimSpace(in.Text)
	next, reply, err := st.answer(h, ctx, r, &c, in)
	if err != nil {
		return nil, true, err
	}
	if reply.html != "" {
		vs = append(vs, reply)
	}
	if next == "" {
		if err := h.deps.Conversations.EndConversation(ctx, r.chatID, r.user.ID); err != nil {
			return vs, true, fmt.Errorf("end conversation: %w", err)
		}
		return vs, true, nil
	}
	same := next == c.Step
	c.Step = next
	q, err := h.askStep(ctx, r, f, &c)
	if err != nil {
		return vs, true, err
	}
	// A button that keeps the question (a toggle, another page of
	// choices) redraws it in place rather than sending it again.
	q.replace = same && in.Choice != "" && reply.html == ""
	return append(vs, q), true, nil
}

// endFlow ends the user's conversation in this chat, if any.
func (h *Handlers) endFlow(ctx context.Context, r *request) view {
	if h.deps.Conversations != nil {
		if err := h.deps.Conversations.EndConversation(ctx, r.chatID, r.user.ID); err != nil {
			h.deps.Log.Error("end conversation", "update_id", r.updateID, "err", err)
		}
	}
	return message("✖", "Đã huỷ.", "")
}

// cmdCancel: /cancel ends the user's conversation in this chat.
func (h *Handlers) cmdCancel(ctx context.Context, r *request, _ string) (view, error) {
	if h.deps.Conversations == nil {
		return message("ℹ️", "Không có việc gì đang làm dở.", ""), nil
	}
	if _, err := h.deps.Conversations.Conversation(ctx, r.chatID, r.user.ID); errors.Is(err, store.ErrNotFound) {
		return message("ℹ️", "Không có việc gì đang làm dở.", ""), nil
	} else if err != nil {
		return view{}, fmt.Errorf("load conversation: %w", err)
	}
	return h.endFlow(ctx, r), nil
}

// choiceButton is a button answering the current question with choice.
func choiceButton(label, choice string) models.InlineKeyboardButton {
	return button(label, callback{Kind: kindConv, Choice: choice})
}
