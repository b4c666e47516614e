package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// Renderer writes the scheduler's messages as Telegram HTML, in
// Vietnamese, each split into parts that fit one message. The default
// renderer, NewRenderer's, writes every message through tghtml.Builder,
// which escapes all data, and words statuses, roles and days as the
// handlers do (package wording); the handlers' renderer may take its
// place.
type Renderer interface {
	// Reminder is a unit's consolidated reminder: its deadline items due
	// or overdue in this run and its upcoming meetings.
	Reminder(r UnitReminder) []Rendered
	// Weekly is a unit's weekly digest of its open items.
	Weekly(w WeeklyDigest) []Rendered
	// Escalation is the daily digest of overdue items across units.
	Escalation(e EscalationDigest) []Rendered
	// ChatLost tells the administrators that a unit's chat was lost.
	ChatLost(n ChatLost) []Rendered
}

// Rendered is one message: Telegram HTML text of at most 4096 UTF-16
// code units, and its inline buttons.
type Rendered struct {
	Text    string
	Buttons [][]store.OutboxButton
}

// UnitReminder is what a unit is reminded of in one run.
type UnitReminder struct {
	Unit  store.Unit
	Today store.Date
	// Deadlines are ordered by deadline (the most overdue first).
	Deadlines []DeadlineItem
	// Meetings are ordered by start.
	Meetings []MeetingItem
}

// DeadlineItem is one directive the unit has not completed.
type DeadlineItem struct {
	Directive store.Directive
	// Role is the unit's part (chủ trì, phối hợp).
	Role store.Role
	// Rung is the ladder's day that fired (days from the deadline).
	Rung int
}

// MeetingItem is one meeting the unit attends.
type MeetingItem struct {
	Meeting store.Meeting
	// Start is when the meeting starts (its reminders count from it).
	Start time.Time
	// Before is how long before the start this reminder was due.
	Before time.Duration
}

// WeeklyDigest is a unit's open directives: overdue, pending, standing,
// most urgent first.
type WeeklyDigest struct {
	Unit       store.Unit
	Today      store.Date
	Directives []store.Directive
}

// EscalationDigest lists, per unit, the directives it has not completed
// past their deadline.
type EscalationDigest struct {
	Today store.Date
	Units []UnitOverdue
}

// UnitOverdue is one unit's overdue directives.
type UnitOverdue struct {
	Unit       store.Unit
	Directives []store.Directive
}

// ChatLost is a chat the bot can no longer write to.
type ChatLost struct {
	ChatID    int64
	ChatTitle string
	// Reason is a bot.ChatProblem or one of the Reason constants.
	Reason   string
	Bindings []store.Binding
	At       time.Time
}

// RenderOptions configure NewRenderer.
type RenderOptions struct {
	// Location is the office's time zone, for meeting times; default UTC.
	Location *time.Location
	// DirectiveData returns the callback data of a directive's button
	// (at most 64 bytes; longer data gives no button). The default,
	// DirectiveCallback, is the handlers' directive-detail button.
	DirectiveData func(id int64) string
	// MaxLen bounds a message in UTF-16 code units, markup included
	// (default and most 4096, Telegram's limit).
	MaxLen int
	// MaxItems bounds the items, and so the buttons, of one message
	// (default 15).
	MaxItems int
}

// NewRenderer returns the default Renderer.
func NewRenderer(o RenderOptions) Renderer {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.DirectiveData == nil {
		o.DirectiveData = DirectiveCallback
	}
	if o.MaxLen <= 0 || o.MaxLen > tghtml.MaxMessageLen {
		o.MaxLen = tghtml.MaxMessageLen
	}
	if o.MaxItems <= 0 {
		o.MaxItems = 15
	}
	return &htmlRenderer{o: o}
}

// DirectiveCallback returns the callback data that opens directive id in
// the handlers: "1:d:i<id>", version 1 of the grammar in
// handlers/callback.go (docs/design.md, "Rendering"). The handlers answer
// data they cannot read, such as an unversioned "d:<id>", as expired.
func DirectiveCallback(id int64) string { return "1:d:i" + strconv.FormatInt(id, 10) }

// ReportDoneCallback returns the callback data of a reminder's "✅ Hoàn
// thành" button: the unit reports its share of the directive done,
// "1:rd:i<directive>:u<unit>" (handlers/report.go decodes it; a test
// there checks that both agree). At most 46 bytes.
func ReportDoneCallback(directiveID, unitID int64) string {
	return "1:rd:i" + strconv.FormatInt(directiveID, 10) + ":u" + strconv.FormatInt(unitID, 10)
}

