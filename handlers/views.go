package handlers

// Views: every screen the bot shows, rendered from store records through
// tghtml.Builder and the formats in render.go. Screens (screens.go) load
// the records and choose the view; they never write markup.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// Lengths of truncated titles.
const (
	listTitleLen   = 90 // a title in a list message
	buttonLabelLen = 40 // a button's label
	noteLen        = 60 // a deadline note in a list
	reportsShown   = 3  // reports shown per unit in a directive's detail
	unitsNamed     = 3  // units named per directive in overall lists
	candidatesMax  = 10 // units offered when a name is ambiguous
)

// renderer renders views for one update: the office's zone, the day, the
// bot's name (for hints and deep links) and the list page size.
type renderer struct {
	loc   *time.Location
	today store.Date
	bot   string
	size  int
}

// commandDoc documents a command for /help and for usage replies.
type commandDoc struct {
	Name     string
	Args     string // argument grammar as shown to users
	What     string
	Examples []string
	En       string // English description, for the command menu
	// Menus the command appears in: private chats, groups, group admins.
	Private, Group, Admin bool
}

// commandDocs lists the commands in the order /help shows them.
var commandDocs = []commandDoc{
	{"meetings", "[sắp tới|đã qua|mm/yyyy]", "cuộc họp sắp tới và gần đây", []string{"/meetings", "/meetings da qua", "/meetings 04/2024"}, "upcoming and recent meetings", true, true, false},
	{"meeting", "<số>", "chi tiết một cuộc họp", []string{"/meeting 1"}, "one meeting in detail", true, false, false},
	{"directives", "[đơn vị] [tình trạng]", "chỉ đạo, lọc theo đơn vị và tình trạng", []string{"/directives xin-man", "/directives meo vac qua han", "/directives hoàn thành"}, "directives by unit and status", true, true, false},
	{"directive", "<số|ký hiệu>", "chi tiết một chỉ đạo", []string{"/directive 3", "/directive 15/CT-UBND"}, "one directive in detail", true, true, false},
	{"overdue", "[đơn vị]", "chỉ đạo quá hạn", []string{"/overdue", "/overdue dong van"}, "overdue directives", true, true, false},
	{"deadlines", "[số ngày] [đơn vị]", "chỉ đạo sắp đến hạn (mặc định 7 ngày, tối đa 365)", []string{"/deadlines", "/deadlines 30", "/deadlines 30 meo vac"}, "directives due soon (7 days by default)", true, true, false},
	{"programs", "", "chương trình, đề án, mô hình", []string{"/programs"}, "programmes, schemes and models", true, false, false},
	{"program", "<số>", "chi tiết một chương trình", []string{"/program 2"}, "one programme in detail", true, false, false},
	{"search", "<từ khoá>", "tìm cuộc họp, chỉ đạo, chương trình, đơn vị", []string{"/search bien gioi", "/search 15/CT-UBND"}, "search meetings, directives, programmes, units", true, true, false},
	{"units", "", "các đơn vị và tên gọi tắt", []string{"/units"}, "units and their short names", true, true, false},
	{"stats", "[đơn vị|tất cả]", "thống kê thực hiện chỉ đạo theo đơn vị: bảng và biểu đồ", []string{"/stats", "/stats meo vac", "/stats tất cả"},
		"directives by unit and status: table and chart", true, true, false},
	{"calendar", "[đơn vị]", "tệp lịch (.ics) các cuộc họp và hạn chỉ đạo; trong nhóm của đơn vị: lịch của đơn vị và địa chỉ đăng ký lịch",
		[]string{"/calendar", "/calendar xin-man"}, "calendar file (.ics) of meetings and deadlines", true, true, false},
	{"register", "<đơn vị>", "gắn nhóm này với đơn vị để nhận nhắc hạn (quản trị viên nhóm)", []string{"/register xin-man"}, "bind this group to a unit for reminders (group admins)", false, false, true},
	{"unregister", "", "bỏ gắn nhóm với đơn vị (quản trị viên nhóm)", []string{"/unregister"}, "unbind this group from its unit (group admins)", false, false, true},
	{"status", "", "tình trạng nhắc việc (quản trị viên văn phòng)", []string{"/status"}, "reminders status (office admins)", true, false, false},
	// Data entry (entry.go), office admins only.
	{"newdirective", "[ký hiệu | tiêu đề | hạn dd/mm/yyyy | chủ trì: … | phối hợp: …]", "nhập chỉ đạo mới; không kèm gì thì bot hỏi từng mục (quản trị viên văn phòng)",
		[]string{"/newdirective", "/newdirective ?", "/newdirective HNXM-2024/09 | Tuần tra khu vực mốc 200 | hạn 30/06/2024 | chủ trì: xin-man, meo-vac | phối hợp: bdbp"}, "enter a directive (office admins)", true, false, false},
	{"newmeeting", "[tên | dd/mm/yyyy HH:MM | địa điểm | đơn vị dự: …]", "nhập cuộc họp mới (quản trị viên văn phòng)",
		[]string{"/newmeeting", "/newmeeting ?", "/newmeeting Giao ban biên phòng quý II | 15/05/2024 14:00 | Bộ Chỉ huy BĐBP tỉnh | đơn vị dự: bdbp, xin-man"}, "enter a meeting (office admins)", true, false, false},
	{"newprogram", "[tên | loại | 2020-2025 | tầm nhìn 2030 | chủ trì: …]", "nhập chương trình, đề án mới (quản trị viên văn phòng)",
		[]string{"/newprogram", "/newprogram ?", "/newprogram Con nuôi đồn Biên phòng | mô hình | 2024-2030 | chủ trì: bdbp"}, "enter a programme (office admins)", true, false, false},
	{"edit", "[họp|chương trình] <số|ký hiệu>", "sửa chỉ đạo, cuộc họp hoặc chương trình (quản trị viên văn phòng)",
		[]string{"/edit 3", "/edit họp 2", "/edit chương trình 1"}, "edit a directive, meeting or programme (office admins)", true, false, false},
	{"extend", "<số|ký hiệu> <dd/mm/yyyy|+N|cuối tháng|thường xuyên> [lý do]", "gia hạn chỉ đạo, giữ lại hạn ban đầu (quản trị viên văn phòng)",
		[]string{"/extend 3 30/06/2024 chờ ý kiến phía bạn", "/extend 15/CT-UBND +15"}, "extend a directive's deadline (office admins)", true, false, false},
	// Files (files.go), office admins only.
	{"template", "", "tệp Excel mẫu để nhập dữ liệu (quản trị viên văn phòng)", []string{"/template"}, "Excel template for importing data (office admins)", true, false, false},
	{"import", "", "nhập dữ liệu: gửi tệp .xlsx, .csv hoặc .yaml (quản trị viên văn phòng)", []string{"/import"}, "import data: send an .xlsx, .csv or .yaml file (office admins)", true, false, false},
	{"export", "", "xuất chỉ đạo và tình trạng ra tệp Excel (quản trị viên văn phòng)", []string{"/export"}, "export directives and their status to Excel (office admins)", true, false, false},
	// Units' reports, the office's review, history and administrators
	// (report.go, review.go, history.go, admin.go).
	{"done", "<số|ký hiệu> [ghi chú]", "báo cáo đơn vị đã hoàn thành một chỉ đạo (thành viên đơn vị được giao)",
		[]string{"/done 3", "/done 15/CT-UBND đã tổ chức xong 5 buổi tuyên truyền"}, "report a directive done (unit members)", true, true, false},
	{"progress", "<số|ký hiệu> <phần trăm> <ghi chú>", "báo cáo tiến độ một chỉ đạo (thành viên đơn vị được giao)",
		[]string{"/progress 3 50 đã tuần tra 2 đợt", "/progress 15/CT-UBND 75% đã tổ chức 3 buổi"}, "report progress on a directive (unit members)", true, true, false},
	{"pending", "", "báo cáo của đơn vị chờ xác nhận (quản trị viên văn phòng)", []string{"/pending"}, "reports awaiting review (office admins)", true, false, false},
	{"history", "[họp|chương trình] <số|ký hiệu>", "lịch sử thay đổi của chỉ đạo, cuộc họp, chương trình",
		[]string{"/history 3", "/history họp 2", "/history chương trình 1"}, "change history of a record", true, true, false},
	{"admin", "[add|remove <mã người dùng>]", "danh sách, thêm, bớt quản trị viên (quản trị viên văn phòng)",
		[]string{"/admin", "/admin add 123456789", "/admin remove 123456789"}, "list, add, remove administrators (office admins)", true, false, false},
	{"cancel", "", "huỷ việc đang làm dở (nhập liệu, báo cáo)", []string{"/cancel"}, "cancel what you are doing", true, true, false},
	{"help", "[quản trị|lệnh]", "hướng dẫn này; kèm tên lệnh để xem cách dùng lệnh đó", []string{"/help", "/help done", "/help quản trị"}, "how to use the bot", true, true, false},
	{"start", "", "lời chào và hướng dẫn", []string{"/start"}, "welcome and guide", true, false, false},
}

