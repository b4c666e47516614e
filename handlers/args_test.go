package handlers

import (
	"strings"
	"testing"
	"time"

	"meetbot/store"
)

func TestSplitStatus(t *testing.T) {
	tests := []struct {
		name     string
		args     string
		wantRest string
		wantSet  store.StatusSet
	}{
		{name: "empty", args: "", wantRest: "", wantSet: 0},
		{name: "unit only", args: "xin-man", wantRest: "xin-man", wantSet: 0},
		{name: "overdue with diacritics", args: "xin-man quá hạn", wantRest: "xin-man", wantSet: store.SetOverdue},
		{name: "overdue without diacritics", args: "Meo Vac qua han", wantRest: "Meo Vac", wantSet: store.SetOverdue},
		{name: "status only", args: "trong hạn", wantRest: "", wantSet: store.SetPending},
		{name: "done", args: "Đồng Văn hoàn thành", wantRest: "Đồng Văn", wantSet: store.SetDone},
		{name: "longest match: done late is not overdue", args: "xin-man hoàn thành quá hạn", wantRest: "xin-man", wantSet: store.SetDoneLate},
		{name: "done on time", args: "hoan thanh dung han", wantRest: "", wantSet: store.SetDoneOnTime},
		{name: "not done", args: "MV chưa hoàn thành", wantRest: "MV", wantSet: store.SetOpen},
		{name: "not done and overdue", args: "chưa hoàn thành quá hạn", wantRest: "", wantSet: store.SetOverdue},
		{name: "standing", args: "bdbp thường xuyên", wantRest: "bdbp", wantSet: store.SetOngoing},
		{name: "English", args: "xin-man overdue", wantRest: "xin-man", wantSet: store.SetOverdue},
		{name: "English two words", args: "done on time", wantRest: "", wantSet: store.SetDoneOnTime},
		{name: "upper case", args: "XIN-MAN QUÁ HẠN", wantRest: "XIN-MAN", wantSet: store.SetOverdue},
		{name: "hyphenated status", args: "xin-man quá-hạn", wantRest: "xin-man", wantSet: store.SetOverdue},
		{name: "status first", args: "quá hạn xin-man", wantRest: "xin-man", wantSet: store.SetOverdue},
		{name: "unit with many words keeps its text", args: "Huyện ủy  Hoàng Su Phì trong hạn", wantRest: "Huyện ủy Hoàng Su Phì", wantSet: store.SetPending},
		{name: "status word inside a name is not a status", args: "đồn thanh thủy", wantRest: "đồn thanh thủy", wantSet: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, set := splitStatus(tt.args)
			if rest != tt.wantRest || set != tt.wantSet {
				t.Errorf("splitStatus(%q) = %q, %d; want %q, %d", tt.args, rest, set, tt.wantRest, tt.wantSet)
			}
		})
	}
}

func TestStatusPhrasesAreFolded(t *testing.T) {
	for p := range statusPhrases {
		if foldWords(p) != p {
			t.Errorf("phrase %q is not in folded form %q: it can never match", p, foldWords(p))
		}
		if n := len(strings.Fields(p)); n > maxPhraseWords {
			t.Errorf("phrase %q has %d words, more than maxPhraseWords", p, n)
		}
	}
}

func TestParseMeetingsArgs(t *testing.T) {
	tests := []struct {
		name string
		args string
		want meetingRange
		ok   bool
	}{
		{name: "none", args: "", want: meetingRange{}, ok: true},
		{name: "upcoming", args: "sắp tới", want: meetingRange{Mode: rangeUpcoming}, ok: true},
		{name: "upcoming without diacritics", args: "sap toi", want: meetingRange{Mode: rangeUpcoming}, ok: true},
		{name: "past", args: "Đã qua", want: meetingRange{Mode: rangePast}, ok: true},
		{name: "past without diacritics", args: "da qua", want: meetingRange{Mode: rangePast}, ok: true},
		{name: "month", args: "04/2024", want: meetingRange{Mode: rangeMonth, Year: 2024, Month: time.April}, ok: true},
		{name: "one-digit month", args: "4/2024", want: meetingRange{Mode: rangeMonth, Year: 2024, Month: time.April}, ok: true},
		{name: "dash", args: "12-2023", want: meetingRange{Mode: rangeMonth, Year: 2023, Month: time.December}, ok: true},
		{name: "with the word tháng", args: "tháng 4/2024", want: meetingRange{Mode: rangeMonth, Year: 2024, Month: time.April}, ok: true},
		{name: "month 13", args: "13/2024", ok: false},
		{name: "month 0", args: "0/2024", ok: false},
		{name: "two-digit year", args: "04/24", ok: false},
		{name: "letters", args: "ab/2024", ok: false},
		{name: "a full date", args: "17/04/2024", ok: false},
		{name: "nonsense", args: "hôm kia", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseMeetingsArgs(tt.args)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("parseMeetingsArgs(%q) = %+v, %v; want %+v, %v", tt.args, got, ok, tt.want, tt.ok)
			}
			if ok {
				back, err := parseRange(got.code())
				if err != nil || back != got {
					t.Errorf("range code %q reads back as %+v, %v", got.code(), back, err)
				}
			}
		})
	}
}

