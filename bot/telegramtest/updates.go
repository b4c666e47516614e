package telegramtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// queuedUpdate is an update waiting for getUpdates or the webhook, kept as
// JSON so that callers may reuse what they pushed.
type queuedUpdate struct {
	id   int64
	kind string // the update's field: "message", "callback_query", ...
	body json.RawMessage
}

// kindAllowed reports whether updates of the kind are delivered under the
// last non-empty allowed_updates; when none was ever given, all are but
// chat_member, message_reaction and message_reaction_count, as in
// Telegram.
func kindAllowed(allowed []string, kind string) bool {
	if len(allowed) == 0 {
		return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count"
	}
	return slices.Contains(allowed, kind)
}

// PushUpdate queues an update and returns its update_id, which replaces
// u.ID: ids are given in order from 1. The update is sent as given
// (message ids and dates included); the chats and users of its messages
// are registered. It panics if u does not marshal to JSON (a ChatMember
// without its variant, for instance): that is a mistake in the test.
func (s *Server) PushUpdate(u models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushLocked(&u)
}

func (s *Server) pushLocked(u *models.Update) int64 {
	s.lastUpdateID++
	u.ID = s.lastUpdateID
	for _, m := range []*models.Message{u.Message, u.EditedMessage, u.ChannelPost, u.EditedChannelPost} {
		if m == nil {
			continue
		}
		st := s.chatLocked(m.Chat.ID)
		if !st.known {
			s.registerChatLocked(m.Chat)
		}
		st.lastMsg = max(st.lastMsg, m.ID)
		if m.From != nil {
			s.users[m.From.ID] = *m.From
		}
	}
	body, err := json.Marshal(u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: update does not marshal: %v", err))
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(body, &fields)
	kind := ""
	for k := range fields {
		if k != "update_id" {
			kind = k
			break
		}
	}
	s.queue = append(s.queue, queuedUpdate{id: u.ID, kind: kind, body: body})
	s.notifyLocked()
	return u.ID
}

// MsgOption adjusts a message built by SendText.
type MsgOption func(*models.Message)

// InThread puts the message in a forum topic (message_thread_id).
func InThread(threadID int) MsgOption {
	return func(m *models.Message) {
		m.MessageThreadID = threadID
		m.IsTopicMessage = m.Chat.IsForum
	}
}

// ReplyTo makes the message a reply to the message msgID of the same chat
// (a message of the bot's comes whole, as Telegram sends it).
func ReplyTo(msgID int) MsgOption {
	return func(m *models.Message) {
		m.ReplyToMessage = &models.Message{ID: msgID, Chat: m.Chat}
	}
}

// SendText queues a message from the user in the chat, as Telegram builds
// it: a new message id, the date by Options.Now, and a bot_command entity
// (offset and length in UTF-16 code units) for every "/cmd" or
// "/cmd@bot" token. It returns the update_id.
func (s *Server) SendText(chat models.Chat, from models.User, text string, opts ...MsgOption) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(chat.ID)
	s.registerChatLocked(chat)
	s.users[from.ID] = from
	st.lastMsg++
	m := &models.Message{
		ID:       st.lastMsg,
		From:     &from,
		Date:     int(s.now().Unix()),
		Chat:     chat,
		Text:     text,
		Entities: commandEntities(text),
	}
	for _, o := range opts {
		o(m)
	}
	if r := m.ReplyToMessage; r != nil {
		r.Date = m.Date
		if bm := st.msgs[r.ID]; bm != nil {
			full := s.apiMessageLocked(st, bm)
			m.ReplyToMessage = &full
		}
	}
	return s.pushLocked(&models.Update{Message: m})
}

// commandEntities finds the bot commands in text as Telegram does: "/"
// not preceded by a word character, '/', '#' or '@', then 1 to 64 of
// [A-Za-z0-9_], then optionally "@" and a 3 to 32 character bot name, not
// followed by a word character, '/', '#' or '@'.
func commandEntities(text string) []models.MessageEntity {
	var ents []models.MessageEntity
	u16 := 0
	prev := rune(-1)
	for i, r := range text {
		if r == '/' && (prev < 0 || !blocksCommand(prev)) {
			if end := commandEnd(text, i); end > 0 {
				ents = append(ents, models.MessageEntity{
					Type:   models.MessageEntityTypeBotCommand,
					Offset: u16,
					Length: end - i, // ASCII: bytes are UTF-16 units
				})
			}
		}
		u16 += utf16.RuneLen(r)
		prev = r
	}
	return ents
}

// commandEnd returns the end of the command that starts with the '/' at
// text[i], or 0 if there is none.
func commandEnd(text string, i int) int {
	j := i + 1
	for j < len(text) && isCommandByte(text[j]) {
		j++
	}
	if n := j - i - 1; n < 1 || n > 64 {
		return 0
	}
	if j < len(text) && text[j] == '@' {
		k := j + 1
		for k < len(text) && isCommandByte(text[k]) {
			k++
		}
		if n := k - j - 1; n < 3 || n > 32 {
			return 0
		}
		j = k
	}
	if j < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[j:]); blocksCommand(r) {
			return 0
		}
	}
	return j
}

