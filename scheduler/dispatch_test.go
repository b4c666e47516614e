package scheduler

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"meetbot/bot"
	"meetbot/store"
)

// crashSender is a dispatcher process dying between claim and send: the
// worker stops dead, without settling its claim.
type crashSender struct{ calls int }

func (c *crashSender) SendMessage(context.Context, *tgbot.SendMessageParams) (*models.Message, error) {
	c.calls++
	runtime.Goexit()
	return nil, nil
}

func TestCrashBetweenClaimAndSend(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	cfg := baseConfig()
	cfg.Workers = 1
	h := newHarness(t, cfg, testData(deadline))
	crashed := h.service(h.db, &crashSender{})
	t0 := at(2025, 5, 13, 7, 30)

	h.clock.Set(t0)
	if _, err := crashed.RunOnce(t.Context(), t0, false); err != nil {
		t.Fatal(err)
	}
	// Another instance (or the restarted one) runs within the lease:
	// nothing goes out twice, nothing is lost.
	h.run(t0.Add(time.Minute))
	if got := h.sender.take(); len(got) != 1 || got[0].ChatID != chatMeoVac {
		t.Fatalf("within the lease sent %v; want only the message the crashed worker never claimed", sendsTo(got, chatMeoVac))
	}
	h.run(t0.Add(4 * time.Minute))
	if got := h.sender.take(); len(got) != 0 {
		t.Fatalf("sent %d while the dead claim still held", len(got))
	}
	h.run(t0.Add(6 * time.Minute))
	got := h.sender.take()
	if diff := cmp.Diff([]string{"2025-05-13 07:36"}, sendsTo(got, chatXinMan)); diff != "" {
		t.Errorf("after the lease ran out (-want +got):\n%s", diff)
	}
	ms, _ := h.db.Messages(t.Context(), "")
	for _, m := range ms {
		if m.Status != store.MessageSent {
			t.Errorf("message %d to %d is %s", m.ID, m.ChatID, m.Status)
		}
		if m.ChatID == chatXinMan && m.Attempts != 2 {
			t.Errorf("re-sent message counts %d attempts, want 2", m.Attempts)
		}
	}
	h.run(t0.Add(time.Hour))
	if got := h.sender.take(); len(got) != 0 {
		t.Errorf("sent again later: %d", len(got))
	}
}

