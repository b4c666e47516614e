package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"meetbot/store"
)

// MaxWorkbookSize is the largest workbook or CSV file Decode reads, in
// bytes: as much as the Telegram Bot API lets a bot download.
const MaxWorkbookSize = 20 << 20

// Limits on what a workbook may unpack to, against zip bombs.
const (
	maxUnzipped    = 200 << 20
	maxUnzippedXML = 100 << 20
)

// readLimited reads r whole, refusing more than max bytes.
func readLimited(r io.Reader, max int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, Errors{{Msg: fmt.Sprintf("%s lớn hơn %d MB, quá giới hạn; hãy chia thành nhiều tệp", what, max>>20)}}
	}
	return b, nil
}

// decodeXLSX reads a workbook in the layout of layout.go.
func decodeXLSX(r io.Reader) (*store.Dataset, *table, error) {
	b, err := readLimited(r, MaxWorkbookSize, "tệp Excel")
	if err != nil {
		return nil, nil, err
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, nil, Errors{{Msg: "tệp là bảng tính Excel 97-2003 (.xls) hoặc đã đặt mật khẩu; hãy mở bằng Excel, bỏ mật khẩu nếu có, và lưu lại dạng .xlsx (Excel Workbook)"}}
	case !bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return nil, nil, Errors{{Msg: "tệp không phải là bảng tính Excel (.xlsx); hãy lưu lại bằng Excel dạng .xlsx, hoặc gửi tệp .csv"}}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, nil, Errors{{Msg: "không đọc được tệp như một bảng tính Excel (.xlsx): tệp hỏng hoặc không đúng định dạng; hãy mở bằng Excel và lưu lại dạng .xlsx"}}
	}
	defer f.Close()

	ds, t, errs := new(store.Dataset), newTable(), Errors{}
	found := map[*sheetDef]string{}
	for _, name := range f.GetSheetList() {
		sd := sheetFor(name)
		if sd == nil {
			continue // the instructions, the export's status, the user's own sheets
		}
		if prev, dup := found[sd]; dup {
			errs = append(errs, Error{Sheet: name, Msg: fmt.Sprintf("trang này trùng loại với trang “%s”; mỗi loại dữ liệu chỉ một trang", prev)})
			continue
		}
		found[sd] = name
	}
	if _, ok := found[directiveSheet]; !ok {
		errs = append(errs, Error{Msg: fmt.Sprintf("không có trang “%s”; tệp cần các trang theo mẫu (%s) — gửi /template để lấy tệp mẫu", directiveSheet.title, sheetTitles())})
		return nil, nil, errs
	}
	// Read in the layout's order, so references come before their users.
	for _, sd := range sheets {
		name, ok := found[sd]
		if !ok {
			continue
		}
		rows, err := sheetRows(f, name, MaxRows+headerScan+100) // readSheet reports the excess
		if err != nil {
			errs = append(errs, Error{Sheet: name, Msg: "không đọc được trang này: tệp hỏng hoặc không đúng định dạng; hãy mở bằng Excel và lưu lại dạng .xlsx"})
			continue
		}
		t.headings = mergedHeadings(f, name)
		t.readSheet(sd, name, rows, ds, &errs)
	}
	return finish(ds, t, errs)
}

// sheetRows returns the cells of the sheet's first max rows (rows[i] is
// row i+1), with raw values: date cells as serial numbers, formulas as
// their cached values. Unlike GetRows it stops reading at max.
func sheetRows(f *excelize.File, sheet string, max int) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	for n := 0; n < max && it.Next(); n++ {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		rows = append(rows, cells)
	}
	return rows, it.Error()
}

// mergedHeadings returns the rows of the sheet where a merged range
// spanning several columns starts: a group heading ("I. NHIỆM VỤ NĂM
// 2024") when it is the only text in the row.
func mergedHeadings(f *excelize.File, sheet string) map[int]bool {
	mcs, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil
	}
	rows := map[int]bool{}
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, _, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 == nil && err2 == nil && c2 > c1 {
			rows[r1] = true
		}
	}
	return rows
}

// sheetTitles lists the data sheets' titles.
func sheetTitles() string {
	ts := make([]string, len(sheets))
	for i, sd := range sheets {
		ts[i] = sd.title
	}
	return strings.Join(ts, ", ")
}

// finish returns the dataset, or the problems found in order.
// When cells could not be read, the records are also validated, so that
// every problem is listed at once (but one per cell).
func finish(ds *store.Dataset, t *table, errs Errors) (*store.Dataset, *table, error) {
	if len(errs) > 0 {
		if ies, ok := store.ImportErrorsOf(ds.Validate(time.UTC)); ok {
			type cell struct {
				sheet    string
				row, col int
			}
			seen := map[cell]bool{}
			for _, e := range errs {
				seen[cell{e.Sheet, e.Row, e.Col}] = true
			}
			for _, e := range t.locate(ies) {
				if !seen[cell{e.Sheet, e.Row, e.Col}] {
					errs = append(errs, e)
				}
			}
		}
		t.sort(errs)
		return nil, nil, errs
	}
	if len(ds.Units)+len(ds.Programs)+len(ds.Meetings)+len(ds.Directives) == 0 {
		return nil, nil, Errors{{Msg: "tệp không có dòng dữ liệu nào (dòng có mã bắt đầu bằng “" + exampleMark + "” là dòng mẫu, không được nhập)"}}
	}
	return ds, t, nil
}

// decodeCSV reads a CSV file with the columns of the directives sheet:
// UTF-8 with or without a byte order mark, separated by commas or
// semicolons (what Excel writes where the decimal mark is a comma).
func decodeCSV(r io.Reader) (*store.Dataset, *table, error) {
	b, err := readLimited(r, MaxWorkbookSize, "tệp CSV")
	if err != nil {
		return nil, nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(b) {
		return nil, nil, Errors{{Msg: "tệp CSV không phải mã UTF-8; trong Excel hãy lưu bằng “CSV UTF-8 (Comma delimited)”"}}
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, nil, Errors{{Msg: "tệp không phải là tệp CSV (văn bản); bảng tính Excel hãy gửi dạng .xlsx"}}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = detectComma(b)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, nil, Errors{{Row: line, Msg: csvProblem(err)}}
		}
		// A record spanning several lines (a quoted new line) keeps the
		// row numbers of a spreadsheet: one record, one row.
		rows = append(rows, rec)
		if len(rows) > MaxRows+headerScan+100 {
			break
		}
	}
	ds, t, errs := new(store.Dataset), newTable(), Errors{}
	t.readSheet(directiveSheet, "", rows, ds, &errs)
	return finish(ds, t, errs)
}

// detectComma returns ';' when the first line has more semicolons than
// commas outside quotes, else ','.
func detectComma(b []byte) rune {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	commas, semis, quoted := 0, 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// csvProblem words an error of encoding/csv in Vietnamese (with
// LazyQuotes and any number of fields, the reader rarely fails).
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "tệp CSV sai cấu trúc: dấu nháy kép (\") không khớp; ô có dấu nháy kép hãy viết nó hai lần (\"\")"
	}
	return "tệp CSV sai cấu trúc; trong Excel hãy lưu bằng “CSV UTF-8 (Comma delimited)”"
}
