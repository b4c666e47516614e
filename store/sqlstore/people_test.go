package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"meetbot/store"
	"meetbot/store/storetest"
)

func TestAdmins(t *testing.T) {
	s := open(t)
	boss := store.Actor{ID: 1, Name: "Chánh Văn phòng"}
	if ok, _ := s.IsAdmin(t.Context(), 42); ok {
		t.Fatal("a user is admin before any grant")
	}
	if err := s.GrantAdmin(t.Context(), 42, "Lan", boss); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantAdmin(t.Context(), 42, "Nguyễn Thị Lan", boss); err != nil {
		t.Fatal(err)
	}
	as, err := s.Admins(t.Context())
	if err != nil || len(as) != 1 || as[0].Name != "Nguyễn Thị Lan" || as[0].GrantedBy != 1 {
		t.Fatalf("admins = %+v, %v", as, err)
	}
	if ok, _ := s.IsAdmin(t.Context(), 42); !ok {
		t.Error("granted user is not admin")
	}
	if err := s.RevokeAdmin(t.Context(), 42, boss); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAdmin(t.Context(), 42, boss); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking twice: %v; want ErrNotFound", err)
	}
	hs, err := s.History(t.Context(), "admin", 42)
	if err != nil || len(hs) != 3 || hs[0].Action != "admin_revoked" || hs[0].Actor.Name != "Chánh Văn phòng" {
		t.Errorf("admin history = %+v, %v", hs, err)
	}
}

func TestMembersFollowBindings(t *testing.T) {
	s := open(t)
	if _, err := s.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	xm := mustUnit(t, s, "xin-man")
	if _, err := s.BindChat(t.Context(), store.Binding{ChatID: -100, UnitID: xm}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordMember(t.Context(), 7, xm, -100, storetest.Now()); err != nil {
		t.Fatal(err)
	}
	if us, err := s.UserUnits(t.Context(), 7); err != nil || len(us) != 1 || us[0] != xm {
		t.Fatalf("UserUnits = %v, %v", us, err)
	}
	if _, err := s.UnbindChat(t.Context(), -100, 0); err != nil {
		t.Fatal(err)
	}
	if us, _ := s.UserUnits(t.Context(), 7); len(us) != 0 {
		t.Errorf("after the group was unbound: %v; a member speaks for a unit through its chat", us)
	}
}

func TestConversations(t *testing.T) {
	now := storetest.Now()
	s := open(t)
	c := store.Conversation{ChatID: 5, UserID: 9, Kind: "new-directive", Step: "title", Data: map[string]string{"code": "15/CT-UBND"}, ExpiresAt: now.Add(time.Hour)}
	if err := s.SaveConversation(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Conversation(t.Context(), 5, 9)
	if err != nil || got.Step != "title" || got.Data["code"] != "15/CT-UBND" {
		t.Fatalf("conversation = %+v, %v", got, err)
	}
	c.Step, c.ExpiresAt = "deadline", now.Add(-time.Minute)
	if err := s.SaveConversation(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conversation(t.Context(), 5, 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired conversation: %v; want ErrNotFound", err)
	}
	if err := s.EndConversation(t.Context(), 5, 9); err != nil {
		t.Fatal(err)
	}
}

func TestFeedTokens(t *testing.T) {
	s := open(t)
	if _, err := s.Import(t.Context(), storetest.Fixture(), store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	xm := mustUnit(t, s, "xin-man")
	tok, err := s.FeedToken(t.Context(), xm)
	if err != nil || len(tok) < 32 {
		t.Fatalf("token %q, %v", tok, err)
	}
	if again, _ := s.FeedToken(t.Context(), xm); again != tok {
		t.Error("the token changed on a second call")
	}
	if u, err := s.UnitByFeedToken(t.Context(), tok); err != nil || u.ID != xm {
		t.Errorf("UnitByFeedToken = %+v, %v", u, err)
	}
	if _, err := s.UnitByFeedToken(t.Context(), "guess"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a wrong token: %v; want ErrNotFound", err)
	}
}

func mustUnit(t *testing.T, s interface {
	FindUnits(ctx context.Context, text string) ([]store.Unit, error)
}, code string) int64 {
	t.Helper()
	us, err := s.FindUnits(t.Context(), code)
	if err != nil || len(us) != 1 {
		t.Fatalf("FindUnits(%q) = %v, %v", code, us, err)
	}
	return us[0].ID
}
