package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

// entryToday is the tests' day: Friday 10/05/2024 (testNow).
var entryToday = day(2024, 5, 10)

func TestParseDayInput(t *testing.T) {
	base := day(2024, 6, 30)
	tests := []struct {
		name       string
		text       string
		standingOK bool
		want       store.Date
		standing   bool
		problem    string // a part of the problem; "" for none
	}{
		{name: "dd/mm/yyyy", text: "31/05/2024", want: day(2024, 5, 31)},
		{name: "one digit", text: "7/6/2024", want: day(2024, 6, 7)},
		{name: "dashes", text: "07-06-2024", want: day(2024, 6, 7)},
		{name: "dots", text: "07.06.2024", want: day(2024, 6, 7)},
		{name: "ISO", text: "2024-06-07", want: day(2024, 6, 7)},
		{name: "no year: this year", text: "31/12", want: day(2024, 12, 31)},
		{name: "spaces", text: "  31/05/2024 ", want: day(2024, 5, 31)},
		{name: "today", text: "hôm nay", want: entryToday},
		{name: "today without diacritics", text: "hom nay", want: entryToday},
		{name: "tomorrow", text: "Ngày mai", want: day(2024, 5, 11)},
		{name: "plus days from base", text: "+7", want: day(2024, 7, 7)},
		{name: "plus days in words", text: "+ 15 ngày", want: day(2024, 7, 15)},
		{name: "after days", text: "sau 10 ngày", want: day(2024, 7, 10)},
		{name: "end of month: base is the last day, so the next month's", text: "cuối tháng", want: day(2024, 7, 31)},
		{name: "standing", text: "thường xuyên", standingOK: true, standing: true},
		{name: "standing abbreviated", text: "TX", standingOK: true, standing: true},
		{name: "standing where a day is needed", text: "thuong xuyen", problem: "cần một ngày cụ thể, ví dụ 31/05/2024"},
		{name: "31 April", text: "31/04/2024", problem: "Ngày “31/04/2024” không có thật: tháng 4/2024 chỉ có 30 ngày. Hãy gõ lại, ví dụ 30/04/2024."},
		{name: "29 February of a common year", text: "29/02/2025", problem: "tháng 2/2025 chỉ có 28 ngày"},
		{name: "29 February of a leap year", text: "29/02/2024", want: day(2024, 2, 29)},
		{name: "month 13", text: "12/13/2024", problem: "không có tháng 13"},
		{name: "two-digit year", text: "31/05/24", problem: "cần đủ 4 chữ số"},
		{name: "day 0", text: "0/05/2024", problem: "chỉ có 31 ngày"},
		{name: "words", text: "thứ hai tuần sau", problem: "Không hiểu ngày “thứ hai tuần sau”. Hãy gõ ngày dạng dd/mm/yyyy, ví dụ 31/05/2024."},
		{name: "empty", text: "", problem: "Không hiểu ngày"},
		{name: "year out of range", text: "01/01/0999", problem: "Năm 999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, standing, prob := parseDayInput(tt.text, entryToday, base, tt.standingOK)
			if tt.problem != "" {
				if !strings.Contains(prob, tt.problem) {
					t.Errorf("problem = %q, want it to contain %q", prob, tt.problem)
				}
				return
			}
			if prob != "" || got != tt.want || standing != tt.standing {
				t.Errorf("= %v, %v, %q; want %v, %v", got, standing, prob, tt.want, tt.standing)
			}
		})
	}
}

