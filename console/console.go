// Package console is meetbot's terminal front end. It reads one message
// per line, turns it into the Telegram update the bot would receive, has
// the handlers answer it, and prints their replies as plain text. It
// implements handlers.Sender by printing, so the handlers run unchanged,
// with no Telegram token and no network.
//
// Wiring:
//
//	con := console.New(os.Stdin, os.Stdout, console.Options{
//		Interactive: console.IsTerminal(os.Stdin),
//		Echo:        !console.IsTerminal(os.Stdin),
//	})
//	h := handlers.New(hcfg, handlers.Deps{Store: st, Sender: con, ...})
//	err := con.Run(ctx, h)
//
// # Output
//
// Every reply is printed as plain text (see HTMLToText) followed by its
// buttons, one per line as "  [N] label", and a blank line. A URL button
// shows its address: "  [N] label (url)". An edited message is printed
// again under the line "(đã cập nhật)". A callback answer is a line
// "» text" ("[!] text" for an alert). Inline answers are a numbered list.
// Anything Telegram would refuse (bad HTML, too long, a callback_data
// over 64 bytes, editing a message that does not exist) is printed on a
// line starting with "⚠" and returned to the handler as an error wrapping
// bot.ErrorBadRequest, as the Bot API would.
//
// Lines starting with ':' are console commands (":help" lists them).
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/mattn/go-isatty"

	"meetbot/handlers"
	"meetbot/tghtml"
)

// Handler answers updates; *handlers.Handlers satisfies it.
type Handler interface {
	Handle(ctx context.Context, u *models.Update)
}

// Defaults for the zero fields of Options.
const (
	DefaultUserID      int64 = 1000001
	DefaultUserName          = "Console"
	DefaultGroupChatID int64 = -1001000000001
	DefaultGroupTitle        = "Console group"
	DefaultBotUsername       = "meetbot_bot"
	DefaultBotID       int64 = 1000000
)

// Chat types accepted in Options.ChatType.
const (
	ChatPrivate    = "private"
	ChatSupergroup = "supergroup"
)

// Prompt is printed before each line read when Options.Interactive is set.
const Prompt = "meetbot> "

// MaxLineBytes is the longest input line accepted; longer lines are
// refused with a notice (Telegram itself caps messages at 4096
// characters).
const MaxLineBytes = 64 << 10

// Options describes the simulated chat and how the console talks.
// Zero fields take the defaults above.
type Options struct {
	// Interactive prints Prompt before each line. Set it when the input is
	// a terminal (see IsTerminal).
	Interactive bool
	// Echo prints each input line as "> line" before its replies, so a
	// transcript of piped input shows what was asked.
	Echo bool
	// ChatType is ChatSupergroup for a group chat; anything else is a
	// private chat with the bot.
	ChatType string
	// ChatID defaults to UserID in a private chat (as in Telegram) and to
	// DefaultGroupChatID in a group.
	ChatID int64
	// ChatTitle names a group chat (default DefaultGroupTitle).
	ChatTitle string
	// UserID and UserName are the sender (defaults DefaultUserID and
	// DefaultUserName).
	UserID   int64
	UserName string
	// BotUsername is the bot's username, without '@' (default
	// DefaultBotUsername); it is only shown.
	BotUsername string
	// Now gives the date of the messages; nil means time.Now.
	Now func() time.Time
	// Log receives panics of the handler with their stack; nil discards.
	Log *slog.Logger
	// FilesDir is where files the bot sends (exports, calendars, charts)
	// are saved, so they can be opened; empty: a new temporary directory.
	FilesDir string
}

// IsTerminal reports whether f (typically os.Stdin) is a terminal.
func IsTerminal(f interface{ Fd() uintptr }) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// button is one button of a keyboard, in the order they are numbered.
type button struct {
	label         string
	callbackData  string
	url           string
	switchCurrent *string // switch_inline_query_current_chat, may be ""
	switchOther   *string // switch_inline_query
	copyText      string
	reply         bool // a reply-keyboard button: pressing sends its text
}

