package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// UnitKind classifies a unit. Units are data: the kinds below are the ones
// the seed uses and the renderer knows how to name; others are stored as is.
type UnitKind string

// Known unit kinds.
const (
	KindProvince    UnitKind = "province"     // provincial party committee, people's committee, office
	KindBorderGuard UnitKind = "border-guard" // provincial Border Guard (party committee / command)
	KindBorderPost  UnitKind = "border-post"  // a border post (đồn biên phòng)
	KindDistrict    UnitKind = "district"     // district party committee or people's committee
	KindCommune     UnitKind = "commune"      // commune or town
	KindAgency      UnitKind = "agency"       // a department or other agency
)

// Unit is an organisation that receives directives: a district committee,
// the Border Guard, a border post. Units are renamed, merged and retired;
// records keep the name the unit had at the time (see NameAt).
type Unit struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"` // stable key, lower-case ASCII: "xin-man"
	Name     string   `json:"name"` // current name
	Kind     UnitKind `json:"kind,omitempty"`
	ParentID int64    `json:"parent_id,omitempty"`
	Aliases  []string `json:"aliases,omitempty"` // "MV", "meo vac"
	// FormerNames lists earlier names with the days they were in use.
	FormerNames []UnitName `json:"former_names,omitempty"`
	// ActiveFrom and ActiveTo bound the unit's life; a zero ActiveTo means
	// the unit still exists.
	ActiveFrom Date `json:"active_from,omitzero"`
	ActiveTo   Date `json:"active_to,omitzero"`
	// SuccessorID is the unit that took over when this one was merged.
	SuccessorID int64 `json:"successor_id,omitempty"`
}

// UnitName is a name a unit used from From to To, both days included; a
// zero bound is open.
type UnitName struct {
	Name string `json:"name" yaml:"name"`
	From Date   `json:"from,omitzero" yaml:"from,omitempty"`
	To   Date   `json:"to,omitzero" yaml:"to,omitempty"`
}

// NameAt returns the name the unit used on day d: the former name whose
// period contains d, else the current name. A zero d gives the current name.
func (u Unit) NameAt(d Date) string {
	if d.IsZero() {
		return u.Name
	}
	for _, n := range u.FormerNames {
		if (n.From.IsZero() || !d.Before(n.From)) && (n.To.IsZero() || !d.After(n.To)) {
			return n.Name
		}
	}
	return u.Name
}

// Active reports whether the unit exists on day d.
func (u Unit) Active(d Date) bool {
	if !u.ActiveFrom.IsZero() && d.Before(u.ActiveFrom) {
		return false
	}
	return u.ActiveTo.IsZero() || !d.After(u.ActiveTo)
}

// Ref returns a reference to u carrying the name it had on day d.
func (u Unit) Ref(d Date) UnitRef {
	return UnitRef{ID: u.ID, Code: u.Code, Name: u.NameAt(d)}
}

