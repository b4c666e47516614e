package handlers

import (
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

func cmdEntity(offset, length int) models.MessageEntity {
	return models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: offset, Length: length}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		entities []models.MessageEntity
		bot      string
		want     command
		result   parseResult
	}{
		{name: "plain command", text: "/help", entities: []models.MessageEntity{cmdEntity(0, 5)}, bot: "MeetBot",
			want: command{Name: "help"}, result: ourCommand},
		{name: "arguments trimmed", text: "/directives   xin-man quá hạn  ", entities: []models.MessageEntity{cmdEntity(0, 11)},
			want: command{Name: "directives", Args: "xin-man quá hạn"}, result: ourCommand},
		{name: "name is case-insensitive", text: "/DIRECTIVES xin-man", entities: []models.MessageEntity{cmdEntity(0, 11)},
			want: command{Name: "directives", Args: "xin-man"}, result: ourCommand},
		// "Chào bot 👋 " is 15 bytes, 11 runes and 12 UTF-16 code units: only
		// the last finds the command.
		{name: "after Vietnamese text and emoji", text: "Chào bot 👋 /directives xin-man", entities: []models.MessageEntity{cmdEntity(12, 11)},
			want: command{Name: "directives", Args: "xin-man"}, result: ourCommand},
		{name: "Vietnamese arguments after an emoji command line", text: "🇻🇳🇻🇳 /search biên giới 👮", entities: []models.MessageEntity{cmdEntity(9, 7)},
			want: command{Name: "search", Args: "biên giới 👮"}, result: ourCommand},
		{name: "first command wins", text: "/units /help", entities: []models.MessageEntity{cmdEntity(0, 6), cmdEntity(7, 5)},
			want: command{Name: "units", Args: "/help"}, result: ourCommand},
		{name: "other entities are skipped", text: "xem https://x.vn /help", entities: []models.MessageEntity{
			{Type: models.MessageEntityTypeURL, Offset: 4, Length: 12}, cmdEntity(17, 5)},
			want: command{Name: "help"}, result: ourCommand},
		{name: "addressed to this bot", text: "/start@MeetBot d_3", entities: []models.MessageEntity{cmdEntity(0, 14)}, bot: "MeetBot",
			want: command{Name: "start", Args: "d_3", Addressed: true}, result: ourCommand},
		{name: "bot name is case-insensitive", text: "/Help@meetbot", entities: []models.MessageEntity{cmdEntity(0, 13)}, bot: "MeetBot",
			want: command{Name: "help", Addressed: true}, result: ourCommand},
		{name: "addressed to another bot", text: "/start@OtherBot", entities: []models.MessageEntity{cmdEntity(0, 15)}, bot: "MeetBot",
			result: otherTarget},
		{name: "any bot when ours is unknown", text: "/start@OtherBot", entities: []models.MessageEntity{cmdEntity(0, 15)},
			want: command{Name: "start", Addressed: true}, result: ourCommand},
		{name: "arguments on the next line", text: "/search\nbiên giới", entities: []models.MessageEntity{cmdEntity(0, 7)},
			want: command{Name: "search", Args: "biên giới"}, result: ourCommand},
		{name: "malformed entity is skipped", text: "/help", entities: []models.MessageEntity{cmdEntity(3, 40)},
			want: command{Name: "help"}, result: ourCommand},
		{name: "malformed entity on text", text: "xin chào", entities: []models.MessageEntity{cmdEntity(3, 40)},
			result: notCommand},
		{name: "punctuation Telegram does not mark", text: "/!!! ?", entities: []models.MessageEntity{{Type: models.MessageEntityTypeItalic, Offset: 5, Length: 1}},
			want: command{Name: "!!!", Args: "?"}, result: ourCommand},
		{name: "negative offset is skipped", text: "/help", entities: []models.MessageEntity{cmdEntity(-1, 2), cmdEntity(0, 5)},
			want: command{Name: "help"}, result: ourCommand},
		{name: "entity not on a slash", text: "ab/help", entities: []models.MessageEntity{cmdEntity(0, 4)},
			result: notCommand},
		{name: "plain text with entities", text: "bien gioi", entities: []models.MessageEntity{{Type: models.MessageEntityTypeBold, Length: 4}},
			result: notCommand},
		{name: "console: leading slash", text: "  /Meetings 04/2024", want: command{Name: "meetings", Args: "04/2024"}, result: ourCommand},
		{name: "console: slash later is text", text: "xin chào /help", result: notCommand},
		{name: "console: addressed", text: "/help@MeetBot", bot: "meetbot", want: command{Name: "help", Addressed: true}, result: ourCommand},
		{name: "console: other bot", text: "/help@Other", bot: "meetbot", result: otherTarget},
		{name: "console: only punctuation", text: "/!!!", want: command{Name: "!!!"}, result: ourCommand},
		{name: "console: bare slash", text: "/", want: command{Name: ""}, result: ourCommand},
		{name: "empty text", text: "", result: notCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := parseCommand(tt.text, tt.entities, tt.bot)
			if res != tt.result {
				t.Fatalf("result %d, want %d", res, tt.result)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCommandEntitiesHelper keeps the test helper that imitates Telegram
// honest: its offsets must find the commands in parseCommand.
func TestCommandEntitiesHelper(t *testing.T) {
	got, res := parseCommand("Chào bot 👋 /directives@MeetBot xin-man", commandEntities("Chào bot 👋 /directives@MeetBot xin-man"), "MeetBot")
	want := command{Name: "directives", Args: "xin-man", Addressed: true}
	if res != ourCommand || got != want {
		t.Fatalf("got %+v (%d), want %+v", got, res, want)
	}
}

func TestClosestCommand(t *testing.T) {
	tests := []struct {
		name, typed, want string
		maxDist           int
	}{
		{name: "one letter missing", typed: "directivs", want: "directives", maxDist: 1},
		{name: "swapped letters", typed: "meetnigs", want: "meetings", maxDist: 2},
		{name: "prefix", typed: "dead", want: "deadlines", maxDist: 1},
		{name: "exact", typed: "units", want: "units", maxDist: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, d := closestCommand(tt.typed)
			if got != tt.want || d > tt.maxDist {
				t.Errorf("closestCommand(%q) = %q, %d; want %q within %d", tt.typed, got, d, tt.want, tt.maxDist)
			}
		})
	}
	if _, d := closestCommand("xyzzyplugh"); d <= 3 {
		t.Errorf("an unrelated word is within %d of a command", d)
	}
}

// TestCommandsDocumented keeps /help and the command table in step.
func TestCommandsDocumented(t *testing.T) {
	documented := map[string]bool{}
	for _, c := range commandDocs {
		documented[c.Name] = true
		if _, ok := commands[c.Name]; !ok {
			t.Errorf("/%s is documented but has no handler", c.Name)
		}
		if len(c.Examples) == 0 || c.What == "" {
			t.Errorf("/%s has no example or description", c.Name)
		}
		if !validCommandName(c.Name) {
			t.Errorf("/%s is not a valid Telegram command name", c.Name)
		}
	}
	for name := range commands {
		if !documented[name] {
			t.Errorf("/%s has a handler but no documentation", name)
		}
	}
}
