package handlers

// Screens load what a view needs from the store and render it. Commands
// turn their arguments into a callback and show the same screen a button
// shows, so a command's reply and a button's edit never differ.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// request is what handling one update needs to know: where to answer and
// what day it is.
type request struct {
	updateID  int64
	chatID    int64
	chatTitle string
	thread    int // forum topic, 0 for none
	private   bool
	user      models.User  // who sent the message or pressed the button
	messageID int          // the user's message, 0 for a button or inline query
	replyTo   *models.User // the author of the message the user replied to, if any
	rd        renderer
	// viewer, admin, stored, members and binding cache the lookups of
	// who the user is (viewerOf, isAdmin, storedUnits, memberUnits) and
	// what the chat is bound to (boundUnits), so each is made once per
	// update however many steps ask.
	viewer  *store.Viewer
	admin   *bool
	stored  *[]int64
	members *[]int64
	binding *chatBinding
}

// notFoundError is a missing record, with the reply that says which.
type notFoundError struct {
	msg, hint string
	err       error
}

func (e *notFoundError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *notFoundError) Unwrap() error { return e.err }

// notFound wraps err when it is ErrNotFound with the reply msg; other
// errors get what (for the log, so no user text) and pass through.
func notFound(err error, what, msg, hint string) error {
	if errors.Is(err, store.ErrNotFound) {
		return &notFoundError{msg: msg, hint: hint, err: err}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// errStale marks a page that no longer exists (the list shrank since the
// button was made).
var errStale = fmt.Errorf("page past the end of the list: %w", store.ErrNotFound)

// show renders the screen cb asks for.
func (h *Handlers) show(ctx context.Context, r *request, cb callback) (view, error) {
	switch cb.Kind {
	case kindHelp, kindNoop:
		return r.rd.help(), nil
	case kindUnits:
		us, err := h.deps.Store.Units(ctx, store.UnitFilter{})
		if err != nil {
			return view{}, fmt.Errorf("list units: %w", err)
		}
		var chats map[int64]int
		if h.deps.Registry != nil {
			bs, err := h.deps.Registry.Bindings(ctx)
			if err != nil {
				return view{}, fmt.Errorf("list bindings: %w", err)
			}
			chats = map[int64]int{}
			for _, b := range bs {
				if b.Active {
					chats[b.UnitID]++
				}
			}
		}
		return r.rd.units(us, chats), nil
	case kindMeeting:
		return h.showMeeting(ctx, r, cb.ID)
	case kindMeetings:
		rng, err := parseRange(cb.Range)
		if err != nil {
			return view{}, fmt.Errorf("%w: %v", errBadCallback, err)
		}
		return h.showMeetings(ctx, r, rng, cb.Page)
	case kindDirective:
		return h.showDirective(ctx, r, cb.ID)
	case kindDirectives:
		return h.showDirectives(ctx, r, cb)
	case kindDeadlines:
		return h.showDeadlines(ctx, r, cb)
	case kindOverdue:
		return h.showOverdue(ctx, r, cb)
	case kindProgram:
		return h.showProgram(ctx, r, cb.ID)
	case kindPrograms:
		return h.showPrograms(ctx, r, cb.Page)
	case kindSearch:
		return h.showSearch(ctx, r, cb.Query, cb.Short, cb.Page)
	}
	return view{}, fmt.Errorf("%w: kind %q", errBadCallback, cb.Kind)
}

// offset returns the store offset of a page (from 1).
func (r *request) offset(page int) int { return (max(page, 1) - 1) * r.rd.size }

// stale reports whether a page asked for lies past the end of its list.
func stale[T any](pg store.Page[T], page int) bool {
	return page > 1 && len(pg.Items) == 0
}

func (h *Handlers) showMeeting(ctx context.Context, r *request, id int64) (view, error) {
	m, err := h.loadMeeting(ctx, r, id)
	if err != nil {
		return view{}, notFound(err, fmt.Sprintf("load meeting %d", id), fmt.Sprintf("Không tìm thấy cuộc họp số %d.", id), "Gõ /meetings để xem các cuộc họp.")
	}
	if m.DirectiveCount, err = h.visibleCount(ctx, r, m.DirectiveCount, store.DirectiveFilter{MeetingID: m.ID}); err != nil {
		return view{}, err
	}
	return h.entryButtons(ctx, r, r.rd.meetingDetail(m), store.RecordMeeting, m.ID), nil // ✏️ Sửa for admins (entry.go)
}

// showMeetings lists meetings. "Upcoming" starts at the start of today so
// the answer holds for the whole day; the overview shows up to a page of
// upcoming meetings, then at least 3 recent past ones.
func (h *Handlers) showMeetings(ctx context.Context, r *request, rng meetingRange, page int) (view, error) {
	loc := r.rd.loc
	todayStart := r.rd.today.Start(loc).UTC()
	v := h.viewerOf(ctx, r)
	f := store.MeetingFilter{Viewer: v, Offset: r.offset(page), Limit: r.rd.size}
	switch rng.Mode {
	case rangeOverview:
		up, err := h.deps.Store.Meetings(ctx, store.MeetingFilter{From: todayStart, Viewer: v, Limit: r.rd.size})
		if err != nil {
			return view{}, fmt.Errorf("upcoming meetings: %w", err)
		}
		past, err := h.deps.Store.Meetings(ctx, store.MeetingFilter{To: todayStart, Desc: true, Viewer: v, Limit: max(3, r.rd.size-len(up.Items))})
		if err != nil {
			return view{}, fmt.Errorf("past meetings: %w", err)
		}
		return r.rd.meetingOverview(up, past), nil // counts of what v sees (the store)
	case rangeUpcoming:
		f.From = todayStart
	case rangePast:
		f.To, f.Desc = todayStart, true
	case rangeMonth:
		from := time.Date(rng.Year, rng.Month, 1, 0, 0, 0, 0, loc)
		f.From, f.To = from.UTC(), from.AddDate(0, 1, 0).UTC()
	}
	pg, err := h.deps.Store.Meetings(ctx, f)
	if err != nil {
		return view{}, fmt.Errorf("list meetings: %w", err)
	}
	if stale(pg, page) {
		return view{}, errStale
	}
	return r.rd.meetingList(rng, pg), nil
}

func (h *Handlers) showDirective(ctx context.Context, r *request, id int64) (view, error) {
	d, err := h.loadDirective(ctx, r, id)
	if err != nil {
		return view{}, notFound(err, fmt.Sprintf("load directive %d", id), fmt.Sprintf("Không tìm thấy chỉ đạo số %d.", id), "Gõ /directives để xem các chỉ đạo.")
	}
	return h.directiveCard(ctx, r, d), nil
}

// showDirectiveByCode shows the directive with a code such as 15/CT-UBND.
func (h *Handlers) showDirectiveByCode(ctx context.Context, r *request, code string) (view, error) {
	d, err := h.deps.Store.DirectiveByCode(ctx, code)
	if err == nil && !h.viewerOf(ctx, r).CanSeeDirective(d) {
		err = hidden(store.RecordDirective, d.ID)
	}
	if err != nil {
		return view{}, notFound(err, "load directive by code", "Không tìm thấy chỉ đạo có ký hiệu “"+tghtml.Truncate(code, 60)+"”.",
			"Thử tìm theo từ khoá: /search "+tghtml.Truncate(code, 60))
	}
	return h.directiveCard(ctx, r, d), nil
}

// directiveCard renders a directive with the buttons the user may use:
// ✏️ Sửa and ⏰ Gia hạn for admins (entry.go), ✅ Đã hoàn thành and 📝 Báo
// cáo tiến độ for members of an assigned unit (report.go).
func (h *Handlers) directiveCard(ctx context.Context, r *request, d store.Directive) view {
	v := h.entryButtons(ctx, r, r.rd.directiveDetail(d), store.RecordDirective, d.ID)
	return h.reportButtons(ctx, r, v, d)
}

// unitName loads a unit's name for a list's title.
func (h *Handlers) unitName(ctx context.Context, id int64) (string, error) {
	u, err := h.deps.Store.Unit(ctx, id)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("load unit %d", id), fmt.Sprintf("Không tìm thấy đơn vị số %d.", id), "Gõ /units để xem các đơn vị.")
	}
	return u.Name, nil
}

