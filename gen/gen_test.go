package gen_test

import (
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"meetbot/gen"
	"meetbot/store"
	"meetbot/store/storetest"
)

func opts(t testing.TB, units, meetings, directives int, seed uint64) gen.Options {
	loc := storetest.Loc
	return gen.Options{
		Units: units, Meetings: meetings, Directives: directives, Seed: seed,
		Now: time.Date(2026, 5, 13, 10, 0, 0, 0, loc), Loc: loc,
	}
}

func TestDeterministic(t *testing.T) {
	a := gen.Dataset(opts(t, 300, 500, 2000, 42))
	b := gen.Dataset(opts(t, 300, 500, 2000, 42))
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same options, different datasets (-first +second):\n%s", cmp.Diff(a, b))
	}
	c := gen.Dataset(opts(t, 300, 500, 2000, 43))
	if reflect.DeepEqual(a.Directives, c.Directives) {
		t.Errorf("seeds 42 and 43 gave the same directives")
	}
}

func TestCountsAndValidity(t *testing.T) {
	tests := []struct {
		name                        string
		units, meetings, directives int
		wantUnits                   int
	}{
		{name: "empty", wantUnits: 0},
		{name: "units only", units: 5, wantUnits: 5},
		{name: "directives without units get one", directives: 3, wantUnits: 1},
		{name: "one unit", units: 1, meetings: 5, directives: 20, wantUnits: 1},
		{name: "cut inside a district", units: 40, meetings: 30, directives: 200, wantUnits: 40},
		{name: "several provinces", units: 600, meetings: 1000, directives: 5000, wantUnits: 600},
		{name: "negative counts", units: -1, meetings: -5, directives: -5, wantUnits: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts(t, tt.units, tt.meetings, tt.directives, 7)
			ds := gen.Dataset(o)
			if got := len(ds.Units); got != tt.wantUnits {
				t.Errorf("%d units, want %d", got, tt.wantUnits)
			}
			if got, want := len(ds.Meetings), max(tt.meetings, 0); got != want {
				t.Errorf("%d meetings, want %d", got, want)
			}
			if got, want := len(ds.Directives), max(tt.directives, 0); got != want {
				t.Errorf("%d directives, want %d", got, want)
			}
			if err := ds.Validate(o.Loc); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			checkConsistent(t, ds, store.DateIn(o.Now, o.Loc), o.Loc)
		})
	}
}

// checkConsistent checks what the store's Import will: every reference is
// to a record of the dataset, and progress never happens in the future.
func checkConsistent(t *testing.T, ds *store.Dataset, today store.Date, loc *time.Location) {
	t.Helper()
	units := map[string]store.UnitRecord{}
	for _, u := range ds.Units {
		units[u.Code] = u
	}
	meetings := map[string]bool{}
	programs := map[string]bool{}
	for _, p := range ds.Programs {
		programs[p.Code] = true
		if p.Owner != "" && units[p.Owner].Code == "" {
			t.Errorf("program %s: unknown owner %q", p.Code, p.Owner)
		}
	}
	for _, u := range ds.Units {
		for _, ref := range []string{u.Parent, u.Successor} {
			if ref != "" && units[ref].Code == "" {
				t.Errorf("unit %s: unknown unit %q", u.Code, ref)
			}
		}
		if u.Successor != "" && !units[u.Successor].ActiveTo.IsZero() {
			t.Errorf("unit %s: successor %s is retired too", u.Code, u.Successor)
		}
	}
	for _, m := range ds.Meetings {
		meetings[m.Key] = true
		for _, ref := range append([]string{m.Organiser}, m.Attendees...) {
			if units[ref].Code == "" {
				t.Errorf("meeting %s: unknown unit %q", m.Key, ref)
			}
		}
	}
	endOfToday := today.AddDays(1).Start(loc)
	for _, d := range ds.Directives {
		if d.Meeting != "" && !meetings[d.Meeting] {
			t.Errorf("directive %s: unknown meeting %q", d.Code, d.Meeting)
		}
		if d.Program != "" && !programs[d.Program] {
			t.Errorf("directive %s: unknown program %q", d.Code, d.Program)
		}
		if len(d.Assignments) < 1 || len(d.Assignments) > 4 {
			t.Errorf("directive %s: %d assignments, want 1–4", d.Code, len(d.Assignments))
		}
		if d.IssuedOn.After(today) || d.ClosedOn.After(today) {
			t.Errorf("directive %s: dated in the future", d.Code)
		}
		for _, a := range d.Assignments {
			u, ok := units[a.Unit]
			if !ok {
				t.Errorf("directive %s: unknown unit %q", d.Code, a.Unit)
				continue
			}
			if !u.ActiveTo.IsZero() && d.IssuedOn.After(u.ActiveTo) {
				t.Errorf("directive %s issued %v to %s, retired %v", d.Code, d.IssuedOn, u.Code, u.ActiveTo)
			}
			if a.CompletedOn.After(today) || (!a.CompletedOn.IsZero() && a.CompletedOn.Before(d.IssuedOn)) {
				t.Errorf("directive %s/%s: completed %v, issued %v, today %v", d.Code, a.Unit, a.CompletedOn, d.IssuedOn, today)
			}
			times := map[string]bool{}
			for _, r := range a.Reports {
				if times[r.At] {
					t.Errorf("directive %s/%s: two reports at %s; reports are matched by time", d.Code, a.Unit, r.At)
				}
				times[r.At] = true
				at, err := store.ParseTime(r.At, loc)
				if err != nil {
					t.Fatal(err)
				}
				day := store.DateIn(at, loc)
				if !at.Before(endOfToday) || day.Before(d.IssuedOn) || (!a.CompletedOn.IsZero() && day.After(a.CompletedOn)) {
					t.Errorf("directive %s/%s: report on %v outside issue %v .. completion %v / today", d.Code, a.Unit, day, d.IssuedOn, a.CompletedOn)
				}
			}
		}
	}
}

