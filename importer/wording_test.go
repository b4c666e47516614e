package importer_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/importer"
	"meetbot/store"
	"meetbot/store/storetest"
)

// englishWords are phrases of the English messages that no problem shown
// to the people who write import files may keep.
var englishWords = regexp.MustCompile(`(?i)\b(unknown|field|invalid|want|got|did you mean|required|duplicate|must|line|error|expected|allowed|empty|document|syntax|found|before|outside|assigned|recorded|cannot|mapping|whole number)\b`)

// noEnglish fails t if msg reads as English.
func noEnglish(t *testing.T, msg string) {
	t.Helper()
	// Field and list names are the file's own words: leave them out.
	stripped := regexp.MustCompile(`trường [\w\[\].]+|units|programs|meetings|directives|assignments`).ReplaceAllString(msg, "")
	if m := englishWords.FindString(stripped); m != "" {
		t.Errorf("%q reads as English (%q)", msg, m)
	}
}

// Every kind of problem a YAML file can have is worded in Vietnamese and
// names its line, record and field.
func TestYAMLProblemsInVietnamese(t *testing.T) {
	const stored = `units:
  - {code: bdbp, name: Biên phòng}
  - {code: xin-man, name: Xín Mần}
directives:
  - code: D1
    title: T
    assignments:
      - unit: bdbp
      - unit: xin-man
        reports:
          - {at: 2024-04-20 09:00, percent: 40}
`
	tests := []struct {
		name   string
		in     string
		stored bool // import stored first, then in: the store finds the problem
		want   importer.Error
	}{
		// Reading the file.
		{name: "empty file", in: "", want: importer.Error{Msg: "tệp trống: không có nội dung YAML nào"}},
		{name: "no records", in: "---\n~\n", want: importer.Error{Line: 2, Msg: "tệp trống: không có bản ghi nào"}},
		{name: "several documents", in: "units: []\n---\nmeetings: []\n",
			want: importer.Error{Line: 3, Msg: "tệp có nhiều hơn một tài liệu YAML (ngăn bằng dòng “---”); hãy ghi mọi bản ghi trong một tài liệu"}},
		{name: "colon in text", in: "units:\n  - code: a\n    name: Đồn: Xín Mần\n",
			want: importer.Error{Line: 3, Msg: "sai cú pháp YAML: dấu “:” đặt sai chỗ, hoặc dòng thụt lề sai; văn bản có dấu “:” hãy đặt trong dấu nháy kép"}},
		{name: "tab indentation", in: "units:\n\t- code: a\n",
			want: importer.Error{Line: 2, Msg: "sai cú pháp YAML: có ký tự không được đứng đầu giá trị (như “@”, “`” hoặc dấu tab); hãy đặt giá trị trong dấu nháy kép"}},
		{name: "unclosed quote", in: "units:\n  - code: a\n    name: \"Xín Mần\n",
			want: importer.Error{Line: 3, Msg: "sai cú pháp YAML: tệp kết thúc giữa chừng: thiếu dấu nháy hoặc dấu ngoặc đóng"}},
		{name: "unknown alias", in: "units:\n  - code: a\n    name: *ten\n",
			want: importer.Error{Msg: "sai cú pháp YAML: bí danh “*ten” chưa được đặt (thiếu “&ten” ở phía trên)"}},
		{name: "misspelt field", in: "units:\n  - code: a\n    nmae: A\n",
			want: importer.Error{Line: 3, Record: "units[0] (a)", Field: "nmae", Msg: "không có trường này; có phải là “name”?"}},
		{name: "unknown list", in: "donvi: []\n",
			want: importer.Error{Line: 1, Field: "donvi", Msg: "không có trường này; các trường dùng được: units, programs, meetings, directives"}},
		{name: "repeated field", in: "units:\n  - code: a\n    name: A\n    code: b\n",
			want: importer.Error{Line: 4, Record: "units[0] (a)", Field: "code", Msg: "trường này ghi hai lần, lần đầu ở dòng 2"}},
		{name: "text expected", in: "units:\n  - code: a\n    name: [A]\n",
			want: importer.Error{Line: 3, Record: "units[0] (a)", Field: "name", Msg: "cần văn bản, nhưng ghi một danh sách"}},
		{name: "number expected", in: "programs:\n  - {code: p, name: P, start_year: năm 2021}\n",
			want: importer.Error{Line: 2, Record: "programs[0] (p)", Field: "start_year", Msg: "cần một số nguyên, nhưng ghi “năm 2021”"}},
		{name: "true or false expected", in: "programs:\n  - {code: p, name: P, restricted: có}\n",
			want: importer.Error{Line: 2, Record: "programs[0] (p)", Field: "restricted", Msg: "cần true (có) hoặc false (không), nhưng ghi “có”"}},
		{name: "list expected", in: "units: bdbp\n",
			want: importer.Error{Line: 1, Field: "units", Msg: "cần một danh sách (các dòng bắt đầu bằng “- ”), nhưng ghi “bdbp”"}},
		{name: "record expected", in: "units:\n  - bdbp\n",
			want: importer.Error{Line: 2, Record: "units[0]", Msg: "cần các dòng “tên: giá trị”, nhưng ghi “bdbp”"}},
		{name: "one value expected", in: "units:\n  - code: a\n    name: A\n    active_from: {ngay: 1}\n",
			want: importer.Error{Line: 4, Record: "units[0] (a)", Field: "active_from", Msg: "cần một giá trị trên một dòng, nhưng ghi các dòng “tên: giá trị”"}},
		{name: "bad date", in: "units:\n  - {code: a, name: A, active_from: 31/04/2024}\n",
			want: importer.Error{Line: 2, Record: "units[0] (a)", Field: "active_from", Msg: "ngày “31/04/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)"}},
		{name: "bad reminders", in: "directives:\n  - code: D\n    title: T\n    reminders: -7,-3,1000\n    assignments: [{unit: a}]\n",
			want: importer.Error{Line: 4, Record: "directives[0] (D)", Field: "reminders", Msg: "lịch nhắc “-7,-3,1000” không hợp lệ: ghi số ngày so với hạn, cách nhau bằng dấu phẩy (vd. -7,-3,0), tối đa 20 mốc, mỗi mốc trong khoảng ±365 ngày; hoặc off để tắt nhắc"}},

		// Checking the records (store.Dataset.Validate).
		{name: "required", in: "units:\n  - code: a\n",
			want: importer.Error{Line: 2, Record: "units[0] (a)", Field: "name", Msg: "bắt buộc, không được để trống"}},
		{name: "code format", in: "units:\n  - {code: Xín Mần, name: X}\n",
			want: importer.Error{Line: 2, Record: "units[0] (Xín Mần)", Field: "code", Msg: "mã “Xín Mần” không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số và các dấu '.', '_', '-' (vd. xin-man)"}},
		{name: "duplicate code", in: "programs:\n  - {code: p, name: P}\n  - {code: P, name: Q}\n",
			want: importer.Error{Line: 3, Record: "programs[1] (P)", Msg: "mã “P” trùng với programs[0] (p) ở dòng 2"}},
		{name: "dates out of order", in: "units:\n  - {code: a, name: A, active_from: 2024-05-01, active_to: 2024-04-01}\n",
			want: importer.Error{Line: 2, Record: "units[0] (a)", Field: "active_to", Msg: "sớm hơn giá trị ở trường active_from"}},
		{name: "years out of order", in: "programs:\n  - {code: p, name: P, start_year: 2025, end_year: 2021}\n",
			want: importer.Error{Line: 2, Record: "programs[0] (p)", Field: "end_year", Msg: "sớm hơn giá trị ở trường start_year"}},
		{name: "own parent", in: "units:\n  - {code: a, name: A, parent: a}\n",
			want: importer.Error{Line: 2, Record: "units[0] (a)", Field: "parent", Msg: "đơn vị không thể là cấp trên của chính nó"}},
		{name: "bad time", in: "meetings:\n  - key: m\n    title: Họp\n    starts_at: sáng mai\n",
			want: importer.Error{Line: 4, Record: "meetings[0] (m)", Field: "starts_at", Msg: "thời gian “sáng mai” không hợp lệ, cần dạng dd/mm/yyyy HH:MM (vd. 17/04/2024 08:00)"}},
		{name: "no unit", in: "directives:\n  - code: D\n    title: T\n",
			want: importer.Error{Line: 2, Record: "directives[0] (D)", Field: "assignments", Msg: "chưa giao cho đơn vị nào: thêm vào assignments ít nhất một dòng “- unit: mã-đơn-vị”"}},
		{name: "assigned twice", in: "directives:\n  - code: D\n    title: T\n    assignments: [{unit: a}, {unit: a}]\n",
			want: importer.Error{Line: 4, Record: "directives[0] (D)", Field: "assignments[1].unit", Msg: "đơn vị “a” được giao hai lần"}},
		{name: "role", in: "directives:\n  - code: D\n    title: T\n    assignments:\n      - {unit: a, role: chủ trì}\n",
			want: importer.Error{Line: 5, Record: "directives[0] (D)", Field: "assignments[0].role", Msg: "vai trò “chủ trì” không hợp lệ: ghi lead (chủ trì) hoặc support (phối hợp)"}},
		{name: "reports at one time", in: "directives:\n  - code: D\n    title: T\n    assignments:\n      - unit: a\n        reports:\n          - {at: 2024-04-20 09:00, percent: 10}\n          - {at: 20/04/2024 09:00, percent: 20}\n",
			want: importer.Error{Line: 8, Record: "directives[0] (D)", Field: "assignments[0].reports[1].at", Msg: "trùng thời gian với trường assignments[0].reports[0]; các báo cáo của một đơn vị cần thời gian khác nhau"}},
		{name: "percent", in: "directives:\n  - code: D\n    title: T\n    assignments:\n      - unit: a\n        reports:\n          - {at: 2024-04-20 09:00, percent: 120}\n",
			want: importer.Error{Line: 7, Record: "directives[0] (D)", Field: "assignments[0].reports[0].percent", Msg: "120% nằm ngoài khoảng 0–100"}},

		// Importing into the store.
		{name: "unknown unit", stored: true, in: "directives:\n  - code: D2\n    title: T\n    assignments:\n      - unit: bdbp\n      - unit: meo-vac\n",
			want: importer.Error{Line: 6, Record: "directives[0] (D2)", Field: "assignments[1].unit", Msg: "không có đơn vị mã “meo-vac” (trong mục units của tệp hay trong dữ liệu đã lưu)"}},
		{name: "unknown meeting", stored: true, in: "directives:\n  - code: D2\n    title: T\n    meeting: hop-1\n    assignments: [{unit: bdbp}]\n",
			want: importer.Error{Line: 4, Record: "directives[0] (D2)", Field: "meeting", Msg: "không có cuộc họp mã “hop-1” (trong mục meetings của tệp hay trong dữ liệu đã lưu)"}},
		{name: "unknown program", stored: true, in: "directives:\n  - code: D2\n    title: T\n    program: ct-1\n    assignments: [{unit: bdbp}]\n",
			want: importer.Error{Line: 4, Record: "directives[0] (D2)", Field: "program", Msg: "không có chương trình mã “ct-1” (trong mục programs của tệp hay trong dữ liệu đã lưu)"}},
		{name: "unit with progress dropped", stored: true, in: "directives:\n  - code: D1\n    title: T\n    assignments:\n      - unit: bdbp\n",
			want: importer.Error{Line: 4, Record: "directives[0] (D1)", Field: "assignments", Msg: "đơn vị “xin-man” đã báo cáo tiến độ nên không bỏ khỏi chỉ đạo bằng nhập tệp được"}},
	}
	loc := storetest.Loc
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := loadYAML(t, tt.in, tt.stored, stored, loc)
			var es importer.Errors
			if !errors.As(err, &es) || !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("error %v (%T), want importer.Errors wrapping store.ErrInvalid", err, err)
			}
			if diff := cmp.Diff(tt.want, es[0]); diff != "" {
				t.Errorf("first problem (-want +got):\n%s\nall: %v", diff, es)
			}
			got := es[0].Error()
			for _, part := range []string{fmt.Sprintf("dòng %d", tt.want.Line), tt.want.Record, "trường " + tt.want.Field} {
				if part != "dòng 0" && part != "trường " && !strings.Contains(got, part) {
					t.Errorf("%q does not name %q", got, part)
				}
			}
			for _, e := range es {
				noEnglish(t, e.Msg)
			}
		})
	}
}

