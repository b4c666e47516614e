package demo_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/demo"
	"meetbot/importer"
	"meetbot/store"
	"meetbot/store/storetest"
)

// fixedNow is 01:30 on 14/05/2026 in Vietnam, still 13/05 in UTC: the
// demo must count days in the office's zone.
var fixedNow = time.Date(2026, 5, 13, 18, 30, 0, 0, time.UTC)

func load(t *testing.T) (*store.Dataset, store.Date) {
	t.Helper()
	loc := storetest.Loc
	ds, err := demo.Dataset(fixedNow, loc)
	if err != nil {
		t.Fatalf("Dataset: %v", err)
	}
	return ds, store.DateIn(fixedNow, loc)
}

var borderUnits = []string{"bdbp", "dong-van", "meo-vac", "yen-minh", "quan-ba", "vi-xuyen", "hoang-su-phi", "xin-man"}

func TestDatasetValidates(t *testing.T) {
	loc := storetest.Loc
	tests := []struct {
		name string
		now  time.Time
		loc  *time.Location
	}{
		{name: "fixed", now: fixedNow, loc: loc},
		{name: "new year's eve", now: time.Date(2026, 12, 31, 23, 59, 0, 0, loc), loc: loc},
		{name: "leap day in UTC", now: time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), loc: time.UTC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := demo.Dataset(tt.now, tt.loc)
			if err != nil {
				t.Fatalf("Dataset: %v", err)
			}
			if err := ds.Validate(tt.loc); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

// The rendered file is an import file like any other.
func TestYAMLIsAnImportFile(t *testing.T) {
	loc := storetest.Loc
	b, err := demo.YAML(fixedNow, loc)
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	if bytes.Contains(b, []byte("{{")) {
		t.Errorf("rendered YAML still has template actions")
	}
	got, err := importer.Load(bytes.NewReader(b), importer.FormatYAML, loc)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want, _ := load(t)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-Dataset +Load(YAML)):\n%s", diff)
	}
}

func TestUnits(t *testing.T) {
	ds, _ := load(t)
	type unit struct {
		Name, Parent string
		Kind         store.UnitKind
	}
	want := map[string]unit{
		"tinh-uy":      {Name: "Tỉnh ủy Hà Giang", Kind: store.KindProvince},
		"ubnd-tinh":    {Name: "UBND tỉnh Hà Giang", Kind: store.KindProvince},
		"bdbp":         {Name: "Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang", Kind: store.KindBorderGuard, Parent: "tinh-uy"},
		"dong-van":     {Name: "Huyện ủy Đồng Văn", Kind: store.KindDistrict, Parent: "tinh-uy"},
		"meo-vac":      {Name: "Huyện ủy Mèo Vạc", Kind: store.KindDistrict, Parent: "tinh-uy"},
		"yen-minh":     {Name: "Huyện ủy Yên Minh", Kind: store.KindDistrict, Parent: "tinh-uy"},
		"quan-ba":      {Name: "Huyện ủy Quản Bạ", Kind: store.KindDistrict, Parent: "tinh-uy"},
		"vi-xuyen":     {Name: "Huyện ủy Vị Xuyên", Kind: store.KindDistrict, Parent: "tinh-uy"},
		"hoang-su-phi": {Name: "Huyện ủy Hoàng Su Phì", Kind: store.KindDistrict, Parent: "tinh-uy"},
		"xin-man":      {Name: "Huyện ủy Xín Mần", Kind: store.KindDistrict, Parent: "tinh-uy"},
	}
	got := map[string]unit{}
	aliases := map[string][]string{}
	for _, u := range ds.Units {
		got[u.Code] = unit{Name: u.Name, Kind: u.Kind, Parent: u.Parent}
		aliases[u.Code] = u.Aliases
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}

	// Aliases with and without diacritics, and abbreviations.
	for code, want := range map[string][]string{
		"bdbp":         {"BĐBP", "BDBP", "biên phòng"},
		"meo-vac":      {"MV", "meo vac", "Mèo Vạc"},
		"dong-van":     {"Đồng Văn", "dong van", "ĐV"},
		"hoang-su-phi": {"HSP", "hoang su phi"},
		"xin-man":      {"XM", "xin man", "Xín Mần"},
		"ubnd-tinh":    {"UBND tỉnh", "ubnd tinh"},
	} {
		for _, a := range want {
			if !slices.Contains(aliases[code], a) {
				t.Errorf("unit %s: aliases %q lack %q", code, aliases[code], a)
			}
		}
	}

	// Every name and alias, folded, points at one unit only, so what a
	// user types resolves without doubt.
	owner := map[string]string{}
	for _, u := range ds.Units {
		for _, s := range append([]string{u.Name, u.Code}, u.Aliases...) {
			f := store.Fold(s)
			if prev, ok := owner[f]; ok && prev != u.Code {
				t.Errorf("%q (folded %q) names both %s and %s", s, f, prev, u.Code)
			}
			owner[f] = u.Code
		}
	}
}

