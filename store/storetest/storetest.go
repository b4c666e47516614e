package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

// Opener returns a fresh, empty store for one test, configured with Loc
// as the office's time zone and Now as its clock, closed by t.Cleanup.
type Opener func(t *testing.T) store.Store

// Run runs the contract tests against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"ImportIdempotent", testImportIdempotent},
		{"ImportUpdates", testImportUpdates},
		{"ImportRefersToStored", testImportRefersToStored},
		{"ImportInvalidChangesNothing", testImportInvalid},
		{"ImportKeepsProgress", testImportKeepsProgress},
		{"Units", testUnits},
		{"FindUnits", testFindUnits},
		{"Meetings", testMeetings},
		{"DirectiveStatus", testDirectiveStatus},
		{"DirectiveFilters", testDirectiveFilters},
		{"DirectivePaging", testDirectivePaging},
		{"DirectiveDetail", testDirectiveDetail},
		{"Programs", testPrograms},
		{"SearchRanking", testSearchRanking},
		{"SearchIsText", testSearchIsText},
		{"SearchPaging", testSearchPaging},
		{"SearchTotalCapped", testSearchTotalCapped},
		{"RecordProgress", testRecordProgress},
		{"NotFound", testNotFound},
	}
	for _, tc := range append(tests, officeTests...) {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			tc.fn(t, s)
		})
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func mustImport(t *testing.T, s store.Store, ds *store.Dataset) store.ImportResult {
	t.Helper()
	res, err := s.Import(ctx(t), ds, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

func loaded(t *testing.T, s store.Store) store.Store {
	t.Helper()
	mustImport(t, s, Fixture())
	return s
}

func unitID(t *testing.T, s store.Store, code string) int64 {
	t.Helper()
	us, err := s.FindUnits(ctx(t), code)
	if err != nil || len(us) != 1 {
		t.Fatalf("FindUnits(%q) = %v, %v; want one unit", code, us, err)
	}
	return us[0].ID
}

func directive(t *testing.T, s store.Store, code string) store.Directive {
	t.Helper()
	d, err := s.DirectiveByCode(ctx(t), code)
	if err != nil {
		t.Fatalf("DirectiveByCode(%q): %v", code, err)
	}
	return d
}

func codes(ds []store.Directive) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func testImportIdempotent(t *testing.T, s store.Store) {
	first := mustImport(t, s, Fixture())
	want := store.ImportResult{
		Units:      store.ImportCounts{Created: 6},
		Programs:   store.ImportCounts{Created: 3},
		Meetings:   store.ImportCounts{Created: 3},
		Directives: store.ImportCounts{Created: 5},
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first import (-want +got):\n%s", diff)
	}
	before := directive(t, s, "15/CT-UBND")
	second := mustImport(t, s, Fixture())
	want = store.ImportResult{
		Units:      store.ImportCounts{Unchanged: 6},
		Programs:   store.ImportCounts{Unchanged: 3},
		Meetings:   store.ImportCounts{Unchanged: 3},
		Directives: store.ImportCounts{Unchanged: 5},
	}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("second import (-want +got):\n%s", diff)
	}
	if second.Changed() {
		t.Error("second import reports a change")
	}
	after := directive(t, s, "15/CT-UBND")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("directive changed by a repeated import (-before +after):\n%s", diff)
	}
}

func testImportUpdates(t *testing.T, s store.Store) {
	loaded(t, s)
	ds := Fixture()
	ds.Directives[2].Title = "Hoàn thiện thủ tục mở lối thông quan Thanh Thủy – Thiên Bảo"
	ds.Directives[2].Assignments = append(ds.Directives[2].Assignments, store.AssignmentRecord{Unit: "dong-van"})
	ds.Meetings[0].Attendees = ds.Meetings[0].Attendees[:3]
	ds.Units[2].Aliases = append(ds.Units[2].Aliases, "Mèo Vạc cũ")
	res := mustImport(t, s, ds)
	if res.Directives.Updated != 1 || res.Meetings.Updated != 1 || res.Units.Updated != 1 {
		t.Errorf("import result = %+v; want one directive, one meeting and one unit updated", res)
	}
	d := directive(t, s, "HN-03")
	if d.Title != ds.Directives[2].Title || len(d.Assignments) != 3 {
		t.Errorf("directive after update = %q with %d units; want new title and 3 units", d.Title, len(d.Assignments))
	}
	hits, err := s.Search(ctx(t), store.SearchQuery{Text: "Thiên Bảo"})
	if err != nil || len(hits.Items) != 1 || hits.Items[0].Code != "HN-03" {
		t.Errorf("search after update = %+v, %v; want HN-03", hits.Items, err)
	}
	if us, _ := s.FindUnits(ctx(t), "meo vac cu"); len(us) != 1 {
		t.Errorf("FindUnits(new alias) = %v; want Mèo Vạc", us)
	}
}