// UnitRef names a unit inside another record, with the name the unit had
// when the record was made.
type UnitRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Meeting is a conference or meeting (hội nghị, cuộc họp).
type Meeting struct {
	ID            int64     `json:"id"`
	Key           string    `json:"key"` // stable import key
	Title         string    `json:"title"`
	StartsAt      time.Time `json:"starts_at"`        // UTC
	EndsAt        time.Time `json:"ends_at,omitzero"` // UTC; zero if unknown
	Place         string    `json:"place,omitempty"`
	ChairName     string    `json:"chair_name,omitempty"`
	ChairPosition string    `json:"chair_position,omitempty"`
	Organiser     UnitRef   `json:"organiser,omitzero"`
	Attendees     []UnitRef `json:"attendees,omitempty"`
	Summary       string    `json:"summary,omitempty"`
	Source        string    `json:"source,omitempty"` // document number or article
	SourceURL     string    `json:"source_url,omitempty"`
	Note          string    `json:"note,omitempty"` // e.g. "sample record"
	Restricted    bool      `json:"restricted,omitempty"`
	// DirectiveCount is the number of directives recorded from this
	// meeting: in a list (Meetings), those the filter's Viewer may see;
	// read by id (Meeting), all of them.
	DirectiveCount int       `json:"directive_count"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Role is a unit's part in a directive.
type Role string

// Roles of an assigned unit.
const (
	RoleLead    Role = "lead"    // chủ trì
	RoleSupport Role = "support" // phối hợp
)

// Directive is a task issued to units (chỉ đạo, nhiệm vụ, kết luận).
type Directive struct {
	ID             int64  `json:"id"`
	Code           string `json:"code"` // number or code: "15/CT-UBND"
	Title          string `json:"title"`
	Body           string `json:"body,omitempty"`
	IssuerName     string `json:"issuer_name,omitempty"`
	IssuerPosition string `json:"issuer_position,omitempty"`
	IssuedOn       Date   `json:"issued_on,omitzero"`
	MeetingID      int64  `json:"meeting_id,omitempty"`
	MeetingTitle   string `json:"meeting_title,omitempty"`
	SourceDoc      string `json:"source_doc,omitempty"`
	ProgramID      int64  `json:"program_id,omitempty"`
	ProgramName    string `json:"program_name,omitempty"`
	// Deadline is the day by which the task is due; zero for a standing
	// directive (thường xuyên).
	Deadline Date `json:"deadline,omitzero"`
	// DeadlineNote qualifies the deadline, e.g. that it is a sample.
	DeadlineNote string `json:"deadline_note,omitempty"`
	// ClosedOn is set when the office closes the directive as a whole
	// (standing directives are in progress until then).
	ClosedOn   Date `json:"closed_on,omitzero"`
	Restricted bool `json:"restricted,omitempty"`
	// Reminders is the directive's own deadline-reminder ladder; the zero
	// value means the office's default ladder.
	Reminders Reminders `json:"reminders,omitzero"`
	// Assignments lists the assigned units, lead units first.
	Assignments []Assignment `json:"assignments,omitempty"`
	// DeadlineHistory lists the changes of the deadline, oldest first
	// (detail reads only): the first one's From is the original deadline.
	DeadlineHistory []DeadlineChange `json:"deadline_history,omitempty"`
	UpdatedAt       time.Time        `json:"updated_at"`
}

// Assignment is one unit's share of a directive.
type Assignment struct {
	ID   int64   `json:"id"`
	Unit UnitRef `json:"unit"`
	Role Role    `json:"role"`
	// CompletedAt is when the unit's completion was recorded (UTC), and
	// CompletedOn the day it counts for, in the office's time zone.
	CompletedAt    time.Time `json:"completed_at,omitzero"`
	CompletedOn    Date      `json:"completed_on,omitzero"`
	CompletionNote string    `json:"completion_note,omitempty"`
	// Percent is the latest confirmed progress, 0–100.
	Percent     int `json:"percent"`
	ReportCount int `json:"report_count"`
	// PendingCount counts reports awaiting the office's review.
	PendingCount int `json:"pending_count,omitempty"`
	// Reports is the progress history, oldest first; filled by detail
	// reads only.
	Reports []ProgressReport `json:"reports,omitempty"`
}

// Done reports whether the unit has completed its share.
func (a Assignment) Done() bool { return !a.CompletedOn.IsZero() }

// ProgressReport is one entry of an assignment's progress history.
type ProgressReport struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"` // UTC
	Percent   int       `json:"percent"`
	Note      string    `json:"note,omitempty"`
	DocNumber string    `json:"doc_number,omitempty"`
	Reporter  string    `json:"reporter,omitempty"`
	// ReporterID is the Telegram user who submitted it (0: the office or
	// an import).
	ReporterID int64 `json:"reporter_id,omitempty"`
	// Done says the report claims the unit's share completed.
	Done bool `json:"done,omitempty"`
	// Status is the office's review: confirmed, pending or returned.
	Status ReportStatus `json:"status"`
	// ReviewNote, ReviewedBy and ReviewedAt record the review (the reason
	// of a returned report).
	ReviewNote string    `json:"review_note,omitempty"`
	ReviewedBy string    `json:"reviewed_by,omitempty"`
	ReviewedAt time.Time `json:"reviewed_at,omitzero"`
}

// Program is a programme, scheme, project, model or movement that
// directives serve.
type Program struct {
	ID          int64   `json:"id"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Kind        string  `json:"kind,omitempty"` // chương trình, đề án, dự án, mô hình, phong trào
	StartYear   int     `json:"start_year,omitempty"`
	EndYear     int     `json:"end_year,omitempty"`
	VisionYear  int     `json:"vision_year,omitempty"`
	Owner       UnitRef `json:"owner,omitzero"`
	Description string  `json:"description,omitempty"`
	Restricted  bool    `json:"restricted,omitempty"`
	// DirectiveCount is the number of directives linked to the program:
	// in a list (Programs), those the filter's Viewer may see; read by id
	// (Program), all of them.
	DirectiveCount int       `json:"directive_count"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Page is one page of a list: Items from Offset, out of Total.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	// Capped says Total is a lower bound: there are more (search counts
	// stop at SearchTotalCap).
	Capped bool `json:"capped,omitempty"`
}

// HasNext reports whether items follow this page.
func (p Page[T]) HasNext() bool { return p.Offset+len(p.Items) < p.Total }

