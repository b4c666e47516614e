package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

// withMeeting adds a meeting starting at starts ("dd/mm/yyyy HH:MM"
// local) attended by Xín Mần and Mèo Vạc.
func withMeeting(ds *store.Dataset, key, starts string) *store.Dataset {
	ds.Meetings = append(ds.Meetings, store.MeetingRecord{Key: key, Title: "Hội nghị sơ kết quy chế phối hợp <" + key + ">", StartsAt: starts,
		Place: "Huyện Xín Mần", ChairName: "Nguyễn Văn Sơn", ChairPosition: "Chủ tịch UBND tỉnh", Attendees: []string{"xin-man", "meo-vac"}})
	return ds
}

func TestMeetingReminders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		starts string
		want   []string
	}{
		{"morning meeting: the 2 h reminder at 06:00 waits for 07:00", "20/05/2025 08:00", []string{"2025-05-19 08:00", "2025-05-20 07:00"}},
		{"afternoon meeting", "20/05/2025 14:00", []string{"2025-05-19 14:00", "2025-05-20 12:00"}},
		{"evening meeting: the day before at 21:00 moves to 19:30", "20/05/2025 21:00", []string{"2025-05-19 19:30", "2025-05-20 19:00"}},
		{"dawn meeting: 2 h before is night, and 07:00 too late: the evening before", "20/05/2025 06:30", []string{"2025-05-19 07:00", "2025-05-19 19:30"}},
		{"on a Sunday: meetings keep their own day", "18/05/2025 09:00", []string{"2025-05-17 09:00", "2025-05-18 07:00"}},
		{"a day only: counted from 07:30", "20/05/2025", []string{"2025-05-19 07:30", "2025-05-20 07:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds := withMeeting(testData(d(2025, 9, 30)), "hn-xm", tt.starts)
			h := newHarness(t, baseConfig(), ds)
			// A pass every 30 minutes from two days before the meeting.
			start, err := store.ParseTime(tt.starts, hcm)
			if err != nil {
				t.Fatal(err)
			}
			for ts := start.Add(-50 * time.Hour).Truncate(30 * time.Minute); ts.Before(start.Add(10 * time.Hour)); ts = ts.Add(30 * time.Minute) {
				h.run(ts)
			}
			sent := h.sender.take()
			if diff := cmp.Diff(tt.want, sendsTo(sent, chatXinMan)); diff != "" {
				t.Errorf("sends to Xín Mần (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, sendsTo(sent, chatMeoVac)); diff != "" {
				t.Errorf("sends to Mèo Vạc (-want +got):\n%s", diff)
			}
			if len(sent) > 0 && !strings.Contains(sent[0].Text, "&lt;hn-xm&gt;") {
				t.Errorf("meeting reminder:\n%s", sent[0].Text)
			}
		})
	}
}

func TestMeetingMovedAndImportedLate(t *testing.T) {
	t.Parallel()
	ds := withMeeting(testData(d(2025, 9, 30)), "hn", "20/05/2025 14:00")
	h := newHarness(t, baseConfig(), ds)
	h.run(at(2025, 5, 19, 14, 0)) // 24 h reminder
	// Moved to the next day at 09:00: a fresh pair of reminders.
	ds.Meetings[0].StartsAt = "21/05/2025 09:00"
	if _, err := h.db.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	// Imported (or moved) an hour before it starts: both reminders are
	// due; only the nearer one goes out.
	h.run(at(2025, 5, 21, 8, 0))
	h.run(at(2025, 5, 21, 8, 30))
	sent := h.sender.take()
	if diff := cmp.Diff([]string{"2025-05-19 14:00", "2025-05-21 08:00"}, sendsTo(sent, chatXinMan)); diff != "" {
		t.Errorf("sends (-want +got):\n%s", diff)
	}
}

