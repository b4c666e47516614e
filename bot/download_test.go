package bot_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/bot/telegramtest"
)

const dlToken = "4242:download-secret-token"

func TestDownload(t *testing.T) {
	fake := telegramtest.New(telegramtest.Options{Token: dlToken})
	t.Cleanup(fake.Close)
	c, err := bot.Connect(t.Context(), bot.ClientConfig{Token: dlToken, APIURL: fake.Start()})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	user := models.User{ID: 7, FirstName: "An"}
	chat := telegramtest.PrivateChat(user)
	content := bytes.Repeat([]byte("xlsx"), 1000)
	_, id := fake.SendDocument(chat, user, "Mẫu nhập.xlsx", "application/octet-stream", content, "")
	_, big := fake.SendDocument(chat, user, "big.xlsx", "", []byte("x"), "", telegramtest.DeclaredSize(25<<20))

	got, err := c.Download(t.Context(), id, 0)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("Download = %d bytes, %v; want the %d bytes sent", len(got), err, len(content))
	}
	noToken := func(err error) {
		t.Helper()
		if err == nil {
			t.Fatal("no error")
		}
		if strings.Contains(err.Error(), dlToken) || strings.Contains(err.Error(), "download-secret") {
			t.Errorf("error %q shows the token", err)
		}
	}
	_, err = c.Download(t.Context(), id, 100)
	noToken(err)
	if !errors.Is(err, bot.ErrFileTooBig) {
		t.Errorf("Download over max = %v, want ErrFileTooBig", err)
	}
	_, err = c.Download(t.Context(), big, 0)
	noToken(err)
	_, err = c.Download(t.Context(), "no-such-file", 0)
	noToken(err)
	// A download the server cannot answer: the URL in the error is redacted.
	fake.Close()
	_, err = c.Download(t.Context(), id, 0)
	noToken(err)
}