// ReportProgressCallback returns the callback data of a reminder's "📝
// Tiến độ" button: the unit reports progress on the directive,
// "1:rp:i<directive>:u<unit>".
func ReportProgressCallback(directiveID, unitID int64) string {
	return "1:rp:i" + strconv.FormatInt(directiveID, 10) + ":u" + strconv.FormatInt(unitID, 10)
}

// maxCallbackData is Telegram's limit on a button's data, in bytes.
const maxCallbackData = 64

type htmlRenderer struct{ o RenderOptions }

// --- building blocks --------------------------------------------------------

// dueEmoji marks a deadline's urgency.
func dueEmoji(deadline, today store.Date) string {
	switch n := today.DaysUntil(deadline); {
	case n < 0:
		return "🔴"
	case n == 0:
		return "⚠️"
	case n <= 3:
		return "🟠"
	}
	return "⏳"
}

// block is a piece of a message that is never split: an item, and the
// button that opens it.
type block struct {
	html   string
	button *store.OutboxButton
	// report, when set, puts the button on a row of its own followed by
	// these: the unit's "✅ Hoàn thành" and "📝 Tiến độ".
	report []store.OutboxButton
}

// reportButtons returns the buttons with which unit reports on d from a
// reminder, none when the unit is unknown or the directive closed.
func reportButtons(d store.Directive, unitID int64) []store.OutboxButton {
	if unitID <= 0 || d.ID <= 0 || !d.ClosedOn.IsZero() {
		return nil
	}
	return []store.OutboxButton{
		{Text: "✅ Hoàn thành", Data: ReportDoneCallback(d.ID, unitID)},
		{Text: "📝 Tiến độ", Data: ReportProgressCallback(d.ID, unitID)},
	}
}

func (h *htmlRenderer) directiveButton(d store.Directive) *store.OutboxButton {
	data := h.o.DirectiveData(d.ID)
	if data == "" || len(data) > maxCallbackData {
		return nil
	}
	label := d.Code
	if strings.TrimSpace(label) == "" {
		label = "#" + strconv.FormatInt(d.ID, 10)
	}
	return &store.OutboxButton{Text: "📌 " + tghtml.Truncate(label, 28), Data: data}
}

// restrictedMark goes before the title of a restricted record (one only
// administrators and the units concerned see).
const restrictedMark = "🔒 "

// directiveLine writes a directive: status mark, code and title, then its
// deadline and where it stands, the unit's role, and the deadline note.
func directiveLine(b *tghtml.Builder, d store.Directive, role store.Role, today store.Date) {
	if d.Deadline.IsZero() {
		b.Text(wording.StatusEmoji(store.StatusOngoing) + " ")
	} else {
		b.Text(dueEmoji(d.Deadline, today) + " ")
	}
	if d.Code != "" {
		b.B(tghtml.Truncate(d.Code, 40)).Text(" · ")
	}
	if d.Restricted {
		b.Text(restrictedMark) // not to be forwarded outside the units concerned
	}
	b.Text(tghtml.Truncate(d.Title, 300)).NL()
	if d.Deadline.IsZero() {
		b.Text(wording.StatusName(store.StatusOngoing))
	} else {
		b.Text("Hạn " + d.Deadline.DMY() + " · ")
		if due := wording.Due(d.Deadline, today); d.Deadline.After(today) {
			b.Text(due)
		} else {
			b.B(due) // due today or overdue
		}
	}
	if role != "" {
		// Lower case: the role follows the deadline on the same line.
		b.Text(" · " + strings.ToLower(wording.Role(role)))
	}
	if note := strings.TrimSpace(d.DeadlineNote); note != "" {
		b.NL().I(tghtml.Truncate(note, 200))
	}
}

