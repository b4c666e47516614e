package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"meetbot/bot/telegramtest"
)

// getUpdates calls getUpdates with JSON, as a hand-written poller would.
func getUpdates(t *testing.T, ctx context.Context, s *telegramtest.Server, params map[string]any) []models.Update {
	t.Helper()
	status, env := rawCall(t, ctx, s.URL(), token, "getUpdates", params)
	if status != http.StatusOK {
		t.Fatalf("getUpdates: %d %s", status, env.Description)
	}
	var ups []models.Update
	if err := json.Unmarshal(env.Result, &ups); err != nil {
		t.Fatalf("decode updates %s: %v", env.Result, err)
	}
	return ups
}

func TestGetUpdatesLongPoll(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token, LongPoll: time.Minute, RecordGetUpdates: true})
	t.Cleanup(s.Close)
	s.Start()
	ctx := testContext(t)

	type answer struct {
		env envelope
		err error
	}
	got := make(chan answer, 1)
	go func() {
		_, env, err := post(ctx, s.URL(), token, "getUpdates", map[string]any{"timeout": 30})
		got <- answer{env, err}
	}()
	// The poll is recorded on arrival, then blocks with nothing queued.
	if err := s.Wait(ctx, func() bool { return len(s.Requests()) == 1 }); err != nil {
		t.Fatalf("poll never arrived: %v", err)
	}
	user := s.User(42, "Lan")
	id := s.SendText(s.PrivateChat(user), user, "/start")

	a := <-got
	if a.err != nil {
		t.Fatal(a.err)
	}
	var ups []models.Update
	if err := json.Unmarshal(a.env.Result, &ups); err != nil {
		t.Fatalf("decode %s: %v", a.env.Result, err)
	}
	if len(ups) != 1 || ups[0].ID != id || ups[0].Message == nil || ups[0].Message.Text != "/start" {
		t.Fatalf("long poll returned %+v", ups)
	}
	if s.Pending() != 1 {
		t.Errorf("Pending = %d before confirmation, want 1", s.Pending())
	}
	// The next offset confirms it.
	ups = getUpdates(t, ctx, s, map[string]any{"offset": id + 1})
	if len(ups) != 0 || s.Pending() != 0 {
		t.Errorf("after confirming: updates %+v, Pending %d", ups, s.Pending())
	}
}

func TestGetUpdatesSelection(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token})
	t.Cleanup(s.Close)
	s.Start()
	ctx := testContext(t)
	user := s.User(42, "Lan")
	chat := s.PrivateChat(user)
	msg := s.SendText(chat, user, "xin chào")
	cb, _ := s.PressButton(chat, user, 1, "m:1")
	member := s.ChangeMembership(chat, user, "member", "kicked")

	ids := func(ups []models.Update) []int64 {
		var out []int64
		for _, u := range ups {
			out = append(out, u.ID)
		}
		return out
	}
	if got := ids(getUpdates(t, ctx, s, map[string]any{"limit": 2})); !cmp.Equal(got, []int64{msg, cb}) {
		t.Errorf("limit 2 = %v, want %v", got, []int64{msg, cb})
	}
	if got := ids(getUpdates(t, ctx, s, map[string]any{"offset": cb})); !cmp.Equal(got, []int64{cb, member}) {
		t.Errorf("offset %d = %v", cb, got)
	}
	if s.Pending() != 2 {
		t.Errorf("Pending = %d, want 2 (the message was confirmed)", s.Pending())
	}
	// allowed_updates drops what the bot did not ask for, and is remembered.
	if got := ids(getUpdates(t, ctx, s, map[string]any{"allowed_updates": []string{"my_chat_member"}})); !cmp.Equal(got, []int64{member}) {
		t.Errorf("allowed my_chat_member = %v", got)
	}
	s.SendText(chat, user, "lọc")
	if got := getUpdates(t, ctx, s, map[string]any{"offset": member + 1}); len(got) != 0 {
		t.Errorf("a message came through allowed_updates [my_chat_member]: %+v", got)
	}
}

func TestGetUpdatesNegativeOffset(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token})
	t.Cleanup(s.Close)
	s.Start()
	user := s.User(42, "Lan")
	var last int64
	for range 5 {
		last = s.SendText(s.PrivateChat(user), user, "x")
	}
	ups := getUpdates(t, testContext(t), s, map[string]any{"offset": -2})
	if len(ups) != 2 || ups[1].ID != last || s.Pending() != 2 {
		t.Errorf("offset -2 gave %d updates (last %d), Pending %d", len(ups), ups[len(ups)-1].ID, s.Pending())
	}
}

