// Package store holds meetbot's domain types (units, meetings, directives,
// programs), the status rules, Vietnamese text folding, and the contract
// that every storage engine implements.
//
// # The contract
//
// Store is implemented by the SQLite engine (store/sqlstore) and by the
// Redis cache (store/cache), which wraps any Store and has the same
// methods. A PostgreSQL engine is added by implementing Store and passing
// the shared contract tests in store/storetest; handlers and the scheduler
// depend only on the small interfaces they declare, which Store satisfies,
// so nothing above the store changes.
//
// Every implementation must:
//   - return errors that wrap ErrNotFound, ErrInvalid or ErrConflict for
//     those cases, so callers can test them with errors.Is;
//   - return instants in UTC, and Dates as calendar days in the office's
//     time zone (the engine is configured with it);
//   - fill UnitRef names with the name the unit had on the record's date
//     (Directive.IssuedOn, Meeting.StartsAt; a program, still running,
//     shows current names), see Unit.NameAt;
//   - make each write one transaction: it succeeds whole or changes
//     nothing. A write failing with an error that wraps ErrInvalid,
//     ErrNotFound or ErrConflict changed nothing; after any other error
//     (a lost connection at commit) the caller cannot know, and the cache
//     invalidates as if it had committed;
//   - answer list reads with stable ordering (ties broken by id) so pages
//     neither repeat nor skip items;
//   - treat search text as text: no character of it is syntax (see
//     SearchQuery).
//
// Reads take every input that changes the answer as an argument (the day
// "today" is DirectiveFilter.AsOf, never the engine's clock), so the cache
// can key on the arguments alone. The one exception: Units and FindUnits
// judge whether a unit is retired, and order retired ones last, by the
// engine's clock; units retire rarely and a cached answer is at most one
// cache lifetime late.
package store

import (
	"context"
	"time"
)

// Store is the whole contract: reads and writes.
type Store interface {
	Reader
	Writer
}

// Reader is the read side of the contract.
type Reader interface {
	// Units returns units ordered by kind rank then name; retired units
	// only if f.IncludeRetired.
	Units(ctx context.Context, f UnitFilter) ([]Unit, error)
	// Unit returns the unit with the id, or an error wrapping ErrNotFound.
	Unit(ctx context.Context, id int64) (Unit, error)
	// FindUnits resolves what a user typed for a unit: its code, its
	// current or a former name, or an alias, compared folded (no case, no
	// diacritics). Exact folded matches win; failing those, units whose
	// folded name or alias starts with the text. Active units come first.
	// No match gives an empty slice and no error.
	FindUnits(ctx context.Context, text string) ([]Unit, error)

	// Meetings returns a page of meetings in f's range.
	Meetings(ctx context.Context, f MeetingFilter) (Page[Meeting], error)
	// Meeting returns the meeting with the id, or ErrNotFound.
	Meeting(ctx context.Context, id int64) (Meeting, error)

	// Directives returns a page of directives matching f, each with its
	// assignments (without report history).
	Directives(ctx context.Context, f DirectiveFilter) (Page[Directive], error)
	// Directive returns the directive with the id, with assignments and
	// their report history, or ErrNotFound.
	Directive(ctx context.Context, id int64) (Directive, error)
	// DirectiveByCode returns the directive whose code equals code,
	// ignoring case and surrounding space, as Directive returns it (with
	// report history), or ErrNotFound.
	DirectiveByCode(ctx context.Context, code string) (Directive, error)

	// Programs returns a page of programs ordered by name.
	Programs(ctx context.Context, f ProgramFilter) (Page[Program], error)
	// Program returns the program with the id, or ErrNotFound.
	Program(ctx context.Context, id int64) (Program, error)

	// Search finds meetings, directives, programs and units by text; see
	// SearchQuery for the rules.
	Search(ctx context.Context, q SearchQuery) (Page[SearchHit], error)

	// PendingReports returns reports awaiting review, oldest first.
	PendingReports(ctx context.Context, f PendingFilter) (Page[PendingReport], error)
	// History returns the audit entries of a record, newest first.
	History(ctx context.Context, kind RecordKind, id int64) ([]AuditEntry, error)
	// Stats counts each unit's shares of directives by state as of
	// q.AsOf, over the directives q.Viewer may see; units by kind rank
	// and name, only those with shares.
	Stats(ctx context.Context, q StatsQuery) ([]UnitStats, error)
	// Export returns the records f selects as a Dataset, in the shape an
	// import takes (so an export can be edited and imported back):
	// every unit and program, the meetings and directives the viewer may
	// see, confirmed reports only.
	Export(ctx context.Context, f ExportFilter) (*Dataset, error)
}