func TestConsolidatedMessage(t *testing.T) {
	t.Parallel()
	// Two directives due the same morning, and a meeting reminder due
	// then too: one message per unit chat.
	ds := withMeeting(testData(d(2025, 5, 16)), "hn", "14/05/2025 07:30")
	ds.Directives = append(ds.Directives, store.DirectiveRecord{Code: "15/CT-UBND", Title: "Tuyên truyền <an ninh> & trật tự", Deadline: d(2025, 5, 12),
		Assignments: []store.AssignmentRecord{{Unit: "xin-man"}}})
	h := newHarness(t, baseConfig(), ds)
	h.run(at(2025, 5, 13, 7, 30))
	sent := h.sender.take()
	if len(sendsTo(sent, chatXinMan)) != 1 {
		t.Fatalf("Xín Mần got %d messages, want 1", len(sendsTo(sent, chatXinMan)))
	}
	var m sentMsg
	for _, s := range sent {
		if s.ChatID == chatXinMan {
			m = s
		}
	}
	for _, want := range []string{"Lịch họp sắp tới", "Tuyên truyền &lt;an ninh&gt; &amp; trật tự", "quá hạn 1 ngày", titleHN03, "còn 3 ngày", "Hạn mẫu"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("message lacks %q:\n%s", want, m.Text)
		}
	}
	// Overdue first, then upcoming.
	if strings.Index(m.Text, "15/CT-UBND") > strings.Index(m.Text, "HN-03") {
		t.Errorf("overdue item not first:\n%s", m.Text)
	}
	var data []string
	for _, row := range m.Buttons {
		for _, b := range row {
			data = append(data, b.CallbackData)
		}
	}
	// A row per directive: open it, report it done, report progress.
	var want []string
	for _, code := range []string{"15/CT-UBND", "HN-03"} {
		dir := h.directive(code)
		var unit int64
		for _, a := range dir.Assignments {
			if a.Unit.Code == "xin-man" {
				unit = a.Unit.ID
			}
		}
		want = append(want, DirectiveCallback(dir.ID), ReportDoneCallback(dir.ID, unit), ReportProgressCallback(dir.ID, unit))
	}
	if len(m.Buttons) != 2 {
		t.Errorf("%d rows of buttons, want one per directive", len(m.Buttons))
	}
	if diff := cmp.Diff(want, data); diff != "" {
		t.Errorf("buttons (-want +got):\n%s", diff)
	}
}