// showDirectives lists directives for a unit, meeting or program, or all,
// in a status set. Lists of completed directives are latest first; the
// others most urgent first.
func (h *Handlers) showDirectives(ctx context.Context, r *request, cb callback) (view, error) {
	f := store.DirectiveFilter{
		UnitID: cb.Unit, MeetingID: cb.Meeting, ProgramID: cb.Program, Status: cb.Status,
		Viewer: h.viewerOf(ctx, r), AsOf: r.rd.today, Order: store.OrderUrgent, Offset: r.offset(cb.Page), Limit: r.rd.size,
	}
	if cb.Status != 0 && cb.Status&^store.SetDone == 0 {
		f.Order = store.OrderRecent
	}
	title := "Chỉ đạo"
	var sub []string
	if cb.Unit != 0 {
		name, err := h.unitName(ctx, cb.Unit)
		if err != nil {
			return view{}, err
		}
		title = "Chỉ đạo giao cho " + name
	}
	if cb.Meeting != 0 {
		m, err := h.loadMeeting(ctx, r, cb.Meeting)
		if err != nil {
			return view{}, notFound(err, fmt.Sprintf("load meeting %d", cb.Meeting), fmt.Sprintf("Không tìm thấy cuộc họp số %d.", cb.Meeting), "Gõ /meetings để xem các cuộc họp.")
		}
		sub = append(sub, "Từ cuộc họp: "+tghtml.Truncate(m.Title, listTitleLen)+" ("+fmtDate(store.DateIn(m.StartsAt, r.rd.loc))+")")
	}
	if cb.Program != 0 {
		p, err := h.loadProgram(ctx, r, cb.Program)
		if err != nil {
			return view{}, notFound(err, fmt.Sprintf("load program %d", cb.Program), fmt.Sprintf("Không tìm thấy chương trình số %d.", cb.Program), "Gõ /programs để xem các chương trình.")
		}
		sub = append(sub, "Thuộc: "+tghtml.Truncate(p.Name, listTitleLen))
	}
	if cb.Status != 0 {
		sub = append(sub, "Tình trạng: "+wording.StatusSet(cb.Status))
	}
	pg, err := h.deps.Store.Directives(ctx, f)
	if err != nil {
		return view{}, fmt.Errorf("list directives: %w", err)
	}
	if stale(pg, cb.Page) {
		return view{}, errStale
	}
	return r.rd.directiveList(cb, "📌", title, sub, "Không có chỉ đạo nào phù hợp.", pg, cb.Unit, listPlain), nil
}

