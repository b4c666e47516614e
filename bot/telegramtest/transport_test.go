package telegramtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/bot/telegramtest"
)

// inProcessBot returns a client that reaches s through its Transport.
func inProcessBot(t *testing.T, s *telegramtest.Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	opts = append([]bot.Option{
		bot.WithServerURL("http://telegram.test"), bot.WithSkipGetMe(),
		bot.WithHTTPClient(time.Minute, &http.Client{Transport: s.Transport()}),
	}, opts...)
	b, err := bot.New(token, opts...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

func TestWaitWakesOnRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := telegramtest.New(telegramtest.Options{Token: token})
		defer s.Close()
		b := inProcessBot(t, s)

		woke := make(chan error, 1)
		go func() {
			woke <- s.Wait(t.Context(), func() bool { return len(s.Messages(5)) == 1 })
		}()
		synctest.Wait() // Wait is blocked: no message yet
		select {
		case err := <-woke:
			t.Fatalf("Wait returned %v before the message", err)
		default:
		}
		if _, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: 5, Text: "x"}); err != nil {
			t.Fatalf("SendMessage: %v", err)
		}
		if err := <-woke; err != nil {
			t.Errorf("Wait = %v", err)
		}

		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		if err := s.Wait(ctx, func() bool { return false }); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait with a condition never met = %v, want deadline exceeded", err)
		}
	})
}

func TestTransportInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := telegramtest.New(telegramtest.Options{Token: token})
		defer s.Close()
		got := make(chan *models.Update, 1)
		b := inProcessBot(t, s, bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		wg.Go(func() { b.Start(ctx) })

		user := s.User(42, "Lan")
		s.SendText(s.PrivateChat(user), user, "/lich")
		if u := <-got; u.Message == nil || u.Message.Text != "/lich" {
			t.Errorf("update = %+v", u)
		}
		cancel()
		wg.Wait()

		// A hanging fault ends with the caller's deadline, in fake time.
		s.Inject(telegramtest.Fault{Method: "sendMessage", Hang: true})
		start := time.Now()
		tctx, tcancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer tcancel()
		_, err := b.SendMessage(tctx, &bot.SendMessageParams{ChatID: 5, Text: "x"})
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 30*time.Second {
			t.Errorf("hanging send = %v after %v", err, time.Since(start))
		}
	})
}

// Many senders, a poller and users at once: run with -race.
func TestConcurrentUse(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{Limits: telegramtest.TelegramLimits()})
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	var handled sync.WaitGroup
	b.RegisterHandler(bot.HandlerTypeMessageText, "/", bot.MatchTypePrefix, func(_ context.Context, _ *bot.Bot, _ *models.Update) {
		handled.Done()
	})
	var poller sync.WaitGroup
	poller.Go(func() { b.Start(ctx) })

	const groups, users = 40, 20
	var wg sync.WaitGroup
	for i := range groups {
		wg.Go(func() {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-1000 - i), Text: fmt.Sprintf("<b>Nhắc</b> nhóm %d", i), ParseMode: models.ParseModeHTML})
			var tooMany *bot.TooManyRequestsError
			if err != nil && !errors.As(err, &tooMany) {
				t.Errorf("send to group %d: %v", i, err)
			}
		})
	}
	handled.Add(users)
	for i := range users {
		wg.Go(func() {
			u := s.User(int64(i+1), "U")
			s.SendText(s.PrivateChat(u), u, "/start")
			_ = s.Requests()
			_ = s.Messages(int64(-1000 - i))
		})
	}
	wg.Wait()
	handled.Wait()
	sent := 0
	for i := range groups {
		sent += len(s.Messages(int64(-1000 - i)))
	}
	// 40 sends at once against 30 a second: some are refused, and each
	// refusal is a violation.
	if sent+len(s.Violations()) != groups || sent < 30 {
		t.Errorf("sent %d, violations %d, want %d in all and at least 30 sent", sent, len(s.Violations()), groups)
	}
	cancel()
	poller.Wait()
}

func BenchmarkSendMessage(b *testing.B) {
	s := telegramtest.New(telegramtest.Options{Token: token})
	defer s.Close()
	client, err := bot.New(token, bot.WithServerURL("http://telegram.test"), bot.WithSkipGetMe(),
		bot.WithHTTPClient(time.Minute, &http.Client{Transport: s.Transport()}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := client.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-1000 - i%5000), Text: "<b>Nhắc lịch</b> họp lúc 8h", ParseMode: models.ParseModeHTML}); err != nil {
			b.Fatal(err)
		}
	}
}
