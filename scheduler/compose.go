package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"meetbot/store"
)

// A family of items goes out together: a unit's deadline and meeting
// reminders in one message (per chat), its weekly digest in another, the
// escalation digest to the leadership.
type family string

const (
	famReminder   family = "reminder"
	famWeekly     family = "weekly"
	famEscalation family = "escalation"
)

func familyOf(k store.ReminderKind) family {
	switch k {
	case store.KindWeekly:
		return famWeekly
	case store.KindEscalation:
		return famEscalation
	case KindStats:
		return famStats
	}
	return famReminder
}

type groupKey struct {
	fam  family
	unit int64
}

// group is what goes into one batch: the items of one family for one
// unit, decided.
type group struct {
	key       groupKey
	queued    []store.OutboxItem // to send now
	dropped   []store.OutboxItem // skipped or cancelled
	deadlines []DeadlineItem
	meetings  []MeetingItem
	expires   time.Time
}

// composer holds what one composition loaded, so each record is read
// once.
type composer struct {
	s          *Service
	ctx        context.Context
	now        time.Time
	today      store.Date
	directives map[int64]store.Directive
	meetings   map[int64]store.Meeting
	// units are every unit by id, unitList in the store's order; both
	// nil until allUnits reads them.
	units    map[int64]store.Unit
	unitList []store.Unit
	// chats are the active bindings by unit, read with one Bindings call
	// when the first unit's destinations are needed (nil until then).
	chats map[int64][]store.Binding
}

func (c *composer) directive(id int64) (store.Directive, error) {
	if d, ok := c.directives[id]; ok {
		return d, nil
	}
	d, err := c.s.deps.Records.Directive(c.ctx, id)
	if err == nil {
		c.directives[id] = d
	}
	return d, err
}

func (c *composer) meeting(id int64) (store.Meeting, error) {
	if m, ok := c.meetings[id]; ok {
		return m, nil
	}
	m, err := c.s.deps.Records.Meeting(c.ctx, id)
	if err == nil {
		c.meetings[id] = m
	}
	return m, err
}

// allUnits returns every unit, retired ones too, in the store's order
// (kind, then name). The first call reads them all at once, so a pass
// asks once however many units it writes to.
func (c *composer) allUnits() ([]store.Unit, error) {
	if c.units != nil {
		return c.unitList, nil
	}
	us, err := c.s.deps.Records.Units(c.ctx, store.UnitFilter{IncludeRetired: true})
	if err != nil {
		return nil, err
	}
	c.unitList, c.units = us, make(map[int64]store.Unit, len(us))
	for _, u := range us {
		c.units[u.ID] = u
	}
	return us, nil
}

// unit returns the unit with the id, or store.ErrNotFound.
func (c *composer) unit(id int64) (store.Unit, error) {
	if _, err := c.allUnits(); err != nil {
		return store.Unit{}, err
	}
	if u, ok := c.units[id]; ok {
		return u, nil
	}
	return store.Unit{}, store.ErrNotFound
}

// chatsOf returns the unit's active bindings in the order they were made
// (by binding id). The first call reads every binding at once, so a pass
// asks the store once however many units it writes to.
func (c *composer) chatsOf(unitID int64) ([]store.Binding, error) {
	if c.chats == nil {
		bs, err := c.s.deps.Store.Bindings(c.ctx)
		if err != nil {
			return nil, err
		}
		c.chats = map[int64][]store.Binding{}
		for _, b := range bs {
			if b.Active {
				c.chats[b.UnitID] = append(c.chats[b.UnitID], b)
			}
		}
		for _, bs := range c.chats {
			slices.SortFunc(bs, func(a, b store.Binding) int { return cmp.Compare(a.ID, b.ID) })
		}
	}
	return c.chats[unitID], nil
}

