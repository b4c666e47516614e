package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"meetbot/store"
	"meetbot/tghtml"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// --- Telegram HTML, checked independently of the renderer -------------------

var allowedTags = map[string]bool{"b": true, "i": true, "u": true, "s": true, "code": true, "pre": true, "a": true, "blockquote": true}

var (
	tagPattern    = regexp.MustCompile(`^<(/?)([a-z]+)((?: [a-z]+="[^"<>]*")*)>`)
	entityPattern = regexp.MustCompile(`^&(lt|gt|amp|quot);`)
)

// checkHTML reports what makes s invalid as the Telegram HTML the
// handlers promise: only the allowed tags, balanced and properly nested,
// an href on every link and on nothing else, and '<', '>', '&' only as
// markup or as the named references.
func checkHTML(s string) error {
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			m := tagPattern.FindStringSubmatch(s[i:])
			if m == nil {
				return fmt.Errorf("malformed tag at %d: %.30q", i, s[i:])
			}
			closing, name, attrs := m[1] == "/", m[2], m[3]
			if !allowedTags[name] {
				return fmt.Errorf("tag <%s> is not allowed", name)
			}
			switch {
			case closing:
				if attrs != "" || len(stack) == 0 || stack[len(stack)-1] != name {
					return fmt.Errorf("unbalanced </%s> at %d (open: %v)", name, i, stack)
				}
				stack = stack[:len(stack)-1]
			default:
				if (name == "a") != strings.HasPrefix(attrs, ` href="`) {
					return fmt.Errorf("bad attributes %q on <%s>", attrs, name)
				}
				stack = append(stack, name)
			}
			i += len(m[0])
		case '&':
			m := entityPattern.FindString(s[i:])
			if m == "" {
				return fmt.Errorf("bare '&' at %d: %.20q", i, s[i:])
			}
			i += len(m)
		case '>':
			return fmt.Errorf("bare '>' at %d", i)
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed tags %v", stack)
	}
	return nil
}

var anyTag = regexp.MustCompile(`<[^>]*>`)

// visibleText returns what Telegram shows of s: tags removed, references
// decoded.
func visibleText(s string) string { return html.UnescapeString(anyTag.ReplaceAllString(s, "")) }

// telegramLen is the length Telegram limits: UTF-16 code units of the
// visible text.
func telegramLen(s string) int { return len(utf16.Encode([]rune(visibleText(s)))) }

// telegramMaxLen is Telegram's limit on a message's text, stated here
// apart from the code under test.
const telegramMaxLen = 4096

// --- a recording Sender --------------------------------------------------------

// sent is one call to the Sender.
type sent struct {
	Method    string
	ChatID    any
	Thread    int
	MessageID int
	InlineID  string
	Text      string
	ParseMode models.ParseMode
	Keyboard  *models.InlineKeyboardMarkup
	// AnswerCallbackQuery
	QueryID string
	Notice  string
	Alert   bool
	// AnswerInlineQuery
	Inline *bot.AnswerInlineQueryParams
	// SendDocument, SendPhoto: the file's name and bytes.
	FileName string
	File     []byte
	// ForceReply: the message asks for a reply (a question in a group).
	ForceReply bool
}

// fakeSender records calls and checks every one against Telegram's rules,
// so each test that sends anything also checks markup, lengths and
// callback data.
type fakeSender struct {
	t      *testing.T
	mu     sync.Mutex
	calls  []sent
	nextID int
	fail   map[string]error
}

func (f *fakeSender) record(c sent) error {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	return f.fail[c.Method]
}

func (f *fakeSender) message(chatID any) *models.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	id, _ := chatID.(int64)
	return &models.Message{ID: 1000 + f.nextID, Chat: models.Chat{ID: id}}
}

