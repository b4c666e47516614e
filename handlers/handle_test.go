package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

func TestCommandSendsHTML(t *testing.T) {
	hs := newHarness(t, Config{})
	hs.say(privateChat, "/directives xin-man quá hạn")
	got := hs.only("SendMessage")
	if got.ChatID != privateChat || got.ParseMode != models.ParseModeHTML {
		t.Errorf("sent to %v with parse mode %q", got.ChatID, got.ParseMode)
	}
	if !strings.Contains(got.Text, "Chỉ đạo giao cho Huyện ủy Xín Mần") || !strings.Contains(got.Text, "Tình trạng: quá hạn") {
		t.Errorf("unexpected reply:\n%s", got.Text)
	}
	if len(hs.sender.calls) != 1 {
		t.Errorf("calls %v, want one message", hs.sender.methods())
	}
}

func TestCommandAfterGreetingInGroupTopic(t *testing.T) {
	hs := newHarness(t, Config{})
	text := "Chào bot 👋 /directives@MeetBot meo vac"
	hs.h.Handle(context.Background(), &models.Update{ID: 1, Message: &models.Message{
		ID: 3, Chat: models.Chat{ID: groupChat, Type: models.ChatTypeSupergroup, IsForum: true},
		IsTopicMessage: true, MessageThreadID: 77, Text: text, Entities: commandEntities(text),
	}})
	got := hs.only("SendMessage")
	if got.ChatID != groupChat || got.Thread != 77 {
		t.Errorf("sent to chat %v topic %d, want %d topic 77", got.ChatID, got.Thread, groupChat)
	}
	if !strings.Contains(got.Text, "Huyện ủy Mèo Vạc") {
		t.Errorf("reply is not about Mèo Vạc:\n%s", got.Text)
	}
}

func TestGroupsStayQuiet(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		answer bool
	}{
		{name: "chatter", text: "bien gioi", answer: false},
		{name: "another bot's command", text: "/start@OtherBot", answer: false},
		{name: "an unknown command for anyone", text: "/weather", answer: false},
		{name: "a typo of ours", text: "/directivs", answer: true},
		{name: "an unknown command for us", text: "/weather@MeetBot", answer: true},
		{name: "our command", text: "/units", answer: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, Config{})
			hs.say(groupChat, tt.text)
			if got := len(hs.sender.calls) > 0; got != tt.answer {
				t.Errorf("answered = %v, want %v (calls %v)", got, tt.answer, hs.sender.methods())
			}
		})
	}
}

