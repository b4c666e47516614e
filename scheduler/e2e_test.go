package scheduler_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/bot/telegramtest"
	"meetbot/handlers"
	"meetbot/scheduler"
	"meetbot/store"
	"meetbot/store/sqlstore"
)

// e2e is the bot wired as cmd/meetbot wires it, against the fake Bot API
// with Telegram's limits enforced: the real client, the real rate-limited
// sender, the SQLite store, the scheduler and the handlers.
type e2e struct {
	tg       *telegramtest.Server
	db       *sqlstore.Store
	sender   *bot.Sender
	svc      *scheduler.Service
	handlers *handlers.Handlers
	clock    func() time.Time
	units    map[string]int64
}

var hcm = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

// Chats of the end-to-end test.
const (
	chatXinMan  = int64(-1001)
	chatMeoVac  = int64(-1002) // a forum; the unit's topic is 7
	chatDongVan = int64(-1003)
	chatAdmin   = int64(-5000)
	topicMeoVac = 7
	titleHN03   = "Tham mưu mở luồng chuyên dùng hàng hóa cửa khẩu Thanh Thủy – Thiên Bảo"
)

// newE2E must run inside a synctest bubble: time starts at 07:30 on
// Tuesday 13/05/2025 in the office's zone and moves with the bubble's
// clock.
func newE2E(t *testing.T, limits *telegramtest.Limits) *e2e {
	t.Helper()
	base := time.Date(2025, 5, 13, 7, 30, 0, 0, hcm)
	start := time.Now()
	clock := func() time.Time { return base.Add(time.Since(start)) }
	tg := telegramtest.New(telegramtest.Options{Token: "1:test", Limits: limits})
	t.Cleanup(tg.Close)
	client, err := bot.Connect(t.Context(), bot.ClientConfig{Token: "1:test", APIURL: "http://telegram.test", Transport: tg.Transport()})
	if err != nil {
		t.Fatal(err)
	}
	sender := bot.NewSender(client.TG, bot.SenderOptions{})
	db, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "meetbot.db"), sqlstore.Options{Location: hcm, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ds := &store.Dataset{
		Units: []store.UnitRecord{
			{Code: "xin-man", Name: "Huyện ủy Xín Mần", Kind: store.KindDistrict},
			{Code: "meo-vac", Name: "Huyện ủy Mèo Vạc", Kind: store.KindDistrict},
			{Code: "dong-van", Name: "Huyện ủy Đồng Văn", Kind: store.KindDistrict},
		},
		Directives: []store.DirectiveRecord{{
			Code: "HNXM-2024/03", Title: titleHN03, IssuedOn: store.NewDate(2025, 4, 17), Deadline: store.NewDate(2025, 5, 16),
			DeadlineNote: "hạn mẫu do bản demo đặt",
			Assignments:  []store.AssignmentRecord{{Unit: "xin-man"}, {Unit: "meo-vac", Role: store.RoleSupport}, {Unit: "dong-van", Role: store.RoleSupport}},
		}},
	}
	if _, err := db.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	e := &e2e{tg: tg, db: db, sender: sender, clock: clock, units: map[string]int64{}}
	us, _ := db.Units(t.Context(), store.UnitFilter{})
	for _, u := range us {
		e.units[u.Code] = u.ID
	}
	tg.Group(chatXinMan, "Xín Mần")
	tg.Forum(chatMeoVac, "Mèo Vạc")
	tg.Group(chatDongVan, "Đồng Văn")
	tg.Group(chatAdmin, "Quản trị")
	for _, b := range []store.Binding{
		{ChatID: chatXinMan, UnitID: e.units["xin-man"], ChatTitle: "Xín Mần"},
		{ChatID: chatMeoVac, ThreadID: topicMeoVac, UnitID: e.units["meo-vac"], ChatTitle: "Mèo Vạc"},
		{ChatID: chatDongVan, UnitID: e.units["dong-van"], ChatTitle: "Đồng Văn"},
	} {
		if _, err := db.BindChat(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	e.svc, err = scheduler.New(scheduler.Config{Location: hcm, Weekly: true, AdminChatID: chatAdmin, WeeklySchedule: "off", InstanceID: "e2e"},
		scheduler.Deps{Records: db, Store: db, Sender: sender, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	e.handlers = handlers.New(handlers.Config{BotUsername: client.Username(), Location: hcm},
		handlers.Deps{Store: db, Sender: sender, Chats: db, Now: clock})
	return e
}

// pass runs one scheduler pass now.
func (e *e2e) pass(t *testing.T) scheduler.Report {
	t.Helper()
	rep, err := e.svc.RunOnce(t.Context(), e.clock(), false)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// sleepUntil moves the bubble's clock to the local time given.
func (e *e2e) sleepUntil(t time.Time) { time.Sleep(t.Sub(e.clock())) }

func TestEndToEndWithFakeBotAPI(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newE2E(t, &telegramtest.Limits{Global: 30, PerChat: 1, PerGroup: 20})
		ctx := t.Context()
		hn03, err := e.db.DirectiveByCode(ctx, "HNXM-2024/03")
		if err != nil {
			t.Fatal(err)
		}

		// 13/05 07:30, the -3 rung; Telegram asks the bot to slow down for
		// Đồng Văn's group once.
		e.tg.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: chatDongVan, RetryAfter: 3})
		rep := e.pass(t)
		if rep.Sent != 3 || rep.Failed != 0 {
			t.Fatalf("first pass: %+v", rep)
		}
		msgs := e.tg.Messages(chatXinMan)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Plain, "còn 3 ngày") || msgs[0].ParseMode != "HTML" {
			t.Fatalf("Xín Mần's messages: %+v", msgs)
		}
		if m := e.tg.Messages(chatMeoVac); len(m) != 1 || m[0].ThreadID != topicMeoVac {
			t.Errorf("Mèo Vạc's reminder did not go to its topic: %+v", m)
		}
		if len(e.tg.Messages(chatDongVan)) != 1 {
			t.Errorf("Đồng Văn's reminder was lost to the 429")
		}

		// The button opens the directive in the handlers.
		kb := msgs[0].Markup
		if kb == nil || len(kb.InlineKeyboard) != 1 || kb.InlineKeyboard[0][0].CallbackData != scheduler.DirectiveCallback(hn03.ID) {
			t.Fatalf("keyboard = %+v", kb)
		}
		user := e.tg.User(42, "Cán bộ")
		chat := models.Chat{ID: chatXinMan, Type: models.ChatTypeSupergroup, Title: "Xín Mần"}
		press := func(data string) {
			_, cb := e.tg.PressButton(chat, user, msgs[0].ID, data)
			e.handlers.Handle(ctx, &models.Update{ID: 1, CallbackQuery: &models.CallbackQuery{ID: cb, From: user, Data: data,
				Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
					Message: &models.Message{ID: msgs[0].ID, Chat: chat, Text: msgs[0].Plain}}}})
		}
		press(kb.InlineKeyboard[0][0].CallbackData)
		answers := e.tg.CallbackAnswers()
		if len(answers) != 1 || strings.Contains(answers[0].Text, "hết hạn") {
			t.Errorf("pressing the reminder's button was answered %+v", answers)
		}
		var detail bool
		for _, m := range e.tg.Messages(chatXinMan) {
			detail = detail || (strings.Contains(m.Plain, "Đơn vị thực hiện") && strings.Contains(m.Plain, titleHN03))
		}
		if !detail {
			t.Errorf("no directive detail after pressing the button: %+v", e.tg.Messages(chatXinMan))
		}
		// The handlers read "d:<id>" as an expired button: the reason
		// the scheduler uses DirectiveCallback.
		press("d:" + strings.TrimPrefix(scheduler.DirectiveCallback(hn03.ID), "1:d:i"))
		if a := e.tg.CallbackAnswers(); len(a) != 2 || !strings.Contains(a[1].Text, "hết hạn") {
			t.Errorf("an unversioned button was answered %+v", a[len(a)-1])
		}

		// Xín Mần's group removes the bot; Đồng Văn's group becomes a
		// supergroup. 15/05 07:30, the -1 rung.
		before := len(e.tg.RequestsTo(chatXinMan))
		e.tg.Kick(chatXinMan)
		e.tg.MigrateGroup(chatDongVan, -1009003)
		e.sleepUntil(time.Date(2025, 5, 15, 7, 30, 0, 0, hcm))
		rep = e.pass(t)
		if rep.Failed != 1 {
			t.Errorf("second pass: %+v", rep)
		}
		if m := e.tg.Messages(-1009003); len(m) != 1 || !strings.Contains(m[0].Plain, "còn 1 ngày") {
			t.Errorf("the supergroup got %+v", m)
		}
		notices := e.tg.Messages(chatAdmin)
		if len(notices) != 1 || !strings.Contains(notices[0].Plain, "Huyện ủy Xín Mần") {
			t.Fatalf("admin notices: %+v", notices)
		}
		// The my_chat_member update for the kick arrives late: no second
		// notice; the migration update changes nothing more.
		e.svc.Registry().MembershipChanged(ctx, &models.ChatMemberUpdated{Chat: chat,
			NewChatMember: models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{}}})
		e.svc.Registry().Migrated(ctx, chatDongVan, -1009003)

		e.sleepUntil(time.Date(2025, 5, 16, 7, 30, 0, 0, hcm))
		e.pass(t)
		if n := len(e.tg.Messages(chatAdmin)); n != 1 {
			t.Errorf("admin told %d times", n)
		}
		if n := len(e.tg.RequestsTo(chatXinMan)) - before; n != 1 { // the -1 rung, refused
			t.Errorf("%d requests to the lost chat after the kick, want 1", n)
		}
		if m := e.tg.Messages(-1009003); len(m) != 2 {
			t.Errorf("the supergroup has %d messages, want 2", len(m))
		}
		if v := e.tg.Violations(); len(v) != 0 {
			t.Errorf("Telegram's limits broken: %q", v)
		}
		st, err := e.svc.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.UnitsWithoutChat) != 1 || st.UnitsWithoutChat[0].Code != "xin-man" {
			t.Errorf("units without a chat: %+v", st.UnitsWithoutChat)
		}
	})
}