// compose decides every pending item and returns the batches to write:
// per subject only the latest rung is kept (the others are skipped),
// items that no longer apply are cancelled, and the rest, when their time
// of day allows, are rendered into one message per unit and chat. Items
// whose time has not come (a deadline reminder before the morning time or
// on a day off, anything at night) or whose unit has no chat stay
// pending.
func (s *Service) compose(ctx context.Context, now time.Time, pending []store.OutboxItem) ([]store.OutboxBatch, error) {
	c := &composer{s: s, ctx: ctx, now: now, today: store.DateIn(now, s.cfg.Location),
		directives: map[int64]store.Directive{}, meetings: map[int64]store.Meeting{}}
	var errs []error
	groups := map[groupKey]*group{}
	groupOf := func(it store.OutboxItem) *group {
		k := groupKey{familyOf(it.Kind), it.UnitID}
		g := groups[k]
		if g == nil {
			g = &group{key: k}
			groups[k] = g
		}
		return g
	}

	// Per subject, the latest rung supersedes the others.
	bySubject := map[store.OutboxSubject][]store.OutboxItem{}
	for _, it := range pending {
		bySubject[it.Subject()] = append(bySubject[it.Subject()], it)
	}
	var latest []store.OutboxItem
	for _, its := range bySubject {
		slices.SortFunc(its, func(a, b store.OutboxItem) int { return cmp.Compare(a.Rung, b.Rung) })
		last := its[len(its)-1]
		for _, it := range its[:len(its)-1] {
			it.Status, it.Reason = store.ItemSkipped, fmt.Sprintf("a later rung (%+d) is due: only the latest goes out", last.Rung)
			groupOf(it).dropped = append(groupOf(it).dropped, it)
		}
		latest = append(latest, last)
	}
	slices.SortFunc(latest, func(a, b store.OutboxItem) int {
		return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.RefID, b.RefID), cmp.Compare(a.ID, b.ID))
	})

	for _, it := range latest {
		g := groupOf(it)
		reason, err := c.check(g, it)
		switch {
		case err != nil:
			errs = append(errs, err) // stays pending; tried again next pass
		case reason != "":
			it.Status, it.Reason = store.ItemCancelled, reason
			g.dropped = append(g.dropped, it)
		case s.allowed(it.Kind, now):
			g.queued = append(g.queued, it)
		}
	}

	keys := make([]groupKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b groupKey) int { return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.fam, b.fam)) })
	var batches []store.OutboxBatch
	for _, k := range keys {
		g := groups[k]
		b, err := c.batch(g)
		if err != nil {
			errs = append(errs, err)
			// Keep the decisions that need no message.
			b = store.OutboxBatch{Name: c.batchName(g), Dropped: g.dropped}
		}
		if len(b.Messages) > 0 || len(b.Dropped) > 0 {
			batches = append(batches, b)
		}
	}
	if len(errs) > 0 {
		return batches, fmt.Errorf("compose: %w", errors.Join(errs...))
	}
	return batches, nil
}

// allowed reports whether an item of kind may be composed at now:
// deadline reminders and digests on working days from the morning time,
// everything between 07:00 and 20:00.
func (s *Service) allowed(kind store.ReminderKind, now time.Time) bool {
	if !s.inDay(now) {
		return false
	}
	switch kind {
	case store.KindMeeting:
		return true
	case store.KindDeadline:
		today := store.DateIn(now, s.cfg.Location)
		return s.cfg.Calendar.IsWorkingDay(today) && !now.Before(s.morning(today))
	}
	return s.cfg.Calendar.IsWorkingDay(store.DateIn(now, s.cfg.Location))
}

// check loads what the item is about into g and returns why it no longer
// applies ("" if it does). An error (the store failing) leaves it pending.
func (c *composer) check(g *group, it store.OutboxItem) (string, error) {
	s := c.s
	switch it.Kind {
	case store.KindDeadline:
		d, err := c.directive(it.RefID)
		if errors.Is(err, store.ErrNotFound) {
			return "the directive no longer exists", nil
		}
		if err != nil {
			return "", err
		}
		var asg *store.Assignment
		for i := range d.Assignments {
			if d.Assignments[i].Unit.ID == it.UnitID {
				asg = &d.Assignments[i]
			}
		}
		_, off := s.ladder(d.Reminders)
		switch {
		case d.Deadline.String() != it.Anchor:
			if d.Deadline.IsZero() {
				return "the directive no longer has a deadline", nil
			}
			return "the deadline changed to " + d.Deadline.DMY(), nil
		case !d.ClosedOn.IsZero():
			return "the directive was closed", nil
		case asg == nil:
			return "the unit is no longer assigned", nil
		case asg.Done():
			return "the unit completed its part", nil
		case !d.CompletedOn().IsZero():
			return "the directive was completed", nil
		case off:
			return "reminders are off for this directive", nil
		}
		if s.allowed(it.Kind, c.now) {
			g.deadlines = append(g.deadlines, DeadlineItem{Directive: d, Role: asg.Role, Rung: it.Rung})
			g.expire(s.dayEnd(c.now))
		}
	case store.KindMeeting:
		m, err := c.meeting(it.RefID)
		if errors.Is(err, store.ErrNotFound) {
			return "the meeting no longer exists", nil
		}
		if err != nil {
			return "", err
		}
		start := s.meetingStart(m)
		switch {
		case start.UTC().Format(time.RFC3339) != it.Anchor:
			return "the meeting moved", nil
		case !start.After(c.now):
			return "the meeting has started", nil
		case !slices.ContainsFunc(m.Attendees, func(u store.UnitRef) bool { return u.ID == it.UnitID }):
			return "the unit no longer attends", nil
		}
		if s.allowed(it.Kind, c.now) {
			g.meetings = append(g.meetings, MeetingItem{Meeting: m, Start: start, Before: time.Duration(-it.Rung) * time.Minute})
			g.expire(start)
			g.expire(s.dayEnd(c.now))
		}
	case store.KindEscalation:
		switch {
		case s.cfg.LeadershipChatID == 0:
			return "no leadership chat is set", nil
		case it.Anchor != c.today.String():
			return "a digest of another day", nil
		}
		g.expire(s.dayEnd(c.now))
	case store.KindWeekly:
		if it.Anchor != isoWeek(c.today) {
			return "a digest of another week", nil
		}
		g.expire(s.dayEnd(c.now))
	case KindStats:
		return c.checkStats(g, it), nil
	default:
		return "unknown kind " + string(it.Kind), nil
	}
	return "", nil
}

