package scheduler

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ParseSchedule parses a 5-field cron expression (minute hour
// day-of-month month day-of-week) or a descriptor (@daily, @weekly, …).
// robfig/cron's parser panics on some malformed input (a bare
// "CRON_TZ=Zone"): the panic is recovered and returned as an error. An
// expression that never fires (30 February) is an error too. Without a
// CRON_TZ prefix the schedule runs in the scheduler's time zone.
func ParseSchedule(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			sched, err = nil, fmt.Errorf("%q is not a cron expression", spec)
		}
	}()
	if strings.TrimSpace(spec) == "" {
		return nil, errors.New("empty cron expression")
	}
	sched, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%q is not a cron expression (minute hour day-of-month month day-of-week): %w", spec, err)
	}
	if sched.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("%q never fires", spec)
	}
	return sched, nil
}

// parseOptionalSchedule is ParseSchedule, with "off" giving a nil
// schedule (the job is not run).
func parseOptionalSchedule(spec string) (cron.Schedule, error) {
	if strings.EqualFold(strings.TrimSpace(spec), "off") {
		return nil, nil
	}
	return ParseSchedule(spec)
}

// jobWrappers is the chain every job runs in, outermost first:
// SkipIfStillRunning, then Recover. The order matters: SkipIfStillRunning
// hands its token back only when the job returns, so a panic escaping to
// it (Recover outside) would keep the token and skip the job for ever;
// with Recover inside, a panicking pass is logged and the next one runs.
func jobWrappers(l cron.Logger) []cron.JobWrapper {
	return []cron.JobWrapper{cron.SkipIfStillRunning(l), cron.Recover(l)}
}

// cronLogger adapts slog to cron.Logger. Cron's own Info lines (every
// wake-up) go to Debug.
type cronLogger struct{ log *slog.Logger }

// Info implements cron.Logger.
func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

// Error implements cron.Logger; a recovered panic arrives here.
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
