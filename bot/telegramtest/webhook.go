package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

type webhookState struct {
	url            string
	secret         string
	maxConnections int
	lastErrorDate  time.Time
	lastError      string
}

// getUpdates answers getUpdates: the queued updates with update_id >=
// offset (an offset confirms, and drops, the updates before it; a
// negative one keeps the last -offset), at most limit (1..100, default
// 100), only of the kinds in allowed_updates (the last non-empty list
// given). When none is queued it waits for one, up to the smaller of
// timeout and Options.LongPoll, or until the request's context ends. A
// newer getUpdates ends a waiting one with 409, as in Telegram.
func (s *Server) getUpdates(c *call) result {
	offset, err := c.integer("offset")
	if err != nil {
		return badRequest("invalid offset")
	}
	limit, err := c.integer("limit")
	if err != nil {
		return badRequest("invalid limit")
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, err := c.integer("timeout")
	if err != nil {
		return badRequest("invalid timeout")
	}
	wait := min(s.longPoll, time.Duration(max(timeout, 0))*time.Second)
	allowed, errRes := parseAllowed(c.str("allowed_updates"))
	if errRes != nil {
		return *errRes
	}
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(allowed) > 0 {
		s.allowed = allowed
	}
	gen := c.pollGen
	for {
		if s.webhook.url != "" {
			return fail(http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
		}
		if s.pollGen != gen {
			return fail(http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
		}
		ups := s.takeUpdatesLocked(offset, int(limit))
		if len(ups) > 0 || timer == nil || s.closed {
			return ok(ups)
		}
		ch := s.changed
		s.mu.Unlock()
		expired := false
		select {
		case <-ch:
		case <-timer:
			expired = true
		case <-c.ctx.Done():
			expired = true
		case <-s.ctx.Done():
			expired = true
		}
		s.mu.Lock()
		if expired {
			return ok(s.takeUpdatesLocked(offset, int(limit)))
		}
	}
}

// takeUpdatesLocked confirms the updates before offset, drops those of
// kinds not allowed, and returns up to limit of the rest.
func (s *Server) takeUpdatesLocked(offset int64, limit int) []json.RawMessage {
	n := len(s.queue)
	switch {
	case offset < 0:
		if keep := int(-offset); keep < len(s.queue) {
			s.queue = s.queue[len(s.queue)-keep:]
		}
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	}
	s.dropDisallowedLocked()
	if len(s.queue) != n {
		s.notifyLocked()
	}
	out := make([]json.RawMessage, 0, min(limit, len(s.queue)))
	for _, u := range s.queue {
		if len(out) == limit {
			break
		}
		out = append(out, u.body)
	}
	return out
}

func (s *Server) dropDisallowedLocked() {
	s.queue = slices.DeleteFunc(s.queue, func(u queuedUpdate) bool { return !kindAllowed(s.allowed, u.kind) })
}

func parseAllowed(raw string) ([]string, *result) {
	if raw == "" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		res := badRequest("can't parse allowed updates: " + err.Error())
		return nil, &res
	}
	return list, nil
}

func (s *Server) setWebhook(c *call) result {
	raw := c.str("url")
	allowed, errRes := parseAllowed(c.str("allowed_updates"))
	if errRes != nil {
		return *errRes
	}
	secret := c.str("secret_token")
	if len(secret) > 256 {
		return badRequest("secret token is too long")
	}
	for i := 0; i < len(secret); i++ {
		if b := secret[i]; !isASCIIAlnum(b) && b != '_' && b != '-' {
			return badRequest("secret token contains unallowed characters")
		}
	}
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return badRequest("bad webhook: invalid webhook URL specified")
		}
	}
	if c.boolean("drop_pending_updates") {
		s.dropQueueLocked()
	}
	if len(allowed) > 0 {
		s.allowed = allowed
	}
	maxConn, _ := c.integer("max_connections")
	s.webhook = webhookState{url: raw, secret: secret, maxConnections: int(maxConn)}
	s.notifyLocked() // a waiting getUpdates ends with 409
	if raw == "" {
		return result{status: http.StatusOK, value: true, description: "Webhook was deleted"}
	}
	if s.opts.WebhookAuto && !s.hookRunning && !s.closed {
		s.hookRunning = true
		s.wg.Add(1)
		go s.webhookLoop()
	}
	return result{status: http.StatusOK, value: true, description: "Webhook was set"}
}