func (g *group) expire(t time.Time) {
	if g.expires.IsZero() || t.Before(g.expires) {
		g.expires = t
	}
}

func (c *composer) batchName(g *group) string {
	first := int64(0)
	for _, it := range append(slices.Clone(g.queued), g.dropped...) {
		if first == 0 || (it.ID != 0 && it.ID < first) {
			first = it.ID
		}
	}
	return fmt.Sprintf("%s/%s/u%d/i%d", c.now.UTC().Format("20060102T150405Z"), g.key.fam, g.key.unit, first)
}

// batch renders g's queued items for each of its destinations. With no
// destination (a unit without an active chat) the queued items stay
// pending and only the dropped ones are written.
func (c *composer) batch(g *group) (store.OutboxBatch, error) {
	s := c.s
	b := store.OutboxBatch{Name: c.batchName(g), Dropped: g.dropped}
	if len(g.queued) == 0 {
		return b, nil
	}
	type dest struct {
		chat   int64
		thread int
	}
	var (
		dests []dest
		parts []Rendered
		kind  store.ReminderKind
		kinds []store.ReminderKind // per part, when they differ
	)
	if g.key.fam == famEscalation || g.key.fam == famStats {
		chat, err := s.resolveChat(c.ctx, s.cfg.LeadershipChatID)
		if err != nil {
			return b, err
		}
		dests = []dest{{chat, 0}}
	} else {
		chats, err := c.chatsOf(g.key.unit)
		if err != nil {
			return b, fmt.Errorf("chats of unit %d: %w", g.key.unit, err)
		}
		for _, ch := range chats {
			dests = append(dests, dest{ch.ChatID, ch.ThreadID})
		}
		if len(dests) == 0 {
			return b, nil
		}
	}
	switch g.key.fam {
	case famReminder:
		u, err := c.unit(g.key.unit)
		if err != nil {
			return b, fmt.Errorf("unit %d: %w", g.key.unit, err)
		}
		sortDeadlines(g.deadlines)
		slices.SortFunc(g.meetings, func(a, b MeetingItem) int {
			return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Meeting.ID, b.Meeting.ID))
		})
		parts = s.deps.Renderer.Reminder(UnitReminder{Unit: u, Today: c.today, Deadlines: g.deadlines, Meetings: g.meetings})
		kind = store.KindMeeting
		if len(g.deadlines) > 0 {
			kind = store.KindDeadline
		}
	case famWeekly:
		u, err := c.unit(g.key.unit)
		if err != nil {
			return b, fmt.Errorf("unit %d: %w", g.key.unit, err)
		}
		ds, err := c.openDirectives(g.key.unit)
		if err != nil {
			return b, err
		}
		parts = s.deps.Renderer.Weekly(WeeklyDigest{Unit: u, Today: c.today, Directives: ds})
		kind = store.KindWeekly
	case famEscalation:
		e, err := c.escalation()
		if err != nil {
			return b, err
		}
		parts = s.deps.Renderer.Escalation(e)
		kind = store.KindEscalation
	case famStats:
		var err error
		if parts, kinds, err = c.statsParts(); err != nil {
			return b, err
		}
	}
	for _, it := range g.queued {
		b.Queued = append(b.Queued, it.ID)
	}
	for _, d := range dests {
		for i, p := range parts {
			if kinds != nil {
				kind = kinds[i]
			}
			b.Messages = append(b.Messages, store.OutboxMessage{Kind: kind, UnitID: g.key.unit, ChatID: d.chat, ThreadID: d.thread,
				Part: i + 1, Parts: len(parts), Text: p.Text, Buttons: p.Buttons, NotBefore: c.now, ExpiresAt: g.expires})
		}
	}
	return b, nil
}

