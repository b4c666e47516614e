package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-telegram/bot/models"
)

// MaxWebhookBody bounds the size of one webhook post. Telegram's updates
// are a few kilobytes; anything near this is not from Telegram.
const MaxWebhookBody = 1 << 20

// webhookHandler receives updates posted by Telegram. The secret header
// is checked before the body is read (the library would read any body and
// answer 200 to a wrong secret); a wrong or missing secret gets 401 and
// the body is never parsed. A full queue answers 503 so Telegram retries
// later.
func webhookHandler(secret string, submit func(context.Context, *models.Update) error, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			log.Warn("webhook: refused a post with a wrong or missing secret", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxWebhookBody)
		var u models.Update
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		if err := submit(ctx, &u); err != nil {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
