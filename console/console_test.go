package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

var testNow = time.Date(2025, 6, 2, 1, 30, 0, 0, time.UTC)

// handlerFunc adapts a function to Handler.
type handlerFunc func(ctx context.Context, u *models.Update)

func (f handlerFunc) Handle(ctx context.Context, u *models.Update) { f(ctx, u) }

// session runs the console on input with the handler mk builds, and
// returns what it printed.
func session(t *testing.T, input string, opts Options, mk func(c *Console) Handler) string {
	t.Helper()
	var out bytes.Buffer
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	c := New(strings.NewReader(input), &out, opts)
	if err := c.Run(context.Background(), mk(c)); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

// pager is a fake bot: any message gets page 1 of a list with buttons; a
// "p:N" button answers and edits the message to page N.
func pager(t *testing.T) func(c *Console) Handler {
	page := func(n int) (string, models.InlineKeyboardMarkup) {
		text := fmt.Sprintf("<b>Cuộc họp sắp tới</b> — trang %d/3\n"+
			"1. Hội nghị &lt;biên giới&gt; &amp; an ninh\n"+
			`<a href="https://example.vn/h/%d">Chi tiết</a>`, n, n)
		return text, models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
			{
				{Text: "‹ Trước", CallbackData: fmt.Sprintf("p:%d", n-1)},
				{Text: fmt.Sprintf("Trang %d/3", n), CallbackData: "noop"},
				{Text: "Sau ›", CallbackData: fmt.Sprintf("p:%d", n+1)},
			},
			{{Text: "Cổng thông tin", URL: "https://example.vn"}},
		}}
	}
	return func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			switch {
			case u.Message != nil:
				text, kb := page(1)
				if _, err := c.SendMessage(ctx, &bot.SendMessageParams{
					ChatID: u.Message.Chat.ID, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb,
				}); err != nil {
					t.Errorf("SendMessage: %v", err)
				}
			case u.CallbackQuery != nil:
				cq := u.CallbackQuery
				var n int
				if _, err := fmt.Sscanf(cq.Data, "p:%d", &n); err != nil {
					if _, err := c.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID}); err != nil {
						t.Errorf("AnswerCallbackQuery: %v", err)
					}
					return
				}
				if _, err := c.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{
					CallbackQueryID: cq.ID, Text: fmt.Sprintf("Trang %d", n),
				}); err != nil {
					t.Errorf("AnswerCallbackQuery: %v", err)
				}
				msg := cq.Message.Message
				text, kb := page(n)
				if _, err := c.EditMessageText(ctx, &bot.EditMessageTextParams{
					ChatID: msg.Chat.ID, MessageID: msg.ID, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb,
				}); err != nil {
					t.Errorf("EditMessageText: %v", err)
				}
			}
		})
	}
}