// loadYAML parses in, and if stored, imports first into a new store
// the file first and then in, returning the error placed in the file.
func loadYAML(t *testing.T, in string, withStore bool, first string, loc *time.Location) error {
	t.Helper()
	f, err := importer.Parse(strings.NewReader(in), importer.FormatYAML, loc)
	if err != nil || !withStore {
		return err
	}
	s := openStore(t, time.Date(2024, 5, 1, 9, 0, 0, 0, loc))
	ds, err := importer.Load(strings.NewReader(first), importer.FormatYAML, loc)
	if err != nil {
		t.Fatalf("load the stored file: %v", err)
	}
	if _, err := s.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("import the stored file: %v", err)
	}
	_, err = s.Import(t.Context(), f.Dataset, store.Actor{Name: "test"})
	if err == nil {
		t.Fatal("Import succeeded, want a problem")
	}
	return f.Locate(err)
}

// Every problem the store reports has a Vietnamese wording, in YAML
// files and in workbooks.
func TestEveryProblemWorded(t *testing.T) {
	problems := []store.Problem{
		store.ProblemRequired, store.ProblemCodeFormat, store.ProblemDuplicate, store.ProblemBefore,
		store.ProblemOwnParent, store.ProblemTime, store.ProblemNoUnit, store.ProblemReminders,
		store.ProblemAssignedTwice, store.ProblemRole, store.ProblemSameTime, store.ProblemPercent,
		store.ProblemUnknown, store.ProblemHasProgress,
	}
	loc := storetest.Loc
	yamlFile, err := importer.Parse(strings.NewReader("directives:\n  - {code: D, title: T, assignments: [{unit: a}]}\n"), importer.FormatYAML, loc)
	if err != nil {
		t.Fatal(err)
	}
	csvFile, err := importer.Parse(strings.NewReader("code,title,units\nD,T,a\n"), importer.FormatCSV, loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		ie := store.ImportError{Record: "directives[0] (D)", Field: "title", Msg: "English " + string(p), Problem: p, Args: []string{"unit", "x"}}
		for _, f := range []*importer.File{yamlFile, csvFile} {
			var es importer.Errors
			if !errors.As(f.Locate(store.ImportErrors{ie}), &es) || len(es) != 1 {
				t.Fatalf("%s: Locate gave %v", p, es)
			}
			if strings.Contains(es[0].Msg, "English") {
				t.Errorf("%s in %s: %q is not worded", p, f.Format, es[0].Msg)
			}
			noEnglish(t, es[0].Msg)
		}
	}
}
