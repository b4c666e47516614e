// Package storetest holds the contract tests of store.Store. Every engine
// (and every decorator such as the Redis cache) runs them with Run, so a
// new engine (PostgreSQL) is done when Run passes against it.
package storetest

import (
	"time"

	"meetbot/store"
)

// Today is the day the contract tests consider "today" (a Tuesday).
var Today = store.NewDate(2024, time.May, 14)

// Loc is the office's time zone in the tests.
var Loc = mustLoad("Asia/Ho_Chi_Minh")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// Now is the instant the tests' clock returns: 09:00 on Today in Loc.
func Now() time.Time { return Today.Start(Loc).Add(9 * time.Hour) }

// Fixture returns a small dataset covering every feature the contract
// names: units with aliases and a former name, a meeting, directives in
// each state, a standing directive, a program, codes with punctuation.
func Fixture() *store.Dataset {
	return &store.Dataset{
		Units: []store.UnitRecord{
			{Code: "bdbp", Name: "Đảng ủy Bộ đội Biên phòng tỉnh", Kind: store.KindBorderGuard, Aliases: []string{"BĐBP", "biên phòng"}},
			{Code: "xin-man", Name: "Huyện ủy Xín Mần", Kind: store.KindDistrict, Aliases: []string{"XM"}},
			{Code: "meo-vac", Name: "Huyện ủy Mèo Vạc", Kind: store.KindDistrict, Aliases: []string{"MV", "meo vac"}},
			{Code: "dong-van", Name: "Huyện ủy Đồng Văn", Kind: store.KindDistrict},
			{Code: "ubnd", Name: "UBND tỉnh Hà Giang", Kind: store.KindProvince,
				FormerNames: []store.UnitName{{Name: "Ủy ban hành chính tỉnh", To: store.NewDate(2023, 12, 31)}}},
			{Code: "old-unit", Name: "Đơn vị đã giải thể", Kind: store.KindAgency, ActiveTo: store.NewDate(2024, 1, 31), Successor: "ubnd"},
		},
		Programs: []store.ProgramRecord{
			{Code: "hop-tac", Name: "Đề án hợp tác Hà Giang – Vân Nam", Kind: "đề án", StartYear: 2020, EndYear: 2025, VisionYear: 2030, Owner: "ubnd"},
			{Code: "xuan-bp", Name: "Xuân Biên phòng ấm lòng dân bản", Kind: "chương trình"},
			{Code: "cap-cuu", Name: "Cán bộ chiến sĩ nâng bước em tới trường", Kind: "dự án"},
		},
		Meetings: []store.MeetingRecord{
			{Key: "hn-xm-2024", Title: "Hội nghị sơ kết quy chế phối hợp biên giới", StartsAt: "17/04/2024 08:00",
				Place: "Huyện Xín Mần", ChairName: "Nguyễn Văn Sơn", ChairPosition: "Chủ tịch UBND tỉnh",
				Organiser: "bdbp", Attendees: []string{"bdbp", "xin-man", "meo-vac", "dong-van"}, Summary: "Tổng kết công tác bảo vệ biên giới năm 2023."},
			{Key: "hop-2023", Title: "Họp giao ban quý IV", StartsAt: "2023-12-20T14:00:00+07:00", Organiser: "ubnd", Attendees: []string{"ubnd", "xin-man"}},
			{Key: "hop-sap-toi", Title: "Họp triển khai nhiệm vụ tháng 6", StartsAt: "2024-06-03 08:00", Organiser: "ubnd", Attendees: []string{"meo-vac"}},
		},
		Directives: []store.DirectiveRecord{
			{Code: "HN-01", Title: "Quản lý, bảo vệ đường biên giới và mốc quốc giới", IssuedOn: store.NewDate(2024, 4, 17),
				Meeting: "hn-xm-2024", IssuerName: "Nguyễn Văn Sơn", IssuerPosition: "Chủ tịch UBND tỉnh",
				Body:        "Giữ nguyên trạng đường biên, mốc giới.",
				Assignments: []store.AssignmentRecord{{Unit: "bdbp"}, {Unit: "xin-man", Role: store.RoleSupport}}}, // standing
			{Code: "15/CT-UBND", Title: "Tuyên truyền an ninh trật tự khu vực biên giới", IssuedOn: store.NewDate(2024, 4, 17),
				Meeting: "hn-xm-2024", Deadline: store.NewDate(2024, 5, 10), DeadlineNote: "Hạn mẫu",
				Assignments: []store.AssignmentRecord{
					{Unit: "xin-man", CompletedOn: store.NewDate(2024, 5, 8), Reports: []store.ReportRecord{{At: "2024-05-02 10:00", Percent: 60, Note: "Đã tổ chức 3 buổi"}}},
					{Unit: "meo-vac", CompletedOn: store.NewDate(2024, 5, 12)},
					{Unit: "dong-van", Reports: []store.ReportRecord{{At: "2024-05-05 15:30", Percent: 40}}},
				}},
			{Code: "HN-03", Title: "Mở lối thông quan hàng hóa cửa khẩu Thanh Thủy", IssuedOn: store.NewDate(2024, 4, 17),
				Meeting: "hn-xm-2024", Program: "hop-tac", Deadline: store.NewDate(2024, 5, 20),
				Assignments: []store.AssignmentRecord{{Unit: "bdbp"}, {Unit: "meo-vac", Role: store.RoleSupport}}},
			{Code: "HN-04", Title: "Bien gioi hoa binh huu nghi", IssuedOn: store.NewDate(2024, 4, 18),
				Deadline:    store.NewDate(2024, 4, 30),
				Assignments: []store.AssignmentRecord{{Unit: "dong-van", CompletedOn: store.NewDate(2024, 4, 29)}}},
			{Code: "GB-2023/07", Title: "Báo cáo công tác quý IV", IssuedOn: store.NewDate(2023, 12, 20),
				Meeting: "hop-2023", Deadline: store.NewDate(2024, 1, 15),
				Assignments: []store.AssignmentRecord{{Unit: "ubnd", CompletedOn: store.NewDate(2024, 1, 20)}}},
		},
	}
}