// MenuCommand is one entry of the Telegram command menu (setMyCommands).
type MenuCommand struct {
	Command string // without '/'
	Vi, En  string // descriptions
	// Private, Group and Admin say in which menus the command appears:
	// private chats, groups, and for group administrators.
	Private, Group, Admin bool
}

// Menu returns the command menu in /help order.
func Menu() []MenuCommand {
	out := make([]MenuCommand, 0, len(commandDocs))
	for _, c := range commandDocs {
		out = append(out, MenuCommand{Command: c.Name, Vi: c.What, En: c.En, Private: c.Private, Group: c.Group, Admin: c.Admin})
	}
	return out
}

// docFor returns the documentation of a command.
func docFor(name string) commandDoc {
	for _, c := range commandDocs {
		if c.Name == name {
			return c
		}
	}
	return commandDoc{Name: name}
}

// --- help, start and messages ----------------------------------------------

// menu is the keyboard of /help and /start.
func menu() *models.InlineKeyboardMarkup {
	var k keyboard
	k.row(button("🏛 Cuộc họp", callback{Kind: kindMeetings, Page: 1}), button("📌 Chỉ đạo", callback{Kind: kindDirectives, Page: 1}))
	k.row(button("🔴 Quá hạn", callback{Kind: kindOverdue, Page: 1}), button("⏰ Sắp đến hạn", callback{Kind: kindDeadlines, Days: defaultDeadlineDays, Page: 1}))
	k.row(button("📚 Chương trình", callback{Kind: kindPrograms, Page: 1}), button("🏢 Đơn vị", callback{Kind: kindUnits}))
	return k.markup()
}

// officeCommands are the commands of the office's administrators: /help
// lists them in one short section, and "/help quản trị" explains them,
// so each part stays one message.
var officeCommands = map[string]bool{
	"status": true, "newdirective": true, "newmeeting": true, "newprogram": true,
	"edit": true, "extend": true, "template": true, "import": true, "export": true,
	"pending": true, "admin": true,
}

// helpDoc writes one command with its grammar and examples.
func helpDoc(d *tghtml.Builder, c commandDoc) {
	d.Text("/" + c.Name)
	if c.Args != "" {
		d.Text(" " + c.Args)
	}
	d.Text(" — " + c.What).NL()
	if len(c.Examples) == 0 {
		return
	}
	d.Text("   Ví dụ: ")
	for i, e := range c.Examples {
		if i > 0 {
			d.Text(" · ")
		}
		d.Code(e)
	}
	d.NL()
}

