package scheduler

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/tghtml"
)

// photoMark starts the text of a photo the fake sender records.
const photoMark = "[photo] "

// SendPhoto records a photo as a message whose text is photoMark and
// the caption, after checking what Telegram would: a PNG, a caption of
// at most 1024 characters in valid HTML.
func (f *fakeSender) SendPhoto(_ context.Context, p *tgbot.SendPhotoParams) (*models.Message, error) {
	up, ok := p.Photo.(*models.InputFileUpload)
	if !ok {
		f.t.Errorf("photo %T, want an upload", p.Photo)
		return nil, io.ErrUnexpectedEOF
	}
	data, err := io.ReadAll(up.Data)
	if err != nil {
		return nil, err
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		f.t.Errorf("photo is not a PNG: %v", err)
	}
	plain, _, err := tghtml.Parse(p.Caption)
	if err != nil || tghtml.UTF16Len(plain) > 1024 || p.ParseMode != models.ParseModeHTML {
		f.t.Errorf("caption Telegram would refuse (%v, %d): %q", err, utf8.RuneCountInString(plain), p.Caption)
	}
	chat := p.ChatID.(int64)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.answerLocked(chat); err != nil {
		return nil, err
	}
	m := sentMsg{ChatID: chat, ThreadID: p.MessageThreadID, Text: photoMark + p.Caption, At: f.clock(), ID: len(f.sent) + 100}
	f.sent = append(f.sent, m)
	return &models.Message{ID: m.ID, Chat: models.Chat{ID: chat}}, nil
}

func (c *crashSender) SendPhoto(context.Context, *tgbot.SendPhotoParams) (*models.Message, error) {
	c.calls++
	runtime.Goexit()
	return nil, nil
}

// statsConfig sends the weekly statistics (and nothing else) to the
// leadership.
func statsConfig() Config {
	cfg := baseConfig()
	cfg.LeadershipChatID = chatLeaders
	cfg.DigestSchedule = "off"
	cfg.Ladder.Off = true
	cfg.MeetingOffsets = nil
	return cfg
}

// statsService is a service of h with the stats source, sending through
// sender.
func (h *harness) statsService(sender Sender) *Service {
	h.t.Helper()
	svc, err := New(h.cfg, Deps{Records: h.db, Store: h.db, Sender: sender, Stats: h.db, Now: h.clock.Now})
	if err != nil {
		h.t.Fatal(err)
	}
	return svc
}

// leaders returns what was sent to the leadership chat: "photo" or
// "table" per message.
func leaders(ms []sentMsg) []string {
	var out []string
	for _, m := range ms {
		if m.ChatID != chatLeaders {
			continue
		}
		switch {
		case strings.HasPrefix(m.Text, photoMark):
			out = append(out, "photo")
		case strings.Contains(m.Text, "<pre>"):
			out = append(out, "table")
		default:
			out = append(out, "other: "+m.Text)
		}
	}
	return out
}

var collapse = regexp.MustCompile(`\s+`)

func TestWeeklyStatsOncePerWeek(t *testing.T) {
	t.Parallel()
	h := newHarness(t, statsConfig(), testData(d(2026, 12, 1)))
	h.svc = h.statsService(h.sender)
	other := newFakeSender(t, h.clock.Now)
	second := h.statsService(other) // another instance on the same database

	// Monday 07 December 2026: nothing before 08:00.
	h.run(at(2026, 12, 7, 7, 59))
	if got := leaders(h.sender.take()); len(got) != 0 {
		t.Fatalf("before 08:00: %v", got)
	}

	// 08:00: both instances pass at once; one photo and one table go out.
	now := at(2026, 12, 7, 8, 0)
	h.clock.Set(now)
	var wg sync.WaitGroup
	for _, svc := range []*Service{h.svc, second} {
		wg.Go(func() {
			if _, err := svc.RunOnce(t.Context(), now, false); err != nil {
				t.Errorf("RunOnce: %v", err)
			}
		})
	}
	wg.Wait()
	sent := append(h.sender.take(), other.take()...)
	if got := strings.Join(leaders(sent), ","); got != "photo,table" {
		t.Fatalf("at 08:00 the leadership got %q, want photo,table", got)
	}
	var photo, table string
	for _, m := range sent {
		if strings.HasPrefix(m.Text, photoMark) {
			photo = m.Text
		} else {
			table = collapse.ReplaceAllString(m.Text, " ")
		}
	}
	if !strings.Contains(photo, "Thực hiện chỉ đạo theo đơn vị</b>, tính đến 07/12/2026") {
		t.Errorf("caption %q", photo)
	}
	for _, want := range []string{"Thống kê thực hiện chỉ đạo theo đơn vị", "Tính đến Thứ Hai, 07/12/2026 · 2 đơn vị",
		"Huyện ủy Xín Mần 2 0 0 1 1", "Huyện ủy Mèo Vạc 0 0 0 1 1"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "Chỉ tính các chỉ đạo bạn được xem") {
		t.Error("the leadership's statistics are filtered")
	}

	// Later passes, on either instance, and a restart: nothing more.
	h.run(at(2026, 12, 7, 8, 1))
	if _, err := second.RunOnce(t.Context(), at(2026, 12, 7, 9, 0), false); err != nil {
		t.Fatal(err)
	}
	h.svc = h.statsService(h.sender) // restarted
	h.days(d(2026, 12, 8), d(2026, 12, 13), "08:00", "15:00")
	if got := leaders(append(h.sender.take(), other.take()...)); len(got) != 0 {
		t.Errorf("the rest of the week: %v", got)
	}

	// The next Monday: once again.
	h.run(at(2026, 12, 14, 8, 0))
	h.run(at(2026, 12, 14, 8, 30))
	if got := strings.Join(leaders(h.sender.take()), ","); got != "photo,table" {
		t.Errorf("next Monday: %q", got)
	}
	if n := len(h.items(KindStats)); n != 2 {
		t.Errorf("%d statistics items, want one per week", n)
	}
}

