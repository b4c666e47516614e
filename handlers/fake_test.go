package handlers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"meetbot/store"
)

// ict is the office's zone in tests: fixed, so no tzdata is needed.
var ict = time.FixedZone("ICT", 7*3600)

// testNow is the fixed clock of the tests: Friday 10/05/2024, 09:30 ICT.
var testNow = time.Date(2024, 5, 10, 9, 30, 0, 0, ict)

func day(y int, m time.Month, d int) store.Date { return store.Date{Year: y, Month: m, Day: d} }

func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, ict).UTC()
}

// fakeStore is a deterministic in-memory Store with the contract's
// semantics, enough for the handlers: filters, orders, paging and a
// simple search. Set err to make every read fail; panicMsg to make every
// read panic.
type fakeStore struct {
	mu         sync.Mutex
	units      []store.Unit
	meetings   []store.Meeting
	directives []store.Directive
	programs   []store.Program
	err        error
	panicMsg   string
	calls      []string
}

var _ Store = (*fakeStore)(nil)

func (s *fakeStore) enter(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, name)
	if s.panicMsg != "" {
		panic(s.panicMsg)
	}
	return s.err
}

func page[T any](items []T, offset, limit int) store.Page[T] {
	offset, limit = store.ClampPage(offset, limit)
	p := store.Page[T]{Total: len(items), Offset: offset, Limit: limit, Items: []T{}}
	if offset < len(items) {
		p.Items = slices.Clone(items[offset:min(len(items), offset+limit)])
	}
	return p
}

var kindRank = map[store.UnitKind]int{
	store.KindProvince: 1, store.KindBorderGuard: 2, store.KindBorderPost: 3, store.KindDistrict: 4,
}