func TestPrivateReplies(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // substrings of the visible reply
	}{
		{name: "plain text is a search", text: "bien gioi", want: []string{"Kết quả tìm kiếm", "“bien gioi”"}},
		{name: "deep link to a directive", text: "/start d_3", want: []string{"HNXM-2024/03", "Báo cáo gần nhất"}},
		{name: "deep link to a meeting", text: "/start m_1", want: []string{"Nguyễn Văn Sơn", "08:00–11:30"}},
		{name: "deep link to a program", text: "/start p_1", want: []string{"2020–2025, tầm nhìn 2030"}},
		{name: "deep link to nothing", text: "/start d_999", want: []string{"Không tìm thấy chỉ đạo số 999."}},
		{name: "unknown payload greets", text: "/start hello", want: []string{"Xin chào!"}},
		{name: "directive by code in any case", text: "/directive 15/ct-ubnd", want: []string{"Chỉ thị số 15/CT-UBND"}},
		{name: "unknown code", text: "/directive 99/XX", want: []string{"Không tìm thấy chỉ đạo có ký hiệu “99/XX”", "/search 99/XX"}},
		{name: "non-numeric meeting id", text: "/meeting abc", want: []string{"Số cuộc họp phải là một số nguyên dương", "Ví dụ: /meeting 1"}},
		{name: "unknown meeting", text: "/meeting 42", want: []string{"Không tìm thấy cuộc họp số 42."}},
		{name: "unknown program", text: "/program 42", want: []string{"Không tìm thấy chương trình số 42."}},
		{name: "missing search text", text: "/search", want: []string{"Hãy nhập từ khoá", "Ví dụ: /search 15/CT-UBND"}},
		{name: "punctuation-only search", text: "/search ?!…", want: []string{"ít nhất một chữ hoặc số"}},
		{name: "unknown command", text: "/xyz", want: []string{"Không có lệnh /xyz.", "/help"}},
		{name: "only punctuation", text: "/!!!", want: []string{"Không có lệnh /!!!."}},
		{name: "a bare slash", text: "/", want: []string{"Thiếu tên lệnh"}},
		{name: "bad deadline window", text: "/deadlines 400", want: []string{"số ngày phải từ 1 đến 365", "Cách dùng: /deadlines"}},
		{name: "deadlines of a unit", text: "/deadlines 30 Mèo Vạc", want: []string{"Sắp đến hạn trong 30 ngày", "Đơn vị: Huyện ủy Mèo Vạc"}},
		{name: "overdue of a unit", text: "/overdue dong van", want: []string{"Đơn vị: Huyện ủy Đồng Văn", "HNXM-2024/06"}},
		{name: "unit found by search", text: "/directives huyện Xín Mần", want: []string{"Chỉ đạo giao cho Huyện ủy Xín Mần"}},
		{name: "unit by alias", text: "/directives MV hoàn thành quá hạn", want: []string{"Huyện ủy Mèo Vạc", "Tình trạng: hoàn thành quá hạn", "Hoàn thành quá hạn (trễ 3 ngày)"}},
		{name: "unknown unit", text: "/directives Hà Nội", want: []string{"Không tìm thấy đơn vị “Hà Nội”", "/units"}},
		{name: "markup in input is text", text: "/directive <b>&amp;</b>", want: []string{"“<b>&amp;</b>”"}},
		{name: "meetings in the past", text: "/meetings đã qua", want: []string{"Cuộc họp đã qua", "Hội nghị triển khai nhiệm vụ năm 2024"}},
		{name: "empty month", text: "/meetings 01/2030", want: []string{"Không có cuộc họp nào trong tháng 01/2030."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, Config{})
			hs.say(privateChat, tt.text)
			got := hs.replyText()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
			if strings.Contains(hs.logs.String(), "level=ERROR") {
				t.Errorf("bad input was logged as an error:\n%s", hs.logs)
			}
		})
	}
}

func TestBoundChat(t *testing.T) {
	tests := []struct {
		name string
		chat int64
		text string
		want string
	}{
		{name: "directives default to the unit", chat: boundChat, text: "/directives", want: "Chỉ đạo giao cho Huyện ủy Xín Mần"},
		{name: "with a status", chat: boundChat, text: "/directives hoàn thành", want: "Chỉ đạo giao cho Huyện ủy Xín Mần"},
		{name: "all units on request", chat: boundChat, text: "/directives tất cả", want: "8 chỉ đạo"},
		{name: "another unit on request", chat: boundChat, text: "/directives meo-vac", want: "Chỉ đạo giao cho Huyện ủy Mèo Vạc"},
		{name: "overdue defaults to the unit", chat: boundChat, text: "/overdue", want: "Đơn vị: Huyện ủy Xín Mần"},
		{name: "deadlines default to the unit", chat: boundChat, text: "/deadlines 30", want: "Đơn vị: Huyện ủy Xín Mần"},
		{name: "an unbound group sees everything", chat: groupChat, text: "/overdue", want: "Tất cả đơn vị"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, Config{})
			hs.say(tt.chat, tt.text)
			if got := visibleText(hs.only("SendMessage").Text); !strings.Contains(got, tt.want) {
				t.Errorf("reply lacks %q:\n%s", tt.want, got)
			}
		})
	}
	t.Run("binding lookup fails", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.say(chatBindingFails, "/directives")
		if got := visibleText(hs.only("SendMessage").Text); !strings.Contains(got, systemErrorText) {
			t.Errorf("reply = %q, want the system error", got)
		}
	})
}

