package tghtml

import (
	"strings"
	"testing"
)

// visible returns what Telegram shows of s, failing the test when Parse
// refuses s.
func visible(t *testing.T, s string) string {
	t.Helper()
	plain, _, err := Parse(s)
	if err != nil {
		t.Fatalf("invalid HTML: %v\n%s", err, s)
	}
	return plain
}

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain Vietnamese", in: "Biên giới", want: "Biên giới"},
		{name: "markup", in: "<b>x</b>", want: "&lt;b&gt;x&lt;/b&gt;"},
		{name: "ampersand first", in: "&lt;", want: "&amp;lt;"},
		{name: "quote", in: `a "b"`, want: "a &quot;b&quot;"},
		{name: "underscores and emoji are text", in: "_y_ 🙈 *z*", want: "_y_ 🙈 *z*"},
		{name: "invalid UTF-8", in: "a\xffb", want: "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBuilderEscapesEverything(t *testing.T) {
	evil := `<a href="javascript:x">&amp;"'</a>`
	var d Builder
	d.Text(evil).B(evil).I(evil).Code(evil).Link("https://x.vn/?a=1&b=\"2\"", evil).Link("javascript:alert(1)", evil).Textf("%s", evil)
	if got, want := strings.Count(visible(t, d.String()), evil), 7; got != want {
		t.Errorf("the text shows %d times, want %d:\n%s", got, want, d.String())
	}
	if strings.Contains(d.String(), `href="javascript`) {
		t.Errorf("a javascript: link became markup: %s", d.String())
	}
	_, ents, _ := Parse(d.String())
	var links []string
	for _, e := range ents {
		if e.URL != "" {
			links = append(links, e.URL)
		}
	}
	if len(links) != 1 || links[0] != `https://x.vn/?a=1&b="2"` {
		t.Errorf("links %q, want the one https link, decoded", links)
	}
}

func TestBuilder(t *testing.T) {
	tests := []struct {
		name  string
		build func(d *Builder)
		want  string
	}{
		{name: "empty", build: func(d *Builder) {}, want: ""},
		{name: "chained", build: func(d *Builder) { d.Text("📌 ").B("Chỉ đạo").Text(" ").Code("15/CT-UBND").NL().I("ghi chú") },
			want: "📌 <b>Chỉ đạo</b> <code>15/CT-UBND</code>\n<i>ghi chú</i>"},
		{name: "empty elements are left out", build: func(d *Builder) { d.B("").I("").Code("").Text("x") }, want: "x"},
		{name: "trailing lines and spaces dropped", build: func(d *Builder) { d.Text("x ").NL().NL() }, want: "x"},
		{name: "leading lines kept", build: func(d *Builder) { d.NL().Text("x") }, want: "\nx"},
		{name: "textf escapes the result", build: func(d *Builder) { d.Textf("%d%% <%s>", 40, "x") }, want: "40% &lt;x&gt;"},
		{name: "http link", build: func(d *Builder) { d.Link("http://x.vn", "x") }, want: `<a href="http://x.vn">x</a>`},
		{name: "upper-case scheme", build: func(d *Builder) { d.Link("HTTPS://x.vn", "x") }, want: `<a href="HTTPS://x.vn">x</a>`},
		{name: "scheme alone is text", build: func(d *Builder) { d.Link("https://", "x") }, want: "x"},
		{name: "space in URL is text", build: func(d *Builder) { d.Link("https://x.vn/a b", "x") }, want: "x"},
		{name: "tg link is text", build: func(d *Builder) { d.Link("tg://user?id=1", "x") }, want: "x"},
		{name: "relative link is text", build: func(d *Builder) { d.Link("/a", "x") }, want: "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Builder
			tt.build(&d)
			if got := d.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