func (s *fakeStore) Units(ctx context.Context, f store.UnitFilter) ([]store.Unit, error) {
	if err := s.enter("Units"); err != nil {
		return nil, err
	}
	us := slices.Clone(s.units)
	slices.SortStableFunc(us, func(a, b store.Unit) int {
		return cmp.Or(cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return us, nil
}

func (s *fakeStore) Unit(ctx context.Context, id int64) (store.Unit, error) {
	if err := s.enter("Unit"); err != nil {
		return store.Unit{}, err
	}
	for _, u := range s.units {
		if u.ID == id {
			return u, nil
		}
	}
	return store.Unit{}, fmt.Errorf("unit %d: %w", id, store.ErrNotFound)
}

func (s *fakeStore) FindUnits(ctx context.Context, text string) ([]store.Unit, error) {
	if err := s.enter("FindUnits"); err != nil {
		return nil, err
	}
	q := store.Fold(text)
	var exact, prefix []store.Unit
	for _, u := range s.units {
		names := append([]string{u.Code, u.Name}, u.Aliases...)
		isExact, isPrefix := false, false
		for _, n := range names {
			n = store.Fold(n)
			isExact = isExact || n == q
			isPrefix = isPrefix || strings.HasPrefix(n, q)
		}
		switch {
		case isExact:
			exact = append(exact, u)
		case isPrefix:
			prefix = append(prefix, u)
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	return append([]store.Unit{}, prefix...), nil
}

func (s *fakeStore) Meetings(ctx context.Context, f store.MeetingFilter) (store.Page[store.Meeting], error) {
	if err := s.enter("Meetings"); err != nil {
		return store.Page[store.Meeting]{}, err
	}
	var ms []store.Meeting
	for _, m := range s.meetings {
		if (!f.From.IsZero() && m.StartsAt.Before(f.From)) || (!f.To.IsZero() && !m.StartsAt.Before(f.To)) {
			continue
		}
		ms = append(ms, m)
	}
	slices.SortStableFunc(ms, func(a, b store.Meeting) int {
		c := a.StartsAt.Compare(b.StartsAt)
		if f.Desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	return page(ms, f.Offset, f.Limit), nil
}

func (s *fakeStore) Meeting(ctx context.Context, id int64) (store.Meeting, error) {
	if err := s.enter("Meeting"); err != nil {
		return store.Meeting{}, err
	}
	for _, m := range s.meetings {
		if m.ID == id {
			return m, nil
		}
	}
	return store.Meeting{}, fmt.Errorf("meeting %d: %w", id, store.ErrNotFound)
}

// share returns the deadline and completion that a filter judges d by:
// the unit's share, or the directive overall.
func share(d store.Directive, unitID int64) (completedOn store.Date, ok bool) {
	if unitID == 0 {
		return d.CompletedOn(), true
	}
	for _, a := range d.Assignments {
		if a.Unit.ID == unitID {
			return a.CompletedOn, true
		}
	}
	return store.Date{}, false
}

func urgencyRank(s store.Status) int {
	switch s {
	case store.StatusOverdue:
		return 0
	case store.StatusPending:
		return 1
	case store.StatusOngoing:
		return 2
	}
	return 3
}

func (s *fakeStore) Directives(ctx context.Context, f store.DirectiveFilter) (store.Page[store.Directive], error) {
	if err := s.enter("Directives"); err != nil {
		return store.Page[store.Directive]{}, err
	}
	if (f.Status != 0 || f.Order == store.OrderUrgent) && f.AsOf.IsZero() {
		return store.Page[store.Directive]{}, fmt.Errorf("directives: AsOf is required: %w", store.ErrInvalid)
	}
	var ds []store.Directive
	for _, d := range s.directives {
		done, ok := share(d, f.UnitID)
		if !ok || (f.MeetingID != 0 && d.MeetingID != f.MeetingID) || (f.ProgramID != 0 && d.ProgramID != f.ProgramID) {
			continue
		}
		if f.Status != 0 && !f.Status.Has(store.StatusAt(d.Deadline, done, f.AsOf)) {
			continue
		}
		if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
			if !done.IsZero() || d.Deadline.IsZero() ||
				(!f.DueFrom.IsZero() && d.Deadline.Before(f.DueFrom)) || (!f.DueTo.IsZero() && d.Deadline.After(f.DueTo)) {
				continue
			}
		}
		// List reads carry assignments without report history.
		d.Assignments = slices.Clone(d.Assignments)
		for i := range d.Assignments {
			d.Assignments[i].Reports = nil
		}
		ds = append(ds, d)
	}
	slices.SortStableFunc(ds, func(a, b store.Directive) int {
		if f.Order == store.OrderRecent {
			return cmp.Or(b.IssuedOn.Compare(a.IssuedOn), cmp.Compare(a.ID, b.ID))
		}
		da, _ := share(a, f.UnitID)
		db, _ := share(b, f.UnitID)
		ra, rb := urgencyRank(store.StatusAt(a.Deadline, da, f.AsOf)), urgencyRank(store.StatusAt(b.Deadline, db, f.AsOf))
		return cmp.Or(cmp.Compare(ra, rb), a.Deadline.Compare(b.Deadline), cmp.Compare(a.ID, b.ID))
	})
	return page(ds, f.Offset, f.Limit), nil
}

func (s *fakeStore) Directive(ctx context.Context, id int64) (store.Directive, error) {
	if err := s.enter("Directive"); err != nil {
		return store.Directive{}, err
	}
	for _, d := range s.directives {
		if d.ID == id {
			return d, nil
		}
	}
	return store.Directive{}, fmt.Errorf("directive %d: %w", id, store.ErrNotFound)
}

func (s *fakeStore) DirectiveByCode(ctx context.Context, code string) (store.Directive, error) {
	if err := s.enter("DirectiveByCode"); err != nil {
		return store.Directive{}, err
	}
	for _, d := range s.directives {
		if strings.EqualFold(d.Code, strings.TrimSpace(code)) {
			return d, nil
		}
	}
	return store.Directive{}, fmt.Errorf("directive %q: %w", code, store.ErrNotFound)
}

func (s *fakeStore) Programs(ctx context.Context, f store.ProgramFilter) (store.Page[store.Program], error) {
	if err := s.enter("Programs"); err != nil {
		return store.Page[store.Program]{}, err
	}
	ps := slices.Clone(s.programs)
	slices.SortStableFunc(ps, func(a, b store.Program) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return page(ps, f.Offset, f.Limit), nil
}

func (s *fakeStore) Program(ctx context.Context, id int64) (store.Program, error) {
	if err := s.enter("Program"); err != nil {
		return store.Program{}, err
	}
	for _, p := range s.programs {
		if p.ID == id {
			return p, nil
		}
	}
	return store.Program{}, fmt.Errorf("program %d: %w", id, store.ErrNotFound)
}

// matches reports whether every word of q is a prefix of a word of text,
// both folded.
func matches(q []string, text string) bool {
	words := store.Tokens(store.Fold(text))
	for _, w := range q {
		if !slices.ContainsFunc(words, func(t string) bool { return strings.HasPrefix(t, w) }) {
			return false
		}
	}
	return true
}

func (s *fakeStore) Search(ctx context.Context, q store.SearchQuery) (store.Page[store.SearchHit], error) {
	if err := s.enter("Search"); err != nil {
		return store.Page[store.SearchHit]{}, err
	}
	words := store.Tokens(store.Fold(q.Text))
	if len(words) == 0 {
		return page([]store.SearchHit{}, q.Offset, q.Limit), nil
	}
	want := func(k store.RecordKind) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	var hits []store.SearchHit
	add := func(h store.SearchHit, title, rest string) {
		switch {
		case h.Code != "" && strings.EqualFold(h.Code, strings.TrimSpace(q.Text)):
			h.Match = store.MatchCode
		case matches(words, title):
			h.Match = store.MatchFoldedTitle
		case matches(words, title+" "+rest):
			h.Match = store.MatchFolded
		default:
			return
		}
		hits = append(hits, h)
	}
	if want(store.RecordMeeting) {
		for _, m := range s.meetings {
			add(store.SearchHit{Kind: store.RecordMeeting, ID: m.ID, Title: m.Title, Date: store.DateIn(m.StartsAt, ict)}, m.Title, m.Summary+" "+m.Place)
		}
	}
	if want(store.RecordDirective) {
		for _, d := range s.directives {
			add(store.SearchHit{Kind: store.RecordDirective, ID: d.ID, Code: d.Code, Title: d.Title, Date: d.IssuedOn,
				Deadline: d.Deadline, CompletedOn: d.CompletedOn()}, d.Code+" "+d.Title, d.Body)
		}
	}
	if want(store.RecordProgram) {
		for _, p := range s.programs {
			add(store.SearchHit{Kind: store.RecordProgram, ID: p.ID, Code: p.Code, Title: p.Name, Date: day(p.StartYear, 1, 1)}, p.Name, p.Description)
		}
	}
	if want(store.RecordUnit) {
		for _, u := range s.units {
			add(store.SearchHit{Kind: store.RecordUnit, ID: u.ID, Code: u.Code, Title: u.Name}, u.Name, strings.Join(u.Aliases, " "))
		}
	}
	slices.SortStableFunc(hits, func(a, b store.SearchHit) int { return cmp.Compare(a.Match, b.Match) })
	return page(hits, q.Offset, q.Limit), nil
}

// remove deletes a record, as an import of a corrected dataset would.
func (s *fakeStore) removeDirective(id int64) {
	s.directives = slices.DeleteFunc(s.directives, func(d store.Directive) bool { return d.ID == id })
}

// fakeChats binds chats to units.
type fakeChats map[int64][]store.Unit

func (c fakeChats) UnitsForChat(ctx context.Context, chatID int64, threadID int) ([]store.Unit, error) {
	if us, ok := c[chatID]; ok {
		return us, nil
	}
	if chatID == chatBindingFails {
		return nil, errors.New("registry down")
	}
	return nil, nil
}

const chatBindingFails = -999

// --- the seed, as the demo dataset shapes it ---------------------------------

const sampleNote = "hạn mẫu do bản demo đặt, không có trong bài báo"

func seedStore() *fakeStore {
	u := func(id int64, code, name string, kind store.UnitKind, aliases ...string) store.Unit {
		return store.Unit{ID: id, Code: code, Name: name, Kind: kind, Aliases: aliases}
	}
	s := &fakeStore{units: []store.Unit{
		u(1, "bdbp", "Đảng ủy Bộ đội Biên phòng tỉnh", store.KindBorderGuard, "BĐBP", "bien phong"),
		u(2, "dong-van", "Huyện ủy Đồng Văn", store.KindDistrict, "DV"),
		u(3, "meo-vac", "Huyện ủy Mèo Vạc", store.KindDistrict, "MV", "meo vac"),
		u(4, "yen-minh", "Huyện ủy Yên Minh", store.KindDistrict, "YM"),
		u(5, "quan-ba", "Huyện ủy Quản Bạ", store.KindDistrict, "QB"),
		u(6, "vi-xuyen", "Huyện ủy Vị Xuyên", store.KindDistrict, "VX"),
		u(7, "hoang-su-phi", "Huyện ủy Hoàng Su Phì", store.KindDistrict, "HSP"),
		u(8, "xin-man", "Huyện ủy Xín Mần", store.KindDistrict, "XM", "xin man"),
		u(9, "ubnd-tinh", "UBND tỉnh Hà Giang", store.KindProvince, "UBND"),
		u(10, "don-thanh-thuy", "Đồn Biên phòng Thanh Thủy", store.KindBorderPost),
	}}
	s.units[7].FormerNames = []store.UnitName{{Name: "Huyện ủy Xín Mần (cũ)", To: day(2020, 1, 1)}}
	ref := func(id int64) store.UnitRef {
		un := s.units[id-1]
		return store.UnitRef{ID: un.ID, Code: un.Code, Name: un.Name}
	}
	districts := []store.UnitRef{ref(2), ref(3), ref(4), ref(5), ref(6), ref(7), ref(8)}

	s.programs = []store.Program{
		{ID: 1, Code: "de-an-hop-tac", Name: "Nâng cao hiệu quả hợp tác giữa tỉnh Hà Giang với tỉnh Vân Nam và khu tự trị dân tộc Choang, Quảng Tây, Trung Quốc",
			Kind: "đề án", StartYear: 2020, EndYear: 2025, VisionYear: 2030, Owner: ref(9),
			Description: "Đề án của tỉnh về hợp tác với các địa phương Trung Quốc giáp biên.", DirectiveCount: 2},
		{ID: 2, Code: "chung-tay", Name: "Chung tay vì người nghèo - không để ai bị bỏ lại phía sau", Kind: "chương trình", Owner: ref(1)},
		{ID: 3, Code: "xuan-bien-phong", Name: "Xuân Biên phòng ấm lòng dân bản", Kind: "chương trình", Owner: ref(1)},
		{ID: 4, Code: "nang-buoc", Name: "Cán bộ chiến sĩ quân đội nâng bước em tới trường", Kind: "dự án", Owner: ref(1)},
		{ID: 5, Code: "con-nuoi", Name: "Con nuôi đồn Biên phòng", Kind: "mô hình", Owner: ref(1)},
		{ID: 6, Code: "dong-hanh", Name: "Đồng hành cùng phụ nữ biên cương", Kind: "mô hình", Owner: ref(1)},
	}

	conf := "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp giữa Đảng ủy Bộ đội Biên phòng tỉnh với Huyện ủy 7 huyện biên giới năm 2023"
	s.meetings = []store.Meeting{
		{ID: 1, Key: "hn-xin-man-2024", Title: conf, StartsAt: at(2024, 4, 17, 8, 0), EndsAt: at(2024, 4, 17, 11, 30),
			Place: "Huyện Xín Mần", ChairName: "Nguyễn Văn Sơn", ChairPosition: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
			Organiser: ref(1), Attendees: append([]store.UnitRef{ref(1)}, districts...),
			Summary: "Năm 2023 các bên phối hợp chặt chẽ về chủ quyền, an ninh biên giới, xuất nhập cảnh, ứng phó thiên tai và đối ngoại biên phòng; duy trì kết nghĩa 15 cụm xã, thị trấn và 5 cụm thôn, bản hai bên biên giới.",
			Source:  "Đài PT-TH Hà Giang, 18/04/2024", SourceURL: "https://example.org/tin/so-ket-quy-che?a=1&b=2", DirectiveCount: 7},
		{ID: 2, Key: "giao-ban-q2", Title: "Giao ban công tác biên phòng quý II/2024", StartsAt: at(2024, 5, 15, 14, 0),
			Place: "Bộ Chỉ huy BĐBP tỉnh", Organiser: ref(1), Note: "bản ghi mẫu"},
		{ID: 3, Key: "so-ket-6-thang", Title: "Sơ kết 6 tháng đầu năm 2024", StartsAt: at(2024, 6, 20, 0, 0) /* a bare day */, Organiser: ref(9)},
		{ID: 4, Key: "trien-khai-2024", Title: "Hội nghị triển khai nhiệm vụ năm 2024", StartsAt: at(2024, 3, 5, 8, 0), Place: "TP Hà Giang"},
	}

	assign := func(role store.Role, r store.UnitRef) store.Assignment {
		return store.Assignment{ID: r.ID, Unit: r, Role: role}
	}
	all := func() []store.Assignment {
		as := []store.Assignment{assign(store.RoleLead, ref(1))}
		for _, d := range districts {
			as = append(as, assign(store.RoleSupport, d))
		}
		return as
	}
	issued := day(2024, 4, 17)
	dir := func(id int64, title string, deadline store.Date, as []store.Assignment) store.Directive {
		d := store.Directive{ID: id, Code: fmt.Sprintf("HNXM-2024/%02d", id), Title: title, IssuerName: "Nguyễn Văn Sơn",
			IssuerPosition: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", IssuedOn: issued, MeetingID: 1, MeetingTitle: conf,
			Deadline: deadline, Assignments: as}
		if !deadline.IsZero() {
			d.DeadlineNote = sampleNote
		}
		return d
	}
	report := func(y int, m time.Month, d, pct int, note, doc string) store.ProgressReport {
		return store.ProgressReport{At: at(y, m, d, 16, 0), Percent: pct, Note: note, DocNumber: doc}
	}

	d3 := all()[:1]
	d3 = append(d3, assign(store.RoleSupport, ref(6)), assign(store.RoleSupport, ref(10)))
	d3[0].Percent, d3[0].ReportCount = 70, 4
	d3[0].Reports = []store.ProgressReport{
		report(2024, 4, 20, 10, "Lập tổ công tác", ""),
		report(2024, 4, 25, 30, "Làm việc với phía đối đẳng", "12/BC-BĐBP"),
		report(2024, 5, 2, 50, "Hoàn thiện hồ sơ", ""),
		report(2024, 5, 8, 70, "Trình UBND tỉnh", "20/TTr-BĐBP"),
	}
	d3[0].Reports[3].Reporter = "Phòng Tham mưu"
	d3[1].Percent, d3[1].ReportCount = 40, 1
	d3[1].Reports = []store.ProgressReport{report(2024, 5, 3, 40, "Phối hợp khảo sát", "")}

	d6 := all()
	for i := range d6 {
		switch d6[i].Unit.ID {
		case 8:
			d6[i].CompletedOn, d6[i].Percent = day(2024, 5, 3), 100
		case 3:
			d6[i].CompletedOn, d6[i].Percent, d6[i].CompletionNote = day(2024, 5, 8), 100, "Báo cáo số 5/BC-HU"
		case 1:
			d6[i].Percent = 80
		}
	}
	d7 := all()
	for i := range d7 {
		d7[i].CompletedOn, d7[i].Percent = day(2024, 5, 2), 100
	}

	var body strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&body, "%d. Rà soát, cập nhật hồ sơ xuất nhập cảnh tại các cửa khẩu & lối mở; báo cáo kết quả về Ban Chỉ huy <BĐBP tỉnh> trước ngày họp giao ban. ", i)
		body.WriteString(strings.Repeat("Các đồn Biên phòng phối hợp với chính quyền địa phương, tuần tra, kiểm soát khu vực biên giới. ", 3))
		body.WriteString("\n\n")
	}
	d8 := []store.Assignment{assign(store.RoleLead, ref(8)), assign(store.RoleSupport, ref(10))}
	d8[0].Percent, d8[0].ReportCount = 60, 5
	for i := 1; i <= 5; i++ {
		d8[0].Reports = append(d8[0].Reports, report(2024, 4, 20+i, i*12, fmt.Sprintf("Báo cáo lần %d", i), ""))
	}

	s.directives = []store.Directive{
		dir(1, "Tiếp tục phối hợp quán triệt, triển khai các nghị quyết, văn bản cấp trên về bảo vệ chủ quyền, an ninh biên giới quốc gia", store.Date{}, all()),
		dir(2, "Quản lý, bảo vệ nguyên trạng đường biên giới, mốc quốc giới quốc gia", store.Date{}, all()),
		dir(3, "Tham mưu hoàn thiện thủ tục mở lối thông quan đường chuyên dụng hàng hóa cặp cửa khẩu quốc tế Thanh Thủy – Thiên Bảo", day(2024, 4, 30), d3),
		dir(4, "Triển khai có hiệu quả Đề án hợp tác với Vân Nam và Quảng Tây giai đoạn 2020–2025, tầm nhìn 2030", day(2024, 12, 31), all()),
		dir(5, "Nắm chắc tình hình an ninh chính trị, trật tự an toàn xã hội; đấu tranh với tội phạm ở khu vực biên giới", day(2024, 5, 15), all()),
		dir(6, "Tranh thủ sự ủng hộ của già làng, trưởng bản, người có uy tín trong phong trào toàn dân bảo vệ an ninh Tổ quốc", day(2024, 5, 5), d6),
		dir(7, "Duy trì nền nếp Quy chế phối hợp giữa Đảng ủy các Đồn Biên phòng và Đảng ủy các xã, thị trấn biên giới", day(2024, 5, 10), d7),
		{ID: 8, Code: "15/CT-UBND", Title: "Rà soát hồ sơ xuất nhập cảnh & báo cáo kết quả <tháng 5>", Body: body.String(),
			IssuerName: "Nguyễn Văn Sơn", IssuedOn: day(2024, 4, 20), SourceDoc: "Chỉ thị số 15/CT-UBND", ProgramID: 1,
			ProgramName: s.programs[0].Name, Deadline: day(2024, 5, 31), DeadlineNote: sampleNote, Assignments: d8},
	}
	s.directives[3].ProgramID, s.directives[3].ProgramName = 1, s.programs[0].Name
	return s
}