func TestMeetingFacts(t *testing.T) {
	ds, _ := load(t)
	var m *store.MeetingRecord
	for i := range ds.Meetings {
		if ds.Meetings[i].Key == demo.MeetingKey {
			m = &ds.Meetings[i]
		}
	}
	if m == nil {
		t.Fatalf("no meeting %q", demo.MeetingKey)
	}
	start, err := store.ParseTime(m.StartsAt, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 4, 17, 8, 0, 0, 0, storetest.Loc); !start.Equal(want) {
		t.Errorf("starts at %v, want %v", start, want)
	}
	checks := []struct {
		name, got, want string
	}{
		{"title", m.Title, "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp giữa Đảng ủy Bộ đội Biên phòng tỉnh với Huyện ủy 7 huyện biên giới của tỉnh Hà Giang năm 2023"},
		{"chair", m.ChairName, "Nguyễn Văn Sơn"},
		{"chair position", m.ChairPosition, "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"},
		{"organiser", m.Organiser, "bdbp"},
		{"source url", m.SourceURL, ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	contains := []struct {
		name, text string
		want       []string
	}{
		{"place", m.Place, []string{"huyện Xín Mần"}},
		{"source", m.Source, []string{"Đài Phát thanh và Truyền hình Hà Giang", "18/04/2024"}},
		{"note", m.Note, []string{"08:00", "giờ mẫu"}},
		{"summary", m.Summary, []string{
			"2023", "chủ quyền", "an ninh biên giới", "đồn Biên phòng", "xuất cảnh, nhập cảnh",
			"tiếp nhận và trao trả người", "cứu nạn", "cháy rừng", "đối ngoại Biên phòng",
			"15 cụm xã, thị trấn biên giới Việt Nam với các hương, trấn biên giới Trung Quốc",
			"5 cụm thôn, bản hai bên biên giới",
		}},
	}
	for _, c := range contains {
		for _, w := range c.want {
			if !strings.Contains(c.text, w) {
				t.Errorf("%s %q lacks %q", c.name, c.text, w)
			}
		}
	}
	if diff := cmp.Diff(borderUnits, m.Attendees); diff != "" {
		t.Errorf("attendees (-want +got):\n%s", diff)
	}
}

func TestSampleMeeting(t *testing.T) {
	ds, _ := load(t)
	loc := storetest.Loc
	if len(ds.Meetings) != 2 {
		t.Fatalf("%d meetings, want the article's and one sample", len(ds.Meetings))
	}
	m := ds.Meetings[1]
	if !strings.Contains(m.Title, "(dữ liệu mẫu)") || !strings.Contains(m.Note, "mẫu") {
		t.Errorf("sample meeting %q (note %q) is not marked as a sample", m.Title, m.Note)
	}
	start, err := store.ParseTime(m.StartsAt, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 5, 16, 8, 0, 0, 0, loc); !start.Equal(want) {
		t.Errorf("sample meeting starts %v, want %v (two days after today in Vietnam)", start.In(loc), want)
	}
	if m.ChairName != "" {
		t.Errorf("sample meeting names a chair %q; people are not invented", m.ChairName)
	}
}

func TestPrograms(t *testing.T) {
	ds, _ := load(t)
	want := map[string]string{ // name → kind
		"Chung tay vì người nghèo - không để ai bị bỏ lại phía sau": "chương trình",
		"Xuân Biên phòng ấm lòng dân bản":                           "chương trình",
		"Cán bộ chiến sĩ quân đội nâng bước em tới trường":          "dự án",
		"Con nuôi đồn Biên phòng":                                   "mô hình",
		"Đồng hành cùng phụ nữ biên cương":                          "mô hình",
		"Chương trình của Tỉnh ủy về cải tạo vườn tạp":              "chương trình",
		"Chương trình của Tỉnh ủy về bài trừ hủ tục lạc hậu":        "chương trình",
		"Nâng cao hiệu quả hợp tác giữa tỉnh Hà Giang với tỉnh Vân Nam và khu tự trị dân tộc Choang, Quảng Tây, Trung Quốc giai đoạn 2020 - 2025, tầm nhìn 2030": "đề án",
	}
	got := map[string]string{}
	for _, p := range ds.Programs {
		got[p.Name] = p.Kind
		switch {
		case strings.HasPrefix(p.Name, "Nâng cao hiệu quả hợp tác"):
			if p.StartYear != 2020 || p.EndYear != 2025 || p.VisionYear != 2030 {
				t.Errorf("project period %d–%d, vision %d; want 2020–2025, 2030", p.StartYear, p.EndYear, p.VisionYear)
			}
		case strings.HasPrefix(p.Name, "Chương trình của Tỉnh ủy"):
			if p.Owner != "tinh-uy" {
				t.Errorf("%q owner %q, want tinh-uy", p.Name, p.Owner)
			}
		default:
			if p.Owner != "" || p.StartYear != 0 {
				t.Errorf("%q has owner %q, start %d; the article gives neither", p.Name, p.Owner, p.StartYear)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("programs (-want +got):\n%s", diff)
	}
}

func TestDirectives(t *testing.T) {
	ds, today := load(t)
	if len(ds.Directives) != 7 {
		t.Fatalf("%d directives, want 7", len(ds.Directives))
	}
	for _, d := range ds.Directives {
		if d.IssuerName != "Nguyễn Văn Sơn" || !strings.Contains(d.IssuerPosition, "Chủ tịch UBND tỉnh") {
			t.Errorf("%s issued by %q, %q", d.Code, d.IssuerName, d.IssuerPosition)
		}
		if d.IssuedOn != store.NewDate(2024, 4, 17) || d.Meeting != demo.MeetingKey {
			t.Errorf("%s issued %v at %q, want 2024-04-17 at %s", d.Code, d.IssuedOn, d.Meeting, demo.MeetingKey)
		}
		var units []string
		for _, a := range d.Assignments {
			units = append(units, a.Unit)
			if a.Role != store.RoleLead && a.Role != store.RoleSupport {
				t.Errorf("%s/%s: role %q", d.Code, a.Unit, a.Role)
			}
			if a.CompletedOn.After(today) {
				t.Errorf("%s/%s completed in the future (%v)", d.Code, a.Unit, a.CompletedOn)
			}
		}
		slices.Sort(units)
		if want := slices.Sorted(slices.Values(borderUnits)); !slices.Equal(units, want) {
			t.Errorf("%s assigned to %q, want the 8 border units", d.Code, units)
		}
		switch {
		case !d.Deadline.IsZero() && !strings.Contains(d.DeadlineNote, "Hạn mẫu"):
			t.Errorf("%s: deadline %v without the sample note (note %q)", d.Code, d.Deadline, d.DeadlineNote)
		case d.Deadline.IsZero() && !strings.Contains(d.DeadlineNote, "thường xuyên"):
			t.Errorf("%s: standing directive without the note saying so (%q)", d.Code, d.DeadlineNote)
		}
		wantProgram := ""
		if d.Code == "HNXM-2024/04" {
			wantProgram = "de-an-hop-tac-van-nam-quang-tay"
		}
		if d.Program != wantProgram {
			t.Errorf("%s program %q, want %q", d.Code, d.Program, wantProgram)
		}
	}
}

// state is the status of an assignment, with pending split by how far
// the deadline is.
type state string

const (
	overdue     state = "overdue"
	dueThisWeek state = "pending ≤7 days"
	dueLater    state = "pending later"
	doneOnTime  state = "done on time"
	doneLate    state = "done late"
	ongoing     state = "ongoing"
)

func stateOf(deadline, completed, today store.Date) state {
	switch store.StatusAt(deadline, completed, today) {
	case store.StatusOverdue:
		return overdue
	case store.StatusPending:
		if today.DaysUntil(deadline) <= 7 {
			return dueThisWeek
		}
		return dueLater
	case store.StatusDoneOnTime:
		return doneOnTime
	case store.StatusDoneLate:
		return doneLate
	default:
		return ongoing
	}
}

// The layout documented in the package comment.
func TestStatusLayout(t *testing.T) {
	ds, today := load(t)
	all := func(s state) map[string]state {
		m := map[string]state{}
		for _, u := range borderUnits {
			m[u] = s
		}
		return m
	}
	with := func(m map[string]state, kv ...any) map[string]state {
		m = maps.Clone(m)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(state)
		}
		return m
	}
	want := map[string]map[string]state{
		"HNXM-2024/01": with(all(doneOnTime), "hoang-su-phi", doneLate),
		"HNXM-2024/02": all(ongoing),
		"HNXM-2024/03": all(dueThisWeek),
		"HNXM-2024/04": with(all(dueLater), "quan-ba", doneOnTime),
		"HNXM-2024/05": with(all(doneOnTime), "meo-vac", overdue, "quan-ba", overdue, "hoang-su-phi", overdue, "dong-van", doneLate, "vi-xuyen", doneLate),
		"HNXM-2024/06": all(ongoing),
		"HNXM-2024/07": all(ongoing),
	}
	got := map[string]map[string]state{}
	counts := map[state]int{}
	for _, d := range ds.Directives {
		got[d.Code] = map[string]state{}
		for _, a := range d.Assignments {
			s := stateOf(d.Deadline, a.CompletedOn, today)
			got[d.Code][a.Unit] = s
			counts[s]++
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status per directive and unit (-want +got):\n%s", diff)
	}
	for _, s := range []state{overdue, dueThisWeek, dueLater, doneOnTime, doneLate, ongoing} {
		if counts[s] == 0 {
			t.Errorf("no assignment is %s; counts %v", s, counts)
		}
	}
}

// Reports fall between the issue day and today; an assignment's reports
// precede its completion.
func TestReportsAreConsistent(t *testing.T) {
	ds, today := load(t)
	loc := storetest.Loc
	end := today.AddDays(1).Start(loc)
	for _, d := range ds.Directives {
		for _, a := range d.Assignments {
			for _, r := range a.Reports {
				at, err := store.ParseTime(r.At, loc)
				if err != nil {
					t.Fatal(err)
				}
				if !at.Before(end) || at.Before(d.IssuedOn.Start(loc)) {
					t.Errorf("%s/%s: report at %v outside [issue day, today]", d.Code, a.Unit, at.In(loc))
				}
				if !a.CompletedOn.IsZero() && store.DateIn(at, loc).After(a.CompletedOn) {
					t.Errorf("%s/%s: report at %v after completion on %v", d.Code, a.Unit, at.In(loc), a.CompletedOn)
				}
				if r.Percent <= 0 || r.Percent >= 100 {
					t.Errorf("%s/%s: report of %d%%", d.Code, a.Unit, r.Percent)
				}
			}
		}
	}
}
