package scheduler

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/tghtml"
)

// hcm is the office's zone in the tests.
var hcm = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

// at returns a local time in the office's zone.
func at(y int, m time.Month, day, hh, mm int) time.Time {
	return time.Date(y, m, day, hh, mm, 0, 0, hcm)
}

// fakeClock is the injected clock: tests move it by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// sentMsg is a message the fake sender accepted.
type sentMsg struct {
	ChatID   int64
	ThreadID int
	Text     string
	Buttons  [][]models.InlineKeyboardButton
	At       time.Time
	ID       int
}

// fakeSender records what is sent and fails as scripted. It checks what
// Telegram would refuse: a text over 4096 UTF-16 code units, callback data
// over 64 bytes, unbalanced HTML, a parse mode other than HTML.
type fakeSender struct {
	t     *testing.T
	clock func() time.Time

	mu     sync.Mutex
	sent   []sentMsg
	script map[int64][]error // next errors per chat; then success
	always map[int64]error   // every call to the chat fails so
	calls  int
}

func newFakeSender(t *testing.T, clock func() time.Time) *fakeSender {
	return &fakeSender{t: t, clock: clock, script: map[int64][]error{}, always: map[int64]error{}}
}

func (f *fakeSender) failNext(chat int64, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[chat] = append(f.script[chat], errs...)
}

func (f *fakeSender) failAlways(chat int64, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.always[chat] = err
}

// answerLocked counts a call to chat and returns the error scripted for
// it (failAlways, then failNext), or nil for a success; f.mu must be held.
func (f *fakeSender) answerLocked(chat int64) error {
	f.calls++
	if err := f.always[chat]; err != nil {
		return err
	}
	if s := f.script[chat]; len(s) > 0 {
		f.script[chat] = s[1:]
		return s[0]
	}
	return nil
}

var tagRE = regexp.MustCompile(`</?([a-z]+)[^>]*>`)

func checkTelegramMessage(t *testing.T, p *tgbot.SendMessageParams) {
	t.Helper()
	if p.ParseMode != models.ParseModeHTML {
		t.Errorf("parse mode %q, want HTML", p.ParseMode)
	}
	if n := tghtml.UTF16Len(p.Text); n > 4096 || n == 0 {
		t.Errorf("text of %d UTF-16 code units", n)
	}
	var stack []string
	for _, m := range tagRE.FindAllStringSubmatch(p.Text, -1) {
		if !slices.Contains([]string{"b", "i", "code", "pre"}, m[1]) {
			t.Errorf("unexpected tag %q in %q", m[0], p.Text)
		}
		if strings.HasPrefix(m[0], "</") {
			if len(stack) == 0 || stack[len(stack)-1] != m[1] {
				t.Errorf("unbalanced %s in %q", m[0], p.Text)
				return
			}
			stack = stack[:len(stack)-1]
		} else {
			stack = append(stack, m[1])
		}
	}
	if len(stack) > 0 {
		t.Errorf("unclosed %v in %q", stack, p.Text)
	}
	if strings.Count(p.Text, "<")-len(tagRE.FindAllString(p.Text, -1)) != 0 {
		t.Errorf("a raw '<' in %q", p.Text)
	}
	if kb, ok := p.ReplyMarkup.(*models.InlineKeyboardMarkup); ok {
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if len(b.CallbackData) == 0 || len(b.CallbackData) > 64 {
					t.Errorf("callback data %q is %d bytes", b.CallbackData, len(b.CallbackData))
				}
			}
		}
	}
}

func (f *fakeSender) SendMessage(_ context.Context, p *tgbot.SendMessageParams) (*models.Message, error) {
	checkTelegramMessage(f.t, p)
	chat := p.ChatID.(int64)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.answerLocked(chat); err != nil {
		return nil, err
	}
	m := sentMsg{ChatID: chat, ThreadID: p.MessageThreadID, Text: p.Text, At: f.clock(), ID: len(f.sent) + 100}
	if kb, ok := p.ReplyMarkup.(*models.InlineKeyboardMarkup); ok {
		m.Buttons = kb.InlineKeyboard
	}
	f.sent = append(f.sent, m)
	return &models.Message{ID: m.ID, Chat: models.Chat{ID: chat}}, nil
}

// take returns and forgets what was sent so far.
func (f *fakeSender) take() []sentMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.sent
	f.sent = nil
	return out
}

// Chats and units of the test data.
const (
	chatXinMan   = int64(-1001)
	chatMeoVac   = int64(-1002)
	topicMeoVac  = 7
	chatAdmin    = int64(-5000)
	chatLeaders  = int64(-6000)
	titleHN03    = "Mở luồng chuyên dùng vận chuyển hàng hóa cửa khẩu Thanh Thủy"
	titleHN01    = "Quản lý, bảo vệ đường biên giới quốc gia"
	titleClosed  = "Báo cáo đã đóng"
	titleDoneXM  = "Việc Xín Mần đã xong"
	unitXinMan   = "Huyện ủy Xín Mần"
	unitMeoVac   = "Huyện ủy Mèo Vạc"
	unitDongVan  = "Huyện ủy Đồng Văn"
	unitBorderGd = "Đảng ủy Bộ đội Biên phòng tỉnh"
)