func isCommandByte(c byte) bool { return isASCIIAlnum(c) || c == '_' }

func blocksCommand(r rune) bool {
	return r == '_' || r == '/' || r == '#' || r == '@' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// PressButton queues a callback_query from the user pressing a button
// with callback data on the message messageID of the chat, and returns the
// update_id and the callback query id the bot must answer. A message the
// server does not know comes as an inaccessible message.
func (s *Server) PressButton(chat models.Chat, from models.User, messageID int, data string) (updateID int64, callbackID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(chat.ID)
	if !st.known {
		s.registerChatLocked(chat)
	}
	s.users[from.ID] = from
	id := s.nextIDLocked("cb")
	s.callbacks[id] = true
	msg := models.MaybeInaccessibleMessage{
		Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
		InaccessibleMessage: &models.InaccessibleMessage{Chat: chat, MessageID: messageID},
	}
	if bm := st.msgs[messageID]; bm != nil {
		full := s.apiMessageLocked(st, bm)
		msg = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &full}
	}
	u := &models.Update{CallbackQuery: &models.CallbackQuery{
		ID:           id,
		From:         from,
		Message:      msg,
		ChatInstance: fmt.Sprintf("ci%d", chat.ID),
		Data:         data,
	}}
	return s.pushLocked(u), id
}

// InlineQuery queues an inline query from the user and returns the
// update_id and the query id the bot must answer.
func (s *Server) InlineQuery(from models.User, query, offset string) (updateID int64, queryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[from.ID] = from
	id := s.nextIDLocked("iq")
	s.inlineQueries[id] = true
	u := &models.Update{InlineQuery: &models.InlineQuery{ID: id, From: &from, Query: query, Offset: offset}}
	return s.pushLocked(u), id
}

// ChangeMembership queues a my_chat_member update: the user from changed
// the bot's status in the chat from oldStatus to newStatus ("member",
// "administrator", "left", "kicked", ...). It also applies the change:
// "left" or "kicked" makes sends to the chat fail with 403 (in a private
// chat, "kicked" is the user blocking the bot), "member" or
// "administrator" makes them work again; getChatMember of the bot answers
// newStatus.
func (s *Server) ChangeMembership(chat models.Chat, from models.User, oldStatus, newStatus string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.registerChatLocked(chat)
	s.users[from.ID] = from
	st.members[s.bot.ID] = newStatus
	switch newStatus {
	case "left", "kicked":
		if chat.ID > 0 {
			s.blocked[chat.ID] = true
		} else {
			st.gone = newStatus
		}
	case "member", "administrator", "creator", "restricted":
		st.gone = ""
		delete(s.blocked, chat.ID)
	}
	u := &models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat:          chat,
		From:          from,
		Date:          int(s.now().Unix()),
		OldChatMember: chatMember(s.bot, oldStatus),
		NewChatMember: chatMember(s.bot, newStatus),
	}}
	return s.pushLocked(u)
}

// chatMember builds the ChatMember of the user with the status.
func chatMember(u models.User, status string) models.ChatMember {
	switch models.ChatMemberType(status) {
	case models.ChatMemberTypeOwner:
		return models.ChatMember{Type: models.ChatMemberTypeOwner, Owner: &models.ChatMemberOwner{User: &u}}
	case models.ChatMemberTypeAdministrator:
		return models.ChatMember{Type: models.ChatMemberTypeAdministrator, Administrator: &models.ChatMemberAdministrator{User: u}}
	case models.ChatMemberTypeRestricted:
		return models.ChatMember{Type: models.ChatMemberTypeRestricted, Restricted: &models.ChatMemberRestricted{User: &u}}
	case models.ChatMemberTypeLeft:
		return models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{User: &u}}
	case models.ChatMemberTypeBanned:
		return models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{User: &u}}
	}
	return models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &u}}
}

// MigrateGroup upgrades the group oldID to the supergroup newID, as
// Telegram does: it queues the service message with migrate_to_chat_id in
// the old chat (whose update_id it returns) and then the one with
// migrate_from_chat_id in the new chat. From then on every request for
// oldID is answered 400 "Bad Request: group chat was upgraded to a
// supergroup chat" with parameters.migrate_to_chat_id = newID.
func (s *Server) MigrateGroup(oldID, newID int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chatLocked(oldID)
	oldChat := old.chat
	oldChat.Type = models.ChatTypeGroup
	newChat := models.Chat{ID: newID, Type: models.ChatTypeSupergroup, Title: old.chat.Title}
	s.registerChatLocked(newChat)
	s.migrated[oldID] = newID
	date := int(s.now().Unix())
	old.lastMsg++
	id := s.pushLocked(&models.Update{Message: &models.Message{
		ID: old.lastMsg, Date: date, Chat: oldChat, MigrateToChatID: newID,
	}})
	st := s.chatLocked(newID)
	st.lastMsg++
	s.pushLocked(&models.Update{Message: &models.Message{
		ID: st.lastMsg, Date: date, Chat: newChat, MigrateFromChatID: oldID,
	}})
	return id
}
