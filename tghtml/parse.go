package tghtml

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// htmlError is a parse failure worded like the Bot API's ("Unsupported
// start tag ..."); the Bot API prefixes it with "Bad Request: can't parse
// entities: ".
type htmlError string

// Error returns the failure as Telegram words it, without the prefix.
func (e htmlError) Error() string { return string(e) }

func htmlErrf(format string, args ...any) error {
	return htmlError(fmt.Sprintf(format, args...))
}

// htmlTags are the tags the Bot API accepts with parse_mode HTML.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// Parse reads s as the Bot API reads a text sent with parse_mode HTML. It
// returns the text the user sees (tags removed, character references
// decoded, nothing trimmed) and its entities, offsets and lengths in UTF-16
// code units, sorted by offset then longest first. An element with no text
// makes no entity. The error, when s would be refused, is worded as
// Telegram words what follows "Bad Request: can't parse entities: " (for
// example `Unsupported start tag "br" at byte offset 3`).
//
// Rules: only the tags b, strong, i, em, u, ins, s, strike, del, span
// (class="tg-spoiler" required), tg-spoiler, a (href), code (class
// "language-x"), pre, blockquote (optional expandable) and tg-emoji
// (emoji-id required) are accepted, names case-insensitive; tags must be
// balanced and properly nested ("</>" closes the innermost tag); attribute
// values are quoted with ' or ", or are name tokens of letters, digits, '.'
// and '-'; unknown attributes are ignored. Outside tags, '<', '>' and '&'
// must be escaped: only &lt; &gt; &amp; &quot; and numeric &#NNN; / &#xHH;
// references are accepted. This is stricter than Telegram's parser, which
// lets a bare '>' or an '&' that starts no reference through: a bot must
// escape them anyway. Inside quoted attribute values a bare '&' is
// accepted, as Telegram does. Invalid UTF-8 is refused.
func Parse(s string) (plain string, entities []models.MessageEntity, err error) {
	if !utf8.ValidString(s) {
		return "", nil, htmlError("Strings must be encoded in UTF-8")
	}
	var out strings.Builder
	out.Grow(len(s))
	var ents []models.MessageEntity
	var stack []openTag
	u16 := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '&':
			r, n := decodeEntity(s[i:])
			if n == 0 {
				return "", nil, htmlErrf(`Unescaped "&" at byte offset %d: write &amp;`, i)
			}
			out.WriteRune(r)
			u16 += runeUTF16Len(r)
			i += n
		case '>':
			return "", nil, htmlErrf(`Unescaped ">" at byte offset %d: write &gt;`, i)
		case '<':
			var err error
			if i+1 < len(s) && s[i+1] == '/' {
				if len(stack) == 0 {
					return "", nil, htmlErrf("Unexpected end tag at byte offset %d", i)
				}
				var top openTag
				top, i, err = parseEndTag(s, i, stack[len(stack)-1])
				if err != nil {
					return "", nil, err
				}
				stack = stack[:len(stack)-1]
				ents = closeTag(ents, stack, top, u16)
			} else {
				var t openTag
				t, i, err = parseStartTag(s, i)
				if err != nil {
					return "", nil, err
				}
				t.start = u16
				stack = append(stack, t)
			}
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			out.WriteString(s[i : i+n])
			u16 += runeUTF16Len(r)
			i += n
		}
	}
	if len(stack) > 0 {
		return "", nil, htmlErrf("Can't find end tag corresponding to start tag %q", stack[len(stack)-1].name)
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].Offset != ents[b].Offset {
			return ents[a].Offset < ents[b].Offset
		}
		return ents[a].Length > ents[b].Length
	})
	return out.String(), ents, nil
}

// openTag is a start tag not yet closed.
type openTag struct {
	name  string
	arg   string
	start int // UTF-16 offset in the plain text
}

