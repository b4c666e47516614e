package tghtml

import (
	"strings"
	"unicode/utf8"
)

// htmlToken is a piece of Telegram HTML: a tag, a character reference or
// one character of text.
type htmlToken struct {
	s     string
	width int    // UTF-16 code units it shows as
	tag   string // tag name for tags ("b", "a"), "" otherwise
	close bool   // a closing tag
}

// tokenizeHTML splits markup made by Builder into tokens. It relies on
// what Builder guarantees: '<' and '&' in text are always escaped, and '>'
// never occurs inside a tag's attribute.
func tokenizeHTML(s string) []htmlToken {
	var toks []htmlToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				end = len(s) - i - 1
			}
			raw := s[i : i+end+1]
			t := htmlToken{s: raw}
			name := strings.TrimPrefix(raw[1:], "/")
			t.close = len(name) < len(raw)-1
			if j := strings.IndexAny(name, " >"); j >= 0 {
				name = name[:j]
			}
			t.tag = name
			toks = append(toks, t)
			i += end + 1
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 10 {
				end = 0 // a bare '&' (never made by Builder): one character
			}
			toks = append(toks, htmlToken{s: s[i : i+end+1], width: 1})
			i += end + 1
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			toks = append(toks, htmlToken{s: s[i : i+n], width: runeUTF16Len(r)})
			i += n
		}
	}
	return toks
}

// Split splits markup into messages of at most limit UTF-16 code units
// of visible text each (MaxMessageLen for Telegram's limit). It cuts at a
// paragraph break, else a line break, else a space, preferring cuts outside
// any tag and cuts that fill at least half a message, and cuts between
// characters only when a line has no space. A cut never falls inside a tag
// or a character reference; when it must fall inside an element (a bold
// span longer than a message), the element is closed at the end of the
// part and opened again at the start of the next, so every part is valid
// on its own. White space around cuts is dropped, and so is white space
// that would make a part on its own: every part shows something, unless
// the markup as a whole shows nothing, which gives a single part. The
// result is never empty.
//
// The markup must be as Builder writes it: text escaped, balanced tags,
// no '>' inside attribute values.
func Split(s string, limit int) []string {
	toks := tokenizeHTML(s)
	var parts []string
	var open []htmlToken // elements open at the start of the current part
	start := 0
	for start < len(toks) {
		// Skip white space at the start of a part.
		for start < len(toks) && (toks[start].s == "\n" || toks[start].s == " ") {
			start++
		}
		if start == len(toks) {
			break
		}
		type cut struct {
			at    int // token index where the next part starts
			width int
			open  []htmlToken
		}
		var para, line, space, paraIn, lineIn, spaceIn *cut
		stack := append([]htmlToken(nil), open...)
		width, shown := 0, 0 // shown: width of characters other than white space
		i := start
		for ; i < len(toks); i++ {
			t := toks[i]
			if width+t.width > limit {
				break
			}
			width += t.width
			switch {
			case (t.s == "\n" || t.s == " ") && shown == 0:
				// A cut here would leave a part with nothing to show.
			case t.tag != "" && t.close:
				if n := len(stack); n > 0 {
					stack = stack[:n-1]
				}
			case t.tag != "":
				stack = append(stack, t)
			case t.s == "\n" || t.s == " ":
				c := &cut{at: i + 1, width: width, open: append([]htmlToken(nil), stack...)}
				isPara := t.s == "\n" && i > start && toks[i-1].s == "\n"
				switch {
				case isPara && len(stack) == 0:
					para = c
				case isPara:
					paraIn = c
				case t.s == "\n" && len(stack) == 0:
					line = c
				case t.s == "\n":
					lineIn = c
				case len(stack) == 0:
					space = c
				default:
					spaceIn = c
				}
			default:
				shown += t.width
			}
		}
		if i == len(toks) {
			// The rest, unless all it has left is white space and tags
			// (an element's closing tag after a cut inside it).
			if shown > 0 || len(parts) == 0 {
				parts = append(parts, joinPart(toks[start:], open, nil))
			}
			break
		}
		// Choose a cut: a good one that fills at least half the message,
		// else the best one that exists, else between characters.
		var c *cut
		for _, cand := range []*cut{para, line, space} {
			if cand != nil && cand.width >= limit/2 {
				c = cand
				break
			}
		}
		for _, cand := range []*cut{para, line, space, paraIn, lineIn, spaceIn} {
			if c == nil && cand != nil {
				c = cand
			}
		}
		if c == nil {
			if shown == 0 && i > start {
				// More white space than a part holds, inside tags, before
				// anything to show: drop it rather than send a part that
				// shows nothing, and go on with the tags it left open.
				open, start = stack, i
				continue
			}
			c = &cut{at: i, open: stack}
			if i == start { // cannot happen with limit ≥ 2; never loop forever
				c.at = i + 1
			}
		}
		parts = append(parts, joinPart(toks[start:c.at], open, c.open))
		open = c.open
		start = c.at
	}
	if len(parts) == 0 {
		return []string{""}
	}
	return parts
}

// joinPart writes toks, first reopening the elements in reopen and last
// closing those in unclosed, with trailing white space dropped.
func joinPart(toks []htmlToken, reopen, unclosed []htmlToken) string {
	for len(toks) > 0 && (toks[len(toks)-1].s == "\n" || toks[len(toks)-1].s == " ") {
		toks = toks[:len(toks)-1]
	}
	var b strings.Builder
	for _, t := range reopen {
		b.WriteString(t.s)
	}
	for _, t := range toks {
		b.WriteString(t.s)
	}
	for i := len(unclosed) - 1; i >= 0; i-- {
		b.WriteString("</" + unclosed[i].tag + ">")
	}
	return b.String()
}