// sortDeadlines orders a unit's items by deadline, so the most overdue
// come first, then those due today, then the upcoming ones; ties by code.
func sortDeadlines(ds []DeadlineItem) {
	slices.SortFunc(ds, func(a, b DeadlineItem) int {
		return cmp.Or(a.Directive.Deadline.Compare(b.Directive.Deadline), cmp.Compare(a.Directive.Code, b.Directive.Code),
			cmp.Compare(a.Directive.ID, b.Directive.ID))
	})
}

// allPages reads every page of a directive list.
func (c *composer) allPages(f store.DirectiveFilter) ([]store.Directive, error) {
	f.Limit, f.Offset = store.MaxLimit, 0
	var out []store.Directive
	for {
		page, err := c.s.deps.Records.Directives(c.ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if !page.HasNext() || len(page.Items) == 0 {
			return out, nil
		}
		f.Offset += len(page.Items)
	}
}

// openDirectives returns the unit's open directives (overdue, pending,
// standing), most urgent first.
func (c *composer) openDirectives(unitID int64) ([]store.Directive, error) {
	ds, err := c.allPages(store.DirectiveFilter{UnitID: unitID, Status: store.SetOpen, AsOf: c.today, Order: store.OrderUrgent, Viewer: system})
	if err != nil {
		return nil, fmt.Errorf("open directives of unit %d: %w", unitID, err)
	}
	// A status filter on a unit judges the unit's share only: a directive
	// the office closed still shows as open there.
	return slices.DeleteFunc(ds, func(d store.Directive) bool { return !d.ClosedOn.IsZero() }), nil
}

// escalation gathers the overdue shares of every unit.
func (c *composer) escalation() (EscalationDigest, error) {
	e := EscalationDigest{Today: c.today}
	ds, err := c.allPages(store.DirectiveFilter{Status: store.SetOverdue, AsOf: c.today, Order: store.OrderUrgent, Viewer: system})
	if err != nil {
		return e, fmt.Errorf("overdue directives: %w", err)
	}
	byUnit := map[int64][]store.Directive{}
	for _, d := range ds {
		if !d.ClosedOn.IsZero() {
			continue
		}
		for _, a := range d.Assignments {
			if !a.Done() {
				byUnit[a.Unit.ID] = append(byUnit[a.Unit.ID], d)
			}
		}
	}
	if len(byUnit) == 0 {
		return e, nil
	}
	units, err := c.allUnits()
	if err != nil {
		return e, fmt.Errorf("units: %w", err)
	}
	for _, u := range units { // in the store's order: kind, then name
		if items := byUnit[u.ID]; len(items) > 0 {
			e.Units = append(e.Units, UnitOverdue{Unit: u, Directives: items})
		}
	}
	return e, nil
}

// resolveChat follows the migrations recorded for a configured chat id
// (ADMIN_CHAT_ID, LEADERSHIP_CHAT_ID) to the chat's current id.
func (s *Service) resolveChat(ctx context.Context, id int64) (int64, error) {
	return resolveChat(ctx, s.deps.Store, id)
}

func resolveChat(ctx context.Context, st Outbox, id int64) (int64, error) {
	for range 5 {
		v, ok, err := st.SchedulerState(ctx, stateMigrated+strconv.FormatInt(id, 10))
		if err != nil {
			return id, err
		}
		if !ok {
			return id, nil
		}
		next, err := strconv.ParseInt(v, 10, 64)
		if err != nil || next == 0 {
			return id, nil
		}
		id = next
	}
	return id, nil
}

// system is the viewer of the reminders' reads: they see restricted
// records too (a unit is reminded only of its own items, and the
// leadership sees everything).
var system = store.NewViewer(true)