// testImportRefersToStored: a dataset may name stored records it does not
// hold, in every kind of reference (a record saved from chat is such a
// dataset).
func testImportRefersToStored(t *testing.T, s store.Store) {
	loaded(t, s)
	mustImport(t, s, &store.Dataset{
		Units:    []store.UnitRecord{{Code: "don-moi", Name: "Đồn mới", Kind: store.KindBorderPost, Parent: "bdbp", Successor: "ubnd"}},
		Programs: []store.ProgramRecord{{Code: "ct-moi", Name: "Chương trình mới", Owner: "xin-man"}},
		Meetings: []store.MeetingRecord{{Key: "hop-moi", Title: "Họp mới", StartsAt: "2024-05-20 08:00", Organiser: "ubnd",
			Attendees: []string{"meo-vac", "don-moi"}}},
		Directives: []store.DirectiveRecord{{Code: "CD-MOI", Title: "Chỉ đạo mới", IssuedOn: Today, Meeting: "hn-xm-2024", Program: "hop-tac",
			Assignments: []store.AssignmentRecord{{Unit: "dong-van"}, {Unit: "don-moi"}}}},
	})
	u, err := s.Unit(ctx(t), unitID(t, s, "don-moi"))
	if err != nil || u.ParentID != unitID(t, s, "bdbp") || u.SuccessorID != unitID(t, s, "ubnd") {
		t.Errorf("new unit = %+v, %v; want parent bdbp and successor ubnd", u, err)
	}
	ps, err := s.Programs(ctx(t), store.ProgramFilter{Viewer: store.NewViewer(true), Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ps.Items, func(p store.Program) bool { return p.Code == "ct-moi" })
	if i < 0 || ps.Items[i].Owner.Code != "xin-man" {
		t.Errorf("programs = %+v; want ct-moi owned by xin-man", ps.Items)
	}
	ms, err := s.Meetings(ctx(t), store.MeetingFilter{Viewer: store.NewViewer(true), Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	i = slices.IndexFunc(ms.Items, func(m store.Meeting) bool { return m.Key == "hop-moi" })
	if i < 0 {
		t.Fatalf("meeting hop-moi not stored: %+v", ms.Items)
	}
	var attendees []string
	for _, a := range ms.Items[i].Attendees {
		attendees = append(attendees, a.Code)
	}
	if m := ms.Items[i]; m.Organiser.Code != "ubnd" || !slices.Equal(attendees, []string{"meo-vac", "don-moi"}) {
		t.Errorf("meeting hop-moi organised by %q, attended by %q; want ubnd and meo-vac, don-moi", m.Organiser.Code, attendees)
	}
	d := directive(t, s, "CD-MOI")
	var units []string
	for _, a := range d.Assignments {
		units = append(units, a.Unit.Code)
	}
	if d.MeetingID != directive(t, s, "HN-01").MeetingID || d.ProgramID != directive(t, s, "HN-03").ProgramID || !slices.Equal(units, []string{"dong-van", "don-moi"}) {
		t.Errorf("CD-MOI: meeting %d, program %d, units %q; want HN-01's meeting, HN-03's program, dong-van and don-moi", d.MeetingID, d.ProgramID, units)
	}
}

func testImportInvalid(t *testing.T, s store.Store) {
	loaded(t, s)
	ds := Fixture()
	ds.Directives[0].Title = "Changed, but the file has errors"
	ds.Directives = append(ds.Directives, store.DirectiveRecord{
		Code: "BAD-1", Title: "Bad", Meeting: "no-such-meeting",
		Assignments: []store.AssignmentRecord{{Unit: "no-such-unit"}},
	})
	ds.Programs = append(ds.Programs, store.ProgramRecord{Code: "p-bad", Name: "X", Owner: "nobody"})
	_, err := s.Import(ctx(t), ds, store.Actor{Name: "test"})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Import(bad) error = %v; want ErrInvalid", err)
	}
	es, ok := store.ImportErrorsOf(err)
	if !ok {
		t.Fatalf("error %v does not carry ImportErrors", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Record+" "+e.Field+" "+string(e.Problem)+" "+strings.Join(e.Args, ","))
	}
	want := []string{
		"programs[3] (p-bad) owner unknown unit,nobody",
		"directives[5] (BAD-1) meeting unknown meeting,no-such-meeting",
		"directives[5] (BAD-1) assignments[0].unit unknown unit,no-such-unit",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if d := directive(t, s, "HN-01"); d.Title == "Changed, but the file has errors" {
		t.Error("a failed import changed a record")
	}
	if _, err := s.DirectiveByCode(ctx(t), "BAD-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed import created a record (err %v)", err)
	}

	// Validation errors are reported before anything is written.
	bad := &store.Dataset{Directives: []store.DirectiveRecord{{Code: "", Title: "x"}}}
	if _, err := s.Import(ctx(t), bad, store.Actor{Name: "test"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Import(missing code) error = %v; want ErrInvalid", err)
	}
}

func testImportKeepsProgress(t *testing.T, s store.Store) {
	loaded(t, s)
	d := directive(t, s, "HN-03")
	if _, err := s.RecordProgress(ctx(t), store.ProgressInput{DirectiveID: d.ID, UnitID: unitID(t, s, "bdbp"), At: Now(), Percent: 30, Note: "Đang làm"}); err != nil {
		t.Fatal(err)
	}
	// The same file again keeps the report made in chat.
	mustImport(t, s, Fixture())
	d = directive(t, s, "HN-03")
	if d.Assignments[0].ReportCount != 1 || d.Assignments[0].Percent != 30 {
		t.Errorf("after re-import: %+v; want the chat report kept", d.Assignments[0])
	}
	// Removing a unit that has progress is refused, naming the record.
	ds := Fixture()
	ds.Directives[2].Assignments = ds.Directives[2].Assignments[1:]
	_, err := s.Import(ctx(t), ds, store.Actor{Name: "test"})
	es, _ := store.ImportErrorsOf(err)
	if len(es) != 1 || es[0].Record != "directives[2] (HN-03)" || es[0].Field != "assignments" ||
		es[0].Problem != store.ProblemHasProgress || len(es[0].Args) != 1 || es[0].Args[0] != "bdbp" {
		t.Errorf("removing a unit with progress: err = %v; want one error on directives[2] assignments", err)
	}
	// Removing a unit without progress is allowed.
	ds = Fixture()
	ds.Directives[2].Assignments = ds.Directives[2].Assignments[:1]
	mustImport(t, s, ds)
	if d := directive(t, s, "HN-03"); len(d.Assignments) != 1 {
		t.Errorf("after removing meo-vac: %d assignments; want 1", len(d.Assignments))
	}
}

func testUnits(t *testing.T, s store.Store) {
	loaded(t, s)
	us, err := s.Units(ctx(t), store.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	// Kind first, then Vietnamese order: Đồng Văn before Mèo Vạc and Xín Mần.
	want := []string{"UBND tỉnh Hà Giang", "Đảng ủy Bộ đội Biên phòng tỉnh", "Huyện ủy Đồng Văn", "Huyện ủy Mèo Vạc", "Huyện ủy Xín Mần"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Units (-want +got):\n%s", diff)
	}
	all, err := s.Units(ctx(t), store.UnitFilter{IncludeRetired: true})
	if err != nil || len(all) != 6 {
		t.Errorf("Units(retired) = %d units, %v; want 6", len(all), err)
	}
	mv := unitID(t, s, "meo-vac")
	u, err := s.Unit(ctx(t), mv)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"MV", "meo vac"}, u.Aliases); diff != "" || u.Kind != store.KindDistrict {
		t.Errorf("Unit(meo-vac) = %+v", u)
	}
}

func testFindUnits(t *testing.T, s store.Store) {
	loaded(t, s)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"code", "xin-man", []string{"xin-man"}},
		{"code with space", "xin man", []string{"xin-man"}},
		{"name exact", "Huyện ủy Mèo Vạc", []string{"meo-vac"}},
		{"name folded upper", "HUYEN UY MEO VAC", []string{"meo-vac"}},
		{"alias", "mv", []string{"meo-vac"}},
		{"alias with đ", "bdbp", []string{"bdbp"}},
		{"alias diacritics", "BĐBP", []string{"bdbp"}},
		{"words inside name", "đồng văn", []string{"dong-van"}},
		{"former name", "ủy ban hành chính tỉnh", []string{"ubnd"}},
		{"prefix", "huyen uy", []string{"dong-van", "meo-vac", "xin-man"}},
		{"retired last", "don vi", []string{"old-unit"}},
		{"none", "hà nội", nil},
		{"empty", "  ", nil},
		{"like syntax is text", "%", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			us, err := s.FindUnits(ctx(t), tc.text)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range us {
				got = append(got, u.Code)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindUnits(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func testMeetings(t *testing.T, s store.Store) {
	loaded(t, s)
	todayStart := Today.Start(Loc)
	up, err := s.Meetings(ctx(t), store.MeetingFilter{From: todayStart})
	if err != nil {
		t.Fatal(err)
	}
	if up.Total != 1 || up.Items[0].Title != "Họp triển khai nhiệm vụ tháng 6" {
		t.Errorf("upcoming = %+v", up)
	}
	past, err := s.Meetings(ctx(t), store.MeetingFilter{To: todayStart, Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if past.Total != 2 || past.Items[0].Key != "hn-xm-2024" || past.Items[1].Key != "hop-2023" {
		t.Errorf("past = %+v", past.Items)
	}
	m := past.Items[0]
	wantStart := time.Date(2024, 4, 17, 1, 0, 0, 0, time.UTC)
	if !m.StartsAt.Equal(wantStart) || m.StartsAt.Location() != time.UTC {
		t.Errorf("StartsAt = %v; want %v in UTC", m.StartsAt, wantStart)
	}
	if m.Organiser.Code != "bdbp" || len(m.Attendees) != 4 || m.Attendees[1].Name != "Huyện ủy Xín Mần" || m.DirectiveCount != 3 {
		t.Errorf("meeting = %+v", m)
	}
	// A unit's name as it was on the meeting day.
	if old := past.Items[1]; old.Organiser.Name != "Ủy ban hành chính tỉnh" {
		t.Errorf("organiser of the 2023 meeting = %q; want its former name", old.Organiser.Name)
	}
	april, err := s.Meetings(ctx(t), store.MeetingFilter{
		From: store.NewDate(2024, 4, 1).Start(Loc), To: store.NewDate(2024, 5, 1).Start(Loc)})
	if err != nil || april.Total != 1 {
		t.Errorf("April meetings = %+v, %v", april, err)
	}
	byUnit, err := s.Meetings(ctx(t), store.MeetingFilter{UnitID: unitID(t, s, "meo-vac")})
	if err != nil || byUnit.Total != 2 {
		t.Errorf("meetings of Mèo Vạc = %d, %v; want 2", byUnit.Total, err)
	}
	got, err := s.Meeting(ctx(t), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("Meeting(id) differs from the list item (-list +detail):\n%s", diff)
	}
}

func testDirectiveStatus(t *testing.T, s store.Store) {
	loaded(t, s)
	tests := []struct {
		code    string
		overall store.Status
		units   map[string]store.Status
	}{
		{"HN-01", store.StatusOngoing, map[string]store.Status{"bdbp": store.StatusOngoing}},
		{"15/CT-UBND", store.StatusOverdue, map[string]store.Status{
			"xin-man": store.StatusDoneOnTime, "meo-vac": store.StatusDoneLate, "dong-van": store.StatusOverdue}},
		{"HN-03", store.StatusPending, map[string]store.Status{"bdbp": store.StatusPending}},
		{"HN-04", store.StatusDoneOnTime, nil},
		{"GB-2023/07", store.StatusDoneLate, nil},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			d := directive(t, s, tc.code)
			if got := d.Status(Today); got != tc.overall {
				t.Errorf("overall status = %v; want %v", got, tc.overall)
			}
			for code, want := range tc.units {
				got, ok := d.UnitStatus(unitID(t, s, code), Today)
				if !ok || got != want {
					t.Errorf("status of %s = %v (assigned %v); want %v", code, got, ok, want)
				}
			}
		})
	}
	d := directive(t, s, "GB-2023/07")
	if d.Assignments[0].Unit.Name != "Ủy ban hành chính tỉnh" {
		t.Errorf("unit name on a 2023 directive = %q; want the name it had then", d.Assignments[0].Unit.Name)
	}
	if d.Assignments[0].Percent != 100 || !d.Assignments[0].Done() {
		t.Errorf("completed assignment = %+v; want done at 100%%", d.Assignments[0])
	}
}

func testDirectiveFilters(t *testing.T, s store.Store) {
	loaded(t, s)
	xm, dv := unitID(t, s, "xin-man"), unitID(t, s, "dong-van")
	tests := []struct {
		name string
		f    store.DirectiveFilter
		want []string
	}{
		{"all recent first", store.DirectiveFilter{}, []string{"HN-04", "HN-03", "15/CT-UBND", "HN-01", "GB-2023/07"}},
		{"overdue", store.DirectiveFilter{Status: store.SetOverdue, AsOf: Today}, []string{"15/CT-UBND"}},
		{"pending", store.DirectiveFilter{Status: store.SetPending, AsOf: Today}, []string{"HN-03"}},
		{"done", store.DirectiveFilter{Status: store.SetDone, AsOf: Today}, []string{"HN-04", "GB-2023/07"}},
		{"done late", store.DirectiveFilter{Status: store.SetDoneLate, AsOf: Today}, []string{"GB-2023/07"}},
		{"ongoing", store.DirectiveFilter{Status: store.SetOngoing, AsOf: Today}, []string{"HN-01"}},
		{"open urgent", store.DirectiveFilter{Status: store.SetOpen, AsOf: Today, Order: store.OrderUrgent}, []string{"15/CT-UBND", "HN-03", "HN-01"}},
		{"unit", store.DirectiveFilter{UnitID: dv, Order: store.OrderUrgent}, []string{"15/CT-UBND", "HN-04"}},
		{"unit done per unit", store.DirectiveFilter{UnitID: xm, Status: store.SetDone, AsOf: Today}, []string{"15/CT-UBND"}},
		{"unit overdue per unit", store.DirectiveFilter{UnitID: xm, Status: store.SetOverdue, AsOf: Today}, []string{}},
		{"unit open", store.DirectiveFilter{UnitID: dv, Status: store.SetOpen, AsOf: Today}, []string{"15/CT-UBND"}},
		{"due in a week", store.DirectiveFilter{DueFrom: Today, DueTo: Today.AddDays(7)}, []string{"HN-03"}},
		{"due per unit", store.DirectiveFilter{UnitID: dv, DueFrom: Today.AddDays(-30), DueTo: Today}, []string{"15/CT-UBND"}},
		{"meeting", store.DirectiveFilter{MeetingID: directive(t, s, "HN-01").MeetingID, Order: store.OrderUrgent}, []string{"15/CT-UBND", "HN-03", "HN-01"}},
		{"program", store.DirectiveFilter{ProgramID: directive(t, s, "HN-03").ProgramID}, []string{"HN-03"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.Directives(ctx(t), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, codes(p.Items)); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			if p.Total != len(tc.want) {
				t.Errorf("Total = %d; want %d", p.Total, len(tc.want))
			}
			for _, d := range p.Items {
				if len(d.Assignments) == 0 {
					t.Errorf("%s listed without assignments", d.Code)
				}
				for _, a := range d.Assignments {
					if a.Reports != nil {
						t.Errorf("%s: list carries report history", d.Code)
					}
				}
			}
		})
	}
	// The office closes 15/CT-UBND: Đồng Văn's unfinished share ends that
	// day, for the unit's lists and its status alike.
	ds := Fixture()
	ds.Directives[1].ClosedOn = store.NewDate(2024, 5, 13)
	mustImport(t, s, ds)
	p, err := s.Directives(ctx(t), store.DirectiveFilter{UnitID: dv, Status: store.SetOverdue, AsOf: Today})
	if err != nil || len(p.Items) != 0 {
		t.Errorf("Đồng Văn's overdue list after the office closed 15/CT-UBND: %v, %v; want empty", codes(p.Items), err)
	}
	p, err = s.Directives(ctx(t), store.DirectiveFilter{UnitID: dv, Status: store.SetDoneLate, AsOf: Today})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("Đồng Văn's done-late list: %v, %v; want 15/CT-UBND", codes(p.Items), err)
	}
	if st, _ := p.Items[0].UnitStatus(dv, Today); st != store.StatusDoneLate {
		t.Errorf("Đồng Văn's share of a closed directive: %v; want done late (closed after the deadline)", st)
	}
	if _, err := s.Directives(ctx(t), store.DirectiveFilter{Status: store.SetOverdue}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("status filter without AsOf: err = %v; want ErrInvalid", err)
	}
}

func testDirectivePaging(t *testing.T, s store.Store) {
	ds := Fixture()
	for i := range 23 {
		ds.Directives = append(ds.Directives, store.DirectiveRecord{
			Code: fmt.Sprintf("P-%02d", i), Title: "Nhiệm vụ phân trang", IssuedOn: store.NewDate(2024, 3, 1), // same day: ties by id
			Deadline: store.NewDate(2024, 6, 1), Assignments: []store.AssignmentRecord{{Unit: "xin-man"}},
		})
	}
	mustImport(t, s, ds)
	for _, order := range []store.DirectiveOrder{store.OrderRecent, store.OrderUrgent} {
		var all []string
		for off := 0; ; off += 7 {
			p, err := s.Directives(ctx(t), store.DirectiveFilter{Order: order, Offset: off, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 28 || p.Offset != off || p.Limit != 7 {
				t.Fatalf("page at %d: total %d offset %d limit %d", off, p.Total, p.Offset, p.Limit)
			}
			all = append(all, codes(p.Items)...)
			if !p.HasNext() {
				break
			}
		}
		sorted := slices.Clone(all)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != 28 {
			t.Errorf("order %d: pages gave %d distinct of %d items", order, len(slices.Compact(sorted)), len(all))
		}
	}
	p, err := s.Directives(ctx(t), store.DirectiveFilter{Limit: 1000})
	if err != nil || p.Limit != store.MaxLimit {
		t.Errorf("Limit 1000 → %d, %v; want clamped to %d", p.Limit, err, store.MaxLimit)
	}
}

func testDirectiveDetail(t *testing.T, s store.Store) {
	loaded(t, s)
	d := directive(t, s, " 15/ct-ubnd ")
	if d.Code != "15/CT-UBND" || d.MeetingTitle != "Hội nghị sơ kết quy chế phối hợp biên giới" || d.DeadlineNote != "Hạn mẫu" {
		t.Errorf("DirectiveByCode = %+v", d)
	}
	byID, err := s.Directive(ctx(t), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, byID); diff != "" {
		t.Errorf("Directive(id) vs ByCode (-code +id):\n%s", diff)
	}
	xm := d.Assignments[0]
	if xm.Unit.Code != "xin-man" || xm.ReportCount != 1 || len(xm.Reports) != 1 || xm.Reports[0].Note != "Đã tổ chức 3 buổi" || xm.Reports[0].Percent != 60 {
		t.Errorf("assignment of Xín Mần = %+v", xm)
	}
	if at := xm.Reports[0].At; !at.Equal(time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("report time = %v; want 2024-05-02 10:00 +07", at)
	}
	dv := d.Assignments[2]
	if dv.Percent != 40 || dv.Done() {
		t.Errorf("Đồng Văn = %+v; want 40%%, not done", dv)
	}
	lead := directive(t, s, "HN-03")
	if lead.Assignments[0].Role != store.RoleLead || lead.Assignments[1].Role != store.RoleSupport || lead.ProgramName == "" {
		t.Errorf("HN-03 = %+v", lead)
	}
}

func testPrograms(t *testing.T, s store.Store) {
	loaded(t, s)
	p, err := s.Programs(ctx(t), store.ProgramFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, pr := range p.Items {
		names = append(names, pr.Name)
	}
	want := []string{"Cán bộ chiến sĩ nâng bước em tới trường", "Đề án hợp tác Hà Giang – Vân Nam", "Xuân Biên phòng ấm lòng dân bản"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Programs order (-want +got):\n%s", diff)
	}
	ht := p.Items[1]
	if ht.StartYear != 2020 || ht.EndYear != 2025 || ht.VisionYear != 2030 || ht.DirectiveCount != 1 || ht.Owner.Code != "ubnd" || ht.Owner.Name != "UBND tỉnh Hà Giang" {
		t.Errorf("program = %+v", ht)
	}
	got, err := s.Program(ctx(t), ht.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ht, got); diff != "" {
		t.Errorf("Program(id) vs list (-list +detail):\n%s", diff)
	}
	page2, err := s.Programs(ctx(t), store.ProgramFilter{Offset: 2, Limit: 2})
	if err != nil || len(page2.Items) != 1 || page2.Total != 3 {
		t.Errorf("page 2 = %+v, %v", page2, err)
	}
}

type hitKey struct {
	Kind  store.RecordKind
	Code  string
	Match store.Match
}

func hitKeys(p store.Page[store.SearchHit]) []hitKey {
	out := []hitKey{}
	for _, h := range p.Items {
		out = append(out, hitKey{h.Kind, h.Code, h.Match})
	}
	return out
}

func testSearchRanking(t *testing.T, s store.Store) {
	loaded(t, s)
	tests := []struct {
		name string
		q    store.SearchQuery
		want []hitKey
	}{
		{"exact diacritics above folded", store.SearchQuery{Text: "biên giới"}, []hitKey{
			{store.RecordDirective, "15/CT-UBND", store.MatchExactTitle},
			{store.RecordDirective, "HN-01", store.MatchExactTitle},
			{store.RecordMeeting, "hn-xm-2024", store.MatchExactTitle},
			{store.RecordDirective, "HN-04", store.MatchFoldedTitle},
		}},
		{"typed without diacritics", store.SearchQuery{Text: "bien gioi"}, []hitKey{
			{store.RecordDirective, "HN-04", store.MatchExactTitle},
			{store.RecordDirective, "15/CT-UBND", store.MatchFoldedTitle},
			{store.RecordDirective, "HN-01", store.MatchFoldedTitle},
			{store.RecordMeeting, "hn-xm-2024", store.MatchFoldedTitle},
		}},
		{"body below title", store.SearchQuery{Text: "mốc giới"}, []hitKey{
			{store.RecordDirective, "HN-01", store.MatchExactTitle},
		}},
		{"đ folds to d", store.SearchQuery{Text: "huyen uy dong van"}, []hitKey{
			{store.RecordUnit, "dong-van", store.MatchFoldedTitle},
		}},
		{"unit alias", store.SearchQuery{Text: "MV"}, []hitKey{
			{store.RecordUnit, "meo-vac", store.MatchExactTitle},
		}},
		{"prefix of last word", store.SearchQuery{Text: "thanh th"}, []hitKey{
			{store.RecordDirective, "HN-03", store.MatchExactTitle},
		}},
		{"code first", store.SearchQuery{Text: "15/CT-UBND"}, []hitKey{
			{store.RecordDirective, "15/CT-UBND", store.MatchCode},
		}},
		{"body match", store.SearchQuery{Text: "nguyên trạng"}, []hitKey{
			{store.RecordDirective, "HN-01", store.MatchExact},
		}},
		{"kinds", store.SearchQuery{Text: "biên giới", Kinds: []store.RecordKind{store.RecordMeeting}}, []hitKey{
			{store.RecordMeeting, "hn-xm-2024", store.MatchExactTitle},
		}},
		{"program", store.SearchQuery{Text: "xuan bien phong"}, []hitKey{
			{store.RecordProgram, "xuan-bp", store.MatchFoldedTitle},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.Search(ctx(t), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, hitKeys(p)); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tc.q.Text, diff)
			}
			if p.Total != len(tc.want) {
				t.Errorf("Total = %d; want %d", p.Total, len(tc.want))
			}
		})
	}
	p, _ := s.Search(ctx(t), store.SearchQuery{Text: "15/CT-UBND"})
	if h := p.Items[0]; h.Deadline != store.NewDate(2024, 5, 10) || h.Title == "" || h.Date != store.NewDate(2024, 4, 17) {
		t.Errorf("directive hit = %+v", h)
	}
	p, _ = s.Search(ctx(t), store.SearchQuery{Text: "sơ kết"})
	if h := p.Items[0]; h.Kind != store.RecordMeeting || h.Date != store.NewDate(2024, 4, 17) {
		t.Errorf("meeting hit = %+v; want dated 17/04/2024 local", h)
	}
}

func testSearchIsText(t *testing.T, s store.Store) {
	loaded(t, s)
	for _, text := range []string{`"`, `*`, `%`, `'`, `''; DROP TABLE units; --`, `biên OR giới`, `NEAR(biên giới)`,
		`title_x: biên`, `{body_f}: x`, `^biên`, `biên"`, `15/CT*`, `-`, `(`, `🙂`, `<b>&amp;</b>`, "\x00", "a\"b", `AND`, `NOT biên`,
		"biên\U00010500giới", "\U00010500", "ab\u08A0cd"} { // letters newer than SQLite's Unicode 6.1 tables
		t.Run(text, func(t *testing.T) {
			p, err := s.Search(ctx(t), store.SearchQuery{Text: text})
			if err != nil {
				t.Fatalf("Search(%q): %v", text, err)
			}
			for _, h := range p.Items {
				if h.Title == "" {
					t.Errorf("hit without title: %+v", h)
				}
			}
		})
	}
	// Syntax words are words: "biên OR giới" needs "or" in the record.
	p, _ := s.Search(ctx(t), store.SearchQuery{Text: "biên OR giới"})
	if p.Total != 0 {
		t.Errorf(`"biên OR giới" matched %d records; OR must be a word, not an operator`, p.Total)
	}
	p, _ = s.Search(ctx(t), store.SearchQuery{Text: `"15/CT*`})
	if len(p.Items) == 0 || p.Items[0].Code != "15/CT-UBND" {
		t.Errorf(`"15/CT* found %+v; want 15/CT-UBND`, p.Items)
	}
	if units, _ := s.Units(ctx(t), store.UnitFilter{}); len(units) != 5 {
		t.Error("units changed by a search")
	}
}

func testSearchPaging(t *testing.T, s store.Store) {
	ds := Fixture()
	for i := range 30 {
		ds.Directives = append(ds.Directives, store.DirectiveRecord{
			Code: fmt.Sprintf("BG-%02d", i), Title: map[bool]string{true: "Tuần tra biên giới", false: "Tuan tra bien gioi"}[i%3 == 0],
			Assignments: []store.AssignmentRecord{{Unit: "bdbp"}},
		})
	}
	mustImport(t, s, ds)
	var all []hitKey
	for off := 0; off < 100; off += 6 {
		p, err := s.Search(ctx(t), store.SearchQuery{Text: "biên giới", Offset: off, Limit: 6})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 34 {
			t.Fatalf("Total = %d; want 34", p.Total)
		}
		all = append(all, hitKeys(p)...)
		if !p.HasNext() {
			break
		}
	}
	if len(all) != 34 {
		t.Fatalf("pages gave %d hits; want 34", len(all))
	}
	seen := map[string]bool{}
	for i, h := range all {
		if seen[h.Code] {
			t.Errorf("hit %s repeated", h.Code)
		}
		seen[h.Code] = true
		if i > 0 && h.Match < all[i-1].Match {
			t.Errorf("hit %d (%s, tier %d) ranked after a worse tier %d", i, h.Code, h.Match, all[i-1].Match)
		}
	}
}

func testSearchTotalCapped(t *testing.T, s store.Store) {
	ds := Fixture()
	for i := range store.SearchTotalCap + 5 {
		ds.Directives = append(ds.Directives, store.DirectiveRecord{
			Code: fmt.Sprintf("TT-%04d", i), Title: "Tuần tra đường biên",
			Assignments: []store.AssignmentRecord{{Unit: "bdbp"}},
		})
	}
	mustImport(t, s, ds)
	p, err := s.Search(ctx(t), store.SearchQuery{Text: "tuần tra", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != store.SearchTotalCap || !p.Capped || !p.HasNext() || len(p.Items) != 5 {
		t.Errorf("search matching %d records: total %d capped %v, %d items", store.SearchTotalCap+5, p.Total, p.Capped, len(p.Items))
	}
	if p.Items[0].Code != fmt.Sprintf("TT-%04d", store.SearchTotalCap+4) {
		t.Errorf("first hit %s; want the most recently added", p.Items[0].Code)
	}
	p, err = s.Search(ctx(t), store.SearchQuery{Text: "biên giới"})
	if err != nil || p.Capped {
		t.Errorf("a search under the cap: capped %v, %v", p.Capped, err)
	}
}

func testRecordProgress(t *testing.T, s store.Store) {
	loaded(t, s)
	d := directive(t, s, "15/CT-UBND")
	dv := unitID(t, s, "dong-van")
	at := time.Date(2024, 5, 14, 18, 30, 0, 0, time.UTC) // 01:30 on the 15th in Hà Giang
	got, err := s.RecordProgress(ctx(t), store.ProgressInput{DirectiveID: d.ID, UnitID: dv, At: at, Done: true, Note: "Xong", DocNumber: "12/BC-HU", By: store.Actor{ID: 77, Name: "Văn phòng Huyện ủy"}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := got.UnitStatus(dv, Today)
	a := got.Assignments[2]
	if st != store.StatusDoneLate || a.CompletedOn != store.NewDate(2024, 5, 15) || a.Percent != 100 || a.ReportCount != 2 {
		t.Errorf("after done: status %v, assignment %+v", st, a)
	}
	if last := a.Reports[len(a.Reports)-1]; last.DocNumber != "12/BC-HU" || last.Percent != 100 || !last.At.Equal(at) {
		t.Errorf("last report = %+v", last)
	}
	if got.Status(Today) != store.StatusDoneLate || got.CompletedOn() != store.NewDate(2024, 5, 15) {
		t.Errorf("overall = %v completed %v; want done late on 15/05", got.Status(Today), got.CompletedOn())
	}
	// The lists see it at once.
	p, err := s.Directives(ctx(t), store.DirectiveFilter{Status: store.SetOverdue, AsOf: Today})
	if err != nil || p.Total != 0 {
		t.Errorf("overdue after completion = %v, %v; want none", codes(p.Items), err)
	}
	if _, err := s.RecordProgress(ctx(t), store.ProgressInput{DirectiveID: d.ID, UnitID: unitID(t, s, "bdbp"), Percent: 10}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("progress by an unassigned unit: err = %v; want ErrNotFound", err)
	}
	if _, err := s.RecordProgress(ctx(t), store.ProgressInput{DirectiveID: d.ID, UnitID: dv, Percent: 101}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("percent 101: err = %v; want ErrInvalid", err)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	loaded(t, s)
	checks := map[string]error{}
	_, checks["Unit"] = s.Unit(ctx(t), 9999)
	_, checks["Meeting"] = s.Meeting(ctx(t), 9999)
	_, checks["Directive"] = s.Directive(ctx(t), 9999)
	_, checks["DirectiveByCode"] = s.DirectiveByCode(ctx(t), "KHÔNG-CÓ")
	_, checks["Program"] = s.Program(ctx(t), 9999)
	for name, err := range checks {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s(missing) error = %v; want ErrNotFound", name, err)
		}
	}
}
