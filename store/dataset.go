package store

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dataset is a batch of records to create or update, keyed by their
// codes: the shape of an import file (README.md, "Data schema"). Records
// refer to each other by code (a directive's meeting by key, its units by
// code), to records in the same dataset or already stored.
type Dataset struct {
	Units      []UnitRecord      `yaml:"units,omitempty" json:"units,omitempty"`
	Programs   []ProgramRecord   `yaml:"programs,omitempty" json:"programs,omitempty"`
	Meetings   []MeetingRecord   `yaml:"meetings,omitempty" json:"meetings,omitempty"`
	Directives []DirectiveRecord `yaml:"directives,omitempty" json:"directives,omitempty"`
}

// UnitRecord is a unit in a dataset.
type UnitRecord struct {
	Code        string     `yaml:"code" json:"code"`
	Name        string     `yaml:"name" json:"name"`
	Kind        UnitKind   `yaml:"kind,omitempty" json:"kind,omitempty"`
	Parent      string     `yaml:"parent,omitempty" json:"parent,omitempty"`
	Aliases     []string   `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	FormerNames []UnitName `yaml:"former_names,omitempty" json:"former_names,omitempty"`
	ActiveFrom  Date       `yaml:"active_from,omitempty" json:"active_from,omitzero"`
	ActiveTo    Date       `yaml:"active_to,omitempty" json:"active_to,omitzero"`
	Successor   string     `yaml:"successor,omitempty" json:"successor,omitempty"`
}

// ProgramRecord is a program in a dataset.
type ProgramRecord struct {
	Code        string `yaml:"code" json:"code"`
	Name        string `yaml:"name" json:"name"`
	Kind        string `yaml:"kind,omitempty" json:"kind,omitempty"`
	StartYear   int    `yaml:"start_year,omitempty" json:"start_year,omitempty"`
	EndYear     int    `yaml:"end_year,omitempty" json:"end_year,omitempty"`
	VisionYear  int    `yaml:"vision_year,omitempty" json:"vision_year,omitempty"`
	Owner       string `yaml:"owner,omitempty" json:"owner,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	Restricted  bool   `yaml:"restricted,omitempty" json:"restricted,omitempty"`
}

// MeetingRecord is a meeting in a dataset. StartsAt and EndsAt are RFC
// 3339 ("2024-04-17T08:00:00+07:00"), or a local time in the office's zone:
// "2024-04-17 08:00", "17/04/2024 08:00" or a bare day.
type MeetingRecord struct {
	Key           string   `yaml:"key" json:"key"`
	Title         string   `yaml:"title" json:"title"`
	StartsAt      string   `yaml:"starts_at" json:"starts_at"`
	EndsAt        string   `yaml:"ends_at,omitempty" json:"ends_at,omitempty"`
	Place         string   `yaml:"place,omitempty" json:"place,omitempty"`
	ChairName     string   `yaml:"chair_name,omitempty" json:"chair_name,omitempty"`
	ChairPosition string   `yaml:"chair_position,omitempty" json:"chair_position,omitempty"`
	Organiser     string   `yaml:"organiser,omitempty" json:"organiser,omitempty"`
	Attendees     []string `yaml:"attendees,omitempty" json:"attendees,omitempty"`
	Summary       string   `yaml:"summary,omitempty" json:"summary,omitempty"`
	Source        string   `yaml:"source,omitempty" json:"source,omitempty"`
	SourceURL     string   `yaml:"source_url,omitempty" json:"source_url,omitempty"`
	Note          string   `yaml:"note,omitempty" json:"note,omitempty"`
	Restricted    bool     `yaml:"restricted,omitempty" json:"restricted,omitempty"`
}

