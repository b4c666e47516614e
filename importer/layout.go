package importer

import (
	"fmt"
	"strings"
	"time"

	"meetbot/store"
)

// The workbook layout: one sheet per kind of record, a header row of
// Vietnamese column titles, one record per row. The same table drives
// reading (xlsx.go, csv.go) and writing (template.go), so a written
// workbook always reads back.

// colKind is how a column's cells are read and written.
type colKind uint8

const (
	colText     colKind = iota
	colCode             // one unit code, lower-cased
	colCodes            // unit codes separated by ';', ',' or new lines
	colList             // text items separated by ';' or new lines
	colDate             // a day: dd/mm/yyyy, YYYY-MM-DD or an Excel date
	colTime             // a local time: dd/mm/yyyy HH:MM, or an Excel date-time
	colInt              // a whole number
	colBool             // Có / Không
	colDeadline         // a day, or empty / "thường xuyên" for a standing directive
	colFormer           // former names: "name | from | to" per line
)

// column is one column of a sheet.
type column struct {
	key      string   // the English field name, also accepted as header
	title    string   // the Vietnamese header the template writes
	alts     []string // other accepted headers
	required bool
	kind     colKind
	width    float64
	help     string // what goes in it, for the instructions sheet
	// readOnly columns are read but not written: alternatives to others.
	readOnly bool
}

// sheetDef is one sheet of the layout.
type sheetDef struct {
	list  string   // the dataset's list: "units", "programs", ...
	title string   // the sheet's Vietnamese title
	alts  []string // other accepted titles
	cols  []column
}

