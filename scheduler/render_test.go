package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
	"meetbot/tghtml"
)

func directiveN(i int, title string) store.Directive {
	return store.Directive{ID: int64(1000 + i), Code: fmt.Sprintf("KL-%03d/TB-UBND", i), Title: title, Deadline: d(2025, 5, 10+i%10),
		DeadlineNote: "Hạn mẫu <chưa chính thức>"}
}

func TestReminderEscapesEverything(t *testing.T) {
	r := NewRenderer(RenderOptions{Location: hcm})
	evil := `<a href="x">bấm</a> & <script>`
	out := r.Reminder(UnitReminder{
		Unit:      store.Unit{Name: "Đồn <Biên phòng> & \"Cửa khẩu\""},
		Today:     d(2025, 5, 13),
		Deadlines: []DeadlineItem{{Directive: store.Directive{ID: 7, Code: "15/CT-UBND<b>", Title: evil, Deadline: d(2025, 5, 13), DeadlineNote: evil}, Role: store.RoleSupport}},
		Meetings:  []MeetingItem{{Meeting: store.Meeting{ID: 3, Title: evil, Place: evil, ChairName: evil}, Start: at(2025, 5, 14, 8, 0)}},
	})
	if len(out) != 1 {
		t.Fatalf("%d parts", len(out))
	}
	text := out[0].Text
	if strings.Contains(text, "<a") || strings.Contains(text, "<script") || strings.Contains(text, "<b>\"") || strings.Contains(text, "CT-UBND<b>") {
		t.Errorf("data became markup:\n%s", text)
	}
	for _, want := range []string{"Đồn &lt;Biên phòng&gt; &amp; &quot;Cửa khẩu&quot;", "&lt;script&gt;", "hạn hôm nay", "phối hợp", "08:00, Thứ Tư, 14/05/2025 (ngày mai)"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
	want := [][]store.OutboxButton{{{Text: "📌 15/CT-UBND<b>", Data: "1:d:i7"}}} // button text is plain text
	if diff := cmp.Diff(want, out[0].Buttons); diff != "" {
		t.Errorf("buttons (-want +got):\n%s", diff)
	}
}

func TestReminderSplitsLongMessages(t *testing.T) {
	tests := []struct {
		name               string
		items, titleLen    int
		minParts, maxParts int
	}{
		{"one item", 1, 50, 1, 1},
		{"fifteen short items fit", 15, 50, 1, 1},
		{"sixteen items: the item bound", 16, 50, 2, 2},
		{"long titles: the length bound", 40, 290, 4, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRenderer(RenderOptions{Location: hcm})
			var items []DeadlineItem
			for i := range tt.items {
				// Vietnamese text and an emoji (two UTF-16 units).
				title := ""
				for len([]rune(title)) < tt.titleLen {
					title += "Đẩy mạnh tuyên truyền biên giới 🇻🇳 "
				}
				items = append(items, DeadlineItem{Directive: directiveN(i, title), Role: store.RoleLead})
			}
			out := r.Reminder(UnitReminder{Unit: store.Unit{Name: unitXinMan}, Today: d(2025, 5, 13), Deadlines: items})
			if len(out) < tt.minParts || len(out) > tt.maxParts {
				t.Errorf("%d parts, want %d to %d", len(out), tt.minParts, tt.maxParts)
			}
			seen := map[string]int{}
			for i, p := range out {
				if n := tghtml.UTF16Len(p.Text); n > 4096 {
					t.Errorf("part %d is %d UTF-16 code units", i+1, n)
				}
				if len(out) > 1 && !strings.Contains(p.Text, fmt.Sprintf("(%d/%d)", i+1, len(out))) {
					t.Errorf("part %d lacks its number:\n%.200s", i+1, p.Text)
				}
				// Each part's buttons are the items it lists.
				for _, row := range p.Buttons {
					if len(row) > 2 {
						t.Errorf("a row of %d buttons", len(row))
					}
					for _, b := range row {
						seen[b.Data]++
						id := strings.TrimPrefix(b.Data, "1:d:i")
						var n int
						fmt.Sscan(id, &n)
						if !strings.Contains(p.Text, fmt.Sprintf("KL-%03d/TB-UBND", n-1000)) {
							t.Errorf("part %d has a button for %s it does not list", i+1, b.Data)
						}
					}
				}
			}
			if len(seen) != tt.items {
				t.Errorf("%d buttons in all, want one per item (%d)", len(seen), tt.items)
			}
			for data, n := range seen {
				if n != 1 {
					t.Errorf("button %s appears %d times", data, n)
				}
			}
		})
	}
}

