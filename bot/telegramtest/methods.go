package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"meetbot/tghtml"
)

// The methods below run with s.mu held, after faults and the checks of
// the chat (migrated, kicked, blocked) have passed.

func (s *Server) getMe(*call) result { return ok(s.bot) }

func (s *Server) requireChat(c *call) *result {
	if !c.hasChat {
		r := badRequest("chat_id is empty")
		return &r
	}
	return nil
}

// checkThreadLocked refuses a send to a closed forum topic.
func (s *Server) checkThreadLocked(c *call) *result {
	if c.threadID != 0 && s.chatLocked(c.chatID).closedTopics[c.threadID] {
		r := badRequest("TOPIC_CLOSED")
		return &r
	}
	return nil
}

// replyToLocked reads reply_parameters (or reply_to_message_id) and
// checks that the message exists.
func (s *Server) replyToLocked(c *call) (int, *result) {
	id, allowMissing := 0, c.boolean("allow_sending_without_reply")
	if raw := c.str("reply_parameters"); raw != "" {
		var rp struct {
			MessageID                int  `json:"message_id"`
			AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			r := badRequest("can't parse reply parameters JSON object")
			return 0, &r
		}
		id, allowMissing = rp.MessageID, rp.AllowSendingWithoutReply
	} else if v, err := c.integer("reply_to_message_id"); err == nil {
		id = int(v)
	}
	if id == 0 {
		return 0, nil
	}
	st := s.chatLocked(c.chatID)
	if id < 1 || id > st.lastMsg || st.deleted[id] {
		if allowMissing {
			return 0, nil
		}
		r := badRequest("message to be replied not found")
		return 0, &r
	}
	return id, nil
}

// addMessageLocked stores a new message of the bot after the rate limits
// and returns the API's view of it.
func (s *Server) addMessageLocked(c *call, m *Message) result {
	if res, refused := s.checkLimitsLocked(c); refused {
		return res
	}
	s.commitSendLocked(c)
	st := s.chatLocked(c.chatID)
	st.known = true
	st.lastMsg++
	m.ChatID, m.ID, m.ThreadID, m.Date = c.chatID, st.lastMsg, c.threadID, c.at
	st.msgs[m.ID] = m
	return ok(s.apiMessageLocked(st, m))
}

// apiMessageLocked renders a message of the bot as the Bot API returns it.
func (s *Server) apiMessageLocked(st *chatState, m *Message) models.Message {
	bot := s.bot
	am := models.Message{
		ID:              m.ID,
		MessageThreadID: m.ThreadID,
		From:            &bot,
		Date:            int(m.Date.Unix()),
		Chat:            st.chat,
		ReplyMarkup:     cloneMarkup(m.Markup),
		IsTopicMessage:  m.ThreadID != 0 && st.chat.IsForum,
	}
	if !m.EditDate.IsZero() {
		am.EditDate = int(m.EditDate.Unix())
	}
	if m.ReplyTo != 0 {
		am.ReplyToMessage = &models.Message{ID: m.ReplyTo, Chat: st.chat, Date: am.Date}
	}
	if m.Document == nil && m.Photo == nil {
		am.Text, am.Entities = m.Plain, m.Entities
		return am
	}
	am.Caption, am.CaptionEntities = m.Plain, m.Entities
	if f := m.Document; f != nil {
		am.Document = &models.Document{FileID: f.ID, FileUniqueID: "u" + f.ID, FileName: f.Name, FileSize: int64(len(f.Data))}
	}
	if f := m.Photo; f != nil {
		am.Photo = []models.PhotoSize{{FileID: f.ID, FileUniqueID: "u" + f.ID, Width: 1280, Height: 720, FileSize: len(f.Data)}}
	}
	return am
}

func (s *Server) sendMessage(c *call) result {
	if r := s.requireChat(c); r != nil {
		return *r
	}
	m, r := s.newMessageLocked(c, "text")
	if r != nil {
		return *r
	}
	return s.addMessageLocked(c, m)
}