// TestTwoInstancesNoDuplicates runs two schedulers, each with its own
// connection pool on the same database file, at the same instant, over
// many units: every unit's chat gets exactly one message.
func TestTwoInstancesNoDuplicates(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	ds := testData(deadline)
	const n = 40
	for i := range n {
		code := fmt.Sprintf("don-%02d", i)
		ds.Units = append(ds.Units, store.UnitRecord{Code: code, Name: fmt.Sprintf("Đồn Biên phòng số %d", i), Kind: store.KindBorderPost})
		ds.Directives[0].Assignments = append(ds.Directives[0].Assignments, store.AssignmentRecord{Unit: code})
	}
	h := newHarness(t, baseConfig(), ds)
	for i := range n {
		h.bind(int64(-2000-i), 0, fmt.Sprintf("don-%02d", i))
	}
	other := newFakeSender(t, h.clock.Now)
	second := h.service(h.open(), other)
	now := at(2025, 5, 13, 7, 30)
	h.clock.Set(now)

	var wg sync.WaitGroup
	for _, svc := range []*Service{h.svc, second} {
		wg.Go(func() {
			if _, err := svc.RunOnce(t.Context(), now, false); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	perChat := map[int64]int{}
	for _, m := range append(h.sender.take(), other.take()...) {
		perChat[m.ChatID]++
	}
	if len(perChat) != n+2 {
		t.Errorf("%d chats reached, want %d", len(perChat), n+2)
	}
	for chat, c := range perChat {
		if c != 1 {
			t.Errorf("chat %d got %d messages", chat, c)
		}
	}
}

func TestChatGoneDisablesBindingAndTellsAdminOnce(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	ctx := t.Context()
	// The group's title needs escaping in the notice.
	if _, err := h.db.BindChat(ctx, store.Binding{ChatID: chatXinMan, UnitID: h.units["xin-man"], ChatTitle: `Xín Mần <BCĐ> & "tổ"`}); err != nil {
		t.Fatal(err)
	}
	h.sender.failAlways(chatXinMan, &bot.ChatError{ChatID: chatXinMan, Problem: bot.ChatKicked, Description: "Forbidden: bot was kicked from the group chat"})

	rep := h.run(at(2025, 5, 13, 7, 30))
	if rep.Failed != 1 {
		t.Errorf("report: %d failed, want 1", rep.Failed)
	}
	sent := h.sender.take()
	var notices []sentMsg
	for _, m := range sent {
		if m.ChatID == chatAdmin {
			notices = append(notices, m)
		}
	}
	if len(notices) != 1 {
		t.Fatalf("admin got %d notices, want 1", len(notices))
	}
	for _, want := range []string{"Xín Mần &lt;BCĐ&gt; &amp; &quot;tổ&quot;", "<code>-1001</code>", unitXinMan, "bị xóa khỏi nhóm", "/register"} {
		if !strings.Contains(notices[0].Text, want) {
			t.Errorf("notice lacks %q:\n%s", want, notices[0].Text)
		}
	}
	if units, _ := h.db.UnitsForChat(ctx, chatXinMan, 0); len(units) != 0 {
		t.Errorf("the lost chat still speaks for %v", units)
	}
	// The my_chat_member update arrives too, and later rungs come: no
	// second notice, no more sends to the lost chat.
	h.svc.Registry().MembershipChanged(ctx, &models.ChatMemberUpdated{Chat: models.Chat{ID: chatXinMan, Title: "x"},
		NewChatMember: models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{}}})
	h.days(d(2025, 5, 14), d(2025, 5, 20), "07:30")
	h.sender.mu.Lock()
	calls := h.sender.calls
	h.sender.mu.Unlock()
	for _, m := range h.sender.take() {
		if m.ChatID == chatAdmin || m.ChatID == chatXinMan {
			t.Errorf("later sent to %d: %s", m.ChatID, m.Text)
		}
	}
	if calls > 1+1+4 { // the failed one, the notice, Mèo Vạc's later rungs
		t.Errorf("%d calls to Telegram; the lost chat was tried again", calls)
	}
	st, err := h.svc.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.RecentFailures) == 0 || !strings.Contains(st.RecentFailures[0].LastError, "kicked") {
		t.Errorf("status failures = %+v", st.RecentFailures)
	}
}

func TestMembershipChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		member models.ChatMember
		lost   bool
	}{
		{"left", models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{}}, true},
		{"kicked", models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{}}, true},
		{"muted", models.ChatMember{Type: models.ChatMemberTypeRestricted, Restricted: &models.ChatMemberRestricted{IsMember: true}}, true},
		{"restricted but may send", models.ChatMember{Type: models.ChatMemberTypeRestricted, Restricted: &models.ChatMemberRestricted{IsMember: true, CanSendMessages: true}}, false},
		{"promoted", models.ChatMember{Type: models.ChatMemberTypeAdministrator, Administrator: &models.ChatMemberAdministrator{}}, false},
		{"added", models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, baseConfig(), testData(d(2025, 5, 16)))
			ctx := t.Context()
			h.clock.Set(at(2025, 5, 5, 8, 0))
			ev := &models.ChatMemberUpdated{Chat: models.Chat{ID: chatXinMan, Title: "Nhóm <Xín Mần>"}, NewChatMember: tt.member}
			for range 2 {
				h.svc.Registry().MembershipChanged(ctx, ev)
			}
			units, _ := h.db.UnitsForChat(ctx, chatXinMan, 0)
			if lost := len(units) == 0; lost != tt.lost {
				t.Errorf("binding lost = %v, want %v", lost, tt.lost)
			}
			h.run(at(2025, 5, 5, 9, 0)) // no reminders due: only notices
			var notices []string
			for _, m := range h.sender.take() {
				notices = append(notices, m.Text)
			}
			want := 0
			if tt.lost {
				want = 1
			}
			if len(notices) != want {
				t.Fatalf("notices = %q, want %d", notices, want)
			}
			if want == 1 && !strings.Contains(notices[0], "Nhóm &lt;Xín Mần&gt;") {
				t.Errorf("notice:\n%s", notices[0])
			}
		})
	}
}

