package handlers

import (
	"bytes"
	"context"
	"image/png"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

const (
	statsBound = int64(-4711) // bound to Huyện ủy Xín Mần
	statsAdmin = int64(1)     // the harness's user, when made an admin
	publicURL  = "https://bot.example.gov.vn"
)

// statsStore is the contract fixture with HN-03 (bdbp, meo-vac)
// restricted, over SQLite.
func statsStore(t *testing.T, ds *store.Dataset) *sqlstore.Store {
	t.Helper()
	if ds == nil {
		ds = storetest.Fixture()
		ds.Directives[2].Restricted = true
	}
	return openSQLite(t, ds, storetest.Loc, storetest.Now)
}

// statsHarness runs the handlers over st; admin makes the harness's user
// an office administrator.
func statsHarness(t *testing.T, st *sqlstore.Store, admin bool, public string) *harness {
	t.Helper()
	xm, err := st.FindUnits(context.Background(), "xin-man")
	if err != nil || len(xm) != 1 {
		t.Fatalf("xin-man: %v %v", xm, err)
	}
	cfg := Config{BotUsername: testBot, Location: storetest.Loc, PublicURL: public}
	if admin {
		cfg.AdminIDs = []int64{statsAdmin}
	}
	hs := &harness{t: t, sender: &fakeSender{t: t}, logs: &bytes.Buffer{}}
	hs.h = New(cfg, Deps{Store: st, Sender: hs.sender, Chats: fakeChats{statsBound: xm}, Stats: st, Feeds: st,
		Now: storetest.Now, Log: slog.New(slog.NewTextHandler(hs.logs, nil))})
	return hs
}

var spaces = regexp.MustCompile(`\s+`)

// tableRows returns the rows of the stats table, white space collapsed.
func tableRows(hs *harness) []string {
	hs.t.Helper()
	var rows []string
	for _, c := range hs.sender.calls {
		if c.Method != "SendMessage" {
			continue
		}
		m := regexp.MustCompile(`(?s)<pre>(.*?)</pre>`).FindStringSubmatch(c.Text)
		if m == nil {
			continue
		}
		for _, l := range strings.Split(visibleText(m[1]), "\n") {
			rows = append(rows, spaces.ReplaceAllString(strings.TrimSpace(l), " "))
		}
	}
	return rows
}

func hasRow(rows []string, want string) bool {
	for _, r := range rows {
		if r == want {
			return true
		}
	}
	return false
}

func TestStatsCommand(t *testing.T) {
	st := statsStore(t, nil)
	tests := []struct {
		name    string
		admin   bool
		chat    int64
		text    string
		rows    []string // rows the table has
		absent  []string // units it must not have
		units   int
		caption string
	}{
		{name: "everyone, what they may see", chat: privateChat, text: "/stats",
			rows: []string{"Đơn vị Đúng Trễ Trong Quá TX", "Đảng ủy Bộ đ…phòng tỉnh 0 0 0 0 1", "Huyện ủy Mèo Vạc 0 1 0 0 0",
				"Huyện ủy Xín Mần 1 0 0 0 1", "Huyện ủy Đồng Văn 1 0 0 1 0", "UBND tỉnh Hà Giang 0 1 0 0 0", "Cộng 2 2 0 1 2"},
			units: 5, caption: "✅ 2 · 🟡 2 · ⏳ 0 · 🔴 1 · 🔄 2 thường xuyên"},
		{name: "an administrator sees the restricted directive", admin: true, chat: privateChat, text: "/stats",
			rows: []string{"Đảng ủy Bộ đ…phòng tỉnh 0 0 1 0 1", "Huyện ủy Mèo Vạc 0 1 1 0 0", "Cộng 2 2 2 1 2"}, units: 5},
		{name: "a unit's chat: its own", chat: statsBound, text: "/stats@MeetBot",
			rows: []string{"Huyện ủy Xín Mần 1 0 0 0 1"}, absent: []string{"Huyện ủy Mèo Vạc", "Cộng"}, units: 1},
		{name: "a unit's chat: all", chat: statsBound, text: "/stats tất cả", rows: []string{"Huyện ủy Mèo Vạc 0 1 0 0 0"}, units: 5},
		{name: "one unit by alias", chat: privateChat, text: "/stats MV", rows: []string{"Huyện ủy Mèo Vạc 0 1 0 0"},
			absent: []string{"Huyện ủy Xín Mần"}, units: 1},
		{name: "one unit, administrator", admin: true, chat: privateChat, text: "/stats meo vac", rows: []string{"Huyện ủy Mèo Vạc 0 1 1 0"}, units: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := statsHarness(t, st, tt.admin, "")
			hs.say(tt.chat, tt.text)
			photo := hs.only("SendPhoto")
			if photo.ChatID != tt.chat {
				t.Errorf("photo sent to %v", photo.ChatID)
			}
			img, err := png.Decode(bytes.NewReader(photo.File))
			if err != nil {
				t.Fatalf("the chart is not a PNG: %v", err)
			}
			if img.Bounds().Dx() != 1000 || img.Bounds().Dy() < 200 {
				t.Errorf("chart of %v", img.Bounds())
			}
			if !strings.Contains(visibleText(photo.Text), "Thực hiện chỉ đạo theo đơn vị, tính đến 14/05/2024") ||
				!strings.Contains(visibleText(photo.Text), tt.caption) {
				t.Errorf("caption %q", visibleText(photo.Text))
			}
			if m := hs.sender.methods(); len(m) != 2 || m[0] != "SendPhoto" || m[1] != "SendMessage" {
				t.Errorf("calls %v, want the photo then the table", m)
			}
			rows := tableRows(hs)
			for _, want := range tt.rows {
				if !hasRow(rows, want) {
					t.Errorf("no row %q in\n%s", want, strings.Join(rows, "\n"))
				}
			}
			for _, name := range tt.absent {
				if strings.Contains(strings.Join(rows, "\n"), name) {
					t.Errorf("row of %s in\n%s", name, strings.Join(rows, "\n"))
				}
			}
			text := hs.replyText()
			if want := "Tính đến Thứ Ba, 14/05/2024 · " + strconv.Itoa(tt.units) + " đơn vị"; !strings.Contains(text, want) {
				t.Errorf("no %q in %s", want, text)
			}
			if filtered := strings.Contains(text, "Chỉ tính các chỉ đạo bạn được xem."); filtered == tt.admin {
				t.Errorf("filter note shown: %v, admin %v", filtered, tt.admin)
			}
		})
	}
}

