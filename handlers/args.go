package handlers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"meetbot/store"
)

// Deadline windows of /deadlines, in days.
const (
	defaultDeadlineDays = 7
	maxDeadlineDays     = 365
)

// --- status words ----------------------------------------------------------

// statusPhrases maps what users type for a status, folded (no case, no
// diacritics, words separated by one space), to the set it selects. The
// longest phrase that matches wins, so "hoàn thành quá hạn" is done late
// and not "quá hạn" (overdue).
var statusPhrases = map[string]store.StatusSet{
	// overdue
	"qua han": store.SetOverdue, "tre han": store.SetOverdue, "chua hoan thanh qua han": store.SetOverdue,
	"overdue": store.SetOverdue, "late": store.SetOverdue,
	// pending, within the deadline
	"trong han": store.SetPending, "con han": store.SetPending, "chua den han": store.SetPending,
	"chua hoan thanh trong han": store.SetPending, "pending": store.SetPending,
	// done
	"hoan thanh": store.SetDone, "da hoan thanh": store.SetDone, "xong": store.SetDone, "da xong": store.SetDone,
	"done": store.SetDone, "completed": store.SetDone, "complete": store.SetDone,
	"hoan thanh dung han": store.SetDoneOnTime, "dung han": store.SetDoneOnTime,
	"done on time": store.SetDoneOnTime, "on time": store.SetDoneOnTime,
	"hoan thanh qua han": store.SetDoneLate, "hoan thanh tre han": store.SetDoneLate, "hoan thanh tre": store.SetDoneLate,
	"done late": store.SetDoneLate,
	// not done: within the deadline, overdue or standing
	"chua hoan thanh": store.SetOpen, "chua xong": store.SetOpen, "dang thuc hien": store.SetOpen,
	"open": store.SetOpen, "not done": store.SetOpen, "undone": store.SetOpen,
	// standing
	"thuong xuyen": store.SetOngoing, "ongoing": store.SetOngoing, "standing": store.SetOngoing,
}

// maxPhraseWords is the number of words in the longest status phrase.
const maxPhraseWords = 5

// foldWords returns the words of s folded: "Quá-hạn!" → "qua han".
func foldWords(s string) string {
	return strings.Join(store.Tokens(store.Fold(s)), " ")
}

// splitStatus finds status words at the end of args (or, failing that, at
// the start) and returns the rest of args, untouched, and the set. The
// longest phrase wins. Without status words it returns args and 0.
func splitStatus(args string) (rest string, set store.StatusSet) {
	fields := strings.Fields(args)
	folded := make([]string, len(fields))
	for i, f := range fields {
		folded[i] = foldWords(f)
	}
	phrase := func(fs []string) string {
		var words []string
		for _, f := range fs {
			if f != "" {
				words = append(words, f)
			}
		}
		return strings.Join(words, " ")
	}
	n := len(fields)
	for k := min(n, maxPhraseWords); k >= 1; k-- {
		if ss, ok := statusPhrases[phrase(folded[n-k:])]; ok {
			return strings.Join(fields[:n-k], " "), ss
		}
	}
	for k := min(n, maxPhraseWords); k >= 1; k-- {
		if ss, ok := statusPhrases[phrase(folded[:k])]; ok {
			return strings.Join(fields[k:], " "), ss
		}
	}
	return strings.Join(fields, " "), 0
}

// isAllUnits reports whether text asks for every unit rather than one
// ("tất cả", "all", "toàn tỉnh"): in a chat bound to a unit it lifts the
// default.
func isAllUnits(text string) bool {
	switch foldWords(text) {
	case "tat ca", "all", "toan tinh", "toan bo", "ca tinh":
		return true
	}
	return false
}

// --- meetings range --------------------------------------------------------

// rangeMode is what /meetings shows.
type rangeMode uint8

// Meeting ranges.
const (
	rangeOverview rangeMode = iota // upcoming, then the recent past
	rangeUpcoming                  // from the start of today, earliest first
	rangePast                      // before today, latest first
	rangeMonth                     // one calendar month, earliest first
)

// meetingRange is a /meetings argument.
type meetingRange struct {
	Mode  rangeMode
	Year  int
	Month time.Month
}

// code returns the range as written in callback data.
func (r meetingRange) code() string {
	switch r.Mode {
	case rangeUpcoming:
		return "u"
	case rangePast:
		return "p"
	case rangeMonth:
		return fmt.Sprintf("%04d%02d", r.Year, r.Month)
	}
	return ""
}

// parseRange reads a range from callback data (see code).
func parseRange(code string) (meetingRange, error) {
	switch code {
	case "":
		return meetingRange{}, nil
	case "u":
		return meetingRange{Mode: rangeUpcoming}, nil
	case "p":
		return meetingRange{Mode: rangePast}, nil
	}
	if len(code) == 6 {
		y, err1 := strconv.Atoi(code[:4])
		m, err2 := strconv.Atoi(code[4:])
		if err1 == nil && err2 == nil && validMonth(y, m) && code == fmt.Sprintf("%04d%02d", y, m) {
			return meetingRange{Mode: rangeMonth, Year: y, Month: time.Month(m)}, nil
		}
	}
	return meetingRange{}, fmt.Errorf("bad meetings range %q", code)
}