// DirectiveRecord is a directive in a dataset.
type DirectiveRecord struct {
	Code           string             `yaml:"code" json:"code"`
	Title          string             `yaml:"title" json:"title"`
	Body           string             `yaml:"body,omitempty" json:"body,omitempty"`
	IssuerName     string             `yaml:"issuer_name,omitempty" json:"issuer_name,omitempty"`
	IssuerPosition string             `yaml:"issuer_position,omitempty" json:"issuer_position,omitempty"`
	IssuedOn       Date               `yaml:"issued_on,omitempty" json:"issued_on,omitzero"`
	Meeting        string             `yaml:"meeting,omitempty" json:"meeting,omitempty"`
	SourceDoc      string             `yaml:"source_doc,omitempty" json:"source_doc,omitempty"`
	Program        string             `yaml:"program,omitempty" json:"program,omitempty"`
	Deadline       Date               `yaml:"deadline,omitempty" json:"deadline,omitzero"`
	DeadlineNote   string             `yaml:"deadline_note,omitempty" json:"deadline_note,omitempty"`
	ClosedOn       Date               `yaml:"closed_on,omitempty" json:"closed_on,omitzero"`
	Restricted     bool               `yaml:"restricted,omitempty" json:"restricted,omitempty"`
	Reminders      Reminders          `yaml:"reminders,omitempty" json:"reminders,omitzero"` // "off" or days from the deadline, "-7,-3,0"; empty: the default ladder
	Assignments    []AssignmentRecord `yaml:"assignments" json:"assignments"`
}

// AssignmentRecord is a unit's share of a directive in a dataset. The
// progress it carries (completion, reports) is added to what is stored,
// never removed: progress recorded in chat survives a re-import.
type AssignmentRecord struct {
	Unit           string         `yaml:"unit" json:"unit"`
	Role           Role           `yaml:"role,omitempty" json:"role,omitempty"`
	CompletedOn    Date           `yaml:"completed_on,omitempty" json:"completed_on,omitzero"`
	CompletionNote string         `yaml:"completion_note,omitempty" json:"completion_note,omitempty"`
	Reports        []ReportRecord `yaml:"reports,omitempty" json:"reports,omitempty"`
}

// ReportRecord is a progress report in a dataset; At is read like
// MeetingRecord.StartsAt. Reports are matched by (unit, At).
type ReportRecord struct {
	At        string `yaml:"at" json:"at"`
	Percent   int    `yaml:"percent" json:"percent"`
	Note      string `yaml:"note,omitempty" json:"note,omitempty"`
	DocNumber string `yaml:"doc_number,omitempty" json:"doc_number,omitempty"`
	Reporter  string `yaml:"reporter,omitempty" json:"reporter,omitempty"`
}

// ImportResult counts what an import did, per kind of record.
type ImportResult struct {
	Units      ImportCounts `json:"units"`
	Programs   ImportCounts `json:"programs"`
	Meetings   ImportCounts `json:"meetings"`
	Directives ImportCounts `json:"directives"`
}

// Changed reports whether the import created or updated anything.
func (r ImportResult) Changed() bool {
	for _, c := range []ImportCounts{r.Units, r.Programs, r.Meetings, r.Directives} {
		if c.Created+c.Updated > 0 {
			return true
		}
	}
	return false
}

// ImportCounts counts records created, updated and left as they were.
type ImportCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportError is one problem in a dataset, naming the record and field.
// Msg says what is wrong in English, for logs and operators; Problem and
// Args say it as data, for wording it for the people who wrote the file
// (the importer words it in Vietnamese).
type ImportError struct {
	Record string // "directives[3] (HNXM-2024/03)"
	Field  string // "deadline", "assignments[2].unit"
	Msg    string
	// Problem is the kind of problem; empty for problems found elsewhere
	// than Dataset.Validate and the store's Import.
	Problem Problem
	// Args are the values Problem's doc names, as written in the dataset.
	Args []string
}

// Arg returns Args[i], or "" when there is no such argument.
func (e ImportError) Arg(i int) string {
	if i >= 0 && i < len(e.Args) {
		return e.Args[i]
	}
	return ""
}

// Problem is a kind of problem in a dataset. Each names the Args its
// ImportError carries.
type Problem string

