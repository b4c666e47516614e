package scheduler

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"meetbot/store"
)

// plan returns the items due at now: for each open share of a directive
// the latest due rung of its ladder (and, as skipped, the rungs passed
// over since the last plan), meeting reminders, and the digests. Items
// already stored are returned too; storing is idempotent.
func (s *Service) plan(ctx context.Context, now time.Time) ([]store.OutboxItem, error) {
	var (
		items []store.OutboxItem
		errs  []error
	)
	dl, err := s.planDeadlines(ctx, now)
	items = append(items, dl...)
	errs = append(errs, err)
	bound, err := s.boundUnits(ctx)
	if err != nil {
		return items, errors.Join(append(errs, fmt.Errorf("plan: %w", err))...)
	}
	mt, err := s.planMeetings(ctx, now, bound)
	items = append(items, mt...)
	errs = append(errs, err)
	items = append(items, s.planDigests(now, bound)...)
	items = append(items, s.planStats(now)...)
	return items, errors.Join(errs...)
}

// ladder returns the days of the ladder that applies to a directive with
// reminders r, or off.
func (s *Service) ladder(r store.Reminders) (offsets []int, off bool) {
	switch {
	case r.Off:
		return nil, true
	case r.Offsets != nil:
		return r.Offsets, false
	case s.cfg.Ladder.Off:
		return nil, true
	case s.cfg.Ladder.Offsets != nil:
		return s.cfg.Ladder.Offsets, false
	}
	return DefaultLadder, false
}

// rungsDesc yields the rungs of a ladder whose day (deadline + offset) is
// on or before today, latest first: the weekly ones after the ladder (if
// weekly), then the ladder's own. Weekly rungs are the multiples of 7
// after the ladder's last rung: 14, 21, … after a ladder ending at +7;
// 7, 14, … after one ending before +7.
func rungsDesc(offsets []int, weekly bool, deadline, today store.Date) iter.Seq[int] {
	n := deadline.DaysUntil(today)
	return func(yield func(int) bool) {
		if len(offsets) == 0 {
			return
		}
		if weekly {
			base := 7
			if last := offsets[len(offsets)-1]; last >= 0 {
				base = (last/7 + 1) * 7
			}
			for k := n / 7 * 7; k >= base; k -= 7 {
				if !yield(k) {
					return
				}
			}
		}
		for _, o := range slices.Backward(offsets) {
			if o <= n && !yield(o) {
				return
			}
		}
	}
}

// planDeadlines returns, for each open share of a directive with a
// deadline whose unit has a chat, the latest rung due at now (pending),
// and the earlier rungs that became due since the last plan (skipped:
// after downtime only the latest goes out, never a burst of stale ones).
func (s *Service) planDeadlines(ctx context.Context, now time.Time) ([]store.OutboxItem, error) {
	targets, err := s.deps.Store.DeadlineTargets(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan deadlines: %w", err)
	}
	// since: the last plan, at most CatchUpWindow ago; on a first run,
	// now (nothing is recorded as skipped).
	since := now
	if v, ok, err := s.deps.Store.SchedulerState(ctx, statePlannedUpTo); err != nil {
		return nil, fmt.Errorf("plan deadlines: %w", err)
	} else if ok {
		if t, err := time.Parse(time.RFC3339, v); err == nil && t.Before(now) {
			since = t
			if oldest := now.Add(-s.cfg.CatchUpWindow); since.Before(oldest) {
				since = oldest
			}
		}
	}
	today := store.DateIn(now, s.cfg.Location)
	var items []store.OutboxItem
	for _, t := range targets {
		offsets, off := s.ladder(t.Reminders)
		if off {
			continue
		}
		latest, found := 0, false
		for o := range rungsDesc(offsets, s.cfg.Weekly, t.Deadline, today) {
			at := s.morning(s.cfg.Calendar.NextWorkingDay(t.Deadline.AddDays(o)))
			if at.After(now) {
				continue // falls on a day off and moves past now, or later today
			}
			it := store.OutboxItem{Kind: store.KindDeadline, RefID: t.DirectiveID, UnitID: t.UnitID, Rung: o,
				Anchor: t.Deadline.String(), DueAt: at.UTC()}
			if !found {
				latest, found = o, true
				items = append(items, it)
				continue
			}
			if !at.After(since) {
				break
			}
			it.Status, it.Reason = store.ItemSkipped, fmt.Sprintf("a later rung (%+d) was due: only the latest goes out", latest)
			items = append(items, it)
		}
	}
	return items, nil
}

// meetingStart returns the instant a meeting's reminders count from: its
// start, or, for a meeting recorded with a day only (midnight), the
// reminder time of that day.
func (s *Service) meetingStart(m store.Meeting) time.Time {
	l := m.StartsAt.In(s.cfg.Location)
	if l.Hour() == 0 && l.Minute() == 0 {
		return store.DateOf(l).Start(s.cfg.Location).Add(s.cfg.ReminderTime)
	}
	return m.StartsAt
}

