package handlers

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

// fakeEditor writes datasets into a fakeStore with Import's semantics
// (create or update by key, refuse unknown references) and records every
// write with its actor. Set err to make every write fail.
type fakeEditor struct {
	mu      sync.Mutex
	s       *fakeStore
	imports []fakeImport
	moves   []store.DeadlineInput
	err     error
	// refuse, if set, is returned by Import as the store's validation.
	refuse store.ImportErrors
}

type fakeImport struct {
	ds store.Dataset
	by store.Actor
}

var _ Editor = (*fakeEditor)(nil)

func (e *fakeEditor) unit(code string) (store.UnitRef, bool) {
	for _, u := range e.s.units {
		if u.Code == code {
			return store.UnitRef{ID: u.ID, Code: u.Code, Name: u.Name}, true
		}
	}
	return store.UnitRef{}, false
}

func (e *fakeEditor) Import(_ context.Context, ds *store.Dataset, by store.Actor) (store.ImportResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var res store.ImportResult
	if e.err != nil {
		return res, e.err
	}
	if e.refuse != nil {
		return res, fmt.Errorf("import: %w", e.refuse)
	}
	if err := ds.Validate(ict); err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	var es store.ImportErrors
	ref := func(rec, field, code string) store.UnitRef {
		if code == "" {
			return store.UnitRef{}
		}
		u, ok := e.unit(code)
		if !ok {
			es = append(es, store.ImportError{Record: rec, Field: field, Msg: fmt.Sprintf("unknown unit %q", code)})
		}
		return u
	}
	e.imports = append(e.imports, fakeImport{ds: *ds, by: by})
	for i, p := range ds.Programs {
		rec := store.RecordName("programs", i, p.Code)
		np := store.Program{Code: p.Code, Name: p.Name, Kind: p.Kind, StartYear: p.StartYear, EndYear: p.EndYear, VisionYear: p.VisionYear,
			Owner: ref(rec, "owner", p.Owner), Description: p.Description, Restricted: p.Restricted}
		j := slices.IndexFunc(e.s.programs, func(q store.Program) bool { return q.Code == p.Code })
		switch {
		case j < 0:
			np.ID = int64(len(e.s.programs) + 1)
			e.s.programs = append(e.s.programs, np)
			res.Programs.Created++
		default:
			np.ID, np.DirectiveCount = e.s.programs[j].ID, e.s.programs[j].DirectiveCount
			if reflect.DeepEqual(np, e.s.programs[j]) {
				res.Programs.Unchanged++
				continue
			}
			e.s.programs[j] = np
			res.Programs.Updated++
		}
	}
	for i, m := range ds.Meetings {
		rec := store.RecordName("meetings", i, m.Key)
		start, _ := store.ParseTime(m.StartsAt, ict)
		nm := store.Meeting{Key: m.Key, Title: m.Title, StartsAt: start, Place: m.Place, ChairName: m.ChairName, ChairPosition: m.ChairPosition,
			Organiser: ref(rec, "organiser", m.Organiser), Summary: m.Summary, Source: m.Source, SourceURL: m.SourceURL, Note: m.Note, Restricted: m.Restricted}
		if m.EndsAt != "" {
			nm.EndsAt, _ = store.ParseTime(m.EndsAt, ict)
		}
		for k, a := range m.Attendees {
			nm.Attendees = append(nm.Attendees, ref(rec, fmt.Sprintf("attendees[%d]", k), a))
		}
		j := slices.IndexFunc(e.s.meetings, func(q store.Meeting) bool { return q.Key == m.Key })
		switch {
		case j < 0:
			nm.ID = int64(len(e.s.meetings) + 1)
			e.s.meetings = append(e.s.meetings, nm)
			res.Meetings.Created++
		default:
			nm.ID, nm.DirectiveCount = e.s.meetings[j].ID, e.s.meetings[j].DirectiveCount
			if reflect.DeepEqual(nm, e.s.meetings[j]) {
				res.Meetings.Unchanged++
				continue
			}
			e.s.meetings[j] = nm
			res.Meetings.Updated++
		}
	}
	for i, d := range ds.Directives {
		rec := store.RecordName("directives", i, d.Code)
		nd := store.Directive{Code: d.Code, Title: d.Title, Body: d.Body, IssuerName: d.IssuerName, IssuerPosition: d.IssuerPosition,
			IssuedOn: d.IssuedOn, SourceDoc: d.SourceDoc, Deadline: d.Deadline, DeadlineNote: d.DeadlineNote, ClosedOn: d.ClosedOn,
			Restricted: d.Restricted, Reminders: d.Reminders}
		if d.Meeting != "" {
			j := slices.IndexFunc(e.s.meetings, func(m store.Meeting) bool { return m.Key == d.Meeting })
			if j < 0 {
				es = append(es, store.ImportError{Record: rec, Field: "meeting", Msg: fmt.Sprintf("unknown meeting %q", d.Meeting)})
				continue
			}
			nd.MeetingID, nd.MeetingTitle = e.s.meetings[j].ID, e.s.meetings[j].Title
		}
		if d.Program != "" {
			j := slices.IndexFunc(e.s.programs, func(p store.Program) bool { return p.Code == d.Program })
			if j < 0 {
				es = append(es, store.ImportError{Record: rec, Field: "program", Msg: fmt.Sprintf("unknown program %q", d.Program)})
				continue
			}
			nd.ProgramID, nd.ProgramName = e.s.programs[j].ID, e.s.programs[j].Name
		}
		j := slices.IndexFunc(e.s.directives, func(x store.Directive) bool { return strings.EqualFold(x.Code, d.Code) })
		var old store.Directive
		if j >= 0 {
			old = e.s.directives[j]
		}
		for k, a := range d.Assignments {
			u := ref(rec, fmt.Sprintf("assignments[%d].unit", k), a.Unit)
			na := store.Assignment{ID: u.ID, Unit: u, Role: a.Role, CompletedOn: a.CompletedOn, CompletionNote: a.CompletionNote}
			if i := slices.IndexFunc(old.Assignments, func(o store.Assignment) bool { return o.Unit.ID == u.ID }); i >= 0 {
				o := old.Assignments[i]
				na.Percent, na.ReportCount, na.Reports = o.Percent, o.ReportCount, o.Reports
			}
			nd.Assignments = append(nd.Assignments, na)
		}
		if j < 0 {
			nd.ID = int64(len(e.s.directives) + 1)
			e.s.directives = append(e.s.directives, nd)
			res.Directives.Created++
			continue
		}
		nd.ID, nd.DeadlineHistory = old.ID, old.DeadlineHistory
		if reflect.DeepEqual(nd, old) {
			res.Directives.Unchanged++
			continue
		}
		e.s.directives[j] = nd
		res.Directives.Updated++
	}
	if len(es) > 0 {
		return store.ImportResult{}, fmt.Errorf("import: %w", es)
	}
	return res, nil
}

