package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sync"

	"meetbot/bot"
	"meetbot/demo"
	"meetbot/handlers"
	"meetbot/monitor"
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
	if err := a.cfg.RequireBotToken(); err != nil {
		return err
	}
	a.log.Info("starting", "config", a.cfg)
	if *demoData {
		if err := loadDemoIfEmpty(ctx, a); err != nil {
			return err
		}
	}

	metrics := monitor.New()
	var limiter bot.Limiter = bot.NewMemoryLimiter(nil)
	if a.rdb != nil {
		limiter = bot.NewRedisLimiter(a.rdb, "meetbot:tg:", a.log)
		metrics.WatchCache(func() (uint64, uint64) { s := a.cache.Stats(); return s.Hits, s.Misses })
	}
	client, err := bot.Connect(ctx, bot.ClientConfig{Token: a.cfg.TelegramBotToken, APIURL: a.cfg.TelegramAPIURL, Log: a.log})
	if err != nil {
		return err
	}
	sender := bot.NewSender(client.TG, bot.SenderOptions{Limiter: limiter, Metrics: metrics, Log: a.log})
	h := handlers.New(
		handlers.Config{BotUsername: client.Username(), Location: a.loc, PageSize: a.cfg.PageSize},
		handlers.Deps{Store: a.store, Sender: sender, Now: a.now, Log: a.log},
	)

	var wg sync.WaitGroup
	if a.cfg.HTTPAddr != "off" {
		ready := monitor.Readiness{Required: map[string]monitor.Check{"store": a.sql.Ping}}
		if a.rdb != nil {
			ready.Info = map[string]monitor.Check{"redis": func(ctx context.Context) error { return a.rdb.Ping(ctx).Err() }}
		}
		wg.Go(func() {
			if err := monitor.Serve(ctx, a.cfg.HTTPAddr, metrics.Handler(ready), a.log); err != nil {
				a.log.Error("operations http server stopped", "err", err)
			}
		})
	}
	err = bot.Run(ctx, bot.RunConfig{
		WebhookURL:    a.cfg.WebhookURL,
		WebhookListen: a.cfg.WebhookListen,
		WebhookSecret: a.cfg.WebhookSecret,
		Workers:       a.cfg.Workers,
		ShutdownGrace: a.cfg.ShutdownTimeout,
		Commands:      handlers.Menu(),
	}, bot.RunDeps{Client: client, Sender: sender, Handler: h, Metrics: metrics, Log: a.log})
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
	ds, err := demo.Dataset(a.now(), a.loc)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	res, err := a.store.Import(ctx, ds)
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	a.log.Info("demo data loaded", "directives", res.Directives.Created, "meetings", res.Meetings.Created)
	return nil
}
