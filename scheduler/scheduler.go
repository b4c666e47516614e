// Package scheduler sends meetbot's reminders: each unit hears about its
// deadlines in time, once, in its own Telegram chat, on working mornings,
// and nothing is lost or doubled when the bot restarts or runs on two
// machines.
//
// # How it works
//
// Nothing that is due lives in memory. Each pass (RunOnce; the cron tick
// runs one every minute) does three things against the database:
//
//  1. Plan: compute what is due now — the latest due rung of each open
//     directive's ladder for each unit that has not completed, meeting
//     reminders, the daily overdue digest, the weekly digests, the weekly
//     statistics to the leadership (stats.go) — and store
//     it as outbox items under unique keys. Planning twice stores nothing
//     new. A rung is keyed by (directive, unit, offset, deadline), so a
//     new deadline starts a fresh ladder.
//  2. Compose: turn the pending items into one message per unit and chat
//     (split to fit Telegram's limit), marking every item queued, skipped
//     (a later rung of the same ladder is due: after downtime only the
//     latest goes out) or cancelled (done, closed, deadline changed) in
//     the same transaction as the messages, so two instances never both
//     compose an item.
//  3. Dispatch: claim ready messages under a lease, send them through the
//     rate-limited sender, and record the outcome. A crash between claim
//     and send leaves the lease to run out and the message to be sent
//     again; a chat that is gone (403, 400 chat not found) is deactivated
//     and the administrators told once; a group that became a supergroup
//     is followed to its new id; other failures are retried with backoff
//     up to a bound.
//
// Deadline reminders and digests go out on working days (Calendar) from
// the configured morning time; a rung that falls on a day off goes out
// the next working morning. Nothing is sent between 20:00 and 07:00.
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/robfig/cron/v3"

	"meetbot/store"
)

// Records is what the scheduler reads of meetings, directives and
// units: a subset of store.Reader, so *sqlstore.Store and the Redis cache
// both satisfy it.
type Records interface {
	Units(ctx context.Context, f store.UnitFilter) ([]store.Unit, error)
	Meetings(ctx context.Context, f store.MeetingFilter) (store.Page[store.Meeting], error)
	Meeting(ctx context.Context, id int64) (store.Meeting, error)
	Directives(ctx context.Context, f store.DirectiveFilter) (store.Page[store.Directive], error)
	Directive(ctx context.Context, id int64) (store.Directive, error)
}

// ChatStore is the registry of chats bound to units. *sqlstore.Store
// satisfies it.
type ChatStore interface {
	Bindings(ctx context.Context) ([]store.Binding, error)
	MigrateChat(ctx context.Context, from, to int64) (int, error)
	DeactivateChat(ctx context.Context, chatID int64, reason string) ([]store.Binding, error)
}

// Outbox is the durable outbox and the scheduler's state. *sqlstore.Store
// satisfies it; see its methods for the contracts.
type Outbox interface {
	DeadlineTargets(ctx context.Context) ([]store.DeadlineTarget, error)
	PlanItems(ctx context.Context, items []store.OutboxItem) (int, error)
	PendingItems(ctx context.Context, now time.Time) ([]store.OutboxItem, error)
	StoredItems(ctx context.Context, items []store.OutboxItem) ([]store.OutboxItem, error)
	EnqueueBatch(ctx context.Context, b store.OutboxBatch) error
	ClaimMessages(ctx context.Context, r store.ClaimRequest) ([]store.OutboxMessage, error)
	ReadyMessages(ctx context.Context, now time.Time) ([]store.OutboxMessage, error)
	CompleteMessage(ctx context.Context, id int64, owner string, telegramID int, sentAt time.Time) error
	RetryMessage(ctx context.Context, id int64, owner string, notBefore time.Time, reason string) error
	FailMessage(ctx context.Context, id int64, owner, reason string) error
	ReleaseMessage(ctx context.Context, id int64, owner string) error
	ExpireMessages(ctx context.Context, now time.Time) (int, error)
	OutboxStats(ctx context.Context, since time.Time, recent int) (store.OutboxStats, error)
	SchedulerState(ctx context.Context, key string) (string, bool, error)
	SetSchedulerState(ctx context.Context, key, value string) error
}

// Store is the SQL side the scheduler writes to: the registry and the
// outbox. *sqlstore.Store satisfies it.
type Store interface {
	ChatStore
	Outbox
}

