package importer

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"meetbot/store"
	"meetbot/wording"
)

// Writing workbooks: the template (empty, with instructions and example
// rows), a dataset in the template's layout, and the export (the same
// with a status sheet). Whatever is written here reads back through
// decodeXLSX to the same dataset.

// Template writes an empty workbook in the import layout to w: the
// instructions sheet ("Hướng dẫn") first, then one sheet per kind of
// record with a styled, frozen header row, column widths, drop-down lists
// and example rows. Example rows have a key starting with "Ví dụ:"; the
// import skips them, so they may stay. units, if any, are listed on the
// instructions sheet and offered in the unit columns' drop-down lists.
func Template(w io.Writer, units []store.UnitRecord) error {
	return write(w, &store.Dataset{}, wbOptions{examples: true, units: units, loc: time.UTC})
}

// Workbook writes ds in the import layout to w: the template with ds's
// records after the example rows (meeting times in loc). Importing the
// result gives ds back; tests and tools use it to build filled templates.
func Workbook(w io.Writer, ds *store.Dataset, loc *time.Location) error {
	return write(w, ds, wbOptions{examples: true, units: ds.Units, loc: loc})
}

// Export writes ds (as store.Export returns it) to w as a workbook: a
// status sheet ("Tình trạng") with one row per directive and assigned
// unit as of day asOf (deadline, four-way status, completion day, latest
// progress), then ds in the import layout, so the export imports back
// unchanged. Meeting and report times are shown in loc.
func Export(w io.Writer, ds *store.Dataset, asOf store.Date, loc *time.Location) error {
	return write(w, ds, wbOptions{status: true, asOf: asOf, units: ds.Units, loc: loc})
}

type wbOptions struct {
	examples bool // the template: instructions and example rows
	status   bool // the export: the status sheet
	asOf     store.Date
	units    []store.UnitRecord
	loc      *time.Location
}

// styles are the cell styles of a written workbook.
type styles struct {
	header, example, text, wrap, title, bold int
	status                                   map[store.Status]int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	border := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	defs := []struct {
		id *int
		st excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border}},
		{&s.example, excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}},
		{&s.text, excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.wrap, excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "1F4E78"}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	s.status = map[store.Status]int{}
	for st, color := range map[store.Status]string{store.StatusDoneOnTime: "C6EFCE", store.StatusDoneLate: "FFEB9C",
		store.StatusOverdue: "FFC7CE", store.StatusPending: "FFFFFF", store.StatusOngoing: "DDEBF7"} {
		id, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49})
		if err != nil {
			return nil, err
		}
		s.status[st] = id
	}
	return &s, nil
}

