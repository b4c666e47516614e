package scheduler

import (
	"strings"
	"testing"

	"meetbot/store"
)

// TestReminderMarksRestricted: a restricted directive or meeting in a
// unit's reminder carries 🔒 before its title, so that members do not
// forward it; public ones do not.
func TestReminderMarksRestricted(t *testing.T) {
	r := NewRenderer(RenderOptions{Location: hcm})
	out := r.Reminder(UnitReminder{
		Unit:  store.Unit{Name: "Huyện ủy Xín Mần"},
		Today: d(2025, 5, 13),
		Deadlines: []DeadlineItem{
			{Directive: store.Directive{ID: 7, Code: "MAT-01", Title: "Tuần tra bí mật", Deadline: d(2025, 5, 13), Restricted: true}},
			{Directive: store.Directive{ID: 8, Code: "HN-01", Title: "Tuần tra công khai", Deadline: d(2025, 5, 14)}},
		},
		Meetings: []MeetingItem{{Meeting: store.Meeting{ID: 3, Title: "Họp kín", Restricted: true}, Start: at(2025, 5, 14, 8, 0)}},
	})
	if len(out) != 1 {
		t.Fatalf("%d parts", len(out))
	}
	text := out[0].Text
	for _, want := range []string{"MAT-01</b> · 🔒 Tuần tra bí mật", "HN-01</b> · Tuần tra công khai", "📅 🔒 <b>Họp kín</b>"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}
