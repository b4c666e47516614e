package scheduler

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

func TestRungsDesc(t *testing.T) {
	deadline := d(2025, 5, 16)
	tests := []struct {
		name    string
		offsets []int
		weekly  bool
		today   store.Date
		want    []int
	}{
		{"before the ladder", DefaultLadder, true, d(2025, 5, 8), []int{}},
		{"first rung", DefaultLadder, true, d(2025, 5, 9), []int{-7}},
		{"deadline day", DefaultLadder, true, deadline, []int{0, -1, -3, -7}},
		{"after the ladder, weekly", DefaultLadder, true, d(2025, 6, 7), []int{21, 14, 7, 3, 1, 0, -1, -3, -7}},
		{"after the ladder, no weekly", DefaultLadder, false, d(2025, 6, 7), []int{7, 3, 1, 0, -1, -3, -7}},
		{"short ladder goes weekly from +7", []int{-2, 0, 3}, true, d(2025, 5, 31), []int{14, 7, 3, 0, -2}},
		{"ladder ending before the deadline", []int{-5, -1}, true, d(2025, 5, 24), []int{7, -1, -5}},
		{"ladder ending at +10", []int{0, 10}, true, d(2025, 6, 1), []int{14, 10, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Collect(rungsDesc(tt.offsets, tt.weekly, deadline, tt.today))
			if got == nil {
				got = []int{}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rungs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLadderOncePerRungAtMorning runs a pass at several times every day
// for seven weeks and checks when each unit's chat heard about HN-03:
// once per rung, at 07:30 local, on working days; rungs on a weekend go
// out the next working morning, and two rungs landing on the same morning
// make one message (the later rung).
func TestLadderOncePerRungAtMorning(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16) // a Friday
	h := newHarness(t, baseConfig(), testData(deadline))
	h.days(d(2025, 5, 6), d(2025, 6, 14), "07:29", "07:30", "07:31", "21:00")
	sent := h.sender.take()

	want := []string{
		"2025-05-09 07:30", // -7
		"2025-05-13 07:30", // -3
		"2025-05-15 07:30", // -1
		"2025-05-16 07:30", // 0
		"2025-05-19 07:30", // +1 (Saturday) and +3 (Monday): one message, +3
		"2025-05-23 07:30", // +7
		"2025-05-30 07:30", // +14, weekly
		"2025-06-06 07:30", // +21
		"2025-06-13 07:30", // +28
	}
	for _, chat := range []int64{chatXinMan, chatMeoVac} {
		if diff := cmp.Diff(want, sendsTo(sent, chat)); diff != "" {
			t.Errorf("sends to chat %d (-want +got):\n%s", chat, diff)
		}
	}
	if got := sendsTo(sent, chatAdmin); len(got) != 0 {
		t.Errorf("the admin chat got %v", got)
	}

	texts := map[string]string{}
	for _, m := range sent {
		if m.ChatID == chatXinMan {
			texts[local(m.At)[:10]] = m.Text
		}
		if m.ChatID == chatMeoVac && m.ThreadID != topicMeoVac {
			t.Errorf("Mèo Vạc's message went to topic %d, want %d", m.ThreadID, topicMeoVac)
		}
		for _, bad := range []string{titleHN01, titleClosed, titleDoneXM} {
			if strings.Contains(m.Text, bad) {
				t.Errorf("a message on %s mentions %q (standing, closed or done)", local(m.At), bad)
			}
		}
	}
	for day, want := range map[string]string{
		"2025-05-09": "còn 7 ngày",
		"2025-05-15": "còn 1 ngày",
		"2025-05-16": "hạn hôm nay",
		"2025-05-19": "quá hạn 3 ngày",
		"2025-05-30": "quá hạn 14 ngày",
	} {
		if !strings.Contains(texts[day], want) {
			t.Errorf("message of %s does not say %q:\n%s", day, want, texts[day])
		}
	}

	// Items are stored in UTC: 07:30 in Hồ Chí Minh City is 00:30Z.
	var rungs []int
	for _, it := range h.items(store.KindDeadline) {
		if it.UnitID != h.units["xin-man"] {
			continue
		}
		rungs = append(rungs, it.Rung)
		if it.DueAt.Location() != time.UTC || it.DueAt.Hour() != 0 || it.DueAt.Minute() != 30 {
			t.Errorf("rung %+d due at %v, want 00:30 UTC", it.Rung, it.DueAt)
		}
		wantStatus := store.ItemQueued
		if it.Rung == 1 {
			wantStatus = store.ItemSkipped
		}
		if it.Status != wantStatus {
			t.Errorf("rung %+d is %s (%s), want %s", it.Rung, it.Status, it.Reason, wantStatus)
		}
	}
	if diff := cmp.Diff([]int{-7, -3, -1, 0, 1, 3, 7, 14, 21, 28}, rungs); diff != "" {
		t.Errorf("rungs stored (-want +got):\n%s", diff)
	}
}

func TestLadderCalendarShifts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		deadline store.Date
		want     []string
	}{
		{
			// -3 falls on Saturday 26/04/2025, a compensatory working
			// day: it goes out that Saturday. +1 (30/04) and +3 (02/05)
			// fall in the 30/4–1/5 holiday and go out on Monday 05/05.
			name:     "compensatory Saturday and the 30/4 holiday",
			deadline: d(2025, 4, 29),
			want:     []string{"2025-04-22 07:30", "2025-04-26 07:30", "2025-04-28 07:30", "2025-04-29 07:30", "2025-05-05 07:30", "2025-05-06 07:30"},
		},
		{
			// The deadline itself falls in Tết 2026 (14–22/02): -3 (Sat
			// 14/02) to +3 (Fri 20/02) all go out on Monday 23/02, as one
			// message (+3), then +7 on Tuesday 24/02.
			name:     "deadline inside Tết",
			deadline: d(2026, 2, 17),
			want:     []string{"2026-02-10 07:30", "2026-02-23 07:30", "2026-02-24 07:30"},
		},
		{
			name:     "Giỗ Tổ Monday 07/04/2025",
			deadline: d(2025, 4, 8),
			// -3 (Saturday 05/04) and -1 (Monday 07/04, Giỗ Tổ) move to
			// the deadline day, Tuesday 08/04: one message for the deadline.
			want: []string{"2025-04-01 07:30", "2025-04-08 07:30", "2025-04-09 07:30", "2025-04-11 07:30", "2025-04-15 07:30"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := baseConfig()
			cfg.Weekly = false
			h := newHarness(t, cfg, testData(tt.deadline))
			h.days(tt.deadline.AddDays(-10), tt.deadline.AddDays(15), "07:30", "10:00")
			if diff := cmp.Diff(tt.want, sendsTo(h.sender.take(), chatXinMan)); diff != "" {
				t.Errorf("sends (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDoneUnitsNotReminded(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	ctx := t.Context()
	hn03 := h.directive("HN-03")

	h.days(d(2025, 5, 9), d(2025, 5, 9), "07:30") // -7 to both
	// Mèo Vạc reports done on 12/05.
	if _, err := h.db.RecordProgress(ctx, store.ProgressInput{DirectiveID: hn03.ID, UnitID: h.units["meo-vac"], At: at(2025, 5, 12, 15, 0), Done: true}); err != nil {
		t.Fatal(err)
	}
	h.days(d(2025, 5, 10), d(2025, 5, 16), "07:30")
	sent := h.sender.take()
	if diff := cmp.Diff([]string{"2025-05-09 07:30"}, sendsTo(sent, chatMeoVac)); diff != "" {
		t.Errorf("sends to Mèo Vạc after it completed (-want +got):\n%s", diff)
	}
	if got := sendsTo(sent, chatXinMan); len(got) != 4 {
		t.Errorf("Xín Mần got %v, want the 4 rungs to the deadline", got)
	}

	// A rung planned and held overnight is cancelled when the unit
	// completes before it goes out: the 21:00 pass plans today's rung
	// (after a morning lost to downtime) but may not send at night.
	h.run(at(2025, 5, 19, 21, 0))
	if got := h.sender.take(); len(got) != 0 {
		t.Fatalf("sent at night: %v", sendsTo(got, chatXinMan))
	}
	if _, err := h.db.RecordProgress(ctx, store.ProgressInput{DirectiveID: hn03.ID, UnitID: h.units["xin-man"], At: at(2025, 5, 19, 22, 0), Done: true}); err != nil {
		t.Fatal(err)
	}
	h.run(at(2025, 5, 20, 7, 30))
	if got := h.sender.take(); len(got) != 0 {
		t.Errorf("a unit that completed overnight was reminded: %v", got[0].Text)
	}
	var cancelled []string
	for _, it := range h.items(store.KindDeadline) {
		if it.Status == store.ItemCancelled {
			cancelled = append(cancelled, it.Reason)
		}
	}
	if diff := cmp.Diff([]string{"the unit completed its part"}, cancelled); diff != "" {
		t.Errorf("cancelled items (-want +got):\n%s", diff)
	}
}

func TestPlanningTwiceIsHarmless(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	now := at(2025, 5, 13, 7, 30)
	h.clock.Set(now)
	ctx := t.Context()
	items, err := h.svc.plan(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{2, 0, 0} {
		n, err := h.db.PlanItems(ctx, items)
		if err != nil || n != want {
			t.Fatalf("PlanItems #%d = %d, %v; want %d", i+1, n, err, want)
		}
	}
	for range 3 {
		h.run(now)
	}
	if got := sendsTo(h.sender.take(), chatXinMan); len(got) != 1 {
		t.Errorf("three passes at the same instant sent %d messages, want 1", len(got))
	}
}

func TestDeadlineExtendedStartsFreshLadder(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	h.days(d(2025, 5, 9), d(2025, 5, 13), "07:30") // -7 and -3 sent
	// The office extends the deadline to 30/05 on 14/05.
	ds := testData(deadline)
	ds.Directives[0].Deadline = d(2025, 5, 30)
	if _, err := h.db.Import(t.Context(), ds, store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	h.days(d(2025, 5, 14), d(2025, 5, 31), "07:30")
	want := []string{"2025-05-09 07:30", "2025-05-13 07:30", "2025-05-23 07:30", "2025-05-27 07:30", "2025-05-29 07:30", "2025-05-30 07:30"}
	if diff := cmp.Diff(want, sendsTo(h.sender.take(), chatXinMan)); diff != "" {
		t.Errorf("sends (-want +got):\n%s", diff)
	}
}

// TestCatchUpAfterDowntime: the bot is down for ten days around the
// deadline. When it comes back, each unit gets exactly one late reminder
// per directive (the latest rung due), and the rungs missed are recorded
// as skipped; nothing stale is sent.
func TestCatchUpAfterDowntime(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	h.days(d(2025, 5, 9), d(2025, 5, 13), "07:30", "12:00") // -7, -3 sent
	h.sender.take()

	// Down from 13/05 12:00 to 23/05 10:15 (the +7 rung was due 07:30).
	rep := h.run(at(2025, 5, 23, 10, 15))
	sent := h.sender.take()
	if rep.Sent != 2 || len(sent) != 2 {
		t.Fatalf("catch-up pass sent %d (report %d), want 2 (one per unit)", len(sent), rep.Sent)
	}
	for _, m := range sent {
		if !strings.Contains(m.Text, "quá hạn 7 ngày") || strings.Count(m.Text, titleHN03) != 1 {
			t.Errorf("catch-up message:\n%s", m.Text)
		}
	}
	for _, it := range h.items(store.KindDeadline) {
		want := store.ItemSkipped
		switch it.Rung {
		case -7, -3, 7:
			want = store.ItemQueued
		}
		if it.Status != want {
			t.Errorf("unit %d rung %+d is %s, want %s", it.UnitID, it.Rung, it.Status, want)
		}
	}
	// Nothing more that day, nor a burst later.
	h.days(d(2025, 5, 23), d(2025, 5, 29), "07:30", "12:00")
	if got := sendsTo(h.sender.take(), chatXinMan); len(got) != 0 {
		t.Errorf("after catch-up, sent %v before the next rung (+14 on 30/05)", got)
	}
}

// TestFirstRunOldDeadline: on the very first pass, a directive three
// months overdue gets one reminder per unit, the latest rung, and nothing
// is recorded as missed.
func TestFirstRunOldDeadline(t *testing.T) {
	t.Parallel()
	h := newHarness(t, baseConfig(), testData(d(2025, 2, 14)))
	h.run(at(2025, 5, 20, 7, 30)) // first pass ever, three months late
	sent := h.sender.take()
	if len(sent) != 2 {
		t.Fatalf("first pass sent %d messages, want 2 (one per unit)", len(sent))
	}
	if !strings.Contains(sent[0].Text, "quá hạn 95 ngày") {
		t.Errorf("message:\n%s", sent[0].Text)
	}
	// No skipped rungs recorded on a first run: nothing is known missed.
	for _, it := range h.items(store.KindDeadline) {
		if it.Status != store.ItemQueued || it.Rung != 91 {
			t.Errorf("item %+v, want only the +91 rung, queued", it)
		}
	}
}

func TestQuietHoursAndWeekends(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	h := newHarness(t, baseConfig(), testData(deadline))
	// The morning of 13/05 (-3) is lost to downtime; the bot is back at
	// 20:30: nothing goes out until the next working morning, 07:30.
	h.run(at(2025, 5, 13, 20, 30))
	h.run(at(2025, 5, 14, 2, 0))
	h.run(at(2025, 5, 14, 7, 0))
	if got := h.sender.take(); len(got) != 0 {
		t.Fatalf("sent outside working hours: %v", sendsTo(got, chatXinMan))
	}
	h.run(at(2025, 5, 14, 7, 30))
	if got := sendsTo(h.sender.take(), chatXinMan); len(got) != 1 {
		t.Errorf("next morning sent %v, want one late -3 reminder", got)
	}
}

func TestPerDirectiveLadder(t *testing.T) {
	t.Parallel()
	deadline := d(2025, 5, 16)
	ds := testData(deadline)
	ds.Directives[0].Reminders = store.Reminders{Offsets: []int{-2, 0}}
	cfg := baseConfig()
	cfg.Weekly = false
	h := newHarness(t, cfg, ds)
	h.days(d(2025, 5, 1), d(2025, 6, 1), "07:30")
	if diff := cmp.Diff([]string{"2025-05-14 07:30", "2025-05-16 07:30"}, sendsTo(h.sender.take(), chatXinMan)); diff != "" {
		t.Errorf("own ladder (-want +got):\n%s", diff)
	}

	ds.Directives[0].Reminders = store.Reminders{Off: true}
	h2 := newHarness(t, baseConfig(), ds)
	h2.days(d(2025, 5, 1), d(2025, 6, 1), "07:30")
	if got := h2.sender.take(); len(got) != 0 {
		t.Errorf("reminders off, yet sent %v", sendsTo(got, chatXinMan))
	}

	cfg = baseConfig()
	cfg.Ladder = store.Reminders{Off: true}
	h3 := newHarness(t, cfg, testData(deadline))
	h3.days(d(2025, 5, 1), d(2025, 6, 1), "07:30")
	if got := h3.sender.take(); len(got) != 0 {
		t.Errorf("REMINDER_LADDER=off, yet sent %v", sendsTo(got, chatXinMan))
	}
}
