package cache

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"meetbot/store"
)

// fakeStore is a small in-memory store.Store that counts its calls. Reads
// compose names at read time (a directive's unit names, meeting title,
// program name), so a write to one kind of record shows in the others, as
// in the real engine. Search is a case-insensitive substring match.
type fakeStore struct {
	mu         sync.Mutex
	units      map[int64]store.Unit
	programs   map[int64]store.Program
	meetings   map[int64]store.Meeting
	directives map[int64]store.Directive
	nextID     int64
	calls      map[string]int

	// hold, if set, runs in every read after the answer is computed and
	// before it is returned: a read that has seen the data but not yet
	// answered.
	hold func(method string)
}

var _ store.Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{
		units:      map[int64]store.Unit{},
		programs:   map[int64]store.Program{},
		meetings:   map[int64]store.Meeting{},
		directives: map[int64]store.Directive{},
		calls:      map[string]int{},
	}
}

// Calls returns how often method was called.
func (f *fakeStore) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// TotalCalls returns the number of calls to any method.
func (f *fakeStore) TotalCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

// begin counts a call and locks the store; the returned func unlocks it
// and runs hold.
func (f *fakeStore) begin(ctx context.Context, method string) (func(), error) {
	f.mu.Lock()
	f.calls[method]++
	if err := ctx.Err(); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	return func() {
		hold := f.hold
		f.mu.Unlock()
		if hold != nil {
			hold(method)
		}
	}, nil
}

func (f *fakeStore) unitRef(id int64) store.UnitRef {
	u, ok := f.units[id]
	if !ok {
		return store.UnitRef{}
	}
	return store.UnitRef{ID: u.ID, Code: u.Code, Name: u.Name}
}

func (f *fakeStore) unitByCode(code string) (store.Unit, bool) {
	for _, u := range f.units {
		if u.Code == code {
			return u, true
		}
	}
	return store.Unit{}, false
}

// directive composes a directive with names looked up now.
func (f *fakeStore) directive(d store.Directive, reports bool) store.Directive {
	if m, ok := f.meetings[d.MeetingID]; ok {
		d.MeetingTitle = m.Title
	}
	if p, ok := f.programs[d.ProgramID]; ok {
		d.ProgramName = p.Name
	}
	as := make([]store.Assignment, len(d.Assignments))
	for i, a := range d.Assignments {
		a.Unit = f.unitRef(a.Unit.ID)
		if reports {
			a.Reports = slices.Clone(a.Reports)
		} else {
			a.Reports = nil
		}
		as[i] = a
	}
	d.Assignments = as
	return d
}

func (f *fakeStore) meeting(m store.Meeting) store.Meeting {
	m.Organiser = f.unitRef(m.Organiser.ID)
	att := make([]store.UnitRef, len(m.Attendees))
	for i, a := range m.Attendees {
		att[i] = f.unitRef(a.ID)
	}
	m.Attendees = att
	m.DirectiveCount = 0
	for _, d := range f.directives {
		if d.MeetingID == m.ID {
			m.DirectiveCount++
		}
	}
	return m
}

func (f *fakeStore) program(p store.Program) store.Program {
	p.Owner = f.unitRef(p.Owner.ID)
	p.DirectiveCount = 0
	for _, d := range f.directives {
		if d.ProgramID == p.ID {
			p.DirectiveCount++
		}
	}
	return p
}

func page[T any](items []T, offset, limit int) store.Page[T] {
	offset, limit = store.ClampPage(offset, limit)
	p := store.Page[T]{Items: []T{}, Total: len(items), Offset: offset, Limit: limit}
	if offset < len(items) {
		p.Items = items[offset:min(offset+limit, len(items))]
	}
	return p
}

