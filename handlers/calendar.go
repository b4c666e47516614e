package handlers

import (
	"context"
	"fmt"

	"meetbot/calfeed"
	"meetbot/store"
	"meetbot/tghtml"
)

// FeedTokens gives each unit's secret calendar feed token, creating it
// on first use; *sqlstore.Store satisfies it.
type FeedTokens interface {
	FeedToken(ctx context.Context, unitID int64) (string, error)
}

// cmdCalendar: /calendar [unit]. It sends an .ics file of the meetings
// and open deadlines of the window (calfeed.DefaultWindow) that the user
// may see: in a chat bound to one unit, that unit's own; with a unit
// named, that unit's; otherwise everything. The unit's feed address
// (PUBLIC_URL/calendar/<token>.ics) is shown in the unit's own chat and
// to administrators, nowhere else: whoever has it reads the unit's
// calendar, restricted items included.
func (h *Handlers) cmdCalendar(ctx context.Context, r *request, args string) (view, error) {
	unitID, reply, done, err := h.pickUnit(ctx, r, "calendar", args)
	if done || err != nil {
		return reply, err
	}
	bound, err := h.boundUnit(ctx, r)
	if err != nil {
		return view{}, err
	}
	q := calfeed.Query{Viewer: h.viewerOf(ctx, r), Today: r.rd.today, Location: h.cfg.Location}
	var unit store.Unit
	if unitID != 0 {
		if unit, err = h.deps.Store.Unit(ctx, unitID); err != nil {
			return view{}, fmt.Errorf("calendar unit %d: %w", unitID, err)
		}
		q.Unit = unit.Ref(store.Date{})
	}
	res, err := calfeed.Build(ctx, h.deps.Store, q)
	if err != nil {
		return view{}, err
	}
	doc, err := res.Calendar.Bytes()
	if err != nil {
		return view{}, fmt.Errorf("calendar: %w", err)
	}
	name := "lich-hop-va-han.ics"
	if unit.ID != 0 {
		name = "lich-" + unit.Code + ".ics"
	}
	var d tghtml.Builder
	d.Text("📅 ").B("Lịch họp và hạn chỉ đạo")
	if unit.ID != 0 {
		d.Text(" – " + unit.Name)
	}
	d.NL()
	d.Textf("Từ %s đến %s: %d cuộc họp, %d hạn chỉ đạo chưa hoàn thành.", res.From.DMY(), res.To.DMY(), res.Meetings, res.Deadlines).NL()
	if res.Capped {
		d.I(fmt.Sprintf("Tệp chỉ gồm %d cuộc họp và %d hạn đầu tiên.", calfeed.MaxMeetings, calfeed.MaxDeadlines)).NL()
	}
	d.Text("Mở tệp đính kèm để thêm vào ứng dụng lịch (Google Calendar, Outlook, Lịch trên điện thoại).").NL()

	// The feed: in the unit's own chat, or for an administrator.
	if unit.ID != 0 {
		admin, err := h.isAdmin(ctx, r)
		if err != nil {
			return view{}, err
		}
		switch {
		case unit.ID != bound && !admin:
			d.NL().I("Địa chỉ đăng ký lịch tự cập nhật của đơn vị được gửi trong nhóm Telegram của đơn vị, hoặc do quản trị viên của văn phòng cung cấp.").NL()
		case h.cfg.PublicURL == "" || h.deps.Feeds == nil:
			d.NL().I("Lịch đăng ký tự cập nhật (feed) chưa được cấu hình (PUBLIC_URL).").NL()
		default:
			token, err := h.deps.Feeds.FeedToken(ctx, unit.ID)
			if err != nil {
				return view{}, fmt.Errorf("feed token of unit %d: %w", unit.ID, err)
			}
			d.NL().B("Đăng ký lịch tự cập nhật:").NL()
			d.Code(calfeed.FeedURL(h.cfg.PublicURL, token)).NL()
			d.I("Dán địa chỉ này vào mục “Thêm lịch từ URL” của ứng dụng lịch. Hãy giữ kín: ai có địa chỉ đều xem được lịch của đơn vị, kể cả nội dung hạn chế.").NL()
		}
	}
	caption := tghtml.Escape(fmt.Sprintf("📅 %d cuộc họp, %d hạn chỉ đạo (%s–%s)", res.Meetings, res.Deadlines, res.From.DMY(), res.To.DMY()))
	if _, err := h.sendFile(ctx, r, name, doc, caption); err != nil {
		h.deps.Log.Error("send calendar", "update_id", r.updateID, "err", err)
		return message("⚠️", "Không gửi được tệp lịch, vui lòng thử lại sau."), nil
	}
	return view{html: d.String()}, nil
}
