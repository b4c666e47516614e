package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/monitor"
)

// RunConfig configures how updates are received and handled.
type RunConfig struct {
	// WebhookURL switches to webhook mode: Telegram posts updates to it.
	// Empty means long polling.
	WebhookURL string
	// WebhookListen is the address the webhook server listens on
	// (behind a reverse proxy terminating TLS).
	WebhookListen string
	// WebhookSecret is checked against X-Telegram-Bot-Api-Secret-Token.
	WebhookSecret string
	// WebhookListener, if set, is used instead of listening on
	// WebhookListen (tests).
	WebhookListener net.Listener
	// Workers handle updates concurrently (default 8).
	Workers int
	// HandlerTimeout bounds one update's handling (default 60 s).
	HandlerTimeout time.Duration
	// ShutdownGrace is how long in-flight updates may finish after a
	// stop signal (default 20 s).
	ShutdownGrace time.Duration
	// Commands is the command menu set at start (setMyCommands).
	Commands []MenuCommand
}

// RunDeps are the collaborators of Run.
type RunDeps struct {
	Client  *Client
	Sender  *Sender
	Handler Handler
	// Events defaults to LogEvents.
	Events  ChatEvents
	Metrics *monitor.Metrics
	Log     *slog.Logger
}

// Run receives updates and handles them until ctx ends, then shuts down
// gracefully: it stops receiving, lets queued and in-flight updates
// finish within the grace period, and (when polling) confirms the handled
// updates to Telegram. It returns nil after a clean shutdown.
func Run(ctx context.Context, cfg RunConfig, deps RunDeps) error {
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.HandlerTimeout <= 0 {
		cfg.HandlerTimeout = 60 * time.Second
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 20 * time.Second
	}
	log := deps.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if deps.Events == nil {
		deps.Events = LogEvents{Log: log}
	}
	tg := deps.Client.TG

	if err := SetCommands(ctx, tg, cfg.Commands); err != nil {
		log.Warn("could not set the command menu", "err", Redact(err.Error(), deps.Client.cfg.Token))
	}

	handle := chain(deps.Handler.Handle, measure(deps.Metrics), recoverer(deps.Sender, deps.Metrics, log), lifecycle(deps.Events))
	d := newDispatcher(cfg.Workers, cfg.HandlerTimeout, handle)
	d.start()

	var runErr error
	if cfg.WebhookURL != "" {
		runErr = runWebhook(ctx, cfg, deps, d, log)
	} else {
		runErr = runPolling(ctx, cfg, deps, d, log)
	}
	return runErr
}

func runPolling(ctx context.Context, cfg RunConfig, deps RunDeps, d *dispatcher, log *slog.Logger) error {
	// A webhook left from an earlier deployment makes getUpdates fail.
	if _, err := deps.Client.TG.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{DropPendingUpdates: false}); err != nil {
		log.Warn("could not delete the webhook", "err", Redact(err.Error(), deps.Client.cfg.Token))
	}
	p := &poller{c: deps.Client}
	log.Info("receiving updates by long polling", "workers", cfg.Workers)
	pollErr := p.run(ctx, d.submit)
	log.Info("stopping: finishing in-flight updates", "grace", cfg.ShutdownGrace)
	next := p.offset
	if lowest := d.stop(cfg.ShutdownGrace); lowest != 0 {
		log.Warn("some updates did not finish before the grace period ended; Telegram will send them again", "from_update", lowest)
		next = lowest
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := p.confirm(cctx, next); err != nil {
		log.Warn("could not confirm handled updates; they may be handled again after restart", "err", err)
	}
	return pollErr
}

func runWebhook(ctx context.Context, cfg RunConfig, deps RunDeps, d *dispatcher, log *slog.Logger) error {
	u, err := url.Parse(cfg.WebhookURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("invalid WEBHOOK_URL %q", cfg.WebhookURL)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln := cfg.WebhookListener
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.WebhookListen); err != nil {
			return fmt.Errorf("webhook: listen on %s: %w", cfg.WebhookListen, err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle(path, webhookHandler(cfg.WebhookSecret, d.submit, log))
	if _, err := deps.Client.TG.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL: cfg.WebhookURL, SecretToken: cfg.WebhookSecret, AllowedUpdates: AllowedUpdates, MaxConnections: cfg.Workers,
	}); err != nil {
		_ = ln.Close()
		return fmt.Errorf("webhook: setWebhook: %s", Redact(err.Error(), deps.Client.cfg.Token))
	}
	log.Info("receiving updates by webhook", "url", cfg.WebhookURL, "listen", ln.Addr().String(), "workers", cfg.Workers)
	// The webhook stays registered at shutdown: Telegram keeps updates
	// until the bot is back.
	serveErr := monitor.ServeListener(ctx, ln, mux, log)
	log.Info("stopping: finishing in-flight updates", "grace", cfg.ShutdownGrace)
	if lowest := d.stop(cfg.ShutdownGrace); lowest != 0 {
		log.Warn("some updates did not finish before the grace period ended", "from_update", lowest)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("webhook server: %w", serveErr)
	}
	return nil
}

// MenuCommand is one entry of the command menu, in both languages.
type MenuCommand struct {
	Command string // without '/'
	Vi, En  string // descriptions
	// Private, Group and Admin say in which menus the command appears:
	// private chats, groups, and for group administrators.
	Private, Group, Admin bool
}

// SetCommands publishes the menu for each scope in Vietnamese (the
// default) and English.
func SetCommands(ctx context.Context, tg *tgbot.Bot, cmds []MenuCommand) error {
	if len(cmds) == 0 {
		return nil
	}
	scopes := []struct {
		scope models.BotCommandScope
		keep  func(MenuCommand) bool
	}{
		{&models.BotCommandScopeDefault{}, func(c MenuCommand) bool { return c.Private }},
		{&models.BotCommandScopeAllPrivateChats{}, func(c MenuCommand) bool { return c.Private }},
		{&models.BotCommandScopeAllGroupChats{}, func(c MenuCommand) bool { return c.Group }},
		{&models.BotCommandScopeAllChatAdministrators{}, func(c MenuCommand) bool { return c.Group || c.Admin }},
	}
	var errs []error
	for _, sc := range scopes {
		for _, lang := range []string{"", "en"} {
			var list []models.BotCommand
			for _, c := range cmds {
				if !sc.keep(c) {
					continue
				}
				desc := c.Vi
				if lang == "en" {
					desc = c.En
				}
				list = append(list, models.BotCommand{Command: c.Command, Description: desc})
			}
			if len(list) == 0 {
				continue
			}
			if _, err := tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: list, Scope: sc.scope, LanguageCode: lang}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
