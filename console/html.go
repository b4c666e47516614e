package console

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxMessageLength is Telegram's limit on the text of a message, counted
// after entity parsing.
const MaxMessageLength = 4096

// telegramTags are the tags Telegram's HTML parse mode accepts
// (https://core.telegram.org/bots/api#html-style).
var telegramTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
	"tg-time": true,
}

// HTMLToText turns a message in Telegram's HTML parse mode into readable
// plain text: tags are removed (line breaks are kept as they are), a link
// <a href="u">t</a> becomes "t (u)" (just "u" when t is u or empty), and
// the entities Telegram knows (&lt; &gt; &amp; &quot; and numeric ones)
// are decoded; anything else is kept literally.
//
// The text is always returned. The error, if not nil, says why Telegram
// would refuse the message with "Bad Request" (an unsupported or unclosed
// tag, a stray '<', empty text, more than MaxMessageLength characters),
// so the console can show what the real bot would fail on.
func HTMLToText(s string) (string, error) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	type open struct {
		name  string
		href  string
		start int // length of out when the tag opened
	}
	var (
		out   strings.Builder
		stack []open
		errs  []string
	)
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf(format, args...))
	}
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			t, n, err := parseTag(s[i:])
			if err != nil {
				fail("%s at byte offset %d", err, i)
				out.WriteByte('<')
				i++
				continue
			}
			i += n
			if !telegramTags[t.name] {
				fail("unsupported tag %q", t.name)
				continue
			}
			if t.closing {
				j := len(stack) - 1
				for j >= 0 && stack[j].name != t.name {
					j--
				}
				if j < 0 {
					fail("unmatched end tag %q", t.name)
					continue
				}
				if j != len(stack)-1 {
					fail("end tag %q closes %q too early", t.name, stack[len(stack)-1].name)
				}
				o := stack[j]
				stack = stack[:j]
				if o.name == "a" && o.href != "" {
					text := strings.TrimSpace(out.String()[o.start:])
					switch text {
					case "":
						out.WriteString(o.href)
					case o.href:
					default:
						out.WriteString(" (" + o.href + ")")
					}
				}
				continue
			}
			if t.name == "span" && t.attrs["class"] != "tg-spoiler" {
				fail(`tag "span" must have class "tg-spoiler"`)
			}
			if t.selfClosing {
				continue
			}
			stack = append(stack, open{name: t.name, href: t.attrs["href"], start: out.Len()})
		case '&':
			r, n := decodeEntity(s[i:])
			if n == 0 {
				out.WriteByte('&')
				i++
				continue
			}
			out.WriteRune(r)
			i += n
		default:
			j := strings.IndexAny(s[i:], "<&")
			if j < 0 {
				j = len(s) - i
			}
			out.WriteString(s[i : i+j])
			i += j
		}
	}
	for _, o := range stack {
		fail("can't find end tag corresponding to start tag %q", o.name)
	}
	text := strings.TrimSpace(out.String())
	if text == "" {
		fail("message text is empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxMessageLength {
		fail("message is too long: %d characters, the limit is %d", n, MaxMessageLength)
	}
	if len(errs) > 0 {
		return text, errors.New("can't parse entities: " + strings.Join(errs, "; "))
	}
	return text, nil
}

type tag struct {
	name        string // lower case
	closing     bool
	selfClosing bool
	attrs       map[string]string // values entity-decoded
}

// parseTag parses the tag at the start of s (which begins with '<') and
// returns it with its length in bytes.
func parseTag(s string) (tag, int, error) {
	var t tag
	i := 1
	if i < len(s) && s[i] == '/' {
		t.closing = true
		i++
	}
	start := i
	for i < len(s) && (isASCIILetter(s[i]) || (i > start && (isDigit(s[i]) || s[i] == '-'))) {
		i++
	}
	if i == start {
		return tag{}, 0, errors.New("'<' does not start a tag (write &lt;)")
	}
	t.name = strings.ToLower(s[start:i])
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return tag{}, 0, fmt.Errorf("unclosed tag %q", t.name)
		}
		switch {
		case s[i] == '>':
			return t, i + 1, nil
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '>':
			t.selfClosing = true
			return t, i + 2, nil
		case t.closing:
			return tag{}, 0, fmt.Errorf("unexpected text in end tag %q", t.name)
		}
		nameStart := i
		for i < len(s) && (isASCIILetter(s[i]) || isDigit(s[i]) || s[i] == '-' || s[i] == '_') {
			i++
		}
		if i == nameStart {
			return tag{}, 0, fmt.Errorf("bad attribute in tag %q", t.name)
		}
		name := strings.ToLower(s[nameStart:i])
		value := ""
		if i < len(s) && s[i] == '=' {
			i++
			if i >= len(s) {
				return tag{}, 0, fmt.Errorf("unclosed tag %q", t.name)
			}
			if q := s[i]; q == '"' || q == '\'' {
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					return tag{}, 0, fmt.Errorf("unclosed attribute value in tag %q", t.name)
				}
				value = s[i+1 : i+1+end]
				i += end + 2
			} else {
				vs := i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
					i++
				}
				value = s[vs:i]
			}
		}
		if t.attrs == nil {
			t.attrs = map[string]string{}
		}
		t.attrs[name] = decodeEntities(value)
	}
}

// decodeEntity decodes the entity at the start of s (which begins with
// '&'). It returns the rune and the entity's length, or 0 if s does not
// start with an entity Telegram knows.
func decodeEntity(s string) (rune, int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 12 {
		return 0, 0
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "quot":
		return '"', end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || n == 0 || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return 0, 0
	}
	return rune(n), end + 1
}

// decodeEntities decodes every entity of s that decodeEntity knows.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			if r, n := decodeEntity(s[i:]); n > 0 {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