func TestParseDeadlinesArgs(t *testing.T) {
	tests := []struct {
		name     string
		args     string
		wantDays int
		wantUnit string
		ok       bool
	}{
		{name: "default", args: "", wantDays: 7, ok: true},
		{name: "days", args: "30", wantDays: 30, ok: true},
		{name: "days with the word", args: "30 ngày", wantDays: 30, ok: true},
		{name: "English", args: "14 days", wantDays: 14, ok: true},
		{name: "days and unit", args: "30 ngày Mèo Vạc", wantDays: 30, wantUnit: "Mèo Vạc", ok: true},
		{name: "days and a unit starting with d", args: "30 dong van", wantDays: 30, wantUnit: "dong van", ok: true},
		{name: "unit only", args: "xin-man", wantDays: 7, wantUnit: "xin-man", ok: true},
		{name: "bounds", args: "365", wantDays: 365, ok: true},
		{name: "zero", args: "0", ok: false},
		{name: "too many", args: "366", ok: false},
		{name: "huge", args: "99999999999", ok: false},
		{name: "not a number", args: "3x", ok: false},
		{name: "negative", args: "-5", wantDays: 7, wantUnit: "-5", ok: true}, // then "no such unit"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, unit, ok := parseDeadlinesArgs(tt.args)
			if ok != tt.ok || (ok && (days != tt.wantDays || unit != tt.wantUnit)) {
				t.Errorf("parseDeadlinesArgs(%q) = %d, %q, %v; want %d, %q, %v", tt.args, days, unit, ok, tt.wantDays, tt.wantUnit, tt.ok)
			}
		})
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		name string
		args string
		want int64
		ok   bool
	}{
		{name: "number", args: "12", want: 12, ok: true},
		{name: "hash", args: "#12", want: 12, ok: true},
		{name: "the word số", args: "số 12", want: 12, ok: true},
		{name: "spaces", args: "  7 ", want: 7, ok: true},
		{name: "zero", args: "0", ok: false},
		{name: "negative", args: "-3", ok: false},
		{name: "decimal", args: "1.5", ok: false},
		{name: "word", args: "abc", ok: false},
		{name: "code", args: "15/CT-UBND", ok: false},
		{name: "too long", args: strings.Repeat("9", 30), ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseID(tt.args)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("parseID(%q) = %d, %v; want %d, %v", tt.args, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestStartPayload(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    startPayload
		ok      bool
	}{
		{name: "directive", payload: "d_12", want: startPayload{kindDirective, 12}, ok: true},
		{name: "meeting", payload: "m_1", want: startPayload{kindMeeting, 1}, ok: true},
		{name: "program", payload: "p_3", want: startPayload{kindProgram, 3}, ok: true},
		{name: "unknown kind", payload: "x_3", ok: false},
		{name: "not a number", payload: "d_abc", ok: false},
		{name: "zero", payload: "d_0", ok: false},
		{name: "no separator", payload: "d12", ok: false},
		{name: "empty", payload: "", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseStartPayload(tt.payload)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("parseStartPayload(%q) = %+v, %v; want %+v, %v", tt.payload, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, k := range []store.RecordKind{store.RecordDirective, store.RecordMeeting, store.RecordProgram} {
		p := deepLinkPayload(k, 9223372036854775807)
		if len(p) > 64 || !deepLinkPattern.MatchString("https://t.me/b?start="+p) {
			t.Errorf("payload %q breaks the deep-link rules", p)
		}
		if got, ok := parseStartPayload(p); !ok || got.ID != 9223372036854775807 {
			t.Errorf("payload %q reads back as %+v, %v", p, got, ok)
		}
	}
}

func TestSearchKey(t *testing.T) {
	long := strings.Repeat("Quản lý, bảo vệ đường biên giới quốc gia và mốc quốc giới ", 100)
	tests := []struct {
		name          string
		text          string
		want          string
		wantShortened bool
	}{
		{name: "short text is kept as typed", text: "  Biên   giới ", want: "Biên giới"},
		{name: "code is kept for the code match", text: "15/CT-UBND", want: "15/CT-UBND"},
		{name: "punctuation only", text: "?!… 🙈", want: ""},
		{name: "empty", text: "", want: ""},
		{name: "long text is folded and cut at a word", text: long, want: "quan ly bao ve duong bien gioi quoc gia va moc", wantShortened: true},
		{name: "one very long word is cut", text: strings.Repeat("ả", 100), want: strings.Repeat("a", searchBudget), wantShortened: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, shortened := searchKey(tt.text)
			if got != tt.want || shortened != tt.wantShortened {
				t.Errorf("searchKey = %q, %v; want %q, %v", got, shortened, tt.want, tt.wantShortened)
			}
			if len(got) > searchBudget {
				t.Errorf("key of %d bytes exceeds the budget %d", len(got), searchBudget)
			}
			// The key is stable: searching it again gives itself, so every
			// page runs the same query.
			if again, _ := searchKey(got); again != got {
				t.Errorf("searchKey(%q) = %q: not stable", got, again)
			}
			if got != "" {
				data := callback{Kind: kindSearch, Page: maxCallbackPage, Short: true, Query: got}.encode()
				if len(data) > maxCallbackData {
					t.Errorf("callback data %q is %d bytes", data, len(data))
				}
			}
		})
	}
}