func (rd renderer) helpBody(d *tghtml.Builder) {
	var office []string
	for _, c := range commandDocs {
		switch {
		case c.Name == "start":
		case officeCommands[c.Name]:
			office = append(office, "/"+c.Name)
		default:
			helpDoc(d, c)
		}
	}
	d.NL()
	d.B("Tình trạng chỉ đạo:").Text(" quá hạn, trong hạn, hoàn thành, hoàn thành đúng hạn, hoàn thành quá hạn, chưa hoàn thành, thường xuyên.").NL()
	d.B("Đơn vị:").Text(" ký hiệu (xin-man), tên hoặc tên gọi tắt; xem /units. ")
	d.Text("Trong nhóm của một đơn vị, /directives, /overdue và /deadlines chỉ hiện việc của đơn vị đó; thêm “tất cả” để xem mọi đơn vị.").NL()
	d.Text("Gõ không dấu cũng được (\"bien gioi\"). Trong chat riêng, nhắn từ khoá bất kỳ để tìm kiếm.").NL()
	if rd.bot != "" {
		d.Text("Trong nhóm, gõ lệnh kèm tên bot: /directives@" + rd.bot + ". ")
		d.Text("Ở mọi cuộc trò chuyện, gõ @" + rd.bot + " và từ khoá để chia sẻ nhanh.").NL()
	}
	if len(office) > 0 {
		d.NL().B("Dành cho quản trị viên văn phòng:").Text(" " + strings.Join(office, ", ") + ". ")
		d.Text("Xem cách dùng: ").Code("/help quản trị").Text(".").NL()
	}
}

// help is the /help view.
func (rd renderer) help() view {
	var d tghtml.Builder
	d.Text("🤖 ").B("Hướng dẫn tra cứu cuộc họp, chỉ đạo và chương trình").NL().NL()
	rd.helpBody(&d)
	return view{html: d.String(), kb: menu()}
}

// officeHelp is "/help quản trị": the administrators' commands with their
// examples.
func (rd renderer) officeHelp() view {
	var d tghtml.Builder
	d.Text("🔐 ").B("Lệnh của quản trị viên văn phòng").NL().NL()
	for _, c := range commandDocs {
		if officeCommands[c.Name] {
			helpDoc(&d, c)
		}
	}
	d.NL().Text("Quản trị viên là những người trong ADMIN_IDS và những người được cấp quyền bằng /admin. Gửi tệp .xlsx, .csv hoặc .yaml vào chat riêng với bot để nhập dữ liệu.").NL()
	return view{html: d.String()}
}

// helpFor answers /help with an argument: "quản trị" (or "admin") lists the
// administrators' commands, a command's name explains that command, and
// anything else gets the whole guide.
func (rd renderer) helpFor(args string) view {
	a := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(args)), "/")
	switch foldWords(a) {
	case "":
		return rd.help()
	case "quan tri", "admin", "quan tri vien", "van phong":
		return rd.officeHelp()
	}
	for _, c := range commandDocs {
		if c.Name == a {
			var d tghtml.Builder
			helpDoc(&d, c)
			return view{html: d.String()}
		}
	}
	return rd.help()
}

// start is the /start view: a welcome and a short guide.
func (rd renderer) start() view {
	var d tghtml.Builder
	d.Text("👋 ").B("Xin chào!").NL()
	d.Text("Tôi giúp tra cứu các cuộc họp, chỉ đạo (nhiệm vụ giao cho đơn vị, thời hạn, tiến độ) và các chương trình, đề án.").NL().NL()
	d.B("Thử ngay:").NL()
	d.Text("• /meetings — cuộc họp sắp tới và gần đây").NL()
	d.Text("• /overdue — chỉ đạo quá hạn").NL()
	d.Text("• ").Code("/directives xin-man").Text(" — chỉ đạo giao cho một đơn vị").NL()
	d.Text("• ").Code("/search bien gioi").Text(" — tìm theo từ khoá, gõ không dấu cũng được").NL()
	d.NL().Text("Gõ /help để xem tất cả các lệnh và ví dụ.").NL()
	return view{html: d.String(), kb: menu()}
}

// message is a short reply: an icon, a line, and optional hints.
func message(icon, text string, hints ...string) view {
	var d tghtml.Builder
	d.Text(icon + " " + text).NL()
	for _, h := range hints {
		d.Text(h).NL()
	}
	return view{html: d.String()}
}

// usage tells what went wrong with a command's arguments and how to use it.
func usage(name, problem string) view {
	c := docFor(name)
	var d tghtml.Builder
	d.Text("⚠️ " + problem).NL()
	d.Text("Cách dùng: /" + c.Name)
	if c.Args != "" {
		d.Text(" " + c.Args)
	}
	d.NL()
	if len(c.Examples) > 0 {
		d.Text("Ví dụ: ").Code(c.Examples[len(c.Examples)-1]).NL()
	}
	return view{html: d.String()}
}

// unknownCommand answers a command that does not exist.
func unknownCommand(name string) view {
	var d tghtml.Builder
	if name == "" {
		d.Text("❓ Thiếu tên lệnh sau dấu “/”. Gõ /help để xem các lệnh.")
		return view{html: d.String()}
	}
	d.Text("❓ Không có lệnh /" + tghtml.Truncate(name, 32) + ".").NL()
	if best, dist := closestCommand(name); dist <= 3 {
		d.Text("Có phải bạn muốn gõ /" + best + "? ")
	}
	d.Text("Gõ /help để xem các lệnh.")
	return view{html: d.String()}
}

// systemErrorText is the reply to an unexpected failure.
const systemErrorText = "Xin lỗi, hệ thống đang gặp sự cố, vui lòng thử lại sau."

