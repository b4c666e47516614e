package chart_test

import (
	"fmt"
	"testing"

	"meetbot/chart"
	"meetbot/store"
)

// BenchmarkRender draws /stats's chart for 3,500 units (the chart keeps
// the 15 that matter most; the selection is part of the cost).
func BenchmarkRender(b *testing.B) {
	stats := make([]store.UnitStats, 3500)
	for i := range stats {
		stats[i] = store.UnitStats{
			Unit:   store.UnitRef{ID: int64(i + 1), Code: fmt.Sprintf("u%04d", i), Name: fmt.Sprintf("Đồn Biên phòng số %d", i)},
			Counts: store.StatusCounts{DoneOnTime: i % 7, DoneLate: i % 3, Pending: i % 5, Overdue: i % 4},
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := chart.Render(stats, chart.Options{Subtitle: "Tính đến 01/12/2026"}); err != nil {
			b.Fatal(err)
		}
	}
}
