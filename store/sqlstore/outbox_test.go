package sqlstore_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

func msg(chat int64, text string) store.OutboxMessage {
	return store.OutboxMessage{Kind: store.KindDeadline, ChatID: chat, Text: text}
}

func enqueue(t *testing.T, s *sqlstore.Store, batch string, ms ...store.OutboxMessage) {
	t.Helper()
	for i := range ms {
		if ms[i].Part == 0 {
			ms[i].Part, ms[i].Parts = i+1, len(ms)
		}
	}
	if err := s.EnqueueBatch(t.Context(), store.OutboxBatch{Name: batch, Messages: ms}); err != nil {
		t.Fatalf("EnqueueBatch(%s): %v", batch, err)
	}
}

func claim(t *testing.T, s *sqlstore.Store, owner string, at time.Time, limit int) []store.OutboxMessage {
	t.Helper()
	ms, err := s.ClaimMessages(t.Context(), store.ClaimRequest{Owner: owner, Now: at, Clock: at, Lease: 5 * time.Minute, Limit: limit})
	if err != nil {
		t.Fatalf("ClaimMessages(%s): %v", owner, err)
	}
	return ms
}

func texts(ms []store.OutboxMessage) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

func item(unit int64, rung int) store.OutboxItem {
	return store.OutboxItem{Kind: store.KindDeadline, RefID: 1, UnitID: unit, Rung: rung, Anchor: "2024-05-20", DueAt: storetest.Now()}
}

func TestPlanItemsTwice(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	items := []store.OutboxItem{item(1, -7), item(1, -3), item(2, -3)}
	skipped := item(2, -7)
	skipped.Status, skipped.Reason = store.ItemSkipped, "catch-up"
	items = append(items, skipped)
	for i, want := range []int{4, 0} {
		n, err := s.PlanItems(ctx, items)
		if err != nil || n != want {
			t.Fatalf("PlanItems #%d = %d, %v; want %d", i+1, n, err, want)
		}
	}
	pending, err := s.PendingItems(ctx, storetest.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 3 {
		t.Errorf("pending = %d items, want 3 (the skipped one is not pending)", len(pending))
	}
	if got, _ := s.PendingItems(ctx, storetest.Now().Add(-time.Second)); len(got) != 0 {
		t.Errorf("items due later are pending already: %v", got)
	}
	stored, err := s.StoredItems(ctx, []store.OutboxItem{item(1, -3), item(9, 0)})
	if err != nil || len(stored) != 1 || stored[0].Rung != -3 {
		t.Errorf("StoredItems = %+v, %v; want the one stored", stored, err)
	}
}

func TestEnqueueBatchOnce(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	if _, err := s.PlanItems(ctx, []store.OutboxItem{item(1, -3), item(1, -1)}); err != nil {
		t.Fatal(err)
	}
	pending, _ := s.PendingItems(ctx, storetest.Now())
	b := store.OutboxBatch{
		Name:     "run1/u1",
		Queued:   []int64{pending[1].ID},
		Dropped:  []store.OutboxItem{{ID: pending[0].ID, Status: store.ItemSkipped, Reason: "superseded"}},
		Messages: []store.OutboxMessage{msg(-1, "nhắc việc")},
	}
	if err := s.EnqueueBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	// A second composer with the same items (another instance) loses and
	// writes nothing.
	b.Name = "run1-other/u1"
	if err := s.EnqueueBatch(ctx, b); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second EnqueueBatch = %v, want ErrConflict", err)
	}
	ms, _ := s.Messages(ctx, "")
	if len(ms) != 1 || ms[0].Batch != "run1/u1" {
		t.Errorf("messages = %+v, want the first batch's one", ms)
	}
	items, _ := s.Items(ctx, store.KindDeadline)
	got := map[int]store.ItemStatus{}
	for _, it := range items {
		got[it.Rung] = it.Status
	}
	if diff := cmp.Diff(map[int]store.ItemStatus{-3: store.ItemSkipped, -1: store.ItemQueued}, got); diff != "" {
		t.Errorf("item states (-want +got):\n%s", diff)
	}
}

