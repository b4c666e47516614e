package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/internal/redistest"
)

// BenchmarkUpdates sends b.N commands from 64 users through the fake Bot
// API into "meetbot run" (polling, 8 workers, demo data) and waits for
// every reply, uncached and with the Redis cache. "burst" sends them all
// at once: updates/s is the throughput at saturation (its latencies are
// mostly queueing). "paced" sends 50 updates/s: p50 and p99 are the
// latency from an update's arrival at the fake to its reply. Telegram's
// sending limits are lifted: with them, the bot would be measured at 29
// messages per second, its designed ceiling. The fake runs in the same
// process and validates every message's HTML, so it takes a share of the
// two cores.
//
//	go test -run '^$' -bench Updates -benchtime 1000x ./cmd/meetbot
func BenchmarkUpdates(b *testing.B) {
	for _, run := range []struct {
		mode string
		rate int // updates per second; 0 = all at once
	}{{"uncached/burst", 0}, {"cached/burst", 0}, {"uncached/paced", 50}, {"cached/paced", 50}} {
		mode := run.mode[:strings.Index(run.mode, "/")]
		b.Run(run.mode, func(b *testing.B) {
			env := map[string]string{"WORKERS": "8", "LOG_LEVEL": "warn"}
			if mode == "cached" {
				r := redistest.New(b)
				env["REDIS_URL"] = redistest.URL()
				if !r.Real {
					env["REDIS_URL"] = "redis://" + r.Addr
				}
			}
			open := bot.Limit{Rate: 1_000_000, Period: time.Second, Burst: 1_000_000}
			h := startBotTB(b, env, serveOptions{limits: bot.Limits{Global: open, Private: open, Group: open}})
			cmds := []string{"/directives xin-man", "/overdue", "/search bien gioi", "/meetings", "/directive HNXM-2024/03", "/units"}
			users := make([]models.User, 64)
			chats := make([]models.Chat, len(users))
			for i := range users {
				users[i] = h.fake.User(int64(10_000+i), fmt.Sprint("U", i))
				chats[i] = h.fake.PrivateChat(users[i])
			}
			// Warm up: every command once (fills the cache when on).
			for i, c := range cmds {
				h.sayAs(chats[i], users[i], c)
			}
			base := map[int64]int{}
			for _, c := range chats {
				base[c.ID] = len(h.fake.Messages(c.ID))
			}
			sent := make([]time.Time, b.N)
			b.ResetTimer()
			start := time.Now()
			var tick *time.Ticker
			if run.rate > 0 {
				tick = time.NewTicker(time.Second / time.Duration(run.rate)) // load generation, not synchronisation
				defer tick.Stop()
			}
			for i := range b.N {
				if tick != nil {
					<-tick.C
				}
				u := i % len(users)
				sent[i] = time.Now()
				h.fake.SendText(chats[u], users[u], cmds[i%len(cmds)])
			}
			// Each user's replies arrive in order of its commands.
			var lat []time.Duration
			h.waitTB(b, "every reply", func() bool {
				n := 0
				for _, c := range chats {
					n += len(h.fake.Messages(c.ID)) - base[c.ID]
				}
				return n >= b.N
			})
			elapsed := time.Since(start)
			b.StopTimer()
			for u, c := range chats {
				ms := h.fake.Messages(c.ID)[base[c.ID]:]
				k := 0
				for i := u; i < b.N; i += len(users) {
					if k < len(ms) {
						lat = append(lat, ms[k].Date.Sub(sent[i]))
					}
					k++
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
