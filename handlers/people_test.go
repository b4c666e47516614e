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

// countingPeople counts the lookups of granted administrators and of the
// units a user speaks for.
type countingPeople struct {
	People
	isAdmin, userUnits, records int
}

func (p *countingPeople) IsAdmin(ctx context.Context, userID int64) (bool, error) {
	p.isAdmin++
	return p.People.IsAdmin(ctx, userID)
}

func (p *countingPeople) UserUnits(ctx context.Context, userID int64) ([]int64, error) {
	p.userUnits++
	return p.People.UserUnits(ctx, userID)
}

func (p *countingPeople) RecordMember(ctx context.Context, userID, unitID, chatID int64, at time.Time) error {
	p.records++
	return p.People.RecordMember(ctx, userID, unitID, chatID, at)
}

// TestLookupsOncePerUpdate: /calendar in a bound group asks who the user
// is and what the chat is bound to at several steps (noting the member,
// the unit argument, the viewer, the feed address), and a directive's
// card asks a member's units twice (the viewer, the report buttons); the
// registry, the administrators and the member's units are asked once
// each.
func TestLookupsOncePerUpdate(t *testing.T) {
	hs := newHarness(t, Config{})
	chats := &countingChats{ChatUnits: hs.h.deps.Chats}
	people := &countingPeople{People: fakePeople{}}
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

	// A member's units: who they are (viewerOf), then whether the card of
	// a directive of their unit gets the report buttons.
	o := newOfficeHarness(t, nil)
	o.say(xmMember, boundChat, "/help") // seen in the unit's group
	people = &countingPeople{People: o.h.deps.People}
	deps = o.h.deps
	deps.People = people
	o.h = New(o.h.cfg, deps)
	o.say(xmMember, xmMember.ID, "/directive "+restrictedCode)
	o.button(xmMember.ID, "📝 Báo cáo tiến độ")
	if people.userUnits != 1 {
		t.Errorf("the member's units were looked up %d times, want 1", people.userUnits)
	}
}

// TestMemberRecordedOnce: a member is written down the first time they
// speak in their unit's group, not on every message after.
func TestMemberRecordedOnce(t *testing.T) {
	o := newOfficeHarness(t, nil)
	people := &countingPeople{People: o.h.deps.People}
	deps := o.h.deps
	deps.People = people
	o.h = New(o.h.cfg, deps)
	for range 3 {
		o.say(xmMember, boundChat, "xin chào")
	}
	if people.records != 1 {
		t.Errorf("the member was recorded %d times over 3 messages, want 1", people.records)
	}
	units, err := o.st.UserUnits(context.Background(), xmMember.ID)
	if err != nil || len(units) != 1 {
		t.Errorf("units of the member: %v, %v; want Xín Mần's", units, err)
	}
}

// TestRestrictedMeetingAndProgram: a restricted meeting or program is
// answered to a user outside its units exactly as a missing one, in its
// card and as the filter of a directive list, and shown to an
// administrator.
func TestRestrictedMeetingAndProgram(t *testing.T) {
	tests := []struct {
		name            string
		say, press      string // one of the two, with the id 2
		title           string // shown to an administrator
		restrictMeeting bool
	}{
		{name: "meeting card", say: "/meeting 2", title: "Giao ban công tác biên phòng", restrictMeeting: true},
		{name: "meeting's directives", press: "1:dl:m2:p1", title: "Từ cuộc họp: Giao ban", restrictMeeting: true},
		{name: "program card", say: "/program 2", title: "Chung tay vì người nghèo"},
		{name: "program's directives", press: "1:dl:g2:p1", title: "Thuộc: Chung tay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer := func(cfg Config, id string) string {
				hs := newHarness(t, cfg)
				if tt.restrictMeeting {
					hs.store.meetings[1].Restricted = true
				} else {
					hs.store.programs[1].Restricted = true
				}
				if tt.say != "" {
					hs.say(privateChat, strings.Replace(tt.say, "2", id, 1))
				} else {
					hs.press(privateChat, strings.Replace(tt.press, "2", id, 1))
				}
				var out []string
				for _, c := range hs.sender.calls {
					out = append(out, c.Method+": "+c.Notice+" "+visibleText(c.Text))
				}
				return strings.Join(out, "\n")
			}
			hidden, missing := answer(Config{}, "2"), answer(Config{}, "99")
			if hidden != strings.ReplaceAll(missing, "99", "2") {
				t.Errorf("hidden:\n%s\nmissing:\n%s", hidden, missing)
			}
			if got := answer(Config{AdminIDs: []int64{1}}, "2"); !strings.Contains(got, tt.title) {
				t.Errorf("an administrator is not shown %q:\n%s", tt.title, got)
			}
		})
	}
}
