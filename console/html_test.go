package console

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string // substring; "" means no error
	}{
		{name: "plain", in: "Xin chào", want: "Xin chào"},
		{name: "bold and italic", in: "<b>Cuộc họp</b> <i>sắp tới</i>", want: "Cuộc họp sắp tới"},
		{name: "strong em u s", in: "<strong>a</strong><em>b</em><u>c</u><s>d</s><ins>e</ins><del>f</del><strike>g</strike>", want: "abcdefg"},
		{name: "line breaks kept", in: "<b>Tiêu đề</b>\n\n1. Một\n2. Hai", want: "Tiêu đề\n\n1. Một\n2. Hai"},
		{name: "link", in: `Xem <a href="https://vpub.gov.vn/a?b=1&amp;c=2">văn bản</a>.`, want: "Xem văn bản (https://vpub.gov.vn/a?b=1&c=2)."},
		{name: "link text is the url", in: `<a href="https://x.vn">https://x.vn</a>`, want: "https://x.vn"},
		{name: "link with blank text", in: `Mở:<a href="https://x.vn"> </a>`, want: "Mở: https://x.vn"},
		{name: "empty link shows nothing, as in Telegram", in: `Mở: <a href="https://x.vn"></a>`, want: "Mở:"},
		{name: "link single quotes", in: `<a href='https://x.vn/q'>đây</a>`, want: "đây (https://x.vn/q)"},
		{name: "link with bold inside", in: `<a href="https://x.vn"><b>Đậm</b></a>`, want: "Đậm (https://x.vn)"},
		{name: "links after emoji", in: `😀 <a href="https://a.vn">a</a> 🇻🇳 <a href="https://b.vn">b</a>!`, want: "😀 a (https://a.vn) 🇻🇳 b (https://b.vn)!"},
		{name: "named entities", in: "&lt;b&gt; &amp; &quot;15/CT-UBND&quot;", want: `<b> & "15/CT-UBND"`},
		{name: "numeric entities", in: "&#39;a&#39; &#x1F600; &#7871;", want: "'a' 😀 ế"},
		{name: "code and pre", in: "<code>15/CT-UBND</code>\n<pre><code class=\"language-go\">x := 1</code></pre>", want: "15/CT-UBND\nx := 1"},
		{name: "blockquote and spoiler", in: "<blockquote expandable>Trích</blockquote><tg-spoiler>bí mật</tg-spoiler><span class=\"tg-spoiler\">!</span>", want: "Tríchbí mật!"},
		{name: "tag case", in: "<B>x</B>", want: "x"},
		{name: "emoji", in: "📅 <b>Hôm nay</b> 🇻🇳", want: "📅 Hôm nay 🇻🇳"},
		{name: "trimmed", in: "\n  <b>x</b>  \n", want: "x"},
		{name: "invalid utf-8", in: "a\xffb", want: "a\uFFFDb"},

		// Refused: the markup is shown as it is, with Telegram's reason.
		{name: "unknown entity", in: "a&nbsp;b", want: "a&nbsp;b", wantErr: `can't parse entities: Unescaped "&" at byte offset 1: write &amp;`},
		{name: "bare ampersand", in: "A & B", want: "A & B", wantErr: `Unescaped "&" at byte offset 2`},
		{name: "bare greater than", in: "5 > 3", want: "5 > 3", wantErr: `Unescaped ">" at byte offset 2`},
		{name: "invalid numeric entity", in: "&#xD800;", want: "&#xD800;", wantErr: `Unescaped "&" at byte offset 0`},
		{name: "stray less than", in: "1 < 2", want: "1 < 2", wantErr: `Unsupported start tag "" at byte offset 2`},
		{name: "br not supported", in: "a<br>b", want: "a<br>b", wantErr: `Unsupported start tag "br" at byte offset 1`},
		{name: "unknown tag", in: "<div>x</div>", want: "<div>x</div>", wantErr: `Unsupported start tag "div"`},
		{name: "unclosed tag", in: "<b>x", want: "<b>x", wantErr: `Can't find end tag corresponding to start tag "b"`},
		{name: "unmatched end", in: "x</i>", want: "x</i>", wantErr: "Unexpected end tag at byte offset 1"},
		{name: "misnested", in: "<b><i>x</b></i>", want: "<b><i>x</b></i>", wantErr: `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{name: "unterminated tag", in: "a <b", want: "a <b", wantErr: "Unclosed start tag at byte offset 2"},
		{name: "span without class", in: "<span>x</span>", want: "<span>x</span>", wantErr: `Tag "span" must have class "tg-spoiler"`},
		{name: "empty", in: "<b> </b>", want: "", wantErr: "message text is empty"},
		{name: "blank link is empty too", in: `<a href="https://x.vn"> </a>`, want: "https://x.vn", wantErr: "message text is empty"},
		{name: "too long", in: strings.Repeat("ă", MaxMessageLength+1), want: strings.Repeat("ă", MaxMessageLength+1), wantErr: "message is too long: 4097 characters, the limit is 4096"},
		{name: "at the limit", in: strings.Repeat("ă", MaxMessageLength), want: strings.Repeat("ă", MaxMessageLength)},
		{name: "emoji count two", in: strings.Repeat("😀", MaxMessageLength/2+1), want: strings.Repeat("😀", MaxMessageLength/2+1), wantErr: "message is too long: 4098 characters"},
		{name: "link addresses do not count", in: strings.Repeat("ă", MaxMessageLength-1) + `<a href="https://x.vn">b</a>`, want: strings.Repeat("ă", MaxMessageLength-1) + "b (https://x.vn)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTMLToText(tt.in)
			if got != tt.want {
				t.Errorf("HTMLToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("HTMLToText(%q) error = %v, want nil", tt.in, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("HTMLToText(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"<b>x</b>", `<a href="u">t</a>`, "&lt;&#x1F600;", "<", "&", "<a href=", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _ := HTMLToText(s)
		if !strings.Contains(s, "\uFFFD") && strings.Contains(got, "\uFFFD") && !strings.Contains(s, "&#") && isValid(s) {
			t.Errorf("HTMLToText(%q) = %q: a replacement character from valid input", s, got)
		}
	})
}

func isValid(s string) bool { return strings.ToValidUTF8(s, "") == s }
