package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

// TestReportButtons: a unit's reminder and weekly digest give each open
// directive a row: open it, report it done, report progress, for the
// unit the message is for; a closed directive gets no report buttons.
func TestReportButtons(t *testing.T) {
	r := NewRenderer(RenderOptions{Location: hcm})
	unit := store.Unit{ID: 7, Name: "Huyện ủy Xín Mần"}
	open := store.Directive{ID: 42, Code: "HN-01", Title: "Tuần tra", Deadline: d(2025, 5, 20)}
	closed := store.Directive{ID: 43, Code: "HN-02", Title: "Đã kết thúc", Deadline: d(2025, 5, 20), ClosedOn: d(2025, 5, 1)}
	want := [][]store.OutboxButton{
		{{Text: "📌 HN-01", Data: "1:d:i42"}, {Text: "✅ Hoàn thành", Data: "1:rd:i42:u7"}, {Text: "📝 Tiến độ", Data: "1:rp:i42:u7"}},
		{{Text: "📌 HN-02", Data: "1:d:i43"}},
	}
	rem := r.Reminder(UnitReminder{Unit: unit, Today: d(2025, 5, 13), Deadlines: []DeadlineItem{{Directive: open}, {Directive: closed}}})
	if diff := cmp.Diff(want, rem[0].Buttons); diff != "" {
		t.Errorf("reminder buttons (-want +got):\n%s", diff)
	}
	wk := r.Weekly(WeeklyDigest{Unit: unit, Today: d(2025, 5, 13), Directives: []store.Directive{open, closed}})
	if diff := cmp.Diff(want, wk[0].Buttons); diff != "" {
		t.Errorf("weekly buttons (-want +got):\n%s", diff)
	}
	long := ReportProgressCallback(1<<62, 1<<62)
	if len(long) > maxCallbackData {
		t.Errorf("%q is %d bytes, over Telegram's 64", long, len(long))
	}
}
