package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

// The data-entry conversations, driven through Handle as Telegram would:
// typed answers and button presses, checked by the fake sender against
// Telegram's rules, with golden files of what the admin sees.

func TestEntryNewDirectiveGuided(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/newdirective")
	hs.want("Chỉ đạo mới · bước 1/13", "Chỉ đạo này được đưa ra tại cuộc họp nào?", "💡 Lần sau có thể gõ một dòng")
	hs.tap("17/04/2024 · Hội nghị")
	hs.want("bước 2/13", "Ký hiệu (số) của chỉ đạo?")
	hs.send(privateChat, "HNXM-2024/03") // taken
	if got := visibleText(hs.sender.calls[len(hs.sender.calls)-2].Text); !strings.Contains(got, "Ký hiệu “HNXM-2024/03” đã dùng cho chỉ đạo số 3") {
		t.Errorf("a code in use: %s", got)
	}
	hs.tap("Dùng HNXM-2024/08")
	hs.want("bước 3/13", "Tiêu đề ngắn gọn")
	hs.send(privateChat, "Tuần tra <mốc> & đường biên")
	hs.want("bước 4/13", "Nội dung chi tiết")
	hs.tap("⏭ Bỏ qua")
	hs.want("bước 5/13", "Ai chỉ đạo")
	hs.tap("👤 Nguyễn Văn Sơn") // fills the position too: step 6 is skipped
	hs.want("bước 7/13", "Ngày chỉ đạo")
	hs.send(privateChat, "31/04/2024")
	if got := visibleText(hs.sender.calls[len(hs.sender.calls)-2].Text); !strings.Contains(got, "Ngày “31/04/2024” không có thật: tháng 4/2024 chỉ có 30 ngày. Hãy gõ lại, ví dụ 30/04/2024.") {
		t.Errorf("an impossible day: %s", got)
	}
	hs.tap("Ngày họp")
	hs.want("bước 8/13", "chương trình, đề án nào?")
	hs.tap("⏭ Bỏ qua") // the body's button, on an earlier question
	if got := visibleText(hs.sender.calls[len(hs.sender.calls)-2].Text); !strings.Contains(got, "Nút đó thuộc một câu hỏi trước") {
		t.Errorf("a button of an earlier question: %s", got)
	}
	hs.send(privateChat, "hợp tác")
	hs.want("bước 9/13", "Đơn vị nào chủ trì", "Chưa chọn đơn vị nào.")
	hs.tap("Huyện ủy Mèo Vạc")
	if c := hs.last(); c.Method != "EditMessageText" || !strings.Contains(c.Text, "Đã chọn (1): Huyện ủy Mèo Vạc") {
		t.Errorf("a toggle redraws the picker in place: %s %s", c.Method, c.Text)
	}
	hs.tap("Huyện ủy Xín Mần")
	hs.tap("Sau ›")
	hs.tap("Huyện ủy Đồng Văn")
	hs.tap("Huyện ủy Đồng Văn") // and off again
	hs.tap("✅ Xong")
	hs.want("bước 10/13", "Đơn vị nào phối hợp", "Các đơn vị đã là đơn vị chủ trì không có trong danh sách này.")
	hs.send(privateChat, "bien phong, huyen uy")
	hs.want("khớp với", "Hãy gõ ký hiệu của đơn vị.")
	hs.send(privateChat, "bien phong")
	hs.want("bước 11/13", "Thời hạn hoàn thành?")
	hs.tap("+30 ngày")
	hs.want("bước 12/13", "Ghi chú về thời hạn")
	hs.send(privateChat, "Báo cáo kết quả hằng tháng")
	hs.want("bước 13/13", "Hạn chế người xem chỉ đạo này?",
		"🔒 Hạn chế: chỉ quản trị viên và đơn vị được giao được xem.", "Công khai: mọi người dùng bot đều xem được (mặc định).")
	hs.tap("🔒 Hạn chế")
	hs.want("Chỉ đạo mới — kiểm tra trước khi lưu", "Ký hiệu: HNXM-2024/08", "Đơn vị chủ trì: Huyện ủy Mèo Vạc; Huyện ủy Xín Mần",
		"Thời hạn: 09/06/2024", "Chương trình: Nâng cao hiệu quả hợp tác", "Hạn chế: Có — chỉ quản trị viên và đơn vị được giao được xem")
	hs.tap("✏️ Sửa")
	hs.want("Sửa mục nào?")
	hs.tap("Tiêu đề")
	hs.want("Hiện tại: Tuần tra <mốc> & đường biên")
	hs.send(privateChat, "Tuần tra khu vực mốc 200")
	hs.want("Tiêu đề: Tuần tra khu vực mốc 200")
	if len(hs.ed.imports) != 0 {
		t.Fatalf("saved before “Lưu”: %+v", hs.ed.imports)
	}
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chỉ đạo mới.", "📌 Chỉ đạo HNXM-2024/08", "Tuần tra khu vực mốc 200", "Huyện ủy Xín Mần — Chủ trì", "Đảng ủy Bộ đội Biên phòng tỉnh — Phối hợp",
		"🔒 Hạn chế: chỉ quản trị viên và đơn vị được giao được xem")
	if kb := buttons(hs.last().Keyboard); kb["✏️ Sửa"] != "1:ed:i9" || kb["⏰ Gia hạn"] != "1:ex:i9" {
		t.Errorf("the new card's buttons: %v", kb)
	}
	golden(t, "entry_new_directive", formatCalls(hs.sender.calls))

	if len(hs.ed.imports) != 1 {
		t.Fatalf("%d imports, want 1", len(hs.ed.imports))
	}
	im := hs.ed.imports[0]
	if im.by != (store.Actor{ID: 1, Name: "Cán bộ Nhập Liệu"}) {
		t.Errorf("audited as %+v", im.by)
	}
	want := store.DirectiveRecord{Code: "HNXM-2024/08", Title: "Tuần tra khu vực mốc 200", IssuerName: "Nguyễn Văn Sơn",
		IssuerPosition: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", IssuedOn: day(2024, 4, 17), Meeting: "hn-xin-man-2024",
		Program: "de-an-hop-tac", Deadline: day(2024, 6, 9), DeadlineNote: "Báo cáo kết quả hằng tháng", Restricted: true,
		Assignments: []store.AssignmentRecord{{Unit: "meo-vac", Role: store.RoleLead}, {Unit: "xin-man", Role: store.RoleLead}, {Unit: "bdbp", Role: store.RoleSupport}}}
	if len(im.ds.Directives) != 1 || !equalRecords(im.ds.Directives[0], want) {
		t.Errorf("imported %+v\nwant %+v", im.ds.Directives, want)
	}
	if _, err := hs.conversation(); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the conversation goes on after saving: %v", err)
	}
	hs.quiet()
}