func sortedByID[T any](m map[int64]T) []T {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

func (f *fakeStore) Units(ctx context.Context, uf store.UnitFilter) ([]store.Unit, error) {
	done, err := f.begin(ctx, "Units")
	if err != nil {
		return nil, err
	}
	defer done()
	out := []store.Unit{}
	for _, u := range sortedByID(f.units) {
		if uf.IncludeRetired || u.ActiveTo.IsZero() {
			out = append(out, u)
		}
	}
	slices.SortStableFunc(out, func(a, b store.Unit) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

func (f *fakeStore) Unit(ctx context.Context, id int64) (store.Unit, error) {
	done, err := f.begin(ctx, "Unit")
	if err != nil {
		return store.Unit{}, err
	}
	defer done()
	u, ok := f.units[id]
	if !ok {
		return store.Unit{}, fmt.Errorf("unit %d: %w", id, store.ErrNotFound)
	}
	return u, nil
}

func (f *fakeStore) FindUnits(ctx context.Context, text string) ([]store.Unit, error) {
	done, err := f.begin(ctx, "FindUnits")
	if err != nil {
		return nil, err
	}
	defer done()
	t := store.Fold(text)
	out := []store.Unit{}
	for _, u := range sortedByID(f.units) {
		if t != "" && (u.Code == t || strings.Contains(store.Fold(u.Name), t)) {
			out = append(out, u)
		}
	}
	return out, nil
}

func (f *fakeStore) Meetings(ctx context.Context, mf store.MeetingFilter) (store.Page[store.Meeting], error) {
	done, err := f.begin(ctx, "Meetings")
	if err != nil {
		return store.Page[store.Meeting]{}, err
	}
	defer done()
	var out []store.Meeting
	for _, m := range sortedByID(f.meetings) {
		if (mf.From.IsZero() || !m.StartsAt.Before(mf.From)) && (mf.To.IsZero() || m.StartsAt.Before(mf.To)) {
			out = append(out, f.meeting(m))
		}
	}
	return page(out, mf.Offset, mf.Limit), nil
}

func (f *fakeStore) Meeting(ctx context.Context, id int64) (store.Meeting, error) {
	done, err := f.begin(ctx, "Meeting")
	if err != nil {
		return store.Meeting{}, err
	}
	defer done()
	m, ok := f.meetings[id]
	if !ok {
		return store.Meeting{}, fmt.Errorf("meeting %d: %w", id, store.ErrNotFound)
	}
	return f.meeting(m), nil
}

func (f *fakeStore) Directives(ctx context.Context, df store.DirectiveFilter) (store.Page[store.Directive], error) {
	done, err := f.begin(ctx, "Directives")
	if err != nil {
		return store.Page[store.Directive]{}, err
	}
	defer done()
	var out []store.Directive
	for _, d := range sortedByID(f.directives) {
		if df.MeetingID != 0 && d.MeetingID != df.MeetingID || df.ProgramID != 0 && d.ProgramID != df.ProgramID {
			continue
		}
		if df.UnitID != 0 && !slices.ContainsFunc(d.Assignments, func(a store.Assignment) bool { return a.Unit.ID == df.UnitID }) {
			continue
		}
		out = append(out, f.directive(d, false))
	}
	return page(out, df.Offset, df.Limit), nil
}

func (f *fakeStore) Directive(ctx context.Context, id int64) (store.Directive, error) {
	done, err := f.begin(ctx, "Directive")
	if err != nil {
		return store.Directive{}, err
	}
	defer done()
	d, ok := f.directives[id]
	if !ok {
		return store.Directive{}, fmt.Errorf("directive %d: %w", id, store.ErrNotFound)
	}
	return f.directive(d, true), nil
}

func (f *fakeStore) DirectiveByCode(ctx context.Context, code string) (store.Directive, error) {
	done, err := f.begin(ctx, "DirectiveByCode")
	if err != nil {
		return store.Directive{}, err
	}
	defer done()
	for _, d := range sortedByID(f.directives) {
		if strings.EqualFold(d.Code, strings.TrimSpace(code)) {
			return f.directive(d, true), nil
		}
	}
	return store.Directive{}, fmt.Errorf("directive %q: %w", code, store.ErrNotFound)
}

func (f *fakeStore) Programs(ctx context.Context, pf store.ProgramFilter) (store.Page[store.Program], error) {
	done, err := f.begin(ctx, "Programs")
	if err != nil {
		return store.Page[store.Program]{}, err
	}
	defer done()
	var out []store.Program
	for _, p := range sortedByID(f.programs) {
		out = append(out, f.program(p))
	}
	slices.SortStableFunc(out, func(a, b store.Program) int { return cmp.Compare(a.Name, b.Name) })
	return page(out, pf.Offset, pf.Limit), nil
}

func (f *fakeStore) Program(ctx context.Context, id int64) (store.Program, error) {
	done, err := f.begin(ctx, "Program")
	if err != nil {
		return store.Program{}, err
	}
	defer done()
	p, ok := f.programs[id]
	if !ok {
		return store.Program{}, fmt.Errorf("program %d: %w", id, store.ErrNotFound)
	}
	return f.program(p), nil
}

func (f *fakeStore) Search(ctx context.Context, q store.SearchQuery) (store.Page[store.SearchHit], error) {
	done, err := f.begin(ctx, "Search")
	if err != nil {
		return store.Page[store.SearchHit]{}, err
	}
	defer done()
	text := store.Lower(q.Text)
	want := func(k store.RecordKind) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	has := func(s string) bool { return text != "" && strings.Contains(store.Lower(s), text) }
	var out []store.SearchHit
	if want(store.RecordDirective) {
		for _, d := range sortedByID(f.directives) {
			d = f.directive(d, false)
			if has(d.Title) || has(d.Code) {
				out = append(out, store.SearchHit{Kind: store.RecordDirective, ID: d.ID, Code: d.Code, Title: d.Title,
					Date: d.IssuedOn, Deadline: d.Deadline, CompletedOn: d.CompletedOn(), Match: store.MatchExactTitle})
			}
		}
	}
	if want(store.RecordMeeting) {
		for _, m := range sortedByID(f.meetings) {
			if has(m.Title) {
				out = append(out, store.SearchHit{Kind: store.RecordMeeting, ID: m.ID, Title: m.Title,
					Date: store.DateOf(m.StartsAt), Match: store.MatchExactTitle})
			}
		}
	}
	if want(store.RecordProgram) {
		for _, p := range sortedByID(f.programs) {
			if has(p.Name) {
				out = append(out, store.SearchHit{Kind: store.RecordProgram, ID: p.ID, Code: p.Code, Title: p.Name, Match: store.MatchExactTitle})
			}
		}
	}
	if want(store.RecordUnit) {
		for _, u := range sortedByID(f.units) {
			if has(u.Name) {
				out = append(out, store.SearchHit{Kind: store.RecordUnit, ID: u.ID, Code: u.Code, Title: u.Name, Match: store.MatchExactTitle})
			}
		}
	}
	return page(out, q.Offset, q.Limit), nil
}

// upsert stores rec under an existing id (found by key) or a new one and
// counts what happened; rec's ID is set by it.
func upsert[T any](f *fakeStore, m map[int64]T, c *store.ImportCounts, id int64, found bool, rec T, setID func(*T, int64)) int64 {
	if !found {
		f.nextID++
		id = f.nextID
		setID(&rec, id)
		m[id] = rec
		c.Created++
		return id
	}
	setID(&rec, id)
	if reflect.DeepEqual(m[id], rec) {
		c.Unchanged++
		return id
	}
	m[id] = rec
	c.Updated++
	return id
}

func (f *fakeStore) Import(ctx context.Context, ds *store.Dataset, _ store.Actor) (store.ImportResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["Import"]++
	if err := ds.Validate(time.UTC); err != nil {
		return store.ImportResult{}, err
	}
	var res store.ImportResult
	for _, r := range ds.Units {
		old, found := f.unitByCode(r.Code)
		rec := store.Unit{Code: r.Code, Name: r.Name, Kind: r.Kind, Aliases: r.Aliases, ActiveTo: r.ActiveTo}
		upsert(f, f.units, &res.Units, old.ID, found, rec, func(u *store.Unit, id int64) { u.ID = id })
	}
	for _, r := range ds.Programs {
		var old store.Program
		found := false
		for _, p := range f.programs {
			if p.Code == r.Code {
				old, found = p, true
			}
		}
		owner, _ := f.unitByCode(r.Owner)
		rec := store.Program{Code: r.Code, Name: r.Name, Kind: r.Kind, Owner: store.UnitRef{ID: owner.ID}}
		upsert(f, f.programs, &res.Programs, old.ID, found, rec, func(p *store.Program, id int64) { p.ID = id })
	}
	for _, r := range ds.Meetings {
		var old store.Meeting
		found := false
		for _, m := range f.meetings {
			if m.Key == r.Key {
				old, found = m, true
			}
		}
		starts, _ := store.ParseTime(r.StartsAt, time.UTC)
		org, _ := f.unitByCode(r.Organiser)
		rec := store.Meeting{Key: r.Key, Title: r.Title, StartsAt: starts, Place: r.Place, Organiser: store.UnitRef{ID: org.ID}}
		for _, a := range r.Attendees {
			u, _ := f.unitByCode(a)
			rec.Attendees = append(rec.Attendees, store.UnitRef{ID: u.ID})
		}
		upsert(f, f.meetings, &res.Meetings, old.ID, found, rec, func(m *store.Meeting, id int64) { m.ID = id })
	}
	for _, r := range ds.Directives {
		var old store.Directive
		found := false
		for _, d := range f.directives {
			if d.Code == r.Code {
				old, found = d, true
			}
		}
		rec := store.Directive{Code: r.Code, Title: r.Title, Body: r.Body, IssuedOn: r.IssuedOn, Deadline: r.Deadline}
		for _, m := range f.meetings {
			if r.Meeting != "" && m.Key == r.Meeting {
				rec.MeetingID = m.ID
			}
		}
		for _, p := range f.programs {
			if r.Program != "" && p.Code == r.Program {
				rec.ProgramID = p.ID
			}
		}
		for _, a := range r.Assignments {
			u, ok := f.unitByCode(a.Unit)
			if !ok {
				return store.ImportResult{}, store.ImportErrors{{Record: r.Code, Field: "assignments", Msg: "unknown unit " + a.Unit}}
			}
			as := store.Assignment{ID: u.ID, Unit: store.UnitRef{ID: u.ID}, Role: cmp.Or(a.Role, store.RoleLead)}
			// Progress is kept across imports.
			for _, oa := range old.Assignments {
				if oa.Unit.ID == u.ID {
					as = oa
				}
			}
			rec.Assignments = append(rec.Assignments, as)
		}
		upsert(f, f.directives, &res.Directives, old.ID, found, rec, func(d *store.Directive, id int64) { d.ID = id })
	}
	return res, nil
}

func (f *fakeStore) RecordProgress(ctx context.Context, p store.ProgressInput) (store.Directive, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["RecordProgress"]++
	d, ok := f.directives[p.DirectiveID]
	if !ok {
		return store.Directive{}, fmt.Errorf("directive %d: %w", p.DirectiveID, store.ErrNotFound)
	}
	d.Assignments = slices.Clone(d.Assignments)
	i := slices.IndexFunc(d.Assignments, func(a store.Assignment) bool { return a.Unit.ID == p.UnitID })
	if i < 0 {
		return store.Directive{}, fmt.Errorf("directive %d, unit %d: %w", p.DirectiveID, p.UnitID, store.ErrNotFound)
	}
	a := &d.Assignments[i]
	f.nextID++
	a.Reports = append(slices.Clone(a.Reports), store.ProgressReport{ID: f.nextID, At: p.At.UTC(), Percent: p.Percent, Note: p.Note})
	a.ReportCount = len(a.Reports)
	a.Percent = p.Percent
	if p.Done {
		a.Percent = 100
		a.CompletedAt = p.At.UTC()
		a.CompletedOn = store.DateOf(p.At.UTC())
	}
	f.directives[d.ID] = d
	return f.directive(d, true), nil
}

// seedDataset is the data most tests start from: ids 1–3 units, 4 the
// program, 5 the meeting, 6–7 the directives.
func seedDataset() *store.Dataset {
	return &store.Dataset{
		Units: []store.UnitRecord{
			{Code: "meo-vac", Name: "Huyện ủy Mèo Vạc", Kind: store.KindDistrict},
			{Code: "dong-van", Name: "Huyện ủy Đồng Văn", Kind: store.KindDistrict},
			{Code: "bdbp", Name: "Bộ đội Biên phòng tỉnh", Kind: store.KindBorderGuard},
		},
		Programs: []store.ProgramRecord{
			{Code: "ct-biengioi", Name: "Chương trình biên giới xanh", Owner: "bdbp"},
		},
		Meetings: []store.MeetingRecord{
			{Key: "hn-2024-04", Title: "Hội nghị giao ban biên giới", StartsAt: "2024-04-17T08:00:00+07:00",
				Organiser: "bdbp", Attendees: []string{"meo-vac", "dong-van"}},
		},
		Directives: []store.DirectiveRecord{
			{Code: "15/CT-UBND", Title: "Tuần tra biên giới", IssuedOn: store.NewDate(2024, 4, 17), Meeting: "hn-2024-04",
				Program: "ct-biengioi", Deadline: store.NewDate(2024, 6, 30),
				Assignments: []store.AssignmentRecord{{Unit: "meo-vac"}, {Unit: "dong-van", Role: store.RoleSupport}}},
			{Code: "16/CT-UBND", Title: "Trồng cây xanh", IssuedOn: store.NewDate(2024, 4, 18), Program: "ct-biengioi",
				Assignments: []store.AssignmentRecord{{Unit: "bdbp"}}},
		},
	}
}

// Ids of the seed records.
const (
	idMeoVac     = 1
	idDongVan    = 2
	idBDBP       = 3
	idProgram    = 4
	idMeeting    = 5
	idPatrol     = 6 // 15/CT-UBND
	idTreePlants = 7 // 16/CT-UBND
)

// seededFake returns a fake store holding seedDataset, with its call
// counters reset.
func seededFake(t interface {
	Helper()
	Fatalf(string, ...any)
}) *fakeStore {
	t.Helper()
	f := newFakeStore()
	if _, err := f.Import(context.Background(), seedDataset(), store.Actor{Name: "test"}); err != nil {
		t.Fatalf("seed fake store: %v", err)
	}
	f.calls = map[string]int{}
	return f
}

// Stats counts each unit's shares by state (visibility ignored: the fake
// holds no restricted records).
func (f *fakeStore) Stats(ctx context.Context, q store.StatsQuery) ([]store.UnitStats, error) {
	done, err := f.begin(ctx, "Stats")
	if err != nil {
		return nil, err
	}
	defer done()
	byUnit := map[int64]*store.UnitStats{}
	var order []int64
	for _, d := range sortedByID(f.directives) {
		d = f.directive(d, false)
		for _, a := range d.Assignments {
			if q.UnitID != 0 && a.Unit.ID != q.UnitID {
				continue
			}
			us, ok := byUnit[a.Unit.ID]
			if !ok {
				us = &store.UnitStats{Unit: a.Unit}
				byUnit[a.Unit.ID] = us
				order = append(order, a.Unit.ID)
			}
			st, _ := d.UnitStatus(a.Unit.ID, q.AsOf)
			us.Counts.Add(st)
		}
	}
	slices.Sort(order)
	out := []store.UnitStats{}
	for _, id := range order {
		out = append(out, *byUnit[id])
	}
	return out, nil
}

// errNotFaked: the fake does not model the office's review queue, audit
// log or exports; the cache passes them through, which the tests over
// SQLite check.
var errNotFaked = errors.New("not modelled by the fake")

func (f *fakeStore) PendingReports(context.Context, store.PendingFilter) (store.Page[store.PendingReport], error) {
	return store.Page[store.PendingReport]{}, errNotFaked
}

func (f *fakeStore) History(context.Context, store.RecordKind, int64) ([]store.AuditEntry, error) {
	return nil, errNotFaked
}

func (f *fakeStore) Export(context.Context, store.ExportFilter) (*store.Dataset, error) {
	return nil, errNotFaked
}

// SubmitReport, ReviewReport and ChangeDeadline count the call and change
// a directive's UpdatedAt, enough for the invalidation tests.
func (f *fakeStore) SubmitReport(_ context.Context, r store.ReportInput) (store.PendingReport, error) {
	return store.PendingReport{}, f.touchDirective("SubmitReport", r.DirectiveID)
}

func (f *fakeStore) ReviewReport(context.Context, store.Review) (store.PendingReport, error) {
	return store.PendingReport{}, errNotFaked
}

func (f *fakeStore) ChangeDeadline(_ context.Context, in store.DeadlineInput) (store.Directive, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["ChangeDeadline"]++
	d, ok := f.directives[in.DirectiveID]
	if !ok {
		return store.Directive{}, fmt.Errorf("directive %d: %w", in.DirectiveID, store.ErrNotFound)
	}
	d.Deadline = in.Deadline
	f.directives[in.DirectiveID] = d
	return d, nil
}

func (f *fakeStore) touchDirective(call string, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[call]++
	d, ok := f.directives[id]
	if !ok {
		return fmt.Errorf("directive %d: %w", id, store.ErrNotFound)
	}
	d.UpdatedAt = d.UpdatedAt.Add(time.Second)
	f.directives[id] = d
	return nil
}
