package chart

import (
	"fmt"

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

// Message is stats as of today as a Telegram HTML message: a heading,
// the legend and Table in a monospace block (tghtml.Split keeps the
// block whole across messages). filtered adds that only what the reader
// may see is counted.
func Message(stats []store.UnitStats, today store.Date, filtered bool) string {
	table, ongoing := Table(stats)
	t := Totals(stats)
	var d tghtml.Builder
	d.Text("📊 ").B("Thống kê thực hiện chỉ đạo theo đơn vị").NL()
	d.Textf("Tính đến %s · %d đơn vị · %d nhiệm vụ", wording.Day(today), len(stats), t.Total()).NL()
	legend := TableLegend
	if ongoing {
		legend += TableLegendOngoing
	}
	d.I(legend).NL()
	d.Pre(table).NL()
	if filtered {
		d.I("Chỉ tính các chỉ đạo bạn được xem.").NL()
	}
	return d.String()
}
