package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"meetbot/gen"
	"meetbot/importer"
	"meetbot/store"
	"meetbot/store/storetest"
)

func exampleDataset() *store.Dataset {
	return &store.Dataset{
		Units: []store.UnitRecord{
			{Code: "tinh-uy", Name: "Tỉnh ủy Hà Giang", Kind: store.KindProvince, Aliases: []string{"Tỉnh uỷ Hà Giang", "tinh uy"}},
			{Code: "bdbp", Name: "Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang", Kind: store.KindBorderGuard, Parent: "tinh-uy", Aliases: []string{"BĐBP", "biên phòng"}},
			{Code: "xin-man", Name: "Huyện ủy Xín Mần", Kind: store.KindDistrict, Parent: "tinh-uy", Aliases: []string{"XM", "Xín Mần"}},
		},
		Programs: []store.ProgramRecord{{
			Code:        "de-an-hop-tac-van-nam-quang-tay",
			Name:        "Nâng cao hiệu quả hợp tác giữa tỉnh Hà Giang với tỉnh Vân Nam và khu tự trị dân tộc Choang, Quảng Tây, Trung Quốc giai đoạn 2020 - 2025, tầm nhìn 2030",
			Kind:        "đề án",
			StartYear:   2020,
			EndYear:     2025,
			VisionYear:  2030,
			Description: "Hợp tác giữa Hà Giang với Vân Nam và Quảng Tây (Trung Quốc).",
		}},
		Meetings: []store.MeetingRecord{{
			Key:           "hn-xin-man-2024-04-17",
			Title:         "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp giữa Đảng ủy Bộ đội Biên phòng tỉnh với Huyện ủy 7 huyện biên giới của tỉnh Hà Giang năm 2023",
			StartsAt:      "2024-04-17 08:00",
			Place:         "huyện Xín Mần",
			ChairName:     "Nguyễn Văn Sơn",
			ChairPosition: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
			Organiser:     "bdbp",
			Attendees:     []string{"bdbp", "xin-man"},
			Summary:       "Đánh giá kết quả phối hợp năm 2023 về chủ quyền, an ninh biên giới.\nĐề ra nhiệm vụ cho thời gian tới.",
			Source:        "Đài Phát thanh và Truyền hình Hà Giang, 18/04/2024",
			Note:          "Giờ bắt đầu là giờ mẫu; bài báo chỉ nêu ngày.",
		}},
		Directives: []store.DirectiveRecord{{
			Code:           "HNXM-2024/04",
			Title:          "Thực hiện hiệu quả Đề án hợp tác với Vân Nam và Quảng Tây",
			Body:           "Triển khai có kết quả Đề án hợp tác giữa tỉnh Hà Giang với tỉnh Vân Nam và khu tự trị dân tộc Choang, Quảng Tây.",
			IssuerName:     "Nguyễn Văn Sơn",
			IssuerPosition: "Chủ tịch UBND tỉnh",
			IssuedOn:       store.NewDate(2024, time.April, 17),
			Meeting:        "hn-xin-man-2024-04-17",
			Program:        "de-an-hop-tac-van-nam-quang-tay",
			Deadline:       store.NewDate(2024, time.December, 31),
			DeadlineNote:   "Hạn mẫu — bài báo không nêu thời hạn",
			Assignments: []store.AssignmentRecord{
				{
					Unit: "bdbp",
					Role: store.RoleLead,
					Reports: []store.ReportRecord{{
						At: "2024-06-30 16:00", Percent: 50, Note: "Báo cáo mẫu.", DocNumber: "01/BC-MAU", Reporter: "Văn phòng",
					}},
					CompletedOn:    store.NewDate(2024, time.December, 20),
					CompletionNote: "Hoàn thành mẫu.",
				},
				{Unit: "xin-man", Role: store.RoleSupport},
			},
		}},
	}
}

