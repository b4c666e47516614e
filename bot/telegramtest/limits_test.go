package telegramtest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"meetbot/bot/telegramtest"
)

// send is one step of a rate-limit scenario: advance the clock, send to
// the chat (or edit message 1 there), expect retry_after (0: accepted).
type send struct {
	advance   time.Duration
	chat      int64
	edit      bool
	wantRetry int
}

func TestRateLimits(t *testing.T) {
	many := func(n int, chat func(i int) int64, advance time.Duration) []send {
		var out []send
		for i := range n {
			d := advance
			if i == 0 {
				d = 0
			}
			out = append(out, send{advance: d, chat: chat(i)})
		}
		return out
	}
	same := func(c int64) func(int) int64 { return func(int) int64 { return c } }
	tests := []struct {
		name           string
		limits         telegramtest.Limits
		sends          []send
		wantViolations []string // substrings, in order
	}{
		{
			name:   "private chat, one a second",
			limits: telegramtest.Limits{PerChat: 1},
			sends:  []send{{chat: 5}, {chat: 6}, {advance: time.Second, chat: 5}, {advance: time.Second, chat: 5}},
		},
		{
			name:           "private chat too fast",
			limits:         telegramtest.Limits{PerChat: 1},
			sends:          []send{{chat: 5}, {advance: 500 * time.Millisecond, chat: 5, wantRetry: 1}},
			wantViolations: []string{"sendMessage to chat 5: exceeds the private chat limit 1/s"},
		},
		{
			name:   "edits count",
			limits: telegramtest.Limits{PerChat: 1},
			sends:  []send{{chat: 5}, {advance: 100 * time.Millisecond, chat: 5, edit: true, wantRetry: 1}},
			wantViolations: []string{
				"editMessageText to chat 5: exceeds the private chat limit",
			},
		},
		{
			name:   "group, twenty a minute",
			limits: telegramtest.Limits{PerGroup: 20},
			sends: append(many(20, same(-100), time.Second),
				send{advance: time.Second, chat: -100, wantRetry: 40}, // the first leaves the window at 60 s
				send{advance: time.Second, chat: -200},                // another group is free
				send{advance: 39 * time.Second, chat: -100},           // 60 s after the first
			),
			wantViolations: []string{"sendMessage to chat -100: exceeds the group limit 20/min (20 in the last minute)"},
		},
		{
			name:   "thirty a second in total",
			limits: telegramtest.Limits{Global: 30, PerChat: 1},
			sends: append(many(30, func(i int) int64 { return int64(i + 1) }, 0),
				send{advance: 10 * time.Millisecond, chat: 31, wantRetry: 1},
				send{advance: time.Second, chat: 31},
			),
			wantViolations: []string{"sendMessage to chat 31: exceeds the global limit 30/s"},
		},
		{
			name:           "fixed retry_after",
			limits:         telegramtest.Limits{PerChat: 1, RetryAfter: 5},
			sends:          []send{{chat: 5}, {chat: 5, wantRetry: 5}, {advance: 5 * time.Second, chat: 5}},
			wantViolations: []string{"exceeds the private chat limit"},
		},
		{
			name:   "retrying before retry_after",
			limits: telegramtest.Limits{PerChat: 1},
			sends: []send{
				{chat: 5},
				{advance: 200 * time.Millisecond, chat: 5, wantRetry: 1},
				{advance: 500 * time.Millisecond, chat: 5, wantRetry: 1}, // 700 ms, 500 ms too early
				{advance: time.Second, chat: 5},                          // the last retry_after binds
			},
			wantViolations: []string{"exceeds the private chat limit", "sendMessage to chat 5: sent 500ms before the retry_after given had passed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			s, b := newFake(t, telegramtest.Options{Now: clk.Now, Limits: &tt.limits})
			ctx := testContext(t)
			for i, sd := range tt.sends {
				clk.Advance(sd.advance)
				var err error
				if sd.edit {
					_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: sd.chat, MessageID: 1, Text: "sửa " + clk.Now().String()})
				} else {
					_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: sd.chat, Text: "Nhắc lịch"})
				}
				var tooMany *bot.TooManyRequestsError
				switch {
				case sd.wantRetry == 0 && err != nil:
					t.Fatalf("send %d to %d: %v", i, sd.chat, err)
				case sd.wantRetry != 0 && !errors.As(err, &tooMany):
					t.Fatalf("send %d to %d: error %v, want 429", i, sd.chat, err)
				case sd.wantRetry != 0 && tooMany.RetryAfter != sd.wantRetry:
					t.Fatalf("send %d to %d: retry_after %d, want %d", i, sd.chat, tooMany.RetryAfter, sd.wantRetry)
				}
			}
			got := s.Violations()
			if len(got) != len(tt.wantViolations) {
				t.Fatalf("Violations = %q, want %d", got, len(tt.wantViolations))
			}
			for i, want := range tt.wantViolations {
				if !strings.Contains(got[i], want) {
					t.Errorf("violation %d = %q, want it to contain %q", i, got[i], want)
				}
			}
		})
	}
}

// A 429 injected as a fault binds the client too, even without Limits.
func TestRetryAfterFaultBindsTheClient(t *testing.T) {
	clk := newClock()
	s, b := newFake(t, telegramtest.Options{Now: clk.Now})
	ctx := testContext(t)
	s.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: -7, RetryAfter: 2})
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -7, Text: "x"}); err == nil {
		t.Fatal("the fault did not answer")
	}
	clk.Advance(time.Second)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -8, Text: "another chat"}); err != nil {
		t.Fatalf("other chat: %v", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -7, Text: "too early"}); err != nil {
		t.Fatalf("without Limits the early send is still answered: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -7, Text: "on time"}); err != nil {
		t.Fatal(err)
	}
	got := s.Violations()
	if len(got) != 1 || !strings.Contains(got[0], "to chat -7: sent 1s before the retry_after given had passed") {
		t.Errorf("Violations = %q", got)
	}
}