// The sheets, in the order they are written and imported.
var (
	unitSheet = &sheetDef{list: "units", title: "Đơn vị", alts: []string{"Don vi", "units"}, cols: []column{
		{key: "code", title: "Mã đơn vị", alts: []string{"Mã"}, required: true, kind: colCode, width: 16, help: "chữ thường không dấu, số, '-', '.', '_' (vd. xin-man)"},
		{key: "name", title: "Tên đơn vị", alts: []string{"Tên"}, required: true, width: 36, help: "tên hiện nay"},
		{key: "kind", title: "Loại", width: 14, help: "province, border-guard, border-post, district, commune, agency"},
		{key: "parent", title: "Đơn vị cấp trên", kind: colCode, width: 16, help: "mã đơn vị"},
		{key: "aliases", title: "Tên gọi khác", kind: colList, width: 36, help: "cách gọi tắt, cách ngăn bằng dấu ';'"},
		{key: "former_names", title: "Tên cũ", kind: colFormer, width: 30, help: "mỗi dòng: tên | từ ngày | đến ngày"},
		{key: "active_from", title: "Hoạt động từ", kind: colDate, width: 14, help: "ngày dd/mm/yyyy"},
		{key: "active_to", title: "Hoạt động đến", kind: colDate, width: 14, help: "ngày dd/mm/yyyy; trống nếu còn hoạt động"},
		{key: "successor", title: "Đơn vị kế thừa", kind: colCode, width: 16, help: "mã đơn vị tiếp nhận nhiệm vụ"},
	}}
	programSheet = &sheetDef{list: "programs", title: "Chương trình", alts: []string{"Chuong trinh", "programs"}, cols: []column{
		{key: "code", title: "Mã chương trình", alts: []string{"Mã"}, required: true, width: 22, help: "mã tự đặt, không trùng"},
		{key: "name", title: "Tên chương trình", alts: []string{"Tên"}, required: true, width: 48},
		{key: "kind", title: "Loại", width: 14, help: "chương trình, đề án, dự án, mô hình, phong trào"},
		{key: "start_year", title: "Từ năm", kind: colInt, width: 9},
		{key: "end_year", title: "Đến năm", kind: colInt, width: 9},
		{key: "vision_year", title: "Tầm nhìn đến năm", kind: colInt, width: 10},
		{key: "owner", title: "Đơn vị chủ quản", kind: colCode, width: 16, help: "mã đơn vị"},
		{key: "description", title: "Mô tả", width: 48},
		{key: "restricted", title: "Hạn chế", kind: colBool, width: 9, help: "Có: chỉ quản trị viên và đơn vị liên quan xem được"},
	}}
	meetingSheet = &sheetDef{list: "meetings", title: "Cuộc họp", alts: []string{"Cuoc hop", "Hội nghị", "meetings"}, cols: []column{
		{key: "key", title: "Mã cuộc họp", alts: []string{"Mã"}, required: true, width: 24, help: "mã tự đặt, không trùng"},
		{key: "title", title: "Tên cuộc họp", alts: []string{"Tên"}, required: true, width: 48},
		{key: "starts_at", title: "Bắt đầu", alts: []string{"Thời gian"}, required: true, kind: colTime, width: 17, help: "dd/mm/yyyy HH:MM"},
		{key: "ends_at", title: "Kết thúc", kind: colTime, width: 17, help: "dd/mm/yyyy HH:MM"},
		{key: "place", title: "Địa điểm", width: 24},
		{key: "chair_name", title: "Người chủ trì", width: 22},
		{key: "chair_position", title: "Chức vụ người chủ trì", width: 30},
		{key: "organiser", title: "Đơn vị tổ chức", kind: colCode, width: 16, help: "mã đơn vị"},
		{key: "attendees", title: "Đơn vị dự", kind: colCodes, width: 30, help: "mã đơn vị, cách nhau bằng ';'"},
		{key: "summary", title: "Kết quả", alts: []string{"Tóm tắt"}, width: 48},
		{key: "source", title: "Nguồn", width: 30, help: "số văn bản hoặc bài báo"},
		{key: "source_url", title: "Đường dẫn", width: 30},
		{key: "note", title: "Ghi chú", width: 30},
		{key: "restricted", title: "Hạn chế", kind: colBool, width: 9, help: "Có / Không"},
	}}
	directiveSheet = &sheetDef{list: "directives", title: "Chỉ đạo", alts: []string{"Chi dao", "Nhiệm vụ", "directives"}, cols: []column{
		{key: "code", title: "Số/ký hiệu", alts: []string{"Mã chỉ đạo", "Mã", "Ký hiệu", "Số hiệu"}, required: true, width: 18, help: "số văn bản hoặc mã tự đặt, không trùng"},
		{key: "title", title: "Tiêu đề", alts: []string{"Trích yếu", "Tên chỉ đạo"}, required: true, width: 48},
		{key: "body", title: "Nội dung", width: 48},
		{key: "lead", title: "Đơn vị chủ trì", alts: []string{"Chủ trì"}, kind: colCodes, width: 22, help: "mã đơn vị, cách nhau bằng ';'"},
		{key: "support", title: "Đơn vị phối hợp", alts: []string{"Phối hợp"}, kind: colCodes, width: 30, help: "mã đơn vị, cách nhau bằng ';'"},
		{key: "units", title: "Đơn vị thực hiện", kind: colCodes, width: 30, readOnly: true, help: "thay cho hai cột trên (không có trong mẫu): đơn vị đầu chủ trì, các đơn vị sau phối hợp"},
		{key: "deadline", title: "Thời hạn", alts: []string{"Hạn"}, kind: colDeadline, width: 13, help: "dd/mm/yyyy; để trống: nhiệm vụ thường xuyên"},
		{key: "deadline_note", title: "Ghi chú thời hạn", width: 24},
		{key: "issuer_name", title: "Người chỉ đạo", width: 22},
		{key: "issuer_position", title: "Chức vụ", width: 28},
		{key: "issued_on", title: "Ngày chỉ đạo", alts: []string{"Ngày ban hành"}, kind: colDate, width: 13, help: "dd/mm/yyyy"},
		{key: "meeting", title: "Mã cuộc họp", alts: []string{"Cuộc họp"}, width: 24, help: "mã trong trang Cuộc họp"},
		{key: "source_doc", title: "Văn bản", width: 18, help: "số văn bản giao nhiệm vụ"},
		{key: "program", title: "Mã chương trình", alts: []string{"Chương trình"}, width: 22, help: "mã trong trang Chương trình"},
		{key: "closed_on", title: "Ngày kết thúc", kind: colDate, width: 13, help: "văn phòng kết thúc cả chỉ đạo"},
		{key: "restricted", title: "Hạn chế", kind: colBool, width: 9, help: "Có: chỉ quản trị viên và đơn vị được giao xem được"},
		{key: "reminders", title: "Nhắc hạn", width: 14, help: "số ngày so với hạn (-7,-3,0) hoặc off; trống: mặc định"},
	}}
	// sheets lists the data sheets in the order they are read.
	sheets = []*sheetDef{unitSheet, programSheet, meetingSheet, directiveSheet}
)

// Sheets the import skips: the instructions and the export's status.
const (
	instructionsSheet = "Hướng dẫn"
	statusSheet       = "Tình trạng"
)

// exampleMark starts the key cell of an example row; the import skips
// such rows.
const exampleMark = "Ví dụ:"

// isExample reports whether a key cell marks an example row.
func isExample(cell string) bool {
	return strings.HasPrefix(store.Fold(cell), store.Fold(exampleMark))
}

// headerKey normalises a header or sheet title for matching: folded,
// without a trailing '*' (the template marks required columns so).
func headerKey(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "*"))
	return store.Fold(s)
}

