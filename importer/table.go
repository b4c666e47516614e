package importer

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"meetbot/store"
)

// MaxRows is the most data rows a sheet (or a CSV file) may have.
const MaxRows = 20000

// headerScan is how many rows from the top of a sheet are searched for
// the header row (a title row or blank rows may come first).
const headerScan = 10

// table is where the records of a workbook or CSV file came from: for
// each list, the sheet, the row of each record, the column of each field;
// it turns the problems Validate and the store find into cell positions.
type table struct {
	sheetRank map[string]int               // sheet title → order in the file
	sheets    map[string]string            // list → the sheet's title as in the file
	rows      map[string][]int             // list → row of record i (1-based, as Excel shows)
	cols      map[string]map[string]int    // list → column key → column (1-based)
	headers   map[string]map[string]string // list → column key → header as in the file
	// asg gives, for directive i, the column key each assignment came from.
	asg map[int][]string
	// headings are the rows of the sheet being read where a merged range
	// of several columns starts (see mergedHeadings).
	headings map[int]bool
}

func newTable() *table {
	return &table{sheetRank: map[string]int{}, sheets: map[string]string{}, rows: map[string][]int{},
		cols: map[string]map[string]int{}, headers: map[string]map[string]string{}, asg: map[int][]string{}}
}

// cellError returns an Error at a cell of a sheet.
func (t *table) cellError(list string, row int, key, msg string) Error {
	e := Error{Sheet: t.sheets[list], Row: row, Msg: msg}
	if c := t.cols[list][key]; c > 0 {
		e.Col, e.Column = c, t.headers[list][key]
	}
	return e
}

// readSheet reads the rows of one sheet (rows[i] is row i+1) as records
// of sd into ds, recording positions in t and problems in errs.
func (t *table) readSheet(sd *sheetDef, title string, rows [][]string, ds *store.Dataset, errs *Errors) {
	t.sheets[sd.list] = title
	t.sheetRank[title] = len(t.sheetRank)
	// The header row: the first of the top rows that names the key column.
	keyCol := &sd.cols[0]
	hdr := -1
	for i := 0; i < len(rows) && i < headerScan && hdr < 0; i++ {
		for _, cell := range rows[i] {
			if sd.match(cell) == keyCol {
				hdr = i
				break
			}
		}
	}
	if hdr < 0 {
		*errs = append(*errs, Error{Sheet: title, Msg: fmt.Sprintf("không tìm thấy dòng tiêu đề có cột “%s” trong %d dòng đầu", keyCol.title, headerScan)})
		return
	}
	cols, headers := map[string]int{}, map[string]string{}
	t.cols[sd.list], t.headers[sd.list] = cols, headers
	byIndex := map[int]*column{}
	bad := false
	for j, cell := range rows[hdr] {
		if strings.TrimSpace(cell) == "" {
			continue
		}
		c := sd.match(cell)
		pos := Error{Sheet: title, Row: hdr + 1, Col: j + 1, Column: strings.TrimSpace(cell)}
		switch {
		case c == nil:
			pos.Msg = fmt.Sprintf("cột “%s” không có trong mẫu; các cột của trang %s: %s", strings.TrimSpace(cell), sd.title, sd.titles())
			*errs = append(*errs, pos)
			bad = true
		case cols[c.key] > 0:
			pos.Msg = fmt.Sprintf("cột “%s” lặp lại (đã có ở cột %s)", c.title, colName(cols[c.key]))
			*errs = append(*errs, pos)
			bad = true
		default:
			cols[c.key], headers[c.key] = j+1, strings.TrimSpace(cell)
			byIndex[j] = c
		}
	}
	for _, c := range sd.cols {
		if c.required && cols[c.key] == 0 {
			*errs = append(*errs, Error{Sheet: title, Row: hdr + 1, Msg: fmt.Sprintf("thiếu cột bắt buộc “%s”", c.title)})
			bad = true
		}
	}
	if sd == directiveSheet && cols["units"] > 0 && (cols["lead"] > 0 || cols["support"] > 0) {
		*errs = append(*errs, Error{Sheet: title, Row: hdr + 1, Col: cols["units"], Column: headers["units"],
			Msg: "dùng cột “Đơn vị thực hiện” hoặc hai cột “Đơn vị chủ trì”, “Đơn vị phối hợp”, không dùng cả hai cách"})
		bad = true
	}
	if bad {
		return
	}
	data := 0
	for i := hdr + 1; i < len(rows); i++ {
		cells := rows[i]
		if blankRow(cells) {
			continue // empty, or what is left of merged cells
		}
		if t.headings[i+1] && filled(cells) == 1 {
			continue // a group heading in merged cells
		}
		if k := cols[keyCol.key]; k <= len(cells) && isExample(cells[k-1]) {
			continue
		}
		data++
		if data > MaxRows {
			*errs = append(*errs, Error{Sheet: title, Row: i + 1, Msg: fmt.Sprintf("trang có hơn %d dòng dữ liệu, quá giới hạn; hãy chia thành nhiều tệp", MaxRows)})
			return
		}
		rr := rowReader{t: t, sd: sd, row: i + 1, cells: cells, errs: errs}
		rr.record(ds)
	}
}