func TestStatsCommandAnswers(t *testing.T) {
	st := statsStore(t, nil)
	hs := statsHarness(t, st, false, "")
	hs.say(privateChat, "/stats khong co don vi nay")
	if m := hs.sender.methods(); len(m) != 1 || m[0] != "SendMessage" || !strings.Contains(hs.replyText(), "Không tìm thấy đơn vị “khong co don vi nay”") {
		t.Errorf("unknown unit: %v %s", m, hs.replyText())
	}
	hs.sender.reset()
	hs.say(privateChat, "/stats huyện ủy")
	if text := hs.replyText(); !strings.Contains(text, "đơn vị khớp với “huyện ủy”") || !strings.Contains(text, "/stats xin-man") {
		t.Errorf("ambiguous unit: %s", text)
	}

	// No directives at all: a sentence, no chart.
	empty := storetest.Fixture()
	empty.Directives, empty.Meetings = nil, nil
	hs = statsHarness(t, statsStore(t, empty), false, "")
	hs.say(privateChat, "/stats")
	if m := hs.sender.methods(); len(m) != 1 || !strings.Contains(hs.replyText(), "Chưa có chỉ đạo nào được giao") {
		t.Errorf("no data: %v %s", m, hs.replyText())
	}

	// Without a stats reader (a front end without it).
	hs.h.deps.Stats = nil
	hs.sender.reset()
	hs.say(privateChat, "/stats")
	if !strings.Contains(hs.replyText(), "Thống kê chưa được bật") {
		t.Errorf("no stats reader: %s", hs.replyText())
	}
}

// calendarOf returns the calendar document sent, parsed, and its file name.
func calendarOf(t *testing.T, hs *harness) (map[string]*ics.VEvent, string) {
	t.Helper()
	doc := hs.only("SendDocument")
	cal, err := ics.ParseCalendar(bytes.NewReader(doc.File))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v", err)
	}
	if !bytes.Contains(doc.File, []byte("BEGIN:VCALENDAR\r\n")) {
		t.Error("no CRLF line ends")
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		out[e.Id()] = e
	}
	return out, doc.FileName
}

