package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"meetbot/store"
)

// countingChats counts the registry's lookups of a chat's binding.
type countingChats struct {
	ChatUnits
	n int
}

func (c *countingChats) UnitsForChat(ctx context.Context, chatID int64, threadID int) ([]store.Unit, error) {
	c.n++
	return c.ChatUnits.UnitsForChat(ctx, chatID, threadID)
}

// countingPeople counts the lookups of granted administrators; nobody
// is one, nobody speaks for a unit.
type countingPeople struct{ isAdmin int }

func (p *countingPeople) IsAdmin(context.Context, int64) (bool, error) {
	p.isAdmin++
	return false, nil
}
func (p *countingPeople) UserUnits(context.Context, int64) ([]int64, error) { return nil, nil }
func (p *countingPeople) RecordMember(context.Context, int64, int64, int64, time.Time) error {
	return nil
}

// TestLookupsOncePerUpdate: /calendar in a bound group asks who the user
// is and what the chat is bound to at several steps (noting the member,
// the unit argument, the viewer, the feed address); the registry and the
// administrators are asked once each.
func TestLookupsOncePerUpdate(t *testing.T) {
	hs := newHarness(t, Config{})
	chats := &countingChats{ChatUnits: hs.h.deps.Chats}
	people := &countingPeople{}
	deps := hs.h.deps
	deps.Chats, deps.People = chats, people
	hs.h = New(hs.h.cfg, deps)

	hs.say(boundChat, "/calendar")
	if got := visibleText(hs.only("SendMessage").Text); !strings.Contains(got, "Huyện ủy Xín Mần") {
		t.Fatalf("reply is not the unit's calendar:\n%s", got)
	}
	if chats.n != 1 {
		t.Errorf("the chat's binding was looked up %d times, want 1", chats.n)
	}
	if people.isAdmin != 1 {
		t.Errorf("the administrators were looked up %d times, want 1", people.isAdmin)
	}
}
