package console

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/tghtml"
)

// Bot API limits the console checks, as Telegram would.
const (
	maxCallbackData     = 64  // bytes of callback_data
	maxCallbackAnswer   = 200 // UTF-16 code units of an answerCallbackQuery text
	maxInlineResults    = 50
	maxInlineNextOffset = 64 // bytes
)

// badRequest returns the error the Bot API would give, wrapping
// bot.ErrorBadRequest like go-telegram/bot does.
func badRequest(reason string) error {
	return fmt.Errorf("%w, Bad Request: %s", bot.ErrorBadRequest, reason)
}

// SendMessage prints the message and its buttons and returns it as
// Telegram would, with a new message id and the text without markup.
// Text Telegram would refuse is printed after a "⚠" line and gives an
// error wrapping bot.ErrorBadRequest.
func (c *Console) SendMessage(ctx context.Context, p *bot.SendMessageParams) (*models.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errors.New("console: SendMessage: nil params")
	}
	text, perr := render(p.Text, p.ParseMode)
	kb, kerr := keyboardOf(p.ReplyMarkup)

	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	other := c.otherChat(p.ChatID)
	if other != "" {
		fmt.Fprintf(&b, "(gửi tới chat %s)\n", other)
	}
	if err := errors.Join(perr, kerr); err != nil {
		fmt.Fprintf(&b, "⚠ Telegram sẽ từ chối tin nhắn này: %s\n%s\n\n", oneLine(err.Error()), text)
		_ = c.writeLocked(b.String())
		return nil, badRequest(err.Error())
	}

	c.messageID++
	from := c.bot
	m := &models.Message{
		ID:              c.messageID,
		MessageThreadID: p.MessageThreadID,
		From:            &from,
		Date:            int(c.opts.Now().Unix()),
		Chat:            c.chat,
		Text:            text,
		ReplyMarkup:     inlineMarkup(p.ReplyMarkup),
	}
	b.WriteString(text + "\n")
	if kb != nil {
		writeButtons(&b, kb.buttons)
	}
	b.WriteString("\n")
	if other != "" {
		// Another chat: shown, but its buttons cannot be pressed from here.
		id, _ := strconv.ParseInt(other, 10, 64)
		m.Chat = models.Chat{ID: id}
	} else {
		c.messages[m.ID] = m
		if kb != nil {
			kb.messageID = m.ID
			c.last = kb
		}
	}
	if err := c.writeLocked(b.String()); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	cp := *m
	return &cp, nil
}

// EditMessageText prints the new version of a message the bot sent,
// under "(đã cập nhật)". Its buttons replace the old ones (none given
// removes them, as in Telegram). Editing an unknown message, or changing
// nothing, gives the Bot API's error.
func (c *Console) EditMessageText(ctx context.Context, p *bot.EditMessageTextParams) (*models.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errors.New("console: EditMessageText: nil params")
	}
	text, perr := render(p.Text, p.ParseMode)
	kb, kerr := keyboardOf(p.ReplyMarkup)

	c.mu.Lock()
	defer c.mu.Unlock()
	var m *models.Message
	switch {
	case p.InlineMessageID != "":
		m = c.inlineMsgs[p.InlineMessageID]
	case c.otherChat(p.ChatID) == "":
		m = c.messages[p.MessageID]
	}
	if m == nil {
		const reason = "message to edit not found"
		_ = c.writeLocked(fmt.Sprintf("⚠ Telegram từ chối sửa tin nhắn %d%s: %s\n\n", p.MessageID, p.InlineMessageID, reason))
		return nil, badRequest(reason)
	}
	if err := errors.Join(perr, kerr); err != nil {
		_ = c.writeLocked(fmt.Sprintf("⚠ Telegram sẽ từ chối bản sửa này: %s\n%s\n\n", oneLine(err.Error()), text))
		return nil, badRequest(err.Error())
	}
	markup := inlineMarkup(p.ReplyMarkup)
	if m.Text == text && reflect.DeepEqual(m.ReplyMarkup, markup) {
		// Telegram shows nothing and answers an error the handler should
		// ignore.
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	m.Text = text
	m.ReplyMarkup = markup
	m.EditDate = int(c.opts.Now().Unix())

	var b strings.Builder
	b.WriteString("(đã cập nhật)\n" + text + "\n")
	switch {
	case kb != nil:
		kb.messageID, kb.inlineID = m.ID, p.InlineMessageID
		writeButtons(&b, kb.buttons)
		c.last = kb
	case c.last != nil && c.last.messageID == m.ID && c.last.inlineID == p.InlineMessageID:
		c.last = nil // its buttons are gone
	}
	b.WriteString("\n")
	if err := c.writeLocked(b.String()); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	cp := *m
	return &cp, nil
}

