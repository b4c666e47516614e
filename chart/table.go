package chart

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"meetbot/store"
)

// A column of the table: its short heading and what it counts.
type column struct {
	head string
	of   func(store.StatusCounts) int
}

var columns = []column{
	{"Đúng", func(c store.StatusCounts) int { return c.DoneOnTime }},
	{"Trễ", func(c store.StatusCounts) int { return c.DoneLate }},
	{"Trong", func(c store.StatusCounts) int { return c.Pending }},
	{"Quá", func(c store.StatusCounts) int { return c.Overdue }},
}

var ongoingColumn = column{"TX", func(c store.StatusCounts) int { return c.Ongoing }}

// TableLegend explains the table's headings.
const TableLegend = "Đúng: hoàn thành đúng hạn · Trễ: hoàn thành quá hạn · Trong: chưa hoàn thành, trong hạn · Quá: chưa hoàn thành, quá hạn"

// TableLegendOngoing is added to TableLegend when the table has the
// column of standing directives.
const TableLegendOngoing = " · TX: thường xuyên (không có hạn)"

// MaxTableName is the widest a unit's name is in the table (runes).
const MaxTableName = 24

// Table returns stats as a plain-text table for a monospace block: a
// heading line, one line per unit (name, then the counts of done on
// time, done late, within the deadline, overdue, and standing when any
// unit has one) and, for several units, a line of totals ("Cộng"). Names
// are NFC and cut in the middle to at most MaxTableName runes. It also reports whether the
// standing column is there (for the legend).
func Table(stats []store.UnitStats) (table string, ongoing bool) {
	cols := columns
	for _, s := range stats {
		if s.Counts.Ongoing > 0 {
			cols = append(cols[:len(cols):len(cols)], ongoingColumn)
			ongoing = true
			break
		}
	}
	total := Totals(stats)
	names := make([]string, len(stats))
	width := utf8.RuneCountInString("Đơn vị")
	for i, s := range stats {
		names[i] = cut(norm.NFC.String(strings.TrimSpace(s.Unit.Name)), MaxTableName)
		width = max(width, utf8.RuneCountInString(names[i]))
	}
	widths := make([]int, len(cols))
	for j, c := range cols {
		widths[j] = max(utf8.RuneCountInString(c.head), len(fmt.Sprint(c.of(total))))
	}
	var b strings.Builder
	row := func(name string, cell func(j int) string) {
		b.WriteString(name)
		b.WriteString(strings.Repeat(" ", width-utf8.RuneCountInString(name)))
		for j := range cols {
			v := cell(j)
			b.WriteString(strings.Repeat(" ", 1+widths[j]-utf8.RuneCountInString(v)))
			b.WriteString(v)
		}
		b.WriteByte('\n')
	}
	row("Đơn vị", func(j int) string { return cols[j].head })
	for i, s := range stats {
		row(names[i], func(j int) string { return fmt.Sprint(cols[j].of(s.Counts)) })
	}
	if len(stats) > 1 {
		row("Cộng", func(j int) string { return fmt.Sprint(cols[j].of(total)) })
	}
	return strings.TrimRight(b.String(), "\n"), ongoing
}

// Totals returns the sum of every unit's counts.
func Totals(stats []store.UnitStats) store.StatusCounts {
	var t store.StatusCounts
	for _, s := range stats {
		t.DoneOnTime += s.Counts.DoneOnTime
		t.DoneLate += s.Counts.DoneLate
		t.Pending += s.Counts.Pending
		t.Overdue += s.Counts.Overdue
		t.Ongoing += s.Counts.Ongoing
	}
	return t
}

// cut shortens s to n runes by putting "…" in its middle: the end of a
// unit's name (a district's, a post's number) is what tells it apart.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	keep := n - 1
	head := (keep + 1) / 2
	return strings.TrimSpace(string(r[:head])) + "…" + strings.TrimSpace(string(r[len(r)-(keep-head):]))
}