func (s *Server) deleteWebhook(c *call) result {
	if c.boolean("drop_pending_updates") {
		s.dropQueueLocked()
	}
	s.webhook = webhookState{}
	s.notifyLocked()
	return result{status: http.StatusOK, value: true, description: "Webhook was deleted"}
}

func (s *Server) dropQueueLocked() {
	s.queue = nil
	s.notifyLocked()
}

func (s *Server) getWebhookInfo(*call) result {
	info := models.WebhookInfo{
		URL:                s.webhook.url,
		PendingUpdateCount: len(s.queue),
		MaxConnections:     s.webhook.maxConnections,
		AllowedUpdates:     s.allowed,
		LastErrorMessage:   s.webhook.lastError,
	}
	if !s.webhook.lastErrorDate.IsZero() {
		info.LastErrorDate = int(s.webhook.lastErrorDate.Unix())
	}
	return ok(info)
}

// DeliverWebhook POSTs the queued updates to the webhook, one at a time
// and in order, as JSON with the header X-Telegram-Bot-Api-Secret-Token
// when a secret token was set. An update is dropped from the queue when
// the webhook answers 2xx. It stops at the first failure (transport error
// or other status), which it returns, leaving that update queued and
// recording the error for getWebhookInfo. It returns nil when the queue is
// empty and ErrNoWebhook when no webhook is set. Calls are serialised with
// each other and with the background deliverer of Options.WebhookAuto.
func (s *Server) DeliverWebhook(ctx context.Context) error {
	s.deliverMu.Lock()
	defer s.deliverMu.Unlock()
	for {
		s.mu.Lock()
		if s.webhook.url == "" {
			s.mu.Unlock()
			return ErrNoWebhook
		}
		s.dropDisallowedLocked()
		if len(s.queue) == 0 {
			s.mu.Unlock()
			return nil
		}
		u, hook := s.queue[0], s.webhook
		s.mu.Unlock()

		err := s.post(ctx, hook, u.body)

		s.mu.Lock()
		if err != nil {
			if s.webhook.url == hook.url {
				s.webhook.lastError = err.Error()
				s.webhook.lastErrorDate = s.now()
			}
			s.notifyLocked()
			s.mu.Unlock()
			return err
		}
		if len(s.queue) > 0 && s.queue[0].id == u.id {
			s.queue = s.queue[1:]
		}
		s.notifyLocked()
		s.mu.Unlock()
	}
}

func (s *Server) post(ctx context.Context, hook webhookState, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := s.hook.Do(req)
	if err != nil {
		return fmt.Errorf("webhook post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("wrong response from the webhook: %s", resp.Status)
	}
	return nil
}

// webhookLoop delivers updates while a webhook is set, started by
// setWebhook with Options.WebhookAuto.
func (s *Server) webhookLoop() {
	defer s.wg.Done()
	backoff := time.Duration(0)
	for {
		s.mu.Lock()
		if s.webhook.url == "" || s.closed {
			s.hookRunning = false
			s.mu.Unlock()
			return
		}
		ch := s.changed
		s.dropDisallowedLocked()
		pending := len(s.queue) > 0
		s.mu.Unlock()

		if !pending {
			select {
			case <-ch:
			case <-s.ctx.Done():
			}
			continue
		}
		if err := s.DeliverWebhook(s.ctx); err == nil {
			backoff = 0
			continue
		}
		backoff = min(max(2*backoff, 50*time.Millisecond), 2*time.Second)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-s.ctx.Done():
		}
		t.Stop()
	}
}
