package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"meetbot/internal/sqltest"
	"meetbot/store"
	"meetbot/store/cache"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// Both engines the bot is wired with satisfy the handlers' Store.
var (
	_ Store = (*sqlstore.Store)(nil)
	_ Store = (*cache.Cache)(nil)
)

// openSQLite opens a real SQLite store in a temporary directory and
// imports ds into it.
func openSQLite(t *testing.T, ds *store.Dataset, loc *time.Location, now func() time.Time) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	st := sqltest.Open(t, loc, now)
	if _, err := st.Import(ctx, ds, store.Actor{Name: "test"}); err != nil {
		t.Fatalf("import: %v", err)
	}
	return st
}

// newSQLiteHarness runs the handlers over a real store.
func newSQLiteHarness(t *testing.T, st Store, loc *time.Location, now func() time.Time, chats ChatUnits) *harness {
	t.Helper()
	hs := &harness{t: t, sender: &fakeSender{t: t}, logs: &bytes.Buffer{}}
	hs.h = New(Config{BotUsername: testBot, Location: loc, PageSize: 3}, Deps{
		Store: st, Sender: hs.sender, Chats: chats, Now: now,
		Log: slog.New(slog.NewTextHandler(hs.logs, nil)),
	})
	return hs
}

// TestWithSQLite runs the handlers over the SQLite engine loaded with the
// store's contract fixture.
func TestWithSQLite(t *testing.T) {
	st := openSQLite(t, storetest.Fixture(), storetest.Loc, storetest.Now)
	ctx := context.Background()
	xm, err := st.FindUnits(ctx, "xin-man")
	if err != nil || len(xm) != 1 {
		t.Fatalf("FindUnits(xin-man) = %v, %v", xm, err)
	}
	const bound = int64(-4711)
	hs := newSQLiteHarness(t, st, storetest.Loc, storetest.Now, fakeChats{bound: xm})

	checkReplies(t, hs, []replyCase{
		{name: "help", chat: privateChat, text: "/help", want: []string{"/directives"}},
		{name: "meetings", chat: privateChat, text: "/meetings", want: []string{"Họp triển khai nhiệm vụ tháng 6", "Hội nghị sơ kết quy chế phối hợp biên giới"}},
		{name: "meetings of a month", chat: privateChat, text: "/meetings 04/2024", want: []string{"Hội nghị sơ kết quy chế phối hợp biên giới"}},
		{name: "directives of a unit by alias", chat: privateChat, text: "/directives meo vac", want: []string{"Chỉ đạo giao cho Huyện ủy Mèo Vạc"}},
		{name: "done late", chat: privateChat, text: "/directives MV hoàn thành quá hạn", want: []string{"15/CT-UBND", "Hoàn thành quá hạn"}},
		{name: "directive by code", chat: privateChat, text: "/directive 15/CT-UBND", want: []string{"Hạn mẫu", "Đã tổ chức 3 buổi", "Huyện ủy Đồng Văn"}},
		{name: "overdue", chat: privateChat, text: "/overdue", want: []string{"15/CT-UBND", "quá hạn 4 ngày"}},
		{name: "deadlines", chat: privateChat, text: "/deadlines 10", want: []string{"HN-03"}},
		{name: "units", chat: privateChat, text: "/units", want: []string{"Huyện ủy Xín Mần", "xin-man", "MV, meo vac"}},
		{name: "programs", chat: privateChat, text: "/programs", want: []string{"2020–2025, tầm nhìn 2030"}},
		{name: "search without diacritics", chat: privateChat, text: "bien gioi", want: []string{"Kết quả tìm kiếm"}},
		{name: "search for a code", chat: privateChat, text: "/search 15/CT-UBND", want: []string{"15/CT-UBND"}},
		{name: "search with syntax characters", chat: privateChat, text: `/search "biên" * OR 'x' %`, want: []string{"Kết quả tìm kiếm"}},
		{name: "bound chat", chat: bound, text: "/directives@MeetBot", want: []string{"Chỉ đạo giao cho Huyện ủy Xín Mần"}},
		{name: "unknown id", chat: privateChat, text: "/directive 999", want: []string{"Không tìm thấy chỉ đạo số 999."}},
	})
	t.Run("every button", func(t *testing.T) { hs.pressEverything(t, 20) })
	t.Run("inline", func(t *testing.T) { hs.inlineAnswers(t, "", "bien gioi") })
	if strings.Contains(hs.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", hs.logs)
	}
}
