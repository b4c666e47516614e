package handlers

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// command is a parsed command: "/Directives@MeetBot xin-man quá hạn" has
// Name "directives" and Args "xin-man quá hạn".
type command struct {
	// Name is lower-case, without '/' and without "@bot".
	Name string
	// Args is the text after the command, trimmed.
	Args string
	// Addressed is true when the command named this bot ("/cmd@bot").
	Addressed bool
}

// parseResult tells what a message's text is.
type parseResult uint8

// Outcomes of parseCommand.
const (
	notCommand  parseResult = iota // plain text
	ourCommand                     // a command for this bot
	otherTarget                    // a command addressed to another bot: ignore it
)

// parseCommand finds the command in a message. With entities (Telegram),
// the first bot_command entity is the command wherever it is, and the
// arguments are the text after it; offsets and lengths count UTF-16 code
// units, as Telegram sends them. Without one (the console, or a text such
// as "/!!!" that Telegram does not mark), a text that starts with '/' is a
// command. "/cmd@name" is ours when name equals botUsername (any case) or
// botUsername is empty, and another bot's otherwise.
func parseCommand(text string, entities []models.MessageEntity, botUsername string) (command, parseResult) {
	var u16 []uint16
	for _, e := range entities {
		if e.Type != models.MessageEntityTypeBotCommand {
			continue
		}
		if u16 == nil {
			u16 = utf16.Encode([]rune(text))
		}
		if e.Offset < 0 || e.Length < 2 || e.Offset > len(u16)-e.Length {
			continue // malformed: only a forged update carries one
		}
		token := string(utf16.Decode(u16[e.Offset : e.Offset+e.Length]))
		if !strings.HasPrefix(token, "/") {
			continue
		}
		rest := string(utf16.Decode(u16[e.Offset+e.Length:]))
		return splitCommand(token, rest, botUsername)
	}
	t := strings.TrimLeftFunc(text, unicode.IsSpace)
	if !strings.HasPrefix(t, "/") {
		return command{}, notCommand
	}
	end := strings.IndexFunc(t, unicode.IsSpace)
	if end < 0 {
		end = len(t)
	}
	return splitCommand(t[:end], t[end:], botUsername)
}

// splitCommand reads "/name[@bot]" and the text after it.
func splitCommand(token, rest, botUsername string) (command, parseResult) {
	name, target, addressed := strings.Cut(strings.TrimPrefix(token, "/"), "@")
	if addressed && botUsername != "" && !strings.EqualFold(target, strings.TrimPrefix(botUsername, "@")) {
		return command{}, otherTarget
	}
	return command{Name: strings.ToLower(name), Args: strings.TrimSpace(rest), Addressed: addressed}, ourCommand
}

// validCommandName reports whether name can be a Telegram command:
// 1–32 of a-z, 0-9 and '_'.
func validCommandName(name string) bool {
	if name == "" || len(name) > 32 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// closestCommand returns the known command nearest to name and its edit
// distance.
func closestCommand(name string) (string, int) {
	best, bestDist := "", -1
	for _, c := range commandDocs {
		d := editDistance(name, c.Name)
		// A typed prefix ("/dead") is as good as a one-letter typo.
		if len(name) >= 3 && strings.HasPrefix(c.Name, name) {
			d = min(d, 1)
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c.Name, d
		}
	}
	return best, bestDist
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 {
		ra = ra[:64] // a 5,000-character "command" is nothing like ours
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