// clampDay moves t into the hours messages may go out, for a meeting
// starting at start: before 07:00 to 07:00 (or, if the meeting starts by
// then, to 19:30 the evening before), after 19:30 to 19:30 (leaving time
// for a retry before 20:00).
func (s *Service) clampDay(t, start time.Time) time.Time {
	day := store.DateIn(t, s.cfg.Location).Start(s.cfg.Location)
	open, closeAt := day.Add(DayStart), day.Add(DayEnd-30*time.Minute)
	switch {
	case t.Before(open) && open.Before(start):
		return open
	case t.Before(open):
		return store.DateIn(t, s.cfg.Location).AddDays(-1).Start(s.cfg.Location).Add(DayEnd - 30*time.Minute)
	case t.After(closeAt):
		return closeAt
	}
	return t
}

// meetingDue returns the meeting reminder due at now for one attending
// unit: the one closest to the start among those whose time has come,
// and false when none has (or the meeting has started).
func (s *Service) meetingDue(m store.Meeting, unitID int64, now time.Time) (store.OutboxItem, bool) {
	start := s.meetingStart(m)
	if !start.After(now) {
		return store.OutboxItem{}, false
	}
	// MeetingOffsets: longest first; the closest due one is the last due.
	var (
		best  store.OutboxItem
		found bool
	)
	for _, off := range s.cfg.MeetingOffsets {
		at := s.clampDay(start.Add(-off), start)
		if at.After(now) {
			continue
		}
		best = store.OutboxItem{Kind: store.KindMeeting, RefID: m.ID, UnitID: unitID, Rung: -int(off / time.Minute),
			Anchor: start.UTC().Format(time.RFC3339), DueAt: at.UTC()}
		found = true
	}
	return best, found
}

// planMeetings returns the meeting reminders due at now for the attending
// units that have a chat.
func (s *Service) planMeetings(ctx context.Context, now time.Time, bound map[int64]bool) ([]store.OutboxItem, error) {
	if len(s.cfg.MeetingOffsets) == 0 {
		return nil, nil
	}
	longest := slices.Max(s.cfg.MeetingOffsets)
	today := store.DateIn(now, s.cfg.Location)
	// Whole days, so a cached read keeps its key for the day.
	f := store.MeetingFilter{Viewer: system, From: today.Start(s.cfg.Location),
		To: store.DateIn(now.Add(longest), s.cfg.Location).AddDays(2).Start(s.cfg.Location), Limit: store.MaxLimit}
	var items []store.OutboxItem
	for {
		page, err := s.deps.Records.Meetings(ctx, f)
		if err != nil {
			return items, fmt.Errorf("plan meetings: %w", err)
		}
		for _, m := range page.Items {
			for _, u := range m.Attendees {
				if !bound[u.ID] {
					continue
				}
				if it, ok := s.meetingDue(m, u.ID, now); ok {
					items = append(items, it)
				}
			}
		}
		if !page.HasNext() {
			return items, nil
		}
		f.Offset += len(page.Items)
	}
}

// dueFire tells whether a digest schedule is due today at now: today is
// a working day, and the latest firing of the schedule whose next working
// day is today has come, at its clock time today. A firing on a day off
// is carried to the next working day; of several carried to the same day
// only the latest counts. It returns the firing and when it is due.
func (s *Service) dueFire(sched cron.Schedule, now time.Time) (fire, due time.Time, ok bool) {
	loc := s.cfg.Location
	today := store.DateIn(now, loc)
	if sched == nil || !s.cfg.Calendar.IsWorkingDay(today) {
		return time.Time{}, time.Time{}, false
	}
	var fires []time.Time
	for t := sched.Next(now.Add(-15 * 24 * time.Hour).In(loc)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		fires = append(fires, t)
		if len(fires) > 2000 { // a schedule firing every minute: keep the last ones
			fires = slices.Delete(fires, 0, 1000)
		}
	}
	for _, f := range slices.Backward(fires) {
		fday := store.DateIn(f, loc)
		if s.cfg.Calendar.NextWorkingDay(fday) != today {
			continue
		}
		due := f
		if fday != today {
			l := f.In(loc)
			due = today.Start(loc).Add(time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute)
		}
		if due.After(now) {
			continue
		}
		return f, due, true
	}
	return time.Time{}, time.Time{}, false
}

// isoWeek names the ISO week of d: "2025-W19".
func isoWeek(d store.Date) string {
	y, w := d.Start(time.UTC).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// planDigests returns the escalation digest (if a leadership chat is set)
// and the weekly digests of the units with a chat, when their schedules
// are due today.
func (s *Service) planDigests(now time.Time, bound map[int64]bool) []store.OutboxItem {
	var items []store.OutboxItem
	loc := s.cfg.Location
	if s.cfg.LeadershipChatID != 0 {
		if _, due, ok := s.dueFire(s.digest, now); ok {
			items = append(items, store.OutboxItem{Kind: store.KindEscalation, Anchor: store.DateIn(now, loc).String(), DueAt: due.UTC()})
		}
	}
	if _, due, ok := s.dueFire(s.weekly, now); ok {
		// Keyed by the week it goes out in: one weekly digest a week, even
		// when a firing on a day off is carried into the next week.
		week := isoWeek(store.DateIn(now, loc))
		units := make([]int64, 0, len(bound))
		for id := range bound {
			units = append(units, id)
		}
		slices.Sort(units)
		for _, id := range units {
			items = append(items, store.OutboxItem{Kind: store.KindWeekly, UnitID: id, Anchor: week, DueAt: due.UTC()})
		}
	}
	return items
}
