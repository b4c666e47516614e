package handlers

// This file holds what views are made of: the view and keyboard types and
// the formats of dates, times, statuses and labels. Markup is made only by
// tghtml.Builder, which escapes everything it is given; views (views.go)
// write through it, and nothing in the package writes a tag or escapes
// text by hand.

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

// view is a rendered reply: HTML (of any length; it is split when sent),
// an optional keyboard (on the last part), and for button presses the
// short notice shown by AnswerCallbackQuery.
type view struct {
	html   string
	kb     *models.InlineKeyboardMarkup
	notice string
}

// keyboard builds an inline keyboard.
type keyboard struct {
	rows [][]models.InlineKeyboardButton
}

// row appends a row, skipping empty ones.
func (k *keyboard) row(bs ...models.InlineKeyboardButton) {
	if len(bs) > 0 {
		k.rows = append(k.rows, bs)
	}
}

// markup returns the keyboard, or nil when it has no buttons.
func (k *keyboard) markup() *models.InlineKeyboardMarkup {
	if len(k.rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: k.rows}
}

// button returns a button that sends cb when pressed. Button text is
// plain text, never parsed as HTML.
func button(text string, cb callback) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: text, CallbackData: cb.encode()}
}

// --- formats ---------------------------------------------------------------

var weekdays = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// fmtDate returns d as dd/mm/yyyy.
func fmtDate(d store.Date) string { return d.DMY() }

// fmtDay returns d as "Thứ Tư, 17/04/2024".
func fmtDay(d store.Date) string { return weekdays[d.Weekday()] + ", " + d.DMY() }

// hasClock reports whether t, seen in loc, carries a time of day: records
// imported with a bare day start at midnight, and "00:00" would mislead.
func hasClock(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	return l.Hour() != 0 || l.Minute() != 0
}

// fmtWhen returns a meeting's time: "08:00–11:30, Thứ Tư, 17/04/2024", or
// just the day when no time of day is known.
func fmtWhen(start, end time.Time, loc *time.Location) string {
	day := fmtDay(store.DateIn(start, loc))
	if !hasClock(start, loc) && (end.IsZero() || !hasClock(end, loc)) {
		if !end.IsZero() && store.DateIn(end, loc) != store.DateIn(start, loc) {
			return day + " – " + fmtDay(store.DateIn(end, loc))
		}
		return day
	}
	clock := start.In(loc).Format("15:04")
	if !end.IsZero() {
		if store.DateIn(end, loc) == store.DateIn(start, loc) {
			clock += "–" + end.In(loc).Format("15:04")
		} else {
			return clock + ", " + day + " – " + end.In(loc).Format("15:04") + ", " + fmtDay(store.DateIn(end, loc))
		}
	}
	return clock + ", " + day
}

// fmtShortWhen returns "17/04/2024 08:00" (or the day alone) for lists.
func fmtShortWhen(t time.Time, loc *time.Location) string {
	if !hasClock(t, loc) {
		return fmtDate(store.DateIn(t, loc))
	}
	return fmtDate(store.DateIn(t, loc)) + " " + t.In(loc).Format("15:04")
}

// fmtPeriod returns a program's period: "2020–2025, tầm nhìn 2030".
func fmtPeriod(p store.Program) string {
	var s string
	switch {
	case p.StartYear != 0 && p.EndYear != 0 && p.StartYear != p.EndYear:
		s = fmt.Sprintf("%d–%d", p.StartYear, p.EndYear)
	case p.StartYear != 0 && p.EndYear == p.StartYear:
		s = fmt.Sprintf("năm %d", p.StartYear)
	case p.StartYear != 0:
		s = fmt.Sprintf("từ năm %d", p.StartYear)
	case p.EndYear != 0:
		s = fmt.Sprintf("đến năm %d", p.EndYear)
	}
	if p.VisionYear != 0 {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("tầm nhìn %d", p.VisionYear)
	}
	return s
}

// capitalise upper-cases the first letter: "đề án" → "Đề án".
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// --- statuses and labels ---------------------------------------------------

