package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"meetbot/bot/telegramtest"
)

func keyboard(data ...string) *models.InlineKeyboardMarkup {
	var row []models.InlineKeyboardButton
	for _, d := range data {
		row = append(row, models.InlineKeyboardButton{Text: "Nút " + d, CallbackData: d})
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{row}}
}

func TestSendMessageReadBack(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	group := s.Forum(-1001234567890, "UBND tỉnh")

	msg, err := b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID:          group.ID,
		MessageThreadID: 7,
		Text:            "<b>Họp giao ban</b> lúc 8h &amp; 14h 😀",
		ParseMode:       models.ParseModeHTML,
		ReplyMarkup:     keyboard("m:1", "m:2"),
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if msg.ID != 1 || msg.Chat.ID != group.ID || msg.From == nil || !msg.From.IsBot || msg.MessageThreadID != 7 {
		t.Errorf("SendMessage returned %+v", msg)
	}
	if msg.Text != "Họp giao ban lúc 8h & 14h 😀" {
		t.Errorf("returned text = %q", msg.Text)
	}
	wantEnts := []models.MessageEntity{{Type: models.MessageEntityTypeBold, Offset: 0, Length: 12}}
	if diff := cmp.Diff(wantEnts, msg.Entities); diff != "" {
		t.Errorf("returned entities (-want +got):\n%s", diff)
	}

	got := s.Messages(group.ID)
	if len(got) != 1 {
		t.Fatalf("Messages = %d messages, want 1", len(got))
	}
	m := got[0]
	if m.ID != 1 || m.ThreadID != 7 || m.ParseMode != "HTML" || m.Text != "<b>Họp giao ban</b> lúc 8h &amp; 14h 😀" ||
		m.Plain != "Họp giao ban lúc 8h & 14h 😀" || m.Edits != 0 {
		t.Errorf("Messages()[0] = %+v", m)
	}
	want := keyboard("m:1", "m:2")
	if diff := cmp.Diff(want, m.Markup); diff != "" {
		t.Errorf("markup (-want +got):\n%s", diff)
	}

	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("Requests = %d, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Seq != 1 || r.Method != "sendMessage" || r.ChatID != group.ID || r.ThreadID != 7 || r.Status != http.StatusOK {
		t.Errorf("request = %+v", r)
	}
	if r.Params["parse_mode"] != "HTML" || !strings.Contains(r.Params["reply_markup"], `"callback_data":"m:2"`) {
		t.Errorf("params = %v", r.Params)
	}
	if dump := fmt.Sprintf("%+v", reqs); strings.Contains(dump, "secret-token") {
		t.Errorf("the token appears in Requests(): %s", dump)
	}
	if len(s.RequestsTo(group.ID)) != 1 || len(s.RequestsTo(42)) != 0 {
		t.Errorf("RequestsTo does not filter by chat")
	}
}

func TestSendMessageRefused(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	long65 := strings.Repeat("x", 65)
	tests := []struct {
		name   string
		params bot.SendMessageParams
		want   string
	}{
		{
			name:   "bad HTML",
			params: bot.SendMessageParams{ChatID: 5, Text: "<b><i>x</b></i>", ParseMode: models.ParseModeHTML},
			want:   `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
		},
		{
			name:   "unescaped user text",
			params: bot.SendMessageParams{ChatID: 5, Text: "Chỉ thị <15/CT-UBND>", ParseMode: models.ParseModeHTML},
			want:   `Bad Request: can't parse entities: Unsupported start tag "15/ct-ubnd" at byte offset 12`,
		},
		{
			name:   "empty text",
			params: bot.SendMessageParams{ChatID: 5, Text: ""},
			want:   "Bad Request: message text is empty",
		},
		{
			name:   "too long in UTF-16",
			params: bot.SendMessageParams{ChatID: 5, Text: strings.Repeat("😀", 2049)},
			want:   "Bad Request: message is too long",
		},
		{
			name:   "callback data over 64 bytes",
			params: bot.SendMessageParams{ChatID: 5, Text: "x", ReplyMarkup: keyboard(long65)},
			want:   "Bad Request: BUTTON_DATA_INVALID",
		},
		{
			name: "button without action",
			params: bot.SendMessageParams{ChatID: 5, Text: "x", ReplyMarkup: &models.InlineKeyboardMarkup{
				InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "?"}}},
			}},
			want: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
		},
		{
			name:   "reply to a missing message",
			params: bot.SendMessageParams{ChatID: 5, Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 99}},
			want:   "Bad Request: message to be replied not found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendMessage(ctx, &tt.params)
			if !errors.Is(err, bot.ErrorBadRequest) {
				t.Fatalf("SendMessage error = %v, want a bad request", err)
			}
			if !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("SendMessage error = %q, want it to end with %q", err, tt.want)
			}
		})
	}
	if got := s.Messages(5); len(got) != 0 {
		t.Errorf("refused sends left messages: %+v", got)
	}
	// A 64-byte callback data is fine.
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 5, Text: "x", ReplyMarkup: keyboard(long65[:64])}); err != nil {
		t.Errorf("64-byte callback data refused: %v", err)
	}
}