// testData is a dataset with one directive due on deadline, assigned to
// Xín Mần (lead) and Mèo Vạc (support), a standing one, a closed one and
// one Xín Mần completed.
func testData(deadline store.Date) *store.Dataset {
	return &store.Dataset{
		Units: []store.UnitRecord{
			{Code: "bdbp", Name: unitBorderGd, Kind: store.KindBorderGuard},
			{Code: "xin-man", Name: unitXinMan, Kind: store.KindDistrict},
			{Code: "meo-vac", Name: unitMeoVac, Kind: store.KindDistrict},
			{Code: "dong-van", Name: unitDongVan, Kind: store.KindDistrict},
		},
		Directives: []store.DirectiveRecord{
			{Code: "HN-03", Title: titleHN03, IssuedOn: deadline.AddDays(-60), Deadline: deadline, DeadlineNote: "Hạn mẫu, do bản tin không nêu hạn",
				Assignments: []store.AssignmentRecord{{Unit: "xin-man", Role: store.RoleLead}, {Unit: "meo-vac", Role: store.RoleSupport}}},
			{Code: "HN-01", Title: titleHN01, IssuedOn: deadline.AddDays(-60),
				Assignments: []store.AssignmentRecord{{Unit: "xin-man"}, {Unit: "meo-vac"}}},
			{Code: "HN-09", Title: titleClosed, IssuedOn: deadline.AddDays(-60), Deadline: deadline, ClosedOn: deadline.AddDays(-30),
				Assignments: []store.AssignmentRecord{{Unit: "xin-man"}}},
			{Code: "HN-05", Title: titleDoneXM, IssuedOn: deadline.AddDays(-60), Deadline: deadline,
				Assignments: []store.AssignmentRecord{{Unit: "xin-man", CompletedOn: deadline.AddDays(-20)}}},
		},
	}
}

type harness struct {
	t      *testing.T
	path   string
	db     *sqlstore.Store
	clock  *fakeClock
	sender *fakeSender
	svc    *Service
	units  map[string]int64
	cfg    Config
}

// baseConfig is the configuration of most tests: the defaults of
// config.Config.
func baseConfig() Config {
	return Config{
		Location:         hcm,
		ReminderTime:     7*time.Hour + 30*time.Minute,
		Weekly:           true,
		MeetingOffsets:   []time.Duration{24 * time.Hour, 2 * time.Hour},
		AdminChatID:      chatAdmin,
		LeadershipChatID: 0,
		WeeklySchedule:   "off", // the digest tests turn it on
		InstanceID:       "test",
		Workers:          4,
	}
}

// newHarness opens a database in a temporary directory with ds imported
// and Xín Mần and Mèo Vạc (in a topic) bound to their chats.
func newHarness(t *testing.T, cfg Config, ds *store.Dataset) *harness {
	t.Helper()
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "meetbot.db"), clock: &fakeClock{t: at(2025, 1, 1, 0, 0)}, cfg: cfg}
	h.db = h.open()
	if _, err := h.db.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("import: %v", err)
	}
	us, err := h.db.Units(t.Context(), store.UnitFilter{IncludeRetired: true})
	if err != nil {
		t.Fatal(err)
	}
	h.units = map[string]int64{}
	for _, u := range us {
		h.units[u.Code] = u.ID
	}
	h.bind(chatXinMan, 0, "xin-man")
	h.bind(chatMeoVac, topicMeoVac, "meo-vac")
	h.sender = newFakeSender(t, h.clock.Now)
	h.svc = h.service(h.db, h.sender)
	return h
}

func (h *harness) open() *sqlstore.Store {
	h.t.Helper()
	db, err := sqlstore.Open(h.t.Context(), h.path, sqlstore.Options{Location: hcm, Now: h.clock.Now})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { _ = db.Close() })
	return db
}

func (h *harness) service(db *sqlstore.Store, sender Sender) *Service {
	h.t.Helper()
	svc, err := New(h.cfg, Deps{Records: db, Store: db, Sender: sender, Now: h.clock.Now})
	if err != nil {
		h.t.Fatal(err)
	}
	return svc
}

func (h *harness) bind(chat int64, thread int, unit string) {
	h.t.Helper()
	if _, err := h.db.BindChat(h.t.Context(), store.Binding{ChatID: chat, ThreadID: thread, UnitID: h.units[unit], ChatTitle: "Nhóm " + unit}); err != nil {
		h.t.Fatal(err)
	}
}

// run runs one pass at now (the clock set to it) and returns its report.
func (h *harness) run(now time.Time) Report {
	h.t.Helper()
	h.clock.Set(now)
	rep, err := h.svc.RunOnce(h.t.Context(), now, false)
	if err != nil {
		h.t.Fatalf("RunOnce(%s): %v", now.In(hcm).Format(time.DateTime), err)
	}
	return rep
}

// days runs passes on every day from first to last, at each local time
// of the day given as "HH:MM".
func (h *harness) days(first, last store.Date, clocks ...string) {
	h.t.Helper()
	for d := first; !d.After(last); d = d.AddDays(1) {
		for _, c := range clocks {
			var hh, mm int
			if _, err := fmt.Sscanf(c, "%d:%d", &hh, &mm); err != nil {
				h.t.Fatal(err)
			}
			h.run(at(d.Year, d.Month, d.Day, hh, mm))
		}
	}
}

// items returns the stored items of a kind.
func (h *harness) items(kind store.ReminderKind) []store.OutboxItem {
	h.t.Helper()
	its, err := h.db.Items(h.t.Context(), kind)
	if err != nil {
		h.t.Fatal(err)
	}
	return its
}

func (h *harness) directive(code string) store.Directive {
	h.t.Helper()
	d, err := h.db.DirectiveByCode(h.t.Context(), code)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// local formats an instant as "2006-01-02 15:04" in the office's zone.
func local(t time.Time) string { return t.In(hcm).Format("2006-01-02 15:04") }

// sendsTo returns the local times of the messages sent to chat.
func sendsTo(ms []sentMsg, chat int64) []string {
	out := []string{}
	for _, m := range ms {
		if m.ChatID == chat {
			out = append(out, local(m.At))
		}
	}
	return out
}
