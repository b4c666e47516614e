package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/bot/telegramtest"
)

func TestRunPrivateChat(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	m := h.say(h.dm, "/start")
	if m.ParseMode != "HTML" || !strings.Contains(m.Plain, "/help") {
		t.Errorf("/start reply (parse mode %q):\n%s", m.ParseMode, m.Plain)
	}
	m = h.say(h.dm, "/meetings")
	if !strings.Contains(m.Plain, "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp") {
		t.Errorf("/meetings does not list the Xín Mần conference:\n%s", m.Plain)
	}
	// The deep link of an inline result opens the record.
	m = h.say(h.dm, "/start d_1")
	if !strings.Contains(m.Plain, "HNXM-2024/01") {
		t.Errorf("/start d_1 does not open directive 1:\n%s", m.Plain)
	}
	// The command menu was published in Vietnamese and English, per scope.
	cmds := h.fake.Commands()
	if len(cmds["all_group_chats/"]) == 0 || len(cmds["all_private_chats/en"]) == 0 || len(cmds["default/"]) == 0 {
		t.Errorf("setMyCommands scopes: %v", keys(cmds))
	}
	if err := h.stop(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestRunGroupCommands(t *testing.T) {
	h := startBot(t, map[string]string{"WORKERS": "1"}, serveOptions{})
	group := h.fake.Group(-1001234567, "Huyện ủy Xín Mần")
	// Addressed to another bot: ignored. Handled in order (one worker),
	// so once the next reply arrives, this one would have too.
	h.fake.SendText(group, h.user, "/directives@other_bot xin-man")
	m := h.say(group, "/directives@"+botName+" xin-man")
	if !strings.Contains(m.Plain, "Huyện ủy Xín Mần") || !strings.Contains(m.Plain, "HNXM-2024/03") {
		t.Errorf("/directives@bot xin-man in a group:\n%s", m.Plain)
	}
	// A command after Vietnamese text and emoji (UTF-16 offsets).
	m = h.say(group, "Chào bot 👋🏽 xin hỏi /deadlines@"+botName+" 30")
	if !strings.Contains(m.Plain, "HNXM-2024/03") {
		t.Errorf("command after emoji:\n%s", m.Plain)
	}
	if n := len(h.replies(group)); n != 2 {
		t.Errorf("%d replies in the group; the command for another bot must be ignored", n)
	}
}

func TestRunButtonEditsInPlace(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	m := h.say(h.dm, "/search bien gioi")
	data := buttonData(t, m, "Sau")
	_, cbID := h.fake.PressButton(h.dm, h.user, m.ID, data)
	h.wait("the answer to the button", func() bool {
		for _, a := range h.fake.CallbackAnswers() {
			if a.QueryID == cbID {
				return true
			}
		}
		return false
	})
	h.wait("the edit", func() bool { return h.replies(h.dm)[len(h.replies(h.dm))-1].Edits > 0 })
	edited := h.replies(h.dm)
	if len(edited) != 1 || edited[0].ID != m.ID || !strings.Contains(edited[0].Plain, "Trang 2/") {
		t.Errorf("after pressing Sau: %d messages, last #%d:\n%s", len(edited), edited[len(edited)-1].ID, edited[len(edited)-1].Plain)
	}
	// An outdated button still gets an answer and a fresh view.
	_, cbID = h.fake.PressButton(h.dm, h.user, m.ID, "1:d:i999999")
	h.wait("the expired-button answer", func() bool {
		for _, a := range h.fake.CallbackAnswers() {
			if a.QueryID == cbID {
				return strings.Contains(a.Text, "hết hạn") || a.Text != ""
			}
		}
		return false
	})
}

func TestRunInlinePaging(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	_, q1 := h.fake.InlineQuery(h.user, "", "")
	first := h.inlineAnswer(q1)
	if len(first.Results) == 0 || len(first.Results) > 50 {
		t.Fatalf("empty query gave %d results", len(first.Results))
	}
	// The demo has few records: page through a search with a page of 2 by
	// asking for the offset the bot would hand out.
	_, q2 := h.fake.InlineQuery(h.user, "biên giới", "")
	a := h.inlineAnswer(q2)
	if len(a.Results) == 0 || !strings.Contains(a.Results[0].Text, "<b>") || a.Results[0].ParseMode != "HTML" {
		t.Fatalf("inline results: %+v", a.Results)
	}
	if a.NextOffset != "" {
		_, q3 := h.fake.InlineQuery(h.user, "biên giới", a.NextOffset)
		next := h.inlineAnswer(q3)
		if len(next.Results) == 0 || next.Results[0].ID == a.Results[0].ID {
			t.Errorf("next page repeats the first: %+v", next.Results)
		}
	}
}

func (h *harness) inlineAnswer(queryID string) telegramtest.InlineAnswer {
	h.t.Helper()
	var got telegramtest.InlineAnswer
	h.wait("the inline answer", func() bool {
		for _, a := range h.fake.InlineAnswers() {
			if a.QueryID == queryID {
				got = a
				return true
			}
		}
		return false
	})
	return got
}

func TestRunHonours429(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	h.fake.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: h.dm.ID, RetryAfter: 2})
	h.say(h.dm, "/help")
	// The reply is stored before its request's status is: wait for both
	// answers to be logged.
	var sends []telegramtest.Request
	h.wait("two answered sendMessage calls", func() bool {
		sends = sends[:0]
		for _, r := range h.fake.RequestsTo(h.dm.ID) {
			if r.Method == "sendMessage" && r.Status != 0 {
				sends = append(sends, r)
			}
		}
		return len(sends) == 2
	})
	if len(sends) != 2 || sends[0].Status != 429 || sends[1].Status != 200 {
		t.Fatalf("sends: %+v", sends)
	}
	if gap := sends[1].At.Sub(sends[0].At); gap < 2*time.Second {
		t.Errorf("retried %v after a 429 with retry_after 2", gap)
	}
	if v := h.fake.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestRunRetries5xx(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	h.fake.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: h.dm.ID, Status: 502, Times: 2})
	h.say(h.dm, "/help")
	n := 0
	for _, r := range h.fake.RequestsTo(h.dm.ID) {
		if r.Method == "sendMessage" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d sendMessage calls; want 2 failures and a success", n)
	}
}