// titles lists the Vietnamese column titles of sd.
func (sd *sheetDef) titles() string {
	ts := make([]string, len(sd.cols))
	for i, c := range sd.cols {
		ts[i] = c.title
	}
	return strings.Join(ts, ", ")
}

// filled counts the non-empty cells.
func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// colName returns the letters of a 1-based column ("A", "AB").
func colName(c int) string {
	s, err := excelize.ColumnNumberToName(c)
	if err != nil {
		return strconv.Itoa(c)
	}
	return s
}

// rowReader reads the cells of one row.
type rowReader struct {
	t     *table
	sd    *sheetDef
	row   int
	cells []string
	errs  *Errors
}

func (r *rowReader) fail(key, format string, args ...any) {
	*r.errs = append(*r.errs, r.t.cellError(r.sd.list, r.row, key, fmt.Sprintf(format, args...)))
}

// raw returns the cell of the column, trimmed and in NFC.
func (r *rowReader) raw(key string) string {
	c := r.t.cols[r.sd.list][key]
	if c == 0 || c > len(r.cells) {
		return ""
	}
	s := strings.ReplaceAll(r.cells[c-1], "\r\n", "\n")
	return strings.TrimSpace(norm.NFC.String(s))
}

func (r *rowReader) text(key string) string { return r.raw(key) }

func (r *rowReader) code(key string) string { return strings.ToLower(r.raw(key)) }

func (r *rowReader) codes(key string) []string {
	return splitList(strings.ToLower(r.raw(key)), ";,\n \t")
}

func (r *rowReader) list(key string) []string { return splitList(r.raw(key), ";\n") }

func splitList(s, seps string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune(seps, c) }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (r *rowReader) date(key string) store.Date {
	s := r.raw(key)
	d, err := parseDay(s)
	if err != nil {
		r.fail(key, "%v", err)
	}
	return d
}

// parseDay reads a day: dd/mm/yyyy, YYYY-MM-DD or an Excel date serial.
func parseDay(s string) (store.Date, error) {
	if s == "" {
		return store.Date{}, nil
	}
	if t, ok := excelTime(s); ok {
		return store.DateOf(t), nil
	}
	if d, err := store.ParseDate(s); err == nil {
		return d, nil
	}
	if d, err := store.ParseDMY(s); err == nil {
		return d, nil
	}
	return store.Date{}, errors.New(dateText(s))
}

// excelTime reads an Excel date serial ("45399", "45399.333"): a number
// that is a day between 1950 and 2200.
func excelTime(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 18264 || f > 109574 {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return time.Time{}, false
	}
	return t.Round(time.Minute), true
}

func (r *rowReader) deadline(key string) store.Date {
	s := r.raw(key)
	switch store.Fold(s) {
	case "thuong xuyen", "standing", "-":
		return store.Date{}
	}
	return r.date(key)
}