func TestWeeklyDigest(t *testing.T) {
	t.Parallel()
	cfg := baseConfig()
	cfg.WeeklySchedule = DefaultWeeklySchedule // Monday 07:30
	cfg.Ladder = store.Reminders{Off: true}
	h := newHarness(t, cfg, testData(d(2025, 4, 30)))
	// Monday 31/03 is a working day; Monday 07/04 is Giỗ Tổ: that week's
	// digest goes out on Tuesday 08/04.
	h.days(d(2025, 3, 30), d(2025, 4, 15), "07:00", "07:30", "09:00", "21:00")
	sent := h.sender.take()
	want := []string{"2025-03-31 07:30", "2025-04-08 07:30", "2025-04-14 07:30"}
	if diff := cmp.Diff(want, sendsTo(sent, chatXinMan)); diff != "" {
		t.Errorf("weekly digests to Xín Mần (-want +got):\n%s", diff)
	}
	var text string
	for _, m := range sent {
		if m.ChatID == chatXinMan && text == "" {
			text = m.Text
		}
	}
	for _, want := range []string{"Tổng hợp tuần: " + unitXinMan, "Tuần 31/03 – 06/04/2025", "Trong hạn: 1", "Thường xuyên: 1", titleHN03, titleHN01, "còn 30 ngày"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{titleClosed, titleDoneXM} {
		if strings.Contains(text, bad) {
			t.Errorf("digest lists %q (closed or done):\n%s", bad, text)
		}
	}
}

func TestEscalationDigest(t *testing.T) {
	t.Parallel()
	cfg := baseConfig()
	cfg.LeadershipChatID = chatLeaders
	cfg.DigestSchedule = "0 8 * * *"
	cfg.Ladder = store.Reminders{Off: true}
	ds := testData(d(2025, 4, 25))
	ds.Directives = append(ds.Directives, store.DirectiveRecord{Code: "GB-07", Title: "Báo cáo quý", Deadline: d(2025, 4, 28),
		Assignments: []store.AssignmentRecord{{Unit: "dong-van"}, {Unit: "meo-vac", CompletedOn: d(2025, 4, 20)}}})
	h := newHarness(t, cfg, ds)
	// Fri 25/04 .. Tue 06/05: Saturday 26/04 is worked (làm bù); 30/04 to
	// 04/05 are off.
	h.days(d(2025, 4, 25), d(2025, 5, 6), "07:59", "08:00", "08:01", "15:00")
	sent := h.sender.take()
	want := []string{"2025-04-25 08:00", "2025-04-26 08:00", "2025-04-28 08:00", "2025-04-29 08:00", "2025-05-05 08:00", "2025-05-06 08:00"}
	if diff := cmp.Diff(want, sendsTo(sent, chatLeaders)); diff != "" {
		t.Errorf("digests (-want +got):\n%s", diff)
	}
	var last string
	for _, m := range sent {
		if m.ChatID == chatLeaders {
			last = m.Text
		}
	}
	for _, want := range []string{"Nhiệm vụ quá hạn", "Thứ Ba, 06/05/2025", unitXinMan, unitMeoVac, unitDongVan, "quá hạn 11 ngày", "quá hạn 8 ngày", "3 lượt nhiệm vụ quá hạn của 3 đơn vị"} {
		if !strings.Contains(last, want) {
			t.Errorf("digest lacks %q:\n%s", want, last)
		}
	}
	if strings.Contains(sent[0].Text, "quá hạn") && !strings.Contains(sent[0].Text, "Không có nhiệm vụ quá hạn") {
		t.Errorf("on the deadline day nothing is overdue yet:\n%s", sent[0].Text)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, baseConfig(), testData(d(2025, 5, 16)))
	now := at(2025, 5, 13, 7, 30)
	h.clock.Set(now)
	rep, err := h.svc.RunOnce(t.Context(), now, true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Planned != 2 || rep.Queued != 2 || rep.Sent != 0 || len(rep.Chats) != 2 {
		t.Errorf("dry report = %+v", rep)
	}
	if got := h.sender.take(); len(got) != 0 {
		t.Errorf("a dry run sent %d messages", len(got))
	}
	if its := h.items(""); len(its) != 0 {
		t.Errorf("a dry run stored %d items", len(its))
	}
	if ms, _ := h.db.Messages(t.Context(), ""); len(ms) != 0 {
		t.Errorf("a dry run stored %d messages", len(ms))
	}
	if _, ok, _ := h.db.SchedulerState(t.Context(), stateLastTick); ok {
		t.Error("a dry run recorded a tick")
	}
	// A real pass sends what the dry run showed.
	h.run(now)
	sent := h.sender.take()
	for _, c := range rep.Chats {
		found := false
		for _, m := range sent {
			if m.ChatID == c.ChatID && m.ThreadID == c.ThreadID && m.Text == c.Messages[0].Text {
				found = true
			}
		}
		if !found {
			t.Errorf("the dry run showed for chat %d a message that was not sent: %s", c.ChatID, c.Messages[0].Text)
		}
	}
	// A dry run at night shows nothing to send now.
	rep, err = h.svc.RunOnce(t.Context(), at(2025, 5, 15, 2, 0), true)
	if err != nil || len(rep.Chats) != 0 {
		t.Errorf("dry run at night: %+v, %v", rep, err)
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t, baseConfig(), testData(d(2025, 5, 16)))
	h.run(at(2025, 5, 13, 7, 30))
	h.clock.Set(at(2025, 5, 13, 10, 0))
	st, err := h.svc.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !st.LastTick.Equal(at(2025, 5, 13, 7, 30)) || st.SentToday != 2 || st.Pending != 0 {
		t.Errorf("status = %+v", st)
	}
	if !st.NextReminders.Equal(at(2025, 5, 14, 7, 30)) {
		t.Errorf("next reminders at %v, want 14/05 07:30", st.NextReminders.In(hcm))
	}
	var without []string
	for _, u := range st.UnitsWithoutChat {
		without = append(without, u.Name)
	}
	if diff := cmp.Diff([]string{unitBorderGd, unitDongVan}, without); diff != "" {
		t.Errorf("units without a chat (-want +got):\n%s", diff)
	}
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "cách đây") {
		t.Errorf("warnings = %q, want the stale-tick one", st.Warnings)
	}
	if diff := cmp.Diff([]int{2025, 2026, 2027}, st.CalendarYears); diff != "" {
		t.Errorf("calendar years (-want +got):\n%s", diff)
	}
}
