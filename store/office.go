package store

import (
	"encoding/json"
	"slices"
	"time"
)

// This file holds the records of the office's work on the data: who reads
// (Viewer), who writes (Actor), the review of progress reports, deadline
// extensions, the audit log, statistics and exports.

// Viewer says whose eyes a read is for. A restricted record is shown only
// to administrators and to the units concerned: a directive's assigned
// units, a meeting's organiser and attendees, a program's owner and the
// units assigned to its directives. The zero Viewer sees unrestricted
// records only.
type Viewer struct {
	Admin bool `json:"admin,omitempty"`
	// Units are the units the viewer belongs to, sorted (NewViewer sorts
	// them, so equal viewers make equal cache keys).
	Units []int64 `json:"units,omitempty"`
}

// NewViewer returns a viewer for an administrator flag and unit ids, in a
// canonical form.
func NewViewer(admin bool, units ...int64) Viewer {
	if admin {
		return Viewer{Admin: true} // an administrator sees everything
	}
	us := slices.Clone(units)
	slices.Sort(us)
	us = slices.Compact(us)
	if len(us) == 0 {
		us = nil
	}
	return Viewer{Units: us}
}

func (v Viewer) member(unitID int64) bool {
	_, ok := slices.BinarySearch(v.Units, unitID)
	return ok
}

// CanSeeDirective reports whether v may see d.
func (v Viewer) CanSeeDirective(d Directive) bool {
	if !d.Restricted || v.Admin {
		return true
	}
	for _, a := range d.Assignments {
		if v.member(a.Unit.ID) {
			return true
		}
	}
	return false
}

// CanSeeMeeting reports whether v may see m.
func (v Viewer) CanSeeMeeting(m Meeting) bool {
	if !m.Restricted || v.Admin || v.member(m.Organiser.ID) {
		return true
	}
	for _, u := range m.Attendees {
		if v.member(u.ID) {
			return true
		}
	}
	return false
}

// CanSeeProgram reports whether v may see p. (Units assigned to the
// program's directives see it too; the engines check that in SQL, and
// this check, which lacks them, errs on the side of hiding.)
func (v Viewer) CanSeeProgram(p Program) bool {
	return !p.Restricted || v.Admin || v.member(p.Owner.ID)
}

// Actor is who made a change: a Telegram user, or a tool ("import",
// "console") with ID 0.
type Actor struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name"`
}

// ReportStatus is the review state of a progress report.
type ReportStatus string

// Review states. Reports recorded by the office or imported are
// confirmed from the start; reports a unit submits wait for the office.
const (
	ReportConfirmed ReportStatus = "confirmed"
	ReportPending   ReportStatus = "pending"
	ReportReturned  ReportStatus = "returned"
)

// ReportInput is a progress report a unit submits from chat: it waits for
// the office's review.
type ReportInput struct {
	DirectiveID int64
	UnitID      int64
	At          time.Time // when reported
	Percent     int       // 0–100; Done implies 100
	// Done claims the unit's share completed; the completion counts from
	// At once the office confirms it.
	Done      bool
	Note      string
	DocNumber string
	By        Actor
}

// Review is the office's decision on a pending report.
type Review struct {
	ReportID int64
	Accept   bool
	// Reason is required to return a report, optional to confirm one.
	Reason string
	By     Actor
	At     time.Time
}

// PendingReport is a report awaiting (or having had) review, with what it
// is about.
type PendingReport struct {
	Report         ProgressReport `json:"report"`
	DirectiveID    int64          `json:"directive_id"`
	DirectiveCode  string         `json:"directive_code"`
	DirectiveTitle string         `json:"directive_title"`
	Deadline       Date           `json:"deadline,omitzero"`
	Unit           UnitRef        `json:"unit"`
}

// PendingFilter selects pending reports, oldest first.
type PendingFilter struct {
	// UnitID keeps one unit's reports.
	UnitID int64 `json:"unit,omitempty"`
	Offset int   `json:"offset,omitempty"`
	Limit  int   `json:"limit,omitempty"`
}

// DeadlineChange is one change of a directive's deadline; the directive
// keeps them all, so the original deadline stays known.
type DeadlineChange struct {
	From   Date      `json:"from,omitzero"` // zero: the directive was standing
	To     Date      `json:"to,omitzero"`   // zero: it became standing
	Reason string    `json:"reason,omitempty"`
	By     Actor     `json:"by"`
	At     time.Time `json:"at"`
}

// DeadlineInput asks to change a directive's deadline.
type DeadlineInput struct {
	DirectiveID int64
	Deadline    Date // zero makes the directive standing
	Reason      string
	By          Actor
	At          time.Time
}

// Audit actions.
const (
	ActionCreated         = "created"
	ActionUpdated         = "updated"
	ActionDeadline        = "deadline_changed"
	ActionProgress        = "progress_recorded"
	ActionReportSubmitted = "report_submitted"
	ActionReportConfirmed = "report_confirmed"
	ActionReportReturned  = "report_returned"
)

// FieldChange is one field's change in an audit entry.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// AuditEntry records one change: who, when, what.
type AuditEntry struct {
	ID       int64         `json:"id"`
	At       time.Time     `json:"at"`
	Actor    Actor         `json:"actor"`
	Kind     RecordKind    `json:"kind"`
	RecordID int64         `json:"record_id"`
	Action   string        `json:"action"`
	Changes  []FieldChange `json:"changes,omitempty"`
	// Unit is the unit concerned, for progress and reviews.
	Unit UnitRef `json:"unit,omitzero"`
	Note string  `json:"note,omitempty"`
}

// MarshalChanges encodes changes for storage.
func MarshalChanges(cs []FieldChange) string {
	if len(cs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

// StatsQuery asks for the state of every unit's shares.
type StatsQuery struct {
	AsOf   Date   `json:"as_of"`
	Viewer Viewer `json:"viewer,omitzero"`
	// UnitID, if set, limits the answer to one unit.
	UnitID int64 `json:"unit,omitempty"`
}

// UnitStats counts one unit's shares of directives by state.
type UnitStats struct {
	Unit   UnitRef      `json:"unit"`
	Counts StatusCounts `json:"counts"`
}

// ExportFilter selects records to export. With no ids, everything the
// viewer may see.
type ExportFilter struct {
	Viewer       Viewer  `json:"viewer,omitzero"`
	DirectiveIDs []int64 `json:"directives,omitempty"`
}
