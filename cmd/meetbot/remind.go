package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/bot"
	"meetbot/console"
	"meetbot/scheduler"
)

// newScheduler builds the reminders service on the app's stores, sending
// through sender.
func newScheduler(a *app, sender scheduler.Sender) (*scheduler.Service, error) {
	clock, err := a.cfg.ReminderClock()
	if err != nil {
		return nil, err
	}
	ladder, err := a.cfg.Ladder()
	if err != nil {
		return nil, err
	}
	meetings, err := a.cfg.MeetingOffsets()
	if err != nil {
		return nil, err
	}
	cal, err := scheduler.LoadCalendar(a.cfg.HolidaysFile)
	if err != nil {
		return nil, err
	}
	return scheduler.New(scheduler.Config{
		Location:         a.loc,
		ReminderTime:     clock,
		Ladder:           ladder,
		Weekly:           a.cfg.ReminderWeekly,
		MeetingOffsets:   meetings,
		DigestSchedule:   a.cfg.DigestSchedule,
		WeeklySchedule:   a.cfg.WeeklySchedule,
		StatsSchedule:    a.cfg.StatsSchedule,
		AdminChatID:      a.cfg.AdminChatID,
		LeadershipChatID: a.cfg.LeadershipChatID,
		Calendar:         cal,
	}, scheduler.Deps{Records: a.store, Store: a.sql, Sender: sender, Stats: a.store, Now: a.now, Log: a.log})
}

// errDryRunSend: a dry run tried to send, which it must not.
var errDryRunSend = errors.New("dry run: nothing is sent")

type noSender struct{}

func (noSender) SendMessage(context.Context, *tgbot.SendMessageParams) (*models.Message, error) {
	return nil, errDryRunSend
}

func (noSender) SendPhoto(context.Context, *tgbot.SendPhotoParams) (*models.Message, error) {
	return nil, errDryRunSend
}

// runRemind: meetbot remind [--now RFC3339] [--dry-run]: one planning and
// dispatch pass, then exit (for operators, and for deployments that run
// it from an external cron instead of "meetbot run").
func runRemind(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("remind", flag.ContinueOnError)
	nowFlag := fs.String("now", "", "pretend the current time is this RFC 3339 instant")
	dryRun := fs.Bool("dry-run", false, "print, per chat, what would be sent; send and record nothing")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	now, err := fixedClock(*nowFlag)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, "", now, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	var sender scheduler.Sender = noSender{}
	if !*dryRun {
		if err := a.cfg.RequireBotToken(); err != nil {
			return err
		}
		client, err := bot.Connect(ctx, bot.ClientConfig{Token: a.cfg.TelegramBotToken, APIURL: a.cfg.TelegramAPIURL, Log: a.log})
		if err != nil {
			return err
		}
		sender = bot.NewSender(client.TG, bot.SenderOptions{Limiter: newLimiter(a), Log: a.log})
	}
	svc, err := newScheduler(a, sender)
	if err != nil {
		return err
	}
	rep, err := svc.RunOnce(ctx, a.now(), *dryRun)
	printReport(stdout, rep, a.loc)
	return err
}

// printReport writes what a pass sent (or, dry, would send), per chat.
func printReport(w io.Writer, rep scheduler.Report, loc *time.Location) {
	verb := "sent"
	if rep.DryRun {
		verb = "would send"
	}
	fmt.Fprintf(w, "reminders at %s: %d planned, %d skipped (catch-up), %d sent, %d failed, %d retrying\n",
		rep.At.In(loc).Format("2006-01-02 15:04 MST"), rep.Planned, rep.Skipped, rep.Sent, rep.Failed, rep.Retrying)
	if len(rep.Chats) == 0 {
		fmt.Fprintf(w, "nothing to send\n")
	}
	for _, c := range rep.Chats {
		where := fmt.Sprint("chat ", c.ChatID)
		if c.ThreadID != 0 {
			where += fmt.Sprint(" topic ", c.ThreadID)
		}
		fmt.Fprintf(w, "\n== %s: %s %d message(s)\n", where, verb, len(c.Messages))
		for _, m := range c.Messages {
			text, err := console.HTMLToText(m.Text)
			if err != nil {
				text = m.Text
			}
			fmt.Fprintf(w, "-- %s", m.Kind)
			if m.Error != "" {
				fmt.Fprintf(w, " (failed: %s)", m.Error)
			}
			fmt.Fprintf(w, "\n%s\n", text)
		}
	}
}
