package handlers

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

// Data entry sets and clears the restricted flag ("Hạn chế") over the
// real SQLite store; the store then hides the record from strangers and
// shows it to the units concerned, and cards and lists mark it.

const directiveMark = "🔒 Hạn chế: chỉ quản trị viên và đơn vị được giao được xem"

func TestParseFlag(t *testing.T) {
	tests := []struct {
		name, text string
		on, ok     bool
	}{
		{"có", "có", true, true},
		{"without diacritics", "co", true, true},
		{"upper case", "CÓ", true, true},
		{"yes", "Yes", true, true},
		{"the label's words", "hạn chế", true, true},
		{"không", "không", false, true},
		{"khong", " khong ", false, true},
		{"no", "no", false, true},
		{"công khai", "Cong khai", false, true},
		{"neither", "cos", false, false},
		{"empty", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on, ok := parseFlag(tt.text)
			if on != tt.on || ok != tt.ok {
				t.Errorf("parseFlag(%q) = %v, %v; want %v, %v", tt.text, on, ok, tt.on, tt.ok)
			}
		})
	}
}

// TestRestrictOneLineForm: "hạn chế: có" in a one-line form, with or
// without diacritics; a value that is neither yes nor no is refused
// naming the part.
func TestRestrictOneLineForm(t *testing.T) {
	tests := []struct {
		name, label string
		restricted  bool
	}{
		{"có", "hạn chế: có", true},
		{"folded", "han che: co", true},
		{"yes", "Hạn chế: yes", true},
		{"không", "hạn chế: không", false},
		{"khong", "han che:khong", false},
		{"no", "hạn chế: no", false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOfficeHarness(t, nil)
			code := "MAT-1" + strconv.Itoa(i)
			o.say(officeAdmin, officeAdmin.ID, "/newdirective "+code+" | Tuần tra mốc 201 | hạn 30/06/2024 | chủ trì: xin-man | "+tt.label)
			want := "Hạn chế: Không (công khai)"
			if tt.restricted {
				want = "Hạn chế: Có — chỉ quản trị viên và đơn vị được giao được xem"
			}
			o.want("Chỉ đạo mới — kiểm tra trước khi lưu", want)
			o.tap(officeAdmin, officeAdmin.ID, "💾 Lưu")
			o.want("✅ Đã lưu chỉ đạo mới.")
			if tt.restricted {
				o.want(directiveMark)
			} else {
				o.lacks("🔒")
			}
			if d := o.directive(code); d.Restricted != tt.restricted {
				t.Errorf("stored restricted = %v, want %v", d.Restricted, tt.restricted)
			}
			o.say(stranger, stranger.ID, "/directive "+code)
			if tt.restricted {
				o.lacks("Tuần tra mốc 201")
			} else {
				o.want("Tuần tra mốc 201")
			}
			o.quiet()
		})
	}

	t.Run("neither yes nor no", func(t *testing.T) {
		o := newOfficeHarness(t, nil)
		o.say(officeAdmin, officeAdmin.ID, "/newdirective MAT-20 | Tuần tra mốc 201 | hạn 30/06/2024 | chủ trì: xin-man | hạn chế: cos")
		o.want("Phần 5 (“hạn chế: cos”): không hiểu. Hãy ghi “có”", "ví dụ: hạn chế: có.", "hạn chế: Hạn chế — có hoặc không")
		o.lacks("kiểm tra trước khi lưu")
		o.quiet()
	})
}

// TestRestrictGuided: a program entered step by step, "🔒 Hạn chế"
// chosen at the last question; its card and the admin's list mark it,
// a stranger's list does not show it.
func TestRestrictGuided(t *testing.T) {
	o := newOfficeHarness(t, nil)
	me := officeAdmin.ID
	o.say(officeAdmin, me, "/newprogram")
	o.say(officeAdmin, me, "Đồng hành cùng phụ nữ biên cương")
	o.tap(officeAdmin, me, "Mô hình")
	o.say(officeAdmin, me, "2024")
	o.tap(officeAdmin, me, "⏭ Bỏ qua") // vision
	o.say(officeAdmin, me, "xin-man")
	o.tap(officeAdmin, me, "⏭ Bỏ qua") // description
	o.want("bước 7/7", "Hạn chế người xem chương trình này?", "[🔒 Hạn chế]", "[Công khai]", "[⏭ Bỏ qua]",
		"Bấm “Bỏ qua” thì chương trình này công khai.")
	o.tap(officeAdmin, me, "🔒 Hạn chế")
	o.want("Chương trình mới — kiểm tra trước khi lưu",
		"Hạn chế: Có — chỉ quản trị viên, cơ quan chủ trì và đơn vị thực hiện chỉ đạo thuộc chương trình được xem")
	o.tap(officeAdmin, me, "💾 Lưu")
	o.want("✅ Đã lưu chương trình mới.", "📚 Đồng hành cùng phụ nữ biên cương\n🔒 Hạn chế: chỉ quản trị viên, cơ quan chủ trì và đơn vị thực hiện chỉ đạo thuộc chương trình được xem")

	o.say(officeAdmin, me, "/programs")
	o.want(". 🔒 Đồng hành cùng phụ nữ biên cương", "[3. 🔒 Đồng hành")
	o.say(stranger, stranger.ID, "/programs")
	o.lacks("Đồng hành cùng phụ nữ biên cương")
	o.say(xmMember, boundChat, "/programs") // Xín Mần owns it
	o.want("🔒 Đồng hành cùng phụ nữ biên cương")
	o.quiet()
}

