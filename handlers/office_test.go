package handlers

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"meetbot/scheduler"
	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// The office's people in these tests.
var (
	officeAdmin = models.User{ID: 1, FirstName: "Cán bộ", LastName: "Văn Phòng"}
	xmMember    = models.User{ID: 2, FirstName: "Cán bộ", LastName: "Xín Mần"}
	stranger    = models.User{ID: 3, FirstName: "Người", LastName: "Lạ"}
)

const (
	adminChat = int64(-100999) // ADMIN_CHAT_ID
	bdbpChat  = int64(-100888) // bound to the Border Guard
)

// restrictedCode is a restricted directive assigned to Xín Mần only.
const restrictedCode = "MAT-01"

// officeFixture is the contract fixture with a restricted directive.
func officeFixture() *store.Dataset {
	ds := storetest.Fixture()
	ds.Directives = append(ds.Directives, store.DirectiveRecord{Code: restrictedCode, Title: "Tuần tra bí mật khu vực mốc 200",
		IssuedOn: store.NewDate(2024, 5, 1), Deadline: store.NewDate(2024, 5, 30), Restricted: true, Meeting: "hn-xm-2024",
		Assignments: []store.AssignmentRecord{{Unit: "xin-man"}}})
	return ds
}

// officeHarness runs the handlers over a real SQLite store with every
// collaborator of the office's work wired: groups bound in the registry,
// people, conversations, reports.
type officeHarness struct {
	t      *testing.T
	st     *sqlstore.Store
	h      *Handlers
	sender *fakeSender
	logs   *bytes.Buffer
	n      int64
	mark   int
}

func newOfficeHarness(t *testing.T, reports func(*sqlstore.Store) (Store, Reports)) *officeHarness {
	t.Helper()
	ctx := context.Background()
	st := openSQLite(t, officeFixture(), storetest.Loc, storetest.Now)
	for chat, code := range map[int64]string{boundChat: "xin-man", bdbpChat: "bdbp"} {
		us, err := st.FindUnits(ctx, code)
		if err != nil || len(us) == 0 {
			t.Fatalf("unit %s: %v", code, err)
		}
		if _, err := st.BindChat(ctx, store.Binding{ChatID: chat, UnitID: us[0].ID, ChatTitle: us[0].Name}); err != nil {
			t.Fatal(err)
		}
	}
	o := &officeHarness{t: t, st: st, sender: &fakeSender{t: t}, logs: &bytes.Buffer{}}
	var rd Store = st
	var rep Reports = st
	if reports != nil {
		rd, rep = reports(st)
	}
	o.h = New(Config{BotUsername: testBot, Location: storetest.Loc, PageSize: 5, AdminIDs: []int64{officeAdmin.ID}, AdminChatID: adminChat},
		Deps{Store: rd, Sender: o.sender, Chats: st, Registry: st, People: st, Conversations: st, Editor: st, Reports: rep,
			Now: storetest.Now, Log: slog.New(slog.NewTextHandler(o.logs, nil))})
	return o
}

func chatOf(id int64) models.Chat {
	if id < 0 {
		return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: "Nhóm"}
	}
	return models.Chat{ID: id, Type: models.ChatTypePrivate}
}

// say sends text as u in chat (private chats: the user's own id).
func (o *officeHarness) say(u models.User, chat int64, text string) {
	o.t.Helper()
	o.n++
	o.mark = len(o.sender.calls)
	o.h.Handle(context.Background(), &models.Update{ID: o.n, Message: &models.Message{
		ID: int(o.n), From: &u, Chat: chatOf(chat), Text: text, Entities: commandEntities(text)}})
}

// press presses a button with data as u on a message in chat.
func (o *officeHarness) press(u models.User, chat int64, data string) {
	o.t.Helper()
	o.n++
	o.mark = len(o.sender.calls)
	o.h.Handle(context.Background(), &models.Update{ID: o.n, CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("cq%d", o.n), From: u, Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 55, Date: 1, Chat: chatOf(chat)}}}})
}