// keyboard is the buttons of one message: a message of the chat
// (messageID) or a message sent via inline mode (inlineID).
type keyboard struct {
	messageID int
	inlineID  string
	buttons   []button
}

// inlineState remembers the last inline query and its answer.
type inlineState struct {
	query      string
	nextOffset string
	results    []models.InlineQueryResult
}

// Console is a terminal chat with the bot. It implements handlers.Sender;
// its methods are safe for concurrent use.
type Console struct {
	in   io.Reader
	opts Options
	chat models.Chat
	user models.User
	bot  models.User

	mu         sync.Mutex // guards everything below and writes to out
	out        io.Writer
	updateID   int64
	messageID  int
	queryID    int
	inlineSeq  int
	messages   map[int]*models.Message    // bot messages by id, as last edited
	inlineMsgs map[string]*models.Message // messages sent via inline mode
	last       *keyboard                  // the last message printed with buttons
	pending    map[string]bool            // callback queries not answered yet
	inlineQID  string                     // the inline query awaiting an answer
	inline     *inlineState
	filesDir   string            // where sent files go, once chosen
	uploads    map[string][]byte // files sent with :upload, by file id
}

var _ handlers.Sender = (*Console)(nil)

// New returns a console reading lines from in and printing to out, with
// the zero fields of opts defaulted.
func New(in io.Reader, out io.Writer, opts Options) *Console {
	if opts.UserID == 0 {
		opts.UserID = DefaultUserID
	}
	if opts.UserName == "" {
		opts.UserName = DefaultUserName
	}
	if opts.BotUsername == "" {
		opts.BotUsername = DefaultBotUsername
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	chat := models.Chat{Type: models.ChatTypePrivate, ID: opts.ChatID, FirstName: opts.UserName}
	if opts.ChatType == ChatSupergroup {
		chat = models.Chat{Type: models.ChatTypeSupergroup, ID: opts.ChatID, Title: opts.ChatTitle}
		if chat.ID == 0 {
			chat.ID = DefaultGroupChatID
		}
		if chat.Title == "" {
			chat.Title = DefaultGroupTitle
		}
	} else if chat.ID == 0 {
		chat.ID = opts.UserID
	}
	return &Console{
		in:         in,
		out:        out,
		opts:       opts,
		chat:       chat,
		user:       models.User{ID: opts.UserID, FirstName: opts.UserName, LanguageCode: "vi"},
		bot:        models.User{ID: DefaultBotID, IsBot: true, FirstName: "meetbot", Username: opts.BotUsername},
		messages:   map[int]*models.Message{},
		inlineMsgs: map[string]*models.Message{},
		pending:    map[string]bool{},
	}
}

// Chat returns the simulated chat, with the defaults applied: what the
// handlers see in every update.
func (c *Console) Chat() models.Chat { return c.chat }

// Run reads lines until end of input or ":quit" and returns nil, or until
// ctx is done and returns ctx.Err(). Each line is handled (h.Handle
// returns) before the next is read. A panic in h is printed and logged,
// and the console goes on. A read error other than end of input is
// returned.
//
// Lines are read by a goroutine so that cancelling ctx ends Run at once;
// if in is a terminal that goroutine stays blocked in Read until the
// process exits.
func (c *Console) Run(ctx context.Context, h Handler) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		readErr <- readLines(c.in, lines, done)
	}()

	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.opts.Interactive {
			c.write(Prompt)
		}
		var line string
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line = <-lines:
		case err := <-readErr:
			if c.opts.Interactive {
				c.write("\n")
			}
			return err
		}
		if !c.handleLine(ctx, h, line) {
			return nil
		}
	}
}

// lineTooLong stands for a line over MaxLineBytes; the reader goes on.
const lineTooLong = "\x00too long"

