package tghtml

import (
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string // the error text; empty for success
	}{
		{name: "plain Vietnamese", in: "Họp giao ban tuần, văn bản 15/CT-UBND", want: "Họp giao ban tuần, văn bản 15/CT-UBND"},
		{name: "bold", in: "<b>Quan trọng</b>: họp lúc 8h", want: "Quan trọng: họp lúc 8h"},
		{name: "named entities", in: "a &lt; b &amp;&amp; c &gt; d &quot;x&quot;", want: `a < b && c > d "x"`},
		{name: "numeric entities", in: "&#65;&#x42;&#X43;&#128512;&#39;", want: "ABC😀'"},
		{name: "nested", in: "<b><i>Mèo</i> Vạc</b>", want: "Mèo Vạc"},
		{name: "every style tag", in: `<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del><span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler>`, want: "abcdefghi"},
		{name: "uppercase tags", in: "<B>x</B>", want: "x"},
		{name: "empty end tag", in: "<b>x</>", want: "x"},
		{name: "link double quotes", in: `<a href="https://x.vn/?a=1&amp;b=2">liên kết</a>`, want: "liên kết"},
		{name: "link single quotes", in: `<a href='https://x.vn'>y</a>`, want: "y"},
		{name: "bare ampersand inside attribute", in: `<a href="https://x.vn/?a=1&b=2">y</a>`, want: "y"},
		{name: "unquoted attribute token", in: `<pre><code class=language-go>x := 1</code></pre>`, want: "x := 1"},
		{name: "spaces in tags", in: "<b >x</b >", want: "x"},
		{name: "unknown attribute ignored", in: `<b class="x">y</b>`, want: "y"},
		{name: "pre with language", in: `<pre><code class="language-go">fmt.Println("hi")</code></pre>`, want: `fmt.Println("hi")`},
		{name: "expandable blockquote", in: "<blockquote expandable>trích dẫn</blockquote>", want: "trích dẫn"},
		{name: "custom emoji", in: `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, want: "👍"},
		{name: "empty element", in: "<b></b>x", want: "x"},
		{name: "newlines kept", in: "😀\n<i>ok</i>\n", want: "😀\nok\n"},

		{name: "bare ampersand", in: "Tom & Jerry", wantErr: `Unescaped "&" at byte offset 4: write &amp;`},
		{name: "unsupported named entity", in: "it&apos;s", wantErr: `Unescaped "&" at byte offset 2: write &amp;`},
		{name: "entity without semicolon", in: "&lt b", wantErr: `Unescaped "&" at byte offset 0: write &amp;`},
		{name: "numeric zero", in: "&#0;", wantErr: `Unescaped "&" at byte offset 0: write &amp;`},
		{name: "numeric surrogate", in: "&#xD800;", wantErr: `Unescaped "&" at byte offset 0: write &amp;`},
		{name: "bare greater than", in: "a > b", wantErr: `Unescaped ">" at byte offset 2: write &gt;`},
		{name: "bare less than", in: "a < b", wantErr: `Unsupported start tag "" at byte offset 2`},
		{name: "unclosed b", in: "<b>đậm", wantErr: `Can't find end tag corresponding to start tag "b"`},
		{name: "crossed tags", in: "<b><i></b></i>", wantErr: `Unmatched end tag at byte offset 6, expected "</i>", found "</b>"`},
		{name: "script", in: "<script>alert(1)</script>", wantErr: `Unsupported start tag "script" at byte offset 0`},
		{name: "br", in: "dòng 1<br>dòng 2", wantErr: `Unsupported start tag "br" at byte offset 7`},
		{name: "self-closing", in: "<b/>", wantErr: `Unsupported start tag "b/" at byte offset 0`},
		{name: "end tag without start", in: "x</b>", wantErr: "Unexpected end tag at byte offset 1"},
		{name: "span without class", in: "<span>x</span>", wantErr: `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{name: "span with other class", in: `<span class="big">x</span>`, wantErr: `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{name: "unclosed start tag", in: "<b", wantErr: "Unclosed start tag at byte offset 0"},
		{name: "unterminated quote", in: `<a href="https://x.vn>y</a>`, wantErr: "Unclosed start tag at byte offset 0"},
		{name: "unquoted URL", in: "<a href=https://x.vn>y</a>", wantErr: "Unexpected end of name token at byte offset 8"},
		{name: "attribute without value", in: "<a href>y</a>", wantErr: `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{name: "empty attribute name", in: `<b ="x">y</b>`, wantErr: `Empty attribute name in the tag "b" at byte offset 0`},
		{name: "unclosed end tag", in: "<b>x</b", wantErr: "Unclosed end tag at byte offset 4"},
		{name: "emoji without id", in: "<tg-emoji>👍</tg-emoji>", wantErr: "Invalid custom emoji identifier specified"},
		{name: "invalid UTF-8", in: "a\xffb", wantErr: "Strings must be encoded in UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %q, want error %q", tt.in, got, tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Fatalf("Parse(%q) error = %q, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseEntities(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []models.MessageEntity
	}{
		{
			name: "offsets after an emoji are in UTF-16 units",
			in:   "😀 <b>Hà Giang</b>",
			want: []models.MessageEntity{{Type: models.MessageEntityTypeBold, Offset: 3, Length: 8}},
		},
		{
			name: "outer entity first",
			in:   "<b>a<i>b</i></b>",
			want: []models.MessageEntity{
				{Type: models.MessageEntityTypeBold, Offset: 0, Length: 2},
				{Type: models.MessageEntityTypeItalic, Offset: 1, Length: 1},
			},
		},
		{
			name: "link with decoded URL",
			in:   `<a href="https://x.vn/?a=1&amp;b=2">x</a>`,
			want: []models.MessageEntity{{Type: models.MessageEntityTypeTextLink, Offset: 0, Length: 1, URL: "https://x.vn/?a=1&b=2"}},
		},
		{
			name: "pre takes the language of its code",
			in:   `<pre><code class="language-go">x</code></pre>`,
			want: []models.MessageEntity{{Type: models.MessageEntityTypePre, Offset: 0, Length: 1, Language: "go"}},
		},
		{
			name: "expandable blockquote and spoiler",
			in:   `<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>`,
			want: []models.MessageEntity{
				{Type: models.MessageEntityTypeExpandableBlockquote, Offset: 0, Length: 1},
				{Type: models.MessageEntityTypeSpoiler, Offset: 1, Length: 1},
			},
		},
		{name: "empty element makes no entity", in: "<b></b>x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) entities (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// FuzzParse: whatever the input, Parse does not panic, and what it accepts
// has entities inside the text, in order, and text that is valid UTF-8.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"<b>x</b>", `<a href="https://x.vn">t</a>`, "&lt;&#x1F600;", "<", "&", "<a href=", "\xff",
		"<pre><code class=\"language-go\">x</code></pre>", "<b><i>😀</i></b>", "<blockquote expandable>q</blockquote>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, ents, err := Parse(s)
		if err != nil {
			return
		}
		if !utf8.ValidString(plain) {
			t.Errorf("Parse(%q) = %q: invalid UTF-8", s, plain)
		}
		n := UTF16Len(plain)
		for i, e := range ents {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Errorf("Parse(%q): entity %+v outside the text of %d units", s, e, n)
			}
			if i > 0 && ents[i-1].Offset > e.Offset {
				t.Errorf("Parse(%q): entities out of order: %+v", s, ents)
			}
		}
	})
}