// button returns the data of the latest button labelled label (or
// starting with it) sent to chat.
func (o *officeHarness) button(chat int64, label string) string {
	o.t.Helper()
	for i := len(o.sender.calls) - 1; i >= 0; i-- {
		c := o.sender.calls[i]
		if c.Keyboard == nil || (c.ChatID != chat && c.ChatID != any(chat)) {
			continue
		}
		for _, row := range c.Keyboard.InlineKeyboard {
			for _, b := range row {
				if b.Text == label || strings.HasPrefix(b.Text, label) {
					return b.CallbackData
				}
			}
		}
	}
	o.t.Fatalf("no button %q sent to chat %d", label, chat)
	return ""
}

// tap presses the latest button labelled label in chat, as u.
func (o *officeHarness) tap(u models.User, chat int64, label string) {
	o.t.Helper()
	o.press(u, chat, o.button(chat, label))
}

// reply is the visible text of what the latest message or press got
// (messages sent or edited anywhere, with their buttons, and notices).
func (o *officeHarness) reply() string {
	var b strings.Builder
	for _, c := range o.sender.calls[min(o.mark, len(o.sender.calls)):] {
		switch c.Method {
		case "SendMessage", "EditMessageText":
			fmt.Fprintf(&b, "@%v: %s\n", c.ChatID, visibleText(c.Text))
			if c.Keyboard != nil {
				for _, row := range c.Keyboard.InlineKeyboard {
					for _, bt := range row {
						b.WriteString("[" + bt.Text + "]\n")
					}
				}
			}
		case "AnswerCallbackQuery":
			if c.Notice != "" {
				b.WriteString("» " + c.Notice + "\n")
			}
		}
	}
	return b.String()
}

// want fails unless the latest reply shows every string.
func (o *officeHarness) want(ss ...string) {
	o.t.Helper()
	got := o.reply()
	for _, s := range ss {
		if !strings.Contains(got, s) {
			o.t.Errorf("the reply lacks %q:\n%s", s, got)
		}
	}
}

// lacks fails if the latest reply shows any of the strings.
func (o *officeHarness) lacks(ss ...string) {
	o.t.Helper()
	got := o.reply()
	for _, s := range ss {
		if strings.Contains(got, s) {
			o.t.Errorf("the reply shows %q:\n%s", s, got)
		}
	}
}

// sentTo returns the visible text of the messages sent to chat since the
// latest message or press.
func (o *officeHarness) sentTo(chat int64) string {
	var b strings.Builder
	for _, c := range o.sender.calls[min(o.mark, len(o.sender.calls)):] {
		if c.Method == "SendMessage" && c.ChatID == any(chat) {
			b.WriteString(visibleText(c.Text) + "\n")
		}
	}
	return b.String()
}

// directive returns the stored directive with code.
func (o *officeHarness) directive(code string) store.Directive {
	o.t.Helper()
	d, err := o.st.DirectiveByCode(context.Background(), code)
	if err != nil {
		o.t.Fatal(err)
	}
	d, err = o.st.Directive(context.Background(), d.ID)
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

// quiet fails when an error was logged.
func (o *officeHarness) quiet() {
	o.t.Helper()
	if strings.Contains(o.logs.String(), "level=ERROR") {
		o.t.Errorf("errors logged:\n%s", o.logs)
	}
}

// TestRightsMatrix: every admin-only command is refused to a user who is
// not an administrator, saying who can; the same commands pass the gate
// for an administrator; /done and /progress are refused to a user who
// is not a member of an assigned unit, saying who can.
func TestRightsMatrix(t *testing.T) {
	o := newOfficeHarness(t, nil)
	refusals := []struct {
		name, cmd, who string
	}{
		{"pending", "/pending", officeAdminWho},
		{"admin list", "/admin", officeAdminWho},
		{"admin add", "/admin add 77", officeAdminWho},
		{"admin remove", "/admin remove 77", officeAdminWho},
		{"status", "/status", officeAdminWho},
		{"new directive", "/newdirective", officeAdminWho},
		{"new meeting", "/newmeeting", officeAdminWho},
		{"new program", "/newprogram", officeAdminWho},
		{"edit", "/edit HN-01", officeAdminWho},
		{"extend", "/extend HN-01 +5", officeAdminWho},
		{"done by a stranger", "/done HN-01", "thành viên nhóm Telegram của đơn vị được giao"},
		{"progress by a stranger", "/progress HN-01 50 đã làm", "thành viên nhóm Telegram của đơn vị được giao"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			o.t = t
			o.say(stranger, stranger.ID, tt.cmd)
			o.want("🔒 Bạn không có quyền", "Việc này do "+tt.who)
		})
	}
	// An administrator gets past every gate.
	for _, tt := range refusals[:len(refusals)-2] {
		t.Run("admin "+tt.name, func(t *testing.T) {
			o.t = t
			o.say(officeAdmin, officeAdmin.ID, tt.cmd)
			o.lacks("Bạn không có quyền")
			o.say(officeAdmin, officeAdmin.ID, "/cancel")
		})
	}
	// The review buttons too.
	o.t = t
	o.press(stranger, stranger.ID, callback{Kind: kindPending, Page: 1}.encode())
	o.want("🔒 Chỉ quản trị viên của văn phòng")
	o.quiet()
}

