package bot

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/bot/telegramtest"
)

// A 429 on getUpdates is waited out for its whole retry_after before the
// next poll, not a jittered part of it.
func TestPollerWaitsRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const tok = "77:poll-token"
		fake := telegramtest.New(telegramtest.Options{Token: tok, RecordGetUpdates: true})
		defer fake.Close()
		c, err := Connect(t.Context(), ClientConfig{Token: tok, APIURL: "http://telegram.test", Transport: fake.Transport(), PollTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		fake.Inject(telegramtest.Fault{Method: "getUpdates", RetryAfter: 10})
		user := models.User{ID: 7, FirstName: "An"}
		fake.SendText(telegramtest.PrivateChat(user), user, "/start")
		p := &poller{c: c}
		var got []int64
		done := make(chan struct{})
		ctx := t.Context()
		go func() {
			defer close(done)
			_ = p.run(ctx, func(_ context.Context, u *models.Update) error {
				got = append(got, u.ID)
				return errStopped // one update is enough
			})
		}()
		<-done
		var polls []time.Time
		for _, r := range fake.Requests() {
			if r.Method == "getUpdates" {
				polls = append(polls, r.At)
			}
		}
		if len(got) != 1 || len(polls) != 2 {
			t.Fatalf("updates %v after %d polls; want 1 update after 2", got, len(polls))
		}
		if gap := polls[1].Sub(polls[0]); gap < 10*time.Second {
			t.Errorf("polled again %v after a 429 with retry_after 10s", gap)
		}
	})
}