func equalRecords(a, b store.DirectiveRecord) bool {
	return a.Code == b.Code && a.Title == b.Title && a.Body == b.Body && a.IssuerName == b.IssuerName && a.IssuerPosition == b.IssuerPosition &&
		a.IssuedOn == b.IssuedOn && a.Meeting == b.Meeting && a.Program == b.Program && a.Deadline == b.Deadline &&
		a.DeadlineNote == b.DeadlineNote && a.SourceDoc == b.SourceDoc && a.Restricted == b.Restricted && len(a.Assignments) == len(b.Assignments) &&
		func() bool {
			for i := range a.Assignments {
				if a.Assignments[i].Unit != b.Assignments[i].Unit || a.Assignments[i].Role != b.Assignments[i].Role {
					return false
				}
			}
			return true
		}()
}

func TestEntryNewMeetingGuided(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/newmeeting")
	hs.want("Cuộc họp mới · bước 1/11", "Tên cuộc họp, hội nghị?")
	hs.send(privateChat, "Giao ban quý II")
	hs.want("bước 2/11", "Họp ngày nào?", "Hôm nay · 10/05/2024", "Ngày mai · 11/05/2024")
	hs.send(privateChat, "15/05/2024 25:00")
	hs.want("Không hiểu ngày")
	hs.send(privateChat, "15/05/2024 14:00") // the time too: its step is skipped
	hs.want("bước 4/11", "Họp ở đâu?")
	hs.tap("⏭ Bỏ qua")
	hs.send(privateChat, "Trần Văn An, Chỉ huy trưởng BĐBP tỉnh")
	hs.want("bước 7/11", "Đơn vị nào tổ chức")
	hs.tap("Đảng ủy Bộ đội Biên phòng tỉnh")
	hs.want("bước 8/11", "Những đơn vị nào dự họp?")
	hs.send(privateChat, "bdbp, XM; meo vac")
	hs.want("bước 9/11", "Tóm tắt kết quả")
	hs.tap("⏭ Bỏ qua")
	hs.send(privateChat, "Thông báo số 25/TB-BĐBP")
	hs.want("bước 11/11", "Hạn chế người xem cuộc họp này?", "chỉ quản trị viên, đơn vị tổ chức và đơn vị dự được xem", "Bấm “Bỏ qua” thì cuộc họp này công khai.")
	hs.tap("⏭ Bỏ qua") // public, as by default
	hs.want("Cuộc họp mới — kiểm tra trước khi lưu", "Hạn chế: Không (công khai)", "Ngày họp: 15/05/2024", "Giờ họp: 14:00", "Địa điểm: —",
		"Người chủ trì: Trần Văn An", "Chức vụ người chủ trì: Chỉ huy trưởng BĐBP tỉnh",
		"Đơn vị dự: Đảng ủy Bộ đội Biên phòng tỉnh; Huyện ủy Xín Mần; Huyện ủy Mèo Vạc")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu cuộc họp mới.", "🏛 Giao ban quý II", "14:00, Thứ Tư, 15/05/2024", "Trần Văn An – Chỉ huy trưởng BĐBP tỉnh")
	golden(t, "entry_new_meeting", formatCalls(hs.sender.calls))
	rec := hs.ed.imports[0].ds.Meetings[0]
	if rec.Key != "giao-ban-quy-ii-20240515" || rec.StartsAt != "2024-05-15T14:00:00+07:00" || rec.Organiser != "bdbp" ||
		strings.Join(rec.Attendees, ",") != "bdbp,xin-man,meo-vac" || rec.Source != "Thông báo số 25/TB-BĐBP" || rec.Restricted {
		t.Errorf("imported %+v", rec)
	}

	// A day from a button asks the time; a second meeting of that day
	// and title gets a key of its own.
	hs.sender.reset()
	hs.send(privateChat, "/newmeeting")
	hs.send(privateChat, "Giao ban quý II")
	hs.tap("+7 ngày")
	hs.want("bước 3/11", "Họp lúc mấy giờ?")
	hs.tap("08:00")
	hs.want("bước 4/11")
	hs.send(privateChat, "/cancel")
	hs.send(privateChat, "/newmeeting Giao ban quý II | 15/05/2024 08:00")
	hs.want("Cuộc họp mới — kiểm tra trước khi lưu")
	hs.tap("💾 Lưu")
	if rec := hs.ed.imports[1].ds.Meetings[0]; rec.Key != "giao-ban-quy-ii-20240515-2" {
		t.Errorf("the second meeting's key = %q", rec.Key)
	}
	hs.quiet()
}