// newMessageLocked reads what every send carries, checked in Telegram's
// order: the text (or, for textField "caption", the caption) with its
// parse_mode, reply_markup, the topic, and the message replied to.
func (s *Server) newMessageLocked(c *call, textField string) (*Message, *result) {
	text, mode := c.str(textField), c.str("parse_mode")
	plain, ents, r := checkText(text, mode, textField == "caption")
	if r != nil {
		return nil, r
	}
	markup, r := parseMarkup(c.str("reply_markup"))
	if r != nil {
		return nil, r
	}
	if r := s.checkThreadLocked(c); r != nil {
		return nil, r
	}
	reply, r := s.replyToLocked(c)
	if r != nil {
		return nil, r
	}
	return &Message{Text: text, Plain: plain, ParseMode: mode, Entities: ents, Markup: markup, ReplyTo: reply}, nil
}

// editTargetLocked finds the message an edit names. inline is true for
// an inline_message_id, which the server does not track.
func (s *Server) editTargetLocked(c *call) (m *Message, inline bool, res *result) {
	if c.str("inline_message_id") != "" {
		return nil, true, nil
	}
	if !c.hasChat {
		r := badRequest("chat_id is empty")
		return nil, false, &r
	}
	id, err := c.integer("message_id")
	if err != nil || id == 0 {
		r := badRequest("message identifier is not specified")
		return nil, false, &r
	}
	m = s.chatLocked(c.chatID).msgs[int(id)]
	if m == nil {
		r := badRequest("message to edit not found")
		return nil, false, &r
	}
	return m, false, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(c *call) result {
	text, mode := c.str("text"), c.str("parse_mode")
	plain, ents, r := checkText(text, mode, false)
	if r != nil {
		return *r
	}
	markup, r := parseMarkup(c.str("reply_markup"))
	if r != nil {
		return *r
	}
	m, inline, r := s.editTargetLocked(c)
	if r != nil {
		return *r
	}
	if inline {
		return ok(true)
	}
	if m.Document != nil || m.Photo != nil {
		return badRequest("there is no text in the message to edit")
	}
	if m.Plain == plain && sameEntities(m.Entities, ents) && sameMarkup(m.Markup, markup) {
		return badRequest(notModified)
	}
	if res, refused := s.checkLimitsLocked(c); refused {
		return res
	}
	s.commitSendLocked(c)
	m.Text, m.Plain, m.ParseMode, m.Entities, m.Markup = text, plain, mode, ents, markup
	m.Edits++
	m.EditDate = c.at
	return ok(s.apiMessageLocked(s.chatLocked(c.chatID), m))
}

func sameEntities(a, b []models.MessageEntity) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return len(a) == len(b) && bytes.Equal(ja, jb)
}

func (s *Server) editMessageReplyMarkup(c *call) result {
	markup, r := parseMarkup(c.str("reply_markup"))
	if r != nil {
		return *r
	}
	m, inline, r := s.editTargetLocked(c)
	if r != nil {
		return *r
	}
	if inline {
		return ok(true)
	}
	if sameMarkup(m.Markup, markup) {
		return badRequest(notModified)
	}
	m.Markup = markup
	m.Edits++
	m.EditDate = c.at
	return ok(s.apiMessageLocked(s.chatLocked(c.chatID), m))
}

func (s *Server) deleteMessage(c *call) result {
	if r := s.requireChat(c); r != nil {
		return *r
	}
	id, err := c.integer("message_id")
	st := s.chatLocked(c.chatID)
	if err != nil || id < 1 || int(id) > st.lastMsg || st.deleted[int(id)] {
		return badRequest("message to delete not found")
	}
	st.deleted[int(id)] = true
	delete(st.msgs, int(id))
	return ok(true)
}

func (s *Server) sendDocument(c *call) result { return s.sendFile(c, "document") }

func (s *Server) sendPhoto(c *call) result { return s.sendFile(c, "photo") }