func TestButtonEditsInPlace(t *testing.T) {
	hs := newHarness(t, Config{PageSize: 3})
	hs.say(privateChat, "/directives")
	next := buttons(hs.only("SendMessage").Keyboard)["Sau ›"]
	if next != "1:dl:p2" {
		t.Fatalf("next-page button %q", next)
	}
	hs.sender.reset()
	hs.press(privateChat, next)
	if diff := cmp.Diff([]string{"AnswerCallbackQuery", "EditMessageText"}, hs.sender.methods()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	ans, edit := hs.sender.calls[0], hs.sender.calls[1]
	if ans.QueryID != "cq2" || ans.Notice != "" || ans.Alert {
		t.Errorf("answer %+v", ans)
	}
	if edit.ChatID != privateChat || edit.MessageID != 55 || edit.ParseMode != models.ParseModeHTML {
		t.Errorf("edit of chat %v message %d (%s), want %d message 55", edit.ChatID, edit.MessageID, edit.ParseMode, privateChat)
	}
	if !strings.Contains(edit.Text, "Trang 2/3") {
		t.Errorf("edit is not page 2:\n%s", edit.Text)
	}
	b := buttons(edit.Keyboard)
	if b["‹ Trước"] != "1:dl:p1" || b["Sau ›"] != "1:dl:p3" || b["Trang 2/3"] != "1:n" {
		t.Errorf("pagination buttons %v", b)
	}
}

func TestExpiredButtons(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		prepare  func(*fakeStore)
		wantView string
	}{
		{name: "garbage", data: "garbage", wantView: "Hướng dẫn tra cứu"},
		{name: "an old version", data: "0:d:i1", wantView: "Hướng dẫn tra cứu"},
		{name: "too long", data: strings.Repeat("1", 100), wantView: "Hướng dẫn tra cứu"},
		{name: "a deleted directive", data: "1:d:i3", prepare: func(s *fakeStore) { s.removeDirective(3) }, wantView: "7 chỉ đạo"},
		{name: "a deleted meeting", data: "1:m:i9", wantView: "Cuộc họp"},
		{name: "a deleted program", data: "1:p:i9", wantView: "6 chương trình"},
		{name: "a deleted unit's list", data: "1:dl:u99:s2:p1", wantView: "Tình trạng: quá hạn"},
		{name: "a page past the end", data: "1:dl:p9", wantView: "8 chỉ đạo"},
		{name: "a search page past the end", data: "1:s:p5:qbien gioi", wantView: "“bien gioi”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, Config{})
			if tt.prepare != nil {
				tt.prepare(hs.store)
			}
			hs.press(privateChat, tt.data)
			if diff := cmp.Diff([]string{"AnswerCallbackQuery", "EditMessageText"}, hs.sender.methods()); diff != "" {
				t.Fatalf("calls (-want +got):\n%s", diff)
			}
			if got := hs.sender.calls[0].Notice; got != "Nút này đã hết hạn." {
				t.Errorf("notice %q", got)
			}
			if got := visibleText(hs.sender.calls[1].Text); !strings.Contains(got, tt.wantView) {
				t.Errorf("fresh view lacks %q:\n%s", tt.wantView, got)
			}
			if strings.Contains(hs.logs.String(), "level=ERROR") {
				t.Errorf("an expired button was logged as an error:\n%s", hs.logs)
			}
		})
	}
}