// The problems Dataset.Validate and the store's Import report.
const (
	ProblemRequired      Problem = "required"       // the field is empty; no args
	ProblemCodeFormat    Problem = "code-format"    // a unit code has other characters: the code
	ProblemDuplicate     Problem = "duplicate"      // a code is used twice: the code, the record that has it first
	ProblemBefore        Problem = "before"         // a date or year is before another: the other field
	ProblemOwnParent     Problem = "own-parent"     // a unit is its own parent; no args
	ProblemTime          Problem = "time"           // a time cannot be read (see ParseTime): the text
	ProblemNoUnit        Problem = "no-unit"        // a directive is assigned to no unit; no args
	ProblemReminders     Problem = "reminders"      // a reminder ladder is out of bounds: the ladder
	ProblemAssignedTwice Problem = "assigned-twice" // a unit is assigned twice: the unit code
	ProblemRole          Problem = "role"           // an unknown role: the role
	ProblemSameTime      Problem = "same-time"      // two reports of a unit at one time: the other report's field
	ProblemPercent       Problem = "percent"        // a percentage outside 0–100: the number
	ProblemUnknown       Problem = "unknown"        // a reference to nothing: "unit", "meeting" or "program", the code
	ProblemHasProgress   Problem = "has-progress"   // an import would drop a unit with progress: the unit code
)

func (e ImportError) Error() string {
	if e.Field == "" {
		return e.Record + ": " + e.Msg
	}
	return e.Record + ": " + e.Field + ": " + e.Msg
}

// ImportErrors lists every problem found in a dataset. It wraps ErrInvalid.
type ImportErrors []ImportError

