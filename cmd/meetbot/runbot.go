package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"

	"meetbot/bot"
	"meetbot/calfeed"
	"meetbot/demo"
	"meetbot/handlers"
	"meetbot/monitor"
	"meetbot/store"
)

// runBot: meetbot run [--demo]. It runs until SIGINT or SIGTERM, then
// stops receiving, lets in-flight updates finish (SHUTDOWN_TIMEOUT) and
// exits 0.
func runBot(ctx context.Context, args []string, _ io.Reader, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	demoData := fs.Bool("demo", false, "load the demo data when the database is empty")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := openApp(ctx, "", nil, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	return serveBot(ctx, a, serveOptions{demo: *demoData})
}

// serveOptions are the choices of serveBot that are not configuration:
// flags, and what tests substitute.
type serveOptions struct {
	demo bool
	// wrap, if set, wraps the handlers (tests inject a panic with it).
	wrap func(bot.Handler) bot.Handler
	// limits override the sending limits (the throughput benchmark).
	limits bot.Limits
	// webhookListener and httpListener replace listening on
	// WEBHOOK_LISTEN and HTTP_ADDR (tests bind them first).
	webhookListener, httpListener net.Listener
}

// serveBot connects to the Bot API and handles updates until ctx ends.
func serveBot(ctx context.Context, a *app, opts serveOptions) error {
	if err := a.cfg.RequireBotToken(); err != nil {
		return err
	}
	a.log.Info("starting", "config", a.cfg)
	if opts.demo {
		if err := loadDemoIfEmpty(ctx, a); err != nil {
			return err
		}
	}

	metrics := monitor.New()
	if a.cache != nil {
		metrics.WatchCache(func() (uint64, uint64) { s := a.cache.Counters(); return s.Hits, s.Misses })
	}
	client, err := bot.Connect(ctx, bot.ClientConfig{Token: a.cfg.TelegramBotToken, APIURL: a.cfg.TelegramAPIURL, Log: a.log})
	if err != nil {
		return err
	}
	sender := bot.NewSender(client.TG, bot.SenderOptions{Limits: opts.limits, Limiter: newLimiter(a), Metrics: metrics, Log: a.log})
	reminders, err := newScheduler(a, sender)
	if err != nil {
		return err
	}
	var h bot.Handler = handlers.New(
		handlers.Config{BotUsername: client.Username(), Location: a.loc, PageSize: a.cfg.PageSize,
			AdminIDs: a.cfg.AdminIDs, ReminderTime: a.cfg.ReminderTime, PublicURL: a.cfg.PublicURL, AdminChatID: a.cfg.AdminChatID},
		handlers.Deps{Store: a.store, Sender: sender, Chats: a.sql, Registry: a.sql, Members: client.TG,
			Status: reminders, People: a.sql, Conversations: a.sql, Editor: a.store, Reports: a.store, Stats: a.store, Feeds: a.sql, Files: client,
			Now: a.now, Log: a.log},
	)
	if opts.wrap != nil {
		h = opts.wrap(h)
	}

	var wg sync.WaitGroup
	if a.cfg.HTTPAddr != "off" {
		ready := monitor.Readiness{Required: map[string]monitor.Check{"store": a.sql.Ping}}
		if a.rdb != nil {
			ready.Info = map[string]monitor.Check{"redis": func(ctx context.Context) error { return a.rdb.Ping(ctx).Err() }}
		}
		ln := opts.httpListener
		if ln == nil {
			if ln, err = net.Listen("tcp", a.cfg.HTTPAddr); err != nil {
				return fmt.Errorf("HTTP_ADDR: %w", err)
			}
		}
		mux := http.NewServeMux()
		mux.Handle("/", metrics.Handler(ready))
		calfeed.NewHandler(a.store, a.sql, calfeed.HandlerOptions{Location: a.loc, Now: a.now, Log: a.log}).Register(mux)
		wg.Go(func() {
			if err := monitor.ServeListener(ctx, ln, mux, a.log); err != nil {
				a.log.Error("operations http server stopped", "err", err)
			}
		})
	}
	if err := reminders.Start(ctx); err != nil {
		return err
	}
	err = bot.Run(ctx, bot.RunConfig{
		WebhookURL:      a.cfg.WebhookURL,
		WebhookListen:   a.cfg.WebhookListen,
		WebhookSecret:   a.cfg.WebhookSecret,
		WebhookListener: opts.webhookListener,
		Workers:         a.cfg.Workers,
		ShutdownGrace:   a.cfg.ShutdownTimeout,
		Commands:        menu(),
	}, bot.RunDeps{Client: client, Sender: sender, Handler: h, Events: reminders.Registry(), Metrics: metrics, Log: a.log})
	// The reminders stop after the updates: a pass in progress finishes
	// within the same grace.
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	if serr := reminders.Stop(stopCtx); serr != nil {
		a.log.Warn("reminders did not stop in time", "err", serr)
	}
	wg.Wait()
	if err != nil {
		return err
	}
	a.log.Info("stopped")
	return nil
}

// loadDemoIfEmpty imports the demo data into an empty database. A
// database that holds data is left alone: the demo's dates move with
// today, and re-importing them would move real records' neighbours.
func loadDemoIfEmpty(ctx context.Context, a *app) error {
	empty, err := a.empty(ctx)
	if err != nil || !empty {
		return err
	}
	res, err := loadDemo(ctx, a)
	if err != nil {
		return err
	}
	a.log.Info("demo data loaded", "directives", res.Directives.Created, "meetings", res.Meetings.Created)
	return nil
}

// loadDemo imports the demo data, its dates around a.now().
func loadDemo(ctx context.Context, a *app) (store.ImportResult, error) {
	ds, err := demo.Dataset(a.now(), a.loc)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("demo data: %w", err)
	}
	res, err := a.store.Import(ctx, ds, importActor)
	if err != nil {
		return res, fmt.Errorf("load demo data: %w", err)
	}
	return res, nil
}

// newLimiter returns the sending limiter: shared through Redis when the
// cache's Redis is there (several instances share one token's limits),
// in process otherwise.
func newLimiter(a *app) bot.Limiter {
	if a.rdb != nil {
		return bot.NewRedisLimiter(a.rdb, "meetbot:tg:", a.log)
	}
	return bot.NewMemoryLimiter(nil)
}

// menu is the handlers' command menu, for setMyCommands.
func menu() []bot.MenuCommand {
	var out []bot.MenuCommand
	for _, c := range handlers.Menu() {
		out = append(out, bot.MenuCommand{Command: c.Command, Vi: c.Vi, En: c.En, Private: c.Private, Group: c.Group, Admin: c.Admin})
	}
	return out
}