// readLines sends the lines of r, without their line ends, until end of
// input (nil) or a read error.
func readLines(r io.Reader, lines chan<- string, done <-chan struct{}) error {
	br := bufio.NewReaderSize(r, 4096)
	first := true
	for {
		var (
			buf  []byte
			long bool
			err  error
		)
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !long {
				if len(buf)+len(chunk) > MaxLineBytes {
					long, buf = true, nil
				} else {
					buf = append(buf, chunk...)
				}
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if len(buf) == 0 && !long && err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("console: read input: %w", err)
		}
		line := strings.TrimRight(string(buf), "\r\n")
		if first {
			line = strings.TrimPrefix(line, "\uFEFF") // a byte order mark
			first = false
		}
		if long {
			line = lineTooLong
		}
		select {
		case lines <- line:
		case <-done:
			return nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("console: read input: %w", err)
		}
	}
}

// handleLine acts on one input line and reports whether to go on.
func (c *Console) handleLine(ctx context.Context, h Handler, line string) bool {
	if line == lineTooLong {
		c.print(fmt.Sprintf("⚠ Dòng quá dài (tối đa %d byte), đã bỏ qua.", MaxLineBytes))
		return true
	}
	line = strings.TrimSpace(strings.ToValidUTF8(line, "\uFFFD"))
	if line == "" {
		return true
	}
	if c.opts.Echo {
		c.write("> " + line + "\n")
	}
	if !strings.HasPrefix(line, ":") {
		c.dispatch(ctx, h, c.messageUpdate(line))
		return true
	}
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case ":quit", ":q", ":exit":
		return false
	case ":help", ":h":
		c.print(helpText)
	case ":press", ":p":
		c.press(ctx, h, arg)
	case ":inline", ":i":
		c.dispatch(ctx, h, c.inlineUpdate(arg, ""))
	case ":more":
		c.more(ctx, h)
	case ":pick":
		c.pick(arg)
	case ":upload", ":u":
		c.upload(ctx, h, arg)
	default:
		c.print(fmt.Sprintf("Lệnh console không rõ: %s (gõ :help để xem danh sách).", cmd))
	}
	return true
}

const helpText = `Lệnh của console:
  :press N          bấm nút số N của tin nhắn gần nhất có nút
  :inline TRUY VẤN  gửi truy vấn inline (như gõ @bot TRUY VẤN) và liệt kê kết quả
  :more             trang kết quả inline tiếp theo
  :pick N           gửi kết quả inline số N vào chat
  :upload TỆP       gửi tệp cho bot (như đính kèm tệp), vd. tệp .xlsx để nhập
  :help             danh sách này
  :quit             thoát (hoặc Ctrl-D)
Mọi dòng khác được gửi tới bot như một tin nhắn; dòng bắt đầu bằng / là lệnh.`

// dispatch has h answer u, then reports a callback or inline query the
// handler left unanswered (Telegram would show a spinner, then nothing).
func (c *Console) dispatch(ctx context.Context, h Handler, u *models.Update) {
	c.callHandler(ctx, h, u)
	c.mu.Lock()
	var notes []string
	if cq := u.CallbackQuery; cq != nil && c.pending[cq.ID] {
		delete(c.pending, cq.ID)
		notes = append(notes, "⚠ Nút bấm chưa được trả lời (thiếu answerCallbackQuery).")
	}
	if iq := u.InlineQuery; iq != nil && c.inlineQID == iq.ID {
		c.inlineQID = ""
		notes = append(notes, "⚠ Truy vấn inline chưa được trả lời (thiếu answerInlineQuery).")
	}
	for _, n := range notes {
		_ = c.writeLocked(n + "\n\n")
	}
	c.mu.Unlock()
}

// callHandler calls h.Handle, turning a panic into a printed line.
func (c *Console) callHandler(ctx context.Context, h Handler, u *models.Update) {
	defer func() {
		if r := recover(); r != nil {
			c.opts.Log.Error("handler panicked", "update_id", u.ID, "panic", r, "stack", string(debug.Stack()))
			c.print(fmt.Sprintf("⚠ Lỗi trong handler (panic): %v", r))
		}
	}()
	h.Handle(ctx, u)
}