func (es ImportErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d error(s) in dataset", len(es))
	for i, e := range es {
		if i == 20 {
			fmt.Fprintf(&b, "; … and %d more", len(es)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (es ImportErrors) Unwrap() error { return ErrInvalid }

// ImportErrorsOf returns the problems listed by err, if it carries them.
func ImportErrorsOf(err error) (ImportErrors, bool) {
	var es ImportErrors
	ok := errors.As(err, &es)
	return es, ok
}

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// ValidCode reports whether s is a valid unit code: lower-case ASCII
// letters, digits, '.', '_' and '-', starting with a letter or digit.
func ValidCode(s string) bool { return len(s) <= 64 && codePattern.MatchString(s) }

// ParseTime reads a time as datasets write it: RFC 3339, or a local time
// in loc as "2006-01-02 15:04", "2006-01-02", "02/01/2006 15:04" or
// "02/01/2006". It returns the instant in UTC.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02", "02/01/2006 15:04", "2/1/2006 15:04", "02/01/2006", "2/1/2006"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q, want RFC 3339 or \"dd/mm/yyyy HH:MM\"", s)
}

// Validate checks what can be checked without the stored data: required
// fields, formats, duplicates inside the dataset. References to records
// outside the dataset are checked by the engine. It returns ImportErrors or
// nil.
func (ds *Dataset) Validate(loc *time.Location) error {
	var es ImportErrors
	add := func(rec, field string, p Problem, msg string, args ...string) {
		es = append(es, ImportError{Record: rec, Field: field, Msg: msg, Problem: p, Args: args})
	}
	required := func(rec, field, v string) {
		if strings.TrimSpace(v) == "" {
			add(rec, field, ProblemRequired, "is required")
		}
	}
	badTime := func(rec, field string, err error, s string) {
		add(rec, field, ProblemTime, err.Error(), s)
	}
	seen := map[string]string{}
	unique := func(kind, rec, key string) {
		k := kind + "\x00" + strings.ToLower(strings.TrimSpace(key))
		if prev, dup := seen[k]; dup {
			add(rec, "", ProblemDuplicate, fmt.Sprintf("duplicate key %q, also used by %s", key, prev), key, prev)
			return
		}
		seen[k] = rec
	}

	for i, u := range ds.Units {
		rec := RecordName("units", i, u.Code)
		required(rec, "code", u.Code)
		if u.Code != "" && !ValidCode(u.Code) {
			add(rec, "code", ProblemCodeFormat, fmt.Sprintf("%q must be lower-case letters a-z, digits, '.', '_' or '-'", u.Code), u.Code)
		}
		required(rec, "name", u.Name)
		unique("unit", rec, u.Code)
		if !u.ActiveTo.IsZero() && !u.ActiveFrom.IsZero() && u.ActiveTo.Before(u.ActiveFrom) {
			add(rec, "active_to", ProblemBefore, "is before active_from", "active_from")
		}
		if u.Parent != "" && u.Parent == u.Code {
			add(rec, "parent", ProblemOwnParent, "a unit cannot be its own parent")
		}
		for j, n := range u.FormerNames {
			required(rec, fmt.Sprintf("former_names[%d].name", j), n.Name)
		}
	}
	for i, p := range ds.Programs {
		rec := RecordName("programs", i, p.Code)
		required(rec, "code", p.Code)
		required(rec, "name", p.Name)
		unique("program", rec, p.Code)
		if p.StartYear != 0 && p.EndYear != 0 && p.EndYear < p.StartYear {
			add(rec, "end_year", ProblemBefore, fmt.Sprintf("%d is before start_year %d", p.EndYear, p.StartYear), "start_year")
		}
	}
	for i, m := range ds.Meetings {
		rec := RecordName("meetings", i, m.Key)
		required(rec, "key", m.Key)
		required(rec, "title", m.Title)
		unique("meeting", rec, m.Key)
		start, err := ParseTime(m.StartsAt, loc)
		if err != nil {
			badTime(rec, "starts_at", err, m.StartsAt)
		}
		if m.EndsAt != "" {
			end, err := ParseTime(m.EndsAt, loc)
			if err != nil {
				badTime(rec, "ends_at", err, m.EndsAt)
			} else if !start.IsZero() && end.Before(start) {
				add(rec, "ends_at", ProblemBefore, "is before starts_at", "starts_at")
			}
		}
	}
	for i, d := range ds.Directives {
		rec := RecordName("directives", i, d.Code)
		required(rec, "code", d.Code)
		required(rec, "title", d.Title)
		unique("directive", rec, d.Code)
		if len(d.Assignments) == 0 {
			add(rec, "assignments", ProblemNoUnit, "at least one unit must be assigned")
		}
		if err := d.Reminders.Validate(); err != nil {
			add(rec, "reminders", ProblemReminders, err.Error(), d.Reminders.String())
		}
		units := map[string]bool{}
		for j, a := range d.Assignments {
			field := fmt.Sprintf("assignments[%d]", j)
			if strings.TrimSpace(a.Unit) == "" {
				required(rec, field+".unit", a.Unit)
			} else if units[a.Unit] {
				add(rec, field+".unit", ProblemAssignedTwice, fmt.Sprintf("unit %q is assigned twice", a.Unit), a.Unit)
			}
			units[a.Unit] = true
			switch a.Role {
			case "", RoleLead, RoleSupport:
			default:
				add(rec, field+".role", ProblemRole, fmt.Sprintf("%q must be %q or %q", a.Role, RoleLead, RoleSupport), string(a.Role))
			}
			reportAt := map[time.Time]int{}
			for k, r := range a.Reports {
				rf := fmt.Sprintf("%s.reports[%d]", field, k)
				at, err := ParseTime(r.At, loc)
				if err != nil {
					badTime(rec, rf+".at", err, r.At)
				} else if prev, dup := reportAt[at]; dup {
					// Reports are matched by time on re-import: two at one
					// time would overwrite each other.
					add(rec, rf+".at", ProblemSameTime, fmt.Sprintf("same time as reports[%d]; reports of a unit need distinct times", prev),
						fmt.Sprintf("%s.reports[%d]", field, prev))
				} else {
					reportAt[at] = k
				}
				if r.Percent < 0 || r.Percent > 100 {
					add(rec, rf+".percent", ProblemPercent, fmt.Sprintf("%d is outside 0–100", r.Percent), strconv.Itoa(r.Percent))
				}
			}
		}
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

// RecordName names record i of a list in error messages: "units[2] (xin-man)".
func RecordName(list string, i int, key string) string {
	if key == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return fmt.Sprintf("%s[%d] (%s)", list, i, key)
}