func TestParseClockAndWhen(t *testing.T) {
	clocks := []struct{ text, want string }{
		{"08:00", "08:00"}, {"8:05", "08:05"}, {"8h", "08:00"}, {"14h30", "14:30"}, {"14 giờ", "14:00"}, {"7g30", "07:30"},
		{"24:00", ""}, {"8:60", ""}, {"tám giờ", ""}, {"", ""},
	}
	for _, tt := range clocks {
		got, prob := parseClock(tt.text)
		if got != tt.want || (tt.want == "") != (prob != "") {
			t.Errorf("parseClock(%q) = %q, %q; want %q", tt.text, got, prob, tt.want)
		}
	}
	whens := []struct {
		text, day, clock, problem string
	}{
		{text: "15/05/2024 14:00", day: "2024-05-15", clock: "14:00"},
		{text: "15/05/2024 lúc 8h30", day: "2024-05-15", clock: "08:30"},
		{text: "15/05/2024 14 giờ", day: "2024-05-15", clock: "14:00"},
		{text: "15/05/2024", day: "2024-05-15"},
		{text: "ngày mai 07:30", day: "2024-05-11", clock: "07:30"},
		{text: "31/04/2024 08:00", problem: "chỉ có 30 ngày"},
		{text: "15/05/2024 25:00", problem: "Không hiểu ngày"},
	}
	for _, tt := range whens {
		d, c, prob := parseWhen(tt.text, entryToday)
		if tt.problem != "" {
			if !strings.Contains(prob, tt.problem) {
				t.Errorf("parseWhen(%q) problem %q, want %q", tt.text, prob, tt.problem)
			}
			continue
		}
		if d != tt.day || c != tt.clock || prob != "" {
			t.Errorf("parseWhen(%q) = %q, %q, %q; want %q, %q", tt.text, d, c, prob, tt.day, tt.clock)
		}
	}
}

