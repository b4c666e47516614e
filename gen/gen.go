// Package gen makes synthetic datasets for benchmarks and load tests
// (`meetbot gen`): units in a province → district → commune hierarchy,
// meetings over three years, directives with deadlines, completions and
// progress reports, all in administrative Vietnamese with diacritics.
//
// The output depends only on Options: the same options give the same
// dataset. It validates (store.Dataset.Validate) and refers only to its
// own records, so it imports into an empty store.
package gen

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"meetbot/store"
)

// Options sizes and seeds a dataset.
type Options struct {
	// Units, Meetings and Directives are the numbers of records; negative
	// counts are taken as 0. Units is raised to 1 when there are meetings
	// or directives to assign.
	Units, Meetings, Directives int
	// Seed selects the dataset; the same seed and options give the same
	// dataset.
	Seed uint64
	// Now anchors the dates: meetings fall in the three years before it
	// (and a few in the month after), deadlines around it. A zero Now is
	// 2026-01-01 00:00 UTC, so that the output never depends on the clock.
	Now time.Time
	// Loc is the office's time zone, in which days are counted and local
	// times written; nil means UTC.
	Loc *time.Location
}

// unitInfo is what the generator remembers of a unit to pick it later.
type unitInfo struct {
	code     string
	name     string
	province int // index of the unit's province
	level    int // 0 province-level, 1 district, 2 commune or border post
	// retiredAfter is the last day of a retired unit, and successor the
	// index of the unit that took over.
	retiredAfter store.Date
	successor    int
}

type generator struct {
	rng   *rand.Rand
	loc   *time.Location
	today store.Date

	units     []unitInfo
	provinces [][]int // unit indexes by province
	top       []int   // province- and district-level unit indexes
	meetings  []meetingInfo
	programs  []string
	docSeq    map[string]int
	b         strings.Builder
}

type meetingInfo struct {
	key      string
	day      store.Date
	province int
}

