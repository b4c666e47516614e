package console

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"

	"meetbot/tghtml"
)

// MaxMessageLength is Telegram's limit on the text of a message, in UTF-16
// code units counted after entity parsing (tghtml.MaxMessageLen).
const MaxMessageLength = tghtml.MaxMessageLen

// HTMLToText turns a message in Telegram's HTML parse mode into the plain
// text Telegram shows, as tghtml.Parse reads it: tags removed (line breaks
// are kept as they are), character references decoded, white space around
// the text trimmed. A link <a href="u">t</a> becomes "t (u)", "t" when t
// is u, and "t" followed by "u" when t is blank; a link with no text shows
// nothing, as in Telegram. Invalid UTF-8 is replaced with U+FFFD first.
//
// The text is always returned. The error, if not nil, says why Telegram
// would refuse the message with "Bad Request": markup tghtml.Parse refuses
// ("can't parse entities: " and Telegram's wording), empty text, or more
// than MaxMessageLength code units. When the markup cannot be parsed, the
// text returned is the markup itself, trimmed, so the console shows what
// the real bot would have sent.
func HTMLToText(s string) (string, error) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	plain, ents, err := tghtml.Parse(s)
	if err != nil {
		return strings.TrimSpace(s), fmt.Errorf("can't parse entities: %w", err)
	}
	text := strings.TrimSpace(withLinks(plain, ents))
	switch n := tghtml.UTF16Len(strings.TrimSpace(plain)); {
	case n == 0:
		return text, errors.New("message text is empty")
	case n > MaxMessageLength:
		return text, fmt.Errorf("message is too long: %d characters, the limit is %d", n, MaxMessageLength)
	}
	return text, nil
}

// withLinks returns plain with the address of every text_link entity
// written after the link's text: "t (u)", just "u" after a blank t, and
// nothing when t is u. Entity offsets are in UTF-16 code units.
func withLinks(plain string, ents []models.MessageEntity) string {
	var links []models.MessageEntity
	for _, e := range ents {
		if e.Type == models.MessageEntityTypeTextLink {
			links = append(links, e)
		}
	}
	if len(links) == 0 {
		return plain
	}
	// By end; of links ending together the inner one (the later start)
	// first, as its text is part of the outer one's.
	slices.SortStableFunc(links, func(a, b models.MessageEntity) int {
		if ea, eb := a.Offset+a.Length, b.Offset+b.Length; ea != eb {
			return ea - eb
		}
		return b.Offset - a.Offset
	})
	u := utf16.Encode([]rune(plain))
	var b strings.Builder
	done := 0
	for _, e := range links {
		end := e.Offset + e.Length
		b.WriteString(string(utf16.Decode(u[done:end])))
		done = end
		switch strings.TrimSpace(string(utf16.Decode(u[e.Offset:end]))) {
		case "":
			b.WriteString(e.URL)
		case e.URL:
		default:
			b.WriteString(" (" + e.URL + ")")
		}
	}
	b.WriteString(string(utf16.Decode(u[done:])))
	return b.String()
}
