package main

import (
	"bytes"
	"context"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/go-telegram/bot/models"
	"github.com/xuri/excelize/v2"

	"meetbot/bot/telegramtest"
	"meetbot/demo"
	"meetbot/importer"
	"meetbot/store"
)

// TestAcceptanceOfficeWorkflow is issue 5's "done when", tried as a new
// office would through the Bot API fake, on a bot started with an empty
// database:
//
//  1. an administrator asks for /template, fills the workbook the bot
//     sent with the demo's units, programs, meetings and directives,
//     and sends it back: everything is imported;
//  2. the Xín Mần group is bound with /register; "meetbot remind" sends
//     it the morning's reminder; a member of the unit presses "✅ Hoàn
//     thành" on it and confirms: the report waits for the office, whose
//     chat is told;
//  3. the office confirms it from /pending; the group is told;
//  4. /stats shows the change: the chart (a PNG) differs and its caption
//     counts one more done and one fewer not done;
//  5. /export returns a workbook that opens, whose status sheet shows the
//     share done that day; /calendar returns an .ics that parses;
//  6. a user who is not an administrator is refused every administrator's
//     command, a sent workbook and the review buttons in the office's
//     chat, each time politely and saying who can.
func TestAcceptanceOfficeWorkflow(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	day := store.NewDate(2026, 12, 1) // a Tuesday, a working day
	early := day.Start(loc).Add(6 * time.Hour)
	const adminChat = -1009990001
	h := startBotOn(t, func() time.Time { return early },
		map[string]string{"ADMIN_IDS": "4242", "ADMIN_CHAT_ID": strconv.Itoa(adminChat)}, serveOptions{})
	office := h.fake.Group(adminChat, "Văn phòng Tỉnh ủy")
	group := h.fake.Group(-1001000000500, "Huyện ủy Xín Mần")
	member := h.fake.User(5005, "Cán bộ Xín Mần")

	// sayAll sends text and waits for n messages in reply.
	sayAll := func(chat models.Chat, from models.User, text string, n int) []telegramtest.Message {
		t.Helper()
		before := len(h.replies(chat))
		h.fake.SendText(chat, from, text)
		h.wait(strconv.Itoa(n)+" replies to "+text, func() bool { return len(h.replies(chat)) >= before+n })
		return h.replies(chat)[before:]
	}

	// 1. The template, filled with the demo data, imported.
	if m := h.say(h.dm, "/directives"); !strings.Contains(m.Plain, "Không có") {
		t.Fatalf("a new database has directives:\n%s", m.Plain)
	}
	tpl := h.say(h.dm, "/template")
	if tpl.Document == nil || !strings.HasSuffix(tpl.Document.Name, ".xlsx") {
		t.Fatalf("/template answered %q without a workbook", tpl.Plain)
	}
	ds, err := demo.Dataset(early, loc)
	if err != nil {
		t.Fatal(err)
	}
	filled := fillTemplate(t, tpl.Document.Data, ds, loc)
	before := len(h.replies(h.dm))
	h.fake.SendDocument(h.dm, h.user, "du-lieu-tinh.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filled, "")
	h.wait("the import summary", func() bool {
		ms := h.replies(h.dm)
		return len(ms) > before && strings.Contains(ms[len(ms)-1].Plain, "Đã nhập tệp du-lieu-tinh.xlsx")
	})
	summary := h.replies(h.dm)[len(h.replies(h.dm))-1].Plain
	want := "Chỉ đạo: " + strconv.Itoa(len(ds.Directives)) + " mới"
	if !strings.Contains(summary, want) {
		t.Fatalf("import summary lacks %q:\n%s", want, summary)
	}
	if m := h.say(h.dm, "/meetings đã qua"); !strings.Contains(m.Plain, "Xín Mần") {
		t.Errorf("the demo's conference is not there after the import:\n%s", m.Plain)
	}

	// 2. The group is bound; the morning's reminder; a member reports done.
	h.fake.SetMember(group.ID, h.user.ID, "administrator")
	if m := h.say(group, "/register@"+botName+" xin-man"); !strings.Contains(m.Plain, "đã được gắn với") {
		t.Fatalf("/register: %q", m.Plain)
	}
	statsBefore := stats(t, sayAll(h.dm, h.user, "/stats xin-man", 2))
	var out, errOut bytes.Buffer
	morning := day.Start(loc).Add(7*time.Hour + 45*time.Minute)
	if code := run(context.Background(), []string{"remind", "--now", morning.Format(time.RFC3339)}, nil, &out, &errOut); code != 0 {
		t.Fatalf("meetbot remind: exit %d\n%s", code, errOut.String())
	}
	reminder := h.waitText(group, "Nhắc việc")
	var code, doneData string
	for _, row := range reminder.Markup.InlineKeyboard {
		if len(row) == 3 && strings.Contains(row[1].Text, "Hoàn thành") {
			code = strings.TrimSpace(strings.TrimPrefix(row[0].Text, "📌"))
			doneData = row[1].CallbackData
			break
		}
	}
	if doneData == "" {
		t.Fatalf("the reminder has no report buttons:\n%s\n%+v", reminder.Plain, reminder.Markup.InlineKeyboard)
	}
	h.fake.PressButton(group, member, reminder.ID, doneData)
	q := h.waitText(group, "Xác nhận đơn vị đã hoàn thành?")
	h.fake.PressButton(group, member, q.ID, buttonData(t, q, "Xác nhận hoàn thành"))
	h.waitText(group, "Đã gửi báo cáo hoàn thành chỉ đạo "+code)
	notice := h.waitText(office, "Báo cáo mới chờ xác nhận")

	// 6 (in the office's chat). A member of that chat who is not an
	// administrator presses the review button: refused, nothing changes.
	clerk := h.fake.User(5999, "Nhân viên")
	answers := len(h.fake.CallbackAnswers())
	h.fake.PressButton(office, clerk, notice.ID, buttonData(t, notice, "Xác nhận"))
	h.wait("the answer to the clerk's press", func() bool { return len(h.fake.CallbackAnswers()) > answers })
	refusal := h.fake.CallbackAnswers()[answers].Text
	for _, m := range h.replies(office)[1:] {
		refusal += "\n" + m.Plain
	}
	if !strings.Contains(refusal, "Chỉ quản trị viên") && !strings.Contains(refusal, "không có quyền") {
		t.Errorf("a non-administrator's review press was answered %q", refusal)
	}

	// 3. The office confirms; the group is told.
	list := h.say(h.dm, "/pending")
	if !strings.Contains(list.Plain, code) {
		t.Fatalf("/pending lacks %s (was the clerk's press taken?):\n%s", code, list.Plain)
	}
	h.fake.PressButton(h.dm, h.user, list.ID, buttonData(t, list, "Xác nhận 1"))
	h.waitText(group, "Văn phòng đã xác nhận báo cáo hoàn thành")
	if card := h.say(h.dm, "/directive "+code); !strings.Contains(card.Plain, "Hoàn thành ngày 01/12/2026") {
		t.Errorf("the card after the confirmation:\n%s", card.Plain)
	}

	// 4. /stats shows the change, in the chart and its caption.
	statsAfter := stats(t, sayAll(h.dm, h.user, "/stats xin-man", 2))
	if bytes.Equal(statsBefore.png, statsAfter.png) {
		t.Error("the chart did not change after the confirmation")
	}
	if statsAfter.done != statsBefore.done+1 || statsAfter.open != statsBefore.open-1 {
		t.Errorf("stats before %s, after %s: want one more done, one fewer not done", statsBefore.counts, statsAfter.counts)
	}

	// 5. /export opens as a workbook with the share's status; /calendar
	// parses as a calendar.
	exp := h.say(h.dm, "/export")
	if exp.Document == nil {
		t.Fatalf("/export answered %q without a workbook", exp.Plain)
	}
	if row := statusRow(t, exp.Document.Data, code, "Xín Mần"); !regexp.MustCompile(`\| Hoàn thành (đúng|quá) hạn \| 01/12/2026 \|`).MatchString(row) {
		t.Errorf("the export's status row of %s for Xín Mần: %q", code, row)
	}
	cal := sayAll(group, h.user, "/calendar@"+botName, 2)[0]
	if cal.Document == nil || !strings.HasSuffix(cal.Document.Name, ".ics") {
		t.Fatalf("/calendar answered %q without a calendar", cal.Plain)
	}
	c, err := ics.ParseCalendar(bytes.NewReader(cal.Document.Data))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v", err)
	}
	if len(c.Events()) == 0 {
		t.Error("the unit's calendar has no events")
	}
	if bad := regexp.MustCompile("[^\r]\n").Find(cal.Document.Data); bad != nil {
		t.Errorf("a line of the calendar does not end in CRLF: %q", bad)
	}

	// 6. Someone who is not an administrator, each command from a new
	// private chat.
	refused := []string{"/template", "/export", "/import", "/pending", "/admin", "/admin add 5005",
		"/newdirective", "/newmeeting", "/newprogram", "/edit " + code, "/extend " + code + " +7", "/status"}
	for i, cmd := range refused {
		stranger := h.fake.User(int64(7000+i), "Khách")
		m := h.sayAs(h.fake.PrivateChat(stranger), stranger, cmd)
		if !strings.Contains(m.Plain, "Bạn không có quyền") || !strings.Contains(m.Plain, "quản trị viên") {
			t.Errorf("%s by a non-administrator: %q", cmd, m.Plain)
		}
	}
	stranger := h.fake.User(7100, "Khách")
	dm := h.fake.PrivateChat(stranger)
	h.fake.SendDocument(dm, stranger, "du-lieu.xlsx", "", filled, "")
	h.wait("the refused upload", func() bool { return len(h.replies(dm)) > 0 })
	if m := h.replies(dm)[0]; !strings.Contains(m.Plain, "Bạn không có quyền") {
		t.Errorf("a non-administrator's workbook: %q", m.Plain)
	}
	if m := h.sayAs(dm, stranger, "/done "+code); !strings.Contains(m.Plain, "Bạn không có quyền") || !strings.Contains(m.Plain, "thành viên") {
		t.Errorf("/done by someone of no unit: %q", m.Plain)
	}
	if v := h.fake.Violations(); len(v) > 0 {
		t.Errorf("Bot API violations: %v", v)
	}
	if strings.Contains(h.logs.String(), testToken) {
		t.Error("the token appears in the logs")
	}
}