// checkText checks a message's text and keyboard.
func checkText(t *testing.T, method, text string, mode models.ParseMode, kb models.ReplyMarkup) {
	t.Helper()
	if mode != models.ParseModeHTML {
		t.Errorf("%s: parse mode %q, want HTML", method, mode)
	}
	if err := checkHTML(text); err != nil {
		t.Errorf("%s: invalid HTML: %v\n%s", method, err, text)
	}
	if n := telegramLen(text); n > telegramMaxLen || n == 0 {
		t.Errorf("%s: text of %d characters, want 1–%d", method, n, telegramMaxLen)
	}
	if kb == nil {
		return
	}
	if fr, ok := kb.(*models.ForceReply); ok {
		if fr == nil || !fr.ForceReply {
			t.Errorf("%s: a forced reply that does not force", method)
		}
		return
	}
	mk, ok := kb.(*models.InlineKeyboardMarkup)
	if !ok || mk == nil {
		t.Errorf("%s: reply markup %T, want a non-nil *InlineKeyboardMarkup", method, kb)
		return
	}
	checkKeyboard(t, mk)
}

// checkKeyboard checks every button: callback data within 64 bytes that
// decodes, or a deep link within the rules.
func checkKeyboard(t *testing.T, kb *models.InlineKeyboardMarkup) {
	t.Helper()
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				t.Errorf("button without text: %+v", b)
			}
			switch {
			case b.URL != "":
				checkDeepLink(t, b.URL)
			case len(b.CallbackData) == 0 || len(b.CallbackData) > maxCallbackData:
				t.Errorf("button %q: callback data of %d bytes: %q", b.Text, len(b.CallbackData), b.CallbackData)
			default:
				if _, err := decodeCallback(b.CallbackData); err != nil {
					t.Errorf("button %q: %v", b.Text, err)
				}
			}
		}
	}
}

var deepLinkPattern = regexp.MustCompile(`^https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64})$`)

func checkDeepLink(t *testing.T, url string) {
	t.Helper()
	m := deepLinkPattern.FindStringSubmatch(url)
	if m == nil {
		t.Errorf("bad deep link %q", url)
		return
	}
	if _, ok := parseStartPayload(m[1]); !ok {
		t.Errorf("deep link payload %q is not understood by /start", m[1])
	}
}

func (f *fakeSender) SendMessage(ctx context.Context, p *bot.SendMessageParams) (*models.Message, error) {
	f.t.Helper()
	checkText(f.t, "SendMessage", p.Text, p.ParseMode, p.ReplyMarkup)
	kb, _ := p.ReplyMarkup.(*models.InlineKeyboardMarkup)
	_, force := p.ReplyMarkup.(*models.ForceReply)
	if err := f.record(sent{Method: "SendMessage", ChatID: p.ChatID, Thread: p.MessageThreadID, Text: p.Text, ParseMode: p.ParseMode, Keyboard: kb, ForceReply: force}); err != nil {
		return nil, err
	}
	return f.message(p.ChatID), nil
}

func (f *fakeSender) EditMessageText(ctx context.Context, p *bot.EditMessageTextParams) (*models.Message, error) {
	f.t.Helper()
	checkText(f.t, "EditMessageText", p.Text, p.ParseMode, p.ReplyMarkup)
	kb, _ := p.ReplyMarkup.(*models.InlineKeyboardMarkup)
	if err := f.record(sent{Method: "EditMessageText", ChatID: p.ChatID, MessageID: p.MessageID, InlineID: p.InlineMessageID, Text: p.Text, ParseMode: p.ParseMode, Keyboard: kb}); err != nil {
		return nil, err
	}
	return f.message(p.ChatID), nil
}

func (f *fakeSender) SendDocument(ctx context.Context, p *bot.SendDocumentParams) (*models.Message, error) {
	f.t.Helper()
	return f.sendFile("SendDocument", p.ChatID, p.MessageThreadID, p.Document, p.Caption, p.ParseMode, p.ReplyMarkup)
}

