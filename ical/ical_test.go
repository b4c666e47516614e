package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

func sampleCalendar() Calendar {
	start := time.Date(2024, 4, 17, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	return Calendar{
		Name:     "Lịch công tác – Huyện ủy Xín Mần",
		TimeZone: "Asia/Ho_Chi_Minh",
		Refresh:  6 * time.Hour,
		Events: []Event{
			{
				UID: "meeting-42@meetbot", Stamp: time.Date(2024, 4, 18, 16, 26, 0, 0, time.UTC),
				Start: start, End: start.Add(3 * time.Hour),
				Summary:  "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp giữa Đảng ủy Bộ đội Biên phòng tỉnh và Đảng ủy 7 huyện biên giới",
				Location: "huyện Xín Mần; Hà Giang, Việt Nam",
				Description: "Chủ trì: Nguyễn Văn Sơn, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh\n" +
					`Nguồn: C:\văn bản\15/CT-UBND; “trích”`,
				URL: "https://example.gov.vn/tin-tuc/1",
			},
			{
				UID: "directive-7-unit-3@meetbot", Stamp: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC),
				LastModified: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC),
				Day:          Date{2024, 6, 30},
				Summary:      "Hạn: HNXM-2024/03 Mở luồng chuyên dụng vận chuyển hàng hóa cặp cửa khẩu Thanh Thủy – Thiên Bảo",
				Description:  "Tình trạng: Chưa hoàn thành – trong hạn, còn 59 ngày",
				Categories:   []string{"Hạn chỉ đạo", "a,b"},
			},
		},
	}
}

func encode(t *testing.T, c Calendar) string {
	t.Helper()
	b, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParsesAndRoundTrips(t *testing.T) {
	c := sampleCalendar()
	doc := encode(t, c)
	cal, err := ics.ParseCalendar(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, doc)
	}
	props := map[string]string{}
	for _, p := range cal.CalendarProperties {
		props[p.IANAToken] = ics.FromText(p.Value)
	}
	for k, want := range map[string]string{"VERSION": "2.0", "PRODID": DefaultProdID, "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
		"X-WR-CALNAME": c.Name, "X-WR-TIMEZONE": "Asia/Ho_Chi_Minh", "REFRESH-INTERVAL": "PT360M", "X-PUBLISHED-TTL": "PT360M"} {
		if props[k] != want {
			t.Errorf("%s = %q, want %q", k, props[k], want)
		}
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	text := func(e *ics.VEvent, p ics.ComponentProperty) string {
		if pr := e.GetProperty(p); pr != nil {
			return ics.FromText(pr.Value)
		}
		return ""
	}

	m := evs[0]
	if m.Id() != "meeting-42@meetbot" {
		t.Errorf("UID %q", m.Id())
	}
	for p, want := range map[ics.ComponentProperty]string{
		ics.ComponentPropertySummary:     c.Events[0].Summary,
		ics.ComponentPropertyLocation:    c.Events[0].Location,
		ics.ComponentPropertyDescription: c.Events[0].Description,
		ics.ComponentPropertyUrl:         c.Events[0].URL,
	} {
		if got := text(m, p); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if got, err := m.GetStartAt(); err != nil || !got.Equal(c.Events[0].Start) {
		t.Errorf("DTSTART = %v (%v), want %v", got, err, c.Events[0].Start)
	}
	if got, err := m.GetEndAt(); err != nil || !got.Equal(c.Events[0].End) {
		t.Errorf("DTEND = %v (%v), want %v", got, err, c.Events[0].End)
	}
	if got, err := m.GetDtStampTime(); err != nil || !got.Equal(c.Events[0].Stamp) {
		t.Errorf("DTSTAMP = %v (%v), want %v", got, err, c.Events[0].Stamp)
	}
	if v := m.GetProperty(ics.ComponentPropertyDtStart).Value; v != "20240417T010000Z" {
		t.Errorf("DTSTART written %q, want UTC 20240417T010000Z", v)
	}

	d := evs[1]
	if d.Id() != "directive-7-unit-3@meetbot" {
		t.Errorf("UID %q", d.Id())
	}
	if got := text(d, ics.ComponentPropertySummary); got != c.Events[1].Summary {
		t.Errorf("SUMMARY %q", got)
	}
	if got := text(d, ics.ComponentPropertyDescription); got != c.Events[1].Description {
		t.Errorf("DESCRIPTION %q", got)
	}
	start := d.GetProperty(ics.ComponentPropertyDtStart)
	if start.Value != "20240630" || start.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("DTSTART %v %q, want VALUE=DATE 20240630", start.ICalParameters, start.Value)
	}
	if end := d.GetProperty(ics.ComponentPropertyDtEnd); end.Value != "20240701" {
		t.Errorf("DTEND %q, want the next day", end.Value)
	}
	if got, err := d.GetAllDayStartAt(); err != nil || got.Day() != 30 {
		t.Errorf("all-day start %v (%v)", got, err)
	}
}

func TestCRLFAndFolding(t *testing.T) {
	doc := encode(t, sampleCalendar())
	if !strings.HasSuffix(doc, "END:VCALENDAR\r\n") {
		t.Errorf("does not end with END:VCALENDAR CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > MaxLineOctets {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Error("no line was folded; the sample has long ones")
	}
	// Unfolding gives back the content lines.
	unfolded := strings.ReplaceAll(doc, "\r\n ", "")
	if !strings.Contains(unfolded, "SUMMARY:"+escape(sampleCalendar().Events[0].Summary)+"\r\n") {
		t.Error("the unfolded summary is not the escaped summary")
	}
}

func TestFoldNeverSplitsRunes(t *testing.T) {
	for n := range 80 {
		s := "DESCRIPTION:" + strings.Repeat("a", n) + strings.Repeat("ữđộ😀", 40)
		var b bytes.Buffer
		fold(&b, s)
		out := b.String()
		if got := strings.ReplaceAll(out, "\r\n ", ""); got != s+"\r\n" {
			t.Fatalf("n=%d: unfolding does not give the line back", n)
		}
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > MaxLineOctets || !utf8.ValidString(l) {
				t.Fatalf("n=%d: bad line %q (%d octets)", n, l, len(l))
			}
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Hội nghị", "Hội nghị"},
		{"backslash first", `a\b;c,d`, `a\\b\;c\,d`},
		{"newlines", "một\r\nhai\nba", `một\nhai\nba`},
		{"control", "a\tb", "a b"},
		{"colon stays", "Nguồn: 15/CT-UBND", "Nguồn: 15/CT-UBND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEncodeRefusesIncompleteEvents(t *testing.T) {
	if _, err := (Calendar{Events: []Event{{Summary: "x", Start: time.Now()}}}).Bytes(); err == nil {
		t.Error("an event without UID was accepted")
	}
	if _, err := (Calendar{Events: []Event{{UID: "x@meetbot", Summary: "x"}}}).Bytes(); err == nil {
		t.Error("an event without start was accepted")
	}
}

func TestEmptyCalendar(t *testing.T) {
	doc := encode(t, Calendar{Name: "Trống"})
	if _, err := ics.ParseCalendar(strings.NewReader(doc)); err != nil {
		t.Fatalf("parse: %v", err)
	}
	if strings.Contains(doc, "VEVENT") {
		t.Error("events in an empty calendar")
	}
}
