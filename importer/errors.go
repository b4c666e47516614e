package importer

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"meetbot/store"
)

// ErrUnsupported is wrapped by the errors of FormatFromPath and ReadFile
// for files whose type cannot be read (yet).
var ErrUnsupported = errors.New("unsupported file type")

// Error is one problem in an import file: where it is (the line, the
// record, the field) and what is wrong. It has the shape of
// store.ImportError with a line number in front. Its text is Vietnamese,
// for the people who write the files, in chat and in `meetbot import`
// alike.
type Error struct {
	// Line is the 1-based line of the problem; 0 when it is not known.
	Line int
	// Record names the record as store.RecordName does:
	// "directives[3] (HNXM-2024/03)"; empty for the file as a whole.
	Record string
	// Field is the path inside the record ("deadline",
	// "assignments[2].unit"), or inside the file when Record is empty
	// ("meetings"); empty for the record or the file as a whole.
	Field string
	// Msg says what is wrong, in Vietnamese.
	Msg string

	// Sheet, Row, Col and Column place a problem of a workbook or CSV
	// file: the sheet's title (empty for CSV), the row and column as
	// Excel shows them (1-based; 0 when not known) and the column's
	// header.
	Sheet  string
	Row    int
	Col    int
	Column string
}

// Error returns "dòng 42, directives[3] (HNXM-2024/03), trường deadline:
// msg" for YAML, and "trang Chỉ đạo, dòng 7, cột E (Thời hạn): msg" for
// a workbook or CSV file, leaving out the parts that are unknown.
func (e Error) Error() string {
	if e.Sheet != "" || e.Row > 0 {
		return e.cellError()
	}
	var parts []string
	if e.Line > 0 {
		parts = append(parts, fmt.Sprintf("dòng %d", e.Line))
	}
	if e.Record != "" {
		parts = append(parts, e.Record)
	}
	if e.Field != "" {
		parts = append(parts, "trường "+e.Field)
	}
	if len(parts) == 0 {
		return e.Msg
	}
	return strings.Join(parts, ", ") + ": " + e.Msg
}

// cellError returns "Chỉ đạo, dòng 7, cột F (Thời hạn): msg", leaving
// out the parts that are unknown.
func (e Error) cellError() string {
	var parts []string
	if e.Sheet != "" {
		parts = append(parts, "trang "+e.Sheet)
	}
	if e.Row > 0 {
		parts = append(parts, fmt.Sprintf("dòng %d", e.Row))
	}
	if e.Col > 0 {
		c := "cột " + colName(e.Col)
		if e.Column != "" {
			c += " (" + e.Column + ")"
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ") + ": " + e.Msg
}

// Errors lists every problem found in an import file, in file order (by
// line; by sheet, row and column).
// errors.Is(err, store.ErrInvalid) holds for it, and store.ImportErrorsOf
// returns the same problems without their lines.
type Errors []Error

// maxListed is how many problems Errors.Error spells out.
const maxListed = 20

// Error returns the problems one per line, after a count when there are
// several.
func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d lỗi:", len(es))
	for i, e := range es {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… và %d lỗi khác", len(es)-i)
			break
		}
		b.WriteString("\n")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, store.ErrInvalid) and store.ImportErrorsOf
// work on Errors.
func (es Errors) Unwrap() []error {
	ies := make(store.ImportErrors, len(es))
	for i, e := range es {
		ies[i] = store.ImportError{Record: e.Record, Field: e.Field, Msg: e.Msg}
		if ies[i].Record == "" {
			// store.ImportError always has a record; name the file.
			ies[i].Record = "tệp"
		}
	}
	return []error{store.ErrInvalid, ies}
}

func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b Error) int { return cmp.Compare(a.Line, b.Line) })
}