func (f *fakeSender) SendPhoto(ctx context.Context, p *bot.SendPhotoParams) (*models.Message, error) {
	f.t.Helper()
	return f.sendFile("SendPhoto", p.ChatID, p.MessageThreadID, p.Photo, p.Caption, p.ParseMode, p.ReplyMarkup)
}

func (f *fakeSender) sendFile(method string, chatID any, thread int, file models.InputFile, caption string, pm models.ParseMode, markup models.ReplyMarkup) (*models.Message, error) {
	f.t.Helper()
	up, ok := file.(*models.InputFileUpload)
	if !ok || up.Filename == "" {
		f.t.Errorf("%s: want an uploaded file with a name, got %T", method, file)
		return nil, errors.New("no file")
	}
	data, err := io.ReadAll(up.Data)
	if err != nil {
		return nil, err
	}
	if caption != "" {
		plain, _, err := tghtml.Parse(caption)
		if err != nil {
			f.t.Errorf("%s: caption Telegram would refuse: %v", method, err)
		}
		if n := tghtml.UTF16Len(plain); n > 1024 {
			f.t.Errorf("%s: caption of %d UTF-16 units; Telegram allows 1024", method, n)
		}
	}
	kb, _ := markup.(*models.InlineKeyboardMarkup)
	if err := f.record(sent{Method: method, ChatID: chatID, Thread: thread, Text: caption, ParseMode: pm, Keyboard: kb, FileName: up.Filename, File: data}); err != nil {
		return nil, err
	}
	return f.message(chatID), nil
}

func (f *fakeSender) AnswerCallbackQuery(ctx context.Context, p *bot.AnswerCallbackQueryParams) (bool, error) {
	if err := f.record(sent{Method: "AnswerCallbackQuery", QueryID: p.CallbackQueryID, Notice: p.Text, Alert: p.ShowAlert}); err != nil {
		return false, err
	}
	return true, nil
}

func (f *fakeSender) AnswerInlineQuery(ctx context.Context, p *bot.AnswerInlineQueryParams) (bool, error) {
	f.t.Helper()
	if p.Results == nil {
		f.t.Errorf("AnswerInlineQuery: nil results are sent as null")
	}
	if len(p.Results) > 50 || len(p.NextOffset) > 64 {
		f.t.Errorf("AnswerInlineQuery: %d results, next_offset %q", len(p.Results), p.NextOffset)
	}
	ids := map[string]bool{}
	for _, r := range p.Results {
		a, ok := r.(*models.InlineQueryResultArticle)
		if !ok {
			f.t.Errorf("result %T, want an article", r)
			continue
		}
		if a.ID == "" || len(a.ID) > 64 || ids[a.ID] {
			f.t.Errorf("result id %q empty, too long or repeated", a.ID)
		}
		ids[a.ID] = true
		c, ok := a.InputMessageContent.(*models.InputTextMessageContent)
		if !ok {
			f.t.Errorf("result %s: content %T", a.ID, a.InputMessageContent)
			continue
		}
		checkText(f.t, "inline result "+a.ID, c.MessageText, c.ParseMode, a.ReplyMarkup)
	}
	if err := f.record(sent{Method: "AnswerInlineQuery", QueryID: p.InlineQueryID, Inline: p}); err != nil {
		return false, err
	}
	return true, nil
}

// methods returns the methods called, in order.
func (f *fakeSender) methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ms []string
	for _, c := range f.calls {
		ms = append(ms, c.Method)
	}
	return ms
}

// reset forgets the calls so far.
func (f *fakeSender) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

// --- the harness ---------------------------------------------------------

const (
	testBot     = "MeetBot"
	privateChat = int64(4242)
	groupChat   = int64(-100500)
	boundChat   = int64(-100777) // bound to Huyện ủy Xín Mần
)

