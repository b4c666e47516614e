package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/demo"
	"meetbot/store"
	"meetbot/store/storetest"
)

// TestWithDemoData runs the handlers over the SQLite engine loaded with
// the embedded demo dataset, whose sample deadlines follow the clock: on
// any day the same states show.
func TestWithDemoData(t *testing.T) {
	loc := storetest.Loc
	now := time.Date(2025, time.June, 2, 9, 0, 0, 0, loc)
	clock := func() time.Time { return now }
	ds, err := demo.Dataset(now, loc)
	if err != nil {
		t.Fatalf("demo dataset: %v", err)
	}
	st := openSQLite(t, ds, loc, clock)
	ctx := context.Background()
	xm, err := st.FindUnits(ctx, "xin-man")
	if err != nil || len(xm) != 1 {
		t.Fatalf("FindUnits(xin-man) = %v, %v", xm, err)
	}
	project, err := st.Search(ctx, store.SearchQuery{Text: "Vân Nam", Kinds: []store.RecordKind{store.RecordProgram}})
	if err != nil || len(project.Items) != 1 {
		t.Fatalf("the cooperation project: %+v, %v", project, err)
	}
	const bound = int64(-4711)
	hs := newSQLiteHarness(t, st, loc, clock, fakeChats{bound: xm})

	checkReplies(t, hs, []replyCase{
		{name: "meetings: the sample one is upcoming, the seed one past", chat: privateChat, text: "/meetings",
			want: []string{"04/06/2025 08:00", "(dữ liệu mẫu)", "17/04/2024 08:00", "Hội nghị sơ kết 1 năm"}},
		{name: "the seed meeting's month", chat: privateChat, text: "/meetings 4/2024", want: []string{"Hội nghị sơ kết 1 năm"}},
		{name: "overdue", chat: privateChat, text: "/overdue", want: []string{"HNXM-2024/05", "quá hạn 7 ngày", "Huyện ủy Mèo Vạc"}},
		{name: "deadlines this week", chat: privateChat, text: "/deadlines", want: []string{"HNXM-2024/03", "còn 3 ngày"}},
		{name: "a unit's overdue share", chat: privateChat, text: "/directives meo vac qua han", want: []string{"Chỉ đạo giao cho Huyện ủy Mèo Vạc", "HNXM-2024/05"}},
		{name: "done late", chat: privateChat, text: "/directives Hoàng Su Phì hoàn thành quá hạn", want: []string{"HNXM-2024/01", "Hoàn thành quá hạn"}},
		{name: "standing", chat: privateChat, text: "/directives thuong xuyen", want: []string{"HNXM-2024/02", "HNXM-2024/06", "HNXM-2024/07", "Thường xuyên"}},
		{name: "directive with reports", chat: privateChat, text: "/directive HNXM-2024/03", want: []string{"Nguyễn Văn Sơn", "Báo cáo gần nhất", "80%", "Chủ trì", "Phối hợp"}},
		{name: "the project", chat: privateChat, text: fmt.Sprintf("/program %d", project.Items[0].ID), want: []string{"2020–2025, tầm nhìn 2030"}},
		{name: "programs", chat: privateChat, text: "/programs", want: []string{"8 chương trình", "Cán bộ chiến sĩ quân đội nâng bước em tới trường"}},
		{name: "units", chat: privateChat, text: "/units", want: []string{"Huyện ủy Hoàng Su Phì", "hoang-su-phi", "Cấp huyện"}},
		{name: "search without diacritics", chat: privateChat, text: "moc quoc gioi", want: []string{"Kết quả tìm kiếm", "HNXM-2024/02"}},
		{name: "bound chat", chat: bound, text: "/overdue@MeetBot", want: []string{"Đơn vị: Huyện ủy Xín Mần"}},
		{name: "deep link", chat: privateChat, text: "/start m_1", want: []string{"Nguyễn Văn Sơn"}},
	})
	t.Run("every directive renders", func(t *testing.T) {
		for i := 1; i <= 7; i++ {
			hs.use(t)
			hs.say(privateChat, fmt.Sprintf("/directive HNXM-2024/%02d", i))
			if got := hs.replyText(); !strings.Contains(got, "mẫu") {
				t.Errorf("directive %d does not say its data is a sample:\n%s", i, got)
			}
		}
	})
	t.Run("every button", func(t *testing.T) { hs.pressEverything(t, 30) })
	t.Run("inline", func(t *testing.T) {
		answers := hs.inlineAnswers(t, "", "bien gioi")
		first := answers[0].Inline.Results
		if len(first) == 0 {
			t.Fatal("no result for the empty query")
		}
		if a := first[0].(*models.InlineQueryResultArticle); !strings.HasPrefix(a.Title, "HNXM-2024/05") {
			t.Errorf("the first result is %q, want the overdue HNXM-2024/05", a.Title)
		}
	})
	if strings.Contains(hs.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", hs.logs)
	}
}