// TestRestrictedVisibility: a restricted directive is hidden from a
// stranger in lists, details, search, inline mode, buttons and history,
// answered exactly like a missing one, and shown to a member of the
// assigned unit and to administrators.
func TestRestrictedVisibility(t *testing.T) {
	o := newOfficeHarness(t, nil)
	d := o.directive(restrictedCode)
	id := strconv.FormatInt(d.ID, 10)
	missing := strconv.FormatInt(d.ID+1000, 10)

	seen := func(u models.User, chat int64, visible bool) {
		t.Helper()
		check := o.lacks
		if visible {
			check = o.want
		}
		o.say(u, chat, "/directives tất cả")
		check(restrictedCode)
		o.say(u, chat, "/directive "+restrictedCode)
		check("Tuần tra bí mật")
		o.say(u, chat, "/search bi mat")
		check("Tuần tra bí mật")
		o.say(u, chat, "/history "+restrictedCode)
		check("Lịch sử thay đổi")

		for _, query := range []string{"tuan tra bi mat", ""} { // a search, and the open directives
			o.n++
			o.mark = len(o.sender.calls)
			o.h.Handle(context.Background(), &models.Update{ID: o.n, InlineQuery: &models.InlineQuery{ID: "iq", From: &u, Query: query}})
			ans := o.sender.calls[len(o.sender.calls)-1].Inline
			if !ans.IsPersonal {
				t.Errorf("inline answers are not personal")
			}
			found := false
			for _, r := range ans.Results {
				if r.(*models.InlineQueryResultArticle).ID == "d"+id {
					found = true
				}
			}
			if found != visible {
				t.Errorf("user %d, inline query %q: result found %v, want %v", u.ID, query, found, visible)
			}
		}
	}

	// A stranger: hidden, and answered as if missing.
	seen(stranger, stranger.ID, false)
	answer := func(u models.User, text string) string {
		o.say(u, u.ID, text)
		return o.reply()
	}
	if got, want := answer(stranger, "/directive "+id), strings.ReplaceAll(answer(stranger, "/directive "+missing), missing, id); got != want {
		t.Errorf("/directive of a hidden directive:\n%s\nof a missing one:\n%s", got, want)
	}
	if got, want := answer(stranger, "/history "+restrictedCode), strings.ReplaceAll(answer(stranger, "/history NOPE-01"), "NOPE-01", restrictedCode); got != want {
		t.Errorf("/history of a hidden directive:\n%s\nof a missing one:\n%s", got, want)
	}
	if got, want := answer(stranger, "/done "+restrictedCode), strings.ReplaceAll(answer(stranger, "/done NOPE-01"), "NOPE-01", restrictedCode); got != want {
		t.Errorf("/done of a hidden directive:\n%s\nof a missing one:\n%s", got, want)
	}
	o.press(stranger, stranger.ID, callback{Kind: kindDirective, ID: d.ID}.encode())
	hiddenPress := o.reply()
	o.press(stranger, stranger.ID, callback{Kind: kindDirective, ID: d.ID + 1000}.encode())
	if missingPress := o.reply(); hiddenPress != missingPress || !strings.Contains(hiddenPress, expiredNotice) {
		t.Errorf("a button to a hidden directive:\n%s\nto a missing one:\n%s", hiddenPress, missingPress)
	}
	o.press(stranger, stranger.ID, scheduler.ReportDoneCallback(d.ID, d.Assignments[0].Unit.ID))
	o.want(expiredNotice)

	// The meeting it came from does not give it away by its count.
	o.say(stranger, stranger.ID, "/meeting 1")
	o.want("Hội nghị sơ kết", "📌 3 chỉ đạo từ cuộc họp này.")
	o.say(officeAdmin, officeAdmin.ID, "/meeting 1")
	o.want("📌 4 chỉ đạo từ cuộc họp này.")
	o.say(stranger, stranger.ID, "/meetings đã qua")
	o.want("📌 3 chỉ đạo")
	o.say(xmMember, boundChat, "/meetings đã qua")
	o.want("📌 4 chỉ đạo")

	// A member of Xín Mần, in the unit's group and then in private (the
	// group made them a member).
	seen(xmMember, boundChat, true)
	seen(xmMember, xmMember.ID, true)
	// Administrators.
	seen(officeAdmin, officeAdmin.ID, true)
	o.quiet()
}

