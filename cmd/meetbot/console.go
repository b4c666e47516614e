package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"meetbot/console"
	"meetbot/handlers"
	"meetbot/store"
)

// runConsole: meetbot console [--demo] [--db PATH] [--chat private|unit:<code>] [--user ID] [--now RFC3339] [--admin].
func runConsole(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("console", flag.ContinueOnError)
	demoData := fs.Bool("demo", false, "load the demo data (into a fresh temporary database unless --db is given)")
	dbPath := fs.String("db", "", "SQLite database file (default: DATABASE_PATH)")
	chat := fs.String("chat", "private", "private, or unit:<code> for a group bound to that unit")
	user := fs.Int64("user", console.DefaultUserID, "Telegram user id to write as")
	nowFlag := fs.String("now", "", "pretend the current time is this RFC 3339 instant")
	admin := fs.Bool("admin", false, "make the console user an office administrator")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	now, err := fixedClock(*nowFlag)
	if err != nil {
		return err
	}
	unitCode, err := console.ParseChat(*chat)
	if err != nil {
		return err
	}
	path := *dbPath
	if *demoData && path == "" {
		dir, err := os.MkdirTemp("", "meetbot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	a, err := openApp(ctx, path, now, stderr)
	if err != nil {
		return err
	}
	defer a.Close()

	if *demoData {
		if _, err := loadDemo(ctx, a); err != nil {
			return err
		}
	} else if empty, err := a.empty(ctx); err != nil {
		return err
	} else if empty {
		fmt.Fprintln(stderr, "meetbot: the database is empty; try --demo, or meetbot import FILE")
	}

	stdinFile, isFile := stdin.(*os.File)
	tty := isFile && console.IsTerminal(stdinFile)
	opts := console.Options{Interactive: tty, Echo: !tty, UserID: *user, Now: a.now, Log: a.log}
	var bound []store.Unit
	if unitCode != "" {
		us, err := a.store.FindUnits(ctx, unitCode)
		if err != nil {
			return err
		}
		for _, u := range us {
			if u.Code == unitCode {
				bound = []store.Unit{u}
			}
		}
		if len(bound) == 0 {
			return fmt.Errorf("--chat unit:%s: no unit has that code (see /units)", unitCode)
		}
		opts.ChatType, opts.ChatTitle = console.ChatSupergroup, bound[0].Name
	}
	con := console.New(stdin, stdout, opts)
	var chats handlers.ChatUnits
	if bound != nil {
		chats = console.UnitChat{ChatID: con.Chat().ID, Units: bound}
	}
	adminIDs := a.cfg.AdminIDs
	if *admin {
		adminIDs = append(slices.Clone(adminIDs), *user)
	}
	h := handlers.New(handlers.Config{BotUsername: console.DefaultBotUsername, Location: a.loc, PageSize: a.cfg.PageSize, AdminIDs: adminIDs},
		handlers.Deps{Store: a.store, Sender: con, Chats: chats, People: a.sql, Conversations: a.sql, Editor: a.store, Reports: a.store, Stats: a.store, Files: con,
			Now: a.now, Log: a.log})
	if err := con.Run(ctx, h); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
