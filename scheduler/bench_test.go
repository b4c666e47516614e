package scheduler_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"meetbot/bot"
	"meetbot/bot/telegramtest"
	"meetbot/scheduler"
	"meetbot/store"
	"meetbot/store/sqlstore"
)

// BenchmarkFanout3500 sends one reminder to each of 3,500 unit chats
// through the real rate-limited sender and the real Bot API client, over
// HTTP to the fake Bot API enforcing Telegram's limits (30 messages/s in
// all, 1/s per private chat, 20/min per group). It reports the send rate
// achieved against the 30/s allowed, the 429s answered, the limits broken
// and the wall time of the pass. It takes about two minutes: run it alone,
//
//	go test -run '^$' -bench Fanout3500 -benchtime 1x ./scheduler/
//
// (-short skips it).
func BenchmarkFanout3500(b *testing.B) {
	if testing.Short() {
		b.Skip("a two-minute fan-out; not in -short runs")
	}
	const chats = 3500
	for range b.N {
		b.StopTimer()
		tg := telegramtest.New(telegramtest.Options{Token: "1:bench", Limits: &telegramtest.Limits{Global: 30, PerChat: 1, PerGroup: 20}})
		url := tg.Start()
		client, err := bot.Connect(b.Context(), bot.ClientConfig{Token: "1:bench", APIURL: url, Transport: &http.Transport{MaxIdleConnsPerHost: 64}})
		if err != nil {
			b.Fatal(err)
		}
		sender := bot.NewSender(client.TG, bot.SenderOptions{})
		db, err := sqlstore.Open(b.Context(), filepath.Join(b.TempDir(), "meetbot.db"), sqlstore.Options{Location: hcm})
		if err != nil {
			b.Fatal(err)
		}
		deadline := store.NewDate(2025, 5, 16)
		ds := &store.Dataset{Directives: []store.DirectiveRecord{{Code: "HN-03", Title: titleHN03, Deadline: deadline}}}
		for i := range chats {
			code := fmt.Sprintf("don-%04d", i)
			ds.Units = append(ds.Units, store.UnitRecord{Code: code, Name: fmt.Sprintf("Đồn Biên phòng số %d", i), Kind: store.KindBorderPost})
			ds.Directives[0].Assignments = append(ds.Directives[0].Assignments, store.AssignmentRecord{Unit: code})
		}
		if _, err := db.Import(b.Context(), ds, store.Actor{Name: "test"}); err != nil {
			b.Fatal(err)
		}
		units, err := db.Units(b.Context(), store.UnitFilter{})
		if err != nil {
			b.Fatal(err)
		}
		for i, u := range units {
			if _, err := db.BindChat(b.Context(), store.Binding{ChatID: -1_000_000 - int64(i), UnitID: u.ID}); err != nil {
				b.Fatal(err)
			}
		}
		svc, err := scheduler.New(scheduler.Config{Location: hcm, WeeklySchedule: "off", InstanceID: "bench"},
			scheduler.Deps{Records: db, Store: db, Sender: sender})
		if err != nil {
			b.Fatal(err)
		}

		b.StartTimer()
		start := time.Now()
		rep, err := svc.RunOnce(b.Context(), time.Date(2025, 5, 16, 7, 30, 0, 0, hcm), false)
		wall := time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}

		var first, last time.Time
		sent, tooMany := 0, 0
		for _, r := range tg.Requests() {
			if r.Method != "sendMessage" {
				continue
			}
			switch r.Status {
			case http.StatusOK:
				sent++
				if first.IsZero() || r.At.Before(first) {
					first = r.At
				}
				if r.At.After(last) {
					last = r.At
				}
			case http.StatusTooManyRequests:
				tooMany++
			}
		}
		violations := tg.Violations()
		if sent != chats || rep.Sent != chats {
			b.Errorf("sent %d (report %d), want %d", sent, rep.Sent, chats)
		}
		rate := float64(sent-1) / last.Sub(first).Seconds()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(100*rate/30, "%of30/s")
		b.ReportMetric(float64(tooMany), "429s")
		b.ReportMetric(float64(len(violations)), "violations")
		b.ReportMetric(wall.Seconds(), "s/pass")
		b.Logf("%d messages in %s (sending %s): %.2f msgs/s = %.1f%% of 30/s; %d answered 429; %d limit violations; composing took %s",
			sent, wall.Round(time.Millisecond), last.Sub(first).Round(time.Millisecond), rate, 100*rate/30, tooMany, len(violations),
			first.Sub(start).Round(time.Millisecond))
		for i, v := range violations {
			if i == 5 {
				break
			}
			b.Log("violation:", v)
		}
		if len(violations) > 0 {
			b.Errorf("%d sends broke Telegram's limits", len(violations))
		}
		_ = db.Close()
		tg.Close()
	}
}