// written returns the columns a written sheet has, in order.
func (sd *sheetDef) written() []column {
	var out []column
	for _, c := range sd.cols {
		if !c.readOnly {
			out = append(out, c)
		}
	}
	return out
}

// column returns the column with the given key.
func (sd *sheetDef) column(key string) *column {
	for i := range sd.cols {
		if sd.cols[i].key == key {
			return &sd.cols[i]
		}
	}
	return nil
}

// match returns the column a header names, or nil.
func (sd *sheetDef) match(header string) *column {
	k := headerKey(header)
	for i := range sd.cols {
		c := &sd.cols[i]
		if k == headerKey(c.title) || k == c.key {
			return c
		}
	}
	for i := range sd.cols {
		for _, a := range sd.cols[i].alts {
			if k == headerKey(a) {
				return &sd.cols[i]
			}
		}
	}
	return nil
}

// sheetFor returns the data sheet a sheet title names, or nil.
func sheetFor(title string) *sheetDef {
	k := headerKey(title)
	for _, sd := range sheets {
		if k == headerKey(sd.title) {
			return sd
		}
		for _, a := range sd.alts {
			if k == headerKey(a) {
				return sd
			}
		}
	}
	return nil
}

// headerTitle is the header the template writes: the title, with '*'
// for a required column.
func (c *column) headerTitle() string {
	if c.required {
		return c.title + " *"
	}
	return c.title
}

// --- writing values -------------------------------------------------------

// rowValues returns the cells of record i of sd's list in ds, by column key.
// Times are written in loc.
func rowValues(sd *sheetDef, ds *store.Dataset, i int, loc *time.Location) map[string]string {
	v := map[string]string{}
	switch sd {
	case unitSheet:
		u := ds.Units[i]
		v["code"], v["name"], v["kind"], v["parent"] = u.Code, u.Name, string(u.Kind), u.Parent
		v["aliases"] = strings.Join(u.Aliases, "; ")
		var fs []string
		for _, n := range u.FormerNames {
			fs = append(fs, strings.TrimRight(n.Name+" | "+n.From.DMY()+" | "+n.To.DMY(), " |"))
		}
		v["former_names"] = strings.Join(fs, "\n")
		v["active_from"], v["active_to"], v["successor"] = u.ActiveFrom.DMY(), u.ActiveTo.DMY(), u.Successor
	case programSheet:
		p := ds.Programs[i]
		v["code"], v["name"], v["kind"] = p.Code, p.Name, p.Kind
		v["start_year"], v["end_year"], v["vision_year"] = year(p.StartYear), year(p.EndYear), year(p.VisionYear)
		v["owner"], v["description"], v["restricted"] = p.Owner, p.Description, yesNo(p.Restricted)
	case meetingSheet:
		m := ds.Meetings[i]
		v["key"], v["title"] = m.Key, m.Title
		v["starts_at"], v["ends_at"] = localTime(m.StartsAt, loc), localTime(m.EndsAt, loc)
		v["place"], v["chair_name"], v["chair_position"], v["organiser"] = m.Place, m.ChairName, m.ChairPosition, m.Organiser
		v["attendees"] = strings.Join(m.Attendees, "; ")
		v["summary"], v["source"], v["source_url"], v["note"], v["restricted"] = m.Summary, m.Source, m.SourceURL, m.Note, yesNo(m.Restricted)
	case directiveSheet:
		d := ds.Directives[i]
		v["code"], v["title"], v["body"] = d.Code, d.Title, d.Body
		var lead, support []string
		for _, a := range d.Assignments {
			if a.Role == store.RoleSupport {
				support = append(support, a.Unit)
			} else {
				lead = append(lead, a.Unit)
			}
		}
		v["lead"], v["support"] = strings.Join(lead, "; "), strings.Join(support, "; ")
		v["deadline"], v["deadline_note"] = d.Deadline.DMY(), d.DeadlineNote
		v["issuer_name"], v["issuer_position"], v["issued_on"] = d.IssuerName, d.IssuerPosition, d.IssuedOn.DMY()
		v["meeting"], v["source_doc"], v["program"] = d.Meeting, d.SourceDoc, d.Program
		v["closed_on"], v["restricted"], v["reminders"] = d.ClosedOn.DMY(), yesNo(d.Restricted), d.Reminders.String()
	}
	return v
}

func year(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprint(y)
}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return ""
}

// localTime rewrites a dataset time as "dd/mm/yyyy HH:MM" in loc; text
// it cannot read is kept as it is.
func localTime(s string, loc *time.Location) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	t, err := store.ParseTime(s, loc)
	if err != nil {
		return s
	}
	t = t.In(loc)
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format(time.RFC3339)
	}
	return t.Format("02/01/2006 15:04")
}
