package handlers

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"meetbot/store"
)

// englishInReply matches phrases of English error messages; a reply to a
// bad import file must have none.
var englishInReply = regexp.MustCompile(`(?i)unknown field|did you mean|invalid|\bwant\b|\bgot\b|is required|duplicate key|must be|\bline \d|YAML syntax|\berrors?\b|expected|not allowed|is empty|more than|is before|is outside|assigned twice|recorded progress`)

// A YAML file with problems gets the list in Vietnamese, each naming its
// line, record and field, and nothing is imported.
func TestImportYAMLErrorsInVietnamese(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string // lines of the reply
	}{
		{
			name: "problems of the file",
			file: `units:
  - code: tt-moi
    nmae: Trạm mới
directives:
  - code: YML-2
    title: [Hai]
    deadline: 31/04/2024
    restricted: có
    assignments:
      - {unit: bdbp, role: chủ trì}
      - unit: bdbp
        rol: support
`,
			want: []string{
				"❌ Không nhập gì từ tệp loi.yaml: tệp có 5 lỗi.",
				"• dòng 3, units[0] (tt-moi), trường nmae: không có trường này; có phải là “name”?",
				"• dòng 6, directives[0] (YML-2), trường title: cần văn bản, nhưng ghi một danh sách",
				"• dòng 7, directives[0] (YML-2), trường deadline: ngày “31/04/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)",
				"• dòng 8, directives[0] (YML-2), trường restricted: cần true (có) hoặc false (không), nhưng ghi “có”",
				"• dòng 12, directives[0] (YML-2), trường assignments[1].rol: không có trường này; có phải là “role”?",
			},
		},
		{
			name: "problems of the records",
			file: `units:
  - code: Trạm Mới
directives:
  - code: YML-3
    title: Ba
    assignments:
      - {unit: bdbp, role: chủ trì}
      - unit: bdbp
`,
			want: []string{
				"❌ Không nhập gì từ tệp loi.yaml: tệp có 4 lỗi.",
				"• dòng 2, units[0] (Trạm Mới), trường code: mã “Trạm Mới” không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số và các dấu '.', '_', '-' (vd. xin-man)",
				"• dòng 2, units[0] (Trạm Mới), trường name: bắt buộc, không được để trống",
				"• dòng 7, directives[0] (YML-3), trường assignments[0].role: vai trò “chủ trì” không hợp lệ: ghi lead (chủ trì) hoặc support (phối hợp)",
				"• dòng 8, directives[0] (YML-3), trường assignments[1].unit: đơn vị “bdbp” được giao hai lần",
			},
		},
		{
			name: "problems the store finds",
			file: "directives:\n  - code: YML-4\n    title: Bốn\n    meeting: khong-co\n    assignments: [{unit: bdbp}, {unit: tram-la}]\n",
			want: []string{
				"❌ Không nhập gì từ tệp loi.yaml: tệp có 2 lỗi.",
				"• dòng 4, directives[0] (YML-4), trường meeting: không có cuộc họp mã “khong-co” (trong mục meetings của tệp hay trong dữ liệu đã lưu)",
				"• dòng 5, directives[0] (YML-4), trường assignments[1].unit: không có đơn vị mã “tram-la” (trong mục units của tệp hay trong dữ liệu đã lưu)",
			},
		},
		{
			name: "syntax",
			file: "directives:\n  - code: YML-5\n    title: Chỉ đạo: tuần tra\n",
			want: []string{
				"❌ Không nhập gì từ tệp loi.yaml: tệp có 1 lỗi.",
				"• dòng 3: sai cú pháp YAML: dấu “:” đặt sai chỗ, hoặc dòng thụt lề sai; văn bản có dấu “:” hãy đặt trong dấu nháy kép",
			},
		},
		{
			name: "several documents",
			file: "units: []\n---\ndirectives: []\n",
			want: []string{
				"❌ Không nhập gì từ tệp loi.yaml: tệp có 1 lỗi.",
				"• dòng 3: tệp có nhiều hơn một tài liệu YAML (ngăn bằng dòng “---”); hãy ghi mọi bản ghi trong một tài liệu",
			},
		},
		{
			name: "empty",
			file: "# chưa có gì\n",
			want: []string{
				"❌ Không nhập gì từ tệp loi.yaml: tệp có 1 lỗi.",
				"• tệp trống: không có nội dung YAML nào",
			},
		},
	}
	hs := newFileHarness(t)
	before, err := hs.st.Export(context.Background(), store.ExportFilter{Viewer: adminViewer})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs.upload(privateChat, adminUser, "loi.yaml", "", []byte(tt.file), "")
			steps := hs.steps()
			last := strings.TrimPrefix(steps[len(steps)-1], "EditMessageText: ")
			want := strings.Join(tt.want, "\n") + "\n\nSửa các lỗi trên rồi gửi lại tệp (gửi /template để lấy tệp mẫu)."
			if last != want {
				t.Errorf("reply:\n%s\nwant:\n%s", last, want)
			}
			if m := englishInReply.FindString(last); m != "" {
				t.Errorf("the reply keeps English (%q):\n%s", m, last)
			}
		})
	}
	after, err := hs.st.Export(context.Background(), store.ExportFilter{Viewer: adminViewer})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Directives) != len(before.Directives) || len(after.Units) != len(before.Units) {
		t.Errorf("files with errors imported something: %d directives and %d units, were %d and %d",
			len(after.Directives), len(after.Units), len(before.Directives), len(before.Units))
	}
}