// AnswerCallbackQuery prints the answer's text as a notice line: "» text",
// or "[!] text" for an alert. Answering a query twice, or one the console
// did not send, gives the Bot API's error.
func (c *Console) AnswerCallbackQuery(ctx context.Context, p *bot.AnswerCallbackQueryParams) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if p == nil {
		return false, errors.New("console: AnswerCallbackQuery: nil params")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.pending[p.CallbackQueryID] {
		const reason = "query is too old and response timeout expired or query ID is invalid"
		_ = c.writeLocked(fmt.Sprintf("⚠ Telegram từ chối trả lời nút bấm %q: %s\n\n", p.CallbackQueryID, reason))
		return false, badRequest(reason)
	}
	delete(c.pending, p.CallbackQueryID)
	var b strings.Builder
	if p.Text != "" {
		text := oneLine(strings.ToValidUTF8(p.Text, "\uFFFD"))
		if n := tghtml.UTF16Len(text); n > maxCallbackAnswer {
			fmt.Fprintf(&b, "⚠ Thông báo dài %d ký tự, Telegram chỉ hiện %d.\n", n, maxCallbackAnswer)
		}
		if p.ShowAlert {
			b.WriteString("[!] " + text + "\n")
		} else {
			b.WriteString("» " + text + "\n")
		}
	}
	if p.URL != "" {
		b.WriteString("» Mở liên kết: " + p.URL + "\n")
	}
	if b.Len() == 0 {
		return true, nil
	}
	b.WriteString("\n")
	if err := c.writeLocked(b.String()); err != nil {
		return false, fmt.Errorf("console: %w", err)
	}
	return true, nil
}

// AnswerInlineQuery prints the results as a numbered list, which ":pick N"
// and ":more" then use. Answering a query the console is not waiting for,
// more than 50 results or a next_offset over 64 bytes gives the Bot API's
// error.
func (c *Console) AnswerInlineQuery(ctx context.Context, p *bot.AnswerInlineQueryParams) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if p == nil {
		return false, errors.New("console: AnswerInlineQuery: nil params")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var reason string
	switch {
	case p.InlineQueryID == "" || p.InlineQueryID != c.inlineQID:
		reason = "query is too old and response timeout expired or query ID is invalid"
	case len(p.Results) > maxInlineResults:
		reason = fmt.Sprintf("RESULTS_TOO_MUCH: %d results, the limit is %d", len(p.Results), maxInlineResults)
	case len(p.NextOffset) > maxInlineNextOffset:
		reason = fmt.Sprintf("next_offset is %d bytes, the limit is %d", len(p.NextOffset), maxInlineNextOffset)
	}
	if reason != "" {
		_ = c.writeLocked("⚠ Telegram từ chối kết quả inline: " + reason + "\n\n")
		return false, badRequest(reason)
	}
	c.inlineQID = ""
	c.inline.results = p.Results
	c.inline.nextOffset = p.NextOffset

	var b strings.Builder
	q := oneLine(c.inline.query)
	if len(p.Results) == 0 {
		fmt.Fprintf(&b, "Không có kết quả inline cho %q.\n", q)
	} else {
		fmt.Fprintf(&b, "Kết quả inline cho %q (%d):\n", q, len(p.Results))
		for i, r := range p.Results {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, resultLine(r))
		}
		if p.NextOffset != "" {
			b.WriteString("(còn nữa: :more)\n")
		}
		b.WriteString("(:pick N để gửi kết quả N vào chat)\n")
	}
	b.WriteString("\n")
	if err := c.writeLocked(b.String()); err != nil {
		return false, fmt.Errorf("console: %w", err)
	}
	return true, nil
}