type harness struct {
	t      *testing.T
	store  *fakeStore
	sender *fakeSender
	h      *Handlers
	logs   *bytes.Buffer
	nextID int64
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	st := seedStore()
	hs := &harness{t: t, store: st, sender: &fakeSender{t: t}, logs: &bytes.Buffer{}}
	if cfg.Location == nil {
		cfg.Location = ict
	}
	if cfg.BotUsername == "" {
		cfg.BotUsername = testBot
	}
	hs.h = New(cfg, Deps{
		Store:  st,
		Sender: hs.sender,
		Chats:  fakeChats{boundChat: {st.units[7]}},
		Now:    func() time.Time { return testNow },
		// Conversations in memory, as the store keeps them.
		Conversations: &fakeConversations{m: map[[2]int64]store.Conversation{}},
		Log:           slog.New(slog.NewTextHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	return hs
}

// commandEntities marks "/cmd[@bot]" at the start of the text or after
// white space as Telegram does, with UTF-16 offsets.
func commandEntities(text string) []models.MessageEntity {
	var ents []models.MessageEntity
	u := utf16.Encode([]rune(text))
	isWord := func(c uint16) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	for i := 0; i < len(u); i++ {
		if u[i] != '/' || (i > 0 && u[i-1] != ' ' && u[i-1] != '\n') {
			continue
		}
		j := i + 1
		for j < len(u) && isWord(u[j]) {
			j++
		}
		if j == i+1 {
			continue
		}
		if j < len(u) && u[j] == '@' {
			k := j + 1
			for k < len(u) && isWord(u[k]) {
				k++
			}
			if k > j+1 {
				j = k
			}
		}
		ents = append(ents, models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: i, Length: j - i})
	}
	return ents
}

func (hs *harness) update() int64 {
	hs.nextID++
	return hs.nextID
}

// say sends text from a user in chat, with entities as Telegram makes them.
func (hs *harness) say(chat int64, text string) {
	hs.t.Helper()
	typ := models.ChatTypePrivate
	if chat < 0 {
		typ = models.ChatTypeSupergroup
	}
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), Message: &models.Message{
		ID: 7, From: &models.User{ID: 1, FirstName: "Cán bộ"}, Chat: models.Chat{ID: chat, Type: typ},
		Text: text, Entities: commandEntities(text),
	}})
}

// press presses a button carrying data on message 55 of chat.
func (hs *harness) press(chat int64, data string) {
	hs.t.Helper()
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("cq%d", hs.nextID), From: models.User{ID: 1}, Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 55, Date: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}}},
	}})
}

// inline sends an inline query.
func (hs *harness) inline(query, offset string) {
	hs.t.Helper()
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), InlineQuery: &models.InlineQuery{
		ID: fmt.Sprintf("iq%d", hs.nextID), From: &models.User{ID: 1}, Query: query, Offset: offset,
	}})
}

// last returns the last call, failing the test when there is none.
func (hs *harness) last() sent {
	hs.t.Helper()
	if len(hs.sender.calls) == 0 {
		hs.t.Fatal("nothing was sent")
	}
	return hs.sender.calls[len(hs.sender.calls)-1]
}

// callOf returns the only call of a method, failing otherwise.
func (hs *harness) only(method string) sent {
	hs.t.Helper()
	var found []sent
	for _, c := range hs.sender.calls {
		if c.Method == method {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		hs.t.Fatalf("%d calls of %s, want 1; calls: %v", len(found), method, hs.sender.methods())
	}
	return found[0]
}

// replyText returns the visible text of every message sent, failing when
// there is none.
func (hs *harness) replyText() string {
	hs.t.Helper()
	var parts []string
	for _, c := range hs.sender.calls {
		if c.Method == "SendMessage" {
			parts = append(parts, visibleText(c.Text))
		}
	}
	if len(parts) == 0 {
		hs.t.Fatalf("no message sent; calls %v", hs.sender.methods())
	}
	return strings.Join(parts, "\n")
}

// buttons returns the callback data of every button of a keyboard, by label.
func buttons(kb *models.InlineKeyboardMarkup) map[string]string {
	m := map[string]string{}
	if kb == nil {
		return m
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			m[b.Text] = b.CallbackData + b.URL
		}
	}
	return m
}

