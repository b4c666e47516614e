package telegramtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"meetbot/bot/telegramtest"
)

func TestChatStates(t *testing.T) {
	tests := []struct {
		name   string
		opts   telegramtest.Options
		setup  func(s *telegramtest.Server)
		params bot.SendMessageParams
		want   string // error suffix, "" for success
	}{
		{
			name:   "strict: unknown chat",
			opts:   telegramtest.Options{StrictChats: true},
			params: bot.SendMessageParams{ChatID: -1009, Text: "x"},
			want:   "Bad Request: chat not found",
		},
		{
			name:   "strict: registered chat",
			opts:   telegramtest.Options{StrictChats: true},
			setup:  func(s *telegramtest.Server) { s.Group(-1009, "Ban Dân vận") },
			params: bot.SendMessageParams{ChatID: -1009, Text: "x"},
		},
		{
			name:   "closed topic",
			setup:  func(s *telegramtest.Server) { s.Forum(-1010, "Diễn đàn"); s.CloseTopic(-1010, 5) },
			params: bot.SendMessageParams{ChatID: -1010, MessageThreadID: 5, Text: "x"},
			want:   "Bad Request: TOPIC_CLOSED",
		},
		{
			name:   "open topic",
			setup:  func(s *telegramtest.Server) { s.Forum(-1010, "Diễn đàn"); s.CloseTopic(-1010, 5) },
			params: bot.SendMessageParams{ChatID: -1010, MessageThreadID: 6, Text: "x"},
		},
		{
			name: "bot left the group",
			setup: func(s *telegramtest.Server) {
				s.ChangeMembership(telegramtest.Group(-1011, "Nhóm"), s.User(1, "A"), "member", "left")
			},
			params: bot.SendMessageParams{ChatID: -1011, Text: "x"},
			want:   "Forbidden: bot is not a member of the supergroup chat",
		},
		{
			name: "kicked from a basic group",
			setup: func(s *telegramtest.Server) {
				u := s.User(1, "A")
				s.SendText(models.Chat{ID: -12, Type: models.ChatTypeGroup, Title: "Tổ"}, u, "chào")
				s.Kick(-12)
			},
			params: bot.SendMessageParams{ChatID: -12, Text: "x"},
			want:   "Forbidden: bot was kicked from the group chat",
		},
		{
			name: "user blocked the bot in a private chat",
			setup: func(s *telegramtest.Server) {
				u := s.User(33, "B")
				s.ChangeMembership(s.PrivateChat(u), u, "member", "kicked")
			},
			params: bot.SendMessageParams{ChatID: 33, Text: "x"},
			want:   "Forbidden: bot was blocked by the user",
		},
		{
			name: "channel by username",
			setup: func(s *telegramtest.Server) {
				s.PushUpdate(models.Update{ChannelPost: &models.Message{ID: 1, Chat: models.Chat{ID: -100999, Type: models.ChatTypeChannel, Username: "ubnd_hagiang"}}})
			},
			params: bot.SendMessageParams{ChatID: "@ubnd_hagiang", Text: "x"},
		},
		{
			name:   "unknown username",
			params: bot.SendMessageParams{ChatID: "@nobody", Text: "x"},
			want:   "Bad Request: chat not found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := newFake(t, tt.opts)
			if tt.setup != nil {
				tt.setup(s)
			}
			_, err := b.SendMessage(testContext(t), &tt.params)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("SendMessage: %v", err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("SendMessage error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestUsernameResolvedInLog(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	s.PushUpdate(models.Update{ChannelPost: &models.Message{ID: 1, Chat: models.Chat{ID: -100999, Type: models.ChatTypeChannel, Username: "ubnd_hagiang"}}})
	if _, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: "@ubnd_hagiang", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if got := s.RequestsTo(-100999); len(got) != 1 || len(s.Messages(-100999)) != 1 {
		t.Errorf("RequestsTo = %+v, Messages = %+v", got, s.Messages(-100999))
	}
}

func TestOtherMethods(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 5, Text: "Trang 1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 5, MessageID: sent.ID, ReplyMarkup: keyboard("p:2")}); err != nil {
		t.Fatalf("EditMessageReplyMarkup: %v", err)
	}
	if m := s.Messages(5)[0]; !cmp.Equal(m.Markup, keyboard("p:2")) || m.Edits != 1 {
		t.Errorf("after markup edit: %+v", m)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 5, MessageID: sent.ID, ReplyMarkup: keyboard("p:2")}); err == nil ||
		!strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("same markup: %v", err)
	}
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: 5, Action: models.ChatActionTyping}); err != nil {
		t.Errorf("SendChatAction: %v", err)
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: 5, MessageID: sent.ID}); err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	if got := s.Messages(5); len(got) != 0 {
		t.Errorf("Messages after delete = %+v", got)
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: 5, MessageID: sent.ID}); err == nil ||
		!strings.HasSuffix(err.Error(), "Bad Request: message to delete not found") {
		t.Errorf("second delete: %v", err)
	}
	cmds := []models.BotCommand{{Command: "lich", Description: "Lịch họp"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds, Scope: &models.BotCommandScopeAllPrivateChats{}}); err != nil {
		t.Fatal(err)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{Scope: &models.BotCommandScopeAllPrivateChats{}})
	if err != nil || !cmp.Equal(got, cmds) {
		t.Errorf("GetMyCommands = %+v, %v", got, err)
	}

	// GET with query parameters, as curl users do.
	resp, err := http.Get(s.URL() + "/bot" + token + "/sendMessage?chat_id=6&text=" + "xin%20ch%C3%A0o")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if m := s.Messages(6); resp.StatusCode != http.StatusOK || len(m) != 1 || m[0].Text != "xin chào" {
		t.Errorf("GET sendMessage: %d, %+v", resp.StatusCode, m)
	}
}