func TestRunWebhook(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hook := "http://" + ln.Addr().String() + "/telegram/hook"
	h := startBot(t, map[string]string{"WEBHOOK_URL": hook, "WEBHOOK_SECRET": "s3cret-Hook_1"}, serveOptions{webhookListener: ln})
	h.wait("setWebhook", func() bool {
		for _, r := range h.fake.Requests() {
			if r.Method == "setWebhook" {
				return true
			}
		}
		return false
	})
	update := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"/help"}}`
	for _, secret := range []string{"", "wrong"} {
		req, _ := http.NewRequest(http.MethodPost, hook, strings.NewReader(update))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("secret %q: HTTP %d; want 401", secret, resp.StatusCode)
		}
	}
	big := strings.NewReader(`{"update_id":2,"message":{"text":"` + strings.Repeat("x", bot.MaxWebhookBody) + `"}}`)
	req, _ := http.NewRequest(http.MethodPost, hook, big)
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret-Hook_1")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized post: %v, %v; want 413", resp, err)
	}
	// Telegram (the fake) posts with the right secret: handled.
	h.fake.SendText(h.dm, h.user, "/help")
	if err := h.fake.DeliverWebhook(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.wait("the reply to a webhook update", func() bool { return len(h.replies(h.dm)) == 1 })
	if n := len(h.replies(models.Chat{ID: 1})); n != 0 {
		t.Errorf("the refused posts were handled: %d replies", n)
	}
	if err := h.stop(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestRunGracefulShutdownDeliversInFlight(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	// The reply's first attempt is refused with retry_after 1: the reply
	// is in flight, waiting, when the stop signal comes.
	h.fake.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: h.dm.ID, RetryAfter: 1})
	h.fake.SendText(h.dm, h.user, "/meetings")
	h.wait("the refused first attempt", func() bool { return len(h.fake.RequestsTo(h.dm.ID)) == 1 })
	stoppedAt := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	ms := h.replies(h.dm)
	if len(ms) != 1 || !strings.Contains(ms[0].Plain, "Cuộc họp") {
		t.Fatalf("after shutdown: %d messages; the in-flight reply must be delivered", len(ms))
	}
	if ms[0].Date.Before(stoppedAt.Add(-time.Second)) {
		t.Errorf("reply dated %v, before the stop at %v", ms[0].Date, stoppedAt)
	}
}

func TestRunSurvivesPanic(t *testing.T) {
	panicky := func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, u *models.Update) {
			if u.Message != nil && u.Message.Text == "/boom" {
				panic("boom")
			}
			next.Handle(ctx, u)
		})
	}
	h := startBot(t, nil, serveOptions{wrap: panicky})
	m := h.say(h.dm, "/boom")
	if !strings.Contains(m.Plain, "Xin lỗi") {
		t.Errorf("after a panic: %q; want an apology", m.Plain)
	}
	m = h.say(h.dm, "/help")
	if !strings.Contains(m.Plain, "/directives") {
		t.Errorf("the bot did not answer after a panic: %q", m.Plain)
	}
	if !strings.Contains(h.logs.String(), "handler panicked") || !strings.Contains(h.logs.String(), "update_id=") {
		t.Errorf("the panic was not logged with its update id:\n%s", h.logs.String())
	}
}

// Whatever users type, every message and edit the bot sends parses as
// Telegram HTML (the fake refuses what Telegram would).
func TestRunRepliesAreValidHTML(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	inputs := []string{
		"<b>biên giới</b>", "a & b < c > d", "foo_bar_baz", "🇻🇳🙂 biên", strings.Repeat("dài ", 1250),
		"/search <script>alert(1)</script>", "/directive <b>15</b>/CT-UBND", "/directives <i>xin</i> & quá hạn",
		"/meetings 13/2024", "/meeting -1", "/nope", "/deadlines 9999", `/search "'*%`, "/directive " + strings.Repeat("9", 40),
	}
	// One chat per input: a single chat would be held to Telegram's
	// one message per second.
	var chats []models.Chat
	for i, in := range inputs {
		u := h.fake.User(int64(5000+i), "User")
		chat := h.fake.PrivateChat(u)
		chats = append(chats, chat)
		h.fake.SendText(chat, u, in)
	}
	h.wait("a reply to every input", func() bool {
		for _, c := range chats {
			if len(h.replies(c)) == 0 {
				return false
			}
		}
		return true
	})
	// Stopping waits for every handler, so split replies are all sent.
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	for _, r := range h.fake.Requests() {
		if (r.Method == "sendMessage" || r.Method == "editMessageText") && r.Status != 200 {
			t.Errorf("%s refused (%d %s): %q", r.Method, r.Status, r.Description, r.Params["text"])
		}
	}
}