// parseStartTag parses the tag that begins at s[begin] == '<' and returns
// it with the index just past its '>'.
func parseStartTag(s string, begin int) (openTag, int, error) {
	unclosed := htmlErrf("Unclosed start tag at byte offset %d", begin)
	j := begin + 1
	for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
		j++
	}
	if j == len(s) {
		return openTag{}, 0, unclosed
	}
	name := strings.ToLower(s[begin+1 : j])
	if !htmlTags[name] {
		return openTag{}, 0, htmlErrf("Unsupported start tag %q at byte offset %d", name, begin)
	}
	var arg string
	expandable := false
	for {
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j == len(s) {
			return openTag{}, 0, unclosed
		}
		if s[j] == '>' {
			j++
			break
		}
		attrBegin := j
		for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '=' && s[j] != '>' {
			j++
		}
		attr := strings.ToLower(s[attrBegin:j])
		if attr == "" {
			return openTag{}, 0, htmlErrf("Empty attribute name in the tag %q at byte offset %d", name, begin)
		}
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j == len(s) {
			return openTag{}, 0, unclosed
		}
		if s[j] != '=' {
			if name == "blockquote" && attr == "expandable" {
				expandable = true
				continue
			}
			return openTag{}, 0, htmlErrf("Expected equal sign in declaration of an attribute of the tag %q at byte offset %d", name, begin)
		}
		j++
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j == len(s) {
			return openTag{}, 0, htmlErrf("Unclosed start tag %q at byte offset %d", name, begin)
		}
		var val string
		if q := s[j]; q == '"' || q == '\'' {
			j++
			var vb strings.Builder
			for j < len(s) && s[j] != q {
				if s[j] == '&' {
					if r, n := decodeEntity(s[j:]); n > 0 {
						vb.WriteRune(r)
						j += n
						continue
					}
				}
				vb.WriteByte(s[j])
				j++
			}
			if j == len(s) {
				return openTag{}, 0, unclosed
			}
			j++ // the closing quote
			val = vb.String()
		} else {
			tokenBegin := j
			for j < len(s) && (isASCIIAlnum(s[j]) || s[j] == '.' || s[j] == '-') {
				j++
			}
			if j == len(s) {
				return openTag{}, 0, unclosed
			}
			if !isHTMLSpace(s[j]) && s[j] != '>' {
				return openTag{}, 0, htmlErrf("Unexpected end of name token at byte offset %d", tokenBegin)
			}
			val = strings.ToLower(s[tokenBegin:j])
		}
		switch {
		case name == "a" && attr == "href":
			arg = val
		case name == "code" && attr == "class" && strings.HasPrefix(val, "language-"):
			arg = val[len("language-"):]
		case name == "span" && attr == "class" && strings.HasPrefix(val, "tg-"):
			arg = val[len("tg-"):]
		case name == "tg-emoji" && attr == "emoji-id":
			arg = val
		case name == "blockquote" && attr == "expandable":
			expandable = true
		}
	}
	switch name {
	case "span":
		if arg != "spoiler" {
			return openTag{}, 0, htmlErrf(`Tag "span" must have class "tg-spoiler" at byte offset %d`, begin)
		}
	case "tg-emoji":
		if id, err := strconv.ParseInt(arg, 10, 64); err != nil || id <= 0 {
			return openTag{}, 0, htmlError("Invalid custom emoji identifier specified")
		}
	case "blockquote":
		arg = ""
		if expandable {
			arg = "expandable"
		}
	}
	return openTag{name: name, arg: arg}, j, nil
}

// parseEndTag parses the end tag that begins at s[begin] and must close
// top; it returns top and the index just past the '>'.
func parseEndTag(s string, begin int, top openTag) (openTag, int, error) {
	j := begin + 2
	for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
		j++
	}
	name := strings.ToLower(s[begin+2 : j])
	for j < len(s) && isHTMLSpace(s[j]) {
		j++
	}
	if j == len(s) || s[j] != '>' {
		return openTag{}, 0, htmlErrf("Unclosed end tag at byte offset %d", begin)
	}
	if name != "" && name != top.name {
		return openTag{}, 0, htmlErrf(`Unmatched end tag at byte offset %d, expected "</%s>", found "</%s>"`, begin, top.name, name)
	}
	return top, j + 1, nil
}

// closeTag appends the entity of the tag t, closed at UTF-16 offset end,
// with stack holding the tags still open around it.
func closeTag(ents []models.MessageEntity, stack []openTag, t openTag, end int) []models.MessageEntity {
	length := end - t.start
	if t.name == "code" && len(stack) > 0 && stack[len(stack)-1].name == "pre" {
		// <pre><code class="language-x">: the language belongs to the pre
		// entity and the code entity disappears, as in Telegram.
		if parent := &stack[len(stack)-1]; parent.start == t.start && t.arg != "" {
			parent.arg = t.arg
		}
		return ents
	}
	if length == 0 {
		return ents
	}
	e := models.MessageEntity{Offset: t.start, Length: length}
	switch t.name {
	case "b", "strong":
		e.Type = models.MessageEntityTypeBold
	case "i", "em":
		e.Type = models.MessageEntityTypeItalic
	case "u", "ins":
		e.Type = models.MessageEntityTypeUnderline
	case "s", "strike", "del":
		e.Type = models.MessageEntityTypeStrikethrough
	case "span", "tg-spoiler":
		e.Type = models.MessageEntityTypeSpoiler
	case "a":
		if t.arg == "" {
			return ents
		}
		e.Type, e.URL = models.MessageEntityTypeTextLink, t.arg
	case "code":
		e.Type = models.MessageEntityTypeCode
	case "pre":
		e.Type, e.Language = models.MessageEntityTypePre, t.arg
	case "blockquote":
		e.Type = models.MessageEntityTypeBlockquote
		if t.arg == "expandable" {
			e.Type = models.MessageEntityTypeExpandableBlockquote
		}
	case "tg-emoji":
		e.Type, e.CustomEmojiID = models.MessageEntityTypeCustomEmoji, t.arg
	}
	return append(ents, e)
}

// decodeEntity decodes the character entity at the start of s (s[0] is
// '&') and returns the character and the entity's length in bytes, or 0
// when s does not start with an entity the Bot API accepts.
func decodeEntity(s string) (rune, int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 32 {
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
	digits, base := name[1:], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if digits == "" || digits[0] == '+' || digits[0] == '-' {
		return 0, 0
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || v == 0 || v > unicode.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, 0
	}
	return rune(v), end + 1
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