// Writer is the write side of the contract. Each call is one transaction.
type Writer interface {
	// Import creates or updates the records of ds, matched by their keys
	// (unit and program codes, meeting keys, directive codes), in one
	// transaction, and audits every change as by. Importing the same
	// dataset twice changes nothing the second time. A directive counts as
	// updated in the result when its own fields, its assignments or their
	// reports changed (the cache invalidates by these counts). A dataset
	// with any error changes nothing; the error wraps ErrInvalid and is an
	// ImportErrors listing every problem.
	Import(ctx context.Context, ds *Dataset, by Actor) (ImportResult, error)
	// RecordProgress appends a confirmed progress report to a unit's
	// assignment (the office recording it) and, when p.Done, marks the
	// assignment completed at p.At. It returns the updated directive.
	// Unknown directive or unit assignment: ErrNotFound.
	RecordProgress(ctx context.Context, p ProgressInput) (Directive, error)
	// SubmitReport records a report a unit submits; it waits for the
	// office's review (ReviewReport). ErrNotFound: no such assignment;
	// ErrConflict: the share is already completed; ErrReportPending (an
	// ErrConflict): a completion report of the share already waits, so a
	// button pressed twice files one report.
	SubmitReport(ctx context.Context, r ReportInput) (PendingReport, error)
	// ReviewReport confirms or returns a pending report. Confirming a
	// report that claims completion completes the unit's share from the
	// report's day; returning needs a reason. ErrNotFound: no such report;
	// ErrConflict: it was already reviewed.
	ReviewReport(ctx context.Context, r Review) (PendingReport, error)
	// ChangeDeadline sets a directive's deadline (zero: standing),
	// keeping the old one in its DeadlineHistory. ErrNotFound: no such
	// directive; ErrInvalid: the same deadline.
	ChangeDeadline(ctx context.Context, d DeadlineInput) (Directive, error)
}

// Default and largest page sizes; engines clamp Limit into [1, MaxLimit].
const (
	DefaultLimit = 10
	MaxLimit     = 100
)

// ClampPage returns offset and limit made valid: offset ≥ 0, limit in
// [1, MaxLimit] with 0 meaning DefaultLimit.
func ClampPage(offset, limit int) (int, int) {
	if offset < 0 {
		offset = 0
	}
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	return offset, limit
}

// UnitFilter selects units.
type UnitFilter struct {
	IncludeRetired bool `json:"retired,omitempty"`
}

// MeetingFilter selects meetings that start in [From, To). A zero bound is
// open. Callers that want "upcoming" pass the start of today, not the
// current instant, so the answer (and its cache key) holds for the day.
type MeetingFilter struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// UnitID, if set, keeps meetings the unit organised or attended.
	UnitID int64 `json:"unit,omitempty"`
	// Viewer hides the restricted meetings it may not see.
	Viewer Viewer `json:"viewer,omitzero"`
	// Desc orders latest first; otherwise earliest first.
	Desc   bool `json:"desc,omitempty"`
	Offset int  `json:"offset,omitempty"`
	Limit  int  `json:"limit,omitempty"`
}

// DirectiveOrder is the order of a directive list.
type DirectiveOrder uint8

// Directive list orders.
const (
	// OrderRecent: latest issue date first.
	OrderRecent DirectiveOrder = iota
	// OrderUrgent: open items by deadline (so overdue ones, with the
	// earliest deadlines, come first), then standing ones, then completed
	// ones.
	OrderUrgent
)