func TestWeeklyAndEscalationRender(t *testing.T) {
	r := NewRenderer(RenderOptions{Location: hcm})
	unit := store.Unit{ID: 5, Name: unitXinMan}
	open := []store.Directive{
		{ID: 1, Code: "A-1", Title: "Quá hạn", Deadline: d(2025, 5, 1), Assignments: []store.Assignment{{Unit: store.UnitRef{ID: 5}, Role: store.RoleLead, Percent: 40}}},
		{ID: 2, Code: "A-2", Title: "Trong hạn", Deadline: d(2025, 5, 20), Assignments: []store.Assignment{{Unit: store.UnitRef{ID: 5}}}},
		{ID: 3, Code: "A-3", Title: "Thường xuyên", Assignments: []store.Assignment{{Unit: store.UnitRef{ID: 5}}}},
	}
	w := r.Weekly(WeeklyDigest{Unit: unit, Today: d(2025, 5, 14), Directives: open})
	for _, want := range []string{"Tuần 12/05 – 18/05/2025", "Quá hạn: 1 · ⏳ Trong hạn: 1 · 🔄 Thường xuyên: 1", "Tiến độ: 40%", "quá hạn 13 ngày", "còn 6 ngày", "🔄 <b>A-3</b>"} {
		if !strings.Contains(w[0].Text, want) {
			t.Errorf("weekly lacks %q:\n%s", want, w[0].Text)
		}
	}
	empty := r.Weekly(WeeklyDigest{Unit: unit, Today: d(2025, 5, 14)})
	if !strings.Contains(empty[0].Text, "không còn nhiệm vụ nào đang mở") || len(empty[0].Buttons) != 0 {
		t.Errorf("empty weekly:\n%s", empty[0].Text)
	}
	none := r.Escalation(EscalationDigest{Today: d(2025, 5, 14)})
	if len(none) != 1 || !strings.Contains(none[0].Text, "Không có nhiệm vụ quá hạn") {
		t.Errorf("empty escalation: %+v", none)
	}
	e := r.Escalation(EscalationDigest{Today: d(2025, 5, 14), Units: []UnitOverdue{{Unit: unit, Directives: open[:1]}, {Unit: store.Unit{ID: 6, Name: "Đồn <6>"}, Directives: open[:1]}}})
	for _, want := range []string{"2 lượt nhiệm vụ quá hạn của 2 đơn vị", "🏢 <b>" + unitXinMan + "</b> (1)", "Đồn &lt;6&gt;"} {
		if !strings.Contains(e[0].Text, want) {
			t.Errorf("escalation lacks %q:\n%s", want, e[0].Text)
		}
	}
	if len(e[0].Buttons) != 1 || len(e[0].Buttons[0]) != 1 {
		t.Errorf("the same directive twice should give one button: %+v", e[0].Buttons)
	}
}

func TestCallbackDataOption(t *testing.T) {
	long := func(id int64) string { return strings.Repeat("x", 65) }
	r := NewRenderer(RenderOptions{DirectiveData: long})
	out := r.Reminder(UnitReminder{Unit: store.Unit{Name: "u"}, Today: d(2025, 5, 13), Deadlines: []DeadlineItem{{Directive: directiveN(1, "t")}}})
	if len(out[0].Buttons) != 0 {
		t.Errorf("callback data over 64 bytes made a button: %+v", out[0].Buttons)
	}
	r = NewRenderer(RenderOptions{DirectiveData: func(id int64) string { return fmt.Sprintf("d:%d", id) }})
	out = r.Reminder(UnitReminder{Unit: store.Unit{Name: "u"}, Today: d(2025, 5, 13), Deadlines: []DeadlineItem{{Directive: directiveN(1, "t")}}})
	if out[0].Buttons[0][0].Data != "d:1001" {
		t.Errorf("custom callback data: %+v", out[0].Buttons)
	}
}

func TestChatLostRender(t *testing.T) {
	r := NewRenderer(RenderOptions{Location: hcm})
	out := r.ChatLost(ChatLost{ChatID: -100123, ChatTitle: "", Reason: "not found", At: at(2025, 5, 13, 7, 31),
		Bindings: []store.Binding{{Unit: store.Unit{Name: unitMeoVac}, ThreadID: 7}}})
	for _, want := range []string{"(không rõ tên)", "<code>-100123</code>", "không tìm thấy nhóm", unitMeoVac + " (chủ đề 7)", "07:31, Thứ Ba, 13/05/2025"} {
		if !strings.Contains(out[0].Text, want) {
			t.Errorf("notice lacks %q:\n%s", want, out[0].Text)
		}
	}
}