func TestClaimLease(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	t0 := storetest.Now()
	enqueue(t, s, "b", msg(-1, "x"))

	a := claim(t, s, "A", t0, 5)
	if len(a) != 1 || a[0].Attempts != 1 || a[0].Status != store.MessageSending || a[0].LeaseOwner != "A" {
		t.Fatalf("A claimed %+v", a)
	}
	if b := claim(t, s, "B", t0.Add(4*time.Minute), 5); len(b) != 0 {
		t.Fatalf("B claimed a message under A's lease: %+v", b)
	}
	// A dies between claim and send; its lease runs out and B takes over.
	b := claim(t, s, "B", t0.Add(6*time.Minute), 5)
	if len(b) != 1 || b[0].ID != a[0].ID || b[0].Attempts != 2 {
		t.Fatalf("after the lease, B claimed %+v", b)
	}
	if err := s.RetryMessage(ctx, a[0].ID, "A", t0, "late"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("A settling B's claim = %v, want ErrConflict", err)
	}
	if err := s.CompleteMessage(ctx, b[0].ID, "B", 42, t0.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A wakes up and reports its send too: the duplicate is reported.
	if err := s.CompleteMessage(ctx, a[0].ID, "A", 41, t0.Add(7*time.Minute)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second CompleteMessage = %v, want ErrConflict", err)
	}
	ms, _ := s.Messages(ctx, "b")
	if ms[0].Status != store.MessageSent || ms[0].TelegramID != 42 || !ms[0].SentAt.Equal(t0.Add(6*time.Minute)) || ms[0].LeaseOwner != "" {
		t.Errorf("sent message = %+v", ms[0])
	}
	if c := claim(t, s, "C", t0.Add(time.Hour), 5); len(c) != 0 {
		t.Errorf("a sent message was claimed again: %+v", c)
	}
}

func TestClaimKeepsChatOrder(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	t0 := storetest.Now()
	enqueue(t, s, "b1", msg(-1, "1/2"), msg(-1, "2/2"))
	enqueue(t, s, "b2", msg(-2, "other"))

	first := claim(t, s, "A", t0, 10)
	if diff := cmp.Diff([]string{"1/2", "other"}, texts(first)); diff != "" {
		t.Fatalf("first claim (-want +got):\n%s", diff)
	}
	if more := claim(t, s, "B", t0, 10); len(more) != 0 {
		t.Fatalf("part 2 was claimable before part 1 settled: %v", texts(more))
	}
	// A retry later keeps part 2 waiting behind part 1.
	if err := s.RetryMessage(ctx, first[0].ID, "A", t0.Add(time.Minute), "timeout"); err != nil {
		t.Fatal(err)
	}
	if more := claim(t, s, "B", t0.Add(30*time.Second), 10); len(more) != 0 {
		t.Fatalf("part 2 overtook part 1 while it waited to retry: %v", texts(more))
	}
	again := claim(t, s, "B", t0.Add(time.Minute), 10)
	if diff := cmp.Diff([]string{"1/2"}, texts(again)); diff != "" {
		t.Fatalf("retry claim (-want +got):\n%s", diff)
	}
	if again[0].LastError != "timeout" || again[0].Attempts != 2 {
		t.Errorf("retried message = %+v", again[0])
	}
	if err := s.CompleteMessage(ctx, again[0].ID, "B", 1, t0); err != nil {
		t.Fatal(err)
	}
	last := claim(t, s, "B", t0.Add(time.Minute), 10)
	if diff := cmp.Diff([]string{"2/2"}, texts(last)); diff != "" {
		t.Errorf("last claim (-want +got):\n%s", diff)
	}
	// Released untried: ready again, the attempt not counted.
	if err := s.ReleaseMessage(ctx, last[0].ID, "B"); err != nil {
		t.Fatal(err)
	}
	rel := claim(t, s, "C", t0.Add(time.Minute), 10)
	if len(rel) != 1 || rel[0].Attempts != 1 {
		t.Errorf("after release: %+v", rel)
	}
	if err := s.FailMessage(ctx, rel[0].ID, "C", "400 bad request"); err != nil {
		t.Fatal(err)
	}
	st, err := s.OutboxStats(ctx, t0.Add(-time.Hour), 5)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 1 || st.Sent != 1 || st.Failed != 1 || len(st.RecentFailures) != 1 || st.RecentFailures[0].LastError != "400 bad request" {
		t.Errorf("stats = %+v", st)
	}
}

func TestExpireMessages(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	t0 := storetest.Now()
	late := msg(-1, "late")
	late.ExpiresAt = t0.Add(time.Hour)
	enqueue(t, s, "b", late)
	enqueue(t, s, "c", msg(-1, "after"))
	if n, err := s.ExpireMessages(ctx, t0); err != nil || n != 0 {
		t.Fatalf("ExpireMessages before = %d, %v", n, err)
	}
	// Expired messages are not handed out, and do not hold back the chat.
	got := claim(t, s, "A", t0.Add(2*time.Hour), 10)
	if diff := cmp.Diff([]string{"after"}, texts(got)); diff != "" {
		t.Errorf("claim after expiry (-want +got):\n%s", diff)
	}
	if n, err := s.ExpireMessages(ctx, t0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("ExpireMessages after = %d, %v; want 1", n, err)
	}
	ms, _ := s.Messages(ctx, "b")
	if ms[0].Status != store.MessageExpired {
		t.Errorf("status = %s, want expired", ms[0].Status)
	}
}

func TestReadyMessagesClaimsNothing(t *testing.T) {
	s := open(t)
	t0 := storetest.Now()
	enqueue(t, s, "b", msg(-1, "a"), msg(-1, "b"))
	for range 2 {
		got, err := s.ReadyMessages(t.Context(), t0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"a", "b"}, texts(got)); diff != "" {
			t.Errorf("ReadyMessages (-want +got):\n%s", diff)
		}
	}
	if got := claim(t, s, "A", t0, 10); len(got) != 1 {
		t.Errorf("after ReadyMessages, claimed %v; want the first message, still pending", texts(got))
	}
}

