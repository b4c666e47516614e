// Package wording is how meetbot words its domain values in Vietnamese:
// statuses and how a deadline stands, roles, unit kinds, days and people.
// The handlers (replies) and the scheduler (reminders) both use it, so a
// status or a day reads the same in a reply and in a reminder.
//
// Everything here is plain text, neither escaped nor marked up: callers
// write it through tghtml.Builder (or escape it) like any other text.
package wording

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"meetbot/store"
)

// --- statuses and deadlines ---------------------------------------------------

// StatusEmoji returns the one emoji of a state, used wherever it is shown:
// ✅ done on time, 🟡 done late, 🔴 overdue, 🔄 standing, ⏳ pending (and
// any unknown state).
func StatusEmoji(s store.Status) string {
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

// StatusName returns the name of a state, without emoji: "Hoàn thành đúng
// hạn", "Chưa hoàn thành – quá hạn", "Thường xuyên", ... An unknown state
// is named as pending.
func StatusName(s store.Status) string {
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

// StatusLabel returns the emoji and name of state s of a task with the
// given deadline and completion day, with what the day adds: "🔴 Chưa
// hoàn thành – quá hạn 10 ngày", "⏳ Chưa hoàn thành – trong hạn (còn 5
// ngày)", "🟡 Hoàn thành quá hạn (trễ 3 ngày)". The days come from the
// dates, so s should be store.StatusAt(deadline, completedOn, today).
func StatusLabel(s store.Status, deadline, completedOn, today store.Date) string {
	switch s {
	case store.StatusOverdue:
		return StatusEmoji(s) + " Chưa hoàn thành – " + Due(deadline, today)
	case store.StatusPending:
		return StatusEmoji(s) + " " + StatusName(s) + " (" + Due(deadline, today) + ")"
	case store.StatusDoneLate:
		if !completedOn.IsZero() && !deadline.IsZero() {
			return fmt.Sprintf("%s %s (trễ %d ngày)", StatusEmoji(s), StatusName(s), deadline.DaysUntil(completedOn))
		}
	}
	return StatusEmoji(s) + " " + StatusName(s)
}

// Due says where a deadline stands on day today: "còn 3 ngày", "hạn hôm
// nay", "quá hạn 2 ngày".
func Due(deadline, today store.Date) string {
	switch n := today.DaysUntil(deadline); {
	case n > 0:
		return fmt.Sprintf("còn %d ngày", n)
	case n == 0:
		return "hạn hôm nay"
	default:
		return fmt.Sprintf("quá hạn %d ngày", -n)
	}
}

// statusSetNames names the status sets that have a name of their own.
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

// StatusSet names a filter set in lower case, to follow other words:
// "quá hạn", "hoàn thành", "tất cả"; a set without a name of its own is
// the list of its states' names ("chưa hoàn thành – trong hạn, hoàn thành
// quá hạn"), and the zero set (any state) is "".
func StatusSet(ss store.StatusSet) string {
	for _, w := range statusSetNames {
		if w.set == ss {
			return w.name
		}
	}
	var names []string
	for _, s := range []store.Status{store.StatusPending, store.StatusOverdue, store.StatusDoneOnTime, store.StatusDoneLate, store.StatusOngoing} {
		if ss&(1<<s) != 0 {
			names = append(names, strings.ToLower(StatusName(s)))
		}
	}
	return strings.Join(names, ", ")
}

// --- roles, units, programs, people -------------------------------------------

// Role returns the name of a unit's part in a directive: "Chủ trì" (lead),
// "Phối hợp" (support), "Thực hiện" when none is given, and an unknown
// role as it is stored.
func Role(r store.Role) string {
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

// UnitKind names a kind of unit, as a group heading: "Cấp tỉnh", "Đồn
// Biên phòng", ...; "Đơn vị khác" when none is given, and a kind it does
// not know as stored, capitalised.
func UnitKind(k store.UnitKind) string {
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

// ProgramKind returns a program's kind (free text such as "đề án",
// "mô hình") as a label: "Đề án".
func ProgramKind(kind string) string { return capitalise(kind) }

// Person returns "Name – Position", or whichever of the two is known, each
// trimmed of white space; "" when neither is.
func Person(name, position string) string {
	name, position = strings.TrimSpace(name), strings.TrimSpace(position)
	switch {
	case name != "" && position != "":
		return name + " – " + position
	case name != "":
		return name
	}
	return position
}

// capitalise upper-cases the first letter: "đề án" → "Đề án".
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// --- days ---------------------------------------------------------------------

var weekdays = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// Weekday returns the name of a day of the week: "Thứ Hai" ... "Thứ Bảy",
// "Chủ nhật". w must be a valid weekday (0 to 6).
func Weekday(w time.Weekday) string { return weekdays[w] }

// Day returns d with its weekday: "Thứ Ba, 01/12/2026".
func Day(d store.Date) string { return Weekday(d.Weekday()) + ", " + d.DMY() }
