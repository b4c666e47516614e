package scheduler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

func d(y int, m time.Month, day int) store.Date { return store.NewDate(y, m, day) }

func TestDefaultCalendarWorkingDays(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		name    string
		day     store.Date
		working bool
	}{
		{"ordinary Friday", d(2025, 1, 24), true},
		{"Tết Dương lịch 2025", d(2025, 1, 1), false},
		{"Tết 2025 first weekday", d(2025, 1, 27), false},
		{"Tết 2025 last weekday", d(2025, 1, 31), false},
		{"back after Tết 2025", d(2025, 2, 3), true},
		{"Giỗ Tổ 2025", d(2025, 4, 7), false},
		{"compensatory Saturday 26/04/2025", d(2025, 4, 26), true},
		{"30/4/2025", d(2025, 4, 30), false},
		{"swapped Friday 02/05/2025", d(2025, 5, 2), false},
		{"Quốc khánh Monday 01/09/2025", d(2025, 9, 1), false},
		{"Quốc khánh Tuesday 02/09/2025", d(2025, 9, 2), false},
		{"Wednesday 03/09/2025", d(2025, 9, 3), true},
		{"Tết Dương lịch 2026 swapped Friday", d(2026, 1, 2), false},
		{"compensatory Saturday 10/01/2026", d(2026, 1, 10), true},
		{"Friday before Tết 2026", d(2026, 2, 13), true},
		{"Tết 2026 Monday", d(2026, 2, 16), false},
		{"Tết 2026 Friday", d(2026, 2, 20), false},
		{"back after Tết 2026", d(2026, 2, 23), true},
		{"Giỗ Tổ 2026 make-up Monday", d(2026, 4, 27), false},
		{"compensatory Saturday 22/08/2026", d(2026, 8, 22), true},
		{"swapped Monday 31/08/2026", d(2026, 8, 31), false},
		{"Tết 2027 Friday 29 tháng Chạp", d(2027, 2, 5), false},
		{"Tết 2027 make-up Thursday", d(2027, 2, 11), false},
		{"after Tết 2027", d(2027, 2, 12), true},
		{"Giỗ Tổ 2027", d(2027, 4, 16), false},
		{"ordinary Saturday", d(2025, 6, 7), false},
		{"ordinary Sunday", d(2028, 6, 4), false},
		{"uncovered year weekday", d(2028, 6, 5), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.day); got != tt.working {
				t.Errorf("IsWorkingDay(%s, %s) = %v, want %v", tt.day, tt.day.Weekday(), got, tt.working)
			}
		})
	}
}

func TestNextWorkingDay(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		name     string
		from, to store.Date
	}{
		{"working day itself", d(2025, 5, 5), d(2025, 5, 5)},
		{"Saturday to Monday", d(2025, 6, 7), d(2025, 6, 9)},
		{"start of Tết 2025", d(2025, 1, 25), d(2025, 2, 3)},
		{"Giỗ Tổ 2025 to Tuesday", d(2025, 4, 7), d(2025, 4, 8)},
		{"Friday before làm bù Saturday", d(2025, 4, 25), d(2025, 4, 25)},
		{"30/4/2025 to Monday 05/05", d(2025, 4, 30), d(2025, 5, 5)},
		{"Sunday after làm bù Saturday", d(2026, 8, 23), d(2026, 8, 24)},
		{"Quốc khánh 2026 to Thursday", d(2026, 8, 29), d(2026, 9, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NextWorkingDay(tt.from); got != tt.to {
				t.Errorf("NextWorkingDay(%s) = %s, want %s", tt.from, got, tt.to)
			}
		})
	}
}

func TestDefaultCalendarCovers(t *testing.T) {
	c := DefaultCalendar()
	if diff := cmp.Diff([]int{2025, 2026, 2027}, c.Years()); diff != "" {
		t.Errorf("years (-want +got):\n%s", diff)
	}
	if name, ok := c.Holiday(d(2026, 2, 17)); !ok || !strings.Contains(name, "Bính Ngọ") {
		t.Errorf("Holiday(17/02/2026) = %q, %v", name, ok)
	}
}

func TestParseCalendarErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", "years: [2025]\nday_off: []\n", "day_off"},
		{"empty", "", "empty"},
		{"no years", "days_off: []\n", "years"},
		{"bad date", "years: [2025]\ndays_off:\n  - {name: x, from: 2025-02-30, to: 2025-03-01, source: s, confidence: official}\n", `"2025-02-30" is not a date`},
		{"outside years", "years: [2025]\ndays_off:\n  - {name: x, from: 2026-01-01, to: 2026-01-01, source: s, confidence: official}\n", "outside the years"},
		{"backwards", "years: [2025]\ndays_off:\n  - {name: x, from: 2025-01-05, to: 2025-01-01, source: s, confidence: official}\n", "not a range"},
		{"too long", "years: [2025]\ndays_off:\n  - {name: x, from: 2025-01-01, to: 2025-03-01, source: s, confidence: official}\n", "not a range"},
		{"no source", "years: [2025]\ndays_off:\n  - {name: x, from: 2025-01-01, to: 2025-01-01, confidence: official}\n", "source is required"},
		{"bad confidence", "years: [2025]\ndays_off:\n  - {name: x, from: 2025-01-01, to: 2025-01-01, source: s, confidence: sure}\n", `confidence "sure"`},
		{"weekday worked", "years: [2025]\nworking_days:\n  - {name: x, date: 2025-04-25, source: s, confidence: official}\n", "is a Friday"},
		{"worked day off", "years: [2025]\ndays_off:\n  - {name: h, from: 2025-04-26, to: 2025-04-27, source: s, confidence: official}\nworking_days:\n  - {name: x, date: 2025-04-26, source: s, confidence: official}\n", "also a day off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCalendar(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseCalendar error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadCalendarFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "holidays.yaml")
	data := "years: [2030]\ndays_off:\n  - {name: Nghỉ, from: 2030-01-01, to: 2030-01-01, source: test, confidence: official}\n" +
		"working_days:\n  - {name: Làm bù, date: 2030-01-05, source: test, confidence: official}\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCalendar(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkingDay(d(2030, 1, 1)) || !c.IsWorkingDay(d(2030, 1, 5)) {
		t.Error("file calendar not applied")
	}
	// The file replaces the built-in calendar.
	if !c.IsWorkingDay(d(2025, 1, 27)) {
		t.Error("the built-in Tết 2025 leaked into a file calendar")
	}
	if _, err := LoadCalendar(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("LoadCalendar of a missing file succeeded")
	}
	def, err := LoadCalendar("")
	if err != nil || def != DefaultCalendar() {
		t.Errorf("LoadCalendar(\"\") = %p, %v; want the built-in calendar", def, err)
	}
}
