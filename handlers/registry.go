package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/scheduler"
	"meetbot/store"
	"meetbot/tghtml"
)

// onTelegramOnly is the answer of the registry commands where there is no
// registry (the console).
func onTelegramOnly(cmd string) view {
	return message("ℹ️", "Lệnh /"+cmd+" chỉ dùng được trong nhóm Telegram có bot.", "")
}

// isChatAdmin reports whether the user administers the chat, asking
// Telegram (getChatMember).
func (h *Handlers) isChatAdmin(ctx context.Context, chatID, userID int64) (bool, error) {
	m, err := h.deps.Members.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: chatID, UserID: userID})
	if err != nil {
		return false, fmt.Errorf("getChatMember: %w", err)
	}
	return m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator, nil
}

// cmdRegister: /register <unit>, in a group, by one of its administrators
// (or an office administrator): the group (or the forum topic the command
// was sent in) speaks for the unit from now on, and gets its reminders.
func (h *Handlers) cmdRegister(ctx context.Context, r *request, args string) (view, error) {
	if h.deps.Registry == nil || h.deps.Members == nil {
		return onTelegramOnly("register"), nil
	}
	if r.private {
		return message("ℹ️", "Hãy gõ /register trong nhóm Telegram của đơn vị (thêm bot vào nhóm trước).",
			"Ví dụ, trong nhóm của Huyện ủy Xín Mần: /register xin-man"), nil
	}
	if strings.TrimSpace(args) == "" {
		return usage("register", "Hãy cho biết đơn vị mà nhóm này đại diện (xem /units)."), nil
	}
	if ok, err := h.mayManageChat(ctx, r); err != nil || !ok {
		return refusedView("gắn nhóm với đơn vị", "quản trị viên của nhóm này hoặc quản trị viên của văn phòng"), err
	}
	us, err := h.deps.Store.FindUnits(ctx, args)
	if err != nil {
		return view{}, fmt.Errorf("find units: %w", err)
	}
	switch {
	case len(us) == 0:
		return message("🔍", "Không tìm thấy đơn vị “"+tghtml.Truncate(args, 60)+"”.", "Xem ký hiệu các đơn vị bằng /units, ví dụ: /register xin-man"), nil
	case len(us) > 1 && !exactUnit(us, args):
		var names []string
		for _, u := range us[:min(len(us), 8)] {
			names = append(names, u.Name+" ("+u.Code+")")
		}
		return message("❓", "Có nhiều đơn vị khớp với “"+tghtml.Truncate(args, 60)+"”: "+strings.Join(names, "; ")+".",
			"Hãy gõ lại với ký hiệu của đơn vị, ví dụ: /register "+us[0].Code), nil
	}
	u := us[0]
	if u.Code != strings.TrimSpace(args) {
		for _, c := range us {
			if c.Code == strings.TrimSpace(args) {
				u = c
			}
		}
	}
	b, err := h.deps.Registry.BindChat(ctx, store.Binding{ChatID: r.chatID, ThreadID: r.thread, UnitID: u.ID, ChatTitle: r.chatTitle, BoundBy: r.user.ID})
	if err != nil {
		return view{}, fmt.Errorf("bind chat: %w", err)
	}
	where := "Nhóm này"
	if b.ThreadID != 0 {
		where = "Chủ đề này của nhóm"
	}
	at := h.cfg.ReminderTime
	if at == "" {
		at = "buổi sáng"
	}
	return message("✅", where+" đã được gắn với "+u.Name+".",
		"Nhắc hạn của đơn vị sẽ gửi vào đây lúc "+at+" các ngày làm việc. Gõ /directives để xem các chỉ đạo của đơn vị; /unregister để bỏ gắn."), nil
}

// exactUnit reports whether text is exactly one of the units' codes.
func exactUnit(us []store.Unit, text string) bool {
	text = strings.TrimSpace(text)
	for _, u := range us {
		if u.Code == text {
			return true
		}
	}
	return false
}

// mayManageChat reports whether the user may bind or unbind this chat.
func (h *Handlers) mayManageChat(ctx context.Context, r *request) (bool, error) {
	if admin, err := h.isAdmin(ctx, r); err != nil || admin {
		return admin, err
	}
	return h.isChatAdmin(ctx, r.chatID, r.user.ID)
}