func TestGetUpdatesConflict(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token, LongPoll: time.Minute, RecordGetUpdates: true})
	t.Cleanup(s.Close)
	s.Start()
	ctx := testContext(t)
	first := make(chan envelope, 1)
	go func() {
		_, env, err := post(ctx, s.URL(), token, "getUpdates", map[string]any{"timeout": 30})
		if err != nil {
			env.Description = err.Error()
		}
		first <- env
	}()
	if err := s.Wait(ctx, func() bool { return len(s.Requests()) == 1 }); err != nil {
		t.Fatal(err)
	}
	if status, env := rawCall(t, ctx, s.URL(), token, "getUpdates", map[string]any{"timeout": 0}); status != http.StatusOK {
		t.Errorf("second poll = %d %+v", status, env)
	}
	env := <-first
	if env.ErrorCode != http.StatusConflict || !strings.Contains(env.Description, "terminated by other getUpdates request") {
		t.Errorf("first poll = %+v, want 409", env)
	}
}

func TestBotReceivesUpdates(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx, cancel := context.WithCancel(testContext(t))
	got := make(chan *models.Update, 10)
	b.RegisterHandler(bot.HandlerTypeMessageText, "", bot.MatchTypePrefix, func(_ context.Context, _ *bot.Bot, u *models.Update) {
		got <- u
	})
	var wg sync.WaitGroup
	wg.Go(func() { b.Start(ctx) })
	defer func() {
		cancel()
		wg.Wait()
	}()

	group := s.Group(-1001, "Xã Lũng Cú")
	user := s.User(7, "Minh")
	s.SendText(group, user, "/lich@meetbot_test_bot hôm nay")
	u := <-got
	want := []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 22}}
	if diff := cmp.Diff(want, u.Message.Entities); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	if u.Message.Chat.ID != group.ID || u.Message.From.ID != user.ID {
		t.Errorf("message = %+v", u.Message)
	}
	// The bot confirms it with its next getUpdates.
	if err := s.Wait(ctx, func() bool { return s.Pending() == 0 }); err != nil {
		t.Fatalf("update never confirmed: %v", err)
	}
}

func TestSendTextCommandEntities(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []models.MessageEntity // bot_command entities: offset, length
	}{
		{name: "command alone", text: "/start", want: []models.MessageEntity{{Offset: 0, Length: 6}}},
		{name: "addressed to the bot", text: "/start@meetbot_test_bot abc", want: []models.MessageEntity{{Offset: 0, Length: 23}}},
		{name: "after Vietnamese text", text: "Xin chào /help", want: []models.MessageEntity{{Offset: 9, Length: 5}}},
		{name: "after an emoji", text: "😀 /help", want: []models.MessageEntity{{Offset: 3, Length: 5}}},
		{name: "two commands", text: "/a và /b_2", want: []models.MessageEntity{{Offset: 0, Length: 2}, {Offset: 6, Length: 4}}},
		{name: "inside a word", text: "15/CT-UBND"},
		{name: "path", text: "a/b"},
		{name: "bot name too short", text: "/help@ab"},
		{name: "followed by a letter", text: "/lịch"},
		{name: "followed by punctuation", text: "/lich, /vb.", want: []models.MessageEntity{{Offset: 0, Length: 5}, {Offset: 7, Length: 3}}},
	}
	s := telegramtest.New(telegramtest.Options{Token: token})
	t.Cleanup(s.Close)
	s.Start()
	ctx := testContext(t)
	user := s.User(42, "Lan")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := s.SendText(s.PrivateChat(user), user, tt.text)
			ups := getUpdates(t, ctx, s, map[string]any{"offset": id})
			if len(ups) != 1 {
				t.Fatalf("got %d updates", len(ups))
			}
			for i := range tt.want {
				tt.want[i].Type = models.MessageEntityTypeBotCommand
			}
			if diff := cmp.Diff(tt.want, ups[0].Message.Entities); diff != "" {
				t.Errorf("entities of %q (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestSendTextOptions(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	forum := s.Forum(-1002, "Huyện Mèo Vạc")
	user := s.User(7, "Minh")
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: forum.ID, MessageThreadID: 3, Text: "Trả lời tin này", ReplyMarkup: &models.ForceReply{ForceReply: true}})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	id := s.SendText(forum, user, "đồng ý", telegramtest.InThread(3), telegramtest.ReplyTo(sent.ID))
	ups := getUpdates(t, ctx, s, map[string]any{"offset": id})
	m := ups[0].Message
	if m.ID != sent.ID+1 || m.MessageThreadID != 3 || !m.IsTopicMessage || m.ReplyToMessage == nil ||
		m.ReplyToMessage.ID != sent.ID || m.ReplyToMessage.Text != "Trả lời tin này" || m.ReplyToMessage.From == nil || !m.ReplyToMessage.From.IsBot {
		t.Errorf("message = %+v, reply to %+v", m, m.ReplyToMessage)
	}
}

