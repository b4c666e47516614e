package wording

import (
	"testing"
	"time"

	"meetbot/store"
)

func day(y int, m time.Month, d int) store.Date { return store.NewDate(y, m, d) }

func TestStatusLabel(t *testing.T) {
	today := day(2024, 5, 10)
	tests := []struct {
		name                string
		deadline, completed store.Date
		want                string
	}{
		{name: "done on time", deadline: day(2024, 5, 10), completed: day(2024, 5, 10), want: "✅ Hoàn thành đúng hạn"},
		{name: "done late", deadline: day(2024, 5, 1), completed: day(2024, 5, 4), want: "🟡 Hoàn thành quá hạn (trễ 3 ngày)"},
		{name: "pending", deadline: day(2024, 5, 15), want: "⏳ Chưa hoàn thành – trong hạn (còn 5 ngày)"},
		{name: "due today", deadline: today, want: "⏳ Chưa hoàn thành – trong hạn (hạn hôm nay)"},
		{name: "overdue", deadline: day(2024, 4, 30), want: "🔴 Chưa hoàn thành – quá hạn 10 ngày"},
		{name: "standing", want: "🔄 Thường xuyên"},
		{name: "standing closed", completed: day(2024, 5, 2), want: "✅ Hoàn thành đúng hạn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := store.StatusAt(tt.deadline, tt.completed, today)
			if got := StatusLabel(s, tt.deadline, tt.completed, today); got != tt.want {
				t.Errorf("StatusLabel = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatusNameAndEmoji(t *testing.T) {
	tests := []struct {
		name   string
		s      store.Status
		emoji  string
		status string
	}{
		{name: "pending", s: store.StatusPending, emoji: "⏳", status: "Chưa hoàn thành – trong hạn"},
		{name: "overdue", s: store.StatusOverdue, emoji: "🔴", status: "Chưa hoàn thành – quá hạn"},
		{name: "done on time", s: store.StatusDoneOnTime, emoji: "✅", status: "Hoàn thành đúng hạn"},
		{name: "done late", s: store.StatusDoneLate, emoji: "🟡", status: "Hoàn thành quá hạn"},
		{name: "standing", s: store.StatusOngoing, emoji: "🔄", status: "Thường xuyên"},
		{name: "unknown reads as pending", s: store.Status(99), emoji: "⏳", status: "Chưa hoàn thành – trong hạn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusEmoji(tt.s); got != tt.emoji {
				t.Errorf("StatusEmoji = %q, want %q", got, tt.emoji)
			}
			if got := StatusName(tt.s); got != tt.status {
				t.Errorf("StatusName = %q, want %q", got, tt.status)
			}
		})
	}
}

func TestDue(t *testing.T) {
	today := day(2025, 5, 13)
	tests := []struct {
		name     string
		deadline store.Date
		want     string
	}{
		{name: "a week ahead", deadline: day(2025, 5, 20), want: "còn 7 ngày"},
		{name: "tomorrow", deadline: day(2025, 5, 14), want: "còn 1 ngày"},
		{name: "today", deadline: today, want: "hạn hôm nay"},
		{name: "yesterday", deadline: day(2025, 5, 12), want: "quá hạn 1 ngày"},
		{name: "across a month", deadline: day(2025, 4, 13), want: "quá hạn 30 ngày"},
		{name: "across a year", deadline: day(2026, 1, 1), want: "còn 233 ngày"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Due(tt.deadline, today); got != tt.want {
				t.Errorf("Due(%s) = %q, want %q", tt.deadline, got, tt.want)
			}
		})
	}
}

func TestStatusSet(t *testing.T) {
	tests := []struct {
		name string
		set  store.StatusSet
		want string
	}{
		{name: "overdue", set: store.SetOverdue, want: "quá hạn"},
		{name: "done", set: store.SetDone, want: "hoàn thành"},
		{name: "open", set: store.SetOpen, want: "chưa hoàn thành"},
		{name: "all", set: store.SetAll, want: "tất cả"},
		{name: "no name of its own", set: store.SetPending | store.SetDoneLate, want: "chưa hoàn thành – trong hạn, hoàn thành quá hạn"},
		{name: "any state", set: 0, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusSet(tt.set); got != tt.want {
				t.Errorf("StatusSet(%d) = %q, want %q", tt.set, got, tt.want)
			}
		})
	}
}

func TestRole(t *testing.T) {
	tests := []struct {
		name string
		r    store.Role
		want string
	}{
		{name: "lead", r: store.RoleLead, want: "Chủ trì"},
		{name: "support", r: store.RoleSupport, want: "Phối hợp"},
		{name: "none given", r: "", want: "Thực hiện"},
		{name: "unknown as stored", r: "theo dõi", want: "theo dõi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Role(tt.r); got != tt.want {
				t.Errorf("Role(%q) = %q, want %q", tt.r, got, tt.want)
			}
		})
	}
}

func TestUnitKindAndProgramKind(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{name: "province", got: UnitKind(store.KindProvince), want: "Cấp tỉnh"},
		{name: "border guard", got: UnitKind(store.KindBorderGuard), want: "Bộ đội Biên phòng tỉnh"},
		{name: "border post", got: UnitKind(store.KindBorderPost), want: "Đồn Biên phòng"},
		{name: "district", got: UnitKind(store.KindDistrict), want: "Cấp huyện"},
		{name: "commune", got: UnitKind(store.KindCommune), want: "Cấp xã"},
		{name: "agency", got: UnitKind(store.KindAgency), want: "Sở, ban, ngành"},
		{name: "no kind", got: UnitKind(""), want: "Đơn vị khác"},
		{name: "unknown kind capitalised", got: UnitKind("đoàn thể"), want: "Đoàn thể"},
		{name: "program kind", got: ProgramKind("đề án"), want: "Đề án"},
		{name: "empty program kind", got: ProgramKind(""), want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestPerson(t *testing.T) {
	tests := []struct {
		name, person, position, want string
	}{
		{name: "both", person: "Nguyễn Văn Sơn", position: "Chủ tịch UBND tỉnh", want: "Nguyễn Văn Sơn – Chủ tịch UBND tỉnh"},
		{name: "name only", person: "Nguyễn Văn Sơn", want: "Nguyễn Văn Sơn"},
		{name: "position only", position: "Phó Chủ tịch", want: "Phó Chủ tịch"},
		{name: "neither", want: ""},
		{name: "white space trimmed", person: " Trần B ", position: "  ", want: "Trần B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Person(tt.person, tt.position); got != tt.want {
				t.Errorf("Person(%q, %q) = %q, want %q", tt.person, tt.position, got, tt.want)
			}
		})
	}
}

func TestDay(t *testing.T) {
	tests := []struct {
		name string
		d    store.Date
		want string
	}{
		{name: "Tuesday", d: day(2026, 12, 1), want: "Thứ Ba, 01/12/2026"},
		{name: "Wednesday", d: day(2024, 4, 17), want: "Thứ Tư, 17/04/2024"},
		{name: "Sunday", d: day(2025, 5, 18), want: "Chủ nhật, 18/05/2025"},
		{name: "Saturday", d: day(2025, 5, 17), want: "Thứ Bảy, 17/05/2025"},
		{name: "leap day", d: day(2024, 2, 29), want: "Thứ Năm, 29/02/2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Day(tt.d); got != tt.want {
				t.Errorf("Day(%s) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

func TestWeekday(t *testing.T) {
	want := []string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}
	for w := time.Sunday; w <= time.Saturday; w++ {
		if got := Weekday(w); got != want[w] {
			t.Errorf("Weekday(%v) = %q, want %q", w, got, want[w])
		}
	}
}