// showDeadlines lists directives not completed whose deadline falls in
// [today, today+days], soonest first.
func (h *Handlers) showDeadlines(ctx context.Context, r *request, cb callback) (view, error) {
	today := r.rd.today
	until := today.AddDays(cb.Days)
	f := store.DirectiveFilter{UnitID: cb.Unit, DueFrom: today, DueTo: until, AsOf: today, Viewer: h.viewerOf(ctx, r),
		Order: store.OrderUrgent, Offset: r.offset(cb.Page), Limit: r.rd.size}
	sub := []string{"Từ " + fmtDate(today) + " đến " + fmtDate(until)}
	if cb.Unit != 0 {
		name, err := h.unitName(ctx, cb.Unit)
		if err != nil {
			return view{}, err
		}
		sub = append(sub, "Đơn vị: "+name)
	}
	pg, err := h.deps.Store.Directives(ctx, f)
	if err != nil {
		return view{}, fmt.Errorf("list deadlines: %w", err)
	}
	if stale(pg, cb.Page) {
		return view{}, errStale
	}
	title := fmt.Sprintf("Sắp đến hạn trong %d ngày", cb.Days)
	empty := fmt.Sprintf("Không có chỉ đạo nào đến hạn trong %d ngày tới.", cb.Days)
	return r.rd.directiveList(cb, "⏰", title, sub, empty, pg, cb.Unit, listDeadline), nil
}

// showOverdue lists overdue directives, the longest overdue first.
func (h *Handlers) showOverdue(ctx context.Context, r *request, cb callback) (view, error) {
	f := store.DirectiveFilter{UnitID: cb.Unit, Status: store.SetOverdue, AsOf: r.rd.today, Viewer: h.viewerOf(ctx, r),
		Order: store.OrderUrgent, Offset: r.offset(cb.Page), Limit: r.rd.size}
	sub := []string{"Tính đến ngày " + fmtDate(r.rd.today)}
	if cb.Unit != 0 {
		name, err := h.unitName(ctx, cb.Unit)
		if err != nil {
			return view{}, err
		}
		sub = append(sub, "Đơn vị: "+name)
	} else {
		sub = append(sub, "Tất cả đơn vị")
	}
	pg, err := h.deps.Store.Directives(ctx, f)
	if err != nil {
		return view{}, fmt.Errorf("list overdue: %w", err)
	}
	if stale(pg, cb.Page) {
		return view{}, errStale
	}
	return r.rd.directiveList(cb, "🔴", "Chỉ đạo quá hạn", sub, "🎉 Không có chỉ đạo nào quá hạn.", pg, cb.Unit, listOverdue), nil
}