func TestParsePeriodAndYear(t *testing.T) {
	tests := []struct {
		text    string
		period  string
		vision  int
		problem string
	}{
		{text: "2020-2025", period: "2020-2025"},
		{text: "2020 – 2025", period: "2020-2025"},
		{text: "giai đoạn 2020 đến 2025", period: "2020-2025"},
		{text: "2024", period: "2024-"},
		{text: "từ năm 2024", period: "2024-"},
		{text: "2020-2025, tầm nhìn 2030", period: "2020-2025", vision: 2030},
		{text: "2020 - 2025 tầm nhìn đến năm 2030", period: "2020-2025", vision: 2030},
		{text: "2025-2020", problem: "Năm kết thúc 2020 trước năm bắt đầu 2025."},
		{text: "2020-2025, tầm nhìn 2024", problem: "Tầm nhìn 2024"},
		{text: "năm năm", problem: "Không hiểu giai đoạn"},
		{text: "20-25", problem: "Không hiểu giai đoạn"},
	}
	for _, tt := range tests {
		p, v, prob := parsePeriod(tt.text)
		if tt.problem != "" {
			if !strings.Contains(prob, tt.problem) {
				t.Errorf("parsePeriod(%q) problem %q, want %q", tt.text, prob, tt.problem)
			}
			continue
		}
		if p != tt.period || v != tt.vision || prob != "" {
			t.Errorf("parsePeriod(%q) = %q, %d, %q; want %q, %d", tt.text, p, v, prob, tt.period, tt.vision)
		}
	}
	if s, e := periodOf("2020-"); s != 2020 || e != 0 {
		t.Errorf("periodOf(2020-) = %d, %d", s, e)
	}
	for text, want := range map[string]int{"2030": 2030, "năm 2030": 2030, "30": 0, "3000": 0} {
		if got, _ := parseYear(text); got != want {
			t.Errorf("parseYear(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestSplitPerson(t *testing.T) {
	tests := []struct{ text, name, position string }{
		{"Nguyễn Văn Sơn", "Nguyễn Văn Sơn", ""},
		{"Nguyễn Văn Sơn, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", "Nguyễn Văn Sơn", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"},
		{"Nguyễn Văn Sơn – Chủ tịch UBND tỉnh", "Nguyễn Văn Sơn", "Chủ tịch UBND tỉnh"},
		{"Nguyễn Văn Sơn - Chủ tịch", "Nguyễn Văn Sơn", "Chủ tịch"},
	}
	for _, tt := range tests {
		if n, p := splitPerson(tt.text); n != tt.name || p != tt.position {
			t.Errorf("splitPerson(%q) = %q, %q; want %q, %q", tt.text, n, p, tt.name, tt.position)
		}
	}
}

func TestSplitExtendArgs(t *testing.T) {
	tests := []struct{ args, ref, day, reason string }{
		{"3 30/06/2024", "3", "30/06/2024", ""},
		{"3 30/06/2024 chờ ý kiến phía bạn", "3", "30/06/2024", "chờ ý kiến phía bạn"},
		{"15/CT-UBND +15 ngày lý do: mưa lũ", "15/CT-UBND", "+15 ngày", "mưa lũ"},
		{"HNXM-2024/03 thường xuyên", "HNXM-2024/03", "thường xuyên", ""},
		{"3 cuối tháng - đợi hồ sơ", "3", "cuối tháng", "đợi hồ sơ"},
		{"3 | 30/06/2024 | vì mưa lũ", "3", "30/06/2024", "mưa lũ"},
		{"3 30/06/2024 việc bàn giao chậm", "3", "30/06/2024", "việc bàn giao chậm"},
		{"3 30/06/2024 viện kiểm sát chưa trả lời", "3", "30/06/2024", "viện kiểm sát chưa trả lời"},
		{"3 30/06/2024 vi: mưa lũ", "3", "30/06/2024", "mưa lũ"},
		{"15/CT-UBND thường xuyên | không còn hạn", "15/CT-UBND", "thường xuyên", "không còn hạn"},
		{"3", "3", "", ""},
		{"3 ngày-mai-nhé", "3", "ngày-mai-nhé", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		ref, d, reason := splitExtendArgs(tt.args)
		if ref != tt.ref || d != tt.day || reason != tt.reason {
			t.Errorf("splitExtendArgs(%q) = %q, %q, %q; want %q, %q, %q", tt.args, ref, d, reason, tt.ref, tt.day, tt.reason)
		}
	}
}

func TestParseEditTarget(t *testing.T) {
	tests := []struct {
		args string
		sp   *entrySpec
		ref  string
	}{
		{"3", directiveSpec, "3"},
		{"15/CT-UBND", directiveSpec, "15/CT-UBND"},
		{"chỉ đạo 3", directiveSpec, "3"},
		{"họp 2", meetingSpec, "2"},
		{"cuoc hop 2", meetingSpec, "2"},
		{"chương trình de-an-hop-tac", programSpec, "de-an-hop-tac"},
		{"ct 1", programSpec, "1"},
	}
	for _, tt := range tests {
		sp, ref := parseEditTarget(tt.args)
		if sp != tt.sp || ref != tt.ref {
			t.Errorf("parseEditTarget(%q) = %s, %q; want %s, %q", tt.args, sp.cmd, ref, tt.sp.cmd, tt.ref)
		}
	}
}

func TestParseForm(t *testing.T) {
	tests := []struct {
		name    string
		sp      *entrySpec
		text    string
		data    map[string]string
		refs    []string
		problem string
	}{
		{name: "the brief's directive", sp: directiveSpec,
			text: "HNXM-2024/08 | Tuần tra khu vực mốc 200 | hạn 30/06/2024 | đơn vị chủ trì: xin-man, meo-vac | phối hợp: bdbp",
			data: map[string]string{"code": "HNXM-2024/08", "title": "Tuần tra khu vực mốc 200", "deadline": "2024-06-30"},
			refs: []string{"lead", "support"}},
		{name: "labels in any order, without diacritics", sp: directiveSpec,
			text: "chu tri: XM | Tuần tra | han: thuong xuyen | ky hieu: CD-1 | nguoi chi dao: Nguyễn Văn Sơn, Chủ tịch UBND tỉnh | ngay 17/04/2024",
			data: map[string]string{"code": "CD-1", "title": "Tuần tra", "deadline": "standing", "issuer": "Nguyễn Văn Sơn", "ipos": "Chủ tịch UBND tỉnh", "issued": "2024-04-17"},
			refs: []string{"lead"}},
		{name: "a lone unlabelled part is the title", sp: directiveSpec, text: "Tuần tra khu vực mốc 200 | hạn +30",
			data: map[string]string{"title": "Tuần tra khu vực mốc 200", "deadline": "2024-06-09"}},
		{name: "a title may hold a colon", sp: directiveSpec, text: "KL-5 | Kết luận: tăng cường tuần tra",
			data: map[string]string{"code": "KL-5", "title": "Kết luận: tăng cường tuần tra"}},
		{name: "a title starting like a label", sp: directiveSpec, text: "KL-6 | Hạn chế khai thác khoáng sản",
			data: map[string]string{"code": "KL-6", "title": "Hạn chế khai thác khoáng sản"}},
		{name: "meeting and program by reference", sp: directiveSpec, text: "KL-7 | Việc | cuộc họp: 1 | chương trình: de-an-hop-tac",
			data: map[string]string{"code": "KL-7", "title": "Việc"}, refs: []string{"meeting", "program"}},
		{name: "an impossible deadline", sp: directiveSpec, text: "KL-8 | Việc | hạn 31/04/2024",
			problem: "Phần 3 (“hạn 31/04/2024”): Ngày “31/04/2024” không có thật: tháng 4/2024 chỉ có 30 ngày."},
		{name: "a deadline that is no day", sp: directiveSpec, text: "KL-8 | Việc | hạn: sớm",
			problem: "Phần 3 (“hạn: sớm”): Không hiểu ngày “sớm”."},
		{name: "too many unlabelled parts", sp: directiveSpec, text: "KL-9 | Việc | thêm một phần",
			problem: "Phần 3 (“thêm một phần”): không rõ là mục nào."},
		{name: "a field twice", sp: directiveSpec, text: "KL-9 | Việc | hạn 30/06/2024 | thời hạn: 01/07/2024",
			problem: "Phần 4 (“thời hạn: 01/07/2024”): mục “Thời hạn” đã có ở phần 3."},
		{name: "a label without a value", sp: directiveSpec, text: "KL-9 | Việc | phối hợp:",
			problem: "Phần 3 (“phối hợp:”): thiếu giá trị sau nhãn."},
		{name: "a title too long", sp: directiveSpec, text: "KL-9 | " + strings.Repeat("a", 501),
			problem: "dài 501 ký tự, tối đa 500."},
		{name: "the brief's meeting", sp: meetingSpec, text: "Giao ban quý II | 15/05/2024 14:00 | Bộ Chỉ huy BĐBP tỉnh | đơn vị dự: bdbp, xin-man",
			data: map[string]string{"title": "Giao ban quý II", "date": "2024-05-15", "time": "14:00", "place": "Bộ Chỉ huy BĐBP tỉnh"}, refs: []string{"att"}},
		{name: "meeting chair with position", sp: meetingSpec, text: "Sơ kết | ngày 20/06/2024 | chủ trì: Nguyễn Văn Sơn, Chủ tịch UBND tỉnh | tổ chức: ubnd-tinh | link: https://example.org/a",
			data: map[string]string{"title": "Sơ kết", "date": "2024-06-20", "chair": "Nguyễn Văn Sơn", "cpos": "Chủ tịch UBND tỉnh", "url": "https://example.org/a"}, refs: []string{"org"}},
		{name: "meeting at a bad time", sp: meetingSpec, text: "Sơ kết | 20/06/2024 | giờ: 25:00",
			problem: "Phần 3 (“giờ: 25:00”): Giờ “25:00” không hợp lệ."},
		{name: "the program", sp: programSpec, text: "Con nuôi đồn Biên phòng | mo hinh | 2024-2030 | tầm nhìn 2035 | chủ trì: bdbp",
			data: map[string]string{"name": "Con nuôi đồn Biên phòng", "kind": "mô hình", "period": "2024-2030", "vision": "2035"}, refs: []string{"owner"}},
		{name: "program period with vision", sp: programSpec, text: "Đề án | giai đoạn: 2020-2025, tầm nhìn 2030",
			data: map[string]string{"name": "Đề án", "period": "2020-2025", "vision": "2030"}},
		{name: "program vision bad", sp: programSpec, text: "Đề án | tầm nhìn: sau này",
			problem: "Phần 2 (“tầm nhìn: sau này”): Năm “sau này” không hợp lệ."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fv, prob := tt.sp.parseForm(tt.text, entryToday)
			if tt.problem != "" {
				if prob == nil || !strings.Contains(prob.String(), tt.problem) {
					t.Fatalf("problem = %v, want it to contain %q", prob, tt.problem)
				}
				return
			}
			if prob != nil {
				t.Fatalf("problem %q", prob.String())
			}
			if diff := cmp.Diff(tt.data, fv.data); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.refs, fv.refs); diff != "" {
				t.Errorf("refs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveForm(t *testing.T) {
	hs := newEntryHarness(t, true)
	ctx := context.Background()
	tests := []struct {
		name    string
		sp      *entrySpec
		text    string
		want    map[string]string // some of the data
		problem string
	}{
		{name: "units by code, alias and name", sp: directiveSpec, text: "X-1 | Việc | chủ trì: xin-man, MV; Huyện ủy Đồng Văn | phối hợp: BĐBP",
			want: map[string]string{"lead": "xin-man,meo-vac,dong-van", "support": "bdbp"}},
		{name: "a unit by words of its name", sp: directiveSpec, text: "X-1 | Việc | chủ trì: huyen uy hoang su",
			want: map[string]string{"lead": "hoang-su-phi"}},
		{name: "an ambiguous unit", sp: directiveSpec, text: "X-1 | Việc | chủ trì: huyen uy",
			problem: "Phần 3 (“chủ trì: huyen uy”): “huyen uy” khớp với 7 đơn vị: "},
		{name: "an unknown unit", sp: directiveSpec, text: "X-1 | Việc | chủ trì: xin-man, sao hoả",
			problem: "Không tìm thấy đơn vị “sao hoả”."},
		{name: "a unit both leading and co-operating", sp: directiveSpec, text: "X-1 | Việc | chủ trì: xin-man | phối hợp: XM",
			problem: "Phần 4 (“phối hợp: XM”): đơn vị “xin-man” đã là đơn vị chủ trì."},
		{name: "a code in use", sp: directiveSpec, text: "HNXM-2024/03 | Việc",
			problem: "Phần 1 (“HNXM-2024/03”): Ký hiệu “HNXM-2024/03” đã dùng cho chỉ đạo số 3"},
		{name: "a meeting by number, a program by code", sp: directiveSpec, text: "X-1 | Việc | cuộc họp: 2 | chương trình: con-nuoi",
			want: map[string]string{"meeting": "giao-ban-q2", auxMeetingTitle: "Giao ban công tác biên phòng quý II/2024", "program": "con-nuoi", auxProgramName: "Con nuôi đồn Biên phòng"}},
		{name: "a meeting by words", sp: directiveSpec, text: "X-1 | Việc | cuộc họp: giao ban",
			want: map[string]string{"meeting": "giao-ban-q2"}},
		{name: "an unknown meeting number", sp: directiveSpec, text: "X-1 | Việc | cuộc họp: 99",
			problem: "không có cuộc họp số 99"},
		{name: "a program by words", sp: directiveSpec, text: "X-1 | Việc | chương trình: xuân biên phòng",
			want: map[string]string{"program": "xuan-bien-phong"}},
		{name: "one organiser only", sp: meetingSpec, text: "Họp | 20/05/2024 | tổ chức: bdbp, xin-man",
			problem: "Phần 3 (“tổ chức: bdbp, xin-man”): chỉ chọn một đơn vị."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fv, prob := tt.sp.parseForm(tt.text, entryToday)
			if prob != nil {
				t.Fatalf("parse: %s", prob.String())
			}
			prob, err := hs.h.resolveForm(ctx, tt.sp, fv)
			if err != nil {
				t.Fatal(err)
			}
			if tt.problem != "" {
				if prob == nil || !strings.Contains(prob.String(), tt.problem) {
					t.Fatalf("problem = %v, want it to contain %q", prob, tt.problem)
				}
				return
			}
			if prob != nil {
				t.Fatalf("problem %q", prob.String())
			}
			for k, v := range tt.want {
				if fv.data[k] != v {
					t.Errorf("%s = %q, want %q", k, fv.data[k], v)
				}
			}
		})
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ s, want string }{
		{"Giao ban công tác biên phòng quý II/2024", "giao-ban-cong-tac-bien-phong-quy-ii-2024"},
		{"Đồng hành cùng phụ nữ biên cương", "dong-hanh-cung-phu-nu-bien-cuong"},
		{"!!!", "hop"},
		{strings.Repeat("abcdefghij ", 10), "abcdefghij-abcdefghij-abcdefghij"},
	}
	for _, tt := range tests {
		if got := slug(tt.s, 40, "hop"); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
