package scheduler

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/store"
	"meetbot/store/sqlstore"
)

// scriptedAPI is the Bot API under the real bot.Sender: it answers 429
// to the calls scripted and records when each call came (bubble time).
type scriptedAPI struct {
	mu    sync.Mutex
	fail  map[int64][]error
	calls map[int64][]time.Time
	ok    map[int64]int
}

func (a *scriptedAPI) SendMessage(_ context.Context, p *tgbot.SendMessageParams) (*models.Message, error) {
	chat := p.ChatID.(int64)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls[chat] = append(a.calls[chat], time.Now())
	if s := a.fail[chat]; len(s) > 0 {
		a.fail[chat] = s[1:]
		return nil, s[0]
	}
	a.ok[chat]++
	return &models.Message{ID: len(a.calls), Chat: models.Chat{ID: chat}}, nil
}
func (a *scriptedAPI) EditMessageText(context.Context, *tgbot.EditMessageTextParams) (*models.Message, error) {
	return nil, nil
}
func (a *scriptedAPI) AnswerCallbackQuery(context.Context, *tgbot.AnswerCallbackQueryParams) (bool, error) {
	return true, nil
}
func (a *scriptedAPI) AnswerInlineQuery(context.Context, *tgbot.AnswerInlineQueryParams) (bool, error) {
	return true, nil
}
func (a *scriptedAPI) SendDocument(context.Context, *tgbot.SendDocumentParams) (*models.Message, error) {
	return nil, nil
}
func (a *scriptedAPI) SendPhoto(context.Context, *tgbot.SendPhotoParams) (*models.Message, error) {
	return nil, nil
}

// Test429MidFanout sends one reminder to each of 60 unit chats through
// the real rate-limited sender; Telegram answers one of them 429 with
// retry_after 5. The sender waits exactly that long for that chat while
// the others go on, every chat gets its message once, and the global
// rate stays within 30 per second. Time is the synctest bubble's.
func Test429MidFanout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		deadline := d(2025, 5, 16)
		ds := testData(deadline)
		const n = 60
		addPosts(ds, n)
		h := newHarness(t, baseConfig(), ds)
		h.bindPosts(n)
		const hit = int64(-3025)
		api := &scriptedAPI{fail: map[int64][]error{hit: {&tgbot.TooManyRequestsError{Message: "Too Many Requests: retry after 5", RetryAfter: 5}}},
			calls: map[int64][]time.Time{}, ok: map[int64]int{}}
		svc := h.service(h.db, bot.NewSender(api, bot.SenderOptions{}))

		start := time.Now()
		now := at(2025, 5, 13, 7, 30)
		h.clock.Set(now)
		rep, err := svc.RunOnce(t.Context(), now, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Sent != n+2 || rep.Failed != 0 || rep.Retrying != 0 {
			t.Errorf("report: sent %d failed %d retrying %d; want %d, 0, 0", rep.Sent, rep.Failed, rep.Retrying, n+2)
		}
		for chat, c := range api.ok {
			if c != 1 {
				t.Errorf("chat %d got %d messages", chat, c)
			}
		}
		if len(api.ok) != n+2 {
			t.Errorf("%d chats reached, want %d", len(api.ok), n+2)
		}
		calls := api.calls[hit]
		if len(calls) != 2 || calls[1].Sub(calls[0]) < 5*time.Second {
			t.Errorf("the chat answered 429 was called at %v; want a second call at least 5s after the first", calls)
		}
		// No one-second window holds more than 30 sends (Telegram's limit).
		var all []time.Time
		for _, cs := range api.calls {
			all = append(all, cs...)
		}
		for _, a := range all {
			in := 0
			for _, b := range all {
				if !b.Before(a) && b.Sub(a) < time.Second {
					in++
				}
			}
			if in > 30 {
				t.Fatalf("%d sends within one second from %v", in, a.Sub(start))
			}
		}
		if took := time.Since(start); took < 5*time.Second || took > 10*time.Second {
			t.Errorf("fan-out took %v (virtual); want the 5 s wait and about 2 s of sending", took)
		}
	})
}

// countedReads counts the scheduler's reads of the chat registry and of
// units.
type countedReads struct {
	*sqlstore.Store
	mu    sync.Mutex
	reads map[string]int
}

func (r *countedReads) count(m string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reads[m]++
}

func (r *countedReads) Bindings(ctx context.Context) ([]store.Binding, error) {
	r.count("Bindings")
	return r.Store.Bindings(ctx)
}

func (r *countedReads) Units(ctx context.Context, f store.UnitFilter) ([]store.Unit, error) {
	r.count("Units")
	return r.Store.Units(ctx, f)
}

func (r *countedReads) Unit(ctx context.Context, id int64) (store.Unit, error) {
	r.count("Unit")
	return r.Store.Unit(ctx, id)
}

// TestPassReadsOncePerPass: a pass writing to many units reads the chat
// registry once to plan and once to compose, and the units once, not
// once per unit.
func TestPassReadsOncePerPass(t *testing.T) {
	deadline := d(2025, 5, 16)
	ds := testData(deadline)
	const n = 20
	addPosts(ds, n)
	h := newHarness(t, baseConfig(), ds)
	h.bindPosts(n)
	reads := &countedReads{Store: h.db, reads: map[string]int{}}
	svc, err := New(h.cfg, Deps{Records: reads, Store: reads, Sender: h.sender, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	now := at(2025, 5, 13, 7, 30)
	h.clock.Set(now)
	rep, err := svc.RunOnce(t.Context(), now, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != n+2 {
		t.Errorf("sent %d; want %d", rep.Sent, n+2)
	}
	if want := map[string]int{"Bindings": 2, "Units": 1}; !maps.Equal(reads.reads, want) {
		t.Errorf("reads in one pass = %v; want %v", reads.reads, want)
	}
	// Each unit's reminder names its unit (read from the one list).
	named := 0
	for _, m := range h.sender.take() {
		if m.ChatID > -3000 {
			continue
		}
		if name := fmt.Sprintf("Đồn Biên phòng số %d", -3000-m.ChatID); !strings.Contains(m.Text, name+"<") {
			t.Errorf("reminder to chat %d does not name %q: %q", m.ChatID, name, m.Text)
		}
		named++
	}
	if named != n {
		t.Errorf("%d reminders to the new units; want %d", named, n)
	}
}

// addPosts adds n border posts (don-00, don-01, …) to ds, each assigned
// its first directive.
func addPosts(ds *store.Dataset, n int) {
	for i := range n {
		code := fmt.Sprintf("don-%02d", i)
		ds.Units = append(ds.Units, store.UnitRecord{Code: code, Name: fmt.Sprintf("Đồn Biên phòng số %d", i)})
		ds.Directives[0].Assignments = append(ds.Directives[0].Assignments, store.AssignmentRecord{Unit: code})
	}
}

// bindPosts binds the posts of addPosts to chats -3000, -3001, ….
func (h *harness) bindPosts(n int) {
	for i := range n {
		h.bind(int64(-3000-i), 0, fmt.Sprintf("don-%02d", i))
	}
}