// sendFile sends a document or photo: an upload in the multipart field,
// "attach://<part>", or a file_id or URL.
func (s *Server) sendFile(c *call, field string) result {
	if r := s.requireChat(c); r != nil {
		return *r
	}
	var f *File
	if up, found := c.files[field]; found {
		f = &File{Name: up.name, Data: up.data}
	} else if ref := c.str(field); ref != "" {
		if part, isAttach := strings.CutPrefix(ref, "attach://"); isAttach {
			up, found := c.files[part]
			if !found {
				return badRequest("there is no " + field + " in the request")
			}
			f = &File{Name: up.name, Data: up.data}
		} else if known := s.files[ref]; known != nil {
			f = known.clone()
			f.Ref = ref
		} else {
			f = &File{Ref: ref}
		}
	}
	if f == nil {
		return badRequest("there is no " + field + " in the request")
	}
	if f.Ref == "" && len(f.Data) == 0 {
		return badRequest("file must be non-empty")
	}
	m, r := s.newMessageLocked(c, "caption")
	if r != nil {
		return *r
	}
	upload := f.ID == ""
	if upload {
		f.ID = s.nextIDLocked("file")
	}
	if field == "photo" {
		m.Photo = f
	} else {
		m.Document = f
	}
	res := s.addMessageLocked(c, m)
	if upload && res.status == http.StatusOK {
		s.files[f.ID] = f.clone()
	}
	return res
}

func (s *Server) sendChatAction(c *call) result {
	if r := s.requireChat(c); r != nil {
		return *r
	}
	if c.str("action") == "" {
		return badRequest("action is empty")
	}
	return ok(true)
}

const queryTooOld = "query is too old and response timeout expired or query ID is invalid"

func (s *Server) answerCallbackQuery(c *call) result {
	id := c.str("callback_query_id")
	if !s.callbacks[id] {
		return badRequest(queryTooOld)
	}
	text := c.str("text")
	if tghtml.UTF16Len(text) > 200 {
		return badRequest("MESSAGE_TOO_LONG")
	}
	cache, _ := c.integer("cache_time")
	delete(s.callbacks, id)
	s.cbAnswers = append(s.cbAnswers, CallbackAnswer{
		QueryID: id, Text: text, ShowAlert: c.boolean("show_alert"), URL: c.str("url"), CacheTime: int(cache),
	})
	return ok(true)
}