func TestEntryNewProgramGuided(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/newprogram")
	hs.want("Chương trình mới · bước 1/7", "Tên chương trình, đề án?")
	hs.send(privateChat, "Con nuôi đồn Biên phòng")
	hs.want("bước 2/7", "Thuộc loại nào?")
	hs.tap("Đề án")
	hs.want("bước 3/7", "Giai đoạn thực hiện")
	hs.send(privateChat, "2025-2020")
	hs.want("Năm kết thúc 2020 trước năm bắt đầu 2025.")
	hs.send(privateChat, "2024-2030, tầm nhìn 2035") // the vision too: its step is skipped
	hs.want("bước 5/7", "Cơ quan, đơn vị nào chủ trì?")
	hs.send(privateChat, "bien phong")
	hs.want("bước 6/7", "Mô tả ngắn")
	hs.send(privateChat, "Mỗi đồn nhận đỡ đầu học sinh nghèo")
	hs.want("bước 7/7", "Hạn chế người xem chương trình này?")
	hs.send(privateChat, "cos")
	hs.want("Hạn chế: không hiểu. Hãy ghi “có”")
	hs.send(privateChat, "Không")
	hs.want("Hạn chế: Không (công khai)", "Loại: Đề án", "Giai đoạn: 2024–2030", "Tầm nhìn: 2035", "Cơ quan chủ trì: Đảng ủy Bộ đội Biên phòng tỉnh")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chương trình mới.", "📚 Con nuôi đồn Biên phòng", "2024–2030, tầm nhìn 2035")
	golden(t, "entry_new_program", formatCalls(hs.sender.calls))
	// The seed has a program "con-nuoi": the new code is the name's words.
	if rec := hs.ed.imports[0].ds.Programs[0]; rec.Code != "con-nuoi-don-bien-phong" || rec.Kind != "đề án" || rec.Owner != "bdbp" || rec.VisionYear != 2035 || rec.Restricted {
		t.Errorf("imported %+v", rec)
	}
	hs.quiet()
}

func TestEntryOneLine(t *testing.T) {
	t.Run("complete: straight to the summary", func(t *testing.T) {
		hs := newEntryHarness(t, true)
		hs.send(privateChat, "/newdirective HNXM-2024/09 | Tuần tra khu vực mốc 200 | hạn 30/06/2024 | đơn vị chủ trì: xin-man, meo-vac | phối hợp: bdbp")
		golden(t, "entry_oneline_directive", formatCalls(hs.sender.calls))
		hs.tap("💾 Lưu")
		hs.want("✅ Đã lưu chỉ đạo mới.", "HNXM-2024/09", "Thời hạn: 30/06/2024")
		rec := hs.ed.imports[0].ds.Directives[0]
		if rec.Code != "HNXM-2024/09" || rec.Deadline != day(2024, 6, 30) || len(rec.Assignments) != 3 || rec.Assignments[2].Unit != "bdbp" || rec.Assignments[2].Role != store.RoleSupport {
			t.Errorf("imported %+v", rec)
		}
		hs.quiet()
	})
	t.Run("missing parts are asked", func(t *testing.T) {
		hs := newEntryHarness(t, true)
		hs.send(privateChat, "/newdirective Tuần tra biên giới | chủ trì: xin-man")
		hs.want("Chỉ đạo mới", "Ký hiệu (số) của chỉ đạo?", "Dùng")
		if strings.Contains(hs.lastText(), "bước") {
			t.Errorf("a form's questions are not counted as steps: %s", hs.lastText())
		}
		if b := buttons(hs.last().Keyboard); b["Dùng CD-2024/01"] == "" {
			t.Errorf("suggested code: %v", b)
		}
		hs.tap("Dùng CD-2024/01")
		hs.want("Thời hạn hoàn thành?")
		hs.tap("♾ Thường xuyên")
		hs.want("kiểm tra trước khi lưu", "Ký hiệu: CD-2024/01", "Tiêu đề: Tuần tra biên giới", "Thời hạn: Thường xuyên", "Đơn vị chủ trì: Huyện ủy Xín Mần")
		hs.tap("💾 Lưu")
		if rec := hs.ed.imports[0].ds.Directives[0]; !rec.Deadline.IsZero() || rec.Code != "CD-2024/01" {
			t.Errorf("imported %+v", rec)
		}
	})
	t.Run("a meeting", func(t *testing.T) {
		hs := newEntryHarness(t, true)
		hs.send(privateChat, "/newmeeting Giao ban biên phòng quý II | 15/05/2024 14:00 | Bộ Chỉ huy BĐBP tỉnh | đơn vị dự: bdbp, xin-man")
		hs.want("Cuộc họp mới — kiểm tra trước khi lưu", "Giờ họp: 14:00", "Địa điểm: Bộ Chỉ huy BĐBP tỉnh", "Đơn vị dự: Đảng ủy Bộ đội Biên phòng tỉnh; Huyện ủy Xín Mần")
	})
	t.Run("a program", func(t *testing.T) {
		hs := newEntryHarness(t, true)
		hs.send(privateChat, "/newprogram Xuân ấm biên cương | phong trào | 2024-2025 | chủ trì: bdbp")
		hs.want("Chương trình mới — kiểm tra trước khi lưu", "Loại: Phong trào", "Giai đoạn: 2024–2025")
	})
	t.Run("errors name the part", func(t *testing.T) {
		hs := newEntryHarness(t, true)
		hs.send(privateChat, "/newdirective X-1 | Việc | hạn 31/04/2024 | chủ trì: xin-man")
		golden(t, "entry_oneline_error", formatCalls(hs.sender.calls))
		for _, tt := range []struct{ text, want string }{
			{"/newdirective X-1 | Việc | chủ trì: sao hoả", "Phần 3 (“chủ trì: sao hoả”): Không tìm thấy đơn vị “sao hoả”."},
			{"/newmeeting Họp | 30/02/2024", "Phần 2 (“30/02/2024”): Ngày “30/02/2024” không có thật: tháng 2/2024 chỉ có 29 ngày."},
			{"/newprogram Tên | loại | 2020-2025 | thừa", "Phần 4 (“thừa”): không rõ là mục nào."},
		} {
			hs.send(privateChat, tt.text)
			hs.want(tt.want, "Các nhãn")
		}
		if _, err := hs.conversation(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a form with errors starts a conversation: %v", err)
		}
	})
	t.Run("the grammar", func(t *testing.T) {
		hs := newEntryHarness(t, true)
		hs.send(privateChat, "/newdirective ?")
		golden(t, "entry_form_usage", formatCalls(hs.sender.calls))
	})
}