func TestSendDocumentMultipart(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	data := []byte("%PDF-1.7 báo cáo tuần\x00\x01")

	msg, err := b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:    42,
		Document:  &models.InputFileUpload{Filename: "bao-cao.pdf", Data: bytes.NewReader(data)},
		Caption:   "<i>Báo cáo</i> tuần 10",
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		t.Fatalf("SendDocument: %v", err)
	}
	if msg.Document == nil || msg.Document.FileName != "bao-cao.pdf" || msg.Document.FileSize != int64(len(data)) || msg.Caption != "Báo cáo tuần 10" {
		t.Fatalf("SendDocument returned %+v (document %+v)", msg, msg.Document)
	}

	got := s.Messages(42)
	if len(got) != 1 || got[0].Document == nil {
		t.Fatalf("Messages = %+v", got)
	}
	if got[0].Document.Name != "bao-cao.pdf" || !bytes.Equal(got[0].Document.Data, data) || got[0].Plain != "Báo cáo tuần 10" {
		t.Errorf("document message = %+v", got[0])
	}
	req := s.Requests()[0]
	if !bytes.Equal(req.Files["document"], data) || req.Params["caption"] != "<i>Báo cáo</i> tuần 10" {
		t.Errorf("request = %+v", req)
	}

	// Sending again by file_id gives the same file.
	if _, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 43, Document: &models.InputFileString{Data: msg.Document.FileID}}); err != nil {
		t.Fatalf("SendDocument by file_id: %v", err)
	}
	again := s.Messages(43)
	if len(again) != 1 || !bytes.Equal(again[0].Document.Data, data) || again[0].Document.Ref != msg.Document.FileID {
		t.Errorf("resent document = %+v", again)
	}

	photo, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: 42, Photo: &models.InputFileUpload{Filename: "lich.png", Data: bytes.NewReader([]byte{0x89, 'P', 'N', 'G'})}})
	if err != nil {
		t.Fatalf("SendPhoto: %v", err)
	}
	if len(photo.Photo) == 0 || photo.ID != 2 {
		t.Errorf("SendPhoto returned %+v", photo)
	}
	if p := s.Messages(42)[1].Photo; p == nil || p.Name != "lich.png" {
		t.Errorf("photo = %+v", p)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *telegramtest.Server)
		chat  int64
		check func(t *testing.T, err error)
	}{
		{
			name:  "injected 429",
			setup: func(s *telegramtest.Server) { s.Inject(telegramtest.Fault{Method: "sendMessage", RetryAfter: 7}) },
			chat:  5,
			check: func(t *testing.T, err error) {
				var tooMany *bot.TooManyRequestsError
				if !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
					t.Errorf("error = %v, want TooManyRequestsError with RetryAfter 7", err)
				}
			},
		},
		{
			name:  "migrated group",
			setup: func(s *telegramtest.Server) { s.MigrateGroup(-555, -1005550000001) },
			chat:  -555,
			check: func(t *testing.T, err error) {
				var migrate *bot.MigrateError
				if !errors.As(err, &migrate) || migrate.MigrateToChatID != -1005550000001 {
					t.Errorf("error = %v, want MigrateError to -1005550000001", err)
				}
			},
		},
		{
			name:  "kicked",
			setup: func(s *telegramtest.Server) { s.Kick(-1001) },
			chat:  -1001,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was kicked from the supergroup chat") {
					t.Errorf("error = %v, want forbidden, kicked", err)
				}
			},
		},
		{
			name:  "blocked",
			setup: func(s *telegramtest.Server) { s.Block(77) },
			chat:  77,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
					t.Errorf("error = %v, want forbidden, blocked", err)
				}
			},
		},
		{
			name:  "server error",
			setup: func(s *telegramtest.Server) { s.Inject(telegramtest.Fault{Status: http.StatusBadGateway}) },
			chat:  5,
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") {
					t.Errorf("error = %v, want a 502", err)
				}
			},
		},
		{
			name: "fault for another chat does not match",
			setup: func(s *telegramtest.Server) {
				s.Inject(telegramtest.Fault{ChatID: 6, Status: http.StatusInternalServerError})
			},
			chat: 5,
			check: func(t *testing.T, err error) {
				if err != nil {
					t.Errorf("error = %v, want none", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := newFake(t, telegramtest.Options{})
			tt.setup(s)
			_, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: tt.chat, Text: "Nhắc lịch họp"})
			tt.check(t, err)
		})
	}
}

