package handlers

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

const maxID = int64(9223372036854775807)

func TestCallbackRoundTrip(t *testing.T) {
	longKey, _ := searchKey(strings.Repeat("Đồn Biên phòng Thanh Thủy phối hợp tuần tra ", 20))
	tests := []struct {
		name string
		cb   callback
		data string
	}{
		{name: "help", cb: callback{Kind: kindHelp}, data: "1:h"},
		{name: "noop", cb: callback{Kind: kindNoop}, data: "1:n"},
		{name: "units", cb: callback{Kind: kindUnits}, data: "1:u"},
		{name: "meeting", cb: callback{Kind: kindMeeting, ID: 1}, data: "1:m:i1"},
		{name: "meetings overview", cb: callback{Kind: kindMeetings, Page: 1}, data: "1:ml:p1"},
		{name: "meetings of a month", cb: callback{Kind: kindMeetings, Range: "202404", Page: 2}, data: "1:ml:r202404:p2"},
		{name: "upcoming meetings", cb: callback{Kind: kindMeetings, Range: "u", Page: 3}, data: "1:ml:ru:p3"},
		{name: "directive", cb: callback{Kind: kindDirective, ID: 42}, data: "1:d:i42"},
		{name: "directives of a unit in a state", cb: callback{Kind: kindDirectives, Unit: 12, Status: store.SetOpen, Page: 2}, data: "1:dl:u12:s19:p2"},
		{name: "directives of a meeting", cb: callback{Kind: kindDirectives, Meeting: 3, Page: 1}, data: "1:dl:m3:p1"},
		{name: "directives of a program", cb: callback{Kind: kindDirectives, Program: 4, Page: 1}, data: "1:dl:g4:p1"},
		{name: "deadlines", cb: callback{Kind: kindDeadlines, Days: 365, Unit: 8, Page: 1}, data: "1:dd:u8:n365:p1"},
		{name: "overdue", cb: callback{Kind: kindOverdue, Page: 1}, data: "1:od:p1"},
		{name: "programs", cb: callback{Kind: kindPrograms, Page: 9999}, data: "1:pl:p9999"},
		{name: "program", cb: callback{Kind: kindProgram, ID: 6}, data: "1:p:i6"},
		{name: "search with colons", cb: callback{Kind: kindSearch, Page: 2, Query: "a:b q:c"}, data: "1:s:p2:qa:b q:c"},
		{name: "search with Vietnamese", cb: callback{Kind: kindSearch, Page: 1, Query: "biên giới"}, data: "1:s:p1:qbiên giới"},
		{name: "largest ids", cb: callback{Kind: kindDirectives, Unit: maxID, Status: store.SetAll, Page: maxCallbackPage},
			data: "1:dl:u9223372036854775807:s31:p9999"},
		{name: "longest search", cb: callback{Kind: kindSearch, Page: maxCallbackPage, Short: true, Query: longKey}, data: "1:s:t1:p9999:q" + longKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.cb.encode()
			if data != tt.data {
				t.Errorf("encode = %q, want %q", data, tt.data)
			}
			if len(data) > maxCallbackData {
				t.Errorf("%q is %d bytes, more than %d", data, len(data), maxCallbackData)
			}
			got, err := decodeCallback(data)
			if err != nil {
				t.Fatalf("decode(%q): %v", data, err)
			}
			if diff := cmp.Diff(tt.cb, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeCallbackRejects(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{name: "empty", data: ""},
		{name: "another version", data: "2:d:i1"},
		{name: "unversioned (design-doc draft)", data: "d:42"},
		{name: "no kind", data: "1"},
		{name: "unknown kind", data: "1:zz:p1"},
		{name: "detail without id", data: "1:d"},
		{name: "zero id", data: "1:d:i0"},
		{name: "leading zero", data: "1:d:i01"},
		{name: "signed id", data: "1:d:i+1"},
		{name: "negative id", data: "1:d:i-1"},
		{name: "id overflows", data: "1:d:i99999999999999999999"},
		{name: "repeated field", data: "1:d:i1:i2"},
		{name: "unknown field", data: "1:d:x1"},
		{name: "field not taken by the kind", data: "1:d:i1:p1"},
		{name: "list without page", data: "1:dl"},
		{name: "page zero", data: "1:dl:p0"},
		{name: "page too large", data: "1:dl:p10000"},
		{name: "empty field", data: "1:dl::p1"},
		{name: "status out of range", data: "1:dl:s32:p1"},
		{name: "deadline window zero", data: "1:dd:n0:p1"},
		{name: "deadline window too large", data: "1:dd:n366:p1"},
		{name: "deadlines without window", data: "1:dd:p1"},
		{name: "bad month", data: "1:ml:r202413:p1"},
		{name: "bad range", data: "1:ml:rx:p1"},
		{name: "search without query", data: "1:s:p1"},
		{name: "search with empty query", data: "1:s:p1:q"},
		{name: "query on another kind", data: "1:dl:p1:qabc"},
		{name: "help with a page", data: "1:h:p1"},
		{name: "shortened flag not 1", data: "1:s:t2:p1:qa"},
		{name: "shortened flag on a list", data: "1:dl:t1:p1"},
		{name: "too long", data: "1:s:p1:q" + strings.Repeat("a", 60)},
		{name: "not UTF-8", data: "1:s:p1:q\xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := decodeCallback(tt.data)
			if !errors.Is(err, errBadCallback) {
				t.Errorf("decode(%q) = %+v, %v; want errBadCallback", tt.data, cb, err)
			}
		})
	}
}

// TestDecodeEncodeCanonical: whatever decodes, encodes back to the same
// data, so a button never has two spellings.
func TestDecodeEncodeCanonical(t *testing.T) {
	for _, data := range []string{"1:dl:u3:s1:m2:g5:p4", "1:dd:u1:n30:p2", "1:ml:rp:p1", "1:s:p3:q15/CT-UBND", "1:s:t1:p2:qbien gioi"} {
		cb, err := decodeCallback(data)
		if err != nil {
			t.Fatalf("decode(%q): %v", data, err)
		}
		if got := cb.encode(); got != data {
			t.Errorf("decode(%q).encode() = %q", data, got)
		}
	}
}

func TestFallbackEndsAtHelp(t *testing.T) {
	start := []callback{
		{Kind: kindDirective, ID: 1},
		{Kind: kindDirectives, Unit: 2, Meeting: 3, Status: store.SetOverdue, Page: 5},
		{Kind: kindSearch, Query: "x", Page: 2},
		{Kind: kindMeeting, ID: 4},
		{Kind: kindDeadlines, Days: 7, Unit: 8, Page: 3},
	}
	for _, cb := range start {
		steps := 0
		for cb.Kind != kindHelp {
			if err := cb.validate(); err != nil {
				t.Fatalf("fallback made an invalid callback %+v: %v", cb, err)
			}
			cb = fallback(cb)
			if steps++; steps > maxFallbacks {
				t.Fatalf("no help after %d fallbacks: %+v", steps, cb)
			}
		}
	}
}
