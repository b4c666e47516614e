package handlers

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"meetbot/store"
	"meetbot/tghtml"
)

// Reading what admins type: days, times, years, periods and units. Each
// reader returns a problem in Vietnamese ("" when the text is fine),
// saying what was wrong and giving an example.

// endOfMonth returns the last day of d's month.
func endOfMonth(d store.Date) store.Date {
	return store.NewDate(d.Year, d.Month+1, 1).AddDays(-1)
}

// monthEndAfter is "cuối tháng" counted from base: the end of base's
// month, or of the next month when base is its last day.
func monthEndAfter(base store.Date) store.Date {
	if e := endOfMonth(base); e != base {
		return e
	}
	return endOfMonth(base.AddDays(1))
}

// Years a day or a period may be in.
const (
	minYear = 1900
	maxYear = 2200
)

var (
	relDays  = regexp.MustCompile(`^(?:\+\s*(\d{1,4})|sau (\d{1,4}))(?: ngay)?$`)
	dayParts = regexp.MustCompile(`^(\d{1,4})[/.\-](\d{1,2})(?:[/.\-](\d{1,4}))?$`)
)

// parseDayInput reads a day: dd/mm/yyyy (also d/m/yyyy, with '-' or '.',
// or dd/mm for this year), "hôm nay", "ngày mai", "+N" or "sau N ngày"
// (N days after base), "cuối tháng" (the end of base's month, or of the
// next month when base is its last day), and, when standingOK, "thường
// xuyên" (standing). today is the office's day.
func parseDayInput(text string, today, base store.Date, standingOK bool) (day store.Date, standing bool, problem string) {
	example := endOfMonth(today).DMY()
	f := foldWords(text)
	switch f {
	case "hom nay", "today", "nay":
		return today, false, ""
	case "ngay mai", "mai", "tomorrow":
		return today.AddDays(1), false, ""
	case "cuoi thang", "end of month":
		return monthEndAfter(base), false, ""
	case "thuong xuyen", "tx", "khong thoi han", "khong han", "standing":
		if standingOK {
			return store.Date{}, true, ""
		}
		return store.Date{}, false, "Mục này cần một ngày cụ thể, ví dụ " + example + "."
	}
	if m := relDays.FindStringSubmatch(store.Fold(strings.TrimSpace(text))); m != nil {
		n, _ := strconv.Atoi(m[1] + m[2])
		return base.AddDays(n), false, ""
	}
	m := dayParts.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return store.Date{}, false, fmt.Sprintf("Không hiểu ngày “%s”. Hãy gõ ngày dạng dd/mm/yyyy, ví dụ %s.", tghtml.Truncate(text, 40), example)
	}
	if len(m[1]) == 4 && m[3] != "" && len(m[3]) <= 2 {
		m[1], m[3] = m[3], m[1] // ISO: 2024-05-31
	}
	d, _ := strconv.Atoi(m[1])
	mon, _ := strconv.Atoi(m[2])
	y := today.Year
	if m[3] != "" {
		if len(m[3]) != 4 {
			return store.Date{}, false, fmt.Sprintf("Năm trong “%s” cần đủ 4 chữ số, ví dụ %s.", tghtml.Truncate(text, 40), example)
		}
		y, _ = strconv.Atoi(m[3])
	}
	switch {
	case len(m[1]) > 2:
		return store.Date{}, false, fmt.Sprintf("Không hiểu ngày “%s”. Hãy gõ ngày trước, tháng sau: dd/mm/yyyy, ví dụ %s.", tghtml.Truncate(text, 40), example)
	case mon < 1 || mon > 12:
		return store.Date{}, false, fmt.Sprintf("Ngày “%s” không có thật: không có tháng %d. Hãy gõ dd/mm/yyyy, ví dụ %s.", tghtml.Truncate(text, 40), mon, example)
	case y < minYear || y > maxYear:
		return store.Date{}, false, fmt.Sprintf("Năm %d trong “%s” không hợp lệ. Ví dụ: %s.", y, tghtml.Truncate(text, 40), example)
	}
	last := endOfMonth(store.Date{Year: y, Month: time.Month(mon), Day: 1}).Day
	if d < 1 || d > last {
		return store.Date{}, false, fmt.Sprintf("Ngày “%s” không có thật: tháng %d/%d chỉ có %d ngày. Hãy gõ lại, ví dụ %s.",
			tghtml.Truncate(text, 40), mon, y, last, store.Date{Year: y, Month: time.Month(mon), Day: last}.DMY())
	}
	return store.Date{Year: y, Month: time.Month(mon), Day: d}, false, ""
}

