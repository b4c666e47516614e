package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/xuri/excelize/v2"

	"meetbot/importer"
	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// fakeFiles serves documents by file id, as getFile and the file URL do.
type fakeFiles struct {
	files map[string][]byte
	asked []string
}

func (f *fakeFiles) Download(_ context.Context, id string, max int64) ([]byte, error) {
	f.asked = append(f.asked, id)
	b, ok := f.files[id]
	if !ok {
		return nil, errors.New("get file: Bad Request: invalid file_id")
	}
	if int64(len(b)) > max {
		return nil, errors.New("file too big")
	}
	return b, nil
}

type fileHarness struct {
	*harness
	st    *sqlstore.Store
	files *fakeFiles
	mark  int
}

const adminUser, otherUser = int64(1), int64(99)

func newFileHarness(t *testing.T) *fileHarness {
	t.Helper()
	st := openSQLite(t, storetest.Fixture(), storetest.Loc, storetest.Now)
	hs := &fileHarness{harness: &harness{t: t, sender: &fakeSender{t: t}, logs: &bytes.Buffer{}}, st: st, files: &fakeFiles{files: map[string][]byte{}}}
	hs.h = New(Config{BotUsername: testBot, Location: storetest.Loc, AdminIDs: []int64{adminUser}}, Deps{
		Store: st, Sender: hs.sender, People: st, Conversations: st, Editor: st, Files: hs.files, Now: storetest.Now,
		Log: slog.New(slog.NewTextHandler(hs.logs, nil)),
	})
	return hs
}

// upload sends a document from user in chat, with a caption.
func (hs *fileHarness) upload(chat, user int64, name, mime string, data []byte, caption string) {
	hs.t.Helper()
	typ := models.ChatTypePrivate
	if chat < 0 {
		typ = models.ChatTypeSupergroup
	}
	id := fmt.Sprintf("file-%d", len(hs.files.files)+1)
	hs.files.files[id] = data
	hs.mark = len(hs.sender.calls)
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), Message: &models.Message{
		ID: 7, From: &models.User{ID: user, FirstName: "Cán bộ"}, Chat: models.Chat{ID: chat, Type: typ},
		Document: &models.Document{FileID: id, FileName: name, MimeType: mime, FileSize: int64(len(data))},
		Caption:  caption, CaptionEntities: commandEntities(caption),
	}})
}

// command sends a command from user in chat.
func (hs *fileHarness) command(chat, user int64, text string) {
	hs.t.Helper()
	hs.mark = len(hs.sender.calls)
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), Message: &models.Message{
		ID: 7, From: &models.User{ID: user, FirstName: "Cán bộ"}, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate},
		Text: text, Entities: commandEntities(text),
	}})
}

// since returns the calls made by the latest update.
func (hs *fileHarness) since() []sent { return hs.sender.calls[hs.mark:] }

// steps returns the method and visible text of each call since the mark.
func (hs *fileHarness) steps() []string {
	var out []string
	for _, c := range hs.since() {
		out = append(out, c.Method+": "+visibleText(c.Text))
	}
	return out
}