func TestScriptedSession(t *testing.T) {
	input := "/meetings\n\n   \n:press 3\n:press 9\n:press 4\n:press 2\n:quit\n/never-read\n"
	got := session(t, input, Options{Echo: true}, pager(t))
	want := `> /meetings
Cuộc họp sắp tới — trang 1/3
1. Hội nghị <biên giới> & an ninh
Chi tiết (https://example.vn/h/1)
  [1] ‹ Trước
  [2] Trang 1/3
  [3] Sau ›
  [4] Cổng thông tin (https://example.vn)

> :press 3
» Trang 2

(đã cập nhật)
Cuộc họp sắp tới — trang 2/3
1. Hội nghị <biên giới> & an ninh
Chi tiết (https://example.vn/h/2)
  [1] ‹ Trước
  [2] Trang 2/3
  [3] Sau ›
  [4] Cổng thông tin (https://example.vn)

> :press 9
Không có nút số 9.

> :press 4
Mở liên kết: https://example.vn

> :press 2
> :quit
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
}

func TestNoPromptUnlessInteractive(t *testing.T) {
	silent := func(c *Console) Handler { return handlerFunc(func(context.Context, *models.Update) {}) }
	if got := session(t, "/start\n:help\n", Options{}, silent); strings.Contains(got, Prompt) {
		t.Errorf("non-interactive output contains the prompt:\n%s", got)
	}
	got := session(t, "/start\n", Options{Interactive: true}, silent)
	if want := Prompt + Prompt + "\n"; got != want {
		t.Errorf("interactive output = %q, want %q (a prompt per read, a newline at end of input)", got, want)
	}
}

func TestPressErrors(t *testing.T) {
	got := session(t, ":press 1\n:press\n/x\n:press 0\n:press -1\n:press 5\n:press abc\n:press 99999999999999999999\n", Options{}, pager(t))
	for _, want := range []string{
		"Không có nút số 1: không có tin nhắn nào đang có nút.\n\n",
		"Cách dùng: :press N (N là số của nút).\n\n",
		"Không có nút số 0.\n\n",
		"Không có nút số -1.\n\n",
		"Không có nút số 5.\n\n",
		"Không có nút số abc.\n\n",
		"Không có nút số 99999999999999999999.\n\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// recorder is a fake bot that keeps the updates it gets.
type recorder struct {
	mu      sync.Mutex
	updates []*models.Update
}

func (r *recorder) Handle(_ context.Context, u *models.Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates = append(r.updates, u)
}

func TestMessageUpdates(t *testing.T) {
	rec := &recorder{}
	session(t, "/start\nbiên giới\n/search@meetbot_bot biên giới\n/tìm x\n/\n🇻🇳 /start\n", Options{UserID: 42, UserName: "Lan"}, func(*Console) Handler { return rec })

	user := &models.User{ID: 42, FirstName: "Lan", LanguageCode: "vi"}
	chat := models.Chat{ID: 42, Type: models.ChatTypePrivate, FirstName: "Lan"}
	msg := func(id int, text string, ents ...models.MessageEntity) *models.Update {
		return &models.Update{ID: int64(id), Message: &models.Message{
			ID: id, From: user, Date: int(testNow.Unix()), Chat: chat, Text: text, Entities: ents,
		}}
	}
	cmdEnt := func(n int) models.MessageEntity {
		return models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Length: n}
	}
	want := []*models.Update{
		msg(1, "/start", cmdEnt(6)),
		msg(2, "biên giới"),
		msg(3, "/search@meetbot_bot biên giới", cmdEnt(19)),
		msg(4, "/tìm x", cmdEnt(2)), // Telegram's commands are ASCII
		msg(5, "/"),
		msg(6, "🇻🇳 /start"),
	}
	if diff := cmp.Diff(want, rec.updates); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
}

func TestCommandEntityUTF16(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int // entity length, 0 for none
	}{
		{"plain command", "/meetings", 9},
		{"with args", "/directives xin-man", 11},
		{"with bot name", "/start@meetbot_bot", 18},
		{"bare at", "/start@ x", 6},
		{"no command", "meetings", 0},
		{"slash only", "/", 0},
		{"non-ascii after slash", "/đ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ents := commandEntities(tt.in)
			got := 0
			if len(ents) == 1 {
				got = ents[0].Length
				if ents[0].Offset != 0 || ents[0].Type != models.MessageEntityTypeBotCommand {
					t.Errorf("entity = %+v", ents[0])
				}
			}
			if got != tt.want {
				t.Errorf("commandEntities(%q) length = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestGroupChat(t *testing.T) {
	rec := &recorder{}
	var c *Console
	session(t, "/directives\n", Options{ChatType: ChatSupergroup}, func(cc *Console) Handler { c = cc; return rec })
	want := models.Chat{ID: DefaultGroupChatID, Type: models.ChatTypeSupergroup, Title: DefaultGroupTitle}
	if diff := cmp.Diff(want, rec.updates[0].Message.Chat); diff != "" {
		t.Errorf("chat (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, c.Chat()); diff != "" {
		t.Errorf("Chat() (-want +got):\n%s", diff)
	}
	if rec.updates[0].Message.From.ID != DefaultUserID {
		t.Errorf("sender = %d, want %d", rec.updates[0].Message.From.ID, DefaultUserID)
	}
}

// echo is a fake bot that repeats each message, escaped, in HTML.
func echo(t *testing.T) func(c *Console) Handler {
	return func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			if u.Message == nil {
				return
			}
			if _, err := c.SendMessage(ctx, &bot.SendMessageParams{
				ChatID: u.Message.Chat.ID, Text: "<i>" + html.EscapeString(u.Message.Text) + "</i>", ParseMode: models.ParseModeHTML,
			}); err != nil {
				t.Errorf("SendMessage: %v", err)
			}
		})
	}
}

func TestRobustInput(t *testing.T) {
	long := strings.Repeat("biên giới 🇻🇳 ", 384)[:5000] // cut inside a rune on purpose
	tests := []struct {
		name, in, want string
	}{
		{"markup characters", `<b>&amp; "x" 'y' </b>`, `<b>&amp; "x" 'y' </b>`},
		{"emoji", "📅 🇻🇳 👍🏽", "📅 🇻🇳 👍🏽"},
		{"invalid utf-8", "a\xff\xfeb", "a\uFFFDb"},
		{"crlf", "xin chào\r", "xin chào"},
		{"long line", long, strings.ToValidUTF8(strings.TrimSpace(long), "\uFFFD")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := session(t, tt.in+"\n", Options{}, echo(t))
			if want := tt.want + "\n\n"; got != want {
				t.Errorf("echo of %q = %q, want %q", tt.in, got, want)
			}
		})
	}
}

func TestByteOrderMarkAndNoFinalNewline(t *testing.T) {
	got := session(t, "\uFEFFxin chào\nlần hai", Options{}, echo(t))
	if want := "xin chào\n\nlần hai\n\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLineTooLong(t *testing.T) {
	in := strings.Repeat("x", MaxLineBytes+10) + "\nsau đó\n"
	got := session(t, in, Options{}, echo(t))
	want := fmt.Sprintf("⚠ Dòng quá dài (tối đa %d byte), đã bỏ qua.\n\nsau đó\n\n", MaxLineBytes)
	if got != want {
		t.Errorf("got %.200q, want %q", got, want)
	}
}

func TestConsoleCommands(t *testing.T) {
	got := session(t, ":help\n:nope\n", Options{}, echo(t))
	if !strings.HasPrefix(got, helpText+"\n\n") {
		t.Errorf(":help printed %q", got)
	}
	if !strings.HasSuffix(got, "Lệnh console không rõ: :nope (gõ :help để xem danh sách).\n\n") {
		t.Errorf("unknown command printed %q", got)
	}
}

func TestConcurrentSends(t *testing.T) {
	const n = 20
	got := session(t, "go\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					kb := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "ok", CallbackData: "x"}}}}
					if _, err := c.SendMessage(ctx, &bot.SendMessageParams{
						ChatID: u.Message.Chat.ID, Text: fmt.Sprintf("<b>tin %d</b>\ndòng hai", i), ParseMode: models.ParseModeHTML, ReplyMarkup: kb,
					}); err != nil {
						t.Errorf("SendMessage: %v", err)
					}
				})
			}
			wg.Wait()
		})
	})
	blocks := strings.Split(strings.TrimSuffix(got, "\n\n"), "\n\n")
	if len(blocks) != n {
		t.Fatalf("got %d blocks, want %d:\n%s", len(blocks), n, got)
	}
	seen := map[string]bool{}
	for _, b := range blocks {
		var i int
		if _, err := fmt.Sscanf(b, "tin %d\ndòng hai\n  [1] ok", &i); err != nil || seen[b] {
			t.Errorf("garbled or repeated block %q", b)
		}
		seen[b] = true
	}
}

func TestHandlerPanic(t *testing.T) {
	got := session(t, "boom\nok\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			if u.Message.Text == "boom" {
				panic("nổ")
			}
			echo(t)(c).Handle(ctx, u)
		})
	})
	if want := "⚠ Lỗi trong handler (panic): nổ\n\nok\n\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestUnansweredCallback(t *testing.T) {
	got := session(t, "/x\n:press 1\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			if u.Message != nil {
				kb := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "A", CallbackData: "a"}}}}
				_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "x", ReplyMarkup: kb})
			}
		})
	})
	if want := "x\n  [1] A\n\n⚠ Nút bấm chưa được trả lời (thiếu answerCallbackQuery).\n\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTelegramRefusals(t *testing.T) {
	var errs []error
	got := session(t, "go\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			chat := u.Message.Chat.ID
			_, err := c.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "a<br>b", ParseMode: models.ParseModeHTML})
			errs = append(errs, err)
			_, err = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "x", ReplyMarkup: &models.InlineKeyboardMarkup{
				InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "dài", CallbackData: strings.Repeat("d", 65)}}},
			}})
			errs = append(errs, err)
			_, err = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "x", ReplyMarkup: &models.InlineKeyboardMarkup{
				InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "chữ"}}},
			}})
			errs = append(errs, err)
			_, err = c.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: chat, MessageID: 99, Text: "y"})
			errs = append(errs, err)
			m, err := c.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "<b>same</b>", ParseMode: models.ParseModeHTML})
			if err != nil {
				t.Fatalf("SendMessage: %v", err)
			}
			_, err = c.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: chat, MessageID: m.ID, Text: "same"})
			errs = append(errs, err)
			_, err = c.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: "nope"})
			errs = append(errs, err)
			_, err = c.AnswerInlineQuery(ctx, &bot.AnswerInlineQueryParams{InlineQueryID: "nope"})
			errs = append(errs, err)
		})
	})
	for i, err := range errs {
		if !errors.Is(err, bot.ErrorBadRequest) {
			t.Errorf("call %d: error = %v, want one wrapping bot.ErrorBadRequest", i, err)
		}
	}
	for _, want := range []string{
		"⚠ Telegram sẽ từ chối tin nhắn này: can't parse entities: Unsupported start tag \"br\" at byte offset 1\na<br>b\n\n",
		"BUTTON_DATA_INVALID",
		"text buttons are unallowed",
		"⚠ Telegram từ chối sửa tin nhắn 99: message to edit not found\n\n",
		"same\n\n⚠ Telegram từ chối trả lời nút bấm \"nope\"", // "not modified" prints nothing
		"⚠ Telegram từ chối kết quả inline",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(errs[4].Error(), "message is not modified") {
		t.Errorf("edit without change: %v", errs[4])
	}
}

func TestEditRemovesButtonsAndOtherChats(t *testing.T) {
	got := session(t, "/x\n:press 1\n:press 1\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			switch {
			case u.Message != nil:
				kb := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Xong", CallbackData: "done"}}}}
				_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Việc", ReplyMarkup: kb})
				_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-100777), Text: "Nhắc việc"})
			case u.CallbackQuery != nil:
				m := u.CallbackQuery.Message.Message
				_, _ = c.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "Đã xong", ShowAlert: true})
				_, _ = c.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: m.Chat.ID, MessageID: m.ID, Text: "Việc ✓"})
			}
		})
	})
	want := "Việc\n  [1] Xong\n\n" +
		"(gửi tới chat -100777)\nNhắc việc\n\n" +
		"[!] Đã xong\n\n" +
		"(đã cập nhật)\nViệc ✓\n\n" +
		"Không có nút số 1: không có tin nhắn nào đang có nút.\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestInlineMode(t *testing.T) {
	var inlineIDs []string
	got := session(t, ":inline biên giới\n:more\n:more\n:pick 3\n:pick 1\n:press 1\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			switch {
			case u.InlineQuery != nil:
				q := u.InlineQuery
				if q.ChatType != "sender" {
					t.Errorf("chat_type = %q, want sender", q.ChatType)
				}
				next := ""
				if q.Offset == "" {
					next = "2"
				}
				kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Chi tiết", CallbackData: "d:1"}}}}
				_, err := c.AnswerInlineQuery(ctx, &bot.AnswerInlineQueryParams{
					InlineQueryID: q.ID, NextOffset: next,
					Results: []models.InlineQueryResult{&models.InlineQueryResultArticle{
						ID: "1" + q.Offset, Title: "15/CT-UBND (" + q.Query + ")", Description: "Tuần tra\nbiên giới",
						InputMessageContent: &models.InputTextMessageContent{MessageText: "<b>15/CT-UBND</b> tuần tra", ParseMode: models.ParseModeHTML},
						ReplyMarkup:         kb,
					}},
				})
				if err != nil {
					t.Errorf("AnswerInlineQuery: %v", err)
				}
			case u.CallbackQuery != nil:
				cq := u.CallbackQuery
				inlineIDs = append(inlineIDs, cq.InlineMessageID)
				if cq.Message.Message != nil {
					t.Errorf("callback from an inline message carries a message")
				}
				_, _ = c.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID})
				if _, err := c.EditMessageText(ctx, &bot.EditMessageTextParams{InlineMessageID: cq.InlineMessageID, Text: "<b>15/CT-UBND</b>: chi tiết", ParseMode: models.ParseModeHTML}); err != nil {
					t.Errorf("EditMessageText: %v", err)
				}
			}
		})
	})
	want := `Kết quả inline cho "biên giới" (1):
  1. 15/CT-UBND (biên giới) — Tuần tra biên giới
(còn nữa: :more)
(:pick N để gửi kết quả N vào chat)

Kết quả inline cho "biên giới" (1):
  1. 15/CT-UBND (biên giới) — Tuần tra biên giới
(:pick N để gửi kết quả N vào chat)

Không còn kết quả inline nào nữa.

Không có kết quả inline số 3.

(bạn gửi qua @meetbot_bot)
15/CT-UBND tuần tra
  [1] Chi tiết

(đã cập nhật)
15/CT-UBND: chi tiết

`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"im-1"}, inlineIDs); diff != "" {
		t.Errorf("inline message ids (-want +got):\n%s", diff)
	}
}

func TestOtherButtons(t *testing.T) {
	rec := &recorder{}
	got := session(t, "/x\n:press 2\n:press 3\n:press 1\n:press 1\n", Options{}, func(c *Console) Handler {
		return handlerFunc(func(ctx context.Context, u *models.Update) {
			rec.Handle(ctx, u)
			if u.Message != nil && u.Message.Text == "/x" {
				kb := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
					{Text: "Tìm", SwitchInlineQueryCurrentChat: "xin-man"},
					{Text: "Chia sẻ", SwitchInlineQuery: "15/CT"},
					{Text: "Sao chép", CopyText: models.CopyTextButton{Text: "15/CT-UBND"}},
				}}}
				_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "x", ReplyMarkup: kb})
			}
			if u.InlineQuery != nil {
				_, _ = c.AnswerInlineQuery(ctx, &bot.AnswerInlineQueryParams{InlineQueryID: u.InlineQuery.ID})
				_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: c.Chat().ID, Text: "Chọn", ReplyMarkup: &models.ReplyKeyboardMarkup{
					Keyboard: [][]models.KeyboardButton{{{Text: "/meetings"}}},
				}})
			}
		})
	})
	want := "x\n  [1] Tìm\n  [2] Chia sẻ\n  [3] Sao chép\n\n" +
		"Nút này chọn một chat khác rồi gõ @meetbot_bot 15/CT; ở đây dùng :inline 15/CT\n\n" +
		"Đã sao chép: 15/CT-UBND\n\n" +
		"(inline: @meetbot_bot xin-man)\n\n" +
		"Không có kết quả inline cho \"xin-man\".\n\n" +
		"Chọn\n  [1] /meetings\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The last press sent the reply button's text as a message.
	last := rec.updates[len(rec.updates)-1]
	if last.Message == nil || last.Message.Text != "/meetings" || len(last.Message.Entities) != 1 {
		t.Errorf("reply button press gave update %+v, want the message /meetings with its command entity", last)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	pr, pw := io.Pipe() // input that never ends
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	c := New(pr, &out, Options{})
	go func() {
		_, _ = io.WriteString(pw, "first\n")
	}()
	h := handlerFunc(func(context.Context, *models.Update) { cancel() })
	if err := c.Run(ctx, h); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRunReadError(t *testing.T) {
	c := New(failingReader{}, io.Discard, Options{})
	err := c.Run(context.Background(), &recorder{})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Run = %v, want the read error", err)
	}
}

func TestSenderHonoursContext(t *testing.T) {
	c := New(strings.NewReader(""), io.Discard, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.SendMessage(ctx, &bot.SendMessageParams{ChatID: c.Chat().ID, Text: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("SendMessage with a cancelled context = %v", err)
	}
}

func TestParseChat(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"", "", false},
		{"private", "", false},
		{"unit:xin-man", "xin-man", false},
		{" unit: meo-vac ", "meo-vac", false},
		{"unit:", "", true},
		{"group", "", true},
	}
	for _, tt := range tests {
		got, err := ParseChat(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseChat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestUnitChat(t *testing.T) {
	units := []store.Unit{{ID: 7, Code: "xin-man", Name: "Huyện Xín Mần"}}
	uc := UnitChat{ChatID: DefaultGroupChatID, Units: units}
	got, err := uc.UnitsForChat(context.Background(), DefaultGroupChatID, 0)
	if err != nil || len(got) != 1 || got[0].Code != "xin-man" {
		t.Errorf("UnitsForChat(bound chat) = %v, %v", got, err)
	}
	if got, err := uc.UnitsForChat(context.Background(), 42, 0); err != nil || len(got) != 0 {
		t.Errorf("UnitsForChat(other chat) = %v, %v; want none", got, err)
	}
}

func TestLongCallbackAnswer(t *testing.T) {
	tests := []struct {
		name, text string
		warn       bool
	}{
		{name: "200 letters", text: strings.Repeat("ă", 200)},
		{name: "100 emoji are 200 units", text: strings.Repeat("😀", 100)},
		{name: "101 emoji are 202 units", text: strings.Repeat("😀", 101), warn: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := session(t, "/x\n:press 1\n", Options{}, func(c *Console) Handler {
				return handlerFunc(func(ctx context.Context, u *models.Update) {
					if u.Message != nil {
						kb := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "A", CallbackData: "a"}}}}
						_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "x", ReplyMarkup: kb})
						return
					}
					_, _ = c.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: tt.text})
				})
			})
			if warned := strings.Contains(got, "⚠ Thông báo dài"); warned != tt.warn {
				t.Errorf("warned = %v, want %v:\n%s", warned, tt.warn, got)
			}
		})
	}
}
