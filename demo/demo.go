// Package demo holds meetbot's demo dataset, embedded in the binary: the
// meeting of 17/04/2024 in Xín Mần described by the seed article (Đài
// Phát thanh và Truyền hình Hà Giang, 18/04/2024), its units, programs and
// the seven directives given there, with sample deadlines and progress
// placed relative to today so that every directive state shows.
//
// The dataset is written as an import file (demo.yaml.tmpl, a text/template
// of the format described in package importer), so it doubles as an
// example of that format. YAML returns it rendered.
//
// # Facts and samples
//
// Names, dates, places and program titles are the article's. What the
// article does not give is sample data and is marked so in the records:
// the meeting's start time (08:00, in its note), the lead/support roles,
// the deadlines (each with a deadline_note saying it is a sample), the
// progress reports and completions, and a second, upcoming meeting whose
// title ends with "(dữ liệu mẫu)".
//
// # Sample layout
//
// Every directive is assigned to the Border Guard's party committee (bdbp)
// and the seven district committees. The Border Guard leads, the districts
// support, except for directive 06 (village elders and respected people),
// which the districts lead. With T the day of now in loc:
//
//	HNXM-2024/01  deadline T-45  all done: 7 on time (yen-minh on the
//	                             deadline day), hoang-su-phi late (T-38)
//	HNXM-2024/02  standing       ongoing; reports from bdbp, meo-vac
//	HNXM-2024/03  deadline T+3   pending, due this week; reports from
//	                             bdbp (80%), vi-xuyen (60%)
//	HNXM-2024/04  deadline T+60  pending; quan-ba done early (T-10);
//	                             linked to the cooperation Project
//	HNXM-2024/05  deadline T-7   overdue: meo-vac (90%), quan-ba,
//	                             hoang-su-phi (60%); late: dong-van (T-2),
//	                             vi-xuyen (T-1); on time: bdbp, yen-minh,
//	                             xin-man
//	HNXM-2024/06  standing       ongoing; report from quan-ba
//	HNXM-2024/07  standing       ongoing; report from bdbp
//
// The sample meeting starts at 08:00 two days after T.
//
// Load the demo into a fresh store. Importing it again the same day
// changes nothing, but on a later day the deadlines move with T and that
// day's sample reports are added to the stored ones (an import never
// removes progress).
package demo

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"text/template"
	"time"

	"meetbot/importer"
	"meetbot/store"
)

//go:embed demo.yaml.tmpl
var source string

// MeetingKey is the key of the seed article's meeting in the dataset.
const MeetingKey = "hn-xin-man-2024-04-17"

var tmpl = template.Must(template.New("demo.yaml.tmpl").Option("missingkey=error").Funcs(template.FuncMap{
	// Placeholders: the real functions, bound to a day, are set by render.
	"day": func(int) string { return "" },
	"at":  func(int, string) (string, error) { return "", nil },
}).Parse(source))

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// YAML returns the demo dataset as an import file, with the days relative
// to the day of now in loc.
func YAML(now time.Time, loc *time.Location) ([]byte, error) {
	today := store.DateIn(now, loc)
	t, err := tmpl.Clone()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	t.Funcs(template.FuncMap{
		// day n is the day n days from today: "2024-04-17".
		"day": func(n int) string { return today.AddDays(n).String() },
		// at n "HH:MM" is that day at HH:MM local time: "2024-04-17 09:00".
		"at": func(n int, hhmm string) (string, error) {
			if !clock.MatchString(hhmm) {
				return "", fmt.Errorf("at: invalid time of day %q, want HH:MM", hhmm)
			}
			return today.AddDays(n).String() + " " + hhmm, nil
		},
	})
	var b bytes.Buffer
	if err := t.Execute(&b, nil); err != nil {
		return nil, fmt.Errorf("demo: render: %w", err)
	}
	return b.Bytes(), nil
}

// Dataset returns the demo dataset with the days relative to the day of
// now in loc, decoded and validated as an import file would be. The
// caller owns the result. An error means the embedded file is broken.
func Dataset(now time.Time, loc *time.Location) (*store.Dataset, error) {
	b, err := YAML(now, loc)
	if err != nil {
		return nil, err
	}
	ds, err := importer.Load(bytes.NewReader(b), importer.FormatYAML, loc)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return ds, nil
}
