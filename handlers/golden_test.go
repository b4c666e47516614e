package handlers

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// formatCalls renders Sender calls for a golden file: the method and its
// target, the HTML text as sent, and the keyboard as "[label → data]".
func formatCalls(calls []sent) string {
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "=== %s", c.Method)
		switch c.Method {
		case "SendMessage":
			fmt.Fprintf(&b, " chat=%v thread=%d parse_mode=%s\n%s\n", c.ChatID, c.Thread, c.ParseMode, c.Text)
		case "EditMessageText":
			fmt.Fprintf(&b, " chat=%v message=%d parse_mode=%s\n%s\n", c.ChatID, c.MessageID, c.ParseMode, c.Text)
		case "AnswerCallbackQuery":
			fmt.Fprintf(&b, " id=%s text=%q alert=%v\n", c.QueryID, c.Notice, c.Alert)
		case "AnswerInlineQuery":
			p := c.Inline
			fmt.Fprintf(&b, " id=%s cache_time=%d is_personal=%v next_offset=%q results=%d\n", p.InlineQueryID, p.CacheTime, p.IsPersonal, p.NextOffset, len(p.Results))
			for _, r := range p.Results {
				a := r.(*models.InlineQueryResultArticle)
				content := a.InputMessageContent.(*models.InputTextMessageContent)
				fmt.Fprintf(&b, "--- article %s: %s | %s\n%s\n", a.ID, a.Title, a.Description, content.MessageText)
				if kb, ok := a.ReplyMarkup.(*models.InlineKeyboardMarkup); ok {
					writeKeyboard(&b, kb)
				}
			}
		}
		writeKeyboard(&b, c.Keyboard)
	}
	return b.String()
}

func writeKeyboard(b *strings.Builder, kb *models.InlineKeyboardMarkup) {
	if kb == nil {
		return
	}
	b.WriteString("--- keyboard\n")
	for _, row := range kb.InlineKeyboard {
		for i, btn := range row {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(b, "[%s → %s%s]", btn.Text, btn.CallbackData, btn.URL)
		}
		b.WriteString("\n")
	}
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handlers -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./handlers -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestGolden renders the main replies over the seed data, on the fixed
// day 10/05/2024, and compares them with testdata/*.golden. Every call is
// also checked by fakeSender (valid HTML, lengths, callback data).
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		chat int64
		text string // a message, or
		data string // a button press, or
		inl  *[2]string
		cfg  Config
	}{
		{name: "help", chat: privateChat, text: "/help"},
		{name: "start", chat: privateChat, text: "/start"},
		{name: "meetings", chat: privateChat, text: "/meetings"},
		{name: "meetings_month", chat: privateChat, text: "/meetings 04/2024"},
		{name: "meetings_upcoming_paged", chat: privateChat, text: "/meetings sap toi", cfg: Config{PageSize: 1}},
		{name: "meeting_detail", chat: privateChat, text: "/meeting 1"},
		{name: "directives_unit", chat: privateChat, text: "/directives xin-man"},
		{name: "directives_overdue", chat: privateChat, text: "/directives quá hạn"},
		{name: "directives_ambiguous", chat: privateChat, text: "/directives huyen uy"},
		{name: "directives_bound_chat", chat: boundChat, text: "/directives@MeetBot"},
		{name: "directive_detail", chat: privateChat, text: "/directive 3"},
		{name: "directive_long", chat: privateChat, text: "/directive 15/CT-UBND"},
		{name: "overdue", chat: privateChat, text: "/overdue"},
		{name: "deadlines", chat: privateChat, text: "/deadlines"},
		{name: "deadlines_30", chat: privateChat, text: "/deadlines 30 ngày"},
		{name: "units", chat: privateChat, text: "/units"},
		{name: "programs", chat: privateChat, text: "/programs"},
		{name: "program_detail", chat: privateChat, text: "/program 1"},
		{name: "search", chat: privateChat, text: "/search bien gioi"},
		{name: "search_plain_text", chat: privateChat, text: "Xuân Biên phòng"},
		{name: "error_not_found", chat: privateChat, text: "/directive 999"},
		{name: "error_unknown_command", chat: privateChat, text: "/directivs"},
		{name: "error_bad_month", chat: privateChat, text: "/meetings 13/2024"},
		{name: "error_missing_argument", chat: privateChat, text: "/meeting"},
		{name: "error_escaped_input", chat: privateChat, text: "/directives <b>x</b> & _y_ 🙈"},
		{name: "button_next_page", chat: privateChat, data: "1:dl:p2", cfg: Config{PageSize: 3}},
		{name: "button_expired", chat: privateChat, data: "1:d:i999"},
		{name: "inline_empty", inl: &[2]string{"", ""}},
		{name: "inline_search", inl: &[2]string{"hop tac", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, tt.cfg)
			switch {
			case tt.inl != nil:
				hs.inline(tt.inl[0], tt.inl[1])
			case tt.data != "":
				hs.press(tt.chat, tt.data)
			default:
				hs.say(tt.chat, tt.text)
			}
			if len(hs.sender.calls) == 0 {
				t.Fatal("no reply")
			}
			golden(t, tt.name, formatCalls(hs.sender.calls))
		})
	}
}
