package telegramtest

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

func TestParseHTML(t *testing.T) {
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
			got, err := ParseHTML(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseHTML(%q) = %q, want error %q", tt.in, got, tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Fatalf("ParseHTML(%q) error = %q, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHTML(%q) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseHTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseHTMLEntities(t *testing.T) {
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
			_, got, err := parseHTML(tt.in)
			if err != nil {
				t.Fatalf("parseHTML(%q) error = %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseHTML(%q) entities (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestUTF16Len(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{name: "ASCII", in: "abc", want: 3},
		{name: "precomposed Vietnamese", in: "Mèo Vạc", want: 7},
		{name: "emoji counts two", in: "😀", want: 2},
		{name: "mixed", in: "Quản lý 👍", want: 10},
		{name: "empty", in: "", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UTF16Len(tt.in); got != tt.want {
				t.Errorf("UTF16Len(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestCheckTextLength(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		mode    string
		caption bool
		wantErr string
	}{
		{name: "4096 letters", text: strings.Repeat("a", 4096)},
		{name: "4097 letters", text: strings.Repeat("a", 4097), wantErr: "Bad Request: message is too long"},
		{name: "2048 emoji are 4096 units", text: strings.Repeat("😀", 2048)},
		{name: "2049 emoji are too long", text: strings.Repeat("😀", 2049), wantErr: "Bad Request: message is too long"},
		{name: "tags do not count", text: strings.Repeat("<b>a</b>", 4096), mode: "HTML"},
		{name: "entities count once", text: strings.Repeat("&amp;", 4097), mode: "HTML", wantErr: "Bad Request: message is too long"},
		{name: "empty", text: "", wantErr: "Bad Request: message text is empty"},
		{name: "only white space", text: " \n\t", wantErr: "Bad Request: message text is empty"},
		{name: "only tags", text: "<b></b>", mode: "HTML", wantErr: "Bad Request: message text is empty"},
		{name: "empty caption is fine", text: "", caption: true},
		{name: "caption over 1024", text: strings.Repeat("a", 1025), caption: true, wantErr: "Bad Request: message caption is too long"},
		{name: "lower-case html mode", text: "<b>x</b>", mode: "html"},
		{name: "unknown parse mode", text: "x", mode: "XML", wantErr: "Bad Request: unsupported parse_mode"},
		{name: "bad HTML", text: "a & b", mode: "HTML", wantErr: `Bad Request: can't parse entities: Unescaped "&" at byte offset 2: write &amp;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, res := checkText(tt.text, tt.mode, tt.caption)
			got := ""
			if res != nil {
				got = res.description
			}
			if got != tt.wantErr {
				t.Errorf("checkText error = %q, want %q", got, tt.wantErr)
			}
		})
	}
}