// systemError is the reply to an unexpected failure.
func systemError() view { return message("⚠️", systemErrorText) }

// expiredNotice is the answer to a button that no longer works.
const expiredNotice = "Nút này đã hết hạn."

// --- shared list parts -------------------------------------------------------

// listHead writes a list's title, its subtitle lines and "Trang 1/3 · 20
// chỉ đạo".
func (rd renderer) listHead(d *tghtml.Builder, icon, title string, sub []string, total, offset int, noun string) {
	rd.listHeadCapped(d, icon, title, sub, total, offset, noun, false)
}

// listHeadCapped is listHead for a total that may be a lower bound
// (search stops counting at store.SearchTotalCap).
func (rd renderer) listHeadCapped(d *tghtml.Builder, icon, title string, sub []string, total, offset int, noun string, capped bool) {
	d.Text(icon + " ").B(title).NL()
	for _, s := range sub {
		d.I(s).NL()
	}
	if total > 0 {
		more := ""
		if capped {
			more = "hơn "
		}
		if n := pages(total, rd.size); n > 1 {
			plus := ""
			if capped {
				plus = "+"
			}
			d.Textf("Trang %d/%d%s · ", offset/rd.size+1, n, plus)
		}
		d.Textf("%s%d %s", more, total, noun).NL()
	}
	d.NL()
}

// pager returns the pagination row of a list: "‹ Trước", "Trang 2/5"
// (no-op), "Sau ›".
func (rd renderer) pager(cb callback, total, offset int) []models.InlineKeyboardButton {
	n := pages(total, rd.size)
	page := offset/rd.size + 1
	if n <= 1 {
		return nil
	}
	var row []models.InlineKeyboardButton
	if page > 1 {
		row = append(row, button("‹ Trước", cb.withPage(min(page-1, n))))
	}
	row = append(row, button(fmt.Sprintf("Trang %d/%d", page, n), callback{Kind: kindNoop}))
	if page < n && page < maxCallbackPage {
		row = append(row, button("Sau ›", cb.withPage(page+1)))
	}
	return row
}

// itemButton is the detail button of list item number n.
func itemButton(n int, label string, cb callback) models.InlineKeyboardButton {
	return button(tghtml.Truncate(strconv.Itoa(n)+". "+label, buttonLabelLen), cb)
}

// --- meetings ----------------------------------------------------------------

func (rd renderer) meetingItem(d *tghtml.Builder, k *keyboard, n int, m store.Meeting) {
	d.B(strconv.Itoa(n) + ".").Text(" " + fmtShortWhen(m.StartsAt, rd.loc) + " — " + restrictedMark(m.Restricted)).B(tghtml.Truncate(m.Title, listTitleLen)).NL()
	var extra []string
	if m.Place != "" {
		extra = append(extra, "📍 "+tghtml.Truncate(m.Place, 40))
	}
	if m.DirectiveCount > 0 {
		extra = append(extra, fmt.Sprintf("📌 %d chỉ đạo", m.DirectiveCount))
	}
	if len(extra) > 0 {
		d.Text("    " + strings.Join(extra, " · ")).NL()
	}
	k.row(itemButton(n, restrictedMark(m.Restricted)+fmtDate(store.DateIn(m.StartsAt, rd.loc))+" "+m.Title, callback{Kind: kindMeeting, ID: m.ID}))
}

// meetingOverview is /meetings without arguments: the upcoming meetings,
// then the most recent past ones, with buttons to the full lists.
func (rd renderer) meetingOverview(up, past store.Page[store.Meeting]) view {
	var d tghtml.Builder
	var k keyboard
	d.Text("🏛 ").B("Cuộc họp").NL().NL()
	d.B("Sắp tới").Textf(" (từ %s)", fmtDate(rd.today)).NL()
	n := 0
	if len(up.Items) == 0 {
		d.I("Chưa có cuộc họp nào sắp tới.").NL()
	}
	for _, m := range up.Items {
		n++
		rd.meetingItem(&d, &k, n, m)
	}
	d.NL().B("Gần đây").NL()
	if len(past.Items) == 0 {
		d.I("Chưa có cuộc họp nào.").NL()
	}
	for _, m := range past.Items {
		n++
		rd.meetingItem(&d, &k, n, m)
	}
	var more []models.InlineKeyboardButton
	if up.HasNext() {
		more = append(more, button(fmt.Sprintf("Tất cả sắp tới (%d) ›", up.Total), callback{Kind: kindMeetings, Range: "u", Page: 1}))
	}
	if past.HasNext() {
		more = append(more, button(fmt.Sprintf("Tất cả đã qua (%d) ›", past.Total), callback{Kind: kindMeetings, Range: "p", Page: 1}))
	}
	k.row(more...)
	return view{html: d.String(), kb: k.markup()}
}

// meetingList is one page of upcoming, past or one month's meetings.
func (rd renderer) meetingList(r meetingRange, pg store.Page[store.Meeting]) view {
	var d tghtml.Builder
	var k keyboard
	var title, empty string
	switch r.Mode {
	case rangeUpcoming:
		title, empty = "Cuộc họp sắp tới (từ "+fmtDate(rd.today)+")", "Chưa có cuộc họp nào sắp tới."
	case rangePast:
		title, empty = "Cuộc họp đã qua", "Chưa có cuộc họp nào trước hôm nay."
	default:
		title = fmt.Sprintf("Cuộc họp tháng %02d/%04d", r.Month, r.Year)
		empty = fmt.Sprintf("Không có cuộc họp nào trong tháng %02d/%04d.", r.Month, r.Year)
	}
	rd.listHead(&d, "🏛", title, nil, pg.Total, pg.Offset, "cuộc họp")
	if len(pg.Items) == 0 {
		d.I(empty).NL()
	}
	for i, m := range pg.Items {
		rd.meetingItem(&d, &k, pg.Offset+i+1, m)
	}
	k.row(rd.pager(callback{Kind: kindMeetings, Range: r.code()}, pg.Total, pg.Offset)...)
	return view{html: d.String(), kb: k.markup()}
}

