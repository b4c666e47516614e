package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, fold, lower string
	}{
		{"plain ascii", "Bien Gioi", "bien gioi", "bien gioi"},
		{"tones and hats", "Biên Giới", "bien gioi", "biên giới"},
		{"đ lower", "đồng văn", "dong van", "đồng văn"},
		{"Đ upper", "ĐẢNG ỦY", "dang uy", "đảng ủy"},
		{"all vowels", "ăâêôơư ẮẰẲẴẶ ỮỰ", "aaeoou aaaaa uu", "ăâêôơư ắằẳẵặ ữự"},
		{"decomposed input", "Vi\u0323 Xuye\u0302n", "vi xuyen", "vị xuyên"},
		{"spaces collapsed", "  Mèo   Vạc\t", "meo vac", "mèo vạc"},
		{"punctuation kept", "15/CT-UBND", "15/ct-ubnd", "15/ct-ubnd"},
		{"emoji kept", "biên 🙂", "bien 🙂", "biên 🙂"},
		{"empty", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := store.Fold(tc.in); got != tc.fold {
				t.Errorf("Fold(%q) = %q; want %q", tc.in, got, tc.fold)
			}
			if got := store.Fold(store.Fold(tc.in)); got != tc.fold {
				t.Errorf("Fold is not idempotent on %q: %q", tc.in, got)
			}
			if got := store.Lower(tc.in); got != tc.lower {
				t.Errorf("Lower(%q) = %q; want %q", tc.in, got, tc.lower)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"document number", "15/CT-UBND", []string{"15", "CT", "UBND"}},
		{"syntax is not a word", `"biên" * % ' OR (giới)`, []string{"biên", "OR", "giới"}},
		{"emoji and tags", "<b>Mèo</b> 🙂 Vạc&amp;", []string{"b", "Mèo", "b", "Vạc", "amp"}},
		{"decomposed joins", "Vi\u0323", []string{"Vị"}},
		{"nothing", "*%'\"-", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, store.Tokens(tc.in)); diff != "" {
				t.Errorf("Tokens(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestParseDMY(t *testing.T) {
	tests := []struct {
		name, in string
		want     store.Date
		wantErr  bool
	}{
		{"slashes", "17/04/2024", store.NewDate(2024, 4, 17), false},
		{"short", "7/4/2024", store.NewDate(2024, 4, 7), false},
		{"dashes", "17-04-2024", store.NewDate(2024, 4, 17), false},
		{"dots", "17.04.2024", store.NewDate(2024, 4, 17), false},
		{"leap day", "29/02/2024", store.NewDate(2024, 2, 29), false},
		{"not a leap year", "29/02/2025", store.Date{}, true},
		{"april 31", "31/04/2024", store.Date{}, true},
		{"month 13", "01/13/2024", store.Date{}, true},
		{"two-digit year", "17/04/24", store.Date{}, true},
		{"iso is not dmy", "2024-04-17", store.Date{}, true},
		{"words", "hôm nay", store.Date{}, true},
		{"empty", "", store.Date{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.ParseDMY(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseDMY(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestDate(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	late := time.Date(2024, 4, 16, 18, 30, 0, 0, time.UTC) // 01:30 on the 17th in Hà Giang
	if got := store.DateIn(late, hcm); got != store.NewDate(2024, 4, 17) {
		t.Errorf("DateIn = %v; want 2024-04-17", got)
	}
	d := store.NewDate(2024, 12, 30)
	if d.AddDays(3) != store.NewDate(2025, 1, 2) || d.AddDays(-30) != store.NewDate(2024, 11, 30) {
		t.Errorf("AddDays across a year: %v, %v", d.AddDays(3), d.AddDays(-30))
	}
	if n := store.NewDate(2024, 3, 1).DaysUntil(store.NewDate(2024, 2, 28)); n != -2 {
		t.Errorf("DaysUntil = %d; want -2", n)
	}
	if d.DMY() != "30/12/2024" || d.String() != "2024-12-30" || (store.Date{}).DMY() != "" {
		t.Errorf("formats: %q %q", d.DMY(), d.String())
	}
	var u store.Date
	for _, in := range []string{"2024-12-30", "30/12/2024"} {
		if err := u.UnmarshalText([]byte(in)); err != nil || u != d {
			t.Errorf("UnmarshalText(%q) = %v, %v", in, u, err)
		}
	}
	if err := u.UnmarshalText([]byte("30/13/2024")); err == nil {
		t.Error("UnmarshalText accepted month 13")
	}
}

func TestStatusAt(t *testing.T) {
	today := store.NewDate(2024, 5, 14)
	deadline := store.NewDate(2024, 5, 10)
	tests := []struct {
		name                  string
		deadline, done, today store.Date
		want                  store.Status
	}{
		{"done before deadline", deadline, store.NewDate(2024, 5, 9), today, store.StatusDoneOnTime},
		{"done on deadline day", deadline, deadline, today, store.StatusDoneOnTime},
		{"done a day late", deadline, store.NewDate(2024, 5, 11), today, store.StatusDoneLate},
		{"open on deadline day", deadline, store.Date{}, deadline, store.StatusPending},
		{"open before deadline", deadline, store.Date{}, store.NewDate(2024, 5, 1), store.StatusPending},
		{"open after deadline", deadline, store.Date{}, today, store.StatusOverdue},
		{"standing open", store.Date{}, store.Date{}, today, store.StatusOngoing},
		{"standing closed", store.Date{}, store.NewDate(2024, 5, 1), today, store.StatusDoneOnTime},
		{"done in the future of today", deadline, store.NewDate(2024, 5, 9), store.NewDate(2024, 5, 1), store.StatusDoneOnTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := store.StatusAt(tc.deadline, tc.done, tc.today); got != tc.want {
				t.Errorf("StatusAt = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestDirectiveOverallStatus(t *testing.T) {
	today := store.NewDate(2024, 5, 14)
	done := func(d store.Date) store.Assignment { return store.Assignment{CompletedOn: d} }
	tests := []struct {
		name string
		d    store.Directive
		want store.Status
	}{
		{"one unit open past deadline", store.Directive{Deadline: store.NewDate(2024, 5, 10),
			Assignments: []store.Assignment{done(store.NewDate(2024, 5, 1)), {}}}, store.StatusOverdue},
		{"last unit late", store.Directive{Deadline: store.NewDate(2024, 5, 10),
			Assignments: []store.Assignment{done(store.NewDate(2024, 5, 1)), done(store.NewDate(2024, 5, 12))}}, store.StatusDoneLate},
		{"all on time", store.Directive{Deadline: store.NewDate(2024, 5, 10),
			Assignments: []store.Assignment{done(store.NewDate(2024, 5, 1)), done(store.NewDate(2024, 5, 10))}}, store.StatusDoneOnTime},
		{"closed by the office", store.Directive{Deadline: store.NewDate(2024, 5, 10), ClosedOn: store.NewDate(2024, 5, 9),
			Assignments: []store.Assignment{{}}}, store.StatusDoneOnTime},
		{"no units", store.Directive{Deadline: store.NewDate(2024, 5, 20)}, store.StatusPending},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.Status(today); got != tc.want {
				t.Errorf("Status = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestStatusSet(t *testing.T) {
	if !store.StatusSet(0).Has(store.StatusOverdue) || !store.SetOpen.Has(store.StatusOngoing) || store.SetOpen.Has(store.StatusDoneLate) || !store.SetDone.Has(store.StatusDoneLate) {
		t.Error("StatusSet membership is wrong")
	}
	var c store.StatusCounts
	for _, s := range []store.Status{store.StatusOverdue, store.StatusOverdue, store.StatusDoneLate} {
		c.Add(s)
	}
	if c.Overdue != 2 || c.DoneLate != 1 || c.Total() != 3 {
		t.Errorf("counts = %+v", c)
	}
}

func TestNameAt(t *testing.T) {
	u := store.Unit{Name: "Ủy ban nhân dân tỉnh Tuyên Quang", FormerNames: []store.UnitName{
		{Name: "UBND tỉnh Hà Giang", To: store.NewDate(2025, 6, 30)},
	}}
	tests := []struct {
		name string
		d    store.Date
		want string
	}{
		{"before the merger", store.NewDate(2024, 4, 17), "UBND tỉnh Hà Giang"},
		{"last day", store.NewDate(2025, 6, 30), "UBND tỉnh Hà Giang"},
		{"after", store.NewDate(2025, 7, 1), "Ủy ban nhân dân tỉnh Tuyên Quang"},
		{"no date", store.Date{}, "Ủy ban nhân dân tỉnh Tuyên Quang"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := u.NameAt(tc.d); got != tc.want {
				t.Errorf("NameAt(%v) = %q; want %q", tc.d, got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	loc := time.UTC
	ds := &store.Dataset{
		Units: []store.UnitRecord{{Code: "Xín Mần", Name: "x"}, {Code: "a", Name: ""}, {Code: "a", Name: "dup"}},
		Meetings: []store.MeetingRecord{
			{Key: "m", Title: "t", StartsAt: "31/04/2024 08:00"},
			{Key: "n", Title: "t", StartsAt: "2024-04-17 08:00", EndsAt: "2024-04-17 07:00"},
		},
		Directives: []store.DirectiveRecord{
			{Code: "d", Title: "t"},
			{Code: "e", Title: "t", Assignments: []store.AssignmentRecord{{Unit: "a", Role: "boss"}, {Unit: "a", Reports: []store.ReportRecord{{At: "x", Percent: 120}}}}},
			{Code: "f", Title: "t", Assignments: []store.AssignmentRecord{{Unit: "a", Reports: []store.ReportRecord{
				{At: "2024-05-01 10:00", Percent: 10}, {At: "01/05/2024 10:00", Percent: 20}}}}},
		},
	}
	err := ds.Validate(loc)
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Validate = %v; want ErrInvalid", err)
	}
	es, _ := store.ImportErrorsOf(err)
	var got []string
	for _, e := range es {
		got = append(got, e.Record+"|"+e.Field+"|"+string(e.Problem)+"|"+strings.Join(e.Args, ","))
	}
	// The problems carry their kind and values, for the importer to word.
	want := []string{
		"units[0] (Xín Mần)|code|code-format|Xín Mần",
		"units[1] (a)|name|required|",
		"units[2] (a)||duplicate|a,units[1] (a)",
		"meetings[0] (m)|starts_at|time|31/04/2024 08:00",
		"meetings[1] (n)|ends_at|before|starts_at",
		"directives[0] (d)|assignments|no-unit|",
		"directives[1] (e)|assignments[0].role|role|boss",
		"directives[1] (e)|assignments[1].unit|assigned-twice|a",
		"directives[1] (e)|assignments[1].reports[0].at|time|x",
		"directives[1] (e)|assignments[1].reports[0].percent|percent|120",
		"directives[2] (f)|assignments[0].reports[1].at|same-time|assignments[0].reports[0]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