func (h *Handlers) showProgram(ctx context.Context, r *request, id int64) (view, error) {
	p, err := h.loadProgram(ctx, r, id)
	if err != nil {
		return view{}, notFound(err, fmt.Sprintf("load program %d", id), fmt.Sprintf("Không tìm thấy chương trình số %d.", id), "Gõ /programs để xem các chương trình.")
	}
	if p.DirectiveCount, err = h.visibleCount(ctx, r, p.DirectiveCount, store.DirectiveFilter{ProgramID: p.ID}); err != nil {
		return view{}, err
	}
	return h.entryButtons(ctx, r, r.rd.programDetail(p), store.RecordProgram, p.ID), nil // ✏️ Sửa for admins (entry.go)
}

func (h *Handlers) showPrograms(ctx context.Context, r *request, page int) (view, error) {
	pg, err := h.deps.Store.Programs(ctx, store.ProgramFilter{Viewer: h.viewerOf(ctx, r), Offset: r.offset(page), Limit: r.rd.size})
	if err != nil {
		return view{}, fmt.Errorf("list programs: %w", err)
	}
	if stale(pg, page) {
		return view{}, errStale
	}
	return r.rd.programList(pg), nil // counts of what the viewer sees (the store)
}

// showSearch runs a search with key, the normalised query (searchKey), so
// that every page runs the same query.
func (h *Handlers) showSearch(ctx context.Context, r *request, key string, shortened bool, page int) (view, error) {
	pg, err := h.deps.Store.Search(ctx, store.SearchQuery{Text: key, Viewer: h.viewerOf(ctx, r), Offset: r.offset(page), Limit: r.rd.size})
	if err != nil {
		return view{}, fmt.Errorf("search (page %d): %w", page, err)
	}
	if stale(pg, page) {
		return view{}, errStale
	}
	return r.rd.search(key, shortened, pg), nil
}

// resolveUnit finds the unit text names: by code, name or alias (folded),
// and failing those by a search over units, so that "huyen xin man" finds
// "Huyện ủy Xín Mần". It returns the unit, or the candidates when several
// match, or neither when none does.
func (h *Handlers) resolveUnit(ctx context.Context, text string) (store.Unit, []store.Unit, error) {
	us, err := h.deps.Store.FindUnits(ctx, text)
	if err != nil {
		return store.Unit{}, nil, fmt.Errorf("find units: %w", err)
	}
	if len(us) == 0 {
		if key, _ := searchKey(text); key != "" {
			pg, err := h.deps.Store.Search(ctx, store.SearchQuery{Text: key, Kinds: []store.RecordKind{store.RecordUnit}, Limit: candidatesMax + 1})
			if err != nil {
				return store.Unit{}, nil, fmt.Errorf("search units: %w", err)
			}
			for _, hit := range pg.Items {
				us = append(us, store.Unit{ID: hit.ID, Code: hit.Code, Name: hit.Title})
			}
		}
	}
	switch len(us) {
	case 0:
		return store.Unit{}, nil, nil
	case 1:
		return us[0], nil, nil
	}
	return store.Unit{}, us, nil
}

// boundUnit returns the unit the chat is bound to, if exactly one.
func (h *Handlers) boundUnit(ctx context.Context, r *request) (int64, error) {
	us, err := h.boundUnits(ctx, r)
	if err != nil || len(us) != 1 {
		return 0, err
	}
	return us[0].ID, nil
}

// fallback returns a simpler screen to show when cb's no longer exists: the
// first page of the same list, then the list without its filters, then
// the lists the detail screens belong to, then help.
func fallback(cb callback) callback {
	switch cb.Kind {
	case kindMeeting:
		return callback{Kind: kindMeetings, Page: 1}
	case kindDirective:
		return callback{Kind: kindDirectives, Page: 1}
	case kindProgram:
		return callback{Kind: kindPrograms, Page: 1}
	case kindMeetings, kindDirectives, kindDeadlines, kindOverdue, kindPrograms, kindSearch:
		if cb.Page > 1 {
			return cb.withPage(1)
		}
		if cb.Unit != 0 || cb.Meeting != 0 || cb.Program != 0 {
			cb.Unit, cb.Meeting, cb.Program = 0, 0, 0
			return cb
		}
	}
	return callback{Kind: kindHelp}
}