func TestCallbackQuery(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	user := s.User(42, "Lan")
	chat := s.PrivateChat(user)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat.ID, Text: "Chọn", ReplyMarkup: keyboard("d:15")})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	updateID, cbID := s.PressButton(chat, user, sent.ID, "d:15")
	ups := getUpdates(t, ctx, s, map[string]any{"offset": updateID})
	cq := ups[0].CallbackQuery
	if cq == nil || cq.ID != cbID || cq.Data != "d:15" || cq.From.ID != user.ID ||
		cq.Message.Message == nil || cq.Message.Message.ID != sent.ID || cq.Message.Message.ReplyMarkup == nil {
		t.Fatalf("callback query = %+v", cq)
	}
	_, oldID := s.PressButton(chat, user, 999, "old")
	ups = getUpdates(t, ctx, s, map[string]any{"offset": updateID + 1})
	if m := ups[0].CallbackQuery.Message; m.Type != models.MaybeInaccessibleMessageTypeInaccessibleMessage || m.InaccessibleMessage.MessageID != 999 {
		t.Errorf("unknown message = %+v", m)
	}

	tests := []struct {
		name   string
		params bot.AnswerCallbackQueryParams
		want   string // error suffix, "" for success
	}{
		{name: "text too long", params: bot.AnswerCallbackQueryParams{CallbackQueryID: cbID, Text: strings.Repeat("á", 201)}, want: "Bad Request: MESSAGE_TOO_LONG"},
		{name: "answer", params: bot.AnswerCallbackQueryParams{CallbackQueryID: cbID, Text: "Đã ghi nhận", ShowAlert: true}},
		{name: "answer twice", params: bot.AnswerCallbackQueryParams{CallbackQueryID: cbID}, want: "Bad Request: query is too old and response timeout expired or query ID is invalid"},
		{name: "unknown id", params: bot.AnswerCallbackQueryParams{CallbackQueryID: "nope"}, want: "Bad Request: query is too old and response timeout expired or query ID is invalid"},
		{name: "expired button", params: bot.AnswerCallbackQueryParams{CallbackQueryID: oldID, Text: "Nút đã hết hạn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.AnswerCallbackQuery(ctx, &tt.params)
			if tt.want == "" {
				if err != nil {
					t.Errorf("AnswerCallbackQuery: %v", err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("AnswerCallbackQuery error = %v, want %q", err, tt.want)
			}
		})
	}
	want := []telegramtest.CallbackAnswer{
		{QueryID: cbID, Text: "Đã ghi nhận", ShowAlert: true},
		{QueryID: oldID, Text: "Nút đã hết hạn"},
	}
	if diff := cmp.Diff(want, s.CallbackAnswers()); diff != "" {
		t.Errorf("CallbackAnswers (-want +got):\n%s", diff)
	}
}

func articles(n int, text string) []models.InlineQueryResult {
	var rs []models.InlineQueryResult
	for i := range n {
		rs = append(rs, &models.InlineQueryResultArticle{
			ID:                  "d" + string(rune('a'+i%26)) + strings.Repeat("x", i/26),
			Title:               "Chỉ thị",
			InputMessageContent: &models.InputTextMessageContent{MessageText: text, ParseMode: models.ParseModeHTML},
		})
	}
	return rs
}

func TestAnswerInlineQuery(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	user := s.User(42, "Lan")
	tests := []struct {
		name   string
		params bot.AnswerInlineQueryParams
		want   string
	}{
		{name: "51 results", params: bot.AnswerInlineQueryParams{Results: articles(51, "x")}, want: "Bad Request: RESULTS_TOO_MUCH"},
		{name: "long next offset", params: bot.AnswerInlineQueryParams{Results: articles(1, "x"), NextOffset: strings.Repeat("9", 65)}, want: "Bad Request: NEXT_OFFSET_INVALID"},
		{name: "long result id", params: bot.AnswerInlineQueryParams{Results: []models.InlineQueryResult{&models.InlineQueryResultArticle{
			ID: strings.Repeat("i", 65), Title: "t", InputMessageContent: &models.InputTextMessageContent{MessageText: "x"},
		}}}, want: "Bad Request: RESULT_ID_INVALID"},
		{name: "duplicate ids", params: bot.AnswerInlineQueryParams{Results: append(articles(1, "x"), articles(1, "y")...)}, want: "Bad Request: RESULT_ID_DUPLICATE"},
		{name: "bad HTML in content", params: bot.AnswerInlineQueryParams{Results: articles(1, "<b>x")}, want: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "50 results", params: bot.AnswerInlineQueryParams{Results: articles(50, "<b>15/CT-UBND</b>"), NextOffset: "50", IsPersonal: true, CacheTime: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, qid := s.InlineQuery(user, "15/CT", "")
			tt.params.InlineQueryID = qid
			_, err := b.AnswerInlineQuery(ctx, &tt.params)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("AnswerInlineQuery: %v", err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("AnswerInlineQuery error = %v, want %q", err, tt.want)
			}
		})
	}
	answers := s.InlineAnswers()
	if len(answers) != 1 {
		t.Fatalf("InlineAnswers = %d, want 1", len(answers))
	}
	a := answers[0]
	if len(a.Results) != 50 || a.NextOffset != "50" || !a.IsPersonal || a.CacheTime != 5 {
		t.Errorf("answer = %+v", a)
	}
	if r := a.Results[0]; r.Type != "article" || r.ID != "da" || r.Title != "Chỉ thị" || r.Plain != "15/CT-UBND" || r.ParseMode != "HTML" {
		t.Errorf("first result = %+v", r)
	}
	if _, err := b.AnswerInlineQuery(ctx, &bot.AnswerInlineQueryParams{InlineQueryID: a.QueryID, Results: articles(1, "x")}); err == nil {
		t.Errorf("a query answered twice was accepted")
	}
}

func TestInlineQueryDefaultCacheTime(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	_, qid := s.InlineQuery(s.User(1, "A"), "", "")
	if _, err := b.AnswerInlineQuery(testContext(t), &bot.AnswerInlineQueryParams{InlineQueryID: qid, Results: articles(0, "")}); err != nil {
		t.Fatalf("AnswerInlineQuery: %v", err)
	}
	if a := s.InlineAnswers()[0]; a.CacheTime != 300 || len(a.Results) != 0 {
		t.Errorf("answer = %+v, want cache_time 300 and no results", a)
	}
}

func TestEditMessageText(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 5, Text: "<b>Trang 1</b>", ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard("p:2")})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	tests := []struct {
		name   string
		params bot.EditMessageTextParams
		want   string
	}{
		{name: "same text and markup", params: bot.EditMessageTextParams{ChatID: 5, MessageID: sent.ID, Text: "<strong>Trang 1</strong>", ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard("p:2")},
			want: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"},
		{name: "unknown message", params: bot.EditMessageTextParams{ChatID: 5, MessageID: 99, Text: "x"}, want: "Bad Request: message to edit not found"},
		{name: "bad HTML", params: bot.EditMessageTextParams{ChatID: 5, MessageID: sent.ID, Text: "<b>x", ParseMode: models.ParseModeHTML}, want: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "new text and markup", params: bot.EditMessageTextParams{ChatID: 5, MessageID: sent.ID, Text: "<b>Trang 2</b>", ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard("p:1", "p:3")}},
		{name: "same text, keyboard removed", params: bot.EditMessageTextParams{ChatID: 5, MessageID: sent.ID, Text: "<b>Trang 2</b>", ParseMode: models.ParseModeHTML}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.EditMessageText(ctx, &tt.params)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("EditMessageText: %v", err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("EditMessageText error = %v, want %q", err, tt.want)
			}
		})
	}
	m := s.Messages(5)[0]
	if m.Plain != "Trang 2" || m.Markup != nil || m.Edits != 2 || m.EditDate.IsZero() {
		t.Errorf("edited message = %+v", m)
	}
}

