// Package calfeed turns meetings and directive deadlines into calendars
// (package ical) and serves each unit's calendar over HTTP at a secret
// address, for calendar apps to subscribe to.
//
// A calendar covers a window around today, from Window.Past days ago to
// Window.Future days ahead: the meetings that start in it and the
// deadlines in it of directives not yet completed (for a unit: its share
// not yet completed). A meeting is a timed event (all-day when it was
// recorded with a day only); a deadline an all-day event on its day,
// "Hạn: <code> <title>", with the status in its description. Event UIDs
// are stable (meeting-42@meetbot, directive-7-unit-3@meetbot), and an
// event's DTSTAMP is its record's last change, so the same data gives
// the same document and an app updates events in place.
package calfeed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"meetbot/ical"
	"meetbot/store"
	"meetbot/wording"
)

// Source is what a calendar reads: *sqlstore.Store and the cache both
// satisfy it.
type Source interface {
	Meetings(ctx context.Context, f store.MeetingFilter) (store.Page[store.Meeting], error)
	Directives(ctx context.Context, f store.DirectiveFilter) (store.Page[store.Directive], error)
}

// Window is the span of a calendar around today, in days.
type Window struct{ Past, Future int }

// DefaultWindow: the past 30 days and the next 365.
var DefaultWindow = Window{Past: 30, Future: 365}

// Bounds on the events of one calendar, so a document stays a sane size
// (a few hundred kilobytes at most).
const (
	MaxMeetings   = 500
	MaxDeadlines  = 1000
	defaultLength = 2 * time.Hour // a meeting recorded without an end
)

// Query says whose calendar to build.
type Query struct {
	// Viewer hides the restricted records it may not see.
	Viewer store.Viewer
	// Unit, if its ID is set, keeps the unit's own meetings (organised
	// or attended) and deadlines (its shares), with its status.
	Unit store.UnitRef
	// Today is the day the window is around; Location the office's zone.
	Today    store.Date
	Location *time.Location
	// Window defaults to DefaultWindow.
	Window Window
}

// Result is a calendar built, with what it holds.
type Result struct {
	Calendar ical.Calendar
	// Meetings and Deadlines count the events; Capped says some were
	// left out (see MaxMeetings, MaxDeadlines).
	Meetings, Deadlines int
	Capped              bool
	// From and To are the first and last days of the window.
	From, To store.Date
}

// Build reads the meetings and deadlines of q's window and returns them
// as a calendar.
func Build(ctx context.Context, src Source, q Query) (Result, error) {
	if q.Location == nil {
		q.Location = time.UTC
	}
	if q.Window == (Window{}) {
		q.Window = DefaultWindow
	}
	from, to := q.Today.AddDays(-q.Window.Past), q.Today.AddDays(q.Window.Future)
	res := Result{From: from, To: to}
	name := "Lịch họp và hạn chỉ đạo"
	if q.Unit.ID != 0 {
		name += " – " + q.Unit.Name
	}
	res.Calendar = ical.Calendar{Name: name, TimeZone: q.Location.String()}

	mf := store.MeetingFilter{From: from.Start(q.Location), To: to.AddDays(1).Start(q.Location), UnitID: q.Unit.ID,
		Viewer: q.Viewer, Limit: store.MaxLimit}
	for {
		page, err := src.Meetings(ctx, mf)
		if err != nil {
			return res, fmt.Errorf("calendar meetings: %w", err)
		}
		for _, m := range page.Items {
			if res.Meetings == MaxMeetings {
				res.Capped = true
				break
			}
			res.Calendar.Events = append(res.Calendar.Events, meetingEvent(m, q.Location))
			res.Meetings++
		}
		if res.Capped || !page.HasNext() || len(page.Items) == 0 {
			break
		}
		mf.Offset += len(page.Items)
	}

	df := store.DirectiveFilter{UnitID: q.Unit.ID, Viewer: q.Viewer, DueFrom: from, DueTo: to, AsOf: q.Today,
		Order: store.OrderUrgent, Limit: store.MaxLimit}
	for done := false; !done; {
		page, err := src.Directives(ctx, df)
		if err != nil {
			return res, fmt.Errorf("calendar deadlines: %w", err)
		}
		for _, d := range page.Items {
			if d.Deadline.IsZero() || !d.ClosedOn.IsZero() {
				continue
			}
			if res.Deadlines == MaxDeadlines {
				res.Capped, done = true, true
				break
			}
			res.Calendar.Events = append(res.Calendar.Events, deadlineEvent(d, q.Unit.ID, q.Today))
			res.Deadlines++
		}
		if !page.HasNext() || len(page.Items) == 0 {
			break
		}
		df.Offset += len(page.Items)
	}
	return res, nil
}