func TestEntryCancel(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/newmeeting")
	hs.send(privateChat, "Giao ban")
	hs.send(privateChat, "/cancel")
	hs.want("Đã huỷ.")
	if _, err := hs.conversation(); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the conversation outlives /cancel: %v", err)
	}
	hs.send(privateChat, "Xuân Biên phòng")
	hs.want("Kết quả tìm kiếm") // text is a search again

	hs.send(privateChat, "/newdirective Việc | chủ trì: xin-man | hạn 30/06/2024")
	hs.tap("✖ Huỷ")
	hs.want("Đã huỷ.")
	hs.send(privateChat, "/edit 3")
	hs.tap("Tiêu đề")
	hs.tap("✖ Huỷ")
	hs.want("Đã huỷ.")
	if len(hs.ed.imports)+len(hs.ed.moves) != 0 {
		t.Errorf("a cancelled conversation wrote: %+v %+v", hs.ed.imports, hs.ed.moves)
	}
	hs.quiet()
}

func TestEntryRefusedToOthers(t *testing.T) {
	hs := newEntryHarness(t, false)
	for _, text := range []string{
		"/newmeeting", "/newdirective", "/newprogram", "/newdirective X | Việc | hạn 30/06/2024 | chủ trì: xin-man",
		"/newmeeting Họp | 20/05/2024", "/newprogram ?", "/edit 3", "/edit họp 1", "/extend 3 30/06/2024", "/extend 3",
	} {
		hs.sender.reset()
		hs.send(privateChat, text)
		hs.want("🔒 Bạn không có quyền", "Việc này do quản trị viên của văn phòng thực hiện.")
	}
	for _, data := range []string{"1:ed:i3", "1:em:i1", "1:ep:i1", "1:ex:i3"} {
		hs.sender.reset()
		hs.press(privateChat, data)
		hs.want("🔒 Bạn không có quyền")
		if a := hs.only("AnswerCallbackQuery"); a.Notice != "" {
			t.Errorf("%s answered %q", data, a.Notice)
		}
	}
	// Their cards have no data-entry buttons.
	for _, text := range []string{"/directive 3", "/meeting 1", "/program 1"} {
		hs.sender.reset()
		hs.send(privateChat, text)
		for label := range buttons(hs.last().Keyboard) {
			if strings.Contains(label, "Sửa") || strings.Contains(label, "Gia hạn") {
				t.Errorf("%s shows %q to someone who may not edit", text, label)
			}
		}
	}
	if _, err := hs.conversation(); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused user has a conversation: %v", err)
	}
	if len(hs.ed.imports)+len(hs.ed.moves) != 0 {
		t.Errorf("a refused user wrote: %+v %+v", hs.ed.imports, hs.ed.moves)
	}

	// An administrator granted in chat may; a failed lookup refuses,
	// as a failure.
	deps := hs.h.deps
	deps.People = fakePeople{admins: map[int64]bool{1: true}}
	hs.h = New(hs.h.cfg, deps)
	hs.sender.reset()
	hs.send(privateChat, "/newprogram")
	hs.want("Tên chương trình, đề án?")
	hs.send(privateChat, "/cancel")
	deps.People = fakePeople{err: errors.New("db down")}
	hs.h = New(hs.h.cfg, deps)
	hs.send(privateChat, "/newprogram")
	hs.want(systemErrorText)
	if !strings.Contains(hs.logs.String(), "db down") {
		t.Errorf("the failure is not logged:\n%s", hs.logs)
	}

	// An admin whose rights end during the conversation cannot save.
	deps.People = fakePeople{admins: map[int64]bool{1: true}}
	hs.h = New(hs.h.cfg, deps)
	hs.send(privateChat, "/newprogram Tên | đề án")
	deps.People = fakePeople{}
	hs.h = New(hs.h.cfg, deps)
	hs.tap("💾 Lưu")
	hs.want("🔒 Bạn không có quyền lưu chương trình")
	if len(hs.ed.imports) != 0 {
		t.Errorf("saved by someone no longer an admin")
	}
}

