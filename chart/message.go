package chart

import (
	"fmt"
	"strings"

	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// MaxCaption is Telegram's limit on a photo's caption (UTF-16 units).
const MaxCaption = 1024

// Caption is the caption of the chart of stats as of today, in Telegram
// HTML: what it shows, the totals by state and, when the chart shows
// fewer units than there are (shown < len(stats)), which ones. It stays
// under MaxCaption.
func Caption(stats []store.UnitStats, shown int, today store.Date) string {
	t := Totals(stats)
	var d tghtml.Builder
	d.Text("📊 ").B("Thực hiện chỉ đạo theo đơn vị").Text(", tính đến " + today.DMY()).NL()
	d.Textf("%s %d · %s %d · %s %d · %s %d", wording.StatusEmoji(store.StatusDoneOnTime), t.DoneOnTime,
		wording.StatusEmoji(store.StatusDoneLate), t.DoneLate, wording.StatusEmoji(store.StatusPending), t.Pending,
		wording.StatusEmoji(store.StatusOverdue), t.Overdue)
	if t.Ongoing > 0 {
		d.Textf(" · %s %d thường xuyên", wording.StatusEmoji(store.StatusOngoing), t.Ongoing)
	}
	d.NL()
	if shown < len(stats) {
		d.I(fmt.Sprintf("Biểu đồ hiển thị %d/%d đơn vị có nhiều nhiệm vụ quá hạn nhất; bảng số liệu có đủ các đơn vị.", shown, len(stats)))
	}
	return d.String() // at most a few hundred characters
}

// Messages is stats as of today as Telegram HTML messages, each under
// limit characters (tghtml.MaxMessageLen when 0): the first has a
// heading and the legend, every one a monospace block of Table's rows
// starting with the heading row, cut between rows. filtered adds, to the
// last, that only what the reader may see is counted.
func Messages(stats []store.UnitStats, today store.Date, filtered bool, limit int) []string {
	if limit <= 0 {
		limit = tghtml.MaxMessageLen
	}
	table, ongoing := Table(stats)
	rows := strings.Split(table, "\n")
	head, rows := rows[0], rows[1:]
	t := Totals(stats)
	legend := TableLegend
	if ongoing {
		legend += TableLegendOngoing
	}
	intro := func(d *tghtml.Builder) {
		d.Text("📊 ").B("Thống kê thực hiện chỉ đạo theo đơn vị").NL()
		d.Textf("Tính đến %s · %d đơn vị · %d nhiệm vụ", wording.Day(today), len(stats), t.Total()).NL()
		d.I(legend).NL()
	}
	const note = "Chỉ tính các chỉ đạo bạn được xem."
	build := func(first, last bool, chunk []string) string {
		var d tghtml.Builder
		if first {
			intro(&d)
		}
		d.Pre(head + "\n" + strings.Join(chunk, "\n")).NL()
		if last && filtered {
			d.I(note).NL()
		}
		return d.String()
	}
	fits := func(html string) bool {
		plain, _, err := tghtml.Parse(html)
		return err == nil && tghtml.UTF16Len(plain) <= limit
	}
	var out []string
	for start := 0; start < len(rows) || len(out) == 0; {
		n := 1 // at least one row per message, whatever its length
		for start+n < len(rows) && fits(build(len(out) == 0, true, rows[start:start+n+1])) {
			n++
		}
		n = min(n, len(rows)-start)
		out = append(out, build(len(out) == 0, start+n == len(rows), rows[start:start+n]))
		start += n
	}
	return out
}