// TestRestrictEdit: /edit toggles the flag of a public directive; then a
// stranger no longer sees it, a member of an assigned unit still does,
// with the mark, and /history shows the change; toggled back, the
// stranger sees it again.
func TestRestrictEdit(t *testing.T) {
	o := newOfficeHarness(t, nil)
	me := officeAdmin.ID
	const title = "Quản lý, bảo vệ đường biên giới và mốc quốc giới"
	o.say(stranger, stranger.ID, "/directive HN-01")
	o.want(title)
	o.lacks("🔒")

	o.say(officeAdmin, me, "/edit HN-01")
	o.want("Sửa mục nào?", "[Hạn chế]")
	o.tap(officeAdmin, me, "Hạn chế")
	o.want("Hạn chế người xem chỉ đạo này?", "Hiện tại: Không (công khai)", "[🔒 Hạn chế]", "[Công khai]", "[↩ Giữ nguyên]")
	o.lacks("Để trống", "Bỏ qua")
	o.say(officeAdmin, me, "co")
	o.want("kiểm tra trước khi lưu", "Hạn chế: Có — chỉ quản trị viên và đơn vị được giao được xem", "trước đây: Không (công khai)")
	o.tap(officeAdmin, me, "💾 Lưu")
	o.want("✅ Đã lưu thay đổi.", title+"\n"+directiveMark)
	if d := o.directive("HN-01"); !d.Restricted {
		t.Fatalf("HN-01 is not restricted after the edit")
	}

	o.say(stranger, stranger.ID, "/directive HN-01")
	o.lacks(title)
	o.say(stranger, stranger.ID, "/directives tất cả")
	o.lacks(title)
	start := len(o.sender.calls)
	o.say(xmMember, boundChat, "/directive HN-01")
	o.want(title, directiveMark)
	o.say(xmMember, boundChat, "/directives tất cả")
	o.want("HN-01 🔒 "+title, "[4. 🔒 HN-01")
	o.say(xmMember, boundChat, "/search bien gioi va moc")
	o.want("🔒 " + title)

	// Inline: the result's title and message carry the mark.
	o.n++
	o.h.Handle(context.Background(), &models.Update{ID: o.n, InlineQuery: &models.InlineQuery{ID: "iq", From: &xmMember, Query: "HN-01"}})
	ans := o.sender.calls[len(o.sender.calls)-1].Inline
	found := false
	for _, r := range ans.Results {
		if a := r.(*models.InlineQueryResultArticle); strings.Contains(a.Title, "HN-01") {
			found = true
			text := a.InputMessageContent.(*models.InputTextMessageContent).MessageText
			if !strings.HasPrefix(a.Title, "🔒 ") || !strings.Contains(text, directiveMark) {
				t.Errorf("inline result %q lacks the mark:\n%s", a.Title, text)
			}
		}
	}
	if !found {
		t.Errorf("no inline result for HN-01 in %d results", len(ans.Results))
	}
	golden(t, "restricted_member_views", formatCalls(o.sender.calls[start:]))

	o.say(officeAdmin, me, "/history HN-01")
	o.want("Cán bộ Văn Phòng", "Hạn chế: Không → Có")
	golden(t, "restricted_history", formatCalls(o.sender.calls[o.mark:]))
	d := o.directive("HN-01")
	h, err := o.st.History(context.Background(), store.RecordDirective, d.ID)
	if err != nil || len(h) == 0 || h[0].Actor.ID != officeAdmin.ID || len(h[0].Changes) != 1 || h[0].Changes[0].Field != "restricted" {
		t.Errorf("history %+v, %v", h, err)
	}

	// And back, from the card's button.
	o.say(officeAdmin, me, "/directive HN-01")
	o.tap(officeAdmin, me, "✏️ Sửa")
	o.tap(officeAdmin, me, "Hạn chế")
	o.want("Hiện tại: Có — chỉ quản trị viên và đơn vị được giao được xem")
	o.tap(officeAdmin, me, "Công khai")
	o.want("Hạn chế: Không (công khai)", "trước đây: Có")
	o.tap(officeAdmin, me, "💾 Lưu")
	o.want("✅ Đã lưu thay đổi.", title)
	o.lacks("🔒")
	o.say(stranger, stranger.ID, "/directive HN-01")
	o.want(title)
	o.say(officeAdmin, me, "/history HN-01")
	o.want("Hạn chế: Có → Không", "Hạn chế: Không → Có")
	o.quiet()
}

// TestRestrictMeetingCard: a meeting made restricted by /edit is marked
// on its card and in the meetings list.
func TestRestrictMeetingCard(t *testing.T) {
	o := newOfficeHarness(t, nil)
	me := officeAdmin.ID
	o.say(officeAdmin, me, "/edit họp 1")
	o.tap(officeAdmin, me, "Hạn chế")
	o.tap(officeAdmin, me, "🔒 Hạn chế")
	o.tap(officeAdmin, me, "💾 Lưu")
	o.want("✅ Đã lưu thay đổi.", "🔒 Hạn chế: chỉ quản trị viên, đơn vị tổ chức và đơn vị dự được xem")
	o.say(officeAdmin, me, "/meetings đã qua")
	o.want("— 🔒 Hội nghị sơ kết")
	o.say(stranger, stranger.ID, "/meetings đã qua")
	o.lacks("Hội nghị sơ kết")
	o.quiet()
}