func TestEntryRestartSafe(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/newdirective")
	hs.tap("🚫 Không gắn với cuộc họp nào")
	hs.tap("Dùng CD-2024/01")
	// The bot restarts: new Handlers over the same store.
	hs.h = New(hs.h.cfg, hs.h.deps)
	hs.send(privateChat, "Tuần tra biên giới")
	hs.want("bước 4/13")
	hs.h = New(hs.h.cfg, hs.h.deps)
	for range 3 {
		hs.tap("⏭ Bỏ qua") // body, issuer, position
	}
	hs.tap("⏭ Bỏ qua") // issue date
	hs.tap("🚫 Không thuộc chương trình nào")
	hs.send(privateChat, "dong van")
	hs.tap("⏭ Bỏ qua") // no co-operating unit
	hs.h = New(hs.h.cfg, hs.h.deps)
	hs.send(privateChat, "+7")
	hs.tap("⏭ Bỏ qua") // deadline note
	hs.tap("⏭ Bỏ qua") // restricted
	hs.want("kiểm tra trước khi lưu", "Ký hiệu: CD-2024/01", "Tiêu đề: Tuần tra biên giới", "Đơn vị chủ trì: Huyện ủy Đồng Văn", "Thời hạn: 17/05/2024")
	hs.h = New(hs.h.cfg, hs.h.deps)
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chỉ đạo mới.")
	hs.quiet()
}

func TestEntryEdit(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/edit 3")
	hs.want("✏️ Sửa chỉ đạo HNXM-2024/03", "Sửa mục nào?")
	if b := buttons(hs.last().Keyboard); b["Ký hiệu"] != "" {
		t.Errorf("the code, the directive's key, is offered for editing: %v", b)
	}
	hs.tap("Tiêu đề")
	hs.want("Hiện tại: Tham mưu hoàn thiện thủ tục", "↩ Giữ nguyên")
	hs.send(privateChat, "Mở lối thông quan Thanh Thủy – Thiên Bảo")
	hs.want("Sửa chỉ đạo HNXM-2024/03 — kiểm tra trước khi lưu", "Tiêu đề: Mở lối thông quan Thanh Thủy – Thiên Bảo", "trước đây: Tham mưu hoàn thiện thủ tục")
	hs.tap("✏️ Sửa")
	hs.want("✎ Tiêu đề")
	hs.tap("Đơn vị phối hợp")
	hs.want("Đã chọn (2): Huyện ủy Vị Xuyên; Đồn Biên phòng Thanh Thủy")
	hs.send(privateChat, "bdbp")
	hs.want("Đơn vị “bdbp” đã là đơn vị chủ trì.")
	hs.send(privateChat, "don-thanh-thuy, dong van")
	hs.want("Đơn vị phối hợp: Đồn Biên phòng Thanh Thủy; Huyện ủy Đồng Văn", "trước đây: Huyện ủy Vị Xuyên; Đồn Biên phòng Thanh Thủy")
	golden(t, "entry_edit_directive", formatCalls(hs.sender.calls))
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu thay đổi.", "Mở lối thông quan Thanh Thủy – Thiên Bảo", "Huyện ủy Đồng Văn — Phối hợp")
	rec := hs.ed.imports[0].ds.Directives[0]
	if rec.Code != "HNXM-2024/03" || rec.Deadline != day(2024, 4, 30) || rec.Meeting != "hn-xin-man-2024" || rec.IssuerName != "Nguyễn Văn Sơn" {
		t.Errorf("the fields not edited changed: %+v", rec)
	}
	if len(rec.Assignments) != 3 || rec.Assignments[0].Unit != "bdbp" || rec.Assignments[2].Unit != "dong-van" {
		t.Errorf("assignments %+v", rec.Assignments)
	}
	if len(hs.ed.moves) != 0 {
		t.Errorf("the deadline moved: %+v", hs.ed.moves)
	}
	// The lead unit kept its progress.
	if d, _ := hs.store.Directive(context.Background(), 3); d.Assignments[0].Percent != 70 || len(d.Assignments[0].Reports) != 4 {
		t.Errorf("the lead unit's progress: %+v", d.Assignments[0])
	}

	t.Run("the deadline goes through ChangeDeadline", func(t *testing.T) {
		hs.use(t)
		hs.send(privateChat, "/edit HNXM-2024/05")
		hs.tap("Thời hạn")
		hs.want("Hiện tại: 15/05/2024", "+7 ngày · 22/05/2024")
		hs.tap("+7 ngày")
		hs.want("Thời hạn: 15/05/2024 → 22/05/2024", "Lý do đổi hạn?")
		hs.send(privateChat, "Chờ số liệu của công an")
		hs.want("Thời hạn: 22/05/2024", "trước đây: 15/05/2024", "Lý do đổi hạn: Chờ số liệu của công an")
		hs.tap("💾 Lưu")
		hs.want("✅ Đã gia hạn chỉ đạo HNXM-2024/05: 15/05/2024 → 22/05/2024.", "Hạn ban đầu: 15/05/2024 · đã đổi hạn 1 lần (lần gần nhất: Chờ số liệu của công an)")
		if len(hs.ed.moves) != 1 || hs.ed.moves[0] != (store.DeadlineInput{DirectiveID: 5, Deadline: day(2024, 5, 22), Reason: "Chờ số liệu của công an", By: store.Actor{ID: 1, Name: "Cán bộ Nhập Liệu"}, At: testNow}) {
			t.Errorf("moves %+v", hs.ed.moves)
		}
		if n := len(hs.ed.imports); n != 2 || hs.ed.imports[1].ds.Directives[0].Deadline != day(2024, 5, 15) {
			t.Errorf("the import changed the deadline itself: %+v", hs.ed.imports)
		}
	})
	t.Run("a meeting keeps its time and length", func(t *testing.T) {
		hs.use(t)
		hs.send(privateChat, "/edit họp 1")
		hs.tap("Ngày họp")
		hs.send(privateChat, "18/04/2024")
		hs.want("Ngày họp: 18/04/2024", "trước đây: 17/04/2024")
		hs.tap("💾 Lưu")
		hs.want("✅ Đã lưu thay đổi.", "08:00–11:30, Thứ Năm, 18/04/2024")
		rec := hs.ed.imports[len(hs.ed.imports)-1].ds.Meetings[0]
		if rec.Key != "hn-xin-man-2024" || rec.StartsAt != "2024-04-18T08:00:00+07:00" || rec.EndsAt != "2024-04-18T11:30:00+07:00" || len(rec.Attendees) != 8 {
			t.Errorf("imported %+v", rec)
		}
	})
	t.Run("a program", func(t *testing.T) {
		hs.use(t)
		hs.send(privateChat, "/edit chương trình con-nuoi")
		hs.tap("Tầm nhìn")
		hs.send(privateChat, "năm 2030")
		hs.tap("💾 Lưu")
		hs.want("✅ Đã lưu thay đổi.", "tầm nhìn 2030")
		if rec := hs.ed.imports[len(hs.ed.imports)-1].ds.Programs[0]; rec.Code != "con-nuoi" || rec.VisionYear != 2030 || rec.Owner != "bdbp" {
			t.Errorf("imported %+v", rec)
		}
	})
	t.Run("clearing a field, keeping one, changing nothing", func(t *testing.T) {
		hs.use(t)
		hs.send(privateChat, "/edit 8")
		hs.tap("Văn bản")
		hs.tap("🗑 Để trống")
		hs.want("Văn bản: —", "trước đây: Chỉ thị số 15/CT-UBND")
		hs.tap("✏️ Sửa")
		hs.tap("Văn bản")
		hs.tap("↩ Giữ nguyên")
		hs.want("Văn bản: —")
		hs.send(privateChat, "/edit 8")
		hs.tap("‹ Xem lại")
		hs.want("Chưa sửa mục nào.")
		if b := buttons(hs.last().Keyboard); b["💾 Lưu"] != "" {
			t.Errorf("nothing to save, yet %v", b)
		}
	})
	t.Run("what cannot be found", func(t *testing.T) {
		hs.use(t)
		for _, tt := range []struct{ text, want string }{
			{"/edit", "Hãy cho biết số hoặc ký hiệu của bản ghi cần sửa."},
			{"/edit 999", "Không tìm thấy chỉ đạo “999”."},
			{"/edit họp abc", "Hãy gõ số của cuộc họp"},
			{"/edit họp 99", "Không tìm thấy cuộc họp số 99."},
			{"/edit chương trình xyz", "Không tìm thấy chương trình “xyz”."},
		} {
			hs.send(privateChat, tt.text)
			hs.want(tt.want)
		}
		hs.press(privateChat, "1:ed:i999")
		if a := hs.last(); a.Method != "AnswerCallbackQuery" || a.Notice != expiredNotice {
			t.Errorf("the edit button of a directive gone: %+v", a)
		}
	})
	hs.quiet()
}

