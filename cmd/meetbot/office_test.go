package main

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

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

	// waitFor waits for a message in chat whose text contains s.
	waitFor := func(chat models.Chat, s string) telegramtest.Message {
		t.Helper()
		var found telegramtest.Message
		h.wait(s, func() bool {
			for _, m := range h.replies(chat) {
				if strings.Contains(m.Plain, s) {
					found = m
					return true
				}
			}
			return false
		})
		return found
	}

	card := h.sayAs(group, member, "/directive@"+botName+" HNXM-2024/03")
	h.fake.PressButton(group, member, card.ID, buttonData(t, card, "Đã hoàn thành"))
	q := waitFor(group, "Xác nhận đơn vị đã hoàn thành?")
	h.fake.PressButton(group, member, q.ID, buttonData(t, q, "Xác nhận hoàn thành"))
	waitFor(group, "Đã gửi báo cáo hoàn thành chỉ đạo HNXM-2024/03 của Huyện ủy Xín Mần")
	waitFor(admins, "Báo cáo mới chờ xác nhận")

	if m := h.sayAs(memberDM, member, "/pending"); !strings.Contains(m.Plain, "không có quyền") {
		t.Errorf("/pending by a unit member: %q", m.Plain)
	}
	list := h.say(h.dm, "/pending")
	if !strings.Contains(list.Plain, "HNXM-2024/03") {
		t.Fatalf("/pending:\n%s", list.Plain)
	}
	h.fake.PressButton(h.dm, h.user, list.ID, buttonData(t, list, "Xác nhận 1"))
	waitFor(group, "Văn phòng đã xác nhận báo cáo hoàn thành")
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