func TestNoopButtonIsAnswered(t *testing.T) {
	hs := newHarness(t, Config{})
	hs.press(privateChat, "1:n")
	if diff := cmp.Diff([]string{"AnswerCallbackQuery"}, hs.sender.methods()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestButtonOnOldMessage(t *testing.T) {
	hs := newHarness(t, Config{})
	hs.h.Handle(context.Background(), &models.Update{ID: 5, CallbackQuery: &models.CallbackQuery{ID: "old", Data: "1:u",
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: privateChat}, MessageID: 9}}}})
	if diff := cmp.Diff([]string{"AnswerCallbackQuery", "SendMessage"}, hs.sender.methods()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestButtonOnInlineMessage(t *testing.T) {
	hs := newHarness(t, Config{})
	hs.h.Handle(context.Background(), &models.Update{ID: 5, CallbackQuery: &models.CallbackQuery{ID: "inl", Data: "1:d:i3", InlineMessageID: "AAE"}})
	if diff := cmp.Diff([]string{"AnswerCallbackQuery", "EditMessageText"}, hs.sender.methods()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	if got := hs.sender.calls[1].InlineID; got != "AAE" {
		t.Errorf("edited inline message %q", got)
	}
}

func TestEditFailures(t *testing.T) {
	t.Run("not modified is fine", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.sender.fail = map[string]error{"EditMessageText": errors.New("bad request, Bad Request: message is not modified: specified new message content and reply markup are exactly the same")}
		hs.press(privateChat, "1:u")
		if diff := cmp.Diff([]string{"AnswerCallbackQuery", "EditMessageText"}, hs.sender.methods()); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
		if hs.logs.Len() != 0 {
			t.Errorf("logged:\n%s", hs.logs)
		}
	})
	t.Run("another failure sends the view anew", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.sender.fail = map[string]error{"EditMessageText": errors.New("bad request, Bad Request: message can't be edited")}
		hs.press(privateChat, "1:u")
		if diff := cmp.Diff([]string{"AnswerCallbackQuery", "EditMessageText", "SendMessage"}, hs.sender.methods()); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
		if !strings.Contains(hs.logs.String(), "can't be edited") {
			t.Errorf("the failure was not logged:\n%s", hs.logs)
		}
	})
}

func TestLongDirectiveIsSplit(t *testing.T) {
	hs := newHarness(t, Config{})
	hs.say(privateChat, "/directive 8")
	calls := hs.sender.calls
	if len(calls) < 2 {
		t.Fatalf("%d messages, want the 5,000-character directive split", len(calls))
	}
	for i, c := range calls {
		if c.Method != "SendMessage" {
			t.Fatalf("call %d is %s", i, c.Method)
		}
		if last := i == len(calls)-1; (c.Keyboard != nil) != last {
			t.Errorf("message %d of %d has keyboard = %v; only the last should", i+1, len(calls), c.Keyboard != nil)
		}
	}

	// The same view from a button: the first part replaces the message,
	// the rest follows, the keyboard goes last.
	hs.sender.reset()
	hs.press(privateChat, "1:d:i8")
	want := []string{"AnswerCallbackQuery", "EditMessageText"}
	for range calls[1:] {
		want = append(want, "SendMessage")
	}
	if diff := cmp.Diff(want, hs.sender.methods()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	if hs.sender.calls[1].Keyboard != nil || hs.last().Keyboard == nil {
		t.Errorf("keyboard not on the last part only")
	}
	if hs.sender.calls[1].Text != calls[0].Text {
		t.Errorf("the edit differs from the command's first part")
	}
}

func TestLongMessages(t *testing.T) {
	long := strings.Repeat("Quản lý, bảo vệ nguyên trạng đường biên giới, mốc quốc giới quốc gia. ", 75) // > 5,000 characters
	tests := []struct {
		name string
		text string
	}{
		{name: "plain text", text: long},
		{name: "search", text: "/search " + long},
		{name: "directive code", text: "/directive " + long},
		{name: "unit", text: "/directives " + long},
		{name: "unknown command", text: "/" + strings.Repeat("x", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, Config{})
			hs.say(privateChat, tt.text)
			got := hs.only("SendMessage")
			if n := telegramLen(got.Text); n > 600 {
				t.Errorf("a reply of %d characters echoes the input:\n%s", n, got.Text)
			}
		})
	}
	t.Run("search is shortened and answers", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.say(privateChat, long)
		got := visibleText(hs.only("SendMessage").Text)
		if !strings.Contains(got, "(đã rút gọn)") || !strings.Contains(got, "Quản lý, bảo vệ nguyên trạng đường biên giới") {
			t.Errorf("reply:\n%s", got)
		}
	})
}