func TestFormatting(t *testing.T) {
	ds := gen.Dataset(opts(t, 50, 50, 500, 3))
	loc := storetest.Loc
	for _, d := range ds.Directives {
		if !d.Deadline.IsZero() && !strings.Contains(d.Body, "trước ngày "+d.Deadline.DMY()+".") {
			t.Fatalf("body %q does not end with the deadline %s", d.Body, d.Deadline.DMY())
		}
	}
	for _, m := range ds.Meetings {
		at, err := store.ParseTime(m.StartsAt, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := at.In(loc).Format("2006-01-02 15:04"); got != m.StartsAt {
			t.Fatalf("starts_at %q reads back as %q", m.StartsAt, got)
		}
	}
}

// A medium dataset looks like the real thing: every state, text with
// diacritics, document codes, meetings over three years.
func TestShape(t *testing.T) {
	o := opts(t, 3500, 1000, 8000, 1)
	ds := gen.Dataset(o)
	today := store.DateIn(o.Now, o.Loc)

	var counts store.StatusCounts
	var dueSoon, standing int
	for _, d := range ds.Directives {
		for _, a := range d.Assignments {
			s := store.StatusAt(d.Deadline, a.CompletedOn, today)
			counts.Add(s)
			if s == store.StatusPending && today.DaysUntil(d.Deadline) <= 7 {
				dueSoon++
			}
		}
		if d.Deadline.IsZero() {
			standing++
		}
	}
	t.Logf("assignment states: %+v, due within 7 days: %d, standing directives: %d", counts, dueSoon, standing)
	if counts.DoneOnTime == 0 || counts.DoneLate == 0 || counts.Pending == 0 || counts.Overdue == 0 || counts.Ongoing == 0 || dueSoon == 0 {
		t.Errorf("some state is missing: %+v, due soon %d", counts, dueSoon)
	}

	code := regexp.MustCompile(`^\d+/[A-ZĐ]+-[A-ZĐ]+$`)
	var reports, folded int
	for _, d := range ds.Directives {
		if !code.MatchString(d.Code) {
			t.Fatalf("directive code %q is not like 123/CT-UBND", d.Code)
		}
		if store.Fold(d.Title) != store.Lower(d.Title) {
			folded++
		}
		for _, a := range d.Assignments {
			reports += len(a.Reports)
		}
	}
	for _, d := range ds.Directives {
		for _, text := range []string{d.Title, d.Body, d.IssuerName, d.IssuerPosition} {
			if !utf8.ValidString(text) {
				t.Fatalf("directive %s: invalid UTF-8 in %q", d.Code, text)
			}
		}
	}
	for _, m := range ds.Meetings {
		for _, text := range []string{m.Title, m.Summary, m.Place, m.ChairName} {
			if !utf8.ValidString(text) {
				t.Fatalf("meeting %s: invalid UTF-8 in %q", m.Key, text)
			}
		}
	}
	for _, u := range ds.Units {
		for _, text := range append([]string{u.Name}, u.Aliases...) {
			if !utf8.ValidString(text) {
				t.Fatalf("unit %s: invalid UTF-8 in %q", u.Code, text)
			}
		}
	}
	if folded < len(ds.Directives)*9/10 {
		t.Errorf("only %d of %d titles have diacritics", folded, len(ds.Directives))
	}
	if reports == 0 {
		t.Errorf("no progress reports")
	}

	years := map[int]bool{}
	var upcoming int
	first := today
	for _, m := range ds.Meetings {
		at, err := store.ParseTime(m.StartsAt, o.Loc)
		if err != nil {
			t.Fatal(err)
		}
		day := store.DateIn(at, o.Loc)
		years[day.Year] = true
		if day.After(today) {
			upcoming++
		}
		if day.Before(first) {
			first = day
		}
	}
	if len(years) < 3 || upcoming == 0 || first.DaysUntil(today) > 3*366 {
		t.Errorf("meetings span years %v from %v, %d upcoming; want three years back and some ahead", years, first, upcoming)
	}

	var renamed, retired int
	for _, u := range ds.Units {
		if len(u.FormerNames) > 0 {
			renamed++
		}
		if !u.ActiveTo.IsZero() {
			retired++
		}
	}
	if renamed == 0 || retired == 0 {
		t.Errorf("%d renamed and %d retired units; want some of each", renamed, retired)
	}
}

// The benchmark size: run with -short to skip.
func TestFullSize(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("full-size dataset in -short mode or under the race detector")
	}
	o := opts(t, 3500, 10_000, 100_000, 2024)
	start := time.Now()
	ds := gen.Dataset(o)
	elapsed := time.Since(start)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("generated in %v; live heap after GC %.0f MiB", elapsed, float64(ms.HeapAlloc)/(1<<20))
	runtime.KeepAlive(ds)
	if err := ds.Validate(o.Loc); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	checkConsistent(t, ds, store.DateIn(o.Now, o.Loc), o.Loc)
}

func BenchmarkDataset(b *testing.B) {
	o := opts(b, 3500, 10_000, 100_000, 2024)
	b.ReportAllocs()
	for b.Loop() {
		gen.Dataset(o)
	}
}
