package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/go-telegram/bot/models"
)

// AllowedUpdates are the update types the bot asks for: messages
// (commands, and the migrate_to_chat_id service message), button presses,
// inline queries, and changes of the bot's own membership in chats.
var AllowedUpdates = []string{
	models.AllowedUpdateMessage,
	models.AllowedUpdateCallbackQuery,
	models.AllowedUpdateInlineQuery,
	models.AllowedUpdateMyChatMember,
}

// errUnauthorized: the token was rejected while polling; polling stops.
var errUnauthorized = errors.New("the Bot API rejected the token")

// poller runs getUpdates itself rather than through the library's Start,
// so that it confirms exactly the updates that were handled: an update is
// confirmed (by the next getUpdates offset) only after it was queued, and
// at shutdown, after the queue drained, one last call confirms what the
// workers finished. A restart then neither loses nor repeats updates.
type poller struct {
	c      *Client
	offset int64
}

type pollResponse struct {
	OK          bool             `json:"ok"`
	Result      []*models.Update `json:"result"`
	ErrorCode   int              `json:"error_code"`
	Description string           `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// fetch calls getUpdates.
func (p *poller) fetch(ctx context.Context, timeout time.Duration, limit int) ([]*models.Update, error) {
	body, _ := json.Marshal(map[string]any{
		"offset":          p.offset,
		"timeout":         int(timeout.Seconds()),
		"limit":           limit,
		"allowed_updates": AllowedUpdates,
	})
	url := p.c.cfg.APIURL + "/bot" + p.c.cfg.Token + "/getUpdates"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %s", Redact(err.Error(), p.c.cfg.Token))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %s", Redact(err.Error(), p.c.cfg.Token))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("getUpdates: read: %w", err)
	}
	var r pollResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, undecodable answer: %w", resp.StatusCode, err)
	}
	if !r.OK {
		if r.ErrorCode == http.StatusUnauthorized || r.ErrorCode == http.StatusNotFound {
			return nil, errUnauthorized
		}
		if r.ErrorCode == http.StatusTooManyRequests {
			return nil, &retryAfterError{after: time.Duration(max(r.Parameters.RetryAfter, 1)) * time.Second}
		}
		return nil, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	return r.Result, nil
}

type retryAfterError struct{ after time.Duration }

func (e *retryAfterError) Error() string { return fmt.Sprintf("getUpdates: retry after %s", e.after) }

// run polls until ctx ends, handing each update to submit in order.
func (p *poller) run(ctx context.Context, submit func(context.Context, *models.Update) error) error {
	var backoff time.Duration
	for ctx.Err() == nil {
		ups, err := p.fetch(ctx, p.c.cfg.PollTimeout, 100)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, errUnauthorized) {
				return fmt.Errorf("polling stopped: %w", err)
			}
			var ra *retryAfterError
			switch {
			case errors.As(err, &ra):
				backoff = ra.after
			case backoff == 0:
				backoff = 500 * time.Millisecond
			default:
				backoff = min(2*backoff, 30*time.Second)
			}
			// Jitter below the backoff, but never below a 429's
			// retry_after: polling earlier is answered 429 again.
			wait := backoff/2 + rand.N(backoff/2+1)
			if ra != nil {
				wait = ra.after
			}
			p.c.log.Warn("polling failed, retrying", "in", wait, "err", err)
			if sleep(ctx, wait) != nil {
				break
			}
			continue
		}
		backoff = 0
		for _, u := range ups {
			if err := submit(ctx, u); err != nil {
				// Not queued: leave it unconfirmed for the next start.
				return nil
			}
			p.offset = u.ID + 1
		}
	}
	return nil
}

// confirm tells Telegram that every update below offset was handled.
func (p *poller) confirm(ctx context.Context, offset int64) error {
	if offset <= 0 {
		return nil
	}
	p.offset = offset
	_, err := p.fetch(ctx, 0, 1)
	return err
}