func TestCalendarCommand(t *testing.T) {
	st := statsStore(t, nil)
	ctx := context.Background()
	hn03, err := st.DirectiveByCode(ctx, "HN-03")
	if err != nil {
		t.Fatal(err)
	}
	unitOf := func(code string) store.Unit {
		us, err := st.FindUnits(ctx, code)
		if err != nil || len(us) != 1 {
			t.Fatalf("%s: %v %v", code, us, err)
		}
		return us[0]
	}
	xm, mv := unitOf("xin-man"), unitOf("meo-vac")
	tokXM, err := st.FeedToken(ctx, xm.ID)
	if err != nil {
		t.Fatal(err)
	}
	tokMV, err := st.FeedToken(ctx, mv.ID)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("private: what the user may see, no feed", func(t *testing.T) {
		hs := statsHarness(t, st, false, publicURL)
		hs.say(privateChat, "/calendar")
		evs, name := calendarOf(t, hs)
		if name != "lich-hop-va-han.ics" {
			t.Errorf("file %q", name)
		}
		if _, ok := evs["directive-"+strconv.FormatInt(hn03.ID, 10)+"@meetbot"]; ok {
			t.Error("the restricted HN-03 is in a public calendar")
		}
		if len(evs) != 3 { // two meetings, 15/CT-UBND
			t.Errorf("%d events: %v", len(evs), evs)
		}
		text := hs.replyText()
		if !strings.Contains(text, "Từ 14/04/2024 đến 14/05/2025: 2 cuộc họp, 1 hạn chỉ đạo chưa hoàn thành.") || strings.Contains(text, "/calendar/") {
			t.Errorf("reply: %s", text)
		}
	})
	t.Run("the unit's chat: its calendar and its feed", func(t *testing.T) {
		hs := statsHarness(t, st, false, publicURL)
		hs.say(statsBound, "/calendar@MeetBot")
		evs, name := calendarOf(t, hs)
		if name != "lich-xin-man.ics" {
			t.Errorf("file %q", name)
		}
		for uid := range evs {
			if strings.HasPrefix(uid, "directive-") && !strings.HasSuffix(uid, "-unit-"+strconv.FormatInt(xm.ID, 10)+"@meetbot") {
				t.Errorf("another unit's deadline %s", uid)
			}
		}
		if text := hs.replyText(); !strings.Contains(text, publicURL+"/calendar/"+tokXM+".ics") || !strings.Contains(text, "Huyện ủy Xín Mần") {
			t.Errorf("reply: %s", text)
		}
	})
	t.Run("another unit, not an admin: no feed", func(t *testing.T) {
		hs := statsHarness(t, st, false, publicURL)
		hs.say(privateChat, "/calendar meo vac")
		evs, name := calendarOf(t, hs)
		if name != "lich-meo-vac.ics" || evs["directive-"+strconv.FormatInt(hn03.ID, 10)+"-unit-"+strconv.FormatInt(mv.ID, 10)+"@meetbot"] != nil {
			t.Errorf("file %q, events %v", name, evs)
		}
		if text := hs.replyText(); strings.Contains(text, tokMV) || !strings.Contains(text, "được gửi trong nhóm Telegram của đơn vị") {
			t.Errorf("reply: %s", text)
		}
	})
	t.Run("an admin names a unit: its feed, restricted items included", func(t *testing.T) {
		hs := statsHarness(t, st, true, publicURL)
		hs.say(privateChat, "/calendar meo vac")
		evs, _ := calendarOf(t, hs)
		if evs["directive-"+strconv.FormatInt(hn03.ID, 10)+"-unit-"+strconv.FormatInt(mv.ID, 10)+"@meetbot"] == nil {
			t.Errorf("HN-03 missing from %v", evs)
		}
		if text := hs.replyText(); !strings.Contains(text, publicURL+"/calendar/"+tokMV+".ics") {
			t.Errorf("reply: %s", text)
		}
	})
	t.Run("no PUBLIC_URL", func(t *testing.T) {
		hs := statsHarness(t, st, false, "")
		hs.say(statsBound, "/calendar")
		calendarOf(t, hs)
		if text := hs.replyText(); !strings.Contains(text, "chưa được cấu hình (PUBLIC_URL)") || strings.Contains(text, tokXM) {
			t.Errorf("reply: %s", text)
		}
	})
}
