package scheduler

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"meetbot/store"
)

//go:embed holidays.yaml
var defaultHolidays []byte

// Confidence says how sure a calendar entry is (see holidays.yaml).
type Confidence string

// Confidence levels of calendar entries.
const (
	Official  Confidence = "official"  // decided by the Government
	Statutory Confidence = "statutory" // fixed by the law; no swap decided
	Tentative Confidence = "tentative" // left to the Prime Minister, not yet decided
)

// Calendar is the office's working calendar: Monday to Friday, except
// public holidays, plus the weekend days worked in exchange for a weekday
// off (làm bù). It is immutable and safe for concurrent use.
type Calendar struct {
	off   map[store.Date]string // day off → holiday name
	work  map[store.Date]string // weekend day worked → why
	years []int                 // years the data covers, ascending
}

// calendarFile is the YAML form of a Calendar (holidays.yaml).
type calendarFile struct {
	Years   []int `yaml:"years"`
	DaysOff []struct {
		Name       string     `yaml:"name"`
		From       string     `yaml:"from"`
		To         string     `yaml:"to"`
		Source     string     `yaml:"source"`
		Confidence Confidence `yaml:"confidence"`
	} `yaml:"days_off"`
	WorkingDays []struct {
		Date       string     `yaml:"date"`
		Name       string     `yaml:"name"`
		Source     string     `yaml:"source"`
		Confidence Confidence `yaml:"confidence"`
	} `yaml:"working_days"`
}

// ParseCalendar reads a calendar in the format of holidays.yaml. It
// reports every problem at once: unknown fields, dates that do not parse
// or fall outside the years listed, ranges backwards or longer than 31
// days, a working day that is not a Saturday or Sunday or is also a day
// off, a missing name, source or confidence.
func ParseCalendar(r io.Reader) (*Calendar, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f calendarFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("calendar: the file is empty")
		}
		return nil, fmt.Errorf("calendar: %w", err)
	}
	c := &Calendar{off: map[store.Date]string{}, work: map[store.Date]string{}, years: slices.Sorted(slices.Values(f.Years))}
	c.years = slices.Compact(c.years)
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(c.years) == 0 {
		bad("years: list the years the calendar covers")
	}
	day := func(where, s string) (store.Date, bool) {
		d, err := store.ParseDate(s)
		switch {
		case err != nil || d.IsZero():
			bad("%s: %q is not a date YYYY-MM-DD", where, s)
			return d, false
		case !c.Covers(d.Year):
			bad("%s: %s is outside the years listed %v", where, d, c.years)
			return d, false
		}
		return d, true
	}
	checkMeta := func(where, name, source string, conf Confidence) {
		if strings.TrimSpace(name) == "" {
			bad("%s: name is required", where)
		}
		if strings.TrimSpace(source) == "" {
			bad("%s: source is required", where)
		}
		switch conf {
		case Official, Statutory, Tentative:
		default:
			bad("%s: confidence %q is not one of official, statutory, tentative", where, conf)
		}
	}
	for i, e := range f.DaysOff {
		where := fmt.Sprintf("days_off[%d] (%s)", i, e.Name)
		checkMeta(where, e.Name, e.Source, e.Confidence)
		from, ok1 := day(where+": from", e.From)
		to, ok2 := day(where+": to", e.To)
		if !ok1 || !ok2 {
			continue
		}
		if n := from.DaysUntil(to); n < 0 || n > 30 {
			bad("%s: from %s to %s is not a range of 1 to 31 days", where, from, to)
			continue
		}
		for d := from; !d.After(to); d = d.AddDays(1) {
			c.off[d] = strings.TrimSpace(e.Name)
		}
	}
	for i, e := range f.WorkingDays {
		where := fmt.Sprintf("working_days[%d] (%s)", i, e.Name)
		checkMeta(where, e.Name, e.Source, e.Confidence)
		d, ok := day(where+": date", e.Date)
		if !ok {
			continue
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			bad("%s: %s is a %s; a swapped working day is a Saturday or Sunday", where, d, wd)
			continue
		}
		if name, off := c.off[d]; off {
			bad("%s: %s is also a day off (%s)", where, d, name)
			continue
		}
		c.work[d] = strings.TrimSpace(e.Name)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("calendar: %w", errors.Join(errs...))
	}
	return c, nil
}

// LoadCalendar reads the calendar at path (HOLIDAYS_FILE), or returns the
// built-in one (holidays.yaml, 2025–2027) when path is empty.
func LoadCalendar(path string) (*Calendar, error) {
	if path == "" {
		return DefaultCalendar(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	c, err := ParseCalendar(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := ParseCalendar(bytes.NewReader(defaultHolidays))
	if err != nil {
		// The embedded file is checked by the package's tests.
		panic("scheduler: built-in holidays.yaml: " + err.Error())
	}
	return c
})

// DefaultCalendar returns the built-in calendar (holidays.yaml).
func DefaultCalendar() *Calendar { return defaultCalendar() }

// IsWorkingDay reports whether d is a working day: a swapped weekend day
// (làm bù), or a Monday to Friday that is not a day off.
func (c *Calendar) IsWorkingDay(d store.Date) bool {
	if _, ok := c.work[d]; ok {
		return true
	}
	if _, ok := c.off[d]; ok {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// NextWorkingDay returns d if it is a working day, else the first working
// day after it.
func (c *Calendar) NextWorkingDay(d store.Date) store.Date {
	for range 366 {
		if c.IsWorkingDay(d) {
			return d
		}
		d = d.AddDays(1)
	}
	return d // unreachable with a valid calendar: ranges are at most 31 days
}

// Holiday returns the name of the day off d falls in, if any.
func (c *Calendar) Holiday(d store.Date) (string, bool) {
	name, ok := c.off[d]
	return name, ok
}

// Covers reports whether the calendar has data for the year; outside
// such years only weekends are days off.
func (c *Calendar) Covers(year int) bool {
	_, ok := slices.BinarySearch(c.years, year)
	return ok
}

// Years returns the years the calendar covers, ascending.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }
