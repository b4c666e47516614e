package tghtml

import "testing"

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
		{name: "a flag is two characters of two units", in: "🇻🇳", want: 4},
		{name: "emoji between letters", in: "a😀b", want: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UTF16Len(tt.in); got != tt.want {
				t.Errorf("UTF16Len(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{name: "short", in: "Xín Mần", n: 10, want: "Xín Mần"},
		{name: "exact", in: "Xín Mần", n: 7, want: "Xín Mần"},
		{name: "cut in runes, not bytes", in: "Hoàng Su Phì", n: 8, want: "Hoàng S…"},
		{name: "no dangling space or comma", in: "Quản lý, bảo vệ", n: 9, want: "Quản lý…"},
		{name: "line breaks collapse", in: "a\n\nb", n: 5, want: "a b"},
		{name: "ends trimmed", in: "  a  ", n: 5, want: "a"},
		{name: "a flag is two runes", in: "🇻🇳 Hà Giang", n: 4, want: "🇻🇳…"},
		{name: "zero", in: "abc", n: 0, want: "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truncate(tt.in, tt.n); got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}
