package handlers

import (
	"strings"
	"testing"
	"time"

	"meetbot/store"
	"meetbot/wording"
)

func TestStatusSetNames(t *testing.T) {
	// Every set a status phrase selects has a name of its own.
	for phrase, set := range statusPhrases {
		name := wording.StatusSet(set)
		if name == "" || strings.Contains(name, ",") {
			t.Errorf("set of %q (%d) is named %q", phrase, set, name)
		}
	}
}

func TestFmtPeriod(t *testing.T) {
	tests := []struct {
		name string
		p    store.Program
		want string
	}{
		{name: "period and vision", p: store.Program{StartYear: 2020, EndYear: 2025, VisionYear: 2030}, want: "2020–2025, tầm nhìn 2030"},
		{name: "period", p: store.Program{StartYear: 2021, EndYear: 2025}, want: "2021–2025"},
		{name: "one year", p: store.Program{StartYear: 2024, EndYear: 2024}, want: "năm 2024"},
		{name: "start only", p: store.Program{StartYear: 2020}, want: "từ năm 2020"},
		{name: "end only", p: store.Program{EndYear: 2025}, want: "đến năm 2025"},
		{name: "vision only", p: store.Program{VisionYear: 2030}, want: "tầm nhìn 2030"},
		{name: "none", p: store.Program{}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmtPeriod(tt.p); got != tt.want {
				t.Errorf("fmtPeriod = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFmtWhen(t *testing.T) {
	tests := []struct {
		name       string
		start, end time.Time
		want       string
	}{
		{name: "time of day in the office's zone", start: at(2024, 4, 17, 8, 0), want: "08:00, Thứ Tư, 17/04/2024"},
		{name: "same-day end", start: at(2024, 4, 17, 8, 0), end: at(2024, 4, 17, 11, 30), want: "08:00–11:30, Thứ Tư, 17/04/2024"},
		{name: "bare day", start: at(2024, 6, 20, 0, 0), want: "Thứ Năm, 20/06/2024"},
		{name: "several days", start: at(2024, 6, 20, 0, 0), end: at(2024, 6, 21, 0, 0), want: "Thứ Năm, 20/06/2024 – Thứ Sáu, 21/06/2024"},
		{name: "late evening UTC is the next day here", start: time.Date(2024, 4, 16, 23, 30, 0, 0, time.UTC), want: "06:30, Thứ Tư, 17/04/2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmtWhen(tt.start, tt.end, ict); got != tt.want {
				t.Errorf("fmtWhen = %q, want %q", got, tt.want)
			}
		})
	}
}
