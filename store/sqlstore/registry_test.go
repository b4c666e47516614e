package sqlstore_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// openFixture opens a store with the contract fixture imported and
// returns it with the unit ids by code.
func openFixture(t *testing.T) (*sqlstore.Store, map[string]int64) {
	t.Helper()
	s := open(t)
	if _, err := s.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
		t.Fatalf("import fixture: %v", err)
	}
	us, err := s.Units(t.Context(), store.UnitFilter{IncludeRetired: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, u := range us {
		ids[u.Code] = u.ID
	}
	return s, ids
}

func bind(t *testing.T, s *sqlstore.Store, chat int64, thread int, unit int64) store.Binding {
	t.Helper()
	b, err := s.BindChat(t.Context(), store.Binding{ChatID: chat, ThreadID: thread, UnitID: unit, ChatTitle: "Nhóm", BoundBy: 7})
	if err != nil {
		t.Fatalf("BindChat(%d, %d, %d): %v", chat, thread, unit, err)
	}
	return b
}

func unitCodes(us []store.Unit) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Code)
	}
	return out
}

func TestUnitsForChat(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	bind(t, s, -100, 0, ids["xin-man"])
	bind(t, s, -100, 5, ids["meo-vac"])
	bind(t, s, -200, 9, ids["dong-van"]) // a topic only

	tests := []struct {
		name   string
		chat   int64
		thread int
		want   []string
	}{
		{"whole chat", -100, 0, []string{"xin-man"}},
		{"bound topic wins", -100, 5, []string{"meo-vac"}},
		{"unbound topic falls back to the chat", -100, 6, []string{"xin-man"}},
		{"topic-only chat, that topic", -200, 9, []string{"dong-van"}},
		{"topic-only chat, another topic", -200, 1, []string{}},
		{"topic-only chat, general", -200, 0, []string{}},
		{"unknown chat", -300, 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.UnitsForChat(ctx, tt.chat, tt.thread)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("UnitsForChat returned nil, want an empty slice")
			}
			if diff := cmp.Diff(tt.want, unitCodes(got)); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBindChatReplaces(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	first := bind(t, s, -100, 0, ids["xin-man"])
	if !first.Active || first.Unit.Code != "xin-man" || first.BoundBy != 7 || first.ChatTitle != "Nhóm" {
		t.Errorf("BindChat returned %+v", first)
	}
	if want := storetest.Now(); !first.BoundAt.Equal(want) {
		t.Errorf("BoundAt = %v, want the store clock %v", first.BoundAt, want)
	}
	second := bind(t, s, -100, 0, ids["meo-vac"])
	if second.ID != first.ID {
		t.Errorf("rebinding made a new row %d, want %d replaced", second.ID, first.ID)
	}
	got, _ := s.UnitsForChat(ctx, -100, 0)
	if diff := cmp.Diff([]string{"meo-vac"}, unitCodes(got)); diff != "" {
		t.Errorf("after rebinding (-want +got):\n%s", diff)
	}
	if chats := activeChats(t, s, ids["xin-man"]); len(chats) != 0 {
		t.Errorf("active chats of xin-man = %v; want none", chats)
	}
	// A unit may have several chats.
	bind(t, s, -101, 0, ids["meo-vac"])
	if diff := cmp.Diff([]int64{-100, -101}, activeChats(t, s, ids["meo-vac"])); diff != "" {
		t.Errorf("active chats of meo-vac (-want +got):\n%s", diff)
	}
}

// activeChats returns the chats actively bound to the unit, oldest
// binding first, from Bindings (what the scheduler reads).
func activeChats(t *testing.T, s *sqlstore.Store, unit int64) []int64 {
	t.Helper()
	bs, err := s.Bindings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(bs, func(a, b store.Binding) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	var chats []int64
	for _, b := range bs {
		if b.Active && b.Unit.ID == unit {
			chats = append(chats, b.ChatID)
		}
	}
	return chats
}

func TestBindChatErrors(t *testing.T) {
	s, ids := openFixture(t)
	tests := []struct {
		name string
		b    store.Binding
		want error
	}{
		{"unknown unit", store.Binding{ChatID: -1, UnitID: 9999}, store.ErrNotFound},
		{"no chat", store.Binding{UnitID: ids["xin-man"]}, store.ErrInvalid},
		{"no unit", store.Binding{ChatID: -1}, store.ErrInvalid},
		{"negative thread", store.Binding{ChatID: -1, ThreadID: -2, UnitID: ids["xin-man"]}, store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.BindChat(t.Context(), tt.b); !errors.Is(err, tt.want) {
				t.Errorf("BindChat(%+v) = %v, want %v", tt.b, err, tt.want)
			}
		})
	}
}

func TestUnbindChat(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	bind(t, s, -100, 0, ids["xin-man"])
	b, err := s.UnbindChat(ctx, -100, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.Active || b.Reason != "unbound" || b.DeactivatedAt.IsZero() || b.Unit.Code != "xin-man" {
		t.Errorf("UnbindChat returned %+v", b)
	}
	if got, _ := s.UnitsForChat(ctx, -100, 0); len(got) != 0 {
		t.Errorf("unbound chat still speaks for %v", unitCodes(got))
	}
	if _, err := s.UnbindChat(ctx, -100, 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second UnbindChat = %v, want ErrNotFound", err)
	}
	all, err := s.Bindings(ctx)
	if err != nil || len(all) != 1 || all[0].Active {
		t.Errorf("Bindings = %+v, %v; want the one inactive binding kept", all, err)
	}
}

func TestDeactivateChatTellsOnce(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	bind(t, s, -100, 0, ids["xin-man"])
	bind(t, s, -100, 3, ids["meo-vac"])
	bind(t, s, -200, 0, ids["dong-van"])

	// Many reports of the same lost chat at once (failed sends, the
	// my_chat_member update, another instance): only one call gets the
	// bindings back.
	var (
		mu    sync.Mutex
		total []store.Binding
		wg    sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			got, err := s.DeactivateChat(ctx, -100, "kicked")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			total = append(total, got...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(total) != 2 {
		t.Fatalf("deactivations returned %d bindings in all, want 2 (once each)", len(total))
	}
	for _, b := range total {
		if b.Active || b.Reason != "kicked" || b.ChatID != -100 {
			t.Errorf("returned binding %+v", b)
		}
	}
	if got, _ := s.UnitsForChat(ctx, -200, 0); len(got) != 1 {
		t.Errorf("another chat was touched: %v", got)
	}
}

func TestMigrateChat(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	bind(t, s, -100, 0, ids["xin-man"])
	enqueue(t, s, "b1", msg(-100, "a"), msg(-100, "b"))
	claimed := claim(t, s, "d1", storetest.Now(), 10)
	if len(claimed) != 1 {
		t.Fatalf("claimed %d, want 1", len(claimed))
	}
	if err := s.CompleteMessage(ctx, claimed[0].ID, "d1", 11, storetest.Now()); err != nil {
		t.Fatal(err)
	}

	n, err := s.MigrateChat(ctx, -100, -1009)
	if err != nil || n != 1 {
		t.Fatalf("MigrateChat = %d, %v; want 1 binding moved", n, err)
	}
	if got, _ := s.UnitsForChat(ctx, -1009, 0); len(got) != 1 || got[0].Code != "xin-man" {
		t.Errorf("new chat speaks for %v, want xin-man", unitCodes(got))
	}
	if got, _ := s.UnitsForChat(ctx, -100, 0); len(got) != 0 {
		t.Errorf("old chat still speaks for %v", unitCodes(got))
	}
	ms, err := s.Messages(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"a": -100, "b": -1009} // sent stays where it went
	for _, m := range ms {
		if m.ChatID != want[m.Text] {
			t.Errorf("message %q to chat %d, want %d", m.Text, m.ChatID, want[m.Text])
		}
	}
	if n, err := s.MigrateChat(ctx, -100, -1009); err != nil || n != 0 {
		t.Errorf("second MigrateChat = %d, %v; want 0, nil", n, err)
	}
	if _, err := s.MigrateChat(ctx, -1, -1); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("MigrateChat to itself = %v, want ErrInvalid", err)
	}
}

func TestMigrateChatAlreadyBound(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	bind(t, s, -100, 0, ids["xin-man"])
	bind(t, s, -1009, 0, ids["meo-vac"]) // someone bound the supergroup first
	n, err := s.MigrateChat(ctx, -100, -1009)
	if err != nil || n != 0 {
		t.Fatalf("MigrateChat = %d, %v; want 0 moved", n, err)
	}
	if got, _ := s.UnitsForChat(ctx, -1009, 0); len(got) != 1 || got[0].Code != "meo-vac" {
		t.Errorf("supergroup speaks for %v, want the newer binding meo-vac", unitCodes(got))
	}
	all, _ := s.Bindings(ctx)
	for _, b := range all {
		if b.ChatID == -100 && b.Active {
			t.Errorf("old binding still active: %+v", b)
		}
	}
}

func TestReminderLadderStored(t *testing.T) {
	s, ids := openFixture(t)
	ctx := t.Context()
	ds := storetest.Fixture()
	for i := range ds.Directives {
		switch ds.Directives[i].Code {
		case "HN-03":
			ds.Directives[i].Reminders = store.Reminders{Offsets: []int{-2, 0, 5}}
		case "15/CT-UBND":
			ds.Directives[i].Reminders = store.Reminders{Off: true}
		}
	}
	res, err := s.Import(ctx, ds, store.Actor{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Directives.Updated != 2 {
		t.Errorf("import updated %d directives, want 2", res.Directives.Updated)
	}
	d, err := s.DirectiveByCode(ctx, "HN-03")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(store.Reminders{Offsets: []int{-2, 0, 5}}, d.Reminders); diff != "" {
		t.Errorf("HN-03 reminders (-want +got):\n%s", diff)
	}
	if res, _ := s.Import(ctx, ds, store.Actor{Name: "test"}); res.Changed() {
		t.Errorf("importing the same ladders again changed %+v", res)
	}

	// Targets: open shares of directives with a deadline, reminders on,
	// whose unit has a chat.
	for _, code := range []string{"bdbp", "meo-vac", "dong-van", "xin-man"} {
		bind(t, s, -ids[code], 0, ids[code])
	}
	targets, err := s.DeadlineTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hn03, _ := s.DirectiveByCode(ctx, "HN-03")
	want := []store.DeadlineTarget{
		{DirectiveID: hn03.ID, Deadline: store.NewDate(2024, 5, 20), Reminders: store.Reminders{Offsets: []int{-2, 0, 5}}, UnitID: ids["bdbp"]},
		{DirectiveID: hn03.ID, Deadline: store.NewDate(2024, 5, 20), Reminders: store.Reminders{Offsets: []int{-2, 0, 5}}, UnitID: ids["meo-vac"]},
	}
	// 15/CT-UBND has an open share (dong-van) but reminders off; HN-01 is
	// standing; HN-04 and GB-2023/07 are done.
	if diff := cmp.Diff(want, targets); diff != "" {
		t.Errorf("DeadlineTargets (-want +got):\n%s", diff)
	}
	if _, err := s.UnbindChat(ctx, -ids["bdbp"], 0); err != nil {
		t.Fatal(err)
	}
	targets, _ = s.DeadlineTargets(ctx)
	if len(targets) != 1 || targets[0].UnitID != ids["meo-vac"] {
		t.Errorf("after unbinding bdbp, targets = %+v", targets)
	}
}

func TestSchedulerState(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	if _, ok, err := s.SchedulerState(ctx, "k"); ok || err != nil {
		t.Fatalf("missing key: ok=%v err=%v", ok, err)
	}
	for _, v := range []string{"1", "2"} {
		if err := s.SetSchedulerState(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.SchedulerState(ctx, "k"); got != v || !ok || err != nil {
			t.Errorf("SchedulerState = %q, %v, %v; want %q", got, ok, err, v)
		}
	}
}
