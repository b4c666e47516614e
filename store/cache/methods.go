package cache

import (
	"context"
	"errors"

	"meetbot/store"
)

// Every method of store.Store is written out here rather than promoted from
// an embedded store: a write method added to the contract must not reach
// the inner store without invalidating the cache.

// Units returns the inner store's Units, cached. It depends on units.
func (c *Cache) Units(ctx context.Context, f store.UnitFilter) ([]store.Unit, error) {
	load := func(ctx context.Context) ([]store.Unit, error) { return c.inner.Units(ctx, f) }
	args, err := unitFilterArgs(f)
	if err != nil {
		return load(ctx)
	}
	return read(ctx, c, mUnits, args, unitsCodec, load)
}

// Unit returns the inner store's Unit, cached. Errors (ErrNotFound
// included) are returned as the inner store gave them and not cached.
func (c *Cache) Unit(ctx context.Context, id int64) (store.Unit, error) {
	return read(ctx, c, mUnit, idArgs(id), unitCodec, func(ctx context.Context) (store.Unit, error) {
		return c.inner.Unit(ctx, id)
	})
}

// FindUnits returns the inner store's FindUnits, cached by the exact text.
func (c *Cache) FindUnits(ctx context.Context, text string) ([]store.Unit, error) {
	return read(ctx, c, mFindUnits, text, unitsCodec, func(ctx context.Context) ([]store.Unit, error) {
		return c.inner.FindUnits(ctx, text)
	})
}

// Meetings returns the inner store's Meetings, cached. It depends on
// meetings, units (organiser and attendee names) and directives
// (DirectiveCount).
func (c *Cache) Meetings(ctx context.Context, f store.MeetingFilter) (store.Page[store.Meeting], error) {
	load := func(ctx context.Context) (store.Page[store.Meeting], error) { return c.inner.Meetings(ctx, f) }
	args, err := meetingFilterArgs(f)
	if err != nil {
		return load(ctx)
	}
	return read(ctx, c, mMeetings, args, meetingsCodec, load)
}

// Meeting returns the inner store's Meeting, cached; errors are not cached.
func (c *Cache) Meeting(ctx context.Context, id int64) (store.Meeting, error) {
	return read(ctx, c, mMeeting, idArgs(id), meetingCodec, func(ctx context.Context) (store.Meeting, error) {
		return c.inner.Meeting(ctx, id)
	})
}

// Directives returns the inner store's Directives, cached. It depends on
// every namespace (meeting titles, program names, unit names).
func (c *Cache) Directives(ctx context.Context, f store.DirectiveFilter) (store.Page[store.Directive], error) {
	load := func(ctx context.Context) (store.Page[store.Directive], error) { return c.inner.Directives(ctx, f) }
	args, err := directiveFilterArgs(f)
	if err != nil {
		return load(ctx)
	}
	return read(ctx, c, mDirectives, args, directivesCodec, load)
}

// Directive returns the inner store's Directive, cached; errors are not
// cached.
func (c *Cache) Directive(ctx context.Context, id int64) (store.Directive, error) {
	return read(ctx, c, mDirective, idArgs(id), directiveCodec, func(ctx context.Context) (store.Directive, error) {
		return c.inner.Directive(ctx, id)
	})
}

// DirectiveByCode returns the inner store's DirectiveByCode, cached by the
// code without case and surrounding space; errors are not cached.
func (c *Cache) DirectiveByCode(ctx context.Context, code string) (store.Directive, error) {
	return read(ctx, c, mDirectiveByCode, codeArgs(code), directiveCodec, func(ctx context.Context) (store.Directive, error) {
		return c.inner.DirectiveByCode(ctx, code)
	})
}

// Programs returns the inner store's Programs, cached. It depends on
// programs, units (owner names) and directives (DirectiveCount).
func (c *Cache) Programs(ctx context.Context, f store.ProgramFilter) (store.Page[store.Program], error) {
	load := func(ctx context.Context) (store.Page[store.Program], error) { return c.inner.Programs(ctx, f) }
	args, err := programFilterArgs(f)
	if err != nil {
		return load(ctx)
	}
	return read(ctx, c, mPrograms, args, programsCodec, load)
}

// Program returns the inner store's Program, cached; errors are not
// cached.
func (c *Cache) Program(ctx context.Context, id int64) (store.Program, error) {
	return read(ctx, c, mProgram, idArgs(id), programCodec, func(ctx context.Context) (store.Program, error) {
		return c.inner.Program(ctx, id)
	})
}

// Search returns the inner store's Search, cached. It depends on every
// namespace.
func (c *Cache) Search(ctx context.Context, q store.SearchQuery) (store.Page[store.SearchHit], error) {
	load := func(ctx context.Context) (store.Page[store.SearchHit], error) { return c.inner.Search(ctx, q) }
	args, err := searchArgs(q)
	if err != nil {
		return load(ctx)
	}
	return read(ctx, c, mSearch, args, searchCodec, load)
}

// Stats returns the inner store's Stats, cached.
func (c *Cache) Stats(ctx context.Context, q store.StatsQuery) ([]store.UnitStats, error) {
	load := func(ctx context.Context) ([]store.UnitStats, error) { return c.inner.Stats(ctx, q) }
	args, err := statsArgs(q)
	if err != nil {
		return load(ctx)
	}
	return read(ctx, c, mStats, args, statsCodec, load)
}

// PendingReports returns the inner store's answer, uncached: the office's
// review queue must be exact, and it is read rarely.
func (c *Cache) PendingReports(ctx context.Context, f store.PendingFilter) (store.Page[store.PendingReport], error) {
	return c.inner.PendingReports(ctx, f)
}

// History returns the inner store's answer, uncached (read rarely).
func (c *Cache) History(ctx context.Context, kind store.RecordKind, id int64) ([]store.AuditEntry, error) {
	return c.inner.History(ctx, kind, id)
}

// Export returns the inner store's answer, uncached (read rarely, and
// large).
func (c *Cache) Export(ctx context.Context, f store.ExportFilter) (*store.Dataset, error) {
	return c.inner.Export(ctx, f)
}

// Import runs the inner store's Import, then invalidates the namespaces
// whose counts show records created or updated. It returns the inner
// store's result and error unchanged.
func (c *Cache) Import(ctx context.Context, ds *store.Dataset, by store.Actor) (store.ImportResult, error) {
	res, err := c.inner.Import(ctx, ds, by)
	c.invalidate(ctx, importTouched(res, err))
	return res, err
}

// SubmitReport runs the inner store's SubmitReport, then invalidates
// directives (cards show pending reports).
func (c *Cache) SubmitReport(ctx context.Context, r store.ReportInput) (store.PendingReport, error) {
	p, err := c.inner.SubmitReport(ctx, r)
	c.invalidate(ctx, directivesTouched(err))
	return p, err
}

// ReviewReport runs the inner store's ReviewReport, then invalidates
// directives.
func (c *Cache) ReviewReport(ctx context.Context, r store.Review) (store.PendingReport, error) {
	p, err := c.inner.ReviewReport(ctx, r)
	c.invalidate(ctx, directivesTouched(err))
	return p, err
}

// ChangeDeadline runs the inner store's ChangeDeadline, then invalidates
// directives.
func (c *Cache) ChangeDeadline(ctx context.Context, d store.DeadlineInput) (store.Directive, error) {
	dir, err := c.inner.ChangeDeadline(ctx, d)
	c.invalidate(ctx, directivesTouched(err))
	return dir, err
}

// directivesTouched returns what a write to directives invalidates: the
// directives namespace, unless the store says it changed nothing.
func directivesTouched(err error) nsSet {
	if refused(err) {
		return 0
	}
	return nsDirectives
}

// RecordProgress runs the inner store's RecordProgress, then invalidates
// directives. It returns the inner store's result and error unchanged.
func (c *Cache) RecordProgress(ctx context.Context, p store.ProgressInput) (store.Directive, error) {
	d, err := c.inner.RecordProgress(ctx, p)
	c.invalidate(ctx, directivesTouched(err))
	return d, err
}

// importTouched returns the namespaces an Import may have changed.
func importTouched(res store.ImportResult, err error) nsSet {
	if err != nil {
		if refused(err) {
			return 0
		}
		// The outcome is unknown (the commit may have happened): assume
		// everything changed.
		return nsAll
	}
	var set nsSet
	for _, k := range []struct {
		c  store.ImportCounts
		ns nsSet
	}{
		{res.Units, nsUnits},
		{res.Programs, nsPrograms},
		{res.Meetings, nsMeetings},
		{res.Directives, nsDirectives},
	} {
		if k.c.Created+k.c.Updated > 0 {
			set |= k.ns
		}
	}
	return set
}

// refused reports whether err is one with which the contract says a write
// changed nothing: a rule broken, a record missing, a conflict.
func refused(err error) bool {
	return errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict)
}