func TestFaultTimes(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	s.Inject(telegramtest.Fault{Method: "SENDMESSAGE", ChatID: 5, Status: http.StatusInternalServerError, Times: 2})
	var statuses []int
	for range 3 {
		_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 5, Text: "x"})
	}
	for _, r := range s.Requests() {
		statuses = append(statuses, r.Status)
	}
	if diff := cmp.Diff([]int{500, 500, 200}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestHangingFault(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	s.Inject(telegramtest.Fault{Method: "sendMessage", Hang: true})
	ctx, cancel := context.WithTimeout(testContext(t), 50*time.Millisecond)
	defer cancel()
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 5, Text: "x"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want deadline exceeded", err)
	}
	// The handler ends when the server sees the connection go.
	if err := s.Wait(testContext(t), func() bool { return s.Requests()[0].Description != "" }); err != nil {
		t.Fatalf("hanging request never ended: %v", err)
	}
	if r := s.Requests()[0]; r.Status != 0 {
		t.Errorf("hung request status = %d, want 0", r.Status)
	}
}

func TestProtocolErrors(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token, Bot: models.User{ID: 123456, Username: "meetbot_test_bot"}})
	t.Cleanup(s.Close)
	base := s.Start()
	ctx := testContext(t)
	tests := []struct {
		name       string
		tok        string
		method     string
		params     any
		wantStatus int
		wantDesc   string
	}{
		{name: "wrong token", tok: "1:other", method: "getMe", wantStatus: 401, wantDesc: "Unauthorized"},
		{name: "unknown method", tok: token, method: "sendPoll", wantStatus: 404, wantDesc: "Not Found"},
		{name: "chat_id missing", tok: token, method: "sendMessage", params: map[string]any{"text": "x"}, wantStatus: 400, wantDesc: "Bad Request: chat_id is empty"},
		{name: "chat_id not a number", tok: token, method: "sendMessage", params: map[string]any{"chat_id": "abc", "text": "x"}, wantStatus: 400, wantDesc: "Bad Request: chat not found"},
		{name: "method names ignore case", tok: token, method: "GETME", wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := tt.params
			if params == nil {
				params = map[string]any{}
			}
			status, env := rawCall(t, ctx, base, tt.tok, tt.method, params)
			wantCode := tt.wantStatus
			if wantCode == http.StatusOK {
				wantCode = 0
			}
			if status != tt.wantStatus || env.ErrorCode != wantCode || env.Description != tt.wantDesc {
				t.Errorf("answer = %d %+v, want %d %q", status, env, tt.wantStatus, tt.wantDesc)
			}
		})
	}
	var me models.User
	_, env := rawCall(t, ctx, base, token, "getMe", map[string]any{})
	if err := json.Unmarshal(env.Result, &me); err != nil || me.ID != 123456 || !me.IsBot || me.Username != "meetbot_test_bot" {
		t.Errorf("getMe = %s (%v)", env.Result, err)
	}
	for _, r := range s.Requests() {
		if strings.Contains(fmt.Sprint(r), "secret-token") {
			t.Errorf("token recorded in %+v", r)
		}
	}
}

func TestFormAndJSONBodies(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token})
	t.Cleanup(s.Close)
	base := s.Start()
	ctx := testContext(t)

	form := url.Values{"chat_id": {"9"}, "text": {"<b>form</b>"}, "parse_mode": {"HTML"}}
	resp, err := http.PostForm(base+"/bot"+token+"/sendMessage", form)
	if err != nil {
		t.Fatalf("post form: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("form status = %d", resp.StatusCode)
	}
	status, env := rawCall(t, ctx, base, token, "sendMessage", map[string]any{
		"chat_id": 9, "text": "json", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "a", "callback_data": "d"}}},
		},
	})
	if status != http.StatusOK {
		t.Fatalf("JSON status = %d %+v", status, env)
	}
	got := s.Messages(9)
	if len(got) != 2 || got[0].Plain != "form" || got[1].Text != "json" || got[1].Markup == nil {
		t.Errorf("messages = %+v", got)
	}
}
