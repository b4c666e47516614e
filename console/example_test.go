package console_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/console"
)

// greeter stands in for *handlers.Handlers: it answers any message with
// a list page, and the "next" button by editing it.
type greeter struct{ send *console.Console }

func (g greeter) Handle(ctx context.Context, u *models.Update) {
	kb := func(page int) *models.InlineKeyboardMarkup {
		return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: fmt.Sprintf("Trang %d/2", page), CallbackData: "noop"},
			{Text: "Sau ›", CallbackData: "page:2"},
		}}}
	}
	switch {
	case u.Message != nil:
		_, _ = g.send.SendMessage(ctx, &bot.SendMessageParams{
			ChatID:      u.Message.Chat.ID,
			Text:        "<b>Chỉ đạo</b> của <i>Xín Mần</i>\n1. Tuần tra &amp; kiểm soát biên giới\nNguồn: <a href=\"https://example.vn/15\">15/CT-UBND</a>",
			ParseMode:   models.ParseModeHTML,
			ReplyMarkup: kb(1),
		})
	case u.CallbackQuery != nil:
		m := u.CallbackQuery.Message.Message
		_, _ = g.send.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "Trang 2"})
		_, _ = g.send.EditMessageText(ctx, &bot.EditMessageTextParams{
			ChatID: m.Chat.ID, MessageID: m.ID, ParseMode: models.ParseModeHTML,
			Text: "<b>Chỉ đạo</b> của <i>Xín Mần</i>\n2. Báo cáo &lt;trước 30/6&gt;",
		})
	}
}

func Example() {
	in := strings.NewReader("/directives xin-man\n:press 2\n:press 5\n")
	con := console.New(in, os.Stdout, console.Options{
		Echo: true, // input is not a terminal: show what was typed
		Now:  func() time.Time { return time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC) },
	})
	if err := con.Run(context.Background(), greeter{con}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// > /directives xin-man
	// Chỉ đạo của Xín Mần
	// 1. Tuần tra & kiểm soát biên giới
	// Nguồn: 15/CT-UBND (https://example.vn/15)
	//   [1] Trang 1/2
	//   [2] Sau ›
	//
	// > :press 2
	// » Trang 2
	//
	// (đã cập nhật)
	// Chỉ đạo của Xín Mần
	// 2. Báo cáo <trước 30/6>
	//
	// > :press 5
	// Không có nút số 5: không có tin nhắn nào đang có nút.
	//
}
