package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"meetbot/bot/telegramtest"
	"meetbot/demo"
	"meetbot/store"
	"meetbot/store/sqlstore"
)

// Issue 4's acceptance: groups bound with real /register commands, then
// "meetbot remind --now <a working morning>" sends each unit one correct
// message; a second run sends nothing; a Sunday run sends nothing; the
// outbox holds every send.
func TestRemindAfterRegister(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	// Tuesday 01/12/2026, a working day. The bot runs at 06:00, before
	// reminders may go out, so its own scheduler sends nothing while the
	// groups are registered; the demo's sample deadlines are relative to
	// that day.
	day := store.NewDate(2026, 12, 1)
	early := day.Start(loc).Add(6 * time.Hour)
	h := startBotAt(t, func() time.Time { return early }, nil, serveOptions{})

	ds, err := demo.Dataset(early, loc)
	if err != nil {
		t.Fatal(err)
	}
	assigned := map[string]bool{}
	for _, d := range ds.Directives {
		for _, a := range d.Assignments {
			assigned[a.Unit] = true
		}
	}
	groups := map[string]int64{}
	for i, u := range ds.Units {
		if !assigned[u.Code] {
			continue
		}
		chat := h.fake.Group(int64(-1001000000100-i), u.Name)
		h.fake.SetMember(chat.ID, h.user.ID, "administrator")
		m := h.say(chat, "/register@"+botName+" "+u.Code)
		if !strings.Contains(m.Plain, "đã được gắn với "+u.Name) {
			t.Fatalf("/register %s: %q", u.Code, m.Plain)
		}
		groups[u.Code] = chat.ID
	}
	// A member who is not an administrator may not rebind a group.
	member := h.fake.User(999, "Thành viên")
	refused := h.sayAs(h.fake.Group(groups["xin-man"], ""), member, "/register@"+botName+" meo-vac")
	if !strings.Contains(refused.Plain, "không có quyền") {
		t.Errorf("a non-admin rebinding: %q", refused.Plain)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	sends := func() []telegramtest.Request {
		var out []telegramtest.Request
		for _, r := range h.fake.Requests() {
			if r.Method == "sendMessage" {
				out = append(out, r)
			}
		}
		return out
	}
	before := len(sends())

	remind := func(now time.Time, extra ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		args := append([]string{"remind", "--now", now.Format(time.RFC3339)}, extra...)
		if code := run(context.Background(), args, nil, &out, &errOut); code != 0 {
			t.Fatalf("meetbot %v: exit %d\n%s", args, code, errOut.String())
		}
		return out.String()
	}
	morning := day.Start(loc).Add(7*time.Hour + 45*time.Minute)
	dry := remind(morning, "--dry-run")
	if !strings.Contains(dry, "would send") || len(sends()) != before {
		t.Fatalf("dry run sent something, or printed nothing:\n%s", dry)
	}
	out := remind(morning)
	for code, chat := range groups {
		ms := h.fake.Messages(chat)
		var reminders []string
		for _, m := range ms {
			if strings.Contains(m.Plain, "Nhắc việc") {
				reminders = append(reminders, m.Plain)
			}
		}
		if len(reminders) != 1 {
			t.Errorf("%s got %d reminder messages; want one:\n%s", code, len(reminders), strings.Join(reminders, "\n---\n"))
			continue
		}
		// HNXM-2024/03 is due in 3 days for every unit (rung -3).
		if !strings.Contains(reminders[0], "HNXM-2024/03") {
			t.Errorf("%s's reminder lacks the item due in 3 days:\n%s", code, reminders[0])
		}
	}
	sent := len(sends()) - before
	if sent != len(groups) {
		t.Errorf("%d messages sent for %d groups:\n%s", sent, len(groups), out)
	}

	// Again, a minute later: nothing new.
	remind(morning.Add(time.Minute))
	if n := len(sends()) - before; n != sent {
		t.Errorf("a second run sent %d more messages", n-sent)
	}
	// Sunday 06/12/2026: nothing goes out on a day off.
	sunday := store.NewDate(2026, 12, 6).Start(loc).Add(7*time.Hour + 45*time.Minute)
	remind(sunday)
	if n := len(sends()) - before; n != sent {
		t.Errorf("Sunday's run sent %d messages", n-sent)
	}

	// The outbox records every send, with Telegram's message id.
	st, err := sqlstore.Open(context.Background(), h.env["DATABASE_PATH"], sqlstore.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	msgs, err := st.Messages(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var ok int
	for _, m := range msgs {
		if m.Status == store.MessageSent && m.TelegramID != 0 && !m.SentAt.IsZero() {
			ok++
		}
	}
	if ok != sent {
		t.Errorf("outbox: %d messages recorded as sent with their Telegram id; %d were sent (%s)", ok, sent, fmt.Sprint(len(msgs), " rows"))
	}
}
