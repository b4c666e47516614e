package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"meetbot/console"
	"meetbot/importer"
	"meetbot/store"
)

// newDirectiveBook is a workbook in the template's layout with one new
// directive for two of the demo's units.
func newDirectiveBook(t *testing.T) []byte {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	ds := &store.Dataset{Directives: []store.DirectiveRecord{{Code: "E2E-01", Title: "Tuần tra chung khu vực mốc 200",
		Deadline: store.NewDate(2030, 6, 30), Assignments: []store.AssignmentRecord{{Unit: "xin-man", Role: store.RoleLead}, {Unit: "bdbp", Role: store.RoleSupport}}}}}
	if err := importer.Workbook(&buf, ds, loc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An administrator sends a workbook to the bot on Telegram: it is
// downloaded from the Bot API, imported, and the status message ends
// with the summary; /export and /template come back as workbooks.
func TestRunImportWorkbook(t *testing.T) {
	h := startBot(t, map[string]string{"ADMIN_IDS": "4242"}, serveOptions{})
	before := len(h.replies(h.dm))
	h.fake.SendDocument(h.dm, h.user, "chi-dao.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", newDirectiveBook(t), "")
	h.wait("the import summary", func() bool {
		ms := h.replies(h.dm)
		return len(ms) > before && strings.Contains(ms[len(ms)-1].Plain, "Đã nhập tệp chi-dao.xlsx")
	})
	if ms := h.replies(h.dm); len(ms) != before+1 || !strings.Contains(ms[before].Plain, "Chỉ đạo: 1 mới, 0 cập nhật, 0 không đổi") {
		t.Errorf("import messages: %+v", ms[before:])
	}
	if m := h.say(h.dm, "/directive E2E-01"); !strings.Contains(m.Plain, "Tuần tra chung khu vực mốc 200") {
		t.Errorf("/directive E2E-01:\n%s", m.Plain)
	}

	for cmd, name := range map[string]string{"/export": "meetbot-chi-dao-", "/template": "meetbot-mau-nhap-du-lieu.xlsx"} {
		m := h.say(h.dm, cmd)
		if m.Document == nil || !strings.HasPrefix(m.Document.Name, name) {
			t.Fatalf("%s answered %q without the workbook", cmd, m.Plain)
		}
		f, err := excelize.OpenReader(bytes.NewReader(m.Document.Data))
		if err != nil {
			t.Fatalf("%s: excelize cannot open %s: %v", cmd, m.Document.Name, err)
		}
		f.Close()
	}

	// Someone else is refused, and the file is not even downloaded.
	other := h.fake.User(5151, "Khách")
	dm := h.fake.PrivateChat(other)
	h.fake.SendDocument(dm, other, "chi-dao.xlsx", "", newDirectiveBook(t), "")
	h.wait("the refusal", func() bool { return len(h.replies(dm)) > 0 })
	if m := h.replies(dm)[0]; !strings.Contains(m.Plain, "Bạn không có quyền nhập dữ liệu từ tệp") {
		t.Errorf("non-admin upload answered %q", m.Plain)
	}
	if strings.Contains(h.logs.String(), testToken) {
		t.Error("the token appears in the logs")
	}
}

// meetbot import takes workbooks, CSV and YAML files; errors, in
// Vietnamese as in chat, name the row or the line, record and field.
func TestImportCommandWorkbookAndCSV(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "meetbot.db")
	units := filepath.Join(dir, "units.yaml")
	os.WriteFile(units, []byte("units:\n  - {code: xin-man, name: Huyện ủy Xín Mần}\n  - {code: bdbp, name: Biên phòng}\n"), 0o600)
	book := filepath.Join(dir, "chi-dao.xlsx")
	os.WriteFile(book, newDirectiveBook(t), 0o600)
	csv := filepath.Join(dir, "loi.csv")
	os.WriteFile(csv, []byte("\xEF\xBB\xBFSố/ký hiệu;Tiêu đề;Đơn vị chủ trì;Thời hạn\r\nX-1;Một;xin-man;30/06/2024\r\nX-2;Hai;khong-co;31/06/2024\r\n"), 0o600)
	bad := filepath.Join(dir, "loi.yaml")
	os.WriteFile(bad, []byte("directives:\n  - code: Y-1\n    tilte: Một\n    assignments: [{unit: khong-co}]\n"), 0o600)

	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"import", "--db", db, units, book, csv, bad}, strings.NewReader(""), &out, &errOut)
	if code == 0 {
		t.Errorf("import with a bad file exited 0")
	}
	got := out.String()
	for _, want := range []string{
		book + ": imported",
		csv + ": nothing imported",
		"  dòng 3, cột D (Thời hạn): ngày “31/06/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)",
		bad + ": nothing imported",
		"  dòng 3, directives[0] (Y-1), trường tilte: không có trường này; có phải là “title”?",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// The console imports a file with :upload, as sending it on Telegram does.
func TestConsoleUpload(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	t.Setenv("ADMIN_IDS", strconv.FormatInt(console.DefaultUserID, 10))
	book := filepath.Join(t.TempDir(), "chi-dao.xlsx")
	if err := os.WriteFile(book, newDirectiveBook(t), 0o600); err != nil {
		t.Fatal(err)
	}
	in := strings.NewReader(":upload " + book + "\n/directive E2E-01\n:upload /khong/co.xlsx\n")
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"console", "--demo", "--now", "2026-11-26T09:00:00+07:00"}, in, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{"Đang tải tệp", "Đã nhập tệp chi-dao.xlsx.", "Chỉ đạo: 1 mới", "Tuần tra chung khu vực mốc 200", "⚠ Không mở được tệp"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the session lacks %q:\n%s", want, out.String())
		}
	}
}
