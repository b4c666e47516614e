package telegramtest

import (
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// chatState is what the server knows of a chat.
type chatState struct {
	chat  models.Chat
	known bool // seen in an update or registered, not only guessed from an id
	// lastMsg is the last message id used in the chat, by the users or
	// the bot: ids are shared, as in Telegram.
	lastMsg      int
	msgs         map[int]*Message // the bot's messages
	deleted      map[int]bool
	gone         string // "kicked" or "left": the bot is not in the chat
	members      map[int64]string
	closedTopics map[int]bool
	sends        []time.Time // accepted sends, for the rate limits
}

// User returns a user (not a bot) with the given id and first name.
func User(id int64, first string) models.User {
	return models.User{ID: id, FirstName: first}
}

// PrivateChat returns the private chat with the user: its id is the
// user's.
func PrivateChat(u models.User) models.Chat {
	return models.Chat{
		ID:        u.ID,
		Type:      models.ChatTypePrivate,
		FirstName: u.FirstName,
		LastName:  u.LastName,
		Username:  u.Username,
	}
}

// Group returns a supergroup; id should be negative (Telegram's are
// -100xxxxxxxxxx).
func Group(id int64, title string) models.Chat {
	return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: title}
}

// Forum returns a supergroup with topics (is_forum).
func Forum(id int64, title string) models.Chat {
	c := Group(id, title)
	c.IsForum = true
	return c
}

// User is the package function User that also registers the user, so
// that getChatMember answers with its name.
func (s *Server) User(id int64, first string) models.User {
	u := User(id, first)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = u
	return u
}

// PrivateChat is the package function PrivateChat that also registers the
// chat (see Options.StrictChats) and the user.
func (s *Server) PrivateChat(u models.User) models.Chat {
	c := PrivateChat(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	s.registerChatLocked(c)
	return c
}

// Group is the package function Group that also registers the chat.
func (s *Server) Group(id int64, title string) models.Chat {
	c := Group(id, title)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registerChatLocked(c)
	return c
}

// Forum is the package function Forum that also registers the chat.
func (s *Server) Forum(id int64, title string) models.Chat {
	c := Forum(id, title)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registerChatLocked(c)
	return c
}

// CloseTopic closes a forum topic: sends to it are answered 400 "Bad
// Request: TOPIC_CLOSED".
func (s *Server) CloseTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).closedTopics[threadID] = true
}

// chatLocked returns the chat's state, creating it, with a chat guessed
// from the id, if needed.
func (s *Server) chatLocked(id int64) *chatState {
	if st := s.chats[id]; st != nil {
		return st
	}
	c := models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: "Group " + strconv.FormatInt(id, 10)}
	if id > 0 {
		c = models.Chat{ID: id, Type: models.ChatTypePrivate, FirstName: "User " + strconv.FormatInt(id, 10)}
		if u, found := s.users[id]; found {
			c = PrivateChat(u)
		}
	}
	st := &chatState{
		chat:         c,
		msgs:         make(map[int]*Message),
		deleted:      make(map[int]bool),
		members:      make(map[int64]string),
		closedTopics: make(map[int]bool),
	}
	s.chats[id] = st
	return st
}

// registerChatLocked records the chat as known, with the details given.
func (s *Server) registerChatLocked(c models.Chat) *chatState {
	st := s.chatLocked(c.ID)
	st.chat = c
	st.known = true
	return st
}

// userLocked returns the user with the id, made up if never seen.
func (s *Server) userLocked(id int64) models.User {
	if u, found := s.users[id]; found {
		return u
	}
	return models.User{ID: id, FirstName: "User " + strconv.FormatInt(id, 10)}
}