// resultLine describes an inline result on one line.
func resultLine(r models.InlineQueryResult) string {
	if a, ok := article(r); ok {
		s := oneLine(a.Title)
		if a.Description != "" {
			s += " — " + oneLine(a.Description)
		}
		return s
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", r), "*models.InlineQueryResult")
}

func article(r models.InlineQueryResult) (*models.InlineQueryResultArticle, bool) {
	a, ok := r.(*models.InlineQueryResultArticle)
	return a, ok && a != nil
}

func textContent(m models.InputMessageContent) (*models.InputTextMessageContent, bool) {
	switch v := m.(type) {
	case *models.InputTextMessageContent:
		return v, v != nil
	case models.InputTextMessageContent:
		return &v, true
	}
	return nil, false
}

// otherChat returns "" if id names the console's chat, else id as text.
func (c *Console) otherChat(id any) string {
	var s string
	switch v := id.(type) {
	case nil:
		return ""
	case int64:
		s = strconv.FormatInt(v, 10)
	case int:
		s = strconv.Itoa(v)
	case int32:
		s = strconv.FormatInt(int64(v), 10)
	case string:
		s = v
	default:
		s = fmt.Sprint(v)
	}
	if s == strconv.FormatInt(c.chat.ID, 10) {
		return ""
	}
	return s
}

// keyboardOf returns the buttons of a reply markup (nil if it has none)
// and an error for what Telegram would refuse.
func keyboardOf(markup models.ReplyMarkup) (*keyboard, error) {
	var kb keyboard
	var errs []error
	switch m := markup.(type) {
	case nil:
		return nil, nil
	case models.InlineKeyboardMarkup:
		return keyboardOf(&m)
	case *models.InlineKeyboardMarkup:
		if m == nil {
			return nil, nil
		}
		for _, row := range m.InlineKeyboard {
			for _, ib := range row {
				b := button{
					label:         oneLine(ib.Text),
					callbackData:  ib.CallbackData,
					url:           ib.URL,
					switchCurrent: optional(ib.SwitchInlineQueryCurrentChat),
					switchOther:   optional(ib.SwitchInlineQuery),
					copyText:      ib.CopyText.Text,
				}
				if b.url == "" && ib.LoginURL != nil {
					b.url = ib.LoginURL.URL
				}
				if b.url == "" && ib.WebApp != nil {
					b.url = ib.WebApp.URL
				}
				switch {
				case ib.Text == "":
					errs = append(errs, errors.New("BUTTON_TEXT_INVALID: a button has no text"))
				case len(ib.CallbackData) > maxCallbackData:
					errs = append(errs, fmt.Errorf("BUTTON_DATA_INVALID: callback_data of %q is %d bytes, the limit is %d", ib.Text, len(ib.CallbackData), maxCallbackData))
				case b.callbackData == "" && b.url == "" && b.switchCurrent == nil && b.switchOther == nil &&
					b.copyText == "" && ib.SwitchInlineQueryChosenChat == nil && ib.CallbackGame == nil && !ib.Pay:
					errs = append(errs, fmt.Errorf("text buttons are unallowed in the inline keyboard (button %q)", ib.Text))
				}
				kb.buttons = append(kb.buttons, b)
			}
		}
	case models.ReplyKeyboardMarkup:
		return keyboardOf(&m)
	case *models.ReplyKeyboardMarkup:
		if m == nil {
			return nil, nil
		}
		for _, row := range m.Keyboard {
			for _, rb := range row {
				kb.buttons = append(kb.buttons, button{label: oneLine(rb.Text), reply: true})
			}
		}
	default:
		return nil, nil // ReplyKeyboardRemove, ForceReply: nothing to press
	}
	if len(kb.buttons) == 0 {
		return nil, errors.Join(errs...)
	}
	return &kb, errors.Join(errs...)
}

// inlineMarkup returns markup as stored in a Message: only inline
// keyboards are.
func inlineMarkup(markup models.ReplyMarkup) *models.InlineKeyboardMarkup {
	switch m := markup.(type) {
	case models.InlineKeyboardMarkup:
		return inlineMarkup(&m)
	case *models.InlineKeyboardMarkup:
		if m == nil || len(m.InlineKeyboard) == 0 {
			return nil
		}
		cp := *m
		return &cp
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// writeButtons lists buttons one per line: "  [N] label", with " (url)"
// for a link.
func writeButtons(b *strings.Builder, buttons []button) {
	for i, btn := range buttons {
		fmt.Fprintf(b, "  [%d] %s", i+1, btn.label)
		if btn.url != "" {
			fmt.Fprintf(b, " (%s)", btn.url)
		}
		b.WriteByte('\n')
	}
}

// oneLine makes s printable on one line.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