func TestButtonsRoundTrip(t *testing.T) {
	s := open(t)
	m := msg(-1, "x")
	m.Buttons = [][]store.OutboxButton{{{Text: "HN-03", Data: "d:3"}, {Text: "15/CT", Data: "d:15"}}}
	m.ThreadID = 12
	enqueue(t, s, "b", m)
	got := claim(t, s, "A", storetest.Now(), 1)
	want := m
	want.Part, want.Parts, want.Batch, want.Status, want.Attempts, want.LeaseOwner = 1, 1, "b", store.MessageSending, 1, "A"
	opts := cmpopts.IgnoreFields(store.OutboxMessage{}, "ID", "NotBefore", "LeaseUntil", "CreatedAt", "UpdatedAt")
	if diff := cmp.Diff(want, got[0], opts); diff != "" {
		t.Errorf("claimed message (-want +got):\n%s", diff)
	}
}

// TestTwoDispatchersNoDuplicates runs two stores on one database file, as
// two instances of the bot would, each with several workers claiming and
// settling at once: every message is claimed by exactly one of them.
func TestTwoDispatchersNoDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meetbot.db")
	openAt := func() *sqlstore.Store {
		s, err := sqlstore.Open(t.Context(), path, sqlstore.Options{Location: storetest.Loc, Now: storetest.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	a, b := openAt(), openAt()
	const chats, perChat = 40, 5
	for c := range chats {
		var ms []store.OutboxMessage
		for i := range perChat {
			ms = append(ms, msg(-int64(c+1), fmt.Sprintf("%d/%d", c, i)))
		}
		enqueue(t, a, fmt.Sprintf("b%d", c), ms...)
	}

	var (
		mu   sync.Mutex
		sent = map[int64]string{}
		wg   sync.WaitGroup
	)
	t0 := storetest.Now()
	for w := range 8 {
		s := a
		if w%2 == 1 {
			s = b
		}
		owner := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				ms, err := s.ClaimMessages(t.Context(), store.ClaimRequest{Owner: owner, Now: t0, Clock: t0, Lease: time.Minute, Limit: 3})
				if err != nil {
					t.Error(err)
					return
				}
				if len(ms) == 0 {
					return
				}
				for _, m := range ms {
					mu.Lock()
					prev, dup := sent[m.ID]
					sent[m.ID] = owner
					mu.Unlock()
					if dup {
						t.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
					}
					if err := s.CompleteMessage(t.Context(), m.ID, owner, int(m.ID), t0); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if len(sent) != chats*perChat {
		t.Errorf("%d messages sent, want %d", len(sent), chats*perChat)
	}
	st, _ := a.OutboxStats(t.Context(), t0.Add(-time.Hour), 0)
	if st.Pending != 0 || st.Sent != chats*perChat {
		t.Errorf("stats = %+v", st)
	}
}
