package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

// officeTests are the contract tests of the office's work: visibility,
// report review, deadline changes, audit, statistics, export.
var officeTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"Visibility", testVisibility},
	{"VisibleTotals", testVisibleTotals},
	{"ReportReview", testReportReview},
	{"ChangeDeadline", testChangeDeadline},
	{"History", testHistory},
	{"Stats", testStats},
	{"ExportRoundTrip", testExportRoundTrip},
}

// restrictedFixture marks HN-03 (assigned to bdbp and meo-vac), the 2023
// meeting (ubnd and xin-man) and the program xuan-bp restricted.
func restrictedFixture(t *testing.T, s store.Store) {
	t.Helper()
	ds := Fixture()
	ds.Directives[2].Restricted = true
	ds.Meetings[1].Restricted = true
	ds.Programs[1].Restricted = true
	mustImport(t, s, ds)
}

// testVisibleTotals: for every viewer and filter, a list's Total is the
// number of directives its pages hold (engines may count the hidden ones
// apart, as the SQLite engine does).
func testVisibleTotals(t *testing.T, s store.Store) {
	restrictedFixture(t, s)
	bdbp, mv, xm := unitID(t, s, "bdbp"), unitID(t, s, "meo-vac"), unitID(t, s, "xin-man")
	viewers := map[string]store.Viewer{"anyone": {}, "admin": store.NewViewer(true), "bdbp": store.NewViewer(false, bdbp),
		"xin-man": store.NewViewer(false, xm), "bdbp+xin-man": store.NewViewer(false, bdbp, xm)}
	filters := map[string]store.DirectiveFilter{
		"all":          {},
		"unit":         {UnitID: mv},
		"other unit":   {UnitID: xm},
		"open":         {Status: store.SetPending | store.SetOverdue, AsOf: Today, Order: store.OrderUrgent},
		"overdue":      {Status: store.SetOverdue, AsOf: Today},
		"unit overdue": {UnitID: bdbp, Status: store.SetOverdue | store.SetPending, AsOf: Today},
		"due window":   {DueFrom: Today.AddDays(-400), DueTo: Today.AddDays(400)},
	}
	for vn, v := range viewers {
		for fn, f := range filters {
			f.Viewer = v
			var seen int
			total := -1
			for off := 0; ; off += 2 {
				f.Offset, f.Limit = off, 2
				p, err := s.Directives(ctx(t), f)
				if err != nil {
					t.Fatalf("%s, %s: %v", vn, fn, err)
				}
				if total >= 0 && p.Total != total {
					t.Errorf("%s, %s: total changed between pages: %d then %d", vn, fn, total, p.Total)
				}
				total = p.Total
				for _, d := range p.Items {
					if !v.CanSeeDirective(d) {
						t.Errorf("%s, %s: %s is shown", vn, fn, d.Code)
					}
				}
				seen += len(p.Items)
				if len(p.Items) < 2 {
					break
				}
			}
			if seen != total {
				t.Errorf("%s, %s: total %d, pages hold %d", vn, fn, total, seen)
			}
		}
		// Lists of meetings and programs count the directives v sees.
		ms, err := s.Meetings(ctx(t), store.MeetingFilter{Viewer: v, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms.Items {
			ds, err := s.Directives(ctx(t), store.DirectiveFilter{MeetingID: m.ID, Viewer: v, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if m.DirectiveCount != ds.Total {
				t.Errorf("%s: meeting %s lists %d directives, the viewer sees %d", vn, m.Key, m.DirectiveCount, ds.Total)
			}
		}
		ps, err := s.Programs(ctx(t), store.ProgramFilter{Viewer: v, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.Items {
			ds, err := s.Directives(ctx(t), store.DirectiveFilter{ProgramID: p.ID, Viewer: v, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if p.DirectiveCount != ds.Total {
				t.Errorf("%s: program %s lists %d directives, the viewer sees %d", vn, p.Code, p.DirectiveCount, ds.Total)
			}
		}
	}
}

func testVisibility(t *testing.T, s store.Store) {
	restrictedFixture(t, s)
	bdbp, xm := unitID(t, s, "bdbp"), unitID(t, s, "xin-man")
	viewers := []struct {
		name        string
		v           store.Viewer
		hn03, hop23 bool
		program     bool
	}{
		{"anyone", store.Viewer{}, false, false, false},
		{"admin", store.NewViewer(true), true, true, true},
		{"assigned unit", store.NewViewer(false, bdbp), true, false, false},
		{"attending unit", store.NewViewer(false, xm), false, true, false},
	}
	for _, tc := range viewers {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.Directives(ctx(t), store.DirectiveFilter{Viewer: tc.v, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(codes(p.Items), "HN-03"); got != tc.hn03 || (p.Total == 5) != tc.hn03 {
				t.Errorf("directives list shows HN-03: %v (total %d); want %v", got, p.Total, tc.hn03)
			}
			hits, err := s.Search(ctx(t), store.SearchQuery{Text: "thông quan", Viewer: tc.v})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(hits.Items) == 1; got != tc.hn03 || (hits.Total == 1) != tc.hn03 {
				t.Errorf("search finds HN-03: %v (total %d); want %v", got, hits.Total, tc.hn03)
			}
			for _, h := range hits.Items {
				if !h.Restricted {
					t.Errorf("search hit %s is not marked restricted", h.Code)
				}
			}
			hits, err = s.Search(ctx(t), store.SearchQuery{Text: "HN-03", Viewer: tc.v})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(hits.Items) > 0; got != tc.hn03 {
				t.Errorf("search by code finds HN-03: %v; want %v", got, tc.hn03)
			}
			ms, err := s.Meetings(ctx(t), store.MeetingFilter{Viewer: tc.v})
			if err != nil {
				t.Fatal(err)
			}
			has23 := false
			for _, m := range ms.Items {
				has23 = has23 || m.Key == "hop-2023"
			}
			if has23 != tc.hop23 {
				t.Errorf("meetings show the 2023 meeting: %v; want %v", has23, tc.hop23)
			}
			ps, err := s.Programs(ctx(t), store.ProgramFilter{Viewer: tc.v})
			if err != nil {
				t.Fatal(err)
			}
			if got := ps.Total == 3; got != tc.program {
				t.Errorf("programs total %d; restricted one shown: %v, want %v", ps.Total, got, tc.program)
			}
			d := directive(t, s, "HN-03") // details are the caller's to check
			if got := tc.v.CanSeeDirective(d); got != tc.hn03 {
				t.Errorf("CanSeeDirective(HN-03) = %v; want %v", got, tc.hn03)
			}
		})
	}
}

func testReportReview(t *testing.T, s store.Store) {
	loaded(t, s)
	d := directive(t, s, "HN-03")
	bdbp, mv := unitID(t, s, "bdbp"), unitID(t, s, "meo-vac")
	lan := store.Actor{ID: 501, Name: "Lan (BĐBP)"}
	at := time.Date(2024, 5, 16, 3, 0, 0, 0, time.UTC) // 10:00 on 16/05, before the deadline 20/05
	p, err := s.SubmitReport(ctx(t), store.ReportInput{DirectiveID: d.ID, UnitID: bdbp, At: at, Done: true, Note: "Đã trình UBND tỉnh", DocNumber: "45/BC-BĐBP", By: lan})
	if err != nil {
		t.Fatal(err)
	}
	if p.Report.Status != store.ReportPending || !p.Report.Done || p.Report.Percent != 100 || p.Unit.ID != bdbp || p.DirectiveCode != "HN-03" || p.Report.ReporterID != 501 {
		t.Errorf("submitted report = %+v", p)
	}
	// Pressed twice: one completion report waits, progress may still come.
	if _, err := s.SubmitReport(ctx(t), store.ReportInput{DirectiveID: d.ID, UnitID: bdbp, At: at, Done: true, By: lan}); !errors.Is(err, store.ErrReportPending) || !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second completion report while one waits: %v; want ErrReportPending", err)
	}
	// Pending: shown as such, not yet counted.
	d = directive(t, s, "HN-03")
	a := d.Assignments[0]
	if a.Done() || a.PendingCount != 1 || a.Percent != 0 {
		t.Errorf("assignment with a pending report = %+v; want not done, 1 pending", a)
	}
	if _, err := s.SubmitReport(ctx(t), store.ReportInput{DirectiveID: d.ID, UnitID: mv, Percent: 40, Note: "Đang làm", At: at.Add(time.Hour), By: lan}); err != nil {
		t.Fatal(err)
	}
	queue, err := s.PendingReports(ctx(t), store.PendingFilter{})
	if err != nil || queue.Total != 2 || queue.Items[0].Report.ID != p.Report.ID {
		t.Fatalf("pending queue = %+v, %v; want 2, oldest first", queue, err)
	}
	if q, _ := s.PendingReports(ctx(t), store.PendingFilter{UnitID: mv}); q.Total != 1 {
		t.Errorf("Mèo Vạc's queue = %d; want 1", q.Total)
	}
	// Returning needs a reason.
	boss := store.Actor{ID: 900, Name: "Văn phòng"}
	if _, err := s.ReviewReport(ctx(t), store.Review{ReportID: queue.Items[1].Report.ID, By: boss}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("return without a reason: %v; want ErrInvalid", err)
	}
	ret, err := s.ReviewReport(ctx(t), store.Review{ReportID: queue.Items[1].Report.ID, Reason: "Thiếu văn bản kèm theo", By: boss})
	if err != nil || ret.Report.Status != store.ReportReturned || ret.Report.ReviewNote != "Thiếu văn bản kèm theo" {
		t.Errorf("returned report = %+v, %v", ret, err)
	}
	// Confirming the completion completes the share from the day reported.
	ok, err := s.ReviewReport(ctx(t), store.Review{ReportID: p.Report.ID, Accept: true, By: boss, At: at.Add(72 * time.Hour)})
	if err != nil || ok.Report.Status != store.ReportConfirmed || ok.Report.ReviewedBy != "Văn phòng" {
		t.Fatalf("confirmed report = %+v, %v", ok, err)
	}
	if _, err := s.ReviewReport(ctx(t), store.Review{ReportID: p.Report.ID, Accept: true, By: boss}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("reviewing twice: %v; want ErrConflict", err)
	}
	d = directive(t, s, "HN-03")
	a = d.Assignments[0]
	if !a.Done() || a.CompletedOn != store.NewDate(2024, 5, 16) || a.Percent != 100 || a.PendingCount != 0 {
		t.Errorf("after confirmation: %+v; want done on 16/05", a)
	}
	if st, _ := d.UnitStatus(bdbp, Today.AddDays(10)); st != store.StatusDoneOnTime {
		t.Errorf("status after confirmation = %v; want done on time", st)
	}
	last := a.Reports[len(a.Reports)-1]
	if last.DocNumber != "45/BC-BĐBP" || last.Status != store.ReportConfirmed {
		t.Errorf("history's last report = %+v", last)
	}
	if q, _ := s.PendingReports(ctx(t), store.PendingFilter{}); q.Total != 0 {
		t.Errorf("queue after reviews = %d; want 0", q.Total)
	}
	if _, err := s.SubmitReport(ctx(t), store.ReportInput{DirectiveID: d.ID, UnitID: bdbp, Done: true, By: lan}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a report on a completed share: %v; want ErrConflict", err)
	}
	if _, err := s.SubmitReport(ctx(t), store.ReportInput{DirectiveID: d.ID, UnitID: unitID(t, s, "ubnd"), By: lan}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a report by an unassigned unit: %v; want ErrNotFound", err)
	}
	if _, err := s.ReviewReport(ctx(t), store.Review{ReportID: 99999, Accept: true, By: boss}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("reviewing a missing report: %v; want ErrNotFound", err)
	}
}

func testChangeDeadline(t *testing.T, s store.Store) {
	loaded(t, s)
	d := directive(t, s, "15/CT-UBND")
	boss := store.Actor{ID: 900, Name: "Văn phòng"}
	got, err := s.ChangeDeadline(ctx(t), store.DeadlineInput{DirectiveID: d.ID, Deadline: store.NewDate(2024, 5, 31), Reason: "Gia hạn theo đề nghị", By: boss})
	if err != nil {
		t.Fatal(err)
	}
	if got.Deadline != store.NewDate(2024, 5, 31) || len(got.DeadlineHistory) != 1 {
		t.Fatalf("after extension: deadline %v, history %+v", got.Deadline, got.DeadlineHistory)
	}
	h := got.DeadlineHistory[0]
	if h.From != store.NewDate(2024, 5, 10) || h.To != store.NewDate(2024, 5, 31) || h.Reason != "Gia hạn theo đề nghị" || h.By.Name != "Văn phòng" {
		t.Errorf("history entry = %+v; the original deadline must stay known", h)
	}
	// Đồng Văn, not done, is no longer overdue; Mèo Vạc, done 12/05, now on time.
	if st, _ := got.UnitStatus(unitID(t, s, "dong-van"), Today); st != store.StatusPending {
		t.Errorf("Đồng Văn after the extension: %v; want pending", st)
	}
	if st, _ := got.UnitStatus(unitID(t, s, "meo-vac"), Today); st != store.StatusDoneOnTime {
		t.Errorf("Mèo Vạc after the extension: %v; want done on time", st)
	}
	if p, _ := s.Directives(ctx(t), store.DirectiveFilter{Status: store.SetOverdue, AsOf: Today}); p.Total != 0 {
		t.Errorf("overdue list after the extension: %v", codes(p.Items))
	}
	if _, err := s.ChangeDeadline(ctx(t), store.DeadlineInput{DirectiveID: d.ID, Deadline: store.NewDate(2024, 5, 31), By: boss}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("the same deadline again: %v; want ErrInvalid", err)
	}
	if _, err := s.ChangeDeadline(ctx(t), store.DeadlineInput{DirectiveID: 99999, Deadline: Today, By: boss}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing directive: %v; want ErrNotFound", err)
	}
}

func testHistory(t *testing.T, s store.Store) {
	loaded(t, s)
	ds := Fixture()
	ds.Directives[2].Title = "Hoàn thiện thủ tục mở lối thông quan"
	editor := store.Actor{ID: 7, Name: "Chuyên viên"}
	if _, err := s.Import(ctx(t), ds, editor); err != nil {
		t.Fatal(err)
	}
	d := directive(t, s, "HN-03")
	if _, err := s.RecordProgress(ctx(t), store.ProgressInput{DirectiveID: d.ID, UnitID: unitID(t, s, "bdbp"), Percent: 50, By: editor}); err != nil {
		t.Fatal(err)
	}
	hs, err := s.History(ctx(t), store.RecordDirective, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.Action+" by "+h.Actor.Name)
	}
	want := []string{"progress_recorded by Chuyên viên", "updated by Chuyên viên", "created by test"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("history, newest first (-want +got):\n%s", diff)
	}
	upd := hs[1]
	if len(upd.Changes) != 1 || upd.Changes[0].Field != "title" || upd.Changes[0].Old != "Mở lối thông quan hàng hóa cửa khẩu Thanh Thủy" || upd.Changes[0].New != ds.Directives[2].Title {
		t.Errorf("update's changes = %+v", upd.Changes)
	}
	if hs[0].Unit.Code != "bdbp" || hs[0].Note != "50%" {
		t.Errorf("progress entry = %+v", hs[0])
	}
	// An unchanged import leaves no entry.
	if _, err := s.Import(ctx(t), ds, editor); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.History(ctx(t), store.RecordDirective, d.ID); len(again) != len(hs) {
		t.Errorf("an unchanged import added %d entries", len(again)-len(hs))
	}
	if hs, _ := s.History(ctx(t), store.RecordUnit, unitID(t, s, "xin-man")); len(hs) != 1 || hs[0].Action != store.ActionCreated {
		t.Errorf("unit history = %+v", hs)
	}
}

func testStats(t *testing.T, s store.Store) {
	loaded(t, s)
	got, err := s.Stats(ctx(t), store.StatsQuery{AsOf: Today})
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]store.StatusCounts{}
	for _, us := range got {
		byCode[us.Unit.Code] = us.Counts
	}
	want := map[string]store.StatusCounts{
		"ubnd":     {DoneLate: 1},
		"bdbp":     {Pending: 1, Ongoing: 1},
		"dong-van": {Overdue: 1, DoneOnTime: 1},
		"meo-vac":  {DoneLate: 1, Pending: 1},
		"xin-man":  {DoneOnTime: 1, Ongoing: 1},
	}
	if diff := cmp.Diff(want, byCode); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if got[0].Unit.Code != "ubnd" || got[1].Unit.Code != "bdbp" {
		t.Errorf("order: %s, %s…; want by kind then name", got[0].Unit.Code, got[1].Unit.Code)
	}
	one, err := s.Stats(ctx(t), store.StatsQuery{AsOf: Today, UnitID: unitID(t, s, "dong-van")})
	if err != nil || len(one) != 1 || one[0].Counts != want["dong-van"] {
		t.Errorf("one unit's stats = %+v, %v", one, err)
	}
	if _, err := s.Stats(ctx(t), store.StatsQuery{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("stats without AsOf: %v; want ErrInvalid", err)
	}
}

func testExportRoundTrip(t *testing.T, s store.Store) {
	restrictedFixture(t, s)
	all, err := s.Export(ctx(t), store.ExportFilter{Viewer: store.NewViewer(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Units) != 6 || len(all.Programs) != 3 || len(all.Meetings) != 3 || len(all.Directives) != 5 {
		t.Fatalf("export: %d units, %d programs, %d meetings, %d directives", len(all.Units), len(all.Programs), len(all.Meetings), len(all.Directives))
	}
	// Exported data imported again changes nothing.
	res, err := s.Import(ctx(t), all, store.Actor{Name: "test"})
	if err != nil || res.Changed() {
		t.Errorf("re-importing the export: %+v, %v; want nothing changed", res, err)
	}
	if err := all.Validate(Loc); err != nil {
		t.Errorf("the export does not validate: %v", err)
	}
	anyone, err := s.Export(ctx(t), store.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(anyone.Directives) != 4 || len(anyone.Meetings) != 2 {
		t.Errorf("export for anyone: %d directives, %d meetings; restricted ones must be left out", len(anyone.Directives), len(anyone.Meetings))
	}
	one, err := s.Export(ctx(t), store.ExportFilter{Viewer: store.NewViewer(true), DirectiveIDs: []int64{directive(t, s, "15/CT-UBND").ID}})
	if err != nil || len(one.Directives) != 1 || len(one.Meetings) != 1 || one.Directives[0].Code != "15/CT-UBND" {
		t.Fatalf("export of one directive: %+v, %v", one.Directives, err)
	}
	rec := one.Directives[0]
	if rec.Meeting != "hn-xm-2024" || len(rec.Assignments) != 3 || rec.Assignments[0].Unit != "xin-man" || len(rec.Assignments[0].Reports) != 1 {
		t.Errorf("exported record = %+v", rec)
	}
	// A directive's own reminder ladder survives the round trip: an edit
	// made by exporting, changing and importing must not reset it.
	rec.Reminders = store.Reminders{Offsets: []int{-3, 0}}
	if _, err := s.Import(ctx(t), &store.Dataset{Directives: []store.DirectiveRecord{rec}}, store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	again, err := s.Export(ctx(t), store.ExportFilter{Viewer: store.NewViewer(true), DirectiveIDs: []int64{directive(t, s, "15/CT-UBND").ID}})
	if err != nil || len(again.Directives) != 1 || again.Directives[0].Reminders.String() != "-3,0" {
		t.Errorf("reminders after the round trip: %+v, %v; want -3,0", again.Directives, err)
	}
	// Selected directives come with their own meetings, each once, and
	// every unit and program (a template asks for no directive, id -1).
	for _, tt := range []struct {
		codes    []string
		ids      []int64
		meetings []string
	}{
		{codes: []string{"HN-04"}},
		{codes: []string{"15/CT-UBND", "HN-01"}, meetings: []string{"hn-xm-2024"}},
		{codes: []string{"15/CT-UBND", "GB-2023/07"}, meetings: []string{"hop-2023", "hn-xm-2024"}},
		{ids: []int64{-1}},
	} {
		ids := tt.ids
		for _, c := range tt.codes {
			ids = append(ids, directive(t, s, c).ID)
		}
		got, err := s.Export(ctx(t), store.ExportFilter{Viewer: store.NewViewer(true), DirectiveIDs: ids})
		if err != nil {
			t.Fatalf("export of %v: %v", tt.codes, err)
		}
		var keys []string
		for _, m := range got.Meetings {
			keys = append(keys, m.Key)
		}
		if !slices.Equal(keys, tt.meetings) || len(got.Directives) != len(tt.codes) || len(got.Units) != 6 || len(got.Programs) != 3 {
			t.Errorf("export of %v%v: meetings %q, %d directives, %d units, %d programs; want meetings %q, %d directives, 6 units, 3 programs",
				tt.codes, tt.ids, keys, len(got.Directives), len(got.Units), len(got.Programs), tt.meetings, len(tt.codes))
		}
	}
}
