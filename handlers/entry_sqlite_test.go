package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"meetbot/store"
	"meetbot/store/storetest"
)

// TestEntryWithSQLite enters data in chat over the real SQLite store: a
// directive created is found, edited and extended, and its history shows
// each change with who made it; a meeting and a program are created.
// The conversations live in the same store, so a restart in the middle
// of one loses nothing.
func TestEntryWithSQLite(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t, storetest.Fixture(), storetest.Loc, storetest.Now)
	logs := &bytes.Buffer{}
	hs := &entryHarness{harness: &harness{t: t, sender: &fakeSender{t: t}, logs: logs}}
	cfg := Config{BotUsername: testBot, Location: storetest.Loc, PageSize: 5, AdminIDs: []int64{1}}
	deps := Deps{Store: st, Sender: hs.sender, People: st, Conversations: st, Editor: st, Now: storetest.Now,
		Log: slog.New(slog.NewTextHandler(logs, nil))}
	hs.h = New(cfg, deps)
	restart := func() { hs.h = New(cfg, deps) }
	admin := store.Actor{ID: 1, Name: "Cán bộ Nhập Liệu"}

	// Create, with a one-line form; the meeting named by words.
	hs.send(privateChat, "/newdirective HN-05 | Tuần tra khu vực mốc 200 | cuộc họp: hội nghị sơ kết | hạn 30/06/2024 | chủ trì: xin-man, MV | phối hợp: biên phòng")
	hs.want("Chỉ đạo mới — kiểm tra trước khi lưu", "Cuộc họp: Hội nghị sơ kết quy chế phối hợp biên giới (17/04/2024)",
		"Đơn vị chủ trì: Huyện ủy Xín Mần; Huyện ủy Mèo Vạc", "Đơn vị phối hợp: Đảng ủy Bộ đội Biên phòng tỉnh")
	restart()
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chỉ đạo mới.", "HN-05", "Tại cuộc họp: Hội nghị sơ kết quy chế phối hợp biên giới", "Huyện ủy Mèo Vạc — Chủ trì")

	// Found by code and by search.
	d, err := st.DirectiveByCode(ctx, "hn-05")
	if err != nil {
		t.Fatalf("the new directive: %v", err)
	}
	if d.Deadline != store.NewDate(2024, 6, 30) || len(d.Assignments) != 3 || d.MeetingTitle == "" {
		t.Errorf("stored %+v", d)
	}
	hits, err := st.Search(ctx, store.SearchQuery{Text: "moc 200"})
	if err != nil || len(hits.Items) != 1 || hits.Items[0].ID != d.ID {
		t.Errorf("search for the new directive: %+v, %v", hits.Items, err)
	}

	// The office's file import gives it its own reminders; a chat edit
	// must keep them.
	ds, err := st.Export(ctx, store.ExportFilter{Viewer: adminViewer, DirectiveIDs: []int64{d.ID}})
	if err != nil {
		t.Fatal(err)
	}
	ds.Directives[0].Reminders = store.Reminders{Off: true}
	if _, err := st.Import(ctx, &store.Dataset{Directives: ds.Directives}, store.Actor{Name: "meetbot import"}); err != nil {
		t.Fatal(err)
	}

	// Edit: the title, and the co-operating units; the bot restarts in
	// the middle.
	hs.send(privateChat, "/edit HN-05")
	hs.tap("Tiêu đề")
	restart()
	hs.send(privateChat, "Tuần tra, kiểm soát khu vực mốc 200")
	hs.tap("✏️ Sửa")
	hs.tap("Đơn vị phối hợp")
	hs.send(privateChat, "dong van")
	hs.want("Đơn vị phối hợp: Huyện ủy Đồng Văn", "trước đây: Đảng ủy Bộ đội Biên phòng tỉnh")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu thay đổi.", "Tuần tra, kiểm soát khu vực mốc 200", "Huyện ủy Đồng Văn — Phối hợp")

	// Extend, by command.
	hs.send(privateChat, "/extend HN-05 15/07/2024 chờ ý kiến phía bạn")
	hs.want("✅ Đã gia hạn chỉ đạo HN-05: 30/06/2024 → 15/07/2024.", "Hạn ban đầu: 30/06/2024 · đã đổi hạn 1 lần (lần gần nhất: chờ ý kiến phía bạn)")

	d, err = st.Directive(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Tuần tra, kiểm soát khu vực mốc 200" || d.Deadline != store.NewDate(2024, 7, 15) || !d.Reminders.Off {
		t.Errorf("after the edits: %+v", d)
	}
	if len(d.DeadlineHistory) != 1 || d.DeadlineHistory[0].From != store.NewDate(2024, 6, 30) || d.DeadlineHistory[0].By != admin {
		t.Errorf("deadline history %+v", d.DeadlineHistory)
	}
	hist, err := st.History(ctx, store.RecordDirective, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range hist {
		var fields []string
		for _, c := range e.Changes {
			fields = append(fields, c.Field)
		}
		got = append(got, e.Action+" by "+e.Actor.Name+" ["+strings.Join(fields, ",")+"]")
		if e.Actor.Name == admin.Name && e.Actor.ID != admin.ID {
			t.Errorf("entry %d: actor %+v", e.ID, e.Actor)
		}
	}
	want := []string{
		"deadline_changed by Cán bộ Nhập Liệu [deadline]",
		"updated by Cán bộ Nhập Liệu [title,assignments]",
		"updated by meetbot import [reminders]",
		"created by Cán bộ Nhập Liệu []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A meeting and a program, guided; each audited as the admin.
	hs.send(privateChat, "/newmeeting Giao ban biên phòng | 20/05/2024 14:00 | Đồn Thanh Thủy | đơn vị dự: bdbp, xin-man")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu cuộc họp mới.", "14:00, Thứ Hai, 20/05/2024", "Đảng ủy Bộ đội Biên phòng tỉnh; Huyện ủy Xín Mần")
	hs.send(privateChat, "/newprogram")
	hs.send(privateChat, "Đồng hành cùng phụ nữ biên cương")
	hs.tap("Mô hình")
	hs.send(privateChat, "2024")
	hs.tap("⏭ Bỏ qua") // vision
	hs.send(privateChat, "ubnd")
	hs.tap("⏭ Bỏ qua") // description
	hs.tap("Công khai")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu chương trình mới.", "Loại: Mô hình", "từ năm 2024", "UBND tỉnh Hà Giang")
	pg, err := st.Programs(ctx, store.ProgramFilter{Viewer: adminViewer})
	if err != nil {
		t.Fatal(err)
	}
	var prog store.Program
	for _, p := range pg.Items {
		if p.Code == "dong-hanh-cung-phu-nu-bien-cuong" {
			prog = p
		}
	}
	if prog.ID == 0 || prog.Owner.Code != "ubnd" || prog.StartYear != 2024 {
		t.Fatalf("the new program: %+v in %+v", prog, pg.Items)
	}
	if h, err := st.History(ctx, store.RecordProgram, prog.ID); err != nil || len(h) != 1 || h[0].Actor != admin {
		t.Errorf("program history %+v, %v", h, err)
	}
	// Edit the meeting by its card's button.
	ms, err := st.Meetings(ctx, store.MeetingFilter{From: store.NewDate(2024, 5, 20).Start(storetest.Loc), Viewer: adminViewer, Limit: 1})
	if err != nil || len(ms.Items) != 1 {
		t.Fatalf("the new meeting: %+v, %v", ms.Items, err)
	}
	hs.send(privateChat, "/meeting "+strconv.FormatInt(ms.Items[0].ID, 10))
	hs.tap("✏️ Sửa")
	hs.tap("Địa điểm")
	hs.send(privateChat, "Đồn Biên phòng Thanh Thủy")
	hs.tap("💾 Lưu")
	hs.want("✅ Đã lưu thay đổi.", "📍 Địa điểm: Đồn Biên phòng Thanh Thủy")
	h, err := st.History(ctx, store.RecordMeeting, ms.Items[0].ID)
	if err != nil || len(h) != 2 || h[0].Action != store.ActionUpdated || h[0].Actor != admin || len(h[0].Changes) != 1 || h[0].Changes[0].Field != "place" {
		t.Errorf("meeting history %+v, %v", h, err)
	}
	if _, err := st.Conversation(ctx, privateChat, 1); err == nil {
		t.Errorf("a conversation is left over")
	}
	hs.quiet()
}