func TestMigratedChatGetsTheMessage(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	const super = int64(-1009001)
	h.sender.failNext(chatXinMan, &bot.MigratedError{ChatID: chatXinMan, NewChatID: super})

	rep := h.run(at(2025, 5, 13, 7, 30))
	sent := h.sender.take()
	if diff := cmp.Diff([]string{"2025-05-13 07:30"}, sendsTo(sent, super)); diff != "" {
		t.Errorf("sends to the supergroup (-want +got):\n%s", diff)
	}
	if rep.Failed != 0 || rep.Sent != 2 {
		t.Errorf("report: sent %d failed %d, want 2 and 0", rep.Sent, rep.Failed)
	}
	units, _ := h.db.UnitsForChat(t.Context(), super, 0)
	if len(units) != 1 || units[0].Name != unitXinMan {
		t.Errorf("supergroup speaks for %v", units)
	}
	h.days(d(2025, 5, 14), d(2025, 5, 15), "07:30")
	if got := sendsTo(h.sender.take(), super); len(got) != 1 {
		t.Errorf("next rung to the supergroup: %v", got)
	}
	// The migration update arriving later changes nothing.
	h.svc.Registry().Migrated(t.Context(), chatXinMan, super)
	if units, _ := h.db.UnitsForChat(t.Context(), super, 0); len(units) != 1 {
		t.Errorf("after a repeated migration: %v", units)
	}
}

func TestTransientFailureRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	cfg := baseConfig()
	cfg.MaxAttempts = 3
	h := newHarness(t, cfg, testData(deadline))
	down := errors.New("connection reset by peer")
	h.sender.failNext(chatXinMan, down, down)

	t0 := at(2025, 5, 13, 7, 30)
	if rep := h.run(t0); rep.Retrying != 1 {
		t.Errorf("first pass: retrying %d, want 1", rep.Retrying)
	}
	h.run(t0.Add(30 * time.Second)) // before the 1-minute backoff
	if got := sendsTo(h.sender.take(), chatXinMan); len(got) != 0 {
		t.Fatalf("retried before its backoff: %v", got)
	}
	h.run(t0.Add(time.Minute)) // second failure: backoff 2 minutes
	h.run(t0.Add(2 * time.Minute))
	h.run(t0.Add(3 * time.Minute))
	if got := sendsTo(h.sender.take(), chatXinMan); len(got) != 1 || got[0] != "2025-05-13 07:33" {
		t.Errorf("sends after retries = %v, want one at 07:33", got)
	}

	// Always failing: given up after MaxAttempts, recorded with the reason.
	h.sender.failAlways(chatMeoVac, down)
	h.run(at(2025, 5, 15, 7, 30))
	for _, m := range []time.Duration{time.Minute, 3 * time.Minute, 10 * time.Minute} {
		h.run(at(2025, 5, 15, 7, 30).Add(m))
	}
	st, err := h.svc.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.FailedToday != 1 || !strings.Contains(st.RecentFailures[0].LastError, "gave up after 3 attempts") {
		t.Errorf("status = %+v", st)
	}
	if units, _ := h.db.UnitsForChat(t.Context(), chatMeoVac, topicMeoVac); len(units) != 1 {
		t.Error("a transient failure deactivated the binding")
	}
}