// pack lays blocks out in messages: each starts with header(i, n) (part i
// of n), holds at most MaxItems blocks and MaxLen code units, and the last
// ends with footer. Buttons of a part's blocks go under it, two a row.
// Unlike tghtml.Split, it never cuts a block, so that an item and its
// button stay in the same message; it counts markup too, to stay on the
// safe side of the limit.
func (h *htmlRenderer) pack(header func(i, n int) string, blocks []block, footer string) []Rendered {
	room := h.o.MaxLen - tghtml.UTF16Len(header(99, 99)) - tghtml.UTF16Len(footer) - 4
	var parts [][]block
	var cur []block
	size := 0
	for _, bl := range blocks {
		n := tghtml.UTF16Len(bl.html) + 2
		if len(cur) > 0 && (size+n > room || len(cur) >= h.o.MaxItems) {
			parts = append(parts, cur)
			cur, size = nil, 0
		}
		cur = append(cur, bl)
		size += n
	}
	if len(cur) > 0 || len(parts) == 0 {
		parts = append(parts, cur)
	}
	out := make([]Rendered, len(parts))
	for i, p := range parts {
		var b strings.Builder
		b.WriteString(header(i+1, len(parts)))
		var row []store.OutboxButton
		seen := map[string]bool{}
		for _, bl := range p {
			b.WriteString("\n\n")
			b.WriteString(bl.html)
			if bl.button != nil && len(bl.report) > 0 && !seen[bl.button.Data] {
				// A row of its own: the directive, then how to report on it.
				seen[bl.button.Data] = true
				if len(row) > 0 {
					out[i].Buttons = append(out[i].Buttons, row)
					row = nil
				}
				out[i].Buttons = append(out[i].Buttons, append([]store.OutboxButton{*bl.button}, bl.report...))
			} else if bl.button != nil && !seen[bl.button.Data] {
				seen[bl.button.Data] = true
				row = append(row, *bl.button)
				if len(row) == 2 {
					out[i].Buttons = append(out[i].Buttons, row)
					row = nil
				}
			}
		}
		if len(row) > 0 {
			out[i].Buttons = append(out[i].Buttons, row)
		}
		if i == len(parts)-1 && footer != "" {
			b.WriteString("\n\n" + footer)
		}
		out[i].Text = b.String()
	}
	return out
}

// partMark returns " (2/3)" for a part of several, "" for a single one.
func partMark(i, n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d/%d)", i, n)
}

// --- messages ---------------------------------------------------------------

// Reminder implements Renderer.
func (h *htmlRenderer) Reminder(r UnitReminder) []Rendered {
	var blocks []block
	for i, m := range r.Meetings {
		var b tghtml.Builder
		if i == 0 {
			b.B("Lịch họp sắp tới").NL()
		}
		b.Text("📅 ")
		if m.Meeting.Restricted {
			b.Text(restrictedMark)
		}
		b.B(tghtml.Truncate(m.Meeting.Title, 300)).NL()
		day := store.DateIn(m.Start, h.o.Location)
		when := m.Start.In(h.o.Location).Format("15:04") + ", " + wording.Day(day)
		switch r.Today.DaysUntil(day) {
		case 0:
			when += " (hôm nay)"
		case 1:
			when += " (ngày mai)"
		}
		b.Text("🕗 " + when)
		if p := strings.TrimSpace(m.Meeting.Place); p != "" {
			b.NL().Text("📍 " + tghtml.Truncate(p, 200))
		}
		if chair := wording.Person(m.Meeting.ChairName, m.Meeting.ChairPosition); chair != "" {
			b.NL().Text("👤 Chủ trì: " + tghtml.Truncate(chair, 200))
		}
		blocks = append(blocks, block{html: b.String()})
	}
	for i, it := range r.Deadlines {
		var b tghtml.Builder
		if i == 0 {
			b.B("Nhiệm vụ đến hạn, quá hạn").NL()
		}
		directiveLine(&b, it.Directive, it.Role, r.Today)
		blocks = append(blocks, block{html: b.String(), button: h.directiveButton(it.Directive), report: reportButtons(it.Directive, r.Unit.ID)})
	}
	unit := tghtml.Truncate(r.Unit.Name, 120)
	header := func(i, n int) string {
		var b tghtml.Builder
		b.Text("🔔 ").B("Nhắc việc: " + unit).Text(partMark(i, n))
		if i == 1 {
			b.NL().Text(wording.Day(r.Today))
		}
		return b.String()
	}
	footer := ""
	if len(r.Deadlines) > 0 {
		var b tghtml.Builder
		footer = b.I("Bấm mã nhiệm vụ bên dưới để xem chi tiết; “✅ Hoàn thành” hoặc “📝 Tiến độ” để báo cáo.").String()
	}
	return h.pack(header, blocks, footer)
}