func TestLoadFileExample(t *testing.T) {
	got, err := importer.LoadFile(filepath.Join("testdata", "example.yaml"), storetest.Loc)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	if diff := cmp.Diff(exampleDataset(), got); diff != "" {
		t.Errorf("example.yaml decoded differently (-want +got):\n%s", diff)
	}
}

// The example in the package documentation is testdata/example.yaml.
func TestDocExampleIsTestdata(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "the tests decode it):\n//\n"
	_, after, ok := strings.Cut(string(doc), marker)
	if !ok {
		t.Fatalf("doc.go has no %q", marker)
	}
	var lines []string
	for l := range strings.Lines(after) {
		l = strings.TrimSuffix(l, "\n")
		if !strings.HasPrefix(l, "//") {
			break
		}
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "//"), "\t"))
	}
	file, err := os.ReadFile(filepath.Join("testdata", "example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for l := range strings.Lines(string(file)) {
		want = append(want, strings.TrimRight(l, " \n"))
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("doc.go's example differs from testdata/example.yaml (-file +doc):\n%s", diff)
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *store.Dataset
	}{
		{
			name: "both date forms, and a YAML timestamp kept as written",
			in: `
meetings:
  - key: m1
    title: Họp
    starts_at: 2024-04-17
    ends_at: 2024-04-17T11:30:00+07:00
directives:
  - code: D1
    title: Việc
    issued_on: 2024-04-17
    deadline: 17/05/2024
    closed_on: "2024-06-01"
    assignments:
      - unit: bdbp
        completed_on: 7/5/2024
`,
			want: &store.Dataset{
				Meetings: []store.MeetingRecord{{Key: "m1", Title: "Họp", StartsAt: "2024-04-17", EndsAt: "2024-04-17T11:30:00+07:00"}},
				Directives: []store.DirectiveRecord{{
					Code: "D1", Title: "Việc",
					IssuedOn:    store.NewDate(2024, 4, 17),
					Deadline:    store.NewDate(2024, 5, 17),
					ClosedOn:    store.NewDate(2024, 6, 1),
					Assignments: []store.AssignmentRecord{{Unit: "bdbp", CompletedOn: store.NewDate(2024, 5, 7)}},
				}},
			},
		},
		{
			name: "empty values leave zero values",
			in: `
units:
  - code: a
    name: A
    kind:
    aliases: ~
    active_to: ""
programs: []
`,
			want: &store.Dataset{Units: []store.UnitRecord{{Code: "a", Name: "A"}}, Programs: []store.ProgramRecord{}},
		},
		{
			name: "numbers and booleans as text fields are kept as written",
			in: `
units:
  - code: 007
    name: 1.50
programs:
  - code: p
    name: true
`,
			want: &store.Dataset{
				Units:    []store.UnitRecord{{Code: "007", Name: "1.50"}},
				Programs: []store.ProgramRecord{{Code: "p", Name: "true"}},
			},
		},
		{
			name: "text is trimmed and normalised to NFC",
			// "Mèo Vạc" typed decomposed (NFD): e + U+0300, a + U+0323.
			in:   "units:\n  - code: meo-vac\n    name: \"  Me\u0300o Va\u0323c \"\n    aliases:\n      - |\n        MV\n",
			want: &store.Dataset{Units: []store.UnitRecord{{Code: "meo-vac", Name: "Mèo Vạc", Aliases: []string{"MV"}}}},
		},
		{
			name: "anchors, aliases and merge keys",
			in: `
directives:
  - &base
    code: D1
    title: Việc
    issuer_name: Nguyễn Văn Sơn
    assignments: &all
      - {unit: bdbp, role: lead}
      - {unit: xin-man, role: support}
  - <<: *base
    code: D2
    assignments: *all
`,
			want: &store.Dataset{Directives: []store.DirectiveRecord{
				{Code: "D1", Title: "Việc", IssuerName: "Nguyễn Văn Sơn", Assignments: []store.AssignmentRecord{{Unit: "bdbp", Role: store.RoleLead}, {Unit: "xin-man", Role: store.RoleSupport}}},
				{Code: "D2", Title: "Việc", IssuerName: "Nguyễn Văn Sơn", Assignments: []store.AssignmentRecord{{Unit: "bdbp", Role: store.RoleLead}, {Unit: "xin-man", Role: store.RoleSupport}}},
			}},
		},
		{
			name: "byte order mark and flow style",
			in:   "\ufeff{units: [{code: a, name: A, former_names: [{name: B, from: 2001-01-01, to: 31/12/2010}]}]}",
			want: &store.Dataset{Units: []store.UnitRecord{{Code: "a", Name: "A", FormerNames: []store.UnitName{{Name: "B", From: store.NewDate(2001, 1, 1), To: store.NewDate(2010, 12, 31)}}}}},
		},
		{
			name: "an empty mapping is an empty dataset",
			in:   "{}\n",
			want: &store.Dataset{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.Decode(strings.NewReader(tt.in), importer.FormatYAML)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // Error() of each problem, in order
	}{
		{
			name: "empty file",
			in:   "",
			want: []string{"tệp trống: không có nội dung YAML nào"},
		},
		{
			name: "only comments",
			in:   "# nothing yet\n\n",
			want: []string{"tệp trống: không có nội dung YAML nào"},
		},
		{
			name: "null document",
			in:   "---\n~\n",
			want: []string{"dòng 2: tệp trống: không có bản ghi nào"},
		},
		{
			name: "several documents",
			in:   "units: []\n---\nmeetings: []\n",
			want: []string{"dòng 3: tệp có nhiều hơn một tài liệu YAML (ngăn bằng dòng “---”); hãy ghi mọi bản ghi trong một tài liệu"},
		},
		{
			name: "syntax error",
			in:   "units:\n  - code: a\n    name: b\n\n # stray\n  code: c\n  - code: d\n",
			want: []string{"dòng 6: sai cú pháp YAML: thiếu dấu “- ” đầu mục, hoặc thụt lề không đều với các mục trên (trong khối bắt đầu ở dòng 1)"},
		},
		{
			name: "syntax error at the reported line",
			in:   "units:\n  - code: a\n    name: b: c\n",
			want: []string{"dòng 3: sai cú pháp YAML: dấu “:” đặt sai chỗ, hoặc dòng thụt lề sai; văn bản có dấu “:” hãy đặt trong dấu nháy kép"},
		},
		{
			name: "syntax error in the second document",
			in:   "units: []\n---\nmeetings: [\n",
			want: []string{"dòng 3: sai cú pháp YAML: thiếu giá trị (hoặc thiếu dấu đóng ngoặc)"},
		},
		{
			name: "not a mapping",
			in:   "- code: a\n",
			want: []string{`dòng 1: cần các dòng “tên: giá trị”, nhưng ghi một danh sách`},
		},
		{
			name: "unknown top-level field",
			in:   "units: []\nmeetngs: []\n",
			want: []string{`dòng 2, trường meetngs: không có trường này; có phải là “meetings”?`},
		},
		{
			name: "unknown field in a record, far from any known one",
			in:   "units:\n  - code: a\n    name: A\n    telegram_chat: -100123\n",
			want: []string{`dòng 4, units[0] (a), trường telegram_chat: không có trường này; các trường dùng được: code, name, kind, parent, aliases, former_names, active_from, active_to, successor`},
		},
		{
			name: "unknown field in a nested record",
			in:   "directives:\n  - code: D1\n    title: T\n    assignments:\n      - unit: a\n        rol: lead\n",
			want: []string{`dòng 6, directives[0] (D1), trường assignments[0].rol: không có trường này; có phải là “role”?`},
		},
		{
			name: "repeated field",
			in:   "units:\n  - code: a\n    name: A\n    name: B\n",
			want: []string{`dòng 4, units[0] (a), trường name: trường này ghi hai lần, lần đầu ở dòng 3`},
		},
		{
			name: "impossible date",
			in:   "directives:\n  - code: HNXM-2024/03\n    title: T\n    deadline: 31/04/2024\n",
			want: []string{`dòng 4, directives[0] (HNXM-2024/03), trường deadline: ngày “31/04/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)`},
		},
		{
			name: "date in a form not accepted",
			in:   "units:\n  - code: a\n    name: A\n    active_from: April 2024\n",
			want: []string{`dòng 4, units[0] (a), trường active_from: ngày “April 2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)`},
		},
		{
			name: "wrong types",
			in: `programs:
  - code: p
    name: [a, b]
    start_year: "2020"
    restricted: yes
  - code: q
    name: Q
    end_year: 2025.5
meetings:
  - key: m
    title: M
    starts_at: 2024-04-17
    attendees: bdbp
    summary: {a: b}
`,
			want: []string{
				`dòng 3, programs[0] (p), trường name: cần văn bản, nhưng ghi một danh sách`,
				`dòng 4, programs[0] (p), trường start_year: cần một số nguyên, nhưng ghi “2020”`,
				`dòng 5, programs[0] (p), trường restricted: cần true (có) hoặc false (không), nhưng ghi “yes”`,
				`dòng 8, programs[1] (q), trường end_year: cần một số nguyên, nhưng ghi số 2025.5`,
				`dòng 13, meetings[0] (m), trường attendees: cần một danh sách (các dòng bắt đầu bằng “- ”), nhưng ghi “bdbp”`,
				`dòng 14, meetings[0] (m), trường summary: cần văn bản, nhưng ghi các dòng “tên: giá trị”`,
			},
		},
		{
			name: "wrong types deep inside a directive",
			in: `directives:
  - code: D1
    title: T
    assignments:
      - unit: a
        reports:
          - at: 2024-05-01 10:00
            percent: 50%
      - unit: b
        completed_on: [2024-05-01]
`,
			want: []string{
				`dòng 8, directives[0] (D1), trường assignments[0].reports[0].percent: cần một số nguyên, nhưng ghi “50%”`,
				`dòng 10, directives[0] (D1), trường assignments[1].completed_on: cần một giá trị trên một dòng, nhưng ghi một danh sách`,
			},
		},
		{
			name: "binary data",
			in:   "units:\n  - code: a\n    name: !!binary SGVsbG8=\n",
			want: []string{`dòng 3, units[0] (a), trường name: cần văn bản, nhưng ghi dữ liệu nhị phân (!!binary)`},
		},
		{
			name: "a list where records are expected",
			in:   "units:\n  code: a\n",
			want: []string{`dòng 2, trường units: cần một danh sách (các dòng bắt đầu bằng “- ”), nhưng ghi các dòng “tên: giá trị”`},
		},
		{
			name: "a record that is not a mapping",
			in:   "units:\n  - a\n",
			want: []string{`dòng 2, units[0]: cần các dòng “tên: giá trị”, nhưng ghi “a”`},
		},
		{
			name: "alias bomb",
			in: `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
units:
  - code: u
    name: U
    aliases: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
`,
			// The unknown fields come first; the alias expansion stops.
			want: []string{
				`dòng 1, trường a: không có trường này; các trường dùng được: units, programs, meetings, directives`,
				`dòng 2, trường b: không có trường này; các trường dùng được: units, programs, meetings, directives`,
				`dòng 3, trường c: không có trường này; các trường dùng được: units, programs, meetings, directives`,
				`dòng 4, trường d: không có trường này; các trường dùng được: units, programs, meetings, directives`,
				`dòng 5, trường e: không có trường này; các trường dùng được: units, programs, meetings, directives`,
				`dòng 5, units[0] (u), trường aliases[0]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[1]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[2]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[3]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[4]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[5]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[6]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[7]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[8]: cần văn bản, nhưng ghi một danh sách`,
				`dòng 5, units[0] (u), trường aliases[9]: cần văn bản, nhưng ghi một danh sách`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := importer.Decode(strings.NewReader(tt.in), importer.FormatYAML)
			if err == nil {
				t.Fatalf("Decode succeeded with %+v, want errors", ds)
			}
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// messages returns the Error() of each problem err lists, checking that
// err is an importer.Errors that wraps store.ErrInvalid.
func messages(t *testing.T, err error) []string {
	t.Helper()
	var es importer.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %q (%T) is not an importer.Errors", err, err)
	}
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("errors.Is(%q, store.ErrInvalid) = false", err)
	}
	ies, ok := store.ImportErrorsOf(err)
	if !ok || len(ies) != len(es) {
		t.Errorf("store.ImportErrorsOf gives %d problems (ok=%v), want %d", len(ies), ok, len(es))
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	return got
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "duplicate keys",
			in: `units:
  - code: bdbp
    name: Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang
  - code: BDBP
    name: Bộ đội Biên phòng
meetings:
  - key: m1
    title: Họp
    starts_at: 2024-04-17 08:00
  - key: m1
    title: Họp lại
    starts_at: 2024-04-18 08:00
directives:
  - code: HNXM-2024/01
    title: Một
    assignments: [{unit: bdbp}]
  - code: hnxm-2024/01
    title: Hai
    assignments: [{unit: bdbp}, {unit: bdbp}]
`,
			want: []string{
				"dòng 4, units[1] (BDBP), trường code: mã “BDBP” không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số và các dấu '.', '_', '-' (vd. xin-man)",
				"dòng 4, units[1] (BDBP): mã “BDBP” trùng với units[0] (bdbp) ở dòng 2",
				"dòng 10, meetings[1] (m1): mã “m1” trùng với meetings[0] (m1) ở dòng 7",
				"dòng 17, directives[1] (hnxm-2024/01): mã “hnxm-2024/01” trùng với directives[0] (HNXM-2024/01) ở dòng 14",
				"dòng 19, directives[1] (hnxm-2024/01), trường assignments[1].unit: đơn vị “bdbp” được giao hai lần",
			},
		},
		{
			name: "missing and malformed values",
			in: `meetings:
  - key: m1
    starts_at: 17/04/2024 8h
directives:
  - code: D1
    title: T
    assignments:
      - unit: a
        role: chủ trì
        reports:
          - at: hôm qua
            percent: 120
  - title: Không mã
    assignments: []
`,
			want: []string{
				"dòng 2, meetings[0] (m1), trường title: bắt buộc, không được để trống",
				"dòng 3, meetings[0] (m1), trường starts_at: thời gian “17/04/2024 8h” không hợp lệ, cần dạng dd/mm/yyyy HH:MM (vd. 17/04/2024 08:00)",
				"dòng 9, directives[0] (D1), trường assignments[0].role: vai trò “chủ trì” không hợp lệ: ghi lead (chủ trì) hoặc support (phối hợp)",
				"dòng 11, directives[0] (D1), trường assignments[0].reports[0].at: thời gian “hôm qua” không hợp lệ, cần dạng dd/mm/yyyy HH:MM (vd. 17/04/2024 08:00)",
				"dòng 12, directives[0] (D1), trường assignments[0].reports[0].percent: 120% nằm ngoài khoảng 0–100",
				"dòng 13, directives[1], trường code: bắt buộc, không được để trống",
				"dòng 14, directives[1], trường assignments: chưa giao cho đơn vị nào: thêm vào assignments ít nhất một dòng “- unit: mã-đơn-vị”",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := importer.Decode(strings.NewReader(tt.in), importer.FormatYAML); err != nil {
				t.Fatalf("Decode: %v; the file should decode and fail only Validate", err)
			}
			ds, err := importer.Load(strings.NewReader(tt.in), importer.FormatYAML, storetest.Loc)
			if err == nil {
				t.Fatalf("Load succeeded with %+v, want errors", ds)
			}
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorsMessage(t *testing.T) {
	es := importer.Errors{
		{Line: 2, Record: "units[0] (a)", Field: "name", Msg: "bắt buộc"},
		{Line: 7, Msg: "lỗi khác"},
	}
	want := "2 lỗi:\ndòng 2, units[0] (a), trường name: bắt buộc\ndòng 7: lỗi khác"
	if got := es.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	many := make(importer.Errors, 25)
	for i := range many {
		many[i] = importer.Error{Line: i + 1, Msg: "x"}
	}
	if got := many.Error(); !strings.HasSuffix(got, "\ndòng 20: x\n… và 5 lỗi khác") {
		t.Errorf("Error() of 25 problems ends %q", got[len(got)-40:])
	}
}

func TestDecodeTooLarge(t *testing.T) {
	// A comment line repeated past the limit: cheap to build, never parsed.
	line := strings.Repeat("#", 1023) + "\n"
	r := io.MultiReader(strings.NewReader("units: []\n"), strings.NewReader(strings.Repeat(line, importer.MaxFileSize/len(line)+1)))
	_, err := importer.Decode(r, importer.FormatYAML)
	want := []string{"tệp lớn hơn 64 MB, quá giới hạn nhập; hãy chia thành nhiều tệp"}
	if err == nil {
		t.Fatal("Decode of an oversized file succeeded")
	}
	if diff := cmp.Diff(want, messages(t, err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFormatFromPath(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		want    importer.Format
		wantErr string
	}{
		{name: "yaml", path: "data/demo.yaml", want: importer.FormatYAML},
		{name: "yml upper case", path: `C:\data\DEMO.YML`, want: importer.FormatYAML},
		{name: "excel", path: "bao-cao.XLSX", want: importer.FormatXLSX},
		{name: "csv", path: "x.csv", want: importer.FormatCSV},
		{name: "old excel", path: "x.xls", wantErr: `unsupported file type ".xls": the Excel 97-2003 format cannot be read; save the workbook as .xlsx`},
		{name: "json", path: "x.json", wantErr: `unsupported file type ".json": import files are Excel (.xlsx), CSV (.csv), YAML (.yaml, .yml)`},
		{name: "no extension", path: "dir.d/data", wantErr: `unsupported file type: "data" has no extension; import files are Excel (.xlsx), CSV (.csv), YAML (.yaml, .yml)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.FormatFromPath(tt.path)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, importer.ErrUnsupported) {
					t.Fatalf("FormatFromPath(%q) = %q, %v; want error %q wrapping ErrUnsupported", tt.path, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("FormatFromPath(%q) = %q, %v; want %q", tt.path, got, err, tt.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	good := write("ok.yml", "units:\n  - code: a\n    name: A\n")
	ds, err := importer.ReadFile(good)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	if diff := cmp.Diff(&store.Dataset{Units: []store.UnitRecord{{Code: "a", Name: "A"}}}, ds); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	bad := write("bad.yaml", "units:\n  - code: a\n    nam: A\n")
	_, err = importer.ReadFile(bad)
	want := bad + ": dòng 3, units[0] (a), trường nam: không có trường này; có phải là “name”?"
	if err == nil || err.Error() != want || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ReadFile(bad) error = %v, want %q wrapping ErrInvalid", err, want)
	}

	invalid := write("invalid.yaml", "units:\n  - code: a\n")
	if _, err := importer.ReadFile(invalid); err != nil {
		t.Errorf("ReadFile(invalid) = %v; ReadFile does not validate", err)
	}
	_, err = importer.LoadFile(invalid, storetest.Loc)
	want = invalid + ": dòng 2, units[0] (a), trường name: bắt buộc, không được để trống"
	if err == nil || err.Error() != want {
		t.Errorf("LoadFile(invalid) error = %v, want %q", err, want)
	}

	if _, err := importer.ReadFile(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing) error = %v, want fs.ErrNotExist", err)
	}
	if _, err := importer.ReadFile(write("a.xls", "")); !errors.Is(err, importer.ErrUnsupported) {
		t.Errorf("ReadFile(xls) error = %v, want ErrUnsupported", err)
	}
	if _, err := importer.Decode(strings.NewReader(""), importer.Format("xml")); !errors.Is(err, importer.ErrUnsupported) {
		t.Errorf("Decode(xml) error = %v, want ErrUnsupported", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	want := exampleDataset()
	var buf bytes.Buffer
	if err := importer.Encode(&buf, want); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	got, err := importer.Load(&buf, importer.FormatYAML, storetest.Loc)
	if err != nil {
		t.Fatalf("Load(Encode(example)): %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestEncodeRoundTripAwkwardText(t *testing.T) {
	awkward := []string{
		"2024-04-17", "17/04/2024", "yes", "null", "~", "007", "1e3", "true",
		"# không phải chú thích", "a: b", "- gạch đầu dòng", "'nháy đơn'", "\"nháy kép\"",
		"dòng 1\n\ndòng 3 sau dòng trống", "dòng 1\n      thụt lề\n  \ndòng 4",
		"*bí danh", "&neo", "{ngoặc}", "[ngoặc]", "tab\tgiữa", "@", "`", "|", ">", "%",
		"Đồng Văn — “Cao nguyên đá”", "50%", "15/CT-UBND",
	}
	ds := &store.Dataset{}
	for i, s := range awkward {
		ds.Units = append(ds.Units, store.UnitRecord{Code: fmt.Sprintf("u%d", i), Name: s, Aliases: []string{s, s}})
		ds.Meetings = append(ds.Meetings, store.MeetingRecord{Key: s, Title: s, StartsAt: "2024-04-17 08:00", Summary: s, Attendees: []string{s}})
	}
	ds.Directives = append(ds.Directives, gen.Dataset(gen.Options{Units: 40, Meetings: 30, Directives: 300, Seed: 5, Loc: storetest.Loc}).Directives...)
	var buf bytes.Buffer
	if err := importer.Encode(&buf, ds); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	got, err := importer.Decode(bytes.NewReader(buf.Bytes()), importer.FormatYAML)
	if err != nil {
		t.Fatalf("Decode(Encode(ds)): %v", err)
	}
	if diff := cmp.Diff(ds, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	var empty bytes.Buffer
	if err := importer.Encode(&empty, &store.Dataset{}); err != nil || empty.Len() != 0 {
		t.Errorf("Encode(empty) = %q, %v; want nothing", empty.String(), err)
	}
}

// yaml.v3 itself hands store.Date the scalar as written, a YAML timestamp
// included; but it stops at the first bad value and gives no line, which
// is why the importer walks the node tree itself.
func TestYAMLv3DateScalars(t *testing.T) {
	var v struct {
		A, B store.Date
		S    string
	}
	if err := yaml.Unmarshal([]byte("a: 2024-04-17\nb: 17/04/2024\ns: 2024-04-17\n"), &v); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if want := store.NewDate(2024, 4, 17); v.A != want || v.B != want || v.S != "2024-04-17" {
		t.Errorf("got %+v, want both dates %v and the string as written", v, want)
	}
	err := yaml.Unmarshal([]byte("a: 2024-04-17\n\nb: 31/04/2024\n"), &v)
	if err == nil || strings.Contains(err.Error(), "line") {
		t.Errorf("yaml.v3 error = %v; expected it to carry no line (if it now does, the walker could be simplified)", err)
	}
}

// BenchmarkDecode reads a generated file of 2,000 directives (about
// 2.5 MB); see MaxFileSize for what larger files cost.
func BenchmarkDecode(b *testing.B) {
	loc := storetest.Loc
	ds := gen.Dataset(gen.Options{Units: 200, Meetings: 200, Directives: 2000, Seed: 1, Loc: loc})
	var buf bytes.Buffer
	if err := importer.Encode(&buf, ds); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := importer.Load(bytes.NewReader(buf.Bytes()), importer.FormatYAML, loc); err != nil {
			b.Fatal(err)
		}
	}
}