func (e *fakeEditor) Export(_ context.Context, f store.ExportFilter) (*store.Dataset, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		return nil, e.err
	}
	ds := &store.Dataset{}
	for _, d := range e.s.directives {
		if !slices.Contains(f.DirectiveIDs, d.ID) {
			continue
		}
		rec := store.DirectiveRecord{Code: d.Code, Title: d.Title, Body: d.Body, IssuerName: d.IssuerName, IssuerPosition: d.IssuerPosition,
			IssuedOn: d.IssuedOn, SourceDoc: d.SourceDoc, Deadline: d.Deadline, DeadlineNote: d.DeadlineNote, ClosedOn: d.ClosedOn,
			Restricted: d.Restricted, Reminders: d.Reminders}
		for _, m := range e.s.meetings {
			if m.ID == d.MeetingID {
				rec.Meeting = m.Key
			}
		}
		for _, p := range e.s.programs {
			if p.ID == d.ProgramID {
				rec.Program = p.Code
			}
		}
		for _, a := range d.Assignments {
			rec.Assignments = append(rec.Assignments, store.AssignmentRecord{Unit: a.Unit.Code, Role: a.Role, CompletedOn: a.CompletedOn, CompletionNote: a.CompletionNote})
		}
		ds.Directives = append(ds.Directives, rec)
	}
	return ds, nil
}

func (e *fakeEditor) ChangeDeadline(_ context.Context, in store.DeadlineInput) (store.Directive, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		return store.Directive{}, e.err
	}
	for i, d := range e.s.directives {
		if d.ID != in.DirectiveID {
			continue
		}
		if d.Deadline == in.Deadline {
			return d, fmt.Errorf("same deadline: %w", store.ErrInvalid)
		}
		e.moves = append(e.moves, in)
		d.DeadlineHistory = append(slices.Clone(d.DeadlineHistory), store.DeadlineChange{From: d.Deadline, To: in.Deadline, Reason: in.Reason, By: in.By, At: in.At})
		d.Deadline = in.Deadline
		e.s.directives[i] = d
		return d, nil
	}
	return store.Directive{}, fmt.Errorf("directive %d: %w", in.DirectiveID, store.ErrNotFound)
}