// MeetingUID and DeadlineUID are the UIDs of the events of a meeting and
// of a directive's deadline (unitID 0: the directive as a whole).
func MeetingUID(id int64) string { return fmt.Sprintf("meeting-%d@meetbot", id) }

// DeadlineUID: see MeetingUID.
func DeadlineUID(directiveID, unitID int64) string {
	if unitID == 0 {
		return fmt.Sprintf("directive-%d@meetbot", directiveID)
	}
	return fmt.Sprintf("directive-%d-unit-%d@meetbot", directiveID, unitID)
}

func icalDate(d store.Date) ical.Date { return ical.Date{Year: d.Year, Month: d.Month, Day: d.Day} }

// meetingEvent is a meeting's event: timed, or all-day when it was
// recorded at midnight with no end (a day only).
func meetingEvent(m store.Meeting, loc *time.Location) ical.Event {
	e := ical.Event{UID: MeetingUID(m.ID), Stamp: m.UpdatedAt, LastModified: m.UpdatedAt, Summary: m.Title,
		Location: m.Place, URL: m.SourceURL, Confidential: m.Restricted}
	var lines []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			lines = append(lines, label+": "+v)
		}
	}
	l := m.StartsAt.In(loc)
	switch {
	case l.Hour() == 0 && l.Minute() == 0 && m.EndsAt.IsZero():
		e.Day = icalDate(store.DateOf(l))
	case m.EndsAt.After(m.StartsAt):
		e.Start, e.End = m.StartsAt, m.EndsAt
	default:
		e.Start, e.End = m.StartsAt, m.StartsAt.Add(defaultLength)
		add("Giờ kết thúc", "chưa rõ (lịch tạm tính 2 giờ)")
	}
	add("Chủ trì", wording.Person(m.ChairName, m.ChairPosition))
	add("Đơn vị tổ chức", m.Organiser.Name)
	var att []string
	for _, u := range m.Attendees {
		att = append(att, u.Name)
	}
	add("Đơn vị dự", strings.Join(att, ", "))
	add("Kết quả", m.Summary)
	add("Nguồn", m.Source)
	add("Ghi chú", m.Note)
	e.Description = strings.Join(lines, "\n")
	e.Categories = []string{"Cuộc họp"}
	return e
}

// deadlineEvent is the all-day event of a directive's deadline: for one
// unit's share when unitID is set, else for the directive as a whole.
func deadlineEvent(d store.Directive, unitID int64, today store.Date) ical.Event {
	e := ical.Event{UID: DeadlineUID(d.ID, unitID), Stamp: d.UpdatedAt, LastModified: d.UpdatedAt, Day: icalDate(d.Deadline),
		Summary: strings.TrimSpace("Hạn: " + d.Code + " " + d.Title), Categories: []string{"Hạn chỉ đạo"}, Confidential: d.Restricted}
	var lines []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			lines = append(lines, label+": "+v)
		}
	}
	if unitID != 0 {
		for _, a := range d.Assignments {
			if a.Unit.ID == unitID {
				st := store.StatusAt(d.Deadline, d.ShareCompletedOn(a), today)
				add("Tình trạng của "+a.Unit.Name, wording.StatusLabel(st, d.Deadline, d.ShareCompletedOn(a), today))
				add("Vai trò", wording.Role(a.Role))
				if a.Percent > 0 && !a.Done() {
					add("Tiến độ", fmt.Sprintf("%d%%", a.Percent))
				}
			}
		}
	} else {
		add("Tình trạng", wording.StatusLabel(d.Status(today), d.Deadline, d.CompletedOn(), today))
	}
	var units []string
	for _, a := range d.Assignments {
		st := store.StatusAt(d.Deadline, d.ShareCompletedOn(a), today)
		units = append(units, fmt.Sprintf("%s (%s): %s", a.Unit.Name, strings.ToLower(wording.Role(a.Role)), strings.ToLower(wording.StatusName(st))))
	}
	if len(units) > 0 {
		lines = append(lines, "Đơn vị thực hiện:\n– "+strings.Join(units, "\n– "))
	}
	add("Người giao", wording.Person(d.IssuerName, d.IssuerPosition))
	add("Từ cuộc họp", d.MeetingTitle)
	add("Văn bản", d.SourceDoc)
	add("Ghi chú về hạn", d.DeadlineNote)
	e.Description = strings.Join(lines, "\n")
	return e
}