// meetingDetail is one meeting.
func (rd renderer) meetingDetail(m store.Meeting) view {
	var d tghtml.Builder
	d.Text("🏛 ").B(m.Title).NL()
	restrictedLine(&d, m.Restricted, store.RecordMeeting)
	d.NL()
	d.Text("🕗 Thời gian: " + fmtWhen(m.StartsAt, m.EndsAt, rd.loc)).NL()
	if m.Place != "" {
		d.Text("📍 Địa điểm: " + m.Place).NL()
	}
	if c := wording.Person(m.ChairName, m.ChairPosition); c != "" {
		d.Text("👤 Chủ trì: " + c).NL()
	}
	if m.Organiser.Name != "" {
		d.Text("🏢 Đơn vị tổ chức: " + m.Organiser.Name).NL()
	}
	if len(m.Attendees) > 0 {
		names := make([]string, len(m.Attendees))
		for i, a := range m.Attendees {
			names[i] = a.Name
		}
		d.Text("👥 Thành phần: " + strings.Join(names, "; ")).NL()
	}
	if m.Summary != "" {
		d.NL().B("Kết quả").NL().Text(m.Summary).NL()
	}
	if m.Source != "" || m.SourceURL != "" {
		d.NL().Text("📰 Nguồn: ")
		label := m.Source
		if label == "" {
			label = m.SourceURL
		}
		d.Link(m.SourceURL, label).NL()
	}
	if m.Note != "" {
		d.I("Ghi chú: " + m.Note).NL()
	}
	var k keyboard
	if m.DirectiveCount > 0 {
		d.NL().Textf("📌 %d chỉ đạo từ cuộc họp này.", m.DirectiveCount).NL()
		k.row(button(fmt.Sprintf("📌 Xem %d chỉ đạo", m.DirectiveCount), callback{Kind: kindDirectives, Meeting: m.ID, Page: 1}))
	}
	return view{html: d.String(), kb: k.markup()}
}

// --- directives --------------------------------------------------------------

// directiveListKind picks what a directive list shows per item.
type directiveListKind uint8

const (
	listPlain    directiveListKind = iota
	listOverdue                    // days overdue, units not done
	listDeadline                   // days left, units not done
)

// directiveList is a page of directives. unitID, if set, makes the status
// shown per item that unit's; otherwise it is the directive's overall one.
func (rd renderer) directiveList(cb callback, icon, title string, sub []string, empty string, pg store.Page[store.Directive], unitID int64, lk directiveListKind) view {
	var d tghtml.Builder
	var k keyboard
	rd.listHead(&d, icon, title, sub, pg.Total, pg.Offset, "chỉ đạo")
	if len(pg.Items) == 0 {
		d.I(empty).NL()
	}
	for i, dir := range pg.Items {
		n := pg.Offset + i + 1
		d.B(strconv.Itoa(n) + ".")
		if dir.Code != "" {
			d.Text(" ").Code(dir.Code)
		}
		d.Text(" " + restrictedMark(dir.Restricted) + tghtml.Truncate(dir.Title, listTitleLen)).NL()

		status, completedOn, percent := dir.Status(rd.today), dir.CompletedOn(), -1
		if unitID != 0 {
			for _, a := range dir.Assignments {
				if a.Unit.ID == unitID {
					completedOn = dir.ShareCompletedOn(a)
					status, percent = store.StatusAt(dir.Deadline, completedOn, rd.today), a.Percent
				}
			}
		}
		d.Text("    " + wording.StatusLabel(status, dir.Deadline, completedOn, rd.today))
		if !dir.Deadline.IsZero() {
			d.Text(" · Hạn " + fmtDate(dir.Deadline))
			if dir.DeadlineNote != "" {
				d.Text(" ").I("(" + tghtml.Truncate(dir.DeadlineNote, noteLen) + ")")
			}
		}
		if percent > 0 && !status.Done() {
			d.Textf(" · %d%%", percent)
		}
		d.NL()
		if lk != listPlain && unitID == 0 && !status.Done() {
			var late []string
			for _, a := range dir.Assignments {
				if !a.Done() {
					late = append(late, a.Unit.Name)
				}
			}
			if len(late) > 0 {
				line := strings.Join(late[:min(len(late), unitsNamed)], ", ")
				if len(late) > unitsNamed {
					line += fmt.Sprintf(" và %d đơn vị khác", len(late)-unitsNamed)
				}
				d.Text("    Chưa xong: " + line).NL()
			}
		}
		label := dir.Title
		if dir.Code != "" {
			label = dir.Code + " " + dir.Title
		}
		k.row(itemButton(n, restrictedMark(dir.Restricted)+label, callback{Kind: kindDirective, ID: dir.ID}))
	}
	k.row(rd.pager(cb, pg.Total, pg.Offset)...)
	return view{html: d.String(), kb: k.markup()}
}

