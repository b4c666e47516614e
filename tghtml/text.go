package tghtml

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessageLen is Telegram's limit on a message's text, in UTF-16 code
// units of the text after entity parsing (tags do not count, "&amp;"
// counts as one).
const MaxMessageLen = 4096

// UTF16Len returns the length of s in UTF-16 code units, the unit of
// Telegram's length limits and entity offsets. A character outside the
// Basic Multilingual Plane (most emoji) counts 2; a precomposed
// Vietnamese letter counts 1.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUTF16Len(r)
	}
	return n
}

// runeUTF16Len is the number of UTF-16 code units that encode r.
func runeUTF16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// Truncate shortens the plain text s to at most n characters (runes),
// ending with "…" when cut, without a space or punctuation before the
// "…". Runs of white space (line breaks in titles) become one space, and
// white space at either end is dropped, cut or not.
func Truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:max(n-1, 0)]
	cut := strings.TrimRightFunc(string(r), func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c)
	})
	return cut + "…"
}
