package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

// Request is a request the server received. The token is never kept.
type Request struct {
	// Seq numbers requests from 1 in arrival order.
	Seq int
	// Method is the method name as the Bot API spells it (names are
	// case-insensitive on the wire).
	Method string
	// ChatID is the chat_id parameter; a "@username" is resolved once
	// the request is answered (0 if absent or unknown).
	ChatID int64
	// ThreadID is the message_thread_id parameter.
	ThreadID int
	// At is the arrival time by Options.Now.
	At time.Time
	// Params are the non-file parameters as sent; nested values
	// (reply_markup, results, ...) are JSON text.
	Params map[string]string
	// Status is the HTTP status answered (200 for ok, else the error
	// code); 0 while the request is being answered, or when a hanging
	// fault never answered it.
	Status int
	// Description is the error description answered, if any, or "no
	// answer (hanging fault)" once a hanging fault's request has ended.
	Description string
	// Files are the multipart file parts, by field name.
	Files map[string][]byte
}

// File is a document or photo the bot sent.
type File struct {
	// ID is the file_id the server gave it.
	ID string
	// Name is the file name of the upload ("" when sent by file_id or URL
	// that the server does not know).
	Name string
	// Data is the uploaded content (nil when sent by URL).
	Data []byte
	// Ref is the file_id or URL the bot sent instead of an upload.
	Ref string
	// declared is the size a user's document claims, when not len(Data).
	declared int64
}

// Message is the current state of a message the bot sent.
type Message struct {
	ChatID   int64
	ID       int
	ThreadID int
	// ReplyTo is the id of the message it replies to, or 0.
	ReplyTo int
	// Text is the text as sent, markup included: the message text, or the
	// caption of a document or photo.
	Text string
	// Plain is the text the user sees: HTML tags removed, entities
	// decoded, surrounding white space trimmed.
	Plain     string
	ParseMode string
	// Entities are the formatting entities parsed from the HTML, offsets
	// in UTF-16 code units.
	Entities []models.MessageEntity
	// Markup is the inline keyboard, nil if none.
	Markup *models.InlineKeyboardMarkup
	// Edits counts successful edits (text or keyboard).
	Edits    int
	Date     time.Time
	EditDate time.Time
	// Document and Photo are set for sendDocument and sendPhoto.
	Document *File
	Photo    *File
}

// CallbackAnswer is an answerCallbackQuery call that succeeded.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
}

// InlineAnswer is an answerInlineQuery call that succeeded.
type InlineAnswer struct {
	QueryID    string
	Results    []InlineResult
	NextOffset string
	// CacheTime is the cache_time sent, 300 (Telegram's default) if none.
	CacheTime  int
	IsPersonal bool
}

// InlineResult is one result of an inline answer, with the fields a test
// usually checks decoded and the whole result in Raw.
type InlineResult struct {
	Type        string
	ID          string
	Title       string
	Description string
	// Text and ParseMode come from input_message_content; Plain is Text
	// as the user will see it.
	Text      string
	ParseMode string
	Plain     string
	Raw       json.RawMessage
}

// Requests returns every request received, in arrival order. getUpdates
// calls are left out unless Options.RecordGetUpdates is set. The Params
// and Files maps are shared: do not modify them.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// RequestsTo returns the requests whose chat_id is chatID, in arrival
// order.
func (s *Server) RequestsTo(chatID int64) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.reqs {
		if r.ChatID == chatID {
			out = append(out, r)
		}
	}
	return out
}

// Messages returns the messages the bot sent to the chat and did not
// delete, by message id, with edits applied. The caller owns the result.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chats[chatID]
	if st == nil {
		return nil
	}
	ids := slices.Sorted(maps.Keys(st.msgs))
	out := make([]Message, 0, len(ids))
	for _, id := range ids {
		out = append(out, st.msgs[id].clone())
	}
	return out
}

func (m *Message) clone() Message {
	c := *m
	c.Entities = slices.Clone(m.Entities)
	c.Markup = cloneMarkup(m.Markup)
	c.Document = m.Document.clone()
	c.Photo = m.Photo.clone()
	return c
}

func (f *File) clone() *File {
	if f == nil {
		return nil
	}
	c := *f
	c.Data = bytes.Clone(f.Data)
	return &c
}

func cloneMarkup(m *models.InlineKeyboardMarkup) *models.InlineKeyboardMarkup {
	if m == nil {
		return nil
	}
	c := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, len(m.InlineKeyboard))}
	for i, row := range m.InlineKeyboard {
		c.InlineKeyboard[i] = slices.Clone(row)
	}
	return c
}

// CallbackAnswers returns the successful answerCallbackQuery calls in
// order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.cbAnswers)
}

// InlineAnswers returns the successful answerInlineQuery calls in order.
func (s *Server) InlineAnswers() []InlineAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.inAnswers)
}

// Commands returns the command menus set with setMyCommands, keyed by
// scope and language: "default/", "all_private_chats/vi",
// "all_group_chats/", "all_chat_administrators/en"; scopes naming a chat
// add it: "chat:-1001/", "chat_administrators:-1001/",
// "chat_member:-1001:42/".
func (s *Server) Commands() map[string][]models.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]models.BotCommand, len(s.commands))
	for k, v := range s.commands {
		out[k] = slices.Clone(v)
	}
	return out
}

// Violations returns the sending-limit violations seen, oldest first: a
// send refused because it would exceed Options.Limits, or a send to a
// chat before the retry_after given for it had passed (this one is
// recorded even without Limits, after an injected 429).
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// Pending returns the number of updates queued and not yet confirmed by a
// getUpdates offset (or delivered to the webhook).
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Wait returns nil once cond() holds, or the context's error. cond is
// checked at once and again after every change: a request arriving or
// being answered, an update queued, confirmed or delivered. cond runs
// without the server's lock, so it may call the server's methods.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