// Limits of a reminder ladder: offsets are whole days within a year of
// the deadline, and a ladder has at most MaxReminderRungs of them.
const (
	MaxReminderOffset = 365
	MaxReminderRungs  = 20
)

// Reminders is a deadline-reminder ladder of a directive: the days,
// relative to the deadline, on which each unit that has not completed is
// reminded (-3 is three days before, 0 the deadline day, 7 a week late).
// The zero value means "the office's default ladder" (REMINDER_LADDER);
// Off turns deadline reminders off for the directive.
//
// Its text form, used by import files and the database, is "" (default),
// "off", or offsets separated by commas or spaces: "-7,-3,-1,0,3".
// In JSON it is "off" or a list of numbers; a string in text form is also
// accepted.
type Reminders struct {
	// Off: no deadline reminders for this directive.
	Off bool
	// Offsets are sorted ascending, without duplicates; nil means the
	// default ladder (when Off is false).
	Offsets []int
}

// ParseReminders reads the text form of a ladder (see Reminders). Offsets
// may come in any order and repeat; the result is sorted and unique. It
// rejects offsets outside ±MaxReminderOffset days and ladders longer than
// MaxReminderRungs.
func ParseReminders(s string) (Reminders, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return Reminders{}, nil
	case "off", "none", "tắt", "không":
		return Reminders{Off: true}, nil
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	offsets := make([]int, 0, len(fields))
	for _, f := range fields {
		n, err := strconv.Atoi(strings.TrimPrefix(f, "+"))
		if err != nil {
			return Reminders{}, fmt.Errorf("reminders %q: %q is not a whole number of days (want e.g. \"-7,-3,-1,0,3\" or \"off\")", s, f)
		}
		offsets = append(offsets, n)
	}
	r := Reminders{Offsets: offsets}
	r.normalise()
	if err := r.Validate(); err != nil {
		return Reminders{}, err
	}
	return r, nil
}

func (r *Reminders) normalise() {
	if r.Off {
		r.Offsets = nil
		return
	}
	if r.Offsets != nil {
		slices.Sort(r.Offsets)
		r.Offsets = slices.Compact(r.Offsets)
	}
}

// Validate reports an offset outside ±MaxReminderOffset days, too many
// rungs, an empty list of offsets, or offsets together with Off.
func (r Reminders) Validate() error {
	switch {
	case r.Off && len(r.Offsets) > 0:
		return fmt.Errorf("reminders: both off and a list of days")
	case r.Offsets != nil && len(r.Offsets) == 0:
		return fmt.Errorf("reminders: an empty list of days (write \"off\" to turn reminders off)")
	case len(r.Offsets) > MaxReminderRungs:
		return fmt.Errorf("reminders: %d days, at most %d", len(r.Offsets), MaxReminderRungs)
	}
	for _, o := range r.Offsets {
		if o < -MaxReminderOffset || o > MaxReminderOffset {
			return fmt.Errorf("reminders: %d days is outside ±%d", o, MaxReminderOffset)
		}
	}
	return nil
}

// IsZero reports whether r is the default ladder.
func (r Reminders) IsZero() bool { return !r.Off && r.Offsets == nil }

// String returns the text form: "", "off" or "-7,-3,-1,0".
func (r Reminders) String() string {
	if r.Off {
		return "off"
	}
	parts := make([]string, len(r.Offsets))
	for i, o := range r.Offsets {
		parts[i] = strconv.Itoa(o)
	}
	return strings.Join(parts, ",")
}

// MarshalText returns the text form.
func (r Reminders) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the text form (see ParseReminders).
func (r *Reminders) UnmarshalText(b []byte) error {
	v, err := ParseReminders(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalJSON encodes "off", a list of numbers, or null for the default.
func (r Reminders) MarshalJSON() ([]byte, error) {
	switch {
	case r.Off:
		return []byte(`"off"`), nil
	case r.Offsets == nil:
		return []byte("null"), nil
	}
	return json.Marshal(r.Offsets)
}

// UnmarshalJSON accepts null, a list of numbers, or a string in text form.
func (r *Reminders) UnmarshalJSON(b []byte) error {
	var offsets []int
	if err := json.Unmarshal(b, &offsets); err == nil {
		if offsets == nil {
			*r = Reminders{}
			return nil
		}
		v := Reminders{Offsets: offsets}
		v.normalise()
		if err := v.Validate(); err != nil {
			return err
		}
		*r = v
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("reminders: want \"off\", a list of days or a string such as \"-7,-3,0\"")
	}
	return r.UnmarshalText([]byte(s))
}