// TestReportConfirmed: a member reports a directive done from its card in
// the unit's group; the office is told, confirms it from /pending; the
// unit's group is told, the card shows the share done, the history lists
// the submission and the confirmation.
func TestReportConfirmed(t *testing.T) {
	o := newOfficeHarness(t, nil)
	d := o.directive(restrictedCode)

	// No report buttons for a stranger, nor for an administrator who is
	// not a member.
	o.say(officeAdmin, officeAdmin.ID, "/directive "+restrictedCode)
	o.lacks("✅ Đã hoàn thành")

	o.say(xmMember, boundChat, "/directive "+restrictedCode)
	o.want("[✅ Đã hoàn thành]", "[📝 Báo cáo tiến độ]")
	o.tap(xmMember, boundChat, "✅ Đã hoàn thành")
	o.want("Xác nhận đơn vị đã hoàn thành?", "Đơn vị: Huyện ủy Xín Mần", "[✅ Xác nhận hoàn thành]", "[✖ Huỷ]")
	o.tap(xmMember, boundChat, "✅ Xác nhận hoàn thành")
	o.want("Đã gửi báo cáo hoàn thành chỉ đạo MAT-01 của Huyện ủy Xín Mần")
	if got := o.sentTo(adminChat); !strings.Contains(got, "Báo cáo mới chờ xác nhận") || !strings.Contains(got, "báo cáo đã hoàn thành") {
		t.Errorf("the administrators' chat was told:\n%s", got)
	}
	// Pending: the card does not show it done yet, and marks the report.
	o.say(officeAdmin, officeAdmin.ID, "/directive "+restrictedCode)
	o.lacks("Hoàn thành ngày")
	o.want("14/05/2024: 100% (Cán bộ Xín Mần) — chờ văn phòng xác nhận (báo cáo hoàn thành)")

	o.say(officeAdmin, officeAdmin.ID, "/pending")
	o.want("Báo cáo chờ xác nhận", "MAT-01", "Huyện ủy Xín Mần — báo cáo đã hoàn thành", "Cán bộ Xín Mần", "[✅ Xác nhận 1]", "[↩️ Trả lại 1]")
	o.tap(officeAdmin, officeAdmin.ID, "✅ Xác nhận 1")
	o.want("» ✅ Đã xác nhận báo cáo.", "Không có báo cáo nào chờ xác nhận.")
	if got := o.sentTo(boundChat); !strings.Contains(got, "Văn phòng đã xác nhận báo cáo hoàn thành") || !strings.Contains(got, "hoàn thành ngày 14/05/2024") {
		t.Errorf("the unit's group was told:\n%s", got)
	}
	if o.sentTo(bdbpChat) != "" {
		t.Errorf("another unit's group was told")
	}
	// Pressing it again: already reviewed.
	o.press(officeAdmin, officeAdmin.ID, callback{Kind: kindReviewOK, ID: 1}.encode())
	o.want("» Báo cáo này đã được xử lý trước đó.")

	o.say(xmMember, boundChat, "/directive "+restrictedCode)
	o.want("Hoàn thành ngày 14/05/2024")
	o.lacks("[✅ Đã hoàn thành]")
	o.say(xmMember, boundChat, "/done "+restrictedCode)
	o.want("đã hoàn thành", "Không cần báo cáo thêm.")

	o.say(xmMember, boundChat, "/history "+strconv.FormatInt(d.ID, 10))
	got := o.reply()
	confirmed, submitted := strings.Index(got, "Văn phòng xác nhận báo cáo"), strings.Index(got, "Đơn vị gửi báo cáo")
	if confirmed < 0 || submitted < 0 || confirmed > submitted || !strings.Contains(got, "Cán bộ Văn Phòng") {
		t.Errorf("history, newest first, with who:\n%s", got)
	}
	o.quiet()
}

