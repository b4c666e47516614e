package console

import (
	"context"
	"fmt"
	"strings"

	"meetbot/handlers"
	"meetbot/store"
)

// ParseChat parses the value of the --chat flag: "private" (or empty)
// gives an empty unit code; "unit:<code>" gives the code, for a group chat
// bound to that unit.
func ParseChat(s string) (unitCode string, err error) {
	switch s = strings.TrimSpace(s); {
	case s == "" || s == ChatPrivate:
		return "", nil
	case strings.HasPrefix(s, "unit:") && strings.TrimSpace(s[len("unit:"):]) != "":
		return strings.TrimSpace(s[len("unit:"):]), nil
	}
	return "", fmt.Errorf("console: --chat %q: want private or unit:<code>, e.g. unit:xin-man", s)
}

// UnitChat binds one chat to fixed units: what --chat unit:<code>
// simulates, standing in for the registry of bound chats.
type UnitChat struct {
	ChatID int64
	Units  []store.Unit
}

var _ handlers.ChatUnits = UnitChat{}

// UnitsForChat returns u.Units for u.ChatID (any topic) and nothing for
// other chats. The caller must not modify the returned slice.
func (u UnitChat) UnitsForChat(_ context.Context, chatID int64, _ int) ([]store.Unit, error) {
	if chatID != u.ChatID {
		return nil, nil
	}
	return u.Units, nil
}
