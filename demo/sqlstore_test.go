package demo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/demo"
	"meetbot/internal/sqltest"
	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// openStore opens a real SQLite store in a temporary directory, with the
// clock at now.
func openStore(t *testing.T, now time.Time) *sqlstore.Store {
	t.Helper()
	return sqltest.Open(t, storetest.Loc, func() time.Time { return now })
}

func TestImportIntoSQLite(t *testing.T) {
	loc := storetest.Loc
	s := openStore(t, fixedNow)
	ds, err := demo.Dataset(fixedNow, loc)
	if err != nil {
		t.Fatalf("Dataset: %v", err)
	}

	res, err := s.Import(t.Context(), ds, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("first Import: %v", err)
	}
	want := store.ImportResult{
		Units:      store.ImportCounts{Created: 10},
		Programs:   store.ImportCounts{Created: 8},
		Meetings:   store.ImportCounts{Created: 2},
		Directives: store.ImportCounts{Created: 7},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("first import (-want +got):\n%s", diff)
	}

	// The same dataset again changes nothing.
	again, err := demo.Dataset(fixedNow, loc)
	if err != nil {
		t.Fatal(err)
	}
	res, err = s.Import(t.Context(), again, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("second Import: %v", err)
	}
	want = store.ImportResult{
		Units:      store.ImportCounts{Unchanged: 10},
		Programs:   store.ImportCounts{Unchanged: 8},
		Meetings:   store.ImportCounts{Unchanged: 2},
		Directives: store.ImportCounts{Unchanged: 7},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("second import (-want +got):\n%s", diff)
	}

	today := store.DateIn(fixedNow, loc)
	t.Run("statuses as stored", func(t *testing.T) {
		var counts store.StatusCounts
		overall := map[string]store.Status{}
		for _, d := range ds.Directives {
			got, err := s.DirectiveByCode(t.Context(), d.Code)
			if err != nil {
				t.Fatalf("DirectiveByCode(%s): %v", d.Code, err)
			}
			if len(got.Assignments) != 8 {
				t.Errorf("%s: %d assignments stored, want 8", d.Code, len(got.Assignments))
			}
			for _, a := range got.Assignments {
				counts.Add(store.StatusAt(got.Deadline, a.CompletedOn, today))
			}
			overall[d.Code] = got.Status(today)
		}
		wantCounts := store.StatusCounts{DoneOnTime: 7 + 1 + 3, DoneLate: 1 + 2, Pending: 8 + 7, Overdue: 3, Ongoing: 24}
		if diff := cmp.Diff(wantCounts, counts); diff != "" {
			t.Errorf("assignment states (-want +got):\n%s", diff)
		}
		wantOverall := map[string]store.Status{
			"HNXM-2024/01": store.StatusDoneLate,
			"HNXM-2024/02": store.StatusOngoing,
			"HNXM-2024/03": store.StatusPending,
			"HNXM-2024/04": store.StatusPending,
			"HNXM-2024/05": store.StatusOverdue,
			"HNXM-2024/06": store.StatusOngoing,
			"HNXM-2024/07": store.StatusOngoing,
		}
		if diff := cmp.Diff(wantOverall, overall); diff != "" {
			t.Errorf("overall states (-want +got):\n%s", diff)
		}
	})

	t.Run("units by what users type", func(t *testing.T) {
		for _, tt := range []struct{ text, want string }{
			{"meo vac", "meo-vac"},
			{"MV", "meo-vac"},
			{"Huyện ủy Mèo Vạc", "meo-vac"},
			{"BĐBP", "bdbp"},
			{"bdbp", "bdbp"},
			{"bien phong", "bdbp"},
			{"hoang su phi", "hoang-su-phi"},
			{"Xín Mần", "xin-man"},
		} {
			us, err := s.FindUnits(t.Context(), tt.text)
			if err != nil {
				t.Fatalf("FindUnits(%q): %v", tt.text, err)
			}
			if len(us) == 0 || us[0].Code != tt.want {
				var codes []string
				for _, u := range us {
					codes = append(codes, u.Code)
				}
				t.Errorf("FindUnits(%q) = %q, want %s first", tt.text, codes, tt.want)
			}
		}
	})

	t.Run("upcoming meetings", func(t *testing.T) {
		page, err := s.Meetings(t.Context(), store.MeetingFilter{From: today.Start(loc)})
		if err != nil {
			t.Fatalf("Meetings: %v", err)
		}
		if len(page.Items) != 1 || page.Items[0].Key != "mau-giao-ban-phoi-hop" {
			t.Errorf("upcoming meetings = %+v, want the sample meeting only", page.Items)
		}
	})

	t.Run("folded search", func(t *testing.T) {
		page, err := s.Search(t.Context(), store.SearchQuery{Text: "thanh thuy thien bao"})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if len(page.Items) == 0 || page.Items[0].Code != "HNXM-2024/03" {
			t.Errorf("search for the border-gate pair without diacritics = %+v, want HNXM-2024/03 first", page.Items)
		}
	})
}

// The demo's days are relative to today, so importing it again on a
// later day moves its deadlines and adds the day's sample reports to
// those stored (an import never removes progress). The console therefore
// loads the demo into a fresh store; this test pins the behaviour.
func TestReimportNextDay(t *testing.T) {
	loc := storetest.Loc
	s := openStore(t, fixedNow)
	first, err := demo.Dataset(fixedNow, loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), first, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	next, err := demo.Dataset(fixedNow.Add(24*time.Hour), loc)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(t.Context(), next, store.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("Import next day: %v", err)
	}
	if res.Directives.Updated != 7 || res.Units.Unchanged != 10 || res.Programs.Unchanged != 8 {
		t.Errorf("next-day import = %+v; want the 7 directives updated, units and programs unchanged", res)
	}
	d, err := s.DirectiveByCode(t.Context(), "HNXM-2024/02")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(d.Assignments, func(a store.Assignment) bool { return a.Unit.Code == "bdbp" })
	if i < 0 {
		t.Fatalf("HNXM-2024/02 is not assigned to bdbp (%d assignments)", len(d.Assignments))
	}
	if n := d.Assignments[i].ReportCount; n != 4 {
		t.Errorf("bdbp on HNXM-2024/02 has %d reports after two days' imports, want 2+2", n)
	}
}