// timeText returns a time as the dataset keeps it (see store.ParseTime),
// turning an Excel date-time into a local "2006-01-02 15:04".
func (r *rowReader) timeText(key string) string {
	s := r.raw(key)
	if t, ok := excelTime(s); ok {
		return t.Format("2006-01-02 15:04")
	}
	if s != "" {
		if _, err := store.ParseTime(s, time.UTC); err != nil {
			r.fail(key, "%s", timeText(s))
			return ""
		}
	}
	return s
}

func (r *rowReader) int(key string) int {
	s := r.raw(key)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e6 {
		r.fail(key, "“%s” không phải là số nguyên", s)
		return 0
	}
	return int(f)
}

func (r *rowReader) bool(key string) bool {
	s := r.raw(key)
	switch store.Fold(s) {
	case "", "khong", "0", "false", "no", "sai":
		return false
	case "co", "x", "1", "true", "yes", "dung":
		return true
	}
	r.fail(key, "“%s” không hợp lệ, ghi Có hoặc để trống", s)
	return false
}

func (r *rowReader) former(key string) []store.UnitName {
	var out []store.UnitName
	for _, line := range splitList(r.raw(key), ";\n") {
		parts := strings.Split(line, "|")
		n := store.UnitName{Name: strings.TrimSpace(parts[0])}
		if len(parts) > 3 {
			r.fail(key, "“%s”: mỗi tên cũ ghi dạng tên | từ ngày | đến ngày", line)
			continue
		}
		var err error
		if len(parts) > 1 {
			if n.From, err = parseDay(strings.TrimSpace(parts[1])); err != nil {
				r.fail(key, "%v", err)
			}
		}
		if len(parts) > 2 {
			if n.To, err = parseDay(strings.TrimSpace(parts[2])); err != nil {
				r.fail(key, "%v", err)
			}
		}
		out = append(out, n)
	}
	return out
}

// record reads the row as a record of its sheet and appends it to ds.
func (r *rowReader) record(ds *store.Dataset) {
	t, list := r.t, r.sd.list
	t.rows[list] = append(t.rows[list], r.row)
	switch r.sd {
	case unitSheet:
		ds.Units = append(ds.Units, store.UnitRecord{Code: r.code("code"), Name: r.text("name"), Kind: store.UnitKind(r.text("kind")),
			Parent: r.code("parent"), Aliases: r.list("aliases"), FormerNames: r.former("former_names"),
			ActiveFrom: r.date("active_from"), ActiveTo: r.date("active_to"), Successor: r.code("successor")})
	case programSheet:
		ds.Programs = append(ds.Programs, store.ProgramRecord{Code: r.text("code"), Name: r.text("name"), Kind: r.text("kind"),
			StartYear: r.int("start_year"), EndYear: r.int("end_year"), VisionYear: r.int("vision_year"), Owner: r.code("owner"),
			Description: r.text("description"), Restricted: r.bool("restricted")})
	case meetingSheet:
		ds.Meetings = append(ds.Meetings, store.MeetingRecord{Key: r.text("key"), Title: r.text("title"), StartsAt: r.timeText("starts_at"),
			EndsAt: r.timeText("ends_at"), Place: r.text("place"), ChairName: r.text("chair_name"), ChairPosition: r.text("chair_position"),
			Organiser: r.code("organiser"), Attendees: r.codes("attendees"), Summary: r.text("summary"), Source: r.text("source"),
			SourceURL: r.text("source_url"), Note: r.text("note"), Restricted: r.bool("restricted")})
	case directiveSheet:
		d := store.DirectiveRecord{Code: r.text("code"), Title: r.text("title"), Body: r.text("body"), IssuerName: r.text("issuer_name"),
			IssuerPosition: r.text("issuer_position"), IssuedOn: r.date("issued_on"), Meeting: r.text("meeting"), SourceDoc: r.text("source_doc"),
			Program: r.text("program"), Deadline: r.deadline("deadline"), DeadlineNote: r.text("deadline_note"), ClosedOn: r.date("closed_on"),
			Restricted: r.bool("restricted")}
		if s := r.raw("reminders"); s != "" {
			rem, err := store.ParseReminders(s)
			if err != nil {
				r.fail("reminders", "%s", remindersText(s))
			}
			d.Reminders = rem
		}
		var from []string
		add := func(key string, role store.Role, codes []string) {
			for _, c := range codes {
				d.Assignments = append(d.Assignments, store.AssignmentRecord{Unit: c, Role: role})
				from = append(from, key)
			}
		}
		if us := r.codes("units"); len(us) > 0 {
			add("units", store.RoleLead, us[:1])
			add("units", store.RoleSupport, us[1:])
		}
		add("lead", store.RoleLead, r.codes("lead"))
		add("support", store.RoleSupport, r.codes("support"))
		t.asg[len(ds.Directives)] = from
		ds.Directives = append(ds.Directives, d)
	}
}