func TestSetMyCommands(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	cmds := []models.BotCommand{{Command: "lich", Description: "Lịch họp hôm nay"}, {Command: "vb", Description: "Tìm văn bản"}}
	calls := []bot.SetMyCommandsParams{
		{Commands: cmds},
		{Commands: cmds[:1], Scope: &models.BotCommandScopeAllGroupChats{}, LanguageCode: "vi"},
		{Commands: cmds[1:], Scope: &models.BotCommandScopeChat{ChatID: -1001}},
	}
	for _, p := range calls {
		if _, err := b.SetMyCommands(ctx, &p); err != nil {
			t.Fatalf("SetMyCommands(%+v): %v", p, err)
		}
	}
	want := map[string][]models.BotCommand{
		"default/":           cmds,
		"all_group_chats/vi": cmds[:1],
		"chat:-1001/":        cmds[1:],
	}
	if diff := cmp.Diff(want, s.Commands()); diff != "" {
		t.Errorf("Commands (-want +got):\n%s", diff)
	}
	if _, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{Scope: &models.BotCommandScopeAllGroupChats{}, LanguageCode: "vi"}); err != nil {
		t.Fatalf("DeleteMyCommands: %v", err)
	}
	if _, found := s.Commands()["all_group_chats/vi"]; found {
		t.Errorf("deleteMyCommands left the menu")
	}

	bad := []struct {
		name string
		cmd  models.BotCommand
		want string
	}{
		{name: "upper case", cmd: models.BotCommand{Command: "Lich", Description: "x"}, want: "Bad Request: BOT_COMMAND_INVALID"},
		{name: "slash", cmd: models.BotCommand{Command: "/lich", Description: "x"}, want: "Bad Request: BOT_COMMAND_INVALID"},
		{name: "33 characters", cmd: models.BotCommand{Command: strings.Repeat("a", 33), Description: "x"}, want: "Bad Request: BOT_COMMAND_INVALID"},
		{name: "empty description", cmd: models.BotCommand{Command: "lich"}, want: "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		{name: "long description", cmd: models.BotCommand{Command: "lich", Description: strings.Repeat("đ", 257)}, want: "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{tt.cmd}})
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("SetMyCommands error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestMembership(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	group := s.Group(-1003, "Sở Nội vụ")
	admin := s.User(8, "Hoa")
	s.SetMember(group.ID, admin.ID, "administrator")

	m, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: group.ID, UserID: admin.ID})
	if err != nil || m.Type != models.ChatMemberTypeAdministrator || m.Administrator.User.FirstName != "Hoa" {
		t.Errorf("GetChatMember(admin) = %+v, %v", m, err)
	}
	m, err = b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: group.ID, UserID: 9})
	if err != nil || m.Type != models.ChatMemberTypeMember {
		t.Errorf("GetChatMember(other) = %+v, %v", m, err)
	}
	chat, err := b.GetChat(ctx, &bot.GetChatParams{ChatID: group.ID})
	if err != nil || chat.Title != "Sở Nội vụ" || chat.Type != models.ChatTypeSupergroup {
		t.Errorf("GetChat = %+v, %v", chat, err)
	}

	id := s.ChangeMembership(group, admin, "member", "kicked")
	ups := getUpdates(t, ctx, s, map[string]any{"offset": id})
	mcm := ups[0].MyChatMember
	if mcm == nil || mcm.OldChatMember.Type != models.ChatMemberTypeMember || mcm.NewChatMember.Type != models.ChatMemberTypeBanned ||
		mcm.NewChatMember.Banned.User.ID != s.Bot().ID || mcm.From.ID != admin.ID {
		t.Fatalf("my_chat_member = %+v", mcm)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: group.ID, Text: "x"}); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("send after kick: %v, want forbidden", err)
	}
	s.ChangeMembership(group, admin, "kicked", "member")
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: group.ID, Text: "x"}); err != nil {
		t.Errorf("send after re-adding: %v", err)
	}
}

func TestMigrateGroup(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	s.Group(-4001, "Tổ công tác")
	id := s.MigrateGroup(-4001, -1004001)
	ups := getUpdates(t, ctx, s, map[string]any{"offset": id})
	if len(ups) != 2 || ups[0].Message.MigrateToChatID != -1004001 || ups[0].Message.Chat.ID != -4001 ||
		ups[1].Message.MigrateFromChatID != -4001 || ups[1].Message.Chat.ID != -1004001 {
		t.Fatalf("migration updates = %+v", ups)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -1004001, Text: "x"}); err != nil {
		t.Errorf("send to the new id: %v", err)
	}
}