// Sender sends one message. *bot.Sender satisfies it: it keeps
// Telegram's rate limits, waits out 429s, retries 5xx, and returns
// *bot.ChatError and *bot.MigratedError for chats that are gone or moved.
type Sender interface {
	SendMessage(ctx context.Context, p *tgbot.SendMessageParams) (*models.Message, error)
	// SendPhoto sends the weekly statistics' chart.
	SendPhoto(ctx context.Context, p *tgbot.SendPhotoParams) (*models.Message, error)
}

// Defaults of Config.
const (
	DefaultReminderTime   = 7*time.Hour + 30*time.Minute
	DefaultDigestSchedule = "0 8 * * *"
	DefaultWeeklySchedule = "30 7 * * 1"
	// Messages go out only from DayStart to DayEnd, local time.
	DayStart = 7 * time.Hour
	DayEnd   = 20 * time.Hour
)

// DefaultLadder is the ladder of REMINDER_LADDER's default: days relative
// to the deadline.
var DefaultLadder = []int{-7, -3, -1, 0, 1, 3, 7}

// Config holds the scheduler's settings (config.Config's reminder fields,
// parsed). Zero fields take the defaults noted, except the booleans and
// MeetingOffsets, whose zero values mean "off".
type Config struct {
	// Location is the office's time zone (TIMEZONE); default UTC.
	Location *time.Location
	// ReminderTime is REMINDER_TIME as time since local midnight
	// (default 07:30), between 07:00 and 20:00.
	ReminderTime time.Duration
	// Ladder is REMINDER_LADDER (config.Config.Ladder): the zero value is
	// DefaultLadder, Off turns deadline reminders off. A directive's own
	// ladder replaces it.
	Ladder store.Reminders
	// Weekly is REMINDER_WEEKLY: after the last rung, remind weekly
	// (+14, +21, … for the default ladder) while the item is overdue.
	Weekly bool
	// MeetingOffsets is MEETING_REMINDERS: how long before a meeting its
	// attending units are reminded; nil for none.
	MeetingOffsets []time.Duration
	// DigestSchedule (DIGEST_SCHEDULE) and WeeklySchedule
	// (WEEKLY_SCHEDULE) are 5-field cron expressions in Location, or
	// "off"; defaults DefaultDigestSchedule and DefaultWeeklySchedule.
	DigestSchedule, WeeklySchedule string
	// StatsSchedule (STATS_SCHEDULE) is when the weekly statistics go to
	// LeadershipChatID (stats.go): a cron expression or "off"; default
	// DefaultStatsSchedule.
	StatsSchedule string
	// AdminChatID (ADMIN_CHAT_ID) is told when a unit's chat is lost;
	// LeadershipChatID (LEADERSHIP_CHAT_ID) gets the overdue digest. 0
	// disables each.
	AdminChatID, LeadershipChatID int64
	// Calendar is the working calendar; nil means DefaultCalendar (the
	// lead loads HOLIDAYS_FILE with LoadCalendar).
	Calendar *Calendar

	// InstanceID names this process in leases (default host-pid-random).
	InstanceID string
	// Workers send at once (default 8); Lease is how long a claim holds
	// (default 5 min, at least 1 min).
	Workers int
	Lease   time.Duration
	// MaxAttempts bounds the attempts at one message (default 6);
	// RetryBackoff is the wait after the first failed attempt (default
	// 1 min), doubled each time up to 30 min.
	MaxAttempts  int
	RetryBackoff time.Duration
	// CatchUpWindow bounds how far back skipped rungs are recorded after
	// downtime (default 31 days). Only the latest due rung is ever sent.
	CatchUpWindow time.Duration
}

func (c *Config) defaults() error {
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.ReminderTime == 0 {
		c.ReminderTime = DefaultReminderTime
	}
	if c.ReminderTime < DayStart || c.ReminderTime >= DayEnd {
		return fmt.Errorf("scheduler: reminder time %s is outside 07:00–20:00", clock(c.ReminderTime))
	}
	if err := c.Ladder.Validate(); err != nil {
		return fmt.Errorf("scheduler: ladder: %w", err)
	}
	if c.DigestSchedule == "" {
		c.DigestSchedule = DefaultDigestSchedule
	}
	if c.WeeklySchedule == "" {
		c.WeeklySchedule = DefaultWeeklySchedule
	}
	if c.StatsSchedule == "" {
		c.StatsSchedule = DefaultStatsSchedule
	}
	for _, d := range c.MeetingOffsets {
		if d <= 0 {
			return fmt.Errorf("scheduler: meeting reminder offset %s is not positive", d)
		}
	}
	if c.Calendar == nil {
		c.Calendar = DefaultCalendar()
	}
	if c.InstanceID == "" {
		host, _ := os.Hostname()
		var b [3]byte
		_, _ = rand.Read(b[:])
		c.InstanceID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.Lease <= 0 {
		c.Lease = 5 * time.Minute
	}
	c.Lease = max(c.Lease, time.Minute)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 6
	}
	if c.RetryBackoff <= 0 {
		c.RetryBackoff = time.Minute
	}
	if c.CatchUpWindow <= 0 {
		c.CatchUpWindow = 31 * 24 * time.Hour
	}
	return nil
}

