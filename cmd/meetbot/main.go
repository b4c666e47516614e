// Command meetbot is a Telegram assistant for the meeting information of
// a Vietnamese provincial office: meetings, directives to units with
// deadlines, programs.
//
//	meetbot run [--demo]            run the Telegram bot
//	meetbot console [flags]         talk to the same handlers in a terminal
//	meetbot import FILE...          import YAML data files
//	meetbot remind [--now] [--dry-run]  one reminders pass, then exit
//	meetbot gen [flags]             generate a synthetic database (benchmarks)
//
// Settings come from the environment (see README.md and .env.example).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Reader, io.Writer, io.Writer) error{
		"run":     runBot,
		"console": runConsole,
		"import":  runImport,
		"gen":     runGen,
		"remind":  runRemind,
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "meetbot: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	if err := cmd(ctx, args[1:], stdin, stdout, stderr); err != nil {
		if err == errUsage {
			return 2
		}
		fmt.Fprintf(stderr, "meetbot %s: %v\n", name, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: meetbot <command> [flags]

Commands:
  run [--demo]        run the Telegram bot (needs TELEGRAM_BOT_TOKEN)
  console [flags]     talk to the bot's handlers in the terminal, no token needed
  import FILE...      create or update records from YAML files
  remind [--now T] [--dry-run]
                      one reminders pass (plan and send), then exit
  gen [flags]         fill a database with synthetic data for benchmarks

Run "meetbot <command> -h" for a command's flags. Settings come from the
environment; see README.md and .env.example.
`)
}