// DirectiveFilter selects directives. Zero fields do not filter.
type DirectiveFilter struct {
	// UnitID keeps directives assigned to the unit; Status and Due then
	// apply to that unit's share rather than to the directive overall.
	UnitID    int64 `json:"unit,omitempty"`
	MeetingID int64 `json:"meeting,omitempty"`
	ProgramID int64 `json:"program,omitempty"`
	// Viewer hides the restricted directives it may not see.
	Viewer Viewer `json:"viewer,omitzero"`
	// Status keeps directives in one of the states, as of day AsOf.
	Status StatusSet `json:"status,omitempty"`
	// DueFrom and DueTo keep directives not yet completed whose deadline
	// falls in [DueFrom, DueTo], both days included.
	DueFrom Date `json:"due_from,omitzero"`
	DueTo   Date `json:"due_to,omitzero"`
	// AsOf is "today" for Status; required when Status is set.
	AsOf   Date           `json:"as_of,omitzero"`
	Order  DirectiveOrder `json:"order,omitempty"`
	Offset int            `json:"offset,omitempty"`
	Limit  int            `json:"limit,omitempty"`
}

// ProgramFilter selects programs.
type ProgramFilter struct {
	// Viewer hides the restricted programs it may not see.
	Viewer Viewer `json:"viewer,omitzero"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// RecordKind names a kind of record in search results.
type RecordKind string

// Record kinds.
const (
	RecordMeeting   RecordKind = "meeting"
	RecordDirective RecordKind = "directive"
	RecordProgram   RecordKind = "program"
	RecordUnit      RecordKind = "unit"
)

// SearchTotalCap is where search stops counting: Page.Total of a search
// is at most this, with Page.Capped set when there are more. Counting
// every match of a common word would cost more than the search itself,
// and nobody pages through a thousand results.
const SearchTotalCap = 1000

// SearchQuery is a full-text query.
//
// The text is split into words (runs of letters and digits); every other
// character separates words and nothing in the text is query syntax, so
// "15/CT-UBND", quotes, '*', '%' and "'" are searched as text. A record
// matches when it contains every word, the last one also as a prefix;
// words compare without case and, for the ranking below, with and without
// diacritics (đ folded to d). Results are ranked in tiers:
//  1. records whose code equals the text;
//  2. matches with the diacritics as typed, in the title (or name);
//  3. matches with the diacritics as typed, anywhere;
//  4. folded matches in the title;
//  5. other folded matches;
//
// and within a tier the most recently added first. Text without any word
// matches nothing.
type SearchQuery struct {
	Text string `json:"q"`
	// Kinds restricts results to these kinds; empty means all.
	Kinds []RecordKind `json:"kinds,omitempty"`
	// Viewer hides the restricted records it may not see.
	Viewer Viewer `json:"viewer,omitzero"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// Match tells how a search hit matched; lower is better.
type Match uint8

// Match tiers, best first.
const (
	MatchCode Match = iota + 1
	MatchExactTitle
	MatchExact
	MatchFoldedTitle
	MatchFolded
)

// SearchHit is one search result: enough to list it and open it.
type SearchHit struct {
	Kind  RecordKind `json:"kind"`
	ID    int64      `json:"id"`
	Code  string     `json:"code,omitempty"`
	Title string     `json:"title"`
	// Date is the meeting day, the directive's issue date, or the first
	// day of a program's period.
	Date Date `json:"date,omitzero"`
	// Deadline and CompletedOn are set for directives (overall).
	Deadline    Date  `json:"deadline,omitzero"`
	CompletedOn Date  `json:"completed_on,omitzero"`
	Match       Match `json:"match"`
	// Restricted marks a restricted meeting, directive or program (one
	// the viewer may see, else it is no hit).
	Restricted bool `json:"restricted,omitempty"`
}

// ProgressInput is progress the office records for a unit on a
// directive (confirmed at once).
type ProgressInput struct {
	DirectiveID int64
	UnitID      int64
	At          time.Time // when reported; UTC or any zone
	Percent     int       // 0–100; Done implies 100
	Note        string
	DocNumber   string
	// By is who recorded it; its name is shown as the reporter.
	By Actor
	// Done marks the unit's share completed at At.
	Done bool
}
