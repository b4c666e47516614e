package tghtml

import (
	"strings"
	"testing"
)

// normalise drops white space, which cuts may drop or (between parts)
// add.
func normalise(s string) string { return strings.Join(strings.Fields(s), "") }

func TestSplit(t *testing.T) {
	para := func(n int, word string) string {
		var d Builder
		for i := 0; i < n; i++ {
			d.B("Mục " + strings.Repeat("I", i%4+1)).NL()
			d.Text(strings.Repeat(word+" ", 30)).NL().NL()
		}
		return d.String()
	}
	var bold Builder
	bold.B(strings.Repeat("biên giới & mốc ", 40))
	var link Builder
	link.Link("https://x.vn/?a=1&b=2", strings.Repeat("nguồn tin ", 30))
	var noSpace Builder
	noSpace.Text(strings.Repeat("ả", 130))

	tests := []struct {
		name      string
		html      string
		limit     int
		wantParts int // 0: any number above 1
		// each part must start with (after reopening tags) / contain this
		wantInEach string
	}{
		{name: "short text is one part", html: "<b>Xin chào</b> &amp; tạm biệt", limit: 100, wantParts: 1},
		{name: "exactly the limit", html: strings.Repeat("&amp;", 50), limit: 50, wantParts: 1},
		{name: "one over the limit", html: strings.Repeat("&amp;", 51), limit: 50, wantParts: 2},
		{name: "paragraphs", html: para(12, "Đồn"), limit: 400},
		{name: "a real 5,000-character body", html: para(40, "Biên phòng"), limit: MaxMessageLen},
		{name: "emoji count twice", html: strings.Repeat("👮 ", 60), limit: 50},
		{name: "a bold span longer than a message", html: bold.String(), limit: 120, wantInEach: "<b>"},
		{name: "a line outside tags is preferred to a cut inside one", html: "Tiêu đề\n" + bold.String(), limit: 120},
		{name: "a long link keeps its href", html: link.String(), limit: 80, wantInEach: `<a href="https://x.vn/?a=1&amp;b=2">`},
		{name: "no space at all", html: noSpace.String(), limit: 50},
		{name: "no part of closing tags alone", html: "000 <i>000 </i>", limit: 3, wantParts: 2},
		{name: "no part of white space in a tag", html: "0<b> </b>\n 0", limit: 2, wantParts: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := Split(tt.html, tt.limit)
			if tt.wantParts != 0 && len(parts) != tt.wantParts {
				t.Errorf("%d parts, want %d", len(parts), tt.wantParts)
			}
			if tt.wantParts == 0 && len(parts) < 2 {
				t.Errorf("%d part(s), want a split", len(parts))
			}
			var shown []string
			for i, p := range parts {
				plain, _, err := Parse(p)
				if err != nil {
					t.Errorf("part %d is invalid: %v\n%s", i+1, err, p)
				}
				if n := UTF16Len(plain); n > tt.limit || n == 0 {
					t.Errorf("part %d shows %d characters, want 1–%d", i+1, n, tt.limit)
				}
				if tt.wantInEach != "" && !strings.Contains(p, tt.wantInEach) {
					t.Errorf("part %d lacks %q:\n%s", i+1, tt.wantInEach, p)
				}
				shown = append(shown, plain)
			}
			if got, want := normalise(strings.Join(shown, " ")), normalise(visible(t, tt.html)); got != want {
				t.Errorf("the parts do not show the text:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestSplitPrefersParagraphs: with paragraphs available, every part ends
// at one, outside any tag.
func TestSplitPrefersParagraphs(t *testing.T) {
	var d Builder
	for i := 0; i < 30; i++ {
		d.B("Đoạn").Text(" " + strings.Repeat("chữ ", 40)).NL().NL()
	}
	src := d.String()
	parts := Split(src, 1000)
	for i, p := range parts {
		if !strings.HasPrefix(p, "<b>Đoạn</b>") {
			t.Errorf("part %d does not start a paragraph: %.40q", i+1, p)
		}
		if !strings.Contains(src, p) {
			t.Errorf("part %d was altered (tags closed or reopened)", i+1)
		}
	}
}

func TestSplitEmpty(t *testing.T) {
	if got := Split("", MaxMessageLen); len(got) != 1 || got[0] != "" {
		t.Errorf("Split(\"\") = %q", got)
	}
}

func TestSplitCutsOutsideTagsFirst(t *testing.T) {
	var d Builder
	d.Text("Tiêu đề").NL().B(strings.Repeat("biên giới ", 20))
	parts := Split(d.String(), 120)
	if len(parts) != 3 || parts[0] != "Tiêu đề" {
		t.Fatalf("parts = %q, want the title alone first, then the bold text in two", parts)
	}
	if !strings.HasPrefix(parts[2], "<b>") || !strings.HasSuffix(parts[1], "</b>") {
		t.Errorf("the bold span is not closed and reopened: %q", parts[1:])
	}
}

// FuzzSplit: markup built by Builder from any text splits into parts that
// Telegram accepts, each within the limit, that together show the text.
func FuzzSplit(f *testing.F) {
	f.Add("Tiêu đề", "biên giới & mốc 👮 ", "https://x.vn/?a=1&b=2", uint8(40))
	f.Add("", "ả", "", uint8(2))
	f.Add("a\n\nb", "c d\ne", "javascript:x", uint8(3))
	f.Fuzz(func(t *testing.T, text, bold, url string, limit uint8) {
		if limit < 2 {
			return // a part must hold one character of two units
		}
		var d Builder
		for i := 0; i < 4; i++ {
			d.Text(text).B(bold).NL().Link(url, bold+text).NL().NL().I(text)
		}
		src := d.String()
		parts := Split(src, int(limit))
		var shown []string
		for i, p := range parts {
			plain, _, err := Parse(p)
			if err != nil {
				t.Fatalf("part %d is invalid: %v\n%q\nfrom %q", i+1, err, p, src)
			}
			if n := UTF16Len(plain); n > int(limit) || (n == 0 && len(parts) > 1) {
				t.Errorf("part %d shows %d units, want 1–%d: %q", i+1, n, limit, p)
			}
			shown = append(shown, plain)
		}
		if got, want := normalise(strings.Join(shown, " ")), normalise(visible(t, src)); got != want {
			t.Errorf("the parts do not show the text:\n got %q\nwant %q", got, want)
		}
	})
}