// TestSearchPagesAreConsistent: a long Vietnamese query is carried in the
// buttons in the form page 1 ran with, so paging back returns the same
// page.
func TestSearchPagesAreConsistent(t *testing.T) {
	hs := newHarness(t, Config{PageSize: 2})
	query := "/search " + strings.Repeat("biên giới ", 10)
	hs.say(privateChat, query)
	first := hs.only("SendMessage")
	next := buttons(first.Keyboard)["Sau ›"]
	if next == "" || len(next) > maxCallbackData {
		t.Fatalf("next-page data %q", next)
	}
	hs.sender.reset()
	hs.press(privateChat, next)
	prev := buttons(hs.only("EditMessageText").Keyboard)["‹ Trước"]
	hs.sender.reset()
	hs.press(privateChat, prev)
	if back := hs.only("EditMessageText"); back.Text != first.Text {
		t.Errorf("page 1 from the button differs from the command's:\n%s\n---\n%s", back.Text, first.Text)
	}
}

func TestInlineQuery(t *testing.T) {
	hs := newHarness(t, Config{})
	for i := 0; i < 60; i++ {
		d := hs.store.directives[1]
		d.ID, d.Code = int64(100+i), fmt.Sprintf("BG-%02d", i)
		hs.store.directives = append(hs.store.directives, d)
	}
	hs.inline("mốc quốc giới", "")
	first := hs.only("AnswerInlineQuery").Inline
	if len(first.Results) != 50 || first.NextOffset != "50" {
		t.Fatalf("%d results, next_offset %q; want 50 and \"50\"", len(first.Results), first.NextOffset)
	}
	if first.CacheTime <= 0 || !first.IsPersonal { // restricted records make answers personal
		t.Errorf("cache_time %d, is_personal %v", first.CacheTime, first.IsPersonal)
	}
	hs.sender.reset()
	hs.inline("mốc quốc giới", first.NextOffset)
	second := hs.only("AnswerInlineQuery").Inline
	if len(second.Results) != 11 || second.NextOffset != "" {
		t.Errorf("page 2: %d results, next_offset %q; want 11 and none", len(second.Results), second.NextOffset)
	}
	a := second.Results[0].(*models.InlineQueryResultArticle)
	if url := buttons(a.ReplyMarkup.(*models.InlineKeyboardMarkup))["Mở chi tiết trong bot"]; !strings.HasPrefix(url, "https://t.me/MeetBot?start=d_") {
		t.Errorf("deep link %q", url)
	}

	t.Run("bad offset starts over", func(t *testing.T) {
		hs.sender.reset()
		hs.inline("mốc quốc giới", "abc")
		if got := hs.only("AnswerInlineQuery").Inline; len(got.Results) != 50 {
			t.Errorf("%d results", len(got.Results))
		}
	})
	t.Run("store failure still answers", func(t *testing.T) {
		hs.sender.reset()
		hs.store.err = errBoom
		hs.inline("x", "")
		if got := hs.only("AnswerInlineQuery").Inline; len(got.Results) != 0 || got.NextOffset != "" {
			t.Errorf("%d results", len(got.Results))
		}
		if !strings.Contains(hs.logs.String(), "disk on fire") {
			t.Errorf("failure not logged")
		}
	})
}