func write(w io.Writer, ds *store.Dataset, o wbOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := build(f, ds, o); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func build(f *excelize.File, ds *store.Dataset, o wbOptions) error {
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	first := ""
	if o.examples {
		first = instructionsSheet
	}
	if o.status {
		first = statusSheet
	}
	if first != "" {
		if err := f.SetSheetName("Sheet1", first); err != nil {
			return err
		}
	}
	unitList := ""
	if o.examples {
		if unitList, err = writeInstructions(f, st, o.units); err != nil {
			return err
		}
	}
	if o.status {
		if err := writeStatus(f, st, ds, o); err != nil {
			return err
		}
	}
	for _, sd := range sheets {
		if first == "" {
			if err := f.SetSheetName("Sheet1", sd.title); err != nil {
				return err
			}
			first = sd.title
		} else if _, err := f.NewSheet(sd.title); err != nil {
			return err
		}
		if err := writeDataSheet(f, st, sd, ds, o, unitList); err != nil {
			return fmt.Errorf("sheet %s: %w", sd.title, err)
		}
	}
	f.SetActiveSheet(0)
	return f.SetDocProps(&excelize.DocProperties{Creator: "meetbot", Title: "meetbot", Language: "vi-VN"})
}

// examples are the example rows of the template, by sheet.
var examples = map[*sheetDef][]map[string]string{
	unitSheet: {
		{"code": "xin-man", "name": "Huyện ủy Xín Mần", "kind": "district", "parent": "tinh-uy", "aliases": "XM; Xín Mần; Huyện uỷ Xín Mần"},
	},
	programSheet: {
		{"code": "de-an-hop-tac", "name": "Nâng cao hiệu quả hợp tác giữa tỉnh Hà Giang với tỉnh Vân Nam và khu tự trị dân tộc Choang, Quảng Tây, Trung Quốc giai đoạn 2020 - 2025, tầm nhìn 2030",
			"kind": "đề án", "start_year": "2020", "end_year": "2025", "vision_year": "2030"},
	},
	meetingSheet: {
		{"key": "hn-xin-man-2024-04-17", "title": "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp năm 2023", "starts_at": "17/04/2024 08:00",
			"place": "huyện Xín Mần", "chair_name": "Nguyễn Văn Sơn", "chair_position": "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
			"organiser": "bdbp", "attendees": "bdbp; xin-man; hoang-su-phi"},
	},
	directiveSheet: {
		{"code": "HNXM-2024/03", "title": "Mở lối thông quan hàng hóa tại cửa khẩu Thanh Thủy – Thiên Bảo", "lead": "bdbp",
			"support": "vi-xuyen; xin-man", "deadline": "30/06/2024", "issuer_name": "Nguyễn Văn Sơn", "issuer_position": "Chủ tịch UBND tỉnh",
			"issued_on": "17/04/2024", "meeting": "hn-xin-man-2024-04-17"},
		{"code": "HNXM-2024/02", "title": "Giữ nguyên trạng đường biên giới và mốc quốc giới (nhiệm vụ thường xuyên: để trống thời hạn)",
			"lead": "bdbp", "support": "dong-van; meo-vac", "deadline_note": "Nhiệm vụ thường xuyên", "restricted": "Có"},
	},
}

// dataRows is how many rows the drop-down lists and column styles cover.
const dataRows = 2000

func writeDataSheet(f *excelize.File, st *styles, sd *sheetDef, ds *store.Dataset, o wbOptions, unitList string) error {
	name := sd.title
	cols := sd.written()
	last := colName(len(cols))
	for i, c := range cols {
		col := colName(i + 1)
		if err := f.SetCellStr(name, col+"1", c.headerTitle()); err != nil {
			return err
		}
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
		style := st.text
		if c.width >= 24 {
			style = st.wrap
		}
		if err := f.SetColStyle(name, col, style); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(name, "A1", last+"1", st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(name, 1, 32); err != nil {
		return err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := 2
	put := func(vals map[string]string, style int) error {
		for i, c := range cols {
			v := vals[c.key]
			if v == "" {
				continue
			}
			cell := colName(i+1) + strconv.Itoa(row)
			var err error
			if n, convErr := strconv.Atoi(v); c.kind == colInt && convErr == nil {
				err = f.SetCellInt(name, cell, int64(n))
			} else {
				err = f.SetCellStr(name, cell, v)
			}
			if err != nil {
				return err
			}
		}
		if style != 0 {
			if err := f.SetCellStyle(name, "A"+strconv.Itoa(row), last+strconv.Itoa(row), style); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if o.examples {
		for _, ex := range examples[sd] {
			vals := make(map[string]string, len(ex))
			for k, v := range ex {
				vals[k] = v
			}
			vals[sd.cols[0].key] = exampleMark + " " + vals[sd.cols[0].key]
			if err := put(vals, st.example); err != nil {
				return err
			}
		}
	}
	n := map[*sheetDef]int{unitSheet: len(ds.Units), programSheet: len(ds.Programs), meetingSheet: len(ds.Meetings), directiveSheet: len(ds.Directives)}[sd]
	for i := range n {
		if err := put(rowValues(sd, ds, i, o.loc), 0); err != nil {
			return err
		}
	}
	return addValidations(f, sd.title, cols, unitList)
}

// addValidations adds drop-down lists: unit kinds, Có/Không, and the
// stored units' codes (a warning only, since a cell may hold several
// codes or a unit of the units sheet).
func addValidations(f *excelize.File, sheet string, cols []column, unitList string) error {
	for i, c := range cols {
		col := colName(i + 1)
		sqref := fmt.Sprintf("%s2:%s%d", col, col, dataRows)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(sqref)
		switch {
		case c.kind == colBool:
			if err := dv.SetDropList([]string{"Có", "Không"}); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, "Hạn chế", "Chọn Có hoặc Không (hoặc để trống).")
		case sheet == unitSheet.title && c.key == "kind":
			kinds := []string{string(store.KindProvince), string(store.KindBorderGuard), string(store.KindBorderPost), string(store.KindDistrict), string(store.KindCommune), string(store.KindAgency)}
			if err := dv.SetDropList(kinds); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Loại đơn vị", "Loại thường dùng: "+strings.Join(kinds, ", ")+".")
		case sheet == programSheet.title && c.key == "kind":
			if err := dv.SetDropList([]string{"chương trình", "đề án", "dự án", "mô hình", "phong trào"}); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Loại chương trình", "Loại thường dùng: chương trình, đề án, dự án, mô hình, phong trào.")
		case (c.kind == colCode || c.kind == colCodes) && unitList != "":
			dv.SetSqrefDropList(unitList)
			dv.SetError(excelize.DataValidationErrorStyleInformation, "Mã đơn vị", "Mã đơn vị không có trong danh sách đã lưu; hãy kiểm tra, hoặc thêm đơn vị ở trang Đơn vị. Nhiều đơn vị: cách nhau bằng dấu ';'.")
		default:
			continue
		}
		dv.ShowErrorMessage = true
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// writeInstructions fills the instructions sheet and returns the range
// of the stored units' codes on it ("" when there are none), for the
// drop-down lists.
func writeInstructions(f *excelize.File, st *styles, units []store.UnitRecord) (string, error) {
	name := instructionsSheet
	lines := [][]string{
		{"HƯỚNG DẪN NHẬP DỮ LIỆU VÀO MEETBOT"},
		{},
		{"1. Mỗi trang là một loại dữ liệu: " + sheetTitles() + ". Dòng đầu mỗi trang là tiêu đề cột, giữ nguyên; mỗi dòng sau là một bản ghi. Cột có dấu * là bắt buộc."},
		{"2. Dòng có mã bắt đầu bằng “" + exampleMark + "” (chữ nghiêng, nền xám) là dòng mẫu: khi nhập, bot bỏ qua; có thể xóa hoặc để nguyên."},
		{"3. Ngày ghi dạng dd/mm/yyyy (vd. 30/06/2024); thời gian cuộc họp dạng dd/mm/yyyy HH:MM (vd. 17/04/2024 08:00). Ô định dạng ngày của Excel cũng được."},
		{"4. Đơn vị ghi bằng mã (vd. xin-man). Nhiều đơn vị cách nhau bằng dấu ';' (vd. xin-man; hoang-su-phi)."},
		{"5. Chỉ đạo để trống Thời hạn là nhiệm vụ thường xuyên. Cột Hạn chế ghi Có: chỉ quản trị viên và đơn vị được giao xem được."},
		{"6. Bản ghi được nhận theo mã: mã đã có thì cập nhật, mã mới thì thêm. Nhập lại cùng tệp không thay đổi gì. Tiến độ, hoàn thành do đơn vị báo cáo trên Telegram không bị xóa."},
		{"7. Có lỗi ở bất kỳ dòng nào thì không nhập gì cả; bot liệt kê từng lỗi theo trang, dòng và cột để sửa rồi gửi lại."},
		{"8. Gửi tệp .xlsx này cho bot trong tin nhắn riêng (hoặc trong nhóm với chú thích /import). Có thể gửi tệp .csv gồm các cột của trang Chỉ đạo."},
		{},
		{"Trang", "Cột", "Bắt buộc", "Cách ghi"},
	}
	for _, sd := range sheets {
		for _, c := range sd.cols {
			req := ""
			if c.required {
				req = "Có"
			}
			lines = append(lines, []string{sd.title, c.title, req, c.help})
		}
	}
	lines = append(lines, []string{})
	tableHeader := 12
	unitsHeader := 0
	if len(units) > 0 {
		lines = append(lines, []string{"Mã đơn vị đã có", "Tên đơn vị"})
		unitsHeader = len(lines)
		sorted := slices.Clone(units)
		for _, u := range sorted {
			lines = append(lines, []string{u.Code, u.Name})
		}
	}
	for i, l := range lines {
		if len(l) == 0 {
			continue
		}
		if err := f.SetSheetRow(name, "A"+strconv.Itoa(i+1), &l); err != nil {
			return "", err
		}
	}
	for col, w := range map[string]float64{"A": 18, "B": 36, "C": 10, "D": 70} {
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return "", err
		}
	}
	if err := f.SetCellStyle(name, "A1", "A1", st.title); err != nil {
		return "", err
	}
	if err := f.SetCellStyle(name, "A"+strconv.Itoa(tableHeader), "D"+strconv.Itoa(tableHeader), st.header); err != nil {
		return "", err
	}
	if unitsHeader == 0 {
		return "", nil
	}
	if err := f.SetCellStyle(name, "A"+strconv.Itoa(unitsHeader), "B"+strconv.Itoa(unitsHeader), st.header); err != nil {
		return "", err
	}
	return fmt.Sprintf("'%s'!$A$%d:$A$%d", name, unitsHeader+1, unitsHeader+len(units)), nil
}

// statusColumns are the columns of the export's status sheet.
var statusColumns = []struct {
	title string
	width float64
}{
	{"Số/ký hiệu", 16}, {"Tiêu đề", 44}, {"Đơn vị", 28}, {"Mã đơn vị", 14}, {"Vai trò", 10}, {"Thời hạn", 12},
	{"Tình trạng", 26}, {"Ngày hoàn thành", 14}, {"Tiến độ (%)", 10}, {"Báo cáo gần nhất", 40}, {"Ngày báo cáo", 16},
}

// writeStatus fills the status sheet: one row per directive and unit.
func writeStatus(f *excelize.File, st *styles, ds *store.Dataset, o wbOptions) error {
	name := statusSheet
	names := map[string]string{}
	for _, u := range ds.Units {
		names[u.Code] = u.Name
	}
	for i, c := range statusColumns {
		col := colName(i + 1)
		if err := f.SetCellStr(name, col+"1", c.title); err != nil {
			return err
		}
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
	}
	last := colName(len(statusColumns))
	if err := f.SetCellStyle(name, "A1", last+"1", st.header); err != nil {
		return err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := 2
	for _, d := range ds.Directives {
		for _, a := range d.Assignments {
			done := a.CompletedOn
			if done.IsZero() {
				done = d.ClosedOn
			}
			s := store.StatusAt(d.Deadline, done, o.asOf)
			deadline := "Thường xuyên"
			if !d.Deadline.IsZero() {
				deadline = d.Deadline.DMY()
			}
			role := a.Role
			if role == "" {
				role = store.RoleLead
			}
			percent, note, at := latestReport(a, o.loc)
			if s.Done() {
				percent = "100"
			}
			vals := []any{d.Code, d.Title, cmp.Or(names[a.Unit], a.Unit), a.Unit, wording.Role(role), deadline,
				wording.StatusName(s), done.DMY(), percent, note, at}
			if p, err := strconv.Atoi(percent); err == nil {
				vals[8] = p
			}
			cell := "A" + strconv.Itoa(row)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell, last+strconv.Itoa(row), st.status[s]); err != nil {
				return err
			}
			row++
		}
	}
	if row > 2 {
		if err := f.AutoFilter(name, "A1:"+last+strconv.Itoa(row-1), nil); err != nil {
			return err
		}
	}
	// Counts as of the day, under the table.
	var counts store.StatusCounts
	for _, d := range ds.Directives {
		for _, a := range d.Assignments {
			done := a.CompletedOn
			if done.IsZero() {
				done = d.ClosedOn
			}
			counts.Add(store.StatusAt(d.Deadline, done, o.asOf))
		}
	}
	row++
	summary := [][]any{
		{"Tình trạng tính đến ngày " + o.asOf.DMY()},
		{wording.StatusName(store.StatusDoneOnTime), counts.DoneOnTime},
		{wording.StatusName(store.StatusDoneLate), counts.DoneLate},
		{wording.StatusName(store.StatusPending), counts.Pending},
		{wording.StatusName(store.StatusOverdue), counts.Overdue},
		{wording.StatusName(store.StatusOngoing), counts.Ongoing},
	}
	for i, l := range summary {
		cell := "B" + strconv.Itoa(row+i)
		if err := f.SetSheetRow(name, cell, &l); err != nil {
			return err
		}
	}
	return f.SetCellStyle(name, "B"+strconv.Itoa(row), "B"+strconv.Itoa(row), st.bold)
}

// latestReport returns the percent, note and local time of a's latest
// report, or empty strings.
func latestReport(a store.AssignmentRecord, loc *time.Location) (percent, note, at string) {
	var best time.Time
	found := false
	for _, r := range a.Reports {
		t, err := store.ParseTime(r.At, loc)
		if err != nil || (found && !t.After(best)) {
			continue
		}
		best, found = t, true
		percent, note = strconv.Itoa(r.Percent), r.Note
	}
	if found {
		at = best.In(loc).Format("02/01/2006 15:04")
	}
	return percent, note, at
}