// TestReportReturned: /progress by text, returned with a reason (required,
// at most 500 characters); the unit's group is told the reason, with
// buttons to report again.
func TestReportReturned(t *testing.T) {
	o := newOfficeHarness(t, nil)
	o.say(xmMember, boundChat, "/progress HN-01")
	o.want("Thiếu phần trăm", "Ví dụ: /progress")
	o.say(xmMember, boundChat, "/progress HN-01 120 quá nhiều")
	o.want("Phần trăm phải là số nguyên từ 0 đến 100", "Ví dụ:")
	o.say(xmMember, boundChat, "/progress HN-01 50")
	o.want("Hãy nhập ghi chú")
	o.say(xmMember, boundChat, "/progress HN-01 50% đã tuần tra 2 đợt")
	o.want("Đã gửi báo cáo tiến độ 50% chỉ đạo HN-01 của Huyện ủy Xín Mần")

	o.say(officeAdmin, officeAdmin.ID, "/pending")
	o.want("tiến độ 50%", "Ghi chú: đã tuần tra 2 đợt")
	o.tap(officeAdmin, officeAdmin.ID, "↩️ Trả lại 1")
	o.want("Lý do trả lại báo cáo")
	o.say(officeAdmin, officeAdmin.ID, strings.Repeat("a", 501))
	o.want("Lý do dài 501 ký tự; tối đa 500 ký tự")
	o.say(officeAdmin, officeAdmin.ID, "Chưa có số liệu <cụ thể>")
	o.want("Đã trả lại báo cáo", "Lý do: Chưa có số liệu <cụ thể>")
	if got := o.sentTo(boundChat); !strings.Contains(got, "Văn phòng trả lại báo cáo tiến độ 50%") || !strings.Contains(got, "Lý do: Chưa có số liệu <cụ thể>") {
		t.Errorf("the unit's group was told:\n%s", got)
	}
	o.button(boundChat, "📝 Báo cáo tiến độ") // to report again
	pg, err := o.st.PendingReports(context.Background(), store.PendingFilter{})
	if err != nil || pg.Total != 0 {
		t.Errorf("pending after the return: %+v, %v", pg, err)
	}
	o.say(officeAdmin, officeAdmin.ID, "/history HN-01")
	o.want("Văn phòng trả lại báo cáo · Huyện ủy Xín Mần", "Ghi chú: Chưa có số liệu <cụ thể>")
	o.say(xmMember, boundChat, "/directive HN-01")
	o.want("50% — đã tuần tra 2 đợt (Cán bộ Xín Mần) — văn phòng đã trả lại: Chưa có số liệu <cụ thể>")
	o.quiet()
}