// TestRegistryFollowsBotUpdates drives the registry from the updates the
// fake Bot API produces, through bot.Run, as in production.
func TestRegistryFollowsBotUpdates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newE2E(t, nil)
		ctx, cancel := context.WithCancel(t.Context())
		client, err := bot.Connect(ctx, bot.ClientConfig{Token: "1:test", APIURL: "http://telegram.test", Transport: e.tg.Transport(), PollTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			done <- bot.Run(ctx, bot.RunConfig{Workers: 1, ShutdownGrace: time.Second},
				bot.RunDeps{Client: client, Sender: e.sender, Handler: e.handlers, Events: e.svc.Registry()})
		}()
		admin := e.tg.User(7, "Quản trị viên")
		e.tg.ChangeMembership(models.Chat{ID: chatXinMan, Type: models.ChatTypeSupergroup, Title: "Xín Mần"}, admin, "member", "left")
		e.tg.MigrateGroup(chatDongVan, -1009003)
		// The poller confirms an update only once it was handled.
		if err := e.tg.Wait(ctx, func() bool { return e.tg.Pending() == 0 }); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		cancel()
		if err := <-done; err != nil && err != context.Canceled {
			t.Fatalf("bot.Run: %v", err)
		}
		if us, _ := e.db.UnitsForChat(t.Context(), chatXinMan, 0); len(us) != 0 {
			t.Errorf("the chat the bot left still speaks for %v", us)
		}
		if us, _ := e.db.UnitsForChat(t.Context(), -1009003, 0); len(us) != 1 {
			t.Errorf("the supergroup speaks for %v, want Đồng Văn", us)
		}
		// The notice goes out with the next pass, in working hours.
		e.pass(t)
		if n := len(e.tg.Messages(chatAdmin)); n != 1 {
			t.Errorf("admin got %d notices, want 1", n)
		}
	})
}