// Weekly implements Renderer.
func (h *htmlRenderer) Weekly(w WeeklyDigest) []Rendered {
	var counts store.StatusCounts
	var blocks []block
	for _, d := range w.Directives {
		st, _ := d.UnitStatus(w.Unit.ID, w.Today)
		counts.Add(st)
		var role store.Role
		var percent int
		for _, a := range d.Assignments {
			if a.Unit.ID == w.Unit.ID {
				role, percent = a.Role, a.Percent
			}
		}
		var b tghtml.Builder
		directiveLine(&b, d, role, w.Today)
		if percent > 0 {
			b.NL().Textf("Tiến độ: %d%%", percent)
		}
		blocks = append(blocks, block{html: b.String(), button: h.directiveButton(d), report: reportButtons(d, w.Unit.ID)})
	}
	monday := w.Today.AddDays(-((int(w.Today.Weekday()) + 6) % 7))
	unit := tghtml.Truncate(w.Unit.Name, 120)
	summary := fmt.Sprintf("%s Quá hạn: %d · %s Trong hạn: %d · %s Thường xuyên: %d",
		wording.StatusEmoji(store.StatusOverdue), counts.Overdue,
		wording.StatusEmoji(store.StatusPending), counts.Pending,
		wording.StatusEmoji(store.StatusOngoing), counts.Ongoing)
	if len(w.Directives) == 0 {
		summary = "✅ Đơn vị không còn nhiệm vụ nào đang mở."
	}
	header := func(i, n int) string {
		var b tghtml.Builder
		b.Text("🗓 ").B("Tổng hợp tuần: " + unit).Text(partMark(i, n))
		if i == 1 {
			b.NL().Textf("Tuần %02d/%02d – %s", monday.Day, monday.Month, monday.AddDays(6).DMY())
			b.NL().Text(summary)
		}
		return b.String()
	}
	return h.pack(header, blocks, "")
}

// Escalation implements Renderer.
func (h *htmlRenderer) Escalation(e EscalationDigest) []Rendered {
	total := 0
	var blocks []block
	for _, u := range e.Units {
		for i, d := range u.Directives {
			total++
			var b tghtml.Builder
			if i == 0 {
				b.Text("🏢 ").B(tghtml.Truncate(u.Unit.Name, 120)).Textf(" (%d)", len(u.Directives)).NL()
			}
			var role store.Role
			for _, a := range d.Assignments {
				if a.Unit.ID == u.Unit.ID {
					role = a.Role
				}
			}
			directiveLine(&b, d, role, e.Today)
			blocks = append(blocks, block{html: b.String(), button: h.directiveButton(d)})
		}
	}
	if total == 0 {
		var b tghtml.Builder
		b.Text("✅ ").B("Không có nhiệm vụ quá hạn").NL().Text(wording.Day(e.Today))
		return []Rendered{{Text: b.String()}}
	}
	header := func(i, n int) string {
		var b tghtml.Builder
		b.Text("🚨 ").B("Nhiệm vụ quá hạn").Text(partMark(i, n))
		if i == 1 {
			b.NL().Text(wording.Day(e.Today))
			b.NL().Textf("%d lượt nhiệm vụ quá hạn của %d đơn vị", total, len(e.Units))
		}
		return b.String()
	}
	return h.pack(header, blocks, "")
}

// lostReason says in Vietnamese why a chat was lost.
func lostReason(r string) string {
	switch r {
	case ReasonLeft:
		return "bot đã rời nhóm hoặc bị xóa khỏi nhóm"
	case ReasonKicked: // also bot.ChatKicked: 403 "bot was kicked from the group"
		return "bot đã bị xóa khỏi nhóm"
	case ReasonRestricted:
		return "bot bị hạn chế, không được gửi tin trong nhóm"
	case "blocked":
		return "người dùng đã chặn bot"
	case "deactivated":
		return "nhóm hoặc tài khoản đã bị xóa"
	case "forbidden":
		return "bot không có quyền gửi tin vào nhóm"
	case "not found":
		return "không tìm thấy nhóm"
	}
	return r
}

// ChatLost implements Renderer.
func (h *htmlRenderer) ChatLost(n ChatLost) []Rendered {
	var b tghtml.Builder
	b.Text("⚠️ ").B("Bot không còn gửi được tin vào nhóm của đơn vị").NL()
	title := strings.TrimSpace(n.ChatTitle)
	if title == "" {
		title = "(không rõ tên)"
	}
	b.Text("Nhóm: " + tghtml.Truncate(title, 120) + " (").Code(strconv.FormatInt(n.ChatID, 10)).Text(")").NL()
	b.Text("Lý do: " + lostReason(n.Reason)).NL()
	b.Text("Đã ngừng nhắc việc cho:")
	for _, bd := range n.Bindings {
		b.NL().Text("• " + tghtml.Truncate(bd.Unit.Name, 120))
		if bd.ThreadID != 0 {
			b.Textf(" (chủ đề %d)", bd.ThreadID)
		}
	}
	b.NL().NL().Text("Để khôi phục: thêm lại bot vào nhóm, cho phép gửi tin, rồi dùng lệnh /register trong nhóm.")
	if !n.At.IsZero() {
		b.NL().I(n.At.In(h.o.Location).Format("15:04") + ", " + wording.Day(store.DateIn(n.At, h.o.Location)))
	}
	return []Rendered{{Text: b.String()}}
}
