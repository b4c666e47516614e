package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"meetbot/demo"
	"meetbot/importer"
	"meetbot/store"
	"meetbot/store/storetest"
)

// sheet is a sheet for book: its title and rows from row 1.
type sheet struct {
	title string
	rows  [][]any
}

// book returns an .xlsx file with the sheets.
func book(t *testing.T, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.title); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.title); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.title, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var directiveHeader = []any{"Số/ký hiệu *", "Tiêu đề *", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Hạn chế"}

func TestDecodeWorkbook(t *testing.T) {
	deadline := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		sheets []sheet
		want   *store.Dataset
	}{
		{
			name: "template headers, text and cell dates, standing",
			sheets: []sheet{
				{"Hướng dẫn", [][]any{{"anything"}}},
				{"Chỉ đạo", [][]any{
					directiveHeader,
					{"Ví dụ: X-1", "ignored example", "nobody"},
					{"CT-01", "Tuần tra", "xin-man; hoang-su-phi", "bdbp", "30/06/2024", "Có"},
					{},
					{"CT-02", "Thường xuyên", "BDBP", "", "", ""},
					{"CT-03", "Ô ngày", "bdbp", "xin-man,meo-vac", deadline, "không"},
					{"CT-04", "ISO", "bdbp", "", "2024-06-30", ""},
				}},
			},
			want: &store.Dataset{Directives: []store.DirectiveRecord{
				{Code: "CT-01", Title: "Tuần tra", Deadline: store.NewDate(2024, 6, 30), Restricted: true, Assignments: []store.AssignmentRecord{
					{Unit: "xin-man", Role: store.RoleLead}, {Unit: "hoang-su-phi", Role: store.RoleLead}, {Unit: "bdbp", Role: store.RoleSupport}}},
				{Code: "CT-02", Title: "Thường xuyên", Assignments: []store.AssignmentRecord{{Unit: "bdbp", Role: store.RoleLead}}},
				{Code: "CT-03", Title: "Ô ngày", Deadline: store.NewDate(2024, 6, 30), Assignments: []store.AssignmentRecord{
					{Unit: "bdbp", Role: store.RoleLead}, {Unit: "xin-man", Role: store.RoleSupport}, {Unit: "meo-vac", Role: store.RoleSupport}}},
				{Code: "CT-04", Title: "ISO", Deadline: store.NewDate(2024, 6, 30), Assignments: []store.AssignmentRecord{{Unit: "bdbp", Role: store.RoleLead}}},
			}},
		},
		{
			name: "English headers, a title row, lead first, other sheets",
			sheets: []sheet{
				{"units", [][]any{{"code", "name", "kind", "aliases"}, {"xin-man", "Huyện ủy Xín Mần", "district", "XM; Xín Mần"}}},
				{"Cuộc họp", [][]any{{"Mã cuộc họp", "Tên cuộc họp", "Bắt đầu", "Đơn vị dự"}, {"hn-1", "Hội nghị", "17/04/2024 08:00", "xin-man"}}},
				{"directives", [][]any{
					{"DANH SÁCH CHỈ ĐẠO"},
					{},
					{"code", "title", "units", "deadline", "meeting"},
					{"A/1", "Một", "xin-man; bdbp; meo-vac", "1/7/2024", "hn-1"},
				}},
			},
			want: &store.Dataset{
				Units:    []store.UnitRecord{{Code: "xin-man", Name: "Huyện ủy Xín Mần", Kind: store.KindDistrict, Aliases: []string{"XM", "Xín Mần"}}},
				Meetings: []store.MeetingRecord{{Key: "hn-1", Title: "Hội nghị", StartsAt: "17/04/2024 08:00", Attendees: []string{"xin-man"}}},
				Directives: []store.DirectiveRecord{{Code: "A/1", Title: "Một", Deadline: store.NewDate(2024, 7, 1), Meeting: "hn-1", Assignments: []store.AssignmentRecord{
					{Unit: "xin-man", Role: store.RoleLead}, {Unit: "bdbp", Role: store.RoleSupport}, {Unit: "meo-vac", Role: store.RoleSupport}}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.Load(bytes.NewReader(book(t, tt.sheets...)), importer.FormatXLSX, storetest.Loc)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeWorkbookFormulaAndDateCell(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Chỉ đạo")
	f.SetSheetRow("Chỉ đạo", "A1", &directiveHeader)
	f.SetSheetRow("Chỉ đạo", "A2", &[]any{"CT-1", "Một", "bdbp"})
	f.SetCellValue("Chỉ đạo", "E2", time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Chỉ đạo", "E2", "E2", style)
	// A formula with its cached value, as Excel saves it.
	f.SetCellFormula("Chỉ đạo", "B3", `CONCATENATE("Hai"," ","việc")`)
	f.SetCellStr("Chỉ đạo", "A3", "CT-2")
	f.SetCellStr("Chỉ đạo", "C3", "bdbp")
	var buf bytes.Buffer
	f.WriteTo(&buf)
	// excelize writes no cached value; set one as Excel would.
	g, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	g.SetCellFormula("Chỉ đạo", "B3", `CONCATENATE("Hai"," ","việc")`)
	if _, err := g.CalcCellValue("Chỉ đạo", "B3"); err != nil {
		t.Fatal(err)
	}
	g.UpdateLinkedValue()
	buf.Reset()
	g.WriteTo(&buf)
	ds, err := importer.Decode(&buf, importer.FormatXLSX)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got := ds.Directives[0].Deadline; got != store.NewDate(2024, 12, 31) {
		t.Errorf("deadline from a date cell = %v, want 2024-12-31", got)
	}
	if len(ds.Directives) != 2 || ds.Directives[1].Code != "CT-2" {
		t.Errorf("directives = %+v", ds.Directives)
	}
}

func TestDecodeCSV(t *testing.T) {
	want := &store.Dataset{Directives: []store.DirectiveRecord{
		{Code: "CT-01", Title: "Tuần tra, kiểm soát", Deadline: store.NewDate(2024, 6, 30), Assignments: []store.AssignmentRecord{
			{Unit: "xin-man", Role: store.RoleLead}, {Unit: "bdbp", Role: store.RoleSupport}}},
		{Code: "CT-02", Title: "Thường xuyên", Assignments: []store.AssignmentRecord{{Unit: "bdbp", Role: store.RoleLead}}},
	}}
	tests := []struct{ name, src string }{
		{"comma", "Số/ký hiệu,Tiêu đề,Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn\nCT-01,\"Tuần tra, kiểm soát\",xin-man,bdbp,30/06/2024\nCT-02,Thường xuyên,bdbp,,\n"},
		{"BOM and semicolons, CRLF", "\xEF\xBB\xBFSố/ký hiệu;Tiêu đề;Đơn vị thực hiện;Thời hạn\r\nCT-01;Tuần tra, kiểm soát;xin-man, bdbp;2024-06-30\r\n;;;\r\nCT-02;Thường xuyên;bdbp;thường xuyên\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.Load(strings.NewReader(tt.src), importer.FormatCSV, storetest.Loc)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// cellMessages returns the Error() of each problem.
func cellMessages(t *testing.T, err error) []string {
	t.Helper()
	var es importer.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T) is not importer.Errors", err, err)
	}
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("error does not wrap store.ErrInvalid")
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Error()
	}
	return out
}

func TestDecodeWorkbookErrors(t *testing.T) {
	units := sheet{"Đơn vị", [][]any{{"Mã đơn vị", "Tên đơn vị"}, {"bdbp", "Biên phòng"}, {"xin-man", "Xín Mần"}}}
	tests := []struct {
		name string
		file []byte
		want []string
	}{
		{"not a zip", []byte("hello, this is text"), []string{"tệp không phải là bảng tính Excel (.xlsx); hãy lưu lại bằng Excel dạng .xlsx, hoặc gửi tệp .csv"}},
		{"old xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0}, []string{"tệp là bảng tính Excel 97-2003 (.xls) hoặc đã đặt mật khẩu; hãy mở bằng Excel, bỏ mật khẩu nếu có, và lưu lại dạng .xlsx (Excel Workbook)"}},
		{"broken zip", []byte("PK\x03\x04garbage"), []string{"không đọc được tệp như một bảng tính Excel (.xlsx): tệp hỏng hoặc không đúng định dạng; hãy mở bằng Excel và lưu lại dạng .xlsx"}},
		{"missing directives sheet", book(t, units), []string{"không có trang “Chỉ đạo”; tệp cần các trang theo mẫu (Đơn vị, Chương trình, Cuộc họp, Chỉ đạo) — gửi /template để lấy tệp mẫu"}},
		{"only examples", book(t, sheet{"Chỉ đạo", [][]any{directiveHeader, {"Ví dụ: A", "B", "bdbp"}}}),
			[]string{"tệp không có dòng dữ liệu nào (dòng có mã bắt đầu bằng “Ví dụ:” là dòng mẫu, không được nhập)"}},
		{"unknown header and missing title", book(t, sheet{"Chỉ đạo", [][]any{{"Số/ký hiệu", "Tên gọi", "Chủ trì"}, {"A", "B", "bdbp"}}}), []string{
			"trang Chỉ đạo, dòng 1: thiếu cột bắt buộc “Tiêu đề”",
			"trang Chỉ đạo, dòng 1, cột B (Tên gọi): cột “Tên gọi” không có trong mẫu; các cột của trang Chỉ đạo: Số/ký hiệu, Tiêu đề, Nội dung, Đơn vị chủ trì, Đơn vị phối hợp, Đơn vị thực hiện, Thời hạn, Ghi chú thời hạn, Người chỉ đạo, Chức vụ, Ngày chỉ đạo, Mã cuộc họp, Văn bản, Mã chương trình, Ngày kết thúc, Hạn chế, Nhắc hạn",
		}},
		{"bad rows", book(t, units, sheet{"Chỉ đạo", [][]any{
			directiveHeader,
			{"CT-1", "Một", "bdbp", "", "30/06/2024"},
			{"CT-2", "", "bdbp"},
			{"CT-3", "Ba", "", ""},
			{},
			{"ct-1", "Trùng", "xin-man"},
			{"CT-6", "Sáu", "bdbp", "", "31/04/2024", "chắc"},
			{"CT-7", "Bảy", "bdbp; meo-vac", "bdbp"},
		}}), []string{
			"trang Chỉ đạo, dòng 3, cột B (Tiêu đề *): bắt buộc, không được để trống",
			"trang Chỉ đạo, dòng 4, cột C (Đơn vị chủ trì): chưa giao cho đơn vị nào: ghi mã đơn vị vào cột “Đơn vị chủ trì”",
			"trang Chỉ đạo, dòng 6, cột A (Số/ký hiệu *): mã “ct-1” trùng với dòng 2",
			"trang Chỉ đạo, dòng 7, cột E (Thời hạn): ngày “31/04/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)",
			"trang Chỉ đạo, dòng 7, cột F (Hạn chế): “chắc” không hợp lệ, ghi Có hoặc để trống",
			"trang Chỉ đạo, dòng 8, cột D (Đơn vị phối hợp): đơn vị “bdbp” được giao hai lần",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importer.Load(bytes.NewReader(tt.file), importer.FormatXLSX, storetest.Loc)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if diff := cmp.Diff(tt.want, cellMessages(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// An unknown unit is found by the store; Locate places it, and nothing is
// imported.
func TestWorkbookStoreErrorsLocated(t *testing.T) {
	loc := storetest.Loc
	s := openStore(t, time.Date(2024, 5, 1, 9, 0, 0, 0, loc))
	file := book(t,
		sheet{"Đơn vị", [][]any{{"Mã đơn vị", "Tên đơn vị"}, {"bdbp", "Biên phòng"}}},
		sheet{"Chỉ đạo", [][]any{
			directiveHeader,
			{"CT-1", "Một", "bdbp"},
			{"CT-2", "Hai", "bdbp", "xin-man; khong-co"},
		}})
	f, err := importer.Parse(bytes.NewReader(file), importer.FormatXLSX, loc)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	_, err = s.Import(t.Context(), f.Dataset, store.Actor{Name: "test"})
	want := []string{
		"trang Chỉ đạo, dòng 3, cột D (Đơn vị phối hợp): không có đơn vị mã “xin-man” (trong trang Đơn vị hay trong dữ liệu đã lưu)",
		"trang Chỉ đạo, dòng 3, cột D (Đơn vị phối hợp): không có đơn vị mã “khong-co” (trong trang Đơn vị hay trong dữ liệu đã lưu)",
	}
	if diff := cmp.Diff(want, cellMessages(t, f.Locate(err))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	units, err := s.Units(t.Context(), store.UnitFilter{})
	if err != nil || len(units) != 0 {
		t.Errorf("units after a failed import = %v, %v; want none", units, err)
	}
}

// withoutProgress returns ds as the workbook layout carries it: no
// progress, roles spelt out, meeting times as instants.
func withoutProgress(t *testing.T, ds *store.Dataset, loc *time.Location) *store.Dataset {
	t.Helper()
	out := *ds
	out.Meetings = nil
	for _, m := range ds.Meetings {
		for _, p := range []*string{&m.StartsAt, &m.EndsAt} {
			if *p != "" {
				at, err := store.ParseTime(*p, loc)
				if err != nil {
					t.Fatal(err)
				}
				*p = at.Format(time.RFC3339)
			}
		}
		out.Meetings = append(out.Meetings, m)
	}
	out.Directives = nil
	for _, d := range ds.Directives {
		var as []store.AssignmentRecord
		for _, a := range d.Assignments {
			if a.Role == "" {
				a.Role = store.RoleLead
			}
			as = append(as, store.AssignmentRecord{Unit: a.Unit, Role: a.Role})
		}
		d.Assignments = as
		out.Directives = append(out.Directives, d)
	}
	return &out
}

// The template filled with the demo data (as the lead's acceptance test
// does, through Workbook) reads back to the demo's records.
func TestWorkbookRoundTrip(t *testing.T) {
	loc := storetest.Loc
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, loc)
	ds, err := demo.Dataset(now, loc)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := importer.Workbook(&buf, ds, loc); err != nil {
		t.Fatalf("Workbook: %v", err)
	}
	got, err := importer.Load(&buf, importer.FormatXLSX, loc)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff(withoutProgress(t, ds, loc), withoutProgress(t, got, loc)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The empty template, its directive sheet filled with the demo directives
// by hand (with excelize, as a user in Excel), imports into a store that
// has the demo's units, meetings and programs.
func TestTemplateFilledImports(t *testing.T) {
	loc := storetest.Loc
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, loc)
	ds, err := demo.Dataset(now, loc)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := importer.Template(&buf, ds.Units); err != nil {
		t.Fatalf("Template: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("excelize cannot open the template: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !cmp.Equal(got, []string{"Hướng dẫn", "Đơn vị", "Chương trình", "Cuộc họp", "Chỉ đạo"}) {
		t.Errorf("sheets = %q", got)
	}
	header, err := f.GetRows("Chỉ đạo")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header[0] {
		col[strings.TrimSuffix(h, " *")] = i + 1
	}
	row := len(header) + 1
	for _, d := range ds.Directives {
		set := func(title, v string) {
			c, ok := col[title]
			if !ok {
				t.Fatalf("no column %q in %q", title, header[0])
			}
			cell, _ := excelize.CoordinatesToCellName(c, row)
			f.SetCellStr("Chỉ đạo", cell, v)
		}
		var lead, support []string
		for _, a := range d.Assignments {
			if a.Role == store.RoleSupport {
				support = append(support, a.Unit)
			} else {
				lead = append(lead, a.Unit)
			}
		}
		set("Số/ký hiệu", d.Code)
		set("Tiêu đề", d.Title)
		set("Nội dung", d.Body)
		set("Đơn vị chủ trì", strings.Join(lead, "; "))
		set("Đơn vị phối hợp", strings.Join(support, "; "))
		set("Thời hạn", d.Deadline.DMY())
		set("Ghi chú thời hạn", d.DeadlineNote)
		set("Người chỉ đạo", d.IssuerName)
		set("Chức vụ", d.IssuerPosition)
		set("Ngày chỉ đạo", d.IssuedOn.DMY())
		set("Mã cuộc họp", d.Meeting)
		set("Mã chương trình", d.Program)
		row++
	}
	buf.Reset()
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}

	s := openStore(t, now)
	base := *ds
	base.Directives = nil
	if _, err := s.Import(t.Context(), &base, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("import units, meetings, programs: %v", err)
	}
	file, err := importer.Parse(&buf, importer.FormatXLSX, loc)
	if err != nil {
		t.Fatalf("Parse filled template: %v", err)
	}
	res, err := s.Import(t.Context(), file.Dataset, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("Import: %v", file.Locate(err))
	}
	if res.Directives.Created != len(ds.Directives) {
		t.Errorf("import result %+v, want %d directives created", res, len(ds.Directives))
	}
	exported, err := s.Export(t.Context(), store.ExportFilter{Viewer: store.NewViewer(true)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withoutProgress(t, ds, loc).Directives, withoutProgress(t, exported, loc).Directives); diff != "" {
		t.Errorf("stored directives (-demo +stored):\n%s", diff)
	}
}

// An export imports back into the same store unchanged, and into an
// empty store gives the same records.
func TestExportReimport(t *testing.T) {
	loc := storetest.Loc
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, loc)
	ds, err := demo.Dataset(now, loc)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t, now)
	if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	exported, err := s.Export(t.Context(), store.ExportFilter{Viewer: store.NewViewer(true)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := importer.Export(&buf, exported, store.DateIn(now, loc), loc); err != nil {
		t.Fatalf("Export: %v", err)
	}
	wb := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(wb))
	if err != nil {
		t.Fatalf("excelize cannot open the export: %v", err)
	}
	rows, err := f.GetRows("Tình trạng")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// HNXM-2024/05, deadline T-7: meo-vac overdue with a 90% report.
	found := false
	for _, r := range rows {
		if len(r) >= 10 && r[0] == "HNXM-2024/05" && r[3] == "meo-vac" {
			found = true
			if r[6] != "Chưa hoàn thành – quá hạn" || r[8] != "90" {
				t.Errorf("status row %q", r)
			}
		}
	}
	if !found {
		t.Errorf("no status row for HNXM-2024/05 meo-vac in %q", rows)
	}

	file, err := importer.Parse(bytes.NewReader(wb), importer.FormatXLSX, loc)
	if err != nil {
		t.Fatalf("Parse export: %v", err)
	}
	res, err := s.Import(t.Context(), file.Dataset, store.Actor{Name: "test"})
	if err != nil || res.Changed() {
		t.Errorf("re-import of the export = %+v, %v; want nothing changed", res, file.Locate(err))
	}
	fresh := openStore(t, now)
	if _, err := fresh.Import(t.Context(), file.Dataset, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("import the export into an empty store: %v", file.Locate(err))
	}
	again, err := fresh.Export(t.Context(), store.ExportFilter{Viewer: store.NewViewer(true)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withoutProgress(t, exported, loc), withoutProgress(t, again, loc)); diff != "" {
		t.Errorf("(-first store +second store):\n%s", diff)
	}
}

// A title and group headings in merged cells are skipped; rows keep the
// numbers Excel shows.
func TestDecodeWorkbookMergedHeadings(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	s := "Chỉ đạo"
	f.SetSheetName("Sheet1", s)
	f.SetCellStr(s, "A1", "DANH SÁCH CHỈ ĐẠO NĂM 2024")
	f.MergeCell(s, "A1", "F1")
	f.SetSheetRow(s, "A2", &directiveHeader)
	f.SetCellStr(s, "A3", "I. Nhiệm vụ quý II")
	f.MergeCell(s, "A3", "F3")
	f.SetSheetRow(s, "A4", &[]any{"CT-1", "Một", "bdbp"})
	f.SetCellStr(s, "A5", "II. Nhiệm vụ quý III")
	f.MergeCell(s, "A5", "F5")
	f.SetSheetRow(s, "A6", &[]any{"CT-2", "", "bdbp"})
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := importer.Load(&buf, importer.FormatXLSX, storetest.Loc)
	want := []string{"trang Chỉ đạo, dòng 6, cột B (Tiêu đề *): bắt buộc, không được để trống"}
	if diff := cmp.Diff(want, cellMessages(t, err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeCSVErrors(t *testing.T) {
	var many strings.Builder
	many.WriteString("code,title,units\n")
	for i := range importer.MaxRows + 1 {
		fmt.Fprintf(&many, "X-%d,T,bdbp\n", i)
	}
	tests := []struct{ name, src, want string }{
		{"not UTF-8", "code,title\nX-1,Tu\xe2n tra\n", "tệp CSV không phải mã UTF-8; trong Excel hãy lưu bằng “CSV UTF-8 (Comma delimited)”"},
		{"binary", "PK\x03\x04\x00\x00", "tệp không phải là tệp CSV (văn bản); bảng tính Excel hãy gửi dạng .xlsx"},
		{"too many rows", many.String(), fmt.Sprintf("dòng %d: trang có hơn %d dòng dữ liệu, quá giới hạn; hãy chia thành nhiều tệp", importer.MaxRows+2, importer.MaxRows)},
		{"bad date", "Số/ký hiệu;Tiêu đề;Đơn vị chủ trì;Thời hạn\nX-1;Một;bdbp;31/02/2024\n", "dòng 2, cột D (Thời hạn): ngày “31/02/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importer.Load(strings.NewReader(tt.src), importer.FormatCSV, storetest.Loc)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if diff := cmp.Diff([]string{tt.want}, cellMessages(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
