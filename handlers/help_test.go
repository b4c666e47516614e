package handlers

import (
	"strings"
	"testing"

	"meetbot/tghtml"
)

func TestHelpParts(t *testing.T) {
	tests := []struct {
		args    string
		want    []string
		wantNot []string
	}{
		{args: "", want: []string{"/meetings", "/done", "Dành cho quản trị viên văn phòng", "/pending"}, wantNot: []string{"/pending — ", "Ví dụ: /admin add"}},
		{args: "quản trị", want: []string{"/pending — ", "/admin add 123456789", "/newdirective", "/template", "ADMIN_IDS"}, wantNot: []string{"/meetings"}},
		{args: "quan tri", want: []string{"/export — "}},
		{args: "admin", want: []string{"/extend"}},
		{args: "done", want: []string{"/done <số|ký hiệu> [ghi chú]", "/done 3"}, wantNot: []string{"/meetings"}},
		{args: "/progress", want: []string{"/progress 3 50"}},
		{args: "không có lệnh này <b>", want: []string{"/meetings", "Dành cho quản trị viên văn phòng"}},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			hs := newHarness(t, Config{})
			hs.say(privateChat, strings.TrimSpace("/help "+tt.args))
			if n := len(hs.sender.calls); n != 1 {
				t.Fatalf("%d calls (%v), want one message", n, hs.sender.methods())
			}
			html := hs.last().Text
			if _, _, err := tghtml.Parse(html); err != nil {
				t.Fatalf("reply is not valid Telegram HTML: %v\n%s", err, html)
			}
			if n := tghtml.UTF16Len(visibleText(html)); n > 4096 {
				t.Errorf("reply is %d UTF-16 units long", n)
			}
			text := visibleText(html)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("reply lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(text, w) {
					t.Errorf("reply has %q:\n%s", w, text)
				}
			}
		})
	}
}