// TestProgressConversation: the guided report: a percent by button or
// typed (refused outside 0–100), a note (refused over 500 characters), a
// document number or skip; cancel at any point.
func TestProgressConversation(t *testing.T) {
	o := newOfficeHarness(t, nil)
	o.say(xmMember, boundChat, "/directive HN-01")
	o.tap(xmMember, boundChat, "📝 Báo cáo tiến độ")
	o.want("Đơn vị đã làm được bao nhiêu phần trăm?", "[25%]", "[50%]", "[75%]")
	o.say(xmMember, boundChat, "một trăm")
	o.want("Phần trăm phải là số nguyên từ 0 đến 100")
	o.say(xmMember, boundChat, "101")
	o.want("Phần trăm phải là số nguyên từ 0 đến 100")
	o.say(xmMember, boundChat, "60%")
	o.want("Ghi chú ngắn về tiến độ (60%)")
	o.say(xmMember, boundChat, strings.Repeat("ư", 501))
	o.want("Ghi chú dài 501 ký tự; tối đa 500 ký tự")
	o.say(xmMember, boundChat, "Đã tổ chức 3 buổi tuyên truyền")
	o.want("Số văn bản báo cáo", "[⏭ Bỏ qua]")
	o.say(xmMember, boundChat, "45/BC-UBND")
	o.want("Đã gửi báo cáo tiến độ 60%")
	pg, err := o.st.PendingReports(context.Background(), store.PendingFilter{})
	if err != nil || pg.Total != 1 || pg.Items[0].Report.Percent != 60 || pg.Items[0].Report.DocNumber != "45/BC-UBND" || pg.Items[0].Report.Note != "Đã tổ chức 3 buổi tuyên truyền" {
		t.Fatalf("pending: %+v, %v", pg.Items, err)
	}

	// By button, skipping the document; then cancelled half way.
	o.tap(xmMember, boundChat, "📝 Báo cáo tiến độ")
	o.tap(xmMember, boundChat, "75%")
	o.want("Ghi chú ngắn về tiến độ (75%)")
	o.say(xmMember, boundChat, "/cancel")
	o.want("Đã huỷ.")
	if _, err := o.st.Conversation(context.Background(), boundChat, xmMember.ID); err == nil {
		t.Errorf("the conversation is left over")
	}
	o.tap(xmMember, boundChat, "📝 Báo cáo tiến độ")
	o.tap(xmMember, boundChat, "✖ Huỷ")
	o.want("Đã huỷ.")
	o.tap(xmMember, boundChat, "📝 Báo cáo tiến độ")
	o.tap(xmMember, boundChat, "25%")
	o.say(xmMember, boundChat, "Bắt đầu")
	o.tap(xmMember, boundChat, "⏭ Bỏ qua")
	o.want("Đã gửi báo cáo tiến độ 25%")
	o.quiet()
}

// TestReportSeveralUnits: a user who speaks for two assigned units is
// asked which one; a stranger pressing a reminder's button in a unit's
// group becomes its member.
func TestReportSeveralUnits(t *testing.T) {
	o := newOfficeHarness(t, nil)
	ctx := context.Background()
	o.say(xmMember, boundChat, "xin chào")
	o.say(xmMember, bdbpChat, "xin chào")
	o.say(xmMember, xmMember.ID, "/done HN-01 xong")
	o.want("Bạn báo cáo cho đơn vị nào?", "[Đảng ủy Bộ đội Biên phòng tỉnh]", "[Huyện ủy Xín Mần]")
	o.tap(xmMember, xmMember.ID, "Huyện ủy Xín Mần")
	o.want("Đã gửi báo cáo hoàn thành chỉ đạo HN-01 của Huyện ủy Xín Mần")
	// Again, while the office has not reviewed it: one report waits.
	o.say(xmMember, boundChat, "/done HN-01 xong rồi")
	o.want("báo cáo đang chờ văn phòng xác nhận", "Không cần gửi lại")
	if q, err := o.st.PendingReports(ctx, store.PendingFilter{}); err != nil || q.Total != 1 {
		t.Errorf("pending reports after reporting twice: %d, %v; want 1", q.Total, err)
	}

	// A reminder's button, pressed by someone new in the Border Guard's
	// group.
	newcomer := models.User{ID: 9, FirstName: "Cán bộ", LastName: "Mới"}
	d := o.directive("HN-03")
	var bdbp int64
	for _, a := range d.Assignments {
		if a.Unit.Code == "bdbp" {
			bdbp = a.Unit.ID
		}
	}
	o.press(newcomer, bdbpChat, scheduler.ReportProgressCallback(d.ID, bdbp))
	o.want("Đơn vị đã làm được bao nhiêu phần trăm?", "Đơn vị: Đảng ủy Bộ đội Biên phòng tỉnh")
	if us, err := o.st.UserUnits(ctx, newcomer.ID); err != nil || len(us) != 1 || us[0] != bdbp {
		t.Errorf("units of the newcomer: %v, %v", us, err)
	}
	// The same button in Xín Mần's group: not that unit's member there.
	o.press(xmMember, boundChat, scheduler.ReportDoneCallback(d.ID, bdbp))
	o.want("🔒 Bạn không có quyền")
	o.quiet()
}