var errBoom = errors.New("disk on fire")

// crawl presses every button reachable from the replies so far, breadth
// first, up to limit distinct buttons, and fails on any press that is not
// answered exactly once, is answered with a notice (expired, failed) or
// shows nothing. It returns the number of distinct buttons seen.
func (hs *harness) crawl(limit int) int {
	hs.t.Helper()
	seen := map[string]bool{}
	var queue []string
	collect := func() {
		for _, c := range hs.sender.calls {
			for _, b := range buttons(c.Keyboard) {
				if !seen[b] && !strings.HasPrefix(b, "https://") {
					seen[b] = true
					queue = append(queue, b)
				}
			}
		}
		hs.sender.reset()
	}
	collect()
	for len(queue) > 0 && len(seen) < limit {
		data := queue[0]
		queue = queue[1:]
		hs.press(privateChat, data)
		answers := 0
		for _, c := range hs.sender.calls {
			if c.Method == "AnswerCallbackQuery" {
				answers++
				if c.Notice != "" {
					hs.t.Errorf("button %q answered %q", data, c.Notice)
				}
			}
		}
		if answers != 1 {
			hs.t.Errorf("button %q answered %d times", data, answers)
		}
		if data != "1:n" && len(hs.sender.calls) < 2 {
			hs.t.Errorf("button %q showed nothing", data)
		}
		collect()
	}
	return len(seen)
}

// use points the harness (and its sender's checks) at t.
func (hs *harness) use(t *testing.T) {
	hs.t, hs.sender.t = t, t
	hs.sender.reset()
}

// pressEverything sends every example of /help, then presses every
// button reachable from these replies and those sent before; at least min
// distinct buttons must be reached, and nothing may be logged as an error.
func (hs *harness) pressEverything(t *testing.T, min int) {
	hs.t, hs.sender.t = t, t
	for _, c := range commandDocs {
		for _, e := range c.Examples {
			hs.say(privateChat, e)
		}
	}
	if n := hs.crawl(500); n < min {
		t.Errorf("only %d distinct buttons reached, want at least %d", n, min)
	}
	if strings.Contains(hs.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", hs.logs)
	}
}

// inlineAnswers sends each inline query and requires a non-empty answer;
// it returns the answers.
func (hs *harness) inlineAnswers(t *testing.T, queries ...string) []sent {
	hs.use(t)
	for _, q := range queries {
		hs.inline(q, "")
	}
	for i, c := range hs.sender.calls {
		if len(c.Inline.Results) == 0 {
			t.Errorf("inline query %q answered nothing", queries[i])
		}
	}
	return hs.sender.calls
}

// replyCase is a message and what its reply must show.
type replyCase struct {
	name string
	chat int64
	text string
	want []string
}

// checkReplies sends each case's text and checks that the reply (all its
// messages) shows every wanted string.
func checkReplies(t *testing.T, hs *harness, cases []replyCase) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			hs.use(t)
			hs.say(tt.chat, tt.text)
			got := hs.replyText()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// fakeConversations keeps conversations in memory.
type fakeConversations struct {
	mu sync.Mutex
	m  map[[2]int64]store.Conversation
}

func (f *fakeConversations) Conversation(_ context.Context, chatID, userID int64) (store.Conversation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.m[[2]int64{chatID, userID}]
	if !ok || !c.ExpiresAt.After(testNow) {
		return c, fmt.Errorf("conversation: %w", store.ErrNotFound)
	}
	c.Data = maps.Clone(c.Data)
	return c, nil
}

func (f *fakeConversations) SaveConversation(_ context.Context, c store.Conversation) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.Data = maps.Clone(c.Data)
	f.m[[2]int64{c.ChatID, c.UserID}] = c
	return nil
}

func (f *fakeConversations) EndConversation(_ context.Context, chatID, userID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, [2]int64{chatID, userID})
	return nil
}