// statusEmoji gives each state its one emoji, used wherever it is shown.
func statusEmoji(s store.Status) string {
	switch s {
	case store.StatusDoneOnTime:
		return "✅"
	case store.StatusDoneLate:
		return "🟡"
	case store.StatusOverdue:
		return "🔴"
	case store.StatusOngoing:
		return "🔄"
	}
	return "⏳"
}

// statusName returns the Vietnamese name of a state, without emoji.
func statusName(s store.Status) string {
	switch s {
	case store.StatusDoneOnTime:
		return "Hoàn thành đúng hạn"
	case store.StatusDoneLate:
		return "Hoàn thành quá hạn"
	case store.StatusOverdue:
		return "Chưa hoàn thành – quá hạn"
	case store.StatusOngoing:
		return "Thường xuyên"
	}
	return "Chưa hoàn thành – trong hạn"
}

// statusLabel returns the emoji and name of a state with what the day
// adds: days overdue, days left, days late.
func statusLabel(s store.Status, deadline, completedOn, today store.Date) string {
	label := statusEmoji(s) + " " + statusName(s)
	switch s {
	case store.StatusOverdue:
		label += fmt.Sprintf(" %d ngày", deadline.DaysUntil(today))
	case store.StatusPending:
		switch n := today.DaysUntil(deadline); n {
		case 0:
			label += " (hạn hôm nay)"
		default:
			label += fmt.Sprintf(" (còn %d ngày)", n)
		}
	case store.StatusDoneLate:
		if !completedOn.IsZero() && !deadline.IsZero() {
			label += fmt.Sprintf(" (trễ %d ngày)", deadline.DaysUntil(completedOn))
		}
	}
	return label
}

// statusSetName names a filter set in lists: "quá hạn", "hoàn thành".
func statusSetName(ss store.StatusSet) string {
	for _, w := range statusSetNames {
		if w.set == ss {
			return w.name
		}
	}
	var names []string
	for _, s := range []store.Status{store.StatusPending, store.StatusOverdue, store.StatusDoneOnTime, store.StatusDoneLate, store.StatusOngoing} {
		if ss&(1<<s) != 0 {
			names = append(names, strings.ToLower(statusName(s)))
		}
	}
	return strings.Join(names, ", ")
}

var statusSetNames = []struct {
	set  store.StatusSet
	name string
}{
	{store.SetOverdue, "quá hạn"},
	{store.SetPending, "trong hạn"},
	{store.SetDone, "hoàn thành"},
	{store.SetDoneOnTime, "hoàn thành đúng hạn"},
	{store.SetDoneLate, "hoàn thành quá hạn"},
	{store.SetOpen, "chưa hoàn thành"},
	{store.SetOngoing, "thường xuyên"},
	{store.SetAll, "tất cả"},
}

// roleName returns the Vietnamese name of a unit's role.
func roleName(r store.Role) string {
	switch r {
	case store.RoleLead:
		return "Chủ trì"
	case store.RoleSupport:
		return "Phối hợp"
	case "":
		return "Thực hiện"
	}
	return string(r)
}

// unitKindName names a group of units in /units.
func unitKindName(k store.UnitKind) string {
	switch k {
	case store.KindProvince:
		return "Cấp tỉnh"
	case store.KindBorderGuard:
		return "Bộ đội Biên phòng tỉnh"
	case store.KindBorderPost:
		return "Đồn Biên phòng"
	case store.KindDistrict:
		return "Cấp huyện"
	case store.KindCommune:
		return "Cấp xã"
	case store.KindAgency:
		return "Sở, ban, ngành"
	case "":
		return "Đơn vị khác"
	}
	return capitalise(string(k))
}

// kindIcon is the icon of a kind of record in lists and search results.
func kindIcon(k store.RecordKind) string {
	switch k {
	case store.RecordMeeting:
		return "🏛"
	case store.RecordDirective:
		return "📌"
	case store.RecordProgram:
		return "📚"
	case store.RecordUnit:
		return "🏢"
	}
	return "•"
}

// person returns "Name – Position", or whichever is known.
func person(name, position string) string {
	switch {
	case name != "" && position != "":
		return name + " – " + position
	case name != "":
		return name
	}
	return position
}

// pages returns the number of pages for total items, at least 1.
func pages(total, size int) int {
	if total <= 0 {
		return 1
	}
	return (total + size - 1) / size
}
