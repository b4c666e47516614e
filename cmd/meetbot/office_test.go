package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"meetbot/bot/telegramtest"
	"meetbot/store"
)

// TestRunUnitReportsAndOfficeConfirms: through the Bot API fake, a unit
// member reports a directive done from its card in the unit's group, the
// administrators' chat is told, the office confirms it from /pending,
// the group is told and the card shows the share done; a user who is
// not an administrator is refused /pending.
func TestRunUnitReportsAndOfficeConfirms(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	early := store.NewDate(2026, 12, 1).Start(loc).Add(6 * time.Hour) // before reminders go out
	h := startBotAt(t, func() time.Time { return early }, map[string]string{"ADMIN_IDS": "4242", "ADMIN_CHAT_ID": "-1009990001"}, serveOptions{})
	admins := h.fake.Group(-1009990001, "Văn phòng")
	group := h.fake.Group(-1001000000200, "Huyện ủy Xín Mần")
	h.fake.SetMember(group.ID, h.user.ID, "administrator")
	if m := h.say(group, "/register@"+botName+" xin-man"); !strings.Contains(m.Plain, "đã được gắn với") {
		t.Fatalf("/register: %q", m.Plain)
	}
	member := h.fake.User(5005, "Cán bộ Xín Mần")
	memberDM := h.fake.PrivateChat(member)

	card := h.sayAs(group, member, "/directive@"+botName+" HNXM-2024/03")
	h.fake.PressButton(group, member, card.ID, buttonData(t, card, "Đã hoàn thành"))
	q := h.waitText(group, "Xác nhận đơn vị đã hoàn thành?")
	h.fake.PressButton(group, member, q.ID, buttonData(t, q, "Xác nhận hoàn thành"))
	h.waitText(group, "Đã gửi báo cáo hoàn thành chỉ đạo HNXM-2024/03 của Huyện ủy Xín Mần")
	h.waitText(admins, "Báo cáo mới chờ xác nhận")

	if m := h.sayAs(memberDM, member, "/pending"); !strings.Contains(m.Plain, "không có quyền") {
		t.Errorf("/pending by a unit member: %q", m.Plain)
	}
	list := h.say(h.dm, "/pending")
	if !strings.Contains(list.Plain, "HNXM-2024/03") {
		t.Fatalf("/pending:\n%s", list.Plain)
	}
	h.fake.PressButton(h.dm, h.user, list.ID, buttonData(t, list, "Xác nhận 1"))
	h.waitText(group, "Văn phòng đã xác nhận báo cáo hoàn thành")
	after := h.say(h.dm, "/directive HNXM-2024/03")
	if !strings.Contains(after.Plain, "Hoàn thành ngày 01/12/2026") {
		t.Errorf("the card after the confirmation:\n%s", after.Plain)
	}
	hist := h.say(h.dm, "/history HNXM-2024/03")
	if !strings.Contains(hist.Plain, "Văn phòng xác nhận báo cáo") || !strings.Contains(hist.Plain, "Đơn vị gửi báo cáo") {
		t.Errorf("/history:\n%s", hist.Plain)
	}
	if v := h.fake.Violations(); len(v) > 0 {
		t.Errorf("Bot API violations: %v", v)
	}
}

// TestRunReportFromReminder: a reminder sent by "meetbot remind" to a
// unit's group carries the unit's report buttons; a member presses "✅
// Hoàn thành" on it and the report waits for the office.
func TestRunReportFromReminder(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	day := store.NewDate(2026, 12, 1)
	early := day.Start(loc).Add(6 * time.Hour)
	h := startBotAt(t, func() time.Time { return early }, map[string]string{"ADMIN_IDS": "4242"}, serveOptions{})
	group := h.fake.Group(-1001000000300, "Huyện ủy Xín Mần")
	h.fake.SetMember(group.ID, h.user.ID, "administrator")
	if m := h.say(group, "/register@"+botName+" xin-man"); !strings.Contains(m.Plain, "đã được gắn với") {
		t.Fatalf("/register: %q", m.Plain)
	}
	var out, errOut bytes.Buffer
	morning := day.Start(loc).Add(7*time.Hour + 45*time.Minute)
	if code := run(context.Background(), []string{"remind", "--now", morning.Format(time.RFC3339)}, nil, &out, &errOut); code != 0 {
		t.Fatalf("meetbot remind: exit %d\n%s", code, errOut.String())
	}
	var reminder telegramtest.Message
	for _, m := range h.replies(group) {
		if strings.Contains(m.Plain, "Nhắc việc") {
			reminder = m
		}
	}
	if reminder.ID == 0 {
		t.Fatalf("no reminder in the group:\n%s", out.String())
	}
	var data string
	for _, row := range reminder.Markup.InlineKeyboard {
		if len(row) == 3 && strings.Contains(row[0].Text, "HNXM-2024/03") {
			data = row[1].CallbackData
		}
	}
	if data == "" {
		t.Fatalf("no report buttons for HNXM-2024/03 on the reminder: %+v", reminder.Markup.InlineKeyboard)
	}
	member := h.fake.User(5006, "Cán bộ Xín Mần")
	h.fake.PressButton(group, member, reminder.ID, data)
	var q telegramtest.Message
	h.wait("the confirmation", func() bool {
		for _, m := range h.replies(group) {
			if strings.Contains(m.Plain, "Xác nhận đơn vị đã hoàn thành?") {
				q = m
				return true
			}
		}
		return false
	})
	h.fake.PressButton(group, member, q.ID, buttonData(t, q, "Xác nhận hoàn thành"))
	h.wait("the report sent", func() bool {
		ms := h.replies(group)
		return strings.Contains(ms[len(ms)-1].Plain, "Đã gửi báo cáo hoàn thành chỉ đạo HNXM-2024/03")
	})
	if list := h.say(h.dm, "/pending"); !strings.Contains(list.Plain, "HNXM-2024/03") || !strings.Contains(list.Plain, "Cán bộ Xín Mần") {
		t.Errorf("/pending:\n%s", list.Plain)
	}
}