func validMonth(y, m int) bool { return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 }

var monthPattern = regexp.MustCompile(`^(?:thang\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$`)

// parseMeetingsArgs reads what follows /meetings: nothing, "sắp tới",
// "đã qua" (with or without diacritics, or in English), or a month
// "mm/yyyy" (also m/yyyy, mm-yyyy, "tháng 4/2024"). It reports false for
// anything else.
func parseMeetingsArgs(args string) (meetingRange, bool) {
	f := store.Fold(args)
	switch foldWords(f) {
	case "":
		return meetingRange{}, true
	case "sap toi", "sap dien ra", "sap den", "toi", "upcoming", "next", "future":
		return meetingRange{Mode: rangeUpcoming}, true
	case "da qua", "qua", "da dien ra", "truoc", "past", "previous":
		return meetingRange{Mode: rangePast}, true
	}
	m := monthPattern.FindStringSubmatch(f)
	if m == nil {
		return meetingRange{}, false
	}
	mon, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	if !validMonth(year, mon) {
		return meetingRange{}, false
	}
	return meetingRange{Mode: rangeMonth, Year: year, Month: time.Month(mon)}, true
}

// --- numbers ---------------------------------------------------------------

// parseID reads a record id as users type it: "12", "#12", "số 12".
func parseID(args string) (int64, bool) {
	s := strings.TrimSpace(args)
	s = strings.TrimPrefix(s, "#")
	if f := store.Fold(s); strings.HasPrefix(f, "so ") {
		s = strings.TrimSpace(s[strings.IndexByte(s, ' '):])
	}
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

var daysPattern = regexp.MustCompile(`^(\d{1,6})(?:\s*(?:ngay|days?|d))?(?:\s+(.*))?$`)

// parseDeadlinesArgs reads what follows /deadlines: an optional number of
// days ("30", "30 ngày", "30 days"; default 7), then an optional unit. A
// number outside 1–365, or a text that starts like a number but is not
// one ("3x"), is not ok.
func parseDeadlinesArgs(args string) (days int, unit string, ok bool) {
	args = strings.TrimSpace(args)
	if args == "" || args[0] < '0' || args[0] > '9' {
		return defaultDeadlineDays, args, true
	}
	m := daysPattern.FindStringSubmatch(store.Fold(args))
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 || n > maxDeadlineDays {
		return 0, "", false
	}
	if m[2] != "" {
		// Take the unit from the original text, diacritics and all: it
		// ends the same number of fields as the folded one.
		fields := strings.Fields(args)
		unit = strings.Join(fields[len(fields)-len(strings.Fields(m[2])):], " ")
	}
	return n, unit, true
}

// --- deep links --------------------------------------------------------

// startPayload is what a deep link (/start d_12) opens.
type startPayload struct {
	Kind cbKind // kindDirective, kindMeeting or kindProgram
	ID   int64
}

// deepLinkPayload returns the /start payload that opens a record: "d_12".
// It is at most 21 characters of [a-z0-9_].
func deepLinkPayload(kind store.RecordKind, id int64) string {
	prefix := map[store.RecordKind]string{store.RecordDirective: "d", store.RecordMeeting: "m", store.RecordProgram: "p"}[kind]
	if prefix == "" || id <= 0 {
		return ""
	}
	return prefix + "_" + strconv.FormatInt(id, 10)
}

// parseStartPayload reads a deep-link payload; false for anything else.
func parseStartPayload(p string) (startPayload, bool) {
	k, id, ok := strings.Cut(strings.TrimSpace(p), "_")
	if !ok {
		return startPayload{}, false
	}
	n, err := parsePositive(id)
	if err != nil {
		return startPayload{}, false
	}
	switch k {
	case "d":
		return startPayload{kindDirective, n}, true
	case "m":
		return startPayload{kindMeeting, n}, true
	case "p":
		return startPayload{kindProgram, n}, true
	}
	return startPayload{}, false
}

// --- search ------------------------------------------------------------

// searchKey returns the query that a search runs with, on every page:
// the text with its white space collapsed if it fits in callback data,
// else its folded words, as many whole words as fit (a long last word is
// cut, which still matches: the store matches the last word as a
// prefix). shortened reports the second case. Text without any word gives
// "".
func searchKey(text string) (key string, shortened bool) {
	text = strings.ToValidUTF8(text, " ")
	collapsed := strings.Join(strings.Fields(text), " ")
	if len(store.Tokens(collapsed)) == 0 {
		return "", false
	}
	if len(collapsed) <= searchBudget {
		return collapsed, false
	}
	var b strings.Builder
	for _, w := range store.Tokens(store.Fold(collapsed)) {
		sep := 0
		if b.Len() > 0 {
			sep = 1
		}
		if b.Len()+sep+len(w) > searchBudget {
			if b.Len() == 0 {
				b.WriteString(cutBytes(w, searchBudget))
			}
			break
		}
		if sep == 1 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String(), true
}

// cutBytes returns the longest prefix of s of at most n bytes that ends
// on a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