// workbook builds a directives sheet with rows under the template's header.
func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Chỉ đạo")
	header := []any{"Số/ký hiệu", "Tiêu đề", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"}
	f.SetSheetRow("Chỉ đạo", "A1", &header)
	for i, r := range rows {
		f.SetSheetRow("Chỉ đạo", fmt.Sprintf("A%d", i+2), &r)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportDocument(t *testing.T) {
	hs := newFileHarness(t)
	book := workbook(t,
		[]any{"HN-01", "Quản lý, bảo vệ đường biên giới và mốc quốc giới (sửa)", "bdbp", "xin-man", "30/06/2024"},
		[]any{"TT-NEW", "Tuần tra khu vực mốc 200", "xin-man; meo-vac", "bdbp", "15/07/2024"},
	)
	hs.upload(privateChat, adminUser, "chi-dao.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", book, "")
	want := []string{
		"SendMessage: ⏳ Đang tải tệp…",
		"EditMessageText: 🔎 Đang kiểm tra tệp chi-dao.xlsx…",
		"EditMessageText: 💾 Đang ghi 2 chỉ đạo…",
		"EditMessageText: ✅ Đã nhập tệp chi-dao.xlsx.\n• Chỉ đạo: 1 mới, 1 cập nhật, 0 không đổi",
	}
	if got := hs.steps(); !equalStrings(got, want) {
		t.Errorf("import steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// One status message, edited in place.
	calls := hs.since()
	for _, c := range calls[1:] {
		if c.MessageID == 0 || c.MessageID != calls[1].MessageID {
			t.Errorf("edit of message %d, want the status message", c.MessageID)
		}
	}
	d, err := hs.st.DirectiveByCode(context.Background(), "TT-NEW")
	if err != nil || len(d.Assignments) != 3 || d.Deadline != store.NewDate(2024, 7, 15) {
		t.Fatalf("imported directive %+v, %v", d, err)
	}
	h, err := hs.st.History(context.Background(), store.RecordDirective, d.ID)
	if err != nil || len(h) == 0 || h[0].Actor.ID != adminUser {
		t.Errorf("history %+v, %v: want the import audited as the admin", h, err)
	}

	// The same file again changes nothing.
	hs.upload(privateChat, adminUser, "chi-dao.xlsx", "", book, "")
	if got := hs.steps(); !strings.HasPrefix(got[len(got)-1], "EditMessageText: ℹ️ Đã kiểm tra tệp chi-dao.xlsx: không có gì thay đổi") {
		t.Errorf("second import ends with %q", got[len(got)-1])
	}
}

func TestImportDocumentErrors(t *testing.T) {
	hs := newFileHarness(t)
	before, err := hs.st.Export(context.Background(), store.ExportFilter{Viewer: adminViewer})
	if err != nil {
		t.Fatal(err)
	}
	book := workbook(t,
		[]any{"OK-1", "Đúng", "bdbp", "", "30/06/2024"},
		[]any{"BAD-2", "Ngày sai", "bdbp", "", "31/04/2024"},
		[]any{"BAD-3", "Đơn vị lạ", "khong-co", "", ""},
	)
	hs.upload(privateChat, adminUser, "loi.xlsx", "", book, "")
	got := hs.steps()
	want := "EditMessageText: ❌ Không nhập gì từ tệp loi.xlsx: tệp có 1 lỗi.\n• trang Chỉ đạo, dòng 3, cột E (Thời hạn): ngày “31/04/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)\n\nSửa các lỗi trên rồi gửi lại tệp (gửi /template để lấy tệp mẫu)."
	if got[len(got)-1] != want {
		t.Errorf("got %q\nwant %q", got[len(got)-1], want)
	}
	// Fixed date: now the store finds the unknown unit, placed at its cell.
	book = workbook(t,
		[]any{"OK-1", "Đúng", "bdbp", "", "30/06/2024"},
		[]any{"BAD-3", "Đơn vị lạ", "khong-co", "", ""},
	)
	hs.upload(privateChat, adminUser, "loi.xlsx", "", book, "")
	got = hs.steps()
	if !strings.Contains(got[len(got)-1], "• trang Chỉ đạo, dòng 3, cột C (Đơn vị chủ trì): không có đơn vị mã “khong-co”") {
		t.Errorf("got %q", got[len(got)-1])
	}
	after, err := hs.st.Export(context.Background(), store.ExportFilter{Viewer: adminViewer})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Directives) != len(before.Directives) {
		t.Errorf("a file with errors imported something: %d directives, was %d", len(after.Directives), len(before.Directives))
	}

	// Many errors: the list is cut to fit one message.
	var rows [][]any
	for i := range 300 {
		rows = append(rows, []any{fmt.Sprintf("X-%d", i), "", "bdbp", "", "99/99/2024"})
	}
	hs.upload(privateChat, adminUser, "nhieu-loi.xlsx", "", workbook(t, rows...), "")
	last := hs.since()[len(hs.since())-1]
	if n := telegramLen(last.Text); n > 4096 {
		t.Errorf("error list of %d characters", n)
	}
	if !strings.Contains(last.Text, "tệp có 600 lỗi") || !strings.Contains(last.Text, "lỗi khác.") {
		t.Errorf("error list %q", visibleText(last.Text)[:300])
	}
}

func TestImportDocumentRefusals(t *testing.T) {
	hs := newFileHarness(t)
	book := workbook(t, []any{"X-1", "Một", "bdbp"})
	tests := []struct {
		name       string
		chat, user int64
		file       string
		caption    string
		want       []string
	}{
		{"not an admin", privateChat, otherUser, "a.xlsx", "", []string{"SendMessage: 🔒 Bạn không có quyền nhập dữ liệu từ tệp.\nViệc này do quản trị viên của văn phòng thực hiện."}},
		{"unsupported type", privateChat, adminUser, "anh.pdf", "", []string{"SendMessage: ⚠️ Không nhập được tệp anh.pdf: bot chỉ nhận tệp Excel (.xlsx), CSV (.csv), YAML (.yaml, .yml).\nGửi /template để lấy tệp Excel mẫu, điền dữ liệu rồi gửi lại tệp .xlsx."}},
		{"group without caption", groupChat, adminUser, "a.xlsx", "", nil},
		{"group, another bot's", groupChat, adminUser, "a.xlsx", "/import@OtherBot", nil},
		{"group, not an admin", groupChat, otherUser, "a.xlsx", "/import", []string{"SendMessage: 🔒 Bạn không có quyền nhập dữ liệu từ tệp.\nViệc này do quản trị viên của văn phòng thực hiện."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs.upload(tt.chat, tt.user, tt.file, "", book, tt.caption)
			if got := hs.steps(); !equalStrings(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
	if len(hs.files.asked) != 0 {
		t.Errorf("refused files were downloaded: %q", hs.files.asked)
	}
	// An admin's /import caption in a group imports.
	hs.upload(groupChat, adminUser, "a.xlsx", "", book, "/import")
	if got := hs.steps(); len(got) != 4 || !strings.Contains(got[3], "✅ Đã nhập tệp a.xlsx.") {
		t.Errorf("group import: %q", got)
	}
}

func TestImportDocumentConsole(t *testing.T) {
	hs := newFileHarness(t)
	deps := hs.h.deps
	deps.Files = nil
	hs.h = New(hs.h.cfg, deps)
	hs.upload(privateChat, adminUser, "a.csv", "text/csv", []byte("code,title\n"), "")
	if got := hs.steps(); len(got) != 1 || !strings.Contains(got[0], "chỉ dùng được với bot trên Telegram") {
		t.Errorf("got %q", got)
	}
}

func TestTemplateAndExportCommands(t *testing.T) {
	hs := newFileHarness(t)
	hs.command(privateChat, adminUser, "/template")
	calls := hs.since()
	if len(calls) != 1 || calls[0].Method != "SendDocument" || calls[0].FileName != "meetbot-mau-nhap-du-lieu.xlsx" {
		t.Fatalf("/template: %q", hs.steps())
	}
	f, err := excelize.OpenReader(bytes.NewReader(calls[0].File))
	if err != nil {
		t.Fatalf("excelize cannot open the template: %v", err)
	}
	rows, _ := f.GetRows("Hướng dẫn")
	f.Close()
	if !strings.Contains(fmt.Sprint(rows), "xin-man Huyện ủy Xín Mần") {
		t.Errorf("the instructions do not list the stored units: %q", rows)
	}

	hs.command(privateChat, adminUser, "/export")
	calls = hs.since()
	if len(calls) != 1 || calls[0].Method != "SendDocument" || calls[0].FileName != "meetbot-chi-dao-2024-05-14.xlsx" {
		t.Fatalf("/export: %q", hs.steps())
	}
	if !strings.Contains(visibleText(calls[0].Text), "tính đến ngày 14/05/2024") {
		t.Errorf("export caption %q", calls[0].Text)
	}
	// The shares of the stored directives, counted by state.
	for _, want := range []string{"5 chỉ đạo, 9 lượt giao đơn vị:", "✅ Hoàn thành đúng hạn: 2", "🟡 Hoàn thành quá hạn: 2",
		"⏳ Chưa hoàn thành – trong hạn: 2", "🔴 Chưa hoàn thành – quá hạn: 1", "🔄 Thường xuyên: 2"} {
		if !strings.Contains(visibleText(calls[0].Text), want) {
			t.Errorf("export caption lacks %q:\n%s", want, visibleText(calls[0].Text))
		}
	}
	f, err = excelize.OpenReader(bytes.NewReader(calls[0].File))
	if err != nil {
		t.Fatalf("excelize cannot open the export: %v", err)
	}
	status, _ := f.GetRows("Tình trạng")
	f.Close()
	if len(status) < 3 || status[0][0] != "Số/ký hiệu" {
		t.Errorf("status sheet %q", status)
	}
	// The export imports back unchanged.
	file, err := importer.Parse(bytes.NewReader(calls[0].File), importer.FormatXLSX, storetest.Loc)
	if err != nil {
		t.Fatalf("parse the export: %v", err)
	}
	if res, err := hs.st.Import(context.Background(), file.Dataset, store.Actor{Name: "test"}); err != nil || res.Changed() {
		t.Errorf("re-import of /export = %+v, %v", res, err)
	}

	for _, cmd := range []string{"/template", "/export", "/import"} {
		hs.command(privateChat, otherUser, cmd)
		if got := hs.steps(); len(got) != 1 || !strings.HasPrefix(got[0], "SendMessage: 🔒 Bạn không có quyền") {
			t.Errorf("%s by a non-admin: %q", cmd, got)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// failingEditor fails every import, as a store that lost its disk.
type failingEditor struct{ Editor }

func (failingEditor) Import(context.Context, *store.Dataset, store.Actor) (store.ImportResult, error) {
	return store.ImportResult{}, errors.New("disk I/O error")
}

func TestImportDocumentStoreFailure(t *testing.T) {
	hs := newFileHarness(t)
	deps := hs.h.deps
	deps.Editor = failingEditor{hs.st}
	hs.h = New(hs.h.cfg, deps)
	hs.upload(privateChat, adminUser, "a.xlsx", "", workbook(t, []any{"X-1", "Một", "bdbp"}), "")
	got := hs.steps()
	if len(got) != 4 || !strings.HasPrefix(got[3], "EditMessageText: "+visibleText(systemError().html)) {
		t.Errorf("steps %q", got)
	}
	if !strings.Contains(hs.logs.String(), "disk I/O error") {
		t.Errorf("the failure is not logged:\n%s", hs.logs.String())
	}
}

// CSV and YAML files import too, told apart by name or, without an
// extension, by MIME type.
func TestImportDocumentFormats(t *testing.T) {
	hs := newFileHarness(t)
	tests := []struct {
		name, file, mime, data, want string
	}{
		{"csv with semicolons", "chi-dao.csv", "text/csv", "\xEF\xBB\xBFSố/ký hiệu;Tiêu đề;Đơn vị thực hiện;Thời hạn\r\nCSV-1;Một;xin-man, bdbp;30/06/2024\r\n", "✅ Đã nhập tệp chi-dao.csv."},
		{"yaml", "them.yml", "", "directives:\n  - code: YML-1\n    title: Hai\n    assignments: [{unit: bdbp}]\n", "✅ Đã nhập tệp them.yml."},
		{"no extension, MIME", "du-lieu", "text/csv", "code,title,units\nMIME-1,Ba,bdbp\n", "✅ Đã nhập tệp du-lieu."},
		{"csv error", "loi.csv", "", "code,title\nE-1,\n", "❌ Không nhập gì từ tệp loi.csv: tệp có 2 lỗi."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs.upload(privateChat, adminUser, tt.file, tt.mime, []byte(tt.data), "")
			got := hs.steps()
			if last := got[len(got)-1]; !strings.HasPrefix(last, "EditMessageText: "+tt.want) {
				t.Errorf("ends with %q, want %q", last, tt.want)
			}
		})
	}
	for _, code := range []string{"CSV-1", "YML-1", "MIME-1"} {
		if _, err := hs.st.DirectiveByCode(context.Background(), code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