// cmdUnregister: /unregister, in a bound group: it stops speaking for its
// unit (and stops getting its reminders).
func (h *Handlers) cmdUnregister(ctx context.Context, r *request, _ string) (view, error) {
	if h.deps.Registry == nil || h.deps.Members == nil {
		return onTelegramOnly("unregister"), nil
	}
	if r.private {
		return message("ℹ️", "Hãy gõ /unregister trong nhóm đã gắn với đơn vị.", ""), nil
	}
	if ok, err := h.mayManageChat(ctx, r); err != nil || !ok {
		return refusedView("bỏ gắn nhóm", "quản trị viên của nhóm này hoặc quản trị viên của văn phòng"), err
	}
	b, err := h.deps.Registry.UnbindChat(ctx, r.chatID, r.thread)
	if errors.Is(err, store.ErrNotFound) {
		return message("ℹ️", "Nhóm này chưa gắn với đơn vị nào.", "Gắn bằng /register <đơn vị>, ví dụ: /register xin-man"), nil
	}
	if err != nil {
		return view{}, fmt.Errorf("unbind chat: %w", err)
	}
	return message("✅", "Đã bỏ gắn nhóm với "+b.Unit.Name+".", "Nhóm sẽ không nhận nhắc hạn của đơn vị nữa."), nil
}

// refusedView is the polite refusal of a command the user may not use,
// saying who can.
func refusedView(what, who string) view {
	return message("🔒", "Bạn không có quyền "+what+".", "Việc này do "+who+" thực hiện.")
}

// cmdStatus: /status, for the office's administrators: the reminders'
// state.
func (h *Handlers) cmdStatus(ctx context.Context, r *request, _ string) (view, error) {
	if admin, err := h.isAdmin(ctx, r); err != nil || !admin {
		return refusedView("xem tình trạng nhắc việc", officeAdminWho), err
	}
	if h.deps.Status == nil {
		return onTelegramOnly("status"), nil
	}
	st, err := h.deps.Status.Status(ctx)
	if err != nil {
		return view{}, fmt.Errorf("reminders status: %w", err)
	}
	return r.rd.status(st), nil
}

// status renders the reminders' state.
func (rd renderer) status(st scheduler.Status) view {
	var d tghtml.Builder
	d.Text("🛠 ").B("Tình trạng nhắc việc").NL().NL()
	if st.LastTick.IsZero() {
		d.Text("Lượt gần nhất: chưa chạy").NL()
	} else {
		d.Text("Lượt gần nhất: " + fmtShortWhen(st.LastTick, rd.loc)).NL()
	}
	if !st.NextReminders.IsZero() {
		d.Text("Nhắc hạn tiếp theo: " + fmtShortWhen(st.NextReminders, rd.loc)).NL()
	}
	d.NL().B("Hộp thư đi").NL()
	d.Textf("• Đang chờ gửi: %d tin", st.Pending).NL()
	d.Textf("• Đã gửi hôm nay: %d tin", st.SentToday).NL()
	d.Textf("• Lỗi hôm nay: %d tin", st.FailedToday).NL()
	if st.ExpiredToday > 0 {
		d.Textf("• Quá giờ gửi, bỏ qua: %d tin", st.ExpiredToday).NL()
	}
	if st.PendingItems > 0 {
		d.Textf("• Mục nhắc chưa gửi được (đơn vị chưa có nhóm): %d", st.PendingItems).NL()
	}
	if len(st.RecentFailures) > 0 {
		d.NL().B("Lỗi gần đây").NL()
		for _, m := range st.RecentFailures {
			d.Textf("• Nhóm %d: %s", m.ChatID, tghtml.Truncate(m.LastError, 120)).NL()
		}
	}
	if len(st.UnitsWithoutChat) > 0 {
		d.NL().B("Đơn vị chưa gắn nhóm").NL()
		for _, u := range st.UnitsWithoutChat {
			d.Text("• " + u.Name + " — ").Code(u.Code).NL()
		}
	}
	if len(st.Warnings) > 0 {
		d.NL().B("Cần chú ý").NL()
		for _, w := range st.Warnings {
			d.Text("⚠️ " + w).NL()
		}
	}
	return view{html: d.String()}
}