var clockPattern = regexp.MustCompile(`^(\d{1,2})(?:[:h](\d{2})?|g(\d{2})?| gio(?: (\d{2}))?)$`)

// parseClock reads a time of day: 08:00, 8:00, 8h, 8h30, 14 giờ.
func parseClock(text string) (string, string) {
	m := clockPattern.FindStringSubmatch(store.Fold(strings.TrimSpace(text)))
	if m != nil {
		hh, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2] + m[3] + m[4])
		if hh <= 23 && mm <= 59 {
			return fmt.Sprintf("%02d:%02d", hh, mm), ""
		}
	}
	return "", fmt.Sprintf("Giờ “%s” không hợp lệ. Hãy gõ dạng HH:MM, ví dụ 08:00 hoặc 14:30.", tghtml.Truncate(text, 40))
}

// parseWhen reads a meeting's day with an optional time after it
// ("15/05/2024 14:00", "15/05/2024 lúc 8h"), returning the day's ISO
// form and the time ("" when none).
func parseWhen(text string, today store.Date) (day, clock, problem string) {
	fields := strings.Fields(text)
	if n := len(fields); n >= 2 {
		if c, prob := parseClock(fields[n-1]); prob == "" {
			clock, fields = c, fields[:n-1]
		} else if n >= 3 && foldWords(fields[n-1]) == "gio" {
			if c, prob := parseClock(fields[n-2] + " giờ"); prob == "" {
				clock, fields = c, fields[:n-2]
			}
		}
		if clock != "" && len(fields) > 1 && foldWords(fields[len(fields)-1]) == "luc" {
			fields = fields[:len(fields)-1]
		}
	}
	d, _, prob := parseDayInput(strings.Join(fields, " "), today, today, false)
	if prob != "" {
		return "", "", prob
	}
	return d.String(), clock, ""
}

var yearPattern = regexp.MustCompile(`^(?:nam )?(\d{4})$`)

// parseYear reads a year: 2030, "năm 2030".
func parseYear(text string) (int, string) {
	if m := yearPattern.FindStringSubmatch(foldWords(text)); m != nil {
		y, _ := strconv.Atoi(m[1])
		if y >= minYear && y <= maxYear {
			return y, ""
		}
	}
	return 0, fmt.Sprintf("Năm “%s” không hợp lệ. Hãy gõ 4 chữ số, ví dụ 2030.", tghtml.Truncate(text, 40))
}

var (
	periodPattern = regexp.MustCompile(`^(?:giai doan |tu (?:nam )?)?(\d{4})(?: ?(?:-|–|—|den(?: nam)?) ?(\d{4}))?$`)
	visionPattern = regexp.MustCompile(`[,;]? ?tam nhin(?: den)?(?: nam)? (\d{4})$`)
)

// parsePeriod reads a period: "2020-2025", "2020 – 2025", "giai đoạn
// 2020 đến 2025", a single start year "2024", optionally followed by ",
// tầm nhìn 2030". It returns the period's answer form and the vision
// year (0: none given).
func parsePeriod(text string) (period string, vision int, problem string) {
	f := store.Fold(strings.TrimSpace(text))
	bad := fmt.Sprintf("Không hiểu giai đoạn “%s”. Hãy gõ năm bắt đầu – năm kết thúc, ví dụ 2020-2025 (có thể thêm “, tầm nhìn 2030”).", tghtml.Truncate(text, 60))
	if m := visionPattern.FindStringSubmatch(f); m != nil {
		vision, _ = strconv.Atoi(m[1])
		f = strings.TrimSpace(f[:len(f)-len(m[0])])
	}
	m := periodPattern.FindStringSubmatch(f)
	if m == nil {
		return "", 0, bad
	}
	start, _ := strconv.Atoi(m[1])
	end, _ := strconv.Atoi(m[2])
	for _, y := range []int{start, end, vision} {
		if y != 0 && (y < minYear || y > maxYear) {
			return "", 0, bad
		}
	}
	if end != 0 && end < start {
		return "", 0, fmt.Sprintf("Năm kết thúc %d trước năm bắt đầu %d.", end, start)
	}
	if vision != 0 && vision < max(start, end) {
		return "", 0, fmt.Sprintf("Tầm nhìn %d trước khi giai đoạn kết thúc.", vision)
	}
	return periodValue(start, end), vision, ""
}

// periodValue is the answer form of a period; "" when neither year is
// known.
func periodValue(start, end int) string {
	if start == 0 && end == 0 {
		return ""
	}
	s := func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	}
	return s(start) + "-" + s(end)
}

// periodOf reads a period's answer form.
func periodOf(v string) (start, end int) {
	a, b, _ := strings.Cut(v, "-")
	start, _ = strconv.Atoi(a)
	end, _ = strconv.Atoi(b)
	return start, end
}

// deadlineValue is the answer form of a deadline.
func deadlineValue(d store.Date) string {
	if d.IsZero() {
		return valueStanding
	}
	return d.String()
}

// deadlineOf reads a deadline's answer form; ok is false when there is
// no answer.
func deadlineOf(v string) (store.Date, bool) {
	if v == valueStanding {
		return store.Date{}, true
	}
	d, err := store.ParseDate(v)
	return d, err == nil && !d.IsZero()
}

// deadlineText shows a deadline: "30/06/2024" or "thường xuyên".
func deadlineText(d store.Date) string {
	if d.IsZero() {
		return "thường xuyên"
	}
	return d.DMY()
}

// splitCodes reads a units answer.
func splitCodes(v string) []string {
	var out []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// splitPerson splits "Name, Position" (or "Name – Position") at the
// first separator; a name alone gives no position.
func splitPerson(text string) (name, position string) {
	cut := -1
	for _, sep := range []string{",", " – ", " - ", " — "} {
		if i := strings.Index(text, sep); i > 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return strings.TrimSpace(text), ""
	}
	rest := strings.TrimLeft(text[cut:], ",–-— ")
	return strings.TrimSpace(text[:cut]), strings.TrimSpace(rest)
}

// splitUnitList splits typed units at commas, semicolons and new lines.
func splitUnitList(text string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// unitList resolves typed units ("xin-man, meo vac; BĐBP") to their
// codes, in order and without repeats; or explains the first part that
// names no unit, or several.
func (h *Handlers) unitList(ctx context.Context, text string) ([]string, string, error) {
	parts := splitUnitList(text)
	if len(parts) == 0 {
		return nil, "Chưa có đơn vị nào. Hãy gõ ký hiệu, tên hoặc tên gọi tắt, cách nhau bằng dấu phẩy, ví dụ: xin-man, meo vac.", nil
	}
	var codes []string
	for _, p := range parts {
		u, cands, err := h.resolveUnit(ctx, p)
		if err != nil {
			return nil, "", err
		}
		if len(cands) > 1 {
			for _, c := range cands {
				if strings.EqualFold(c.Code, p) {
					u = c
				}
			}
			if u.ID == 0 {
				var names []string
				for _, c := range cands[:min(len(cands), 5)] {
					names = append(names, c.Name+" ("+c.Code+")")
				}
				more := ""
				if len(cands) > 5 {
					more = fmt.Sprintf(" và %d đơn vị khác", len(cands)-5)
				}
				return nil, fmt.Sprintf("“%s” khớp với %d đơn vị: %s%s. Hãy gõ ký hiệu của đơn vị.", tghtml.Truncate(p, 40), len(cands), strings.Join(names, "; "), more), nil
			}
		}
		if u.ID == 0 {
			return nil, fmt.Sprintf("Không tìm thấy đơn vị “%s”. Xem ký hiệu, tên gọi tắt của các đơn vị bằng /units.", tghtml.Truncate(p, 40)), nil
		}
		if !slices.Contains(codes, u.Code) {
			codes = append(codes, u.Code)
		}
	}
	return codes, "", nil
}