func (s *Server) answerInlineQuery(c *call) result {
	id := c.str("inline_query_id")
	if !s.inlineQueries[id] {
		return badRequest(queryTooOld)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte(c.str("results")), &raws); err != nil {
		return badRequest("can't parse inline query results JSON object")
	}
	if len(raws) > 50 {
		return badRequest("RESULTS_TOO_MUCH")
	}
	next := c.str("next_offset")
	if len(next) > 64 {
		return badRequest("NEXT_OFFSET_INVALID")
	}
	results := make([]InlineResult, 0, len(raws))
	seen := make(map[string]bool, len(raws))
	for _, raw := range raws {
		var r struct {
			Type        string `json:"type"`
			ID          string `json:"id"`
			Title       string `json:"title"`
			Description string `json:"description"`
			Content     *struct {
				MessageText *string `json:"message_text"`
				ParseMode   string  `json:"parse_mode"`
			} `json:"input_message_content"`
			ReplyMarkup json.RawMessage `json:"reply_markup"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return badRequest("can't parse inline query result JSON object")
		}
		if r.Type == "" {
			return badRequest("RESULT_TYPE_INVALID")
		}
		if r.ID == "" || len(r.ID) > 64 {
			return badRequest("RESULT_ID_INVALID")
		}
		if seen[r.ID] {
			return badRequest("RESULT_ID_DUPLICATE")
		}
		seen[r.ID] = true
		ir := InlineResult{Type: r.Type, ID: r.ID, Title: r.Title, Description: r.Description, Raw: raw}
		if r.Content != nil && r.Content.MessageText != nil {
			plain, _, res := checkText(*r.Content.MessageText, r.Content.ParseMode, false)
			if res != nil {
				switch {
				case strings.HasSuffix(res.description, "message text is empty"):
					return badRequest("MESSAGE_EMPTY")
				case strings.HasSuffix(res.description, "message is too long"):
					return badRequest("MESSAGE_TOO_LONG")
				}
				return *res
			}
			ir.Text, ir.ParseMode, ir.Plain = *r.Content.MessageText, r.Content.ParseMode, plain
		}
		if len(r.ReplyMarkup) > 0 {
			if _, res := parseMarkup(string(r.ReplyMarkup)); res != nil {
				return *res
			}
		}
		results = append(results, ir)
	}
	cache := int64(300)
	if c.has("cache_time") {
		var err error
		if cache, err = c.integer("cache_time"); err != nil {
			return badRequest("invalid cache_time")
		}
	}
	delete(s.inlineQueries, id)
	s.inAnswers = append(s.inAnswers, InlineAnswer{
		QueryID: id, Results: results, NextOffset: next, CacheTime: int(cache), IsPersonal: c.boolean("is_personal"),
	})
	return ok(true)
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// commandsKey reads scope and language_code into the key of Commands.
func commandsKey(c *call) (string, *result) {
	bad := func(desc string) (string, *result) {
		r := badRequest(desc)
		return "", &r
	}
	lang := c.str("language_code")
	if lang != "" && (len(lang) != 2 || strings.ToLower(lang) != lang || !isASCIIAlnum(lang[0]) || !isASCIIAlnum(lang[1])) {
		return bad("LANG_CODE_INVALID")
	}
	scope := struct {
		Type   string `json:"type"`
		ChatID any    `json:"chat_id"`
		UserID int64  `json:"user_id"`
	}{Type: "default"}
	if raw := c.str("scope"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &scope); err != nil {
			return bad("can't parse BotCommandScope JSON object")
		}
	}
	key := scope.Type
	switch scope.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
	case "chat", "chat_administrators", "chat_member":
		var chat string
		switch v := scope.ChatID.(type) {
		case float64:
			chat = strconv.FormatInt(int64(v), 10)
		case string:
			chat = v
		}
		if chat == "" || chat == "0" {
			return bad("chat not found")
		}
		key += ":" + chat
		if scope.Type == "chat_member" {
			if scope.UserID == 0 {
				return bad("user not found")
			}
			key += ":" + strconv.FormatInt(scope.UserID, 10)
		}
	default:
		return bad("wrong bot command scope type specified")
	}
	return key + "/" + lang, nil
}

func (s *Server) setMyCommands(c *call) result {
	key, r := commandsKey(c)
	if r != nil {
		return *r
	}
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(c.str("commands")), &cmds); err != nil {
		return badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, cmd := range cmds {
		if !commandName.MatchString(cmd.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if n := tghtml.UTF16Len(cmd.Description); n < 1 || n > 256 {
			return badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	return ok(true)
}

func (s *Server) deleteMyCommands(c *call) result {
	key, r := commandsKey(c)
	if r != nil {
		return *r
	}
	delete(s.commands, key)
	return ok(true)
}

func (s *Server) getMyCommands(c *call) result {
	key, r := commandsKey(c)
	if r != nil {
		return *r
	}
	cmds := s.commands[key]
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return ok(cmds)
}

func (s *Server) getChat(c *call) result {
	if r := s.requireChat(c); r != nil {
		return *r
	}
	st := s.chatLocked(c.chatID)
	ch := st.chat
	return ok(models.ChatFullInfo{
		ID: ch.ID, Type: ch.Type, Title: ch.Title, Username: ch.Username,
		FirstName: ch.FirstName, LastName: ch.LastName, IsForum: ch.IsForum,
		MaxReactionCount: 11,
	})
}

func (s *Server) getChatMember(c *call) result {
	if r := s.requireChat(c); r != nil {
		return *r
	}
	uid, err := c.integer("user_id")
	if err != nil || uid <= 0 {
		return badRequest("invalid user_id specified")
	}
	st := s.chatLocked(c.chatID)
	status, found := st.members[uid]
	if !found {
		status = "member"
		if c.chatID > 0 && uid != c.chatID && uid != s.bot.ID {
			return badRequest("user not found")
		}
	}
	m := chatMember(s.userLocked(uid), status)
	return ok(&m)
}
