// Package ical writes iCalendar documents (RFC 5545): a VCALENDAR of
// VEVENTs, timed (in UTC) or all-day, as calendar apps subscribe to and
// import them. It knows nothing of meetbot's records; package calfeed
// turns meetings and deadlines into Events.
//
// What the RFC asks of the text, and this package does: every line ends
// with CRLF; content lines longer than 75 octets are folded (CRLF and a
// space), never inside a UTF-8 sequence; in TEXT values backslash,
// semicolon, comma and newline are escaped.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is a VCALENDAR published for subscription (METHOD:PUBLISH).
type Calendar struct {
	// ProdID identifies the producer; default DefaultProdID.
	ProdID string
	// Name (X-WR-CALNAME) is the name apps show for the calendar;
	// TimeZone (X-WR-TIMEZONE) the zone they display it in, e.g.
	// "Asia/Ho_Chi_Minh". Either may be empty.
	Name, TimeZone string
	// Refresh, if set, suggests how often subscribers fetch the calendar
	// again (REFRESH-INTERVAL, RFC 7986, and X-PUBLISHED-TTL), in whole
	// minutes.
	Refresh time.Duration
	Events  []Event
}

// DefaultProdID is the PRODID of meetbot's calendars.
const DefaultProdID = "-//meetbot//meetbot calendar//VI"

// Date is a calendar day, for all-day events.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

func (d Date) String() string { return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day) }

// Event is a VEVENT: timed (Start, and End if known) or all-day (Day set).
type Event struct {
	// UID identifies the event across versions of the calendar, e.g.
	// "meeting-42@meetbot"; required.
	UID string
	// Stamp (DTSTAMP) is when this version of the event was made: the
	// record's last change, so the same data gives the same document.
	// LastModified (LAST-MODIFIED) is written when set.
	Stamp, LastModified time.Time
	// Start and End bound a timed event, written in UTC; a zero End
	// is left out (the event ends when it starts).
	Start, End time.Time
	// Day makes the event an all-day event on that day (DTSTART;VALUE=
	// DATE, DTEND the next day); Start and End are then ignored.
	Day Date
	// Summary is the title; Location and Description optional text; URL
	// an optional link.
	Summary, Location, Description, URL string
	// Categories are optional category names.
	Categories []string
	// Confidential marks the event CLASS:CONFIDENTIAL (a restricted
	// record), which calendar apps keep out of shared views.
	Confidential bool
}

// allDay reports whether e is an all-day event.
func (e Event) allDay() bool { return e.Day != Date{} }

// Encode writes c as an iCalendar document. It fails on an event without
// a UID or start, and on a write error.
func (c Calendar) Encode(w io.Writer) error {
	var b bytes.Buffer
	l := lineWriter{&b}
	prod := c.ProdID
	if prod == "" {
		prod = DefaultProdID
	}
	l.line("BEGIN", "VCALENDAR")
	l.line("VERSION", "2.0")
	l.line("PRODID", prod)
	l.line("CALSCALE", "GREGORIAN")
	l.line("METHOD", "PUBLISH")
	if c.Name != "" {
		l.line("X-WR-CALNAME", escape(c.Name))
	}
	if c.TimeZone != "" {
		l.line("X-WR-TIMEZONE", escape(c.TimeZone))
	}
	if m := int(c.Refresh / time.Minute); m > 0 {
		d := fmt.Sprintf("PT%dM", m)
		l.line("REFRESH-INTERVAL;VALUE=DURATION", d)
		l.line("X-PUBLISHED-TTL", d)
	}
	for i, e := range c.Events {
		if e.UID == "" {
			return fmt.Errorf("ical: event %d has no UID", i)
		}
		if !e.allDay() && e.Start.IsZero() {
			return fmt.Errorf("ical: event %s has no start", e.UID)
		}
		stamp := e.Stamp
		if stamp.IsZero() {
			stamp = e.LastModified
		}
		if stamp.IsZero() {
			stamp = e.Start
		}
		if stamp.IsZero() {
			stamp = time.Date(e.Day.Year, e.Day.Month, e.Day.Day, 0, 0, 0, 0, time.UTC)
		}
		l.line("BEGIN", "VEVENT")
		l.line("UID", escape(e.UID))
		l.line("DTSTAMP", utc(stamp))
		if !e.LastModified.IsZero() {
			l.line("LAST-MODIFIED", utc(e.LastModified))
		}
		if e.allDay() {
			l.line("DTSTART;VALUE=DATE", e.Day.String())
			l.line("DTEND;VALUE=DATE", e.Day.AddDays(1).String())
			l.line("TRANSP", "TRANSPARENT") // a deadline does not make anyone busy
		} else {
			l.line("DTSTART", utc(e.Start))
			if !e.End.IsZero() && e.End.After(e.Start) {
				l.line("DTEND", utc(e.End))
			}
		}
		l.line("SUMMARY", escape(e.Summary))
		if e.Confidential {
			l.line("CLASS", "CONFIDENTIAL")
		}
		if e.Location != "" {
			l.line("LOCATION", escape(e.Location))
		}
		if e.Description != "" {
			l.line("DESCRIPTION", escape(e.Description))
		}
		if e.URL != "" && !strings.ContainsAny(e.URL, " \r\n\t") {
			l.line("URL", e.URL)
		}
		if len(e.Categories) > 0 {
			cs := make([]string, len(e.Categories))
			for i, c := range e.Categories {
				cs[i] = escape(c)
			}
			l.line("CATEGORIES", strings.Join(cs, ","))
		}
		l.line("END", "VEVENT")
	}
	l.line("END", "VCALENDAR")
	_, err := w.Write(b.Bytes())
	if err != nil {
		return fmt.Errorf("ical: write: %w", err)
	}
	return nil
}

// Bytes returns c encoded; see Encode.
func (c Calendar) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// utc formats t as a UTC DATE-TIME: 20240417T010000Z.
func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escape escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and newline; a CR is dropped, other control characters become
// spaces, and invalid UTF-8 is replaced.
func escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MaxLineOctets is the longest a content line may be, CRLF excluded.
const MaxLineOctets = 75

// lineWriter writes content lines, folded and ended with CRLF.
type lineWriter struct{ b *bytes.Buffer }

func (l lineWriter) line(name, value string) {
	fold(l.b, name+":"+value)
}

// fold writes s as a content line: CRLF-terminated, cut into pieces of
// at most 75 octets (the first) and 74 octets after the leading space
// (the others), each cut between two UTF-8 sequences.
func fold(b *bytes.Buffer, s string) {
	limit := MaxLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = MaxLineOctets - 1
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