func TestEntryExtend(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/extend 3 30/06/2024 chờ ý kiến phía bạn")
	golden(t, "entry_extend", formatCalls(hs.sender.calls))
	hs.want("✅ Đã gia hạn chỉ đạo HNXM-2024/03: 30/04/2024 → 30/06/2024.", "⏰ Thời hạn: 30/06/2024",
		"Hạn ban đầu: 30/04/2024 · đã đổi hạn 1 lần (lần gần nhất: chờ ý kiến phía bạn)")
	if len(hs.ed.moves) != 1 || hs.ed.moves[0].Reason != "chờ ý kiến phía bạn" || hs.ed.moves[0].By.ID != 1 {
		t.Errorf("moves %+v", hs.ed.moves)
	}
	for _, tt := range []struct{ text, want string }{
		{"/extend HNXM-2024/03 30/06/2024", "Thời hạn của chỉ đạo đã là 30/06/2024."},
		{"/extend 3 31/06/2024", "Ngày “31/06/2024” không có thật: tháng 6/2024 chỉ có 30 ngày."},
		{"/extend 3 sớm", "Không hiểu ngày “sớm”."},
		{"/extend", "Cách dùng: /extend"},
		{"/extend 999 30/06/2024", "Không tìm thấy chỉ đạo “999”."},
		{"/extend 1 +7", "✅ Đã gia hạn chỉ đạo HNXM-2024/01: thường xuyên → 17/05/2024."},
		{"/extend 15/CT-UBND thường xuyên | không còn hạn", "✅ Đã đổi hạn chỉ đạo 15/CT-UBND: 31/05/2024 → thường xuyên."},
		{"/extend 3 +15", "30/06/2024 → 15/07/2024"},
	} {
		hs.send(privateChat, tt.text)
		hs.want(tt.want)
	}

	// From the card: "⏰ Gia hạn".
	hs.sender.reset()
	hs.send(privateChat, "/directive 5")
	hs.tap("⏰ Gia hạn")
	hs.want("✏️ Sửa chỉ đạo HNXM-2024/05", "Thời hạn hoàn thành?", "Hiện tại: 15/05/2024")
	hs.tap("Cuối tháng")
	hs.tap("⏭ Bỏ qua")
	hs.want("Thời hạn: 31/05/2024", "trước đây: 15/05/2024")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã gia hạn chỉ đạo HNXM-2024/05: 15/05/2024 → 31/05/2024.", "Hạn ban đầu: 15/05/2024 · đã đổi hạn 1 lần")
	if m := hs.ed.moves[len(hs.ed.moves)-1]; m.DirectiveID != 5 || m.Reason != "" {
		t.Errorf("the last move %+v", m)
	}
	hs.quiet()
}

func TestEntryCardButtons(t *testing.T) {
	hs := newEntryHarness(t, true)
	for _, tt := range []struct {
		text string
		want map[string]string
	}{
		{"/directive 3", map[string]string{"✏️ Sửa": "1:ed:i3", "⏰ Gia hạn": "1:ex:i3"}},
		{"/directive 15/CT-UBND", map[string]string{"✏️ Sửa": "1:ed:i8", "⏰ Gia hạn": "1:ex:i8"}},
		{"/meeting 1", map[string]string{"✏️ Sửa": "1:em:i1"}},
		{"/program 1", map[string]string{"✏️ Sửa": "1:ep:i1"}},
	} {
		hs.sender.reset()
		hs.send(privateChat, tt.text)
		b := buttons(hs.last().Keyboard)
		for label, data := range tt.want {
			if b[label] != data {
				t.Errorf("%s: button %q = %q, want %q", tt.text, label, b[label], data)
			}
		}
	}
	hs.sender.reset()
	hs.send(privateChat, "/meeting 2")
	hs.tap("✏️ Sửa")
	hs.want("✏️ Sửa cuộc họp Giao ban công tác biên phòng quý II/2024", "Sửa mục nào?")
	if c := hs.sender.calls[len(hs.sender.calls)-1]; c.Method != "SendMessage" {
		t.Errorf("the card is replaced rather than kept: %s", c.Method)
	}
	hs.sender.reset()
	hs.send(privateChat, "/program 2")
	hs.tap("✏️ Sửa")
	hs.want("✏️ Sửa chương trình Chung tay vì người nghèo")
	hs.quiet()
}

func TestEntrySaveRefused(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.ed.refuse = store.ImportErrors{
		{Record: "directives[0] (X-1)", Field: "assignments[0].unit", Msg: `unknown unit "xyz"`, Problem: store.ProblemUnknown, Args: []string{"unit", "xyz"}},
		{Record: "directives[0] (X-1)", Field: "assignments", Msg: "unit meo-vac has recorded progress and cannot be removed by an import",
			Problem: store.ProblemHasProgress, Args: []string{"meo-vac"}},
		{Record: "directives[0] (X-1)", Field: "reminders", Msg: "something new"}, // from an engine that gives no Problem
		{Record: "directives[0] (X-1)", Field: "end_year", Problem: store.ProblemBefore, Args: []string{"start_year"}},
	}
	hs.send(privateChat, "/newdirective X-1 | Việc | hạn 30/06/2024 | chủ trì: xin-man")
	hs.tap("💾 Lưu")
	got := visibleText(hs.sender.calls[len(hs.sender.calls)-2].Text)
	for _, w := range []string{"Chưa lưu được chỉ đạo:", "• Đơn vị thực hiện: không có đơn vị “xyz”",
		"• Đơn vị thực hiện: đơn vị “meo-vac” đã có tiến độ nên không bỏ ra khỏi chỉ đạo được", "• Lịch nhắc hạn: không hợp lệ", "• Giai đoạn: năm kết thúc trước năm bắt đầu"} {
		if !strings.Contains(got, w) {
			t.Errorf("the refusal lacks %q:\n%s", w, got)
		}
	}
	hs.want("kiểm tra trước khi lưu") // asked again
	if c, err := hs.conversation(); err != nil || c.Step != stepConfirm {
		t.Errorf("after a refusal the conversation is %+v, %v", c, err)
	}

	// A failure: the system error, logged; the summary stays to retry.
	hs.ed.refuse, hs.ed.err = nil, errFakeEditor
	hs.tap("💾 Lưu")
	if a := hs.last(); a.Method != "AnswerCallbackQuery" || a.Notice != systemErrorText || !a.Alert {
		t.Errorf("a failed save: %+v", a)
	}
	if !strings.Contains(hs.logs.String(), "write failed") {
		t.Errorf("the failure is not logged:\n%s", hs.logs)
	}
	hs.logs.Reset()
	hs.ed.err = nil
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chỉ đạo mới.")

	// A deadline before the issue date.
	hs.send(privateChat, "/newdirective X-2 | Việc | ngày 20/05/2024 | hạn 10/05/2024 | chủ trì: xin-man")
	hs.tap("💾 Lưu")
	hs.want("kiểm tra trước khi lưu")
	if got := visibleText(hs.sender.calls[len(hs.sender.calls)-2].Text); !strings.Contains(got, "Chưa lưu được: Thời hạn (10/05/2024) trước ngày chỉ đạo (20/05/2024).") {
		t.Errorf("a deadline before the issue date: %s", got)
	}
	// A code taken meanwhile.
	hs.send(privateChat, "/newdirective X-1 | Việc khác | hạn 30/06/2024 | chủ trì: xin-man")
	hs.want("Phần 1 (“X-1”): Ký hiệu “X-1” đã dùng cho chỉ đạo số 9")
	hs.quiet()
}