// fakePeople grants admin rights to the users listed.
type fakePeople struct {
	admins map[int64]bool
	err    error
}

func (p fakePeople) IsAdmin(_ context.Context, userID int64) (bool, error) {
	return p.admins[userID], p.err
}
func (p fakePeople) UserUnits(context.Context, int64) ([]int64, error) { return nil, nil }
func (p fakePeople) RecordMember(context.Context, int64, int64, int64, time.Time) error {
	return nil
}

// entryHarness is the harness with data entry wired: user 1 ("Cán bộ
// Nhập Liệu") is an office administrator when admin is set.
type entryHarness struct {
	*harness
	ed *fakeEditor
	// mark is the number of calls before the latest message or press.
	mark int
}

func newEntryHarness(t *testing.T, admin bool) *entryHarness {
	t.Helper()
	hs := newHarness(t, Config{})
	ed := &fakeEditor{s: hs.store}
	cfg := hs.h.cfg
	if admin {
		cfg.AdminIDs = []int64{1}
	}
	deps := hs.h.deps
	deps.Editor = ed
	hs.h = New(cfg, deps)
	return &entryHarness{harness: hs, ed: ed}
}

// entryUser is who types and presses in the entry tests.
var entryUser = models.User{ID: 1, FirstName: "Cán bộ", LastName: "Nhập Liệu"}

// send types text in chat as entryUser.
func (hs *entryHarness) send(chat int64, text string) {
	hs.t.Helper()
	typ := models.ChatTypePrivate
	if chat < 0 {
		typ = models.ChatTypeSupergroup
	}
	u := entryUser
	hs.mark = len(hs.sender.calls)
	hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), Message: &models.Message{
		ID: 7, From: &u, Chat: models.Chat{ID: chat, Type: typ}, Text: text, Entities: commandEntities(text),
	}})
}

// tap presses the button labelled label (or starting with it) of the
// latest message that has one, as entryUser.
func (hs *entryHarness) tap(label string) {
	hs.t.Helper()
	for i := len(hs.sender.calls) - 1; i >= 0; i-- {
		kb := hs.sender.calls[i].Keyboard
		if kb == nil {
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if b.Text == label || strings.HasPrefix(b.Text, label) {
					hs.mark = len(hs.sender.calls)
					hs.h.Handle(context.Background(), &models.Update{ID: hs.update(), CallbackQuery: &models.CallbackQuery{
						ID: fmt.Sprintf("cq%d", hs.nextID), From: entryUser, Data: b.CallbackData,
						Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
							Message: &models.Message{ID: 55, Date: 1, Chat: models.Chat{ID: privateChat, Type: models.ChatTypePrivate}}},
					}})
					return
				}
			}
		}
	}
	hs.t.Fatalf("no button %q in the replies so far", label)
}

// lastText is the visible text of the last message sent or edited.
func (hs *entryHarness) lastText() string {
	hs.t.Helper()
	for i := len(hs.sender.calls) - 1; i >= 0; i-- {
		if c := hs.sender.calls[i]; c.Method == "SendMessage" || c.Method == "EditMessageText" {
			return visibleText(c.Text)
		}
	}
	hs.t.Fatal("nothing was sent")
	return ""
}

// reply is what the latest message or press got: the visible text of
// the messages sent or edited, and their buttons' labels.
func (hs *entryHarness) reply() string {
	hs.t.Helper()
	var b strings.Builder
	for _, c := range hs.sender.calls[min(hs.mark, len(hs.sender.calls)):] {
		if c.Method != "SendMessage" && c.Method != "EditMessageText" {
			continue
		}
		b.WriteString(visibleText(c.Text) + "\n")
		for label := range buttons(c.Keyboard) {
			b.WriteString("[" + label + "]\n")
		}
	}
	return b.String()
}

// want fails unless the reply to the latest message or press shows
// every string.
func (hs *entryHarness) want(ss ...string) {
	hs.t.Helper()
	got := hs.reply()
	for _, s := range ss {
		if !strings.Contains(got, s) {
			hs.t.Errorf("the reply lacks %q:\n%s", s, got)
		}
	}
}

// conversation returns user 1's conversation in the private chat.
func (hs *entryHarness) conversation() (store.Conversation, error) {
	return hs.h.deps.Conversations.Conversation(context.Background(), privateChat, 1)
}

// quiet fails when an error was logged.
func (hs *entryHarness) quiet() {
	hs.t.Helper()
	if strings.Contains(hs.logs.String(), "level=ERROR") {
		hs.t.Errorf("errors logged:\n%s", hs.logs)
	}
}

var errFakeEditor = errors.New("write failed")

var _ People = fakePeople{}