// TestReminderCallbacksDecode: what the scheduler encodes on reminders,
// the handlers decode.
func TestReminderCallbacksDecode(t *testing.T) {
	for _, tt := range []struct {
		name string
		data string
		kind cbKind
	}{
		{"done", scheduler.ReportDoneCallback(42, 7), kindReportDone},
		{"progress", scheduler.ReportProgressCallback(42, 7), kindReportProgress},
		{"largest ids", scheduler.ReportProgressCallback(1<<63-1, 1<<63-1), kindReportProgress},
		{"open", scheduler.DirectiveCallback(42), kindDirective},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := decodeCallback(tt.data)
			if err != nil {
				t.Fatalf("decode %q: %v", tt.data, err)
			}
			if cb.Kind != tt.kind || cb.ID <= 0 || cb.encode() != tt.data {
				t.Errorf("decoded %q as %+v (encodes back to %q)", tt.data, cb, cb.encode())
			}
		})
	}
	for _, bad := range []string{"1:rd", "1:rd:u7", "1:rp:i0:u7", "1:ry", "1:rl", "1:hi:i4:p1", "1:hi:i4:rx:p1", "1:rd:i4:p2"} {
		if _, err := decodeCallback(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// TestAdminCommand: /admin lists, grants (by id and by reply) and
// revokes; a granted administrator may use admin commands; the
// configured ones cannot be removed.
func TestAdminCommand(t *testing.T) {
	o := newOfficeHarness(t, nil)
	o.say(officeAdmin, officeAdmin.ID, "/admin")
	o.want("Quản trị viên của văn phòng", "1 — cấu hình (ADMIN_IDS)")
	o.say(officeAdmin, officeAdmin.ID, "/admin add abc")
	o.want("Hãy cho biết mã người dùng", "Ví dụ:")
	o.say(officeAdmin, officeAdmin.ID, "/admin add 3")
	o.want("Đã thêm 3 làm quản trị viên")
	o.say(stranger, stranger.ID, "/pending")
	o.want("Báo cáo chờ xác nhận")
	o.say(officeAdmin, officeAdmin.ID, "/admin remove 1")
	o.want("không gỡ được trong chat")
	o.say(officeAdmin, officeAdmin.ID, "/admin remove 3")
	o.want("Đã bớt quyền quản trị của người dùng 3")
	o.say(stranger, stranger.ID, "/pending")
	o.want("Bạn không có quyền")
	o.say(officeAdmin, officeAdmin.ID, "/admin remove 3")
	o.want("không phải quản trị viên")

	// As a reply to the user's message, in a group.
	o.n++
	from := xmMember
	o.mark = len(o.sender.calls)
	o.h.Handle(context.Background(), &models.Update{ID: o.n, Message: &models.Message{ID: 99, From: &officeAdmin, Chat: chatOf(groupChat),
		Text: "/admin add", Entities: commandEntities("/admin add"), ReplyToMessage: &models.Message{ID: 98, From: &from}}})
	o.want("Đã thêm Cán bộ Xín Mần (2) làm quản trị viên")
	o.say(officeAdmin, officeAdmin.ID, "/admin")
	o.want("2 — Cán bộ Xín Mần")
	h, err := o.st.History(context.Background(), "admin", xmMember.ID)
	if err != nil || len(h) != 1 || h[0].Actor.ID != officeAdmin.ID {
		t.Errorf("the grant is not audited as the admin: %+v, %v", h, err)
	}
	o.quiet()
}

// TestHistoryPages: /history of a directive, a meeting and a program,
// newest first, old → new values, in pages under Telegram's limit.
func TestHistoryPages(t *testing.T) {
	o := newOfficeHarness(t, nil)
	for i := 1; i <= 7; i++ {
		o.say(officeAdmin, officeAdmin.ID, fmt.Sprintf("/extend HN-03 %02d/06/2024 lần %d", i, i))
		o.want("Đã gia hạn")
	}
	o.say(officeAdmin, officeAdmin.ID, "/history HN-03")
	o.want("Trang 1/2 · 8 lần thay đổi, mới nhất trước", "Đổi thời hạn", "Thời hạn: 06/06/2024 → 07/06/2024", "Ghi chú: lần 7", "[Sau ›]")
	o.lacks("Tạo mới")
	o.tap(officeAdmin, officeAdmin.ID, "Sau ›")
	o.want("Trang 2/2", "Tạo mới", "Thời hạn: 20/05/2024 → 01/06/2024")

	o.say(officeAdmin, officeAdmin.ID, "/edit họp 1")
	o.tap(officeAdmin, officeAdmin.ID, "Địa điểm")
	o.say(officeAdmin, officeAdmin.ID, "Đồn Biên phòng Xín Mần")
	o.tap(officeAdmin, officeAdmin.ID, "💾 Lưu")
	o.say(officeAdmin, officeAdmin.ID, "/history họp 1")
	o.want("cuộc họp: Hội nghị sơ kết", "Sửa", "Địa điểm: “Huyện Xín Mần” → “Đồn Biên phòng Xín Mần”", "Cán bộ Văn Phòng")
	o.say(stranger, stranger.ID, "/history chương trình hop-tac")
	o.want("chương trình: Đề án hợp tác", "Tạo mới")
	o.say(stranger, stranger.ID, "/history")
	o.want("Hãy cho biết số hoặc ký hiệu", "Ví dụ:")
	o.quiet()
}

// TestPendingPages: /pending pages oldest first; confirming the last
// report of the last page shows the page before.
func TestPendingPages(t *testing.T) {
	o := newOfficeHarness(t, nil)
	for i := 1; i <= 6; i++ {
		o.say(xmMember, boundChat, fmt.Sprintf("/progress HN-01 %d đợt %d", i*10, i))
		o.want("Đã gửi báo cáo tiến độ")
	}
	o.say(officeAdmin, officeAdmin.ID, "/pending")
	o.want("Trang 1/2 · 6 báo cáo", "Ghi chú: đợt 1", "[Sau ›]")
	o.lacks("đợt 6")
	o.tap(officeAdmin, officeAdmin.ID, "Sau ›")
	o.want("Trang 2/2", "6. ", "Ghi chú: đợt 6", "[✅ Xác nhận 6]")
	o.tap(officeAdmin, officeAdmin.ID, "✅ Xác nhận 6")
	o.want("» ✅ Đã xác nhận báo cáo.", "5 báo cáo", "Ghi chú: đợt 5")
	if got := o.sentTo(boundChat); !strings.Contains(got, "Tiến độ được ghi nhận: 60%") {
		t.Errorf("the unit's group was told:\n%s", got)
	}
	o.quiet()
}

// TestReviewFromAdminChat: the administrators' chat gets each report with
// its review buttons; a member of that chat who is not an administrator
// is refused; the reviewed message is replaced by the outcome.
func TestReviewFromAdminChat(t *testing.T) {
	o := newOfficeHarness(t, nil)
	o.say(xmMember, boundChat, "/done HN-01 đã xong")
	o.want("Đã gửi báo cáo hoàn thành")
	data := o.button(adminChat, "✅ Xác nhận")
	o.press(stranger, adminChat, data)
	o.want("» 🔒 Chỉ quản trị viên của văn phòng mới xác nhận hoặc trả lại báo cáo của đơn vị.")
	o.press(officeAdmin, adminChat, data)
	o.want("Đã xác nhận báo cáo", "HN-01", "Người xử lý: Cán bộ Văn Phòng")
	if got := o.sentTo(boundChat); !strings.Contains(got, "Văn phòng đã xác nhận báo cáo hoàn thành") {
		t.Errorf("the unit's group was told:\n%s", got)
	}
	o.press(officeAdmin, adminChat, data)
	o.want("» Báo cáo này đã được xử lý trước đó.")
	o.quiet()
}
