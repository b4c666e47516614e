// Package bot runs meetbot on Telegram: it connects to the Bot API
// (api.telegram.org, a self-hosted Bot API server, or the fake in
// bot/telegramtest), receives updates by long polling or webhook, hands
// them to a bounded pool of workers running the handlers, and sends
// everything through one rate-limited Sender.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// DefaultAPIURL is Telegram's Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// ClientConfig says how to reach the Bot API.
type ClientConfig struct {
	Token string
	// APIURL is the Bot API server, without a trailing slash; empty
	// means DefaultAPIURL.
	APIURL string
	// PollTimeout is the long-poll wait of getUpdates (default 50 s).
	PollTimeout time.Duration
	// Transport overrides the HTTP transport (tests use an in-process one).
	Transport http.RoundTripper
	Log       *slog.Logger
}

// Client is a connection to the Bot API: the library's *tgbot.Bot for
// the methods, and the bot's own user from getMe.
type Client struct {
	TG  *tgbot.Bot
	Me  models.User
	cfg ClientConfig
	hc  *http.Client
	log *slog.Logger
}

// Connect builds the client and asks getMe who the bot is, retrying
// network failures a few times. A rejected token fails at once.
func Connect(ctx context.Context, cfg ClientConfig) (*Client, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("connect to telegram: TELEGRAM_BOT_TOKEN is empty")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hc := &http.Client{
		Transport: &transport{next: cfg.Transport, token: cfg.Token},
		Timeout:   cfg.PollTimeout + 15*time.Second,
	}
	tg, err := tgbot.New(cfg.Token,
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(cfg.PollTimeout, hc),
		tgbot.WithNotAsyncHandlers(),
		// The library's default handler logs whole updates (personal
		// data); updates never reach it here, but replace it anyway.
		tgbot.WithDefaultHandler(func(context.Context, *tgbot.Bot, *models.Update) {}),
		tgbot.WithErrorsHandler(func(err error) {
			log.Warn("telegram library error", "err", Redact(err.Error(), cfg.Token))
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("connect to telegram: %s", Redact(err.Error(), cfg.Token))
	}
	c := &Client{TG: tg, cfg: cfg, hc: hc, log: log}
	var me *models.User
	for attempt := 1; ; attempt++ {
		me, err = tg.GetMe(ctx)
		if err == nil {
			break
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return nil, fmt.Errorf("connect to telegram: the Bot API rejected the token (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL): %s", Redact(err.Error(), cfg.Token))
		}
		if attempt == 5 || ctx.Err() != nil {
			return nil, fmt.Errorf("connect to telegram at %s: %s", cfg.APIURL, Redact(err.Error(), cfg.Token))
		}
		log.Warn("getMe failed, retrying", "attempt", attempt, "err", Redact(err.Error(), cfg.Token))
		if err := sleep(ctx, time.Duration(attempt)*time.Second); err != nil {
			return nil, fmt.Errorf("connect to telegram: %w", err)
		}
	}
	c.Me = *me
	log.Info("connected to telegram", "bot", "@"+me.Username, "api", cfg.APIURL)
	return c, nil
}

// Username returns the bot's username without '@'.
func (c *Client) Username() string { return c.Me.Username }
