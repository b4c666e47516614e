package telegramtest

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"meetbot/tghtml"
)

const (
	maxTextLen     = tghtml.MaxMessageLen // UTF-16 code units, after entity parsing
	maxCaptionLen  = 1024
	maxCallbackLen = 64 // bytes
)

// checkText parses text sent with parseMode and checks its length, as a
// message text (non-empty, at most 4096) or as a caption (may be empty, at
// most 1024). It returns the text the user sees and its entities.
func checkText(text, parseMode string, caption bool) (string, []models.MessageEntity, *result) {
	if !utf8.ValidString(text) {
		r := badRequest("strings must be encoded in UTF-8")
		return "", nil, &r
	}
	plain, ents := text, []models.MessageEntity(nil)
	switch {
	case parseMode == "":
	case strings.EqualFold(parseMode, "HTML"):
		var err error
		plain, ents, err = tghtml.Parse(text)
		if err != nil {
			r := badRequest("can't parse entities: " + err.Error())
			return "", nil, &r
		}
	case strings.EqualFold(parseMode, "Markdown"), strings.EqualFold(parseMode, "MarkdownV2"):
		// Not parsed: the text is kept as sent.
	default:
		r := badRequest("unsupported parse_mode")
		return "", nil, &r
	}
	plain, ents = trimText(plain, ents)
	n := tghtml.UTF16Len(plain)
	switch {
	case caption && n > maxCaptionLen:
		r := badRequest("message caption is too long")
		return "", nil, &r
	case !caption && n == 0:
		r := badRequest("message text is empty")
		return "", nil, &r
	case !caption && n > maxTextLen:
		r := badRequest("message is too long")
		return "", nil, &r
	}
	return plain, ents, nil
}

// trimText trims white space around the text, as Telegram does, and moves
// the entities with it.
func trimText(plain string, ents []models.MessageEntity) (string, []models.MessageEntity) {
	trimmed := strings.TrimLeftFunc(plain, unicode.IsSpace)
	lead := tghtml.UTF16Len(plain[:len(plain)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	size := tghtml.UTF16Len(trimmed)
	var out []models.MessageEntity
	for _, e := range ents {
		start, end := max(e.Offset-lead, 0), min(e.Offset+e.Length-lead, size)
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return trimmed, out
}

// inlineActions are the fields that give an inline keyboard button
// something to do.
var inlineActions = []string{
	"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"callback_game", "pay", "copy_text",
}

// parseMarkup checks reply_markup and returns its inline keyboard, or nil
// when there is none (or another kind of keyboard).
func parseMarkup(raw string) (*models.InlineKeyboardMarkup, *result) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	bad := func(desc string) (*models.InlineKeyboardMarkup, *result) {
		r := badRequest(desc)
		return nil, &r
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &top); err != nil {
		return bad("can't parse reply keyboard markup JSON object")
	}
	kb, found := top["inline_keyboard"]
	if !found {
		return nil, nil
	}
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(kb, &rows); err != nil {
		return bad(`field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
	}
	for _, row := range rows {
		for _, b := range row {
			var text string
			if err := json.Unmarshal(b["text"], &text); err != nil || text == "" {
				return bad("can't parse inline keyboard button: Text must be non-empty")
			}
			actions := 0
			for _, a := range inlineActions {
				v, present := b[a]
				if !present || string(v) == "null" || string(v) == "false" {
					continue
				}
				if a == "copy_text" {
					// go-telegram/bot always sends copy_text, empty.
					var ct struct{ Text string }
					if json.Unmarshal(v, &ct) != nil || ct.Text == "" {
						continue
					}
				}
				actions++
			}
			if actions == 0 {
				return bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
			if v, present := b["callback_data"]; present {
				var data string
				if err := json.Unmarshal(v, &data); err != nil || len(data) == 0 || len(data) > maxCallbackLen {
					return bad("BUTTON_DATA_INVALID")
				}
			}
			if v, present := b["url"]; present {
				var link string
				if err := json.Unmarshal(v, &link); err != nil || link == "" {
					return bad("BUTTON_URL_INVALID")
				}
				if _, err := url.Parse(link); err != nil {
					return bad("BUTTON_URL_INVALID")
				}
			}
		}
	}
	var m models.InlineKeyboardMarkup
	if err := json.Unmarshal(kb, &m.InlineKeyboard); err != nil {
		return bad(`field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
	}
	return &m, nil
}

// sameMarkup reports whether two inline keyboards are equal.
func sameMarkup(a, b *models.InlineKeyboardMarkup) bool {
	if a == nil || b == nil {
		return (a == nil || len(a.InlineKeyboard) == 0) && (b == nil || len(b.InlineKeyboard) == 0)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