// Deps are the scheduler's collaborators.
type Deps struct {
	// Records are read through (the cache, or the SQL store).
	Records Records
	// Store is the SQL store: registry and outbox.
	Store Store
	// Sender sends the messages (*bot.Sender).
	Sender Sender
	// Renderer writes the messages; nil means NewRenderer's.
	Renderer Renderer
	// Stats counts shares for the weekly statistics (the cache, or the
	// SQL store); nil turns them off.
	Stats StatsSource
	// Now returns the current instant; nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
}

// Service plans, composes and sends reminders. Create it with New, run
// it with Start (cron) or RunOnce (one pass), stop it with Stop. It is
// safe for concurrent use; passes are serialised.
type Service struct {
	cfg       Config
	deps      Deps
	log       *slog.Logger
	registry  *Registry
	digest    cron.Schedule
	weekly    cron.Schedule
	stats     cron.Schedule
	passMu    sync.Mutex // one pass at a time in this process
	cron      *cron.Cron
	runCtx    context.Context
	cancelRun context.CancelFunc
}

// New checks cfg (schedules included) and returns a Service. It does not
// start anything.
func New(cfg Config, deps Deps) (*Service, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if deps.Records == nil || deps.Store == nil || deps.Sender == nil {
		return nil, errors.New("scheduler: Records, Store and Sender are required")
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Renderer == nil {
		deps.Renderer = NewRenderer(RenderOptions{Location: cfg.Location})
	}
	digest, err := parseOptionalSchedule(cfg.DigestSchedule)
	if err != nil {
		return nil, fmt.Errorf("scheduler: DIGEST_SCHEDULE: %w", err)
	}
	weekly, err := parseOptionalSchedule(cfg.WeeklySchedule)
	if err != nil {
		return nil, fmt.Errorf("scheduler: WEEKLY_SCHEDULE: %w", err)
	}
	stats, err := parseOptionalSchedule(cfg.StatsSchedule)
	if err != nil {
		return nil, fmt.Errorf("scheduler: STATS_SCHEDULE: %w", err)
	}
	s := &Service{cfg: cfg, deps: deps, log: deps.Log, digest: digest, weekly: weekly, stats: stats}
	s.registry = &Registry{store: deps.Store, render: deps.Renderer, adminChatID: cfg.AdminChatID, now: deps.Now, log: deps.Log}
	return s, nil
}

// Registry returns the registry service sharing the scheduler's store:
// hand it to the bot as its bot.ChatEvents.
func (s *Service) Registry() *Registry { return s.registry }

// Calendar returns the working calendar in use.
func (s *Service) Calendar() *Calendar { return s.cfg.Calendar }

// Start starts the clock: a pass every minute (plan, compose, dispatch)
// and passes at the digest schedules, in the office's time zone. Jobs are
// chained SkipIfStillRunning then Recover, so a pass still running is not
// started twice and a panicking pass is logged and runs again next time.
// ctx bounds nothing but its values: stop with Stop.
func (s *Service) Start(ctx context.Context) error {
	if s.cron != nil {
		return errors.New("scheduler: already started")
	}
	for _, y := range []int{s.deps.Now().In(s.cfg.Location).Year(), s.deps.Now().In(s.cfg.Location).Year() + 1} {
		if !s.cfg.Calendar.Covers(y) {
			s.log.Warn("the holiday calendar does not cover this year: only weekends count as days off (set HOLIDAYS_FILE)", "year", y, "covered", s.cfg.Calendar.Years())
		}
	}
	s.runCtx, s.cancelRun = context.WithCancel(context.WithoutCancel(ctx))
	l := cronLogger{s.log}
	c := cron.New(cron.WithLocation(s.cfg.Location), cron.WithLogger(l), cron.WithChain(jobWrappers(l)...))
	minute, err := ParseSchedule("* * * * *")
	if err != nil {
		return err
	}
	c.Schedule(minute, cron.FuncJob(func() { s.tick("tick") }))
	if s.digest != nil {
		c.Schedule(s.digest, cron.FuncJob(func() { s.tick("digest") }))
	}
	if s.weekly != nil {
		c.Schedule(s.weekly, cron.FuncJob(func() { s.tick("weekly") }))
	}
	if s.statsEnabled() {
		c.Schedule(s.stats, cron.FuncJob(func() { s.tick("stats") }))
	}
	s.cron = c
	c.Start()
	s.log.Info("reminders started", "zone", s.cfg.Location.String(), "reminder_time", clock(s.cfg.ReminderTime),
		"digest", s.cfg.DigestSchedule, "weekly", s.cfg.WeeklySchedule, "stats", s.cfg.StatsSchedule, "instance", s.cfg.InstanceID)
	return nil
}

// Stop stops the clock and waits for a running pass to finish, until ctx
// ends; then it cancels the pass (claimed messages are given back) and
// returns ctx's error.
func (s *Service) Stop(ctx context.Context) error {
	if s.cron == nil {
		return nil
	}
	done := s.cron.Stop()
	select {
	case <-done.Done():
		s.cancelRun()
		return nil
	case <-ctx.Done():
		s.cancelRun()
		<-done.Done()
		return fmt.Errorf("scheduler: stop: %w", ctx.Err())
	}
}

// tick is one pass run by the clock.
func (s *Service) tick(why string) {
	rep, err := s.RunOnce(s.runCtx, s.deps.Now(), false)
	if err != nil {
		s.log.Error("reminder pass failed", "trigger", why, "err", err)
	}
	if rep.Queued+rep.Sent+rep.Failed > 0 {
		s.log.Info("reminder pass", "trigger", why, "planned", rep.Planned, "queued", rep.Queued, "sent", rep.Sent,
			"retrying", rep.Retrying, "failed", rep.Failed, "skipped", rep.Skipped, "cancelled", rep.Cancelled)
	}
}

// Report says what one pass did, or in a dry run would do.
type Report struct {
	At     time.Time `json:"at"`
	DryRun bool      `json:"dry_run"`
	// Planned counts items newly planned; Skipped and Cancelled the
	// pending items dropped (superseded by a later rung, or no longer
	// applying); Queued the messages composed.
	Planned   int `json:"planned"`
	Skipped   int `json:"skipped"`
	Cancelled int `json:"cancelled"`
	Queued    int `json:"queued"`
	// Sent, Retrying, Failed and Expired count dispatched messages by
	// outcome (zero in a dry run).
	Sent     int `json:"sent"`
	Retrying int `json:"retrying"`
	Failed   int `json:"failed"`
	Expired  int `json:"expired"`
	// Chats lists, per chat, the messages sent (or failed) in this pass;
	// in a dry run, the messages that would be sent now.
	Chats []ChatReport `json:"chats,omitempty"`
}

// ChatReport is what went (or would go) to one chat and topic.
type ChatReport struct {
	ChatID   int64           `json:"chat_id"`
	ThreadID int             `json:"thread_id,omitempty"`
	Messages []ReportMessage `json:"messages"`
}

// ReportMessage is one message of a ChatReport.
type ReportMessage struct {
	Kind   store.ReminderKind `json:"kind"`
	UnitID int64              `json:"unit_id,omitempty"`
	// Text is Telegram HTML.
	Text    string                 `json:"text"`
	Buttons [][]store.OutboxButton `json:"buttons,omitempty"`
	// Status is the outcome (pending in a dry run); Error the reason of
	// a failure.
	Status store.MessageStatus `json:"status"`
	Error  string              `json:"error,omitempty"`
}

func (r *Report) add(m store.OutboxMessage, status store.MessageStatus, errText string) {
	rm := ReportMessage{Kind: m.Kind, UnitID: m.UnitID, Text: m.Text, Buttons: m.Buttons, Status: status, Error: errText}
	for i := range r.Chats {
		if r.Chats[i].ChatID == m.ChatID && r.Chats[i].ThreadID == m.ThreadID {
			r.Chats[i].Messages = append(r.Chats[i].Messages, rm)
			return
		}
	}
	r.Chats = append(r.Chats, ChatReport{ChatID: m.ChatID, ThreadID: m.ThreadID, Messages: []ReportMessage{rm}})
}

// State keys in the store.
const (
	stateLastTick    = "last_tick"
	statePlannedUpTo = "deadline_planned_at"
	stateMigrated    = "migrated:" // + old chat id → new chat id
)

// RunOnce runs one pass as of now: plan, compose, dispatch (see the
// package documentation), the one-shot `meetbot remind`. With dryRun it
// writes nothing and sends nothing, and reports per chat what a real pass
// would send now: messages already waiting and the ones it would compose.
// Errors of one phase do not stop the next (messages already queued are
// still sent); the error returned joins them.
//
// now drives every decision of the pass (what is due, the quiet hours);
// leases run on the clock of Deps.Now, so a pass "as of" another day is
// safe next to a running bot only as a dry run.
func (s *Service) RunOnce(ctx context.Context, now time.Time, dryRun bool) (Report, error) {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	now = now.UTC().Truncate(time.Second)
	rep := Report{At: now, DryRun: dryRun}
	var errs []error
	if !dryRun {
		if err := s.deps.Store.SetSchedulerState(ctx, stateLastTick, now.Format(time.RFC3339)); err != nil {
			errs = append(errs, err)
		}
	}

	items, err := s.plan(ctx, now)
	if err != nil {
		errs = append(errs, err)
	}
	var pending []store.OutboxItem
	if dryRun {
		pending, err = s.dryPending(ctx, now, items)
		if err != nil {
			errs = append(errs, err)
		}
		for _, it := range pending {
			if it.ID == 0 {
				rep.Planned++
			}
		}
	} else {
		n, err := s.deps.Store.PlanItems(ctx, items)
		rep.Planned = n
		if err != nil {
			errs = append(errs, err)
		} else if err := s.deps.Store.SetSchedulerState(ctx, statePlannedUpTo, now.Format(time.RFC3339)); err != nil {
			errs = append(errs, err)
		}
		if pending, err = s.deps.Store.PendingItems(ctx, now); err != nil {
			errs = append(errs, err)
		}
	}

	batches, err := s.compose(ctx, now, pending)
	if err != nil {
		errs = append(errs, err)
	}
	var composed []store.OutboxMessage
	for _, b := range batches {
		if !dryRun {
			if err := s.deps.Store.EnqueueBatch(ctx, b); errors.Is(err, store.ErrConflict) {
				s.log.Info("another pass composed these reminders first", "batch", b.Name)
				continue
			} else if err != nil {
				errs = append(errs, err)
				continue
			}
		}
		for _, it := range b.Dropped {
			if it.Status == store.ItemSkipped {
				rep.Skipped++
			} else {
				rep.Cancelled++
			}
		}
		rep.Queued += len(b.Messages)
		composed = append(composed, b.Messages...)
	}

	if dryRun {
		if err := s.dryDispatch(ctx, now, composed, &rep); err != nil {
			errs = append(errs, err)
		}
	} else if err := s.dispatch(ctx, now, &rep); err != nil {
		errs = append(errs, err)
	}
	return rep, errors.Join(errs...)
}

// dryPending returns the items a real pass would find pending: those
// stored pending now, and the planned ones not stored yet (with ID 0).
func (s *Service) dryPending(ctx context.Context, now time.Time, planned []store.OutboxItem) ([]store.OutboxItem, error) {
	pending, err := s.deps.Store.PendingItems(ctx, now)
	if err != nil {
		return nil, err
	}
	stored, err := s.deps.Store.StoredItems(ctx, planned)
	if err != nil {
		return pending, err
	}
	known := map[itemKey]bool{}
	for _, it := range stored {
		known[keyOf(it)] = true
	}
	for _, it := range planned {
		if !known[keyOf(it)] && (it.Status == "" || it.Status == store.ItemPending) && !it.DueAt.After(now) {
			it.Status = store.ItemPending
			pending = append(pending, it)
		}
	}
	return pending, nil
}

type itemKey struct {
	subject store.OutboxSubject
	rung    int
}

func keyOf(it store.OutboxItem) itemKey { return itemKey{it.Subject(), it.Rung} }

// Status is the state of the reminders for the admin /status command.
type Status struct {
	// LastTick is when the last pass ran, on any instance (zero: never).
	LastTick time.Time `json:"last_tick,omitzero"`
	// NextReminders is when the next morning reminders go out.
	NextReminders time.Time `json:"next_reminders"`
	// Pending counts messages waiting; SentToday, FailedToday and
	// ExpiredToday the outcomes since local midnight; PendingItems the
	// items planned and not yet composed (e.g. for units without a chat).
	Pending      int `json:"pending"`
	SentToday    int `json:"sent_today"`
	FailedToday  int `json:"failed_today"`
	ExpiredToday int `json:"expired_today"`
	PendingItems int `json:"pending_items"`
	// RecentFailures are the latest failed or retried messages, newest
	// first, each with LastError.
	RecentFailures []store.OutboxMessage `json:"recent_failures,omitempty"`
	// UnitsWithoutChat are the active units no active chat is bound to:
	// they get no reminders.
	UnitsWithoutChat []store.Unit `json:"units_without_chat,omitempty"`
	// CalendarYears are the years the holiday calendar covers; Warnings
	// say what needs attention (a year not covered, no admin chat).
	CalendarYears []int    `json:"calendar_years"`
	Warnings      []string `json:"warnings,omitempty"`
}

// Status reports the reminders' state: for the admin /status command.
func (s *Service) Status(ctx context.Context) (Status, error) {
	now := s.deps.Now()
	loc := s.cfg.Location
	today := store.DateIn(now, loc)
	st := Status{CalendarYears: s.cfg.Calendar.Years(), NextReminders: s.nextReminders(now)}
	if v, ok, err := s.deps.Store.SchedulerState(ctx, stateLastTick); err != nil {
		return st, err
	} else if ok {
		st.LastTick, _ = time.Parse(time.RFC3339, v)
	}
	ob, err := s.deps.Store.OutboxStats(ctx, today.Start(loc), 5)
	if err != nil {
		return st, err
	}
	st.Pending, st.SentToday, st.FailedToday, st.ExpiredToday, st.PendingItems = ob.Pending, ob.Sent, ob.Failed, ob.Expired, ob.PendingItems
	st.RecentFailures = ob.RecentFailures
	units, err := s.deps.Records.Units(ctx, store.UnitFilter{})
	if err != nil {
		return st, fmt.Errorf("status: %w", err)
	}
	bound, err := s.boundUnits(ctx)
	if err != nil {
		return st, err
	}
	for _, u := range units {
		if !bound[u.ID] && u.Active(today) {
			st.UnitsWithoutChat = append(st.UnitsWithoutChat, u)
		}
	}
	for _, y := range []int{today.Year, today.Year + 1} {
		if !s.cfg.Calendar.Covers(y) {
			st.Warnings = append(st.Warnings, fmt.Sprintf("Lịch nghỉ lễ chưa có dữ liệu năm %d: chỉ thứ Bảy, Chủ nhật được coi là ngày nghỉ (đặt HOLIDAYS_FILE).", y))
		}
	}
	if s.cfg.AdminChatID == 0 {
		st.Warnings = append(st.Warnings, "Chưa đặt ADMIN_CHAT_ID: khi bot mất quyền gửi vào nhóm của đơn vị, không ai được báo.")
	}
	if !st.LastTick.IsZero() && now.Sub(st.LastTick) > 5*time.Minute {
		st.Warnings = append(st.Warnings, fmt.Sprintf("Lượt nhắc việc gần nhất cách đây %s: bộ lập lịch có thể đã dừng.", now.Sub(st.LastTick).Round(time.Minute)))
	}
	return st, nil
}

// nextReminders returns the next instant the morning reminders go out.
func (s *Service) nextReminders(now time.Time) time.Time {
	day := store.DateIn(now, s.cfg.Location)
	for range 60 {
		day = s.cfg.Calendar.NextWorkingDay(day)
		if at := s.morning(day); at.After(now) {
			return at.UTC()
		}
		day = day.AddDays(1)
	}
	return time.Time{}
}

// boundUnits returns the ids of units with an active chat.
func (s *Service) boundUnits(ctx context.Context) (map[int64]bool, error) {
	bs, err := s.deps.Store.Bindings(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, b := range bs {
		if b.Active {
			out[b.UnitID] = true
		}
	}
	return out, nil
}

// morning returns the instant of the reminders on day d.
func (s *Service) morning(d store.Date) time.Time {
	return d.Start(s.cfg.Location).Add(s.cfg.ReminderTime)
}

// inDay reports whether t falls in the hours messages may go out
// (07:00–20:00 local).
func (s *Service) inDay(t time.Time) bool {
	l := t.In(s.cfg.Location)
	since := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second
	return since >= DayStart && since < DayEnd
}

// dayEnd returns 20:00 local on the day of t.
func (s *Service) dayEnd(t time.Time) time.Time {
	return store.DateIn(t, s.cfg.Location).Start(s.cfg.Location).Add(DayEnd)
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}