// fillTemplate writes ds into the template the bot sent, as an office
// clerk would: each data sheet's rows go under the template's own header
// row, column by column matched on the header titles, below the example
// rows (which the import skips).
func fillTemplate(t *testing.T, template []byte, ds *store.Dataset, loc *time.Location) []byte {
	t.Helper()
	var src bytes.Buffer
	if err := importer.Workbook(&src, ds, loc); err != nil {
		t.Fatal(err)
	}
	from, err := excelize.OpenReader(&src)
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	to, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatalf("the template does not open: %v", err)
	}
	defer to.Close()
	filledSheets := 0
	for _, sheet := range from.GetSheetList() {
		rows, err := from.GetRows(sheet)
		if err != nil || len(rows) < 2 {
			continue
		}
		target, err := to.GetRows(sheet)
		if err != nil {
			t.Fatalf("the template has no sheet %q: %v", sheet, err)
		}
		if len(target) == 0 {
			t.Fatalf("the template's sheet %q has no header row", sheet)
		}
		col := map[string]int{}
		for i, title := range target[0] {
			col[title] = i + 1
		}
		if _, ok := col[rows[0][0]]; !ok || len(rows[0]) < 2 {
			continue // not a data sheet: the instructions
		}
		next := len(target) + 1
		for _, r := range rows[1:] {
			for i, v := range r {
				if v == "" {
					continue
				}
				if i >= len(rows[0]) {
					t.Fatalf("sheet %q: a value %q beyond the header row", sheet, v)
				}
				c, ok := col[rows[0][i]]
				if !ok {
					t.Fatalf("the template's sheet %q has no column %q", sheet, rows[0][i])
				}
				cell, _ := excelize.CoordinatesToCellName(c, next)
				if err := to.SetCellStr(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
			next++
		}
		filledSheets++
	}
	if filledSheets < 4 {
		t.Fatalf("filled %d sheets, want units, programs, meetings and directives", filledSheets)
	}
	var out bytes.Buffer
	if err := to.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// statsReply is what /stats sent: the chart and its caption's counts.
type statsReply struct {
	png        []byte
	counts     string
	done, open int // done on time or late; not done, in time or overdue
}

// stats reads /stats's photo and caption ("✅ 2 · 🟡 0 · ⏳ 2 · 🔴 0 ...").
func stats(t *testing.T, ms []telegramtest.Message) statsReply {
	t.Helper()
	photo := ms[0]
	if photo.Photo == nil {
		t.Fatalf("/stats sent no chart first: %q", photo.Plain)
	}
	if _, err := png.Decode(bytes.NewReader(photo.Photo.Data)); err != nil {
		t.Fatalf("the chart is not a PNG: %v", err)
	}
	m := regexp.MustCompile(`✅ (\d+) · 🟡 (\d+) · ⏳ (\d+) · 🔴 (\d+)`).FindStringSubmatch(photo.Plain)
	if m == nil {
		t.Fatalf("no counts in the chart's caption %q", photo.Plain)
	}
	n := make([]int, 5)
	for i := 1; i <= 4; i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	return statsReply{png: photo.Photo.Data, counts: m[0], done: n[1] + n[2], open: n[3] + n[4]}
}

// statusRow returns the export's status-sheet row of a directive and a
// unit, its cells joined by " | ".
func statusRow(t *testing.T, book []byte, code, unit string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Tình trạng")
	if err != nil {
		t.Fatalf("the export has no status sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	for _, r := range rows {
		line := strings.Join(r, " | ")
		if strings.Contains(line, code) && strings.Contains(line, unit) {
			return line
		}
	}
	t.Fatalf("no status row of %s for %s", code, unit)
	return ""
}