func TestUnexpectedErrors(t *testing.T) {
	t.Run("a store failure answers politely and logs once", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.store.err = errBoom
		hs.say(privateChat, "/meetings")
		if got := visibleText(hs.only("SendMessage").Text); got != "⚠️ "+systemErrorText {
			t.Errorf("reply %q", got)
		}
		logs := hs.logs.String()
		if strings.Count(logs, "level=ERROR") != 1 || !strings.Contains(logs, "update_id=1") || !strings.Contains(logs, "disk on fire") {
			t.Errorf("logs:\n%s", logs)
		}
		if strings.Contains(logs, "Cán bộ") {
			t.Errorf("the update was logged:\n%s", logs)
		}
	})
	t.Run("what users typed stays out of the log", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.store.err = errBoom
		for _, text := range []string{"/search bí mật", "/directive BM-01/mật", "/directives bí mật quá hạn", "bí mật"} {
			hs.say(privateChat, text)
		}
		if logs := hs.logs.String(); strings.Count(logs, "level=ERROR") != 4 || strings.Contains(logs, "mật") {
			t.Errorf("logs:\n%s", logs)
		}
	})
	t.Run("invalid input from the store is the user's", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.store.err = fmt.Errorf("directives: %w", store.ErrInvalid)
		hs.say(privateChat, "/overdue")
		if got := visibleText(hs.only("SendMessage").Text); !strings.Contains(got, "Yêu cầu không hợp lệ") {
			t.Errorf("reply %q", got)
		}
		if hs.logs.Len() != 0 {
			t.Errorf("logged:\n%s", hs.logs)
		}
	})
	t.Run("a button press answers the query with the error", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.store.err = errBoom
		hs.press(privateChat, "1:od:p1")
		if diff := cmp.Diff([]string{"AnswerCallbackQuery"}, hs.sender.methods()); diff != "" {
			t.Fatalf("calls (-want +got):\n%s", diff)
		}
		if c := hs.sender.calls[0]; c.Notice != systemErrorText || !c.Alert {
			t.Errorf("answer %+v", c)
		}
	})
	t.Run("a panic is recovered, answered and logged", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.store.panicMsg = "nil map"
		hs.say(privateChat, "/units")
		hs.press(privateChat, "1:u")
		if diff := cmp.Diff([]string{"SendMessage", "AnswerCallbackQuery"}, hs.sender.methods()); diff != "" {
			t.Fatalf("calls (-want +got):\n%s", diff)
		}
		if got := hs.sender.calls[1].Notice; got != systemErrorText {
			t.Errorf("callback answered %q", got)
		}
		if n := strings.Count(hs.logs.String(), "handler panicked"); n != 2 {
			t.Errorf("%d panics logged:\n%s", n, hs.logs)
		}
	})
	t.Run("a send failure is logged", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.sender.fail = map[string]error{"SendMessage": errors.New("forbidden, Forbidden: bot was blocked by the user")}
		hs.say(privateChat, "/directive 8")
		if n := len(hs.sender.calls); n != 1 {
			t.Errorf("%d sends after the first failed", n)
		}
		if !strings.Contains(hs.logs.String(), "bot was blocked") {
			t.Errorf("not logged:\n%s", hs.logs)
		}
	})
	t.Run("a failed callback answer is logged", func(t *testing.T) {
		hs := newHarness(t, Config{})
		hs.sender.fail = map[string]error{"AnswerCallbackQuery": errors.New("query is too old")}
		hs.press(privateChat, "1:u")
		if !strings.Contains(hs.logs.String(), "query is too old") {
			t.Errorf("not logged:\n%s", hs.logs)
		}
	})
}

func TestIgnoredUpdates(t *testing.T) {
	hs := newHarness(t, Config{})
	ctx := context.Background()
	hs.h.Handle(ctx, nil)
	hs.h.Handle(ctx, &models.Update{ID: 1})
	hs.h.Handle(ctx, &models.Update{ID: 2, EditedMessage: &models.Message{Text: "/help", Chat: models.Chat{ID: privateChat, Type: "private"}}})
	hs.h.Handle(ctx, &models.Update{ID: 3, Message: &models.Message{Text: "📌 Chỉ đạo", ViaBot: &models.User{ID: 9, IsBot: true},
		Chat: models.Chat{ID: privateChat, Type: "private"}}})
	hs.h.Handle(ctx, &models.Update{ID: 4, Message: &models.Message{Text: "/help", From: &models.User{ID: 8, IsBot: true},
		Chat: models.Chat{ID: privateChat, Type: "private"}, Entities: commandEntities("/help")}})
	if len(hs.sender.calls) != 0 {
		t.Errorf("answered %v", hs.sender.methods())
	}
}

// TestEveryButtonWorks presses every button reachable from the replies
// to the examples in /help: each press is answered once and shows a view
// (checked by fakeSender), and none is expired or fails.
func TestEveryButtonWorks(t *testing.T) {
	hs := newHarness(t, Config{PageSize: 3})
	hs.say(privateChat, "/directives huyen uy") // the unit choice
	hs.pressEverything(t, 40)
}