// messageUpdate returns the update of the user sending text to the chat.
func (c *Console) messageUpdate(text string) *models.Update {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updateID++
	c.messageID++
	user := c.user
	m := &models.Message{
		ID:       c.messageID,
		From:     &user,
		Date:     int(c.opts.Now().Unix()),
		Chat:     c.chat,
		Text:     text,
		Entities: commandEntities(text),
	}
	return &models.Update{ID: c.updateID, Message: m}
}

// commandEntities returns the bot_command entity of a text starting with
// '/': as Telegram does, the command is '/' followed by ASCII letters,
// digits and '_', optionally with "@botname". Offset and length count
// UTF-16 code units.
func commandEntities(text string) []models.MessageEntity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := 1 + wordLen(text[1:])
	if end == 1 {
		return nil
	}
	if end < len(text) && text[end] == '@' {
		if n := wordLen(text[end+1:]); n > 0 {
			end += 1 + n
		}
	}
	return []models.MessageEntity{{
		Type:   models.MessageEntityTypeBotCommand,
		Offset: 0,
		Length: tghtml.UTF16Len(text[:end]),
	}}
}

// wordLen returns the length of the leading run of [A-Za-z0-9_] in s.
func wordLen(s string) int {
	i := 0
	for i < len(s) && (isASCIILetter(s[i]) || isDigit(s[i]) || s[i] == '_') {
		i++
	}
	return i
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool       { return '0' <= c && c <= '9' }

// inlineUpdate returns the update of the user typing "@bot query".
func (c *Console) inlineUpdate(query, offset string) *models.Update {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updateID++
	c.queryID++
	id := "iq-" + strconv.Itoa(c.queryID)
	c.inlineQID = id
	c.inline = &inlineState{query: query}
	chatType := "sender"
	if c.chat.Type != models.ChatTypePrivate {
		chatType = string(c.chat.Type)
	}
	user := c.user
	return &models.Update{ID: c.updateID, InlineQuery: &models.InlineQuery{
		ID: id, From: &user, Query: query, Offset: offset, ChatType: chatType,
	}}
}

// more asks for the next page of the last inline query.
func (c *Console) more(ctx context.Context, h Handler) {
	c.mu.Lock()
	st := c.inline
	c.mu.Unlock()
	if st == nil || st.nextOffset == "" {
		c.print("Không còn kết quả inline nào nữa.")
		return
	}
	c.dispatch(ctx, h, c.inlineUpdate(st.query, st.nextOffset))
}

// press acts as a tap on button arg (1-based) of the last message that
// had buttons.
func (c *Console) press(ctx context.Context, h Handler, arg string) {
	if arg == "" {
		c.print("Cách dùng: :press N (N là số của nút).")
		return
	}
	c.mu.Lock()
	kb := c.last
	n, err := strconv.Atoi(arg)
	if kb == nil || err != nil || n < 1 || n > len(kb.buttons) {
		c.mu.Unlock()
		if kb == nil {
			c.print(fmt.Sprintf("Không có nút số %s: không có tin nhắn nào đang có nút.", arg))
		} else {
			c.print(fmt.Sprintf("Không có nút số %s.", arg))
		}
		return
	}
	b := kb.buttons[n-1]
	var u *models.Update
	if b.callbackData != "" {
		c.updateID++
		c.queryID++
		id := "cq-" + strconv.Itoa(c.queryID)
		c.pending[id] = true
		cq := &models.CallbackQuery{
			ID:           id,
			From:         c.user,
			ChatInstance: "console-" + strconv.FormatInt(c.chat.ID, 10),
			Data:         b.callbackData,
		}
		if kb.inlineID != "" {
			cq.InlineMessageID = kb.inlineID
		} else if m := c.messages[kb.messageID]; m != nil {
			cp := *m
			cq.Message = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &cp}
		}
		u = &models.Update{ID: c.updateID, CallbackQuery: cq}
	}
	c.mu.Unlock()

	switch {
	case u != nil:
		c.dispatch(ctx, h, u)
	case b.url != "":
		c.print("Mở liên kết: " + b.url)
	case b.reply:
		c.dispatch(ctx, h, c.messageUpdate(b.label))
	case b.switchCurrent != nil:
		c.print(fmt.Sprintf("(inline: @%s %s)", c.opts.BotUsername, *b.switchCurrent))
		c.dispatch(ctx, h, c.inlineUpdate(*b.switchCurrent, ""))
	case b.switchOther != nil:
		c.print(fmt.Sprintf("Nút này chọn một chat khác rồi gõ @%s %s; ở đây dùng :inline %s", c.opts.BotUsername, *b.switchOther, *b.switchOther))
	case b.copyText != "":
		c.print("Đã sao chép: " + b.copyText)
	default:
		c.print("Nút này không dùng được trong console.")
	}
}