// directiveDetail is one directive with its units and their reports.
func (rd renderer) directiveDetail(dir store.Directive) view {
	var d tghtml.Builder
	d.Text("📌 ").B("Chỉ đạo")
	if dir.Code != "" {
		d.Text(" ").Code(dir.Code)
	}
	d.NL().B(dir.Title).NL()
	restrictedLine(&d, dir.Restricted, store.RecordDirective)
	if dir.Body != "" && strings.TrimSpace(dir.Body) != strings.TrimSpace(dir.Title) {
		d.NL().Text(strings.TrimSpace(dir.Body)).NL()
	}
	d.NL()
	if p := wording.Person(dir.IssuerName, dir.IssuerPosition); p != "" {
		d.Text("👤 Người chỉ đạo: " + p).NL()
	}
	if !dir.IssuedOn.IsZero() {
		d.Text("🗓 Ngày chỉ đạo: " + fmtDate(dir.IssuedOn)).NL()
	}
	if dir.MeetingTitle != "" {
		d.Text("🏛 Tại cuộc họp: " + dir.MeetingTitle).NL()
	}
	if dir.SourceDoc != "" {
		d.Text("📄 Văn bản: " + dir.SourceDoc).NL()
	}
	if dir.ProgramName != "" {
		d.Text("📚 Chương trình: " + dir.ProgramName).NL()
	}
	if dir.Deadline.IsZero() {
		d.Text("⏰ Thời hạn: thường xuyên")
	} else {
		d.Text("⏰ Thời hạn: ").B(fmtDate(dir.Deadline))
	}
	if dir.DeadlineNote != "" {
		d.Text(" ").I("(" + dir.DeadlineNote + ")")
	}
	d.NL()
	// Data entry (entry_views.go): a changed deadline keeps the original in view.
	if o := originalDeadline(dir.DeadlineHistory); o != "" {
		d.Text("   " + o).NL()
	}
	completed := dir.CompletedOn()
	d.Text("Tình trạng chung: " + wording.StatusLabel(dir.Status(rd.today), dir.Deadline, completed, rd.today)).NL()
	if !dir.ClosedOn.IsZero() {
		d.Text("Đã kết thúc ngày " + fmtDate(dir.ClosedOn)).NL()
	}

	if len(dir.Assignments) > 0 {
		d.NL().B("Đơn vị thực hiện").NL()
	}
	for _, a := range dir.Assignments {
		ended := dir.ShareCompletedOn(a)
		st := store.StatusAt(dir.Deadline, ended, rd.today)
		d.Text("• ").B(a.Unit.Name).Text(" — " + wording.Role(a.Role)).NL()
		d.Text("   " + wording.StatusLabel(st, dir.Deadline, ended, rd.today))
		if a.Percent > 0 || len(a.Reports) > 0 {
			d.Textf(" · %d%%", a.Percent)
		}
		d.NL()
		if a.Done() {
			d.Text("   Hoàn thành ngày " + fmtDate(a.CompletedOn))
			if a.CompletionNote != "" {
				d.Text(": " + a.CompletionNote)
			}
			d.NL()
		}
		if n := len(a.Reports); n > 0 {
			d.Text("   Báo cáo gần nhất:").NL()
			for i := n - 1; i >= max(0, n-reportsShown); i-- {
				rep := a.Reports[i]
				d.Textf("   – %s: %d%%", fmtDate(store.DateIn(rep.At, rd.loc)), rep.Percent)
				if rep.Note != "" {
					d.Text(" — " + rep.Note)
				}
				var meta []string
				if rep.DocNumber != "" {
					meta = append(meta, "số "+rep.DocNumber)
				}
				if rep.Reporter != "" {
					meta = append(meta, rep.Reporter)
				}
				if len(meta) > 0 {
					d.Text(" (" + strings.Join(meta, ", ") + ")")
				}
				reportState(&d, rep) // report.go: pending, returned
				d.NL()
			}
			if n > reportsShown {
				d.Textf("   … và %d báo cáo trước đó", n-reportsShown).NL()
			}
		} else if a.ReportCount > 0 {
			d.Textf("   %d báo cáo", a.ReportCount).NL()
		}
	}

	var k keyboard
	var row []models.InlineKeyboardButton
	if dir.MeetingID != 0 {
		row = append(row, button("🏛 Cuộc họp", callback{Kind: kindMeeting, ID: dir.MeetingID}))
	}
	if dir.ProgramID != 0 {
		row = append(row, button("📚 Chương trình", callback{Kind: kindProgram, ID: dir.ProgramID}))
	}
	k.row(row...)
	return view{html: d.String(), kb: k.markup()}
}

// unitChoice offers the units that match what the user typed. next makes
// the callback of a unit.
func unitChoice(typed string, units []store.Unit, next func(unitID int64) callback) view {
	var d tghtml.Builder
	var k keyboard
	d.Textf("🏢 Có %d đơn vị khớp với “%s”. Chọn một đơn vị:", len(units), tghtml.Truncate(typed, 60)).NL()
	for i, u := range units {
		if i == candidatesMax {
			d.I(fmt.Sprintf("… và %d đơn vị khác: hãy gõ cụ thể hơn, hoặc dùng ký hiệu trong /units.", len(units)-i)).NL()
			break
		}
		k.row(button(tghtml.Truncate(u.Name, buttonLabelLen), next(u.ID)))
	}
	return view{html: d.String(), kb: k.markup()}
}

// choiceButtons makes unitChoice the way to choose among units.
func choiceButtons(next func(unitID int64) callback) func(string, []store.Unit) view {
	return func(typed string, units []store.Unit) view { return unitChoice(typed, units, next) }
}

// unitCodeChoice asks to choose among units by typing "/cmd <code>".
func unitCodeChoice(typed string, units []store.Unit, cmd string) view {
	var d tghtml.Builder
	d.Textf("🏢 Có %d đơn vị khớp với “%s”. Hãy gõ ký hiệu của một đơn vị:", len(units), tghtml.Truncate(typed, 60)).NL()
	for i, u := range units {
		if i == candidatesMax {
			d.I(fmt.Sprintf("… và %d đơn vị khác.", len(units)-i)).NL()
			break
		}
		d.Text("• " + u.Name + " — ").Code("/" + cmd + " " + u.Code).NL()
	}
	return view{html: d.String()}
}

// --- programs ----------------------------------------------------------------