func TestWeeklyStatsOnHolidayMonday(t *testing.T) {
	t.Parallel()
	// Monday 01/09/2025 and Tuesday 02/09/2025 are National Day holidays:
	// the statistics go out on Wednesday at 08:00.
	h := newHarness(t, statsConfig(), testData(d(2025, 8, 20)))
	h.svc = h.statsService(h.sender)
	h.days(d(2025, 8, 31), d(2025, 9, 2), "08:00", "10:00")
	h.run(at(2025, 9, 3, 7, 59))
	if got := leaders(h.sender.take()); len(got) != 0 {
		t.Fatalf("before Wednesday 08:00: %v", got)
	}
	h.run(at(2025, 9, 3, 8, 0))
	h.days(d(2025, 9, 4), d(2025, 9, 7), "08:00")
	ms := h.sender.take()
	if got := strings.Join(leaders(ms), ","); got != "photo,table" {
		t.Fatalf("got %q, want photo,table once", got)
	}
	if at := sendsTo(ms, chatLeaders); at[0] != "2025-09-03 08:00" {
		t.Errorf("sent at %v", at)
	}
}

func TestWeeklyStatsOff(t *testing.T) {
	t.Parallel()
	cfg := statsConfig()
	cfg.StatsSchedule = "off"
	h := newHarness(t, cfg, testData(d(2026, 12, 1)))
	h.svc = h.statsService(h.sender)
	h.run(at(2026, 12, 7, 8, 0))
	// Without a stats source, or without a leadership chat, neither.
	h.cfg = statsConfig()
	h.svc = h.service(h.db, h.sender)
	h.run(at(2026, 12, 7, 8, 5))
	h.cfg.LeadershipChatID = 0
	h.svc = h.statsService(h.sender)
	h.run(at(2026, 12, 7, 8, 10))
	if got := leaders(h.sender.take()); len(got) != 0 {
		t.Errorf("sent %v", got)
	}
	cfg.StatsSchedule = "0 8 * *"
	if _, err := New(cfg, Deps{Records: h.db, Store: h.db, Sender: h.sender}); err == nil || !strings.Contains(err.Error(), "STATS_SCHEDULE") {
		t.Errorf("a bad schedule: %v", err)
	}
}

// TestWeeklyStatsPhotoRetried: a failed photo is retried like any
// message, and the table waits for it (messages to a chat go in order).
func TestWeeklyStatsPhotoRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t, statsConfig(), testData(d(2026, 12, 1)))
	h.svc = h.statsService(h.sender)
	h.sender.failNext(chatLeaders, io.ErrUnexpectedEOF)
	h.run(at(2026, 12, 7, 8, 0))
	if got := leaders(h.sender.take()); len(got) != 0 {
		t.Fatalf("after a failed photo: %v", got)
	}
	h.run(at(2026, 12, 7, 8, 5)) // the backoff (1 min) has passed
	if got := strings.Join(leaders(h.sender.take()), ","); got != "photo,table" {
		t.Errorf("after the retry: %q", got)
	}
}
