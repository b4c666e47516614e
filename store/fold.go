package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Lower returns s in Unicode NFC, lower-cased, with runs of white space
// collapsed to one space: the form in which text keeps its diacritics but
// compares without regard to case ("Biên Giới" → "biên giới").
func Lower(s string) string {
	return collapseSpace(strings.ToLower(norm.NFC.String(s)))
}

// Fold returns s lower-cased and without Vietnamese diacritics, with đ
// folded to d: the form in which users type on a phone ("Đồng Văn" →
// "dong van"). Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if isASCII(s) {
		return collapseSpace(strings.ToLower(s))
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		// transform only fails on invalid input it cannot decode; keep the
		// text rather than lose the query.
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return collapseSpace(out)
}

// Tokens splits s into words: maximal runs of letters and digits, in the
// given case and normalisation. Everything else (punctuation, quotes, '*',
// '%', emoji) separates words and is never part of one, so "15/CT-UBND"
// gives ["15", "CT", "UBND"].
func Tokens(s string) []string {
	return strings.FieldsFunc(norm.NFC.String(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