// Dataset returns a synthetic dataset as opts describe. It is
// deterministic for given options; the caller owns the result.
func Dataset(opts Options) *store.Dataset {
	opts.Units = max(opts.Units, 0)
	opts.Meetings = max(opts.Meetings, 0)
	opts.Directives = max(opts.Directives, 0)
	if opts.Units == 0 && opts.Meetings+opts.Directives > 0 {
		opts.Units = 1
	}
	if opts.Loc == nil {
		opts.Loc = time.UTC
	}
	if opts.Now.IsZero() {
		opts.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	g := &generator{
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		loc:    opts.Loc,
		today:  store.DateIn(opts.Now, opts.Loc),
		docSeq: map[string]int{},
	}
	ds := &store.Dataset{}
	ds.Units = g.genUnits(opts.Units)
	ds.Programs = g.genPrograms(programCount(opts.Units, opts.Directives))
	ds.Meetings = g.genMeetings(opts.Meetings)
	ds.Directives = g.genDirectives(opts.Directives)
	return ds
}

// programCount scales the number of programs with the dataset.
func programCount(units, directives int) int {
	if units == 0 || directives == 0 {
		return 0
	}
	return min(max(units/25, 5), 300)
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// chance reports true with probability p.
func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// placeName returns a two-syllable place name ("Lũng Phìn"), rarely three.
func (g *generator) placeName() string {
	a, b := g.pick(syllables), g.pick(syllables)
	for b == a {
		b = g.pick(syllables)
	}
	if g.chance(0.1) {
		return a + " " + b + " " + g.pick(syllables)
	}
	return a + " " + b
}

func (g *generator) personName() string {
	return g.pick(familyNames) + " " + g.pick(middleNames) + " " + g.pick(givenNames)
}

// initials returns the upper-case first letters of the words of s
// ("Mèo Vạc" → "MV"), keeping Đ.
func initials(s string) string {
	var b strings.Builder
	for w := range strings.FieldsSeq(s) {
		r := []rune(w)[0]
		b.WriteString(strings.ToUpper(string(r)))
	}
	return b.String()
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// appendDigits appends n with at least width digits.
func appendDigits(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	buf[i] = byte('0' + n)
	return append(b, buf[i:]...)
}

// isoDay formats d as 2006-01-02 like Date.String, without fmt (it is
// called a few hundred thousand times).
func isoDay(d store.Date) []byte {
	b := make([]byte, 0, 16)
	b = appendDigits(b, d.Year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.Month), 2)
	b = append(b, '-')
	return appendDigits(b, d.Day, 2)
}

// dmy formats d as 02/01/2006 like Date.DMY, without fmt.
func dmy(d store.Date) []byte {
	b := make([]byte, 0, 10)
	b = appendDigits(b, d.Day, 2)
	b = append(b, '/')
	b = appendDigits(b, int(d.Month), 2)
	b = append(b, '/')
	return appendDigits(b, d.Year, 4)
}

// localTime formats day and hh:mm as "2006-01-02 15:04".
func localTime(d store.Date, hh, mm int) string {
	b := append(isoDay(d), ' ')
	b = appendDigits(b, hh, 2)
	b = append(b, ':')
	return string(appendDigits(b, mm, 2))
}

// Unit layout per province: the provincial party committee, people's
// committee, Border Guard and agencies, then districts with their
// communes and border posts, until the count is reached.
const (
	districtsPerProvince = 10
	communesPerDistrict  = 15
	postsPerDistrict     = 2
)

func (g *generator) genUnits(n int) []store.UnitRecord {
	out := make([]store.UnitRecord, 0, n)
	add := func(r store.UnitRecord, province, level int) int {
		g.units = append(g.units, unitInfo{code: r.Code, name: r.Name, province: province, level: level, successor: -1})
		i := len(g.units) - 1
		g.provinces[province] = append(g.provinces[province], i)
		if level < 2 {
			g.top = append(g.top, i)
		}
		out = append(out, r)
		return i
	}
	full := func() bool { return len(out) >= n }
	for p := 0; !full(); p++ {
		g.provinces = append(g.provinces, nil)
		pname := g.placeName()
		pc := "t" + pad(p+1, 2)
		tinhUy := pc + "-tinh-uy"
		add(store.UnitRecord{Code: tinhUy, Name: "Tỉnh ủy " + pname, Kind: store.KindProvince,
			Aliases: []string{"TU " + pname, store.Fold("Tỉnh ủy " + pname)}}, p, 0)
		if full() {
			break
		}
		add(store.UnitRecord{Code: pc + "-ubnd", Name: "UBND tỉnh " + pname, Kind: store.KindProvince,
			Aliases: []string{"Ủy ban nhân dân tỉnh " + pname, store.Fold("UBND tỉnh " + pname)}}, p, 0)
		if full() {
			break
		}
		add(store.UnitRecord{Code: pc + "-bdbp", Name: "Đảng ủy Bộ đội Biên phòng tỉnh " + pname, Kind: store.KindBorderGuard,
			Parent: tinhUy, Aliases: []string{"BĐBP " + pname, "BDBP " + store.Fold(pname), "Biên phòng " + pname}}, p, 0)
		for _, a := range agencies {
			if full() {
				break
			}
			add(store.UnitRecord{Code: pc + "-" + a.code, Name: a.name + " " + pname, Kind: store.KindAgency,
				Aliases: []string{a.abbr + " " + pname}}, p, 0)
		}
		for d := 0; d < districtsPerProvince && !full(); d++ {
			dname := g.placeName()
			dc := pc + "-h" + pad(d+1, 2)
			add(store.UnitRecord{Code: dc, Name: "Huyện ủy " + dname, Kind: store.KindDistrict, Parent: tinhUy,
				Aliases: []string{dname, store.Fold(dname), initials(dname), "HU " + dname}}, p, 1)
			first := -1
			for c := 0; c < communesPerDistrict && !full(); c++ {
				cname := g.placeName()
				prefix := "xã "
				if c == 0 {
					prefix = "thị trấn "
				}
				r := store.UnitRecord{Code: dc + "-x" + pad(c+1, 2), Name: "UBND " + prefix + cname, Kind: store.KindCommune, Parent: dc,
					Aliases: []string{prefix + cname, store.Fold(cname)}}
				// Some communes were renamed; some were merged into the
				// district's first one, as in the 2025 reorganisation.
				switch {
				case c > 0 && g.chance(0.03):
					r.ActiveTo = g.today.AddDays(-200 - g.rng.IntN(400))
					r.Successor = g.units[first].code
				case g.chance(0.05):
					to := g.today.AddDays(-100 - g.rng.IntN(700))
					r.FormerNames = []store.UnitName{{Name: "UBND xã " + g.placeName(), To: to}}
				}
				i := add(r, p, 2)
				if c == 0 {
					first = i
				} else if !r.ActiveTo.IsZero() {
					g.units[i].retiredAfter, g.units[i].successor = r.ActiveTo, first
				}
			}
			for b := 0; b < postsPerDistrict && !full(); b++ {
				bname := g.placeName()
				add(store.UnitRecord{Code: dc + "-don" + strconv.Itoa(b+1), Name: "Đồn Biên phòng " + bname, Kind: store.KindBorderPost,
					Parent: pc + "-bdbp", Aliases: []string{"Đồn BP " + bname, "ĐBP " + bname, "don " + store.Fold(bname)}}, p, 2)
			}
		}
	}
	// Parents named above may not exist when the count ran out mid-way.
	known := make(map[string]bool, len(out))
	for _, u := range out {
		known[u.Code] = true
	}
	for i := range out {
		if !known[out[i].Parent] {
			out[i].Parent = ""
		}
		if !known[out[i].Successor] {
			out[i].Successor = ""
		}
	}
	return out
}

func (g *generator) genPrograms(n int) []store.ProgramRecord {
	out := make([]store.ProgramRecord, n)
	g.programs = make([]string, n)
	for i := range out {
		kind := g.pick(programKinds)
		start := g.today.Year - 5 + g.rng.IntN(5)
		p := store.ProgramRecord{
			Code:        "ct-" + pad(i+1, 3),
			Name:        upperFirst(kind) + " " + g.pick(topics) + " giai đoạn " + strconv.Itoa(start) + " - " + strconv.Itoa(start+5),
			Kind:        kind,
			StartYear:   start,
			EndYear:     start + 5,
			Description: g.pick(bodySentences),
		}
		if g.chance(0.5) {
			p.VisionYear = start + 10
		}
		if len(g.top) > 0 && g.chance(0.8) {
			p.Owner = g.units[g.top[g.rng.IntN(len(g.top))]].code
		}
		p.Restricted = g.chance(0.03)
		out[i] = p
		g.programs[i] = p.Code
	}
	return out
}

// upperFirst and lowerFirst change the case of the first letter of s,
// which may take more than one byte ("Đôn đốc").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

const syntheticNote = "Dữ liệu tổng hợp (meetbot gen)"

func (g *generator) genMeetings(n int) []store.MeetingRecord {
	out := make([]store.MeetingRecord, n)
	g.meetings = make([]meetingInfo, n)
	span := 3 * 365
	for i := range out {
		// Three years back; one in twenty in the coming month.
		offset := -g.rng.IntN(span)
		if g.chance(0.05) {
			offset = g.rng.IntN(31)
		}
		day := g.today.AddDays(offset)
		orgIdx := g.topOrAny()
		org := g.units[orgIdx]
		hhmm := g.pick(meetingTimes)
		m := store.MeetingRecord{
			Key:       "hn-" + pad(i+1, 6),
			Title:     g.pick(meetingKinds) + " " + g.pick(topics) + " năm " + strconv.Itoa(day.Year),
			StartsAt:  string(isoDay(day)) + " " + hhmm,
			Place:     "Hội trường " + org.name,
			ChairName: g.personName(),
			Organiser: org.code,
			Summary:   g.sentences(1 + g.rng.IntN(3)),
			Source:    "Thông báo kết luận số " + strconv.Itoa(1+g.rng.IntN(900)) + "/TB-VP",
			Note:      syntheticNote,
		}
		if org.level == 0 {
			m.ChairPosition = g.pick(provincePositions)
		} else {
			m.ChairPosition = g.pick(districtPositions)
		}
		if g.chance(0.5) {
			h, _ := strconv.Atoi(hhmm[:2])
			mm, _ := strconv.Atoi(hhmm[3:])
			m.EndsAt = localTime(day, h+2+g.rng.IntN(3), mm)
		}
		m.Attendees = g.codes(g.pickUnits(org.province, 2+g.rng.IntN(7), day, orgIdx))
		m.Restricted = g.chance(0.03)
		out[i] = m
		g.meetings[i] = meetingInfo{key: m.Key, day: day, province: org.province}
	}
	return out
}

// topOrAny returns a province- or district-level unit, or any unit if
// there is none.
func (g *generator) topOrAny() int {
	if len(g.top) > 0 {
		return g.top[g.rng.IntN(len(g.top))]
	}
	return g.rng.IntN(len(g.units))
}

// pickUnits returns up to n distinct units, mostly of the province,
// active on day (a retired unit is replaced by its successor), starting
// with first if it is not negative.
func (g *generator) pickUnits(province, n int, day store.Date, first int) []int {
	out := make([]int, 0, n)
	if first >= 0 {
		out = append(out, first)
	}
	pool := g.provinces[province]
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		i := pool[g.rng.IntN(len(pool))]
		if g.chance(0.1) {
			i = g.rng.IntN(len(g.units))
		}
		for g.units[i].successor >= 0 && day.After(g.units[i].retiredAfter) {
			i = g.units[i].successor
		}
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

func (g *generator) codes(idx []int) []string {
	out := make([]string, len(idx))
	for i, u := range idx {
		out[i] = g.units[u].code
	}
	return out
}

// sentences returns n sentences of body text.
func (g *generator) sentences(n int) string {
	g.b.Reset()
	for i := range n {
		if i > 0 {
			g.b.WriteByte(' ')
		}
		g.b.WriteString(g.pick(bodySentences))
	}
	return g.b.String()
}

// Deadlines, in days after the issue day.
var deadlineDays = []int{7, 10, 15, 20, 30, 45, 60, 90, 120, 180}

func (g *generator) genDirectives(n int) []store.DirectiveRecord {
	out := make([]store.DirectiveRecord, n)
	var past []int // meetings already held
	for i, m := range g.meetings {
		if !m.day.After(g.today) {
			past = append(past, i)
		}
	}
	for i := range out {
		d := &out[i]
		var province int
		var issued store.Date
		if len(past) > 0 && g.chance(0.6) {
			m := g.meetings[past[g.rng.IntN(len(past))]]
			d.Meeting, issued, province = m.key, m.day, m.province
		} else {
			issued = g.today.AddDays(-g.rng.IntN(3 * 365))
			province = g.rng.IntN(len(g.provinces))
		}
		docType := g.pick(docTypes)
		g.docSeq[docType]++
		d.Code = strconv.Itoa(g.docSeq[docType]) + "/" + docType
		if d.Meeting == "" {
			d.SourceDoc = d.Code
		}
		verb, topic := g.pick(verbs), g.pick(topics)
		d.Title = verb + " " + topic
		if q := g.pick(qualifiers); q != "" {
			d.Title += " " + q
		}
		d.IssuedOn = issued
		d.IssuerName = g.personName()
		d.IssuerPosition = g.pick(provincePositions)
		if len(g.programs) > 0 && g.chance(0.25) {
			d.Program = g.programs[g.rng.IntN(len(g.programs))]
		}
		if !g.chance(0.15) {
			d.Deadline = issued.AddDays(deadlineDays[g.rng.IntN(len(deadlineDays))])
		} else {
			d.DeadlineNote = "Thường xuyên"
		}
		d.Restricted = g.chance(0.02)

		units := g.pickUnits(province, 1+g.rng.IntN(4), issued, -1)
		d.Assignments = make([]store.AssignmentRecord, len(units))
		for j, u := range units {
			a := &d.Assignments[j]
			a.Unit, a.Role = g.units[u].code, store.RoleSupport
			if j == 0 {
				a.Role = store.RoleLead
			}
			g.progress(a, issued, d.Deadline)
		}
		g.b.Reset()
		g.b.WriteString("Giao ")
		g.b.WriteString(g.units[units[0]].name)
		g.b.WriteString(" chủ trì")
		if len(units) > 1 {
			g.b.WriteString(", phối hợp với các đơn vị liên quan,")
		}
		g.b.WriteString(" ")
		g.b.WriteString(lowerFirst(verb))
		g.b.WriteString(" ")
		g.b.WriteString(topic)
		g.b.WriteString(". ")
		g.b.WriteString(g.pick(bodySentences))
		if !d.Deadline.IsZero() {
			g.b.WriteString(" Báo cáo kết quả trước ngày ")
			g.b.Write(dmy(d.Deadline))
			g.b.WriteString(".")
		}
		d.Body = g.b.String()
		// The office closes some old standing directives.
		if d.Deadline.IsZero() && issued.DaysUntil(g.today) > 365 && g.chance(0.1) {
			d.ClosedOn = issued.AddDays(200 + g.rng.IntN(150))
		}
	}
	return out
}

// progress fills a unit's completion and reports for a directive issued
// on issued with the deadline (zero: standing), consistent with today:
// nothing happens after today, reports precede the completion.
func (g *generator) progress(a *store.AssignmentRecord, issued, deadline store.Date) {
	age := issued.DaysUntil(g.today)
	if age < 0 {
		return
	}
	var done store.Date
	switch {
	case deadline.IsZero():
		if age > 60 && g.chance(0.2) {
			done = issued.AddDays(30 + g.rng.IntN(age-29))
		}
	case deadline.After(g.today):
		if age > 0 && g.chance(0.25) {
			done = issued.AddDays(1 + g.rng.IntN(age))
		}
	case g.chance(0.75):
		// Done by now: seven in ten on time, the rest up to 60 days late.
		if late := deadline.DaysUntil(g.today); late > 0 && g.chance(0.3) {
			done = deadline.AddDays(1 + g.rng.IntN(min(late, 60)))
		} else {
			done = issued.AddDays(g.rng.IntN(issued.DaysUntil(deadline) + 1))
		}
	}
	a.CompletedOn = done
	if !done.IsZero() && g.chance(0.3) {
		a.CompletionNote = "Đã hoàn thành, có báo cáo bằng văn bản."
	}

	last := g.today
	if !done.IsZero() {
		last = done
	}
	span := issued.DaysUntil(last)
	reports := g.rng.IntN(3) // at most 2: see At below
	if reports == 0 || span < 1 {
		return
	}
	a.Reports = make([]store.ReportRecord, reports)
	pct := 0
	for k := range a.Reports {
		day := issued.AddDays(1 + (span-1)*(k+1)/(reports+1))
		pct = min(pct+10+g.rng.IntN(40), 95)
		r := store.ReportRecord{
			// Reports are matched by (unit, at): report k falls in its own
			// four hours, so two reports of a day never share a time.
			At:      localTime(day, 8+4*k+g.rng.IntN(4), g.rng.IntN(4)*15),
			Percent: pct,
			Note:    g.pick(reportNotes),
		}
		if g.chance(0.2) {
			r.DocNumber = strconv.Itoa(1+g.rng.IntN(500)) + "/BC"
		}
		a.Reports[k] = r
	}
}