// pick sends inline result arg (1-based) of the last inline answer into
// the chat, as choosing it in Telegram does. The handlers are not called:
// Telegram posts the message itself.
func (c *Console) pick(arg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := strconv.Atoi(arg)
	if c.inline == nil || err != nil || n < 1 || n > len(c.inline.results) {
		_ = c.writeLocked(fmt.Sprintf("Không có kết quả inline số %s.\n\n", arg))
		return
	}
	art, ok := article(c.inline.results[n-1])
	if !ok {
		_ = c.writeLocked("Kết quả này không phải văn bản; console không hiển thị được.\n\n")
		return
	}
	content, ok := textContent(art.InputMessageContent)
	if !ok {
		_ = c.writeLocked("Kết quả này không có nội dung văn bản; console không hiển thị được.\n\n")
		return
	}
	text, perr := render(content.MessageText, content.ParseMode)
	kb, kerr := keyboardOf(art.ReplyMarkup)
	var b strings.Builder
	fmt.Fprintf(&b, "(bạn gửi qua @%s)\n", c.opts.BotUsername)
	if err := errors.Join(perr, kerr); err != nil {
		fmt.Fprintf(&b, "⚠ Telegram sẽ từ chối kết quả này: %v\n", err)
	}
	b.WriteString(text + "\n")
	user, via := c.user, c.bot
	m := &models.Message{Text: text, From: &user, ViaBot: &via, Chat: c.chat, Date: int(c.opts.Now().Unix())}
	if kb != nil {
		c.inlineSeq++
		kb.inlineID = "im-" + strconv.Itoa(c.inlineSeq)
		c.inlineMsgs[kb.inlineID] = m
		m.ReplyMarkup = inlineMarkup(art.ReplyMarkup)
		writeButtons(&b, kb.buttons)
		c.last = kb
	}
	b.WriteString("\n")
	_ = c.writeLocked(b.String())
}

// print writes a block of text followed by a blank line.
func (c *Console) print(s string) { c.write(s + "\n\n") }

func (c *Console) write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.writeLocked(s)
}

// writeLocked writes s with c.mu held; write errors are returned only by
// the Sender methods (a console that cannot print has nothing to say).
func (c *Console) writeLocked(s string) error {
	_, err := io.WriteString(c.out, s)
	return err
}

// render turns a message text in parse mode pm into plain text.
func render(text string, pm models.ParseMode) (string, error) {
	if pm == models.ParseModeHTML {
		return HTMLToText(text)
	}
	// Plain text (meetbot sends HTML; Markdown is shown as written).
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	switch {
	case text == "":
		return text, errors.New("message text is empty")
	case tghtml.UTF16Len(text) > MaxMessageLength:
		return text, fmt.Errorf("message is too long: %d characters, the limit is %d", tghtml.UTF16Len(text), MaxMessageLength)
	}
	return text, nil
}
