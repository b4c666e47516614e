package store

// Status is the four-way state that Vietnamese government reporting uses
// for a directive, per unit and overall, plus the state of a standing
// directive that has no deadline.
type Status uint8

// Directive states. The zero value is StatusPending.
const (
	StatusPending    Status = iota // chưa hoàn thành, trong hạn
	StatusOverdue                  // chưa hoàn thành, quá hạn
	StatusDoneOnTime               // hoàn thành đúng hạn
	StatusDoneLate                 // hoàn thành quá hạn
	StatusOngoing                  // thường xuyên: no deadline, not closed
)

// String returns a stable ASCII name, used in filters and callback data.
func (s Status) String() string {
	switch s {
	case StatusPending:
		return "pending"
	case StatusOverdue:
		return "overdue"
	case StatusDoneOnTime:
		return "done-on-time"
	case StatusDoneLate:
		return "done-late"
	case StatusOngoing:
		return "ongoing"
	}
	return "unknown"
}

// Done reports whether s is one of the two completed states.
func (s Status) Done() bool { return s == StatusDoneOnTime || s == StatusDoneLate }

// StatusAt computes the state of a task with the given deadline (zero for
// a standing task) and completion day (zero if not completed) on day today.
// A task completed on its deadline day is on time; a task not completed is
// within its deadline up to and including the deadline day.
func StatusAt(deadline, completedOn, today Date) Status {
	switch {
	case !completedOn.IsZero():
		if !deadline.IsZero() && completedOn.After(deadline) {
			return StatusDoneLate
		}
		return StatusDoneOnTime
	case deadline.IsZero():
		return StatusOngoing
	case today.After(deadline):
		return StatusOverdue
	default:
		return StatusPending
	}
}

// UnitStatus returns the state of unit's share on day today, and false if
// the unit is not assigned. A share the unit did not finish before the
// office closed the directive counts as ended on the closing day.
func (d Directive) UnitStatus(unitID int64, today Date) (Status, bool) {
	for _, a := range d.Assignments {
		if a.Unit.ID == unitID {
			return StatusAt(d.Deadline, d.ShareCompletedOn(a), today), true
		}
	}
	return 0, false
}

// ShareCompletedOn returns the day a's share ended: the unit's completion,
// else the day the office closed the directive, else zero.
func (d Directive) ShareCompletedOn(a Assignment) Date {
	if !a.CompletedOn.IsZero() {
		return a.CompletedOn
	}
	return d.ClosedOn
}

// CompletedOn returns the day the directive as a whole was completed: the
// day it was closed, else the day the last assigned unit completed when all
// have; zero while any unit has not.
func (d Directive) CompletedOn() Date {
	if !d.ClosedOn.IsZero() {
		return d.ClosedOn
	}
	return OverallCompletion(d.Assignments)
}

// OverallCompletion returns the latest completion day of the assignments
// if every one is done, else the zero Date.
func OverallCompletion(as []Assignment) Date {
	var last Date
	if len(as) == 0 {
		return last
	}
	for _, a := range as {
		if !a.Done() {
			return Date{}
		}
		if a.CompletedOn.After(last) {
			last = a.CompletedOn
		}
	}
	return last
}

// Status returns the overall state of the directive on day today: done
// when every assigned unit is done (or the office closed it), on time if
// the last one finished by the deadline.
func (d Directive) Status(today Date) Status {
	return StatusAt(d.Deadline, d.CompletedOn(), today)
}

// StatusSet is a set of states used to filter lists; the zero set means
// any state.
type StatusSet uint8

// Common status sets.
const (
	SetPending    = StatusSet(1 << StatusPending)
	SetOverdue    = StatusSet(1 << StatusOverdue)
	SetDoneOnTime = StatusSet(1 << StatusDoneOnTime)
	SetDoneLate   = StatusSet(1 << StatusDoneLate)
	SetOngoing    = StatusSet(1 << StatusOngoing)
	SetDone       = SetDoneOnTime | SetDoneLate
	SetOpen       = SetPending | SetOverdue | SetOngoing
	SetAll        = SetOpen | SetDone
)

// Has reports whether s is in the set; every state is in the zero set.
func (ss StatusSet) Has(s Status) bool { return ss == 0 || ss&(1<<s) != 0 }

// StatusCounts counts directives (or assignments) by state.
type StatusCounts struct {
	DoneOnTime int `json:"done_on_time"`
	DoneLate   int `json:"done_late"`
	Pending    int `json:"pending"`
	Overdue    int `json:"overdue"`
	Ongoing    int `json:"ongoing"`
}

// Add counts one item in state s.
func (c *StatusCounts) Add(s Status) {
	switch s {
	case StatusDoneOnTime:
		c.DoneOnTime++
	case StatusDoneLate:
		c.DoneLate++
	case StatusPending:
		c.Pending++
	case StatusOverdue:
		c.Overdue++
	case StatusOngoing:
		c.Ongoing++
	}
}

// Total returns the number of items counted.
func (c StatusCounts) Total() int {
	return c.DoneOnTime + c.DoneLate + c.Pending + c.Overdue + c.Ongoing
}