// programList is a page of programs.
func (rd renderer) programList(pg store.Page[store.Program]) view {
	var d tghtml.Builder
	var k keyboard
	rd.listHead(&d, "📚", "Chương trình, đề án, mô hình", nil, pg.Total, pg.Offset, "chương trình")
	if len(pg.Items) == 0 {
		d.I("Chưa có chương trình nào.").NL()
	}
	for i, p := range pg.Items {
		n := pg.Offset + i + 1
		d.B(strconv.Itoa(n) + ". " + restrictedMark(p.Restricted) + tghtml.Truncate(p.Name, listTitleLen)).NL()
		var extra []string
		if p.Kind != "" {
			extra = append(extra, wording.ProgramKind(p.Kind))
		}
		if per := fmtPeriod(p); per != "" {
			extra = append(extra, per)
		}
		if p.DirectiveCount > 0 {
			extra = append(extra, fmt.Sprintf("📌 %d chỉ đạo", p.DirectiveCount))
		}
		if len(extra) > 0 {
			d.Text("    " + strings.Join(extra, " · ")).NL()
		}
		k.row(itemButton(n, restrictedMark(p.Restricted)+p.Name, callback{Kind: kindProgram, ID: p.ID}))
	}
	k.row(rd.pager(callback{Kind: kindPrograms}, pg.Total, pg.Offset)...)
	return view{html: d.String(), kb: k.markup()}
}

// programDetail is one program.
func (rd renderer) programDetail(p store.Program) view {
	var d tghtml.Builder
	d.Text("📚 ").B(p.Name).NL()
	restrictedLine(&d, p.Restricted, store.RecordProgram)
	d.NL()
	if p.Kind != "" {
		d.Text("Loại: " + wording.ProgramKind(p.Kind)).NL()
	}
	if per := fmtPeriod(p); per != "" {
		d.Text("🗓 Thời gian: " + per).NL()
	}
	if p.Owner.Name != "" {
		d.Text("🏢 Cơ quan chủ trì: " + p.Owner.Name).NL()
	}
	if p.Description != "" {
		d.NL().Text(strings.TrimSpace(p.Description)).NL()
	}
	var k keyboard
	d.NL()
	if p.DirectiveCount > 0 {
		d.Textf("📌 %d chỉ đạo thuộc chương trình này.", p.DirectiveCount).NL()
		k.row(button(fmt.Sprintf("📌 Xem %d chỉ đạo", p.DirectiveCount), callback{Kind: kindDirectives, Program: p.ID, Page: 1}))
	} else {
		d.I("Chưa có chỉ đạo nào gắn với chương trình này.").NL()
	}
	return view{html: d.String(), kb: k.markup()}
}

// --- units ---------------------------------------------------------------

// units lists the units grouped by kind, in the store's order, with their
// codes and aliases.
// units lists the units by kind. chats, when known (nil in the console),
// counts the active group chats bound to each unit: units without one get
// no reminders, and the list says so.
func (rd renderer) units(us []store.Unit, chats map[int64]int) view {
	var d tghtml.Builder
	d.Text("🏢 ").B("Đơn vị").NL()
	d.I("Dùng ký hiệu, tên hoặc tên gọi tắt trong lệnh, ví dụ: /directives xin-man").NL()
	if len(us) == 0 {
		d.NL().I("Chưa có đơn vị nào.").NL()
	}
	var kind store.UnitKind = "\x00"
	unbound := 0
	for _, u := range us {
		if u.Kind != kind {
			kind = u.Kind
			d.NL().B(wording.UnitKind(kind)).NL()
		}
		d.Text("• " + u.Name + " — ").Code(u.Code)
		if chats != nil {
			if n := chats[u.ID]; n > 0 {
				d.Textf(" · 🔔 %d nhóm", n)
			} else {
				d.Text(" · ⚠️ chưa gắn nhóm")
				unbound++
			}
		}
		d.NL()
		if len(u.Aliases) > 0 {
			d.Text("   Tên gọi tắt: " + strings.Join(u.Aliases, ", ")).NL()
		}
		var former []string
		for _, f := range u.FormerNames {
			former = append(former, f.Name)
		}
		if len(former) > 0 {
			d.Text("   Tên cũ: " + strings.Join(former, ", ")).NL()
		}
	}
	if unbound > 0 {
		d.NL().I(fmt.Sprintf("%d đơn vị chưa gắn nhóm Telegram nên chưa nhận được nhắc hạn. Quản trị viên của nhóm gõ /register <đơn vị> trong nhóm để gắn.", unbound)).NL()
	}
	return view{html: d.String()}
}

// --- search ----------------------------------------------------------------

// hitCallback is the button of a search hit.
func hitCallback(h store.SearchHit) (callback, bool) {
	switch h.Kind {
	case store.RecordMeeting:
		return callback{Kind: kindMeeting, ID: h.ID}, true
	case store.RecordDirective:
		return callback{Kind: kindDirective, ID: h.ID}, true
	case store.RecordProgram:
		return callback{Kind: kindProgram, ID: h.ID}, true
	case store.RecordUnit:
		return callback{Kind: kindDirectives, Unit: h.ID, Page: 1}, true
	}
	return callback{}, false
}

