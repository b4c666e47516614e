package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
)

// A two-question flow for the tests: a name (typed), then a day (a
// button, or typed as dd/mm/yyyy).
func init() {
	registerFlow(&flow{kind: "test-flow", first: "name", steps: map[string]flowStep{
		"name": {
			ask: func(_ *Handlers, _ context.Context, _ *request, _ *store.Conversation) (view, error) {
				return message("❓", "Tên việc?", ""), nil
			},
			answer: func(_ *Handlers, _ context.Context, _ *request, c *store.Conversation, in flowInput) (string, view, error) {
				if in.Text == "" {
					return "name", message("⚠️", "Hãy gõ tên việc.", ""), nil
				}
				c.Data["name"] = in.Text
				return "day", view{}, nil
			},
		},
		"day": {
			ask: func(_ *Handlers, _ context.Context, _ *request, c *store.Conversation) (view, error) {
				var k keyboard
				k.row(choiceButton("Hôm nay", "today"))
				var d tghtml.Builder
				d.Text("Hạn của “" + c.Data["name"] + "”?")
				return view{html: d.String(), kb: k.markup()}, nil
			},
			answer: func(_ *Handlers, _ context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
				day := r.rd.today
				if in.Choice != "today" {
					d, err := store.ParseDMY(in.Text)
					if err != nil {
						return "day", message("⚠️", "Ngày không hợp lệ: “"+in.Text+"”. Hãy gõ dd/mm/yyyy, ví dụ 31/05/2024.", ""), nil
					}
					day = d
				}
				return "", message("✅", "Đã ghi: "+c.Data["name"]+" — hạn "+day.DMY(), ""), nil
			},
		},
	}})
}

func TestConversationPrivate(t *testing.T) {
	hs := newHarness(t, Config{})
	r := hs.h.newRequest(hs.update(), models.Chat{ID: 1, Type: models.ChatTypePrivate}, 0)
	r.user = models.User{ID: 1}
	q, err := hs.h.startFlow(context.Background(), r, "test-flow", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q.html, "Tên việc?") || q.kb == nil || !q.ask {
		t.Fatalf("first question = %+v; want the question with a cancel button", q)
	}
	// An empty answer is refused and asked again.
	hs.say(1, "   ")
	if got := hs.sender.calls; len(got) != 2 || !strings.Contains(got[0].Text, "Hãy gõ tên việc") || !strings.Contains(got[1].Text, "Tên việc?") {
		t.Fatalf("after an empty answer: %+v", got)
	}
	hs.say(1, "Tuần tra <mốc> & đường biên")
	if q := hs.last(); !strings.Contains(q.Text, "Hạn của “Tuần tra &lt;mốc&gt; &amp; đường biên”?") {
		t.Fatalf("second question = %q", q.Text)
	}
	hs.say(1, "31/04/2024")
	if got := hs.sender.calls[len(hs.sender.calls)-2]; !strings.Contains(got.Text, "Ngày không hợp lệ") {
		t.Errorf("an impossible date: %q", got.Text)
	}
	hs.press(1, callback{Kind: kindConv, Choice: "today"}.encode())
	if got := hs.last(); !strings.Contains(got.Text, "Đã ghi: Tuần tra") || !strings.Contains(got.Text, testNow.In(ict).Format("02/01/2006")) {
		t.Errorf("result = %q", got.Text)
	}
	// Over: free text is a search again.
	n := len(hs.sender.calls)
	hs.say(1, "biên giới")
	if got := hs.sender.calls[n]; !strings.Contains(got.Text, "Kết quả tìm kiếm") {
		t.Errorf("after the conversation, text should search: %q", got.Text)
	}
}

func TestConversationCancelAndGroup(t *testing.T) {
	hs := newHarness(t, Config{})
	const group = -100777
	r := hs.h.newRequest(hs.update(), models.Chat{ID: group, Type: models.ChatTypeSupergroup}, 0)
	r.user = models.User{ID: 1}
	r.messageID = 7
	q, err := hs.h.startFlow(context.Background(), r, "test-flow", nil)
	if err != nil {
		t.Fatal(err)
	}
	hs.h.send(context.Background(), r, q)
	if got := hs.last(); !got.ForceReply || got.Keyboard != nil || !strings.Contains(got.Text, "/cancel") {
		t.Errorf("a question without buttons in a group: %+v; want a forced reply mentioning /cancel", got)
	}
	// Another user's text in the group is not an answer (and, in a group,
	// chatter is never answered).
	n := len(hs.sender.calls)
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), Message: &models.Message{
		ID: 8, From: &models.User{ID: 2}, Chat: models.Chat{ID: group, Type: models.ChatTypeSupergroup}, Text: "Tuần tra",
	}})
	if len(hs.sender.calls) != n {
		t.Errorf("another user's message was taken as the answer")
	}
	hs.say(group, "/cancel")
	if got := hs.last(); !strings.Contains(got.Text, "Đã huỷ") {
		t.Errorf("/cancel = %q", got.Text)
	}
	hs.say(group, "/cancel")
	if got := hs.last(); !strings.Contains(got.Text, "Không có việc gì đang làm dở") {
		t.Errorf("/cancel with nothing going on = %q", got.Text)
	}
	// A cancel button of a finished conversation is answered politely.
	hs.press(1, callback{Kind: kindConv, Choice: choiceCancel}.encode())
	if a := hs.only("AnswerCallbackQuery"); !strings.Contains(a.Notice, "đã kết thúc") {
		t.Errorf("an old conversation button: %q", a.Notice)
	}
}

func TestChoiceCallbacks(t *testing.T) {
	for _, c := range []string{"today", "u12", "2024-05-31", "cancel", strings.Repeat("x", 40)} {
		cb := callback{Kind: kindConv, Choice: c}
		got, err := decodeCallback(cb.encode())
		if err != nil || got != cb {
			t.Errorf("%q: round trip %+v, %v", c, got, err)
		}
	}
	for _, bad := range []string{"1:cv", "1:cv:c", "1:cv:ca:b", "1:cv:c" + strings.Repeat("x", 41), "1:cv:cé", "1:d:i1:cx"} {
		if _, err := decodeCallback(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// TestConversationOfUnknownKindOrStep: a conversation saved by another
// version, of a kind or at a step this one does not have, ends with a
// word to start again.
func TestConversationOfUnknownKindOrStep(t *testing.T) {
	for _, c := range []store.Conversation{{Kind: "gone-flow", Step: "name"}, {Kind: "test-flow", Step: "gone-step"}} {
		t.Run(c.Kind+"/"+c.Step, func(t *testing.T) {
			hs := newHarness(t, Config{})
			ctx := context.Background()
			c.ChatID, c.UserID, c.Data, c.ExpiresAt = 1, 1, map[string]string{}, testNow.Add(conversationTTL)
			if err := hs.h.deps.Conversations.SaveConversation(ctx, c); err != nil {
				t.Fatal(err)
			}
			hs.say(1, "Tuần tra")
			if got := hs.last(); !strings.Contains(got.Text, "Cuộc trao đổi trước đã hết hiệu lực.") {
				t.Errorf("reply = %q", got.Text)
			}
			if _, err := hs.h.deps.Conversations.Conversation(ctx, 1, 1); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the conversation is left: %v", err)
			}
		})
	}
}
