package store

import "time"

// This file holds what the bot knows of people and their chats: granted
// administrators, unit members, guided conversations, calendar feeds. Not
// part of the Store contract (nothing here is cached): the SQL engine
// keeps them, consumers declare what they need.

// Admin is an office administrator granted in chat by another one.
// (Those configured in ADMIN_IDS are not stored.)
type Admin struct {
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	GrantedBy int64     `json:"granted_by,omitempty"`
	GrantedAt time.Time `json:"granted_at"`
}

// Conversation is a guided conversation in progress: one per user and
// chat, answered one question at a time.
type Conversation struct {
	ChatID int64 `json:"chat_id"`
	UserID int64 `json:"user_id"`
	// Kind names the conversation ("new-directive", "report", ...), Step
	// the question it waits an answer to.
	Kind string `json:"kind"`
	Step string `json:"step"`
	// Data holds the answers so far.
	Data map[string]string `json:"data,omitempty"`
	// MessageID is the bot's message the conversation edits, if any.
	MessageID int       `json:"message_id,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	ExpiresAt time.Time `json:"expires_at"`
}