// search is a page of search results for query (the normalised form the
// search ran with; shortened when the text was too long to keep).
func (rd renderer) search(query string, shortened bool, pg store.Page[store.SearchHit]) view {
	var d tghtml.Builder
	var k keyboard
	sub := []string{"Từ khoá: “" + query + "”"}
	if shortened {
		sub[0] += " (đã rút gọn)"
	}
	rd.listHeadCapped(&d, "🔎", "Kết quả tìm kiếm", sub, pg.Total, pg.Offset, "kết quả", pg.Capped)
	if len(pg.Items) == 0 {
		d.Text("Không tìm thấy kết quả nào. Hãy thử từ khoá ngắn hơn hoặc khác, gõ không dấu cũng được, ví dụ: ").Code("/search bien gioi").NL()
	}
	for i, h := range pg.Items {
		n := pg.Offset + i + 1
		d.B(strconv.Itoa(n) + ".").Text(" " + kindIcon(h.Kind) + " ")
		if h.Code != "" && h.Kind == store.RecordDirective {
			d.Code(h.Code).Text(" ")
		}
		d.Text(restrictedMark(h.Restricted) + tghtml.Truncate(h.Title, listTitleLen))
		if !h.Date.IsZero() && h.Kind != store.RecordProgram {
			d.Text(" · " + fmtDate(h.Date))
		}
		if h.Kind == store.RecordUnit {
			d.Text(" · đơn vị")
		}
		d.NL()
		if h.Kind == store.RecordDirective {
			d.Text("    " + wording.StatusLabel(store.StatusAt(h.Deadline, h.CompletedOn, rd.today), h.Deadline, h.CompletedOn, rd.today)).NL()
		}
		if cb, ok := hitCallback(h); ok {
			k.row(itemButton(n, restrictedMark(h.Restricted)+h.Title, cb))
		}
	}
	k.row(rd.pager(callback{Kind: kindSearch, Query: query, Short: shortened}, pg.Total, pg.Offset)...)
	return view{html: d.String(), kb: k.markup()}
}

// --- inline mode -------------------------------------------------------------

// card is what an inline result shows of a record.
type card struct {
	Kind         store.RecordKind
	ID           int64
	Code         string
	Title        string
	Date         store.Date
	Deadline     store.Date
	DeadlineNote string
	CompletedOn  store.Date
	Restricted   bool
}

// cardOfHit returns the card of a search hit.
func cardOfHit(h store.SearchHit) card {
	return card{Kind: h.Kind, ID: h.ID, Code: h.Code, Title: h.Title, Date: h.Date, Deadline: h.Deadline, CompletedOn: h.CompletedOn, Restricted: h.Restricted}
}

// cardOfDirective returns the card of a directive.
func cardOfDirective(d store.Directive) card {
	return card{Kind: store.RecordDirective, ID: d.ID, Code: d.Code, Title: d.Title, Date: d.IssuedOn,
		Deadline: d.Deadline, DeadlineNote: d.DeadlineNote, CompletedOn: d.CompletedOn(), Restricted: d.Restricted}
}

// inlineArticle renders a card as an inline result: a short HTML message
// and a button that opens the record in the private chat with the bot.
func (rd renderer) inlineArticle(c card) *models.InlineQueryResultArticle {
	var d tghtml.Builder
	var title, desc string
	switch c.Kind {
	case store.RecordDirective:
		st := store.StatusAt(c.Deadline, c.CompletedOn, rd.today)
		d.Text("📌 ").B("Chỉ đạo")
		if c.Code != "" {
			d.Text(" ").Code(c.Code)
		}
		d.NL().B(tghtml.Truncate(c.Title, 300)).NL()
		restrictedLine(&d, c.Restricted, c.Kind)
		if !c.Date.IsZero() {
			d.Text("🗓 Ngày chỉ đạo: " + fmtDate(c.Date)).NL()
		}
		if !c.Deadline.IsZero() {
			d.Text("⏰ Thời hạn: " + fmtDate(c.Deadline))
			if c.DeadlineNote != "" {
				d.Text(" ").I("(" + tghtml.Truncate(c.DeadlineNote, noteLen) + ")")
			}
			d.NL()
		}
		d.Text(wording.StatusLabel(st, c.Deadline, c.CompletedOn, rd.today)).NL()
		title = c.Title
		if c.Code != "" {
			title = c.Code + " · " + c.Title
		}
		desc = wording.StatusLabel(st, c.Deadline, c.CompletedOn, rd.today)
		if !c.Deadline.IsZero() {
			desc = "Hạn " + fmtDate(c.Deadline) + " · " + desc
		}
	case store.RecordMeeting:
		d.Text("🏛 ").B("Cuộc họp").NL().B(tghtml.Truncate(c.Title, 300)).NL()
		restrictedLine(&d, c.Restricted, c.Kind)
		if !c.Date.IsZero() {
			d.Text("🗓 " + wording.Day(c.Date)).NL()
		}
		title, desc = c.Title, "Cuộc họp · "+fmtDate(c.Date)
	case store.RecordProgram:
		d.Text("📚 ").B("Chương trình").NL().B(tghtml.Truncate(c.Title, 300)).NL()
		restrictedLine(&d, c.Restricted, c.Kind)
		if !c.Date.IsZero() {
			d.Textf("🗓 Từ năm %d", c.Date.Year).NL()
		}
		title, desc = c.Title, "Chương trình"
		if !c.Date.IsZero() {
			desc += fmt.Sprintf(" · từ năm %d", c.Date.Year)
		}
	}
	a := &models.InlineQueryResultArticle{
		ID:          string(c.Kind[:1]) + strconv.FormatInt(c.ID, 10),
		Title:       tghtml.Truncate(restrictedMark(c.Restricted)+title, 100),
		Description: tghtml.Truncate(desc, 120),
		InputMessageContent: &models.InputTextMessageContent{
			MessageText:        d.String(),
			ParseMode:          models.ParseModeHTML,
			LinkPreviewOptions: noPreview(),
		},
	}
	if rd.bot != "" {
		if p := deepLinkPayload(c.Kind, c.ID); p != "" {
			a.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
				{Text: "Mở chi tiết trong bot", URL: "https://t.me/" + rd.bot + "?start=" + p},
			}}}
		}
	}
	return a
}

// noPreview turns link previews off: links in records are sources, not
// content to show.
func noPreview() *models.LinkPreviewOptions {
	off := true
	return &models.LinkPreviewOptions{IsDisabled: &off}
}