func TestRunKeepsTokenOutOfLogs(t *testing.T) {
	h := startBot(t, nil, serveOptions{})
	h.fake.Inject(telegramtest.Fault{Method: "getUpdates", Status: 500, Times: 2})
	h.fake.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: h.dm.ID, Status: 502})
	h.say(h.dm, "/help")
	kicked := h.fake.Group(-100999, "Đã rời")
	h.fake.Kick(kicked.ID)
	h.fake.SendText(kicked, h.user, "/help@"+botName)
	h.say(h.dm, "/units")
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "retrying") {
		t.Fatalf("the failures were not logged, so the check proves nothing:\n%s", logs)
	}
	for _, secret := range []string{testToken, "TESTtokenSECRETvalue"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the token appears in the logs:\n%s", logs)
		}
	}
}

func TestRunOperationsEndpoints(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	// One worker: when the second reply arrives, the first update was
	// handled completely, metrics included.
	h := startBot(t, map[string]string{"HTTP_ADDR": addr, "WORKERS": "1"}, serveOptions{httpListener: ln})
	h.say(h.dm, "/help")
	h.say(h.dm, "/units")
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"store":"ok"`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	_, body := get("/metrics")
	for _, want := range []string{`meetbot_updates_total{type="message"}`, `meetbot_telegram_requests_total{method="sendMessage",outcome="ok"}`, "meetbot_handler_seconds_bucket"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
