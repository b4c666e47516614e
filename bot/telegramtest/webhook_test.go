package telegramtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/bot/telegramtest"
)

type delivery struct {
	secret string
	body   string
}

func TestDeliverWebhook(t *testing.T) {
	s, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	var failing atomic.Bool
	got := make(chan delivery, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		got <- delivery{r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), string(body)}
	}))
	t.Cleanup(hook.Close)

	if err := s.DeliverWebhook(ctx); !errors.Is(err, telegramtest.ErrNoWebhook) {
		t.Errorf("DeliverWebhook without webhook = %v, want ErrNoWebhook", err)
	}
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL + "/tg", SecretToken: "s3cr3t_tok-en"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	if status, env := rawCall(t, ctx, s.URL(), token, "getUpdates", map[string]any{}); status != http.StatusConflict {
		t.Errorf("getUpdates with a webhook = %d %+v, want 409", status, env)
	}

	user := s.User(42, "Lan")
	s.SendText(s.PrivateChat(user), user, "/start")
	if err := s.DeliverWebhook(ctx); err != nil {
		t.Fatalf("DeliverWebhook: %v", err)
	}
	d := <-got
	if d.secret != "s3cr3t_tok-en" || !strings.Contains(d.body, `"text":"/start"`) || s.Pending() != 0 {
		t.Errorf("delivery = %+v, Pending %d", d, s.Pending())
	}

	failing.Store(true)
	s.SendText(s.PrivateChat(user), user, "lần 2")
	if err := s.DeliverWebhook(ctx); err == nil {
		t.Fatal("DeliverWebhook to a failing webhook returned nil")
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil {
		t.Fatalf("GetWebhookInfo: %v", err)
	}
	if info.URL != hook.URL+"/tg" || info.PendingUpdateCount != 1 || !strings.Contains(info.LastErrorMessage, "500") || info.LastErrorDate == 0 {
		t.Errorf("webhook info = %+v", info)
	}

	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{DropPendingUpdates: true}); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	if s.Pending() != 0 {
		t.Errorf("Pending = %d after drop_pending_updates", s.Pending())
	}
	if status, _ := rawCall(t, ctx, s.URL(), token, "getUpdates", map[string]any{}); status != http.StatusOK {
		t.Errorf("getUpdates after deleteWebhook = %d", status)
	}
}

func TestSetWebhookRefused(t *testing.T) {
	_, b := newFake(t, telegramtest.Options{})
	ctx := testContext(t)
	tests := []struct {
		name   string
		params bot.SetWebhookParams
		want   string
	}{
		{name: "bad URL", params: bot.SetWebhookParams{URL: "ftp://x"}, want: "Bad Request: bad webhook: invalid webhook URL specified"},
		{name: "bad secret", params: bot.SetWebhookParams{URL: "https://x.vn/tg", SecretToken: "a b"}, want: "Bad Request: secret token contains unallowed characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SetWebhook(ctx, &tt.params)
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("SetWebhook error = %v, want %q", err, tt.want)
			}
		})
	}
}

// The background deliverer feeds the library's own webhook handler.
func TestWebhookAuto(t *testing.T) {
	s := telegramtest.New(telegramtest.Options{Token: token, WebhookAuto: true})
	t.Cleanup(s.Close)
	got := make(chan *models.Update, 1)
	b, err := bot.New(token, bot.WithServerURL(s.Start()), bot.WithSkipGetMe(), bot.WithWebhookSecretToken("s3cret"),
		bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	hook := httptest.NewServer(b.WebhookHandler())
	t.Cleanup(hook.Close)
	ctx, cancel := context.WithCancel(testContext(t))
	var wg sync.WaitGroup
	wg.Go(func() { b.StartWebhook(ctx) })
	defer func() {
		cancel()
		wg.Wait()
	}()

	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL, SecretToken: "s3cret"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	user := s.User(42, "Lan")
	_, cbID := s.PressButton(s.PrivateChat(user), user, 1, "m:1")
	u := <-got
	if u.CallbackQuery == nil || u.CallbackQuery.ID != cbID {
		t.Errorf("update = %+v", u)
	}
	if err := s.Wait(ctx, func() bool { return s.Pending() == 0 }); err != nil {
		t.Errorf("update never confirmed: %v", err)
	}
}