func TestEntryInGroup(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(groupChat, "/newmeeting@MeetBot")
	if c := hs.last(); !c.ForceReply || !strings.Contains(c.Text, "Trả lời tin nhắn này") {
		t.Errorf("a question without buttons in a group: %+v", c)
	} else if n := strings.Count(visibleText(c.Text), "Trả lời"); n != 1 {
		t.Errorf("a question without buttons in a group says to reply %d times, want once:\n%s", n, visibleText(c.Text))
	}
	hs.send(groupChat, "Giao ban")
	if c := hs.last(); c.Keyboard == nil || !strings.Contains(visibleText(c.Text), "↩️ Trả lời (reply) tin nhắn này để gõ câu trả lời.") {
		t.Errorf("a question with buttons in a group: %+v", c)
	}
	hs.send(groupChat, "/cancel@MeetBot")
	hs.want("Đã huỷ.")
	hs.quiet()
}

func TestEntryWithoutWrites(t *testing.T) {
	hs := newEntryHarness(t, true)
	deps := hs.h.deps
	deps.Editor = nil
	hs.h = New(hs.h.cfg, deps)
	hs.send(privateChat, "/newdirective")
	hs.want("Nhập và sửa dữ liệu chưa được bật ở đây.")
	hs.send(privateChat, "/directive 3")
	if b := buttons(hs.last().Keyboard); b["✏️ Sửa"] != "" {
		t.Errorf("edit buttons without writes: %v", b)
	}
}

// TestEntryInlineCard: a card in an inline message has no chat for a
// conversation, so no edit buttons.
func TestEntryInlineCard(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), CallbackQuery: &models.CallbackQuery{
		ID: "cq", From: entryUser, Data: "1:d:i3", InlineMessageID: "inl",
	}})
	if b := buttons(hs.last().Keyboard); b["✏️ Sửa"] != "" {
		t.Errorf("edit buttons in an inline message: %v", b)
	}
}

// TestEntryNoMeetingOrProgramTyped: typed at the meeting or the program
// question, “không” (a skip word) and “none” both leave the directive
// without one.
func TestEntryNoMeetingOrProgramTyped(t *testing.T) {
	for _, typed := range []string{"không", "none"} {
		t.Run(typed, func(t *testing.T) {
			hs := newEntryHarness(t, true)
			hs.send(privateChat, "/edit 4")
			hs.tap("Cuộc họp")
			hs.send(privateChat, typed)
			hs.want("Cuộc họp: —", "trước đây: ")
			hs.tap("✏️ Sửa")
			hs.tap("Chương trình")
			hs.send(privateChat, typed)
			hs.want("Chương trình: —", "trước đây: ")
			hs.tap("💾 Lưu")
			rec := hs.ed.imports[len(hs.ed.imports)-1].ds.Directives[0]
			if rec.Meeting != "" || rec.Program != "" {
				t.Errorf("imported meeting %q, program %q; want none", rec.Meeting, rec.Program)
			}
		})
	}
}

// TestEntryNewProgramNamedByNumber: a new program whose code reads as a
// number ("2") is found after saving by its code, not taken for the
// program with that number.
func TestEntryNewProgramNamedByNumber(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/newprogram 2")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chương trình mới.", "📚 2")
	if rec := hs.ed.imports[0].ds.Programs[0]; rec.Code != "2" {
		t.Errorf("imported %+v", rec)
	}
	// A name whose code is taken ("con-nuoi", the seed's) gets "-2".
	hs.send(privateChat, "/newprogram Con nuôi")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chương trình mới.", "📚 Con nuôi")
	if rec := hs.ed.imports[1].ds.Programs[0]; rec.Code != "con-nuoi-2" {
		t.Errorf("imported %+v", rec)
	}
}

// TestEntryMeetingTyped: at the meeting question, words that match one
// meeting choose it, words that match several list them as buttons,
// words that match none say so, and a number chooses that meeting.
func TestEntryMeetingTyped(t *testing.T) {
	hs := newEntryHarness(t, true)
	hs.send(privateChat, "/edit 4")
	hs.tap("Cuộc họp")
	hs.send(privateChat, "sao hoả")
	hs.want("Không tìm thấy cuộc họp “sao hoả”")
	hs.send(privateChat, "hội nghị")
	hs.want("Các cuộc họp khớp với “hội nghị”:", "[05/03/2024 · Hội nghị triển khai nhiệm…]")
	hs.tap("05/03/2024 · Hội nghị")
	hs.want("Cuộc họp: Hội nghị triển khai nhiệm")
	hs.tap("✏️ Sửa")
	hs.tap("Cuộc họp")
	hs.send(privateChat, "giao ban")
	hs.want("Cuộc họp: Giao ban công tác biên phòng quý II/2024")
	hs.tap("✏️ Sửa")
	hs.tap("Cuộc họp")
	hs.send(privateChat, "99")
	hs.want("Không có cuộc họp số 99")
	hs.quiet()
}