// locate turns the problems store.Dataset.Validate or the store's Import
// found (store.ImportErrors, naming records and fields) into Errors at
// the rows and columns they came from, worded in Vietnamese.
func (t *table) locate(ies store.ImportErrors) Errors {
	es := make(Errors, 0, len(ies))
	for _, ie := range ies {
		list, idx, ok := parseRecord(ie.Record)
		rows := t.rows[list]
		if !ok || idx >= len(rows) {
			es = append(es, Error{Record: ie.Record, Field: ie.Field, Msg: problemText(ie, t.places())})
			continue
		}
		key, rest, _ := strings.Cut(ie.Field, "[")
		key, _, _ = strings.Cut(key, ".")
		switch {
		case list == "directives" && key == "assignments":
			key = "lead"
			if t.cols[list]["units"] > 0 {
				key = "units"
			}
			if j, err := strconv.Atoi(strings.SplitN(rest, "]", 2)[0]); err == nil && j < len(t.asg[idx]) {
				key = t.asg[idx][j]
			}
		case key == "":
			key = sheetKey(list)
		}
		e := t.cellError(list, rows[idx], key, problemText(ie, t.places()))
		e.Record, e.Field = ie.Record, ie.Field
		es = append(es, e)
	}
	t.sort(es)
	return es
}

// sheetKey is the key column of a list's sheet.
func sheetKey(list string) string {
	if sd := sheetOf(list); sd != nil {
		return sd.cols[0].key
	}
	return ""
}

// parseRecord reads "directives[3] (X)" as ("directives", 3).
func parseRecord(rec string) (string, int, bool) {
	list, rest, ok := strings.Cut(rec, "[")
	if !ok {
		return "", 0, false
	}
	n, err := strconv.Atoi(strings.SplitN(rest, "]", 2)[0])
	return list, n, err == nil
}

// places names records, fields and lists as the sheets show them: rows,
// column titles and sheet titles.
func (t *table) places() placeNames {
	return placeNames{
		record: func(rec string) string {
			if list, i, ok := parseRecord(rec); ok && i < len(t.rows[list]) {
				return fmt.Sprintf("dòng %d", t.rows[list][i])
			}
			return rec
		},
		field: func(rec, field string) string {
			list, _, _ := parseRecord(rec)
			if sd := sheetOf(list); sd != nil {
				if c := sd.column(field); c != nil {
					return "cột “" + c.title + "”"
				}
			}
			return field
		},
		list: func(list string) string {
			if sd := sheetOf(list); sd != nil {
				return "trang " + sd.title
			}
			return list
		},
		noUnit: "ghi mã đơn vị vào cột “Đơn vị chủ trì”",
	}
}

// sheetOf returns the sheet of a dataset's list, or nil.
func sheetOf(list string) *sheetDef {
	for _, sd := range sheets {
		if sd.list == list {
			return sd
		}
	}
	return nil
}

// sort orders es by sheet (in file order), row and column.
func (t *table) sort(es Errors) {
	slices.SortStableFunc(es, func(a, b Error) int {
		return cmp.Or(cmp.Compare(t.sheetRank[a.Sheet], t.sheetRank[b.Sheet]), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Col, b.Col))
	})
}
