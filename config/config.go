// Package config reads meetbot's settings from the environment into one
// struct, checks them before anything starts, and prints them without
// secrets.
//
// Every setting is one field of Config with four struct tags: env (the
// variable), envDefault (its default, if any), desc (a one-line English
// description) and, for whole-value secrets, secret:"true". Adding a
// setting is adding one such field (plus a rule in Validate when it needs
// one); .env.example and the README's configuration table are generated
// from the tags and a test fails when they drift:
//
//	go test ./config -update-docs   (or: go generate ./config)
package config

//go:generate go test -run ^TestDocsInSync$ . -update-docs

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the office's zone must load on machines without tzdata

	"github.com/caarlos0/env/v11"
	"github.com/robfig/cron/v3"

	"meetbot/store"
)

// Config is meetbot's configuration. Load fills it from the environment.
// Each field is documented by its desc tag (printed in the README's table
// and in .env.example); an empty variable takes the default, as unset.
type Config struct {
	TelegramBotToken string        `env:"TELEGRAM_BOT_TOKEN" secret:"true" desc:"Telegram Bot API token from @BotFather; not needed for the console."`
	DatabasePath     string        `env:"DATABASE_PATH" envDefault:"meetbot.db" desc:"Path of the SQLite database file."`
	RedisURL         string        `env:"REDIS_URL" desc:"Redis URL for the read cache, e.g. redis://127.0.0.1:6379/0; empty disables the cache."`
	Timezone         string        `env:"TIMEZONE" envDefault:"Asia/Ho_Chi_Minh" desc:"IANA time zone of the office, for deadlines, \"today\" and display."`
	LogLevel         string        `env:"LOG_LEVEL" envDefault:"info" desc:"Log level: debug, info, warn or error."`
	LogFormat        string        `env:"LOG_FORMAT" envDefault:"text" desc:"Log format: text or json."`
	CacheTTL         time.Duration `env:"CACHE_TTL" envDefault:"10m" desc:"How long a cached read lives in Redis (Go duration, e.g. 10m)."`
	PageSize         int           `env:"PAGE_SIZE" envDefault:"8" desc:"Items per page of a list, 1 to 20."`
	TelegramAPIURL   string        `env:"TELEGRAM_API_URL" envDefault:"https://api.telegram.org" desc:"Bot API server: Telegram's, or a self-hosted telegram-bot-api server."`
	WebhookURL       string        `env:"WEBHOOK_URL" desc:"Public HTTPS URL Telegram posts updates to; empty means long polling."`
	WebhookListen    string        `env:"WEBHOOK_LISTEN" envDefault:"127.0.0.1:8443" desc:"Address the webhook server listens on, behind the reverse proxy."`
	WebhookSecret    string        `env:"WEBHOOK_SECRET" secret:"true" desc:"Secret Telegram sends with each webhook post (1-256 of A-Z a-z 0-9 _ -); required with WEBHOOK_URL."`
	HTTPAddr         string        `env:"HTTP_ADDR" envDefault:"127.0.0.1:8080" desc:"Address of /healthz, /readyz and /metrics; off disables them."`
	Workers          int           `env:"WORKERS" envDefault:"8" desc:"Updates handled at the same time, 1 to 256."`
	ShutdownTimeout  time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"20s" desc:"How long in-flight work may finish after SIGINT or SIGTERM."`
	AdminIDs         []int64       `env:"ADMIN_IDS" envSeparator:"," desc:"Telegram user ids of the office's administrators, comma-separated: they see restricted records, review unit reports, enter data, grant /admin in chat, use /status and bind any group."`
	AdminChatID      int64         `env:"ADMIN_CHAT_ID" desc:"Telegram chat id of the administrators, told of each report a unit submits and when the bot loses a unit's chat; empty disables."`
	LeadershipChatID int64         `env:"LEADERSHIP_CHAT_ID" desc:"Telegram chat id that gets the daily digest of overdue items on working days and the weekly statistics (STATS_SCHEDULE); empty disables them."`
	ReminderTime     string        `env:"REMINDER_TIME" envDefault:"07:30" desc:"Time of day (HH:MM in TIMEZONE, 07:00 to 19:59) deadline reminders go out, on working days only."`
	ReminderLadder   string        `env:"REMINDER_LADDER" envDefault:"-7,-3,-1,0,1,3,7" desc:"Days relative to a deadline on which units not done are reminded (negative: before); off disables."`
	ReminderWeekly   bool          `env:"REMINDER_WEEKLY" envDefault:"true" desc:"After the ladder's last rung, keep reminding weekly (+14, +21, ... days) while the item is overdue."`
	MeetingReminders string        `env:"MEETING_REMINDERS" envDefault:"24h,2h" desc:"How long before a meeting its attending units are reminded (Go durations, comma-separated); off disables."`
	DigestSchedule   string        `env:"DIGEST_SCHEDULE" envDefault:"0 8 * * *" desc:"Cron expression (5 fields, in TIMEZONE) of the overdue digest to LEADERSHIP_CHAT_ID, sent on working days only; off disables."`
	WeeklySchedule   string        `env:"WEEKLY_SCHEDULE" envDefault:"30 7 * * 1" desc:"Cron expression (5 fields, in TIMEZONE) of each unit's weekly digest (on a day off: the next working day); off disables."`
	StatsSchedule    string        `env:"STATS_SCHEDULE" envDefault:"0 8 * * 1" desc:"Cron expression (5 fields, in TIMEZONE) of the weekly statistics (chart and table) to LEADERSHIP_CHAT_ID (on a day off: the next working day); off disables."`
	PublicURL        string        `env:"PUBLIC_URL" desc:"Public base URL of HTTP_ADDR behind the reverse proxy, e.g. https://bot.example.gov.vn; units' calendar feeds are PUBLIC_URL/calendar/<token>.ics. Empty: no feed addresses are given."`
	HolidaysFile     string        `env:"HOLIDAYS_FILE" desc:"YAML file of days off and compensatory working days replacing the built-in Vietnamese calendar for 2025-2027."`
}

// Load reads the configuration from the process environment, applies the
// defaults and validates it. The error never contains a secret.
func Load() (Config, error) {
	return parse(env.Options{})
}

// LoadFrom is Load with the variables taken from environ instead of the
// process environment (for tests and tools). Variables missing from
// environ take their defaults.
func LoadFrom(environ map[string]string) (Config, error) {
	if environ == nil {
		environ = map[string]string{}
	}
	return parse(env.Options{Environment: environ})
}

func parse(opts env.Options) (Config, error) {
	var c Config
	if err := env.ParseWithOptions(&c, opts); err != nil {
		// env's errors name the field and echo the bad value; only
		// non-secret fields have types that can fail to parse.
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

var (
	tokenRE  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Validate reports every invalid setting, joined in one error, or nil.
// It does not require TELEGRAM_BOT_TOKEN (the console runs without it);
// see RequireBotToken. The error never contains a secret.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	if c.TelegramBotToken != "" && !tokenRE.MatchString(c.TelegramBotToken) {
		bad("TELEGRAM_BOT_TOKEN", "not a bot token (expected <digits>:<letters>)")
	}
	if strings.TrimSpace(c.DatabasePath) == "" {
		bad("DATABASE_PATH", "must not be empty")
	}
	if c.RedisURL != "" {
		// url.Parse errors quote the whole URL, password included: say
		// what is wrong without them.
		u, err := url.Parse(c.RedisURL)
		switch {
		case err != nil:
			bad("REDIS_URL", "not a valid URL")
		case u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix":
			bad("REDIS_URL", "scheme must be redis, rediss or unix, not %q", u.Scheme)
		case u.Scheme != "unix" && u.Host == "":
			bad("REDIS_URL", "no host")
		}
	}
	if _, err := c.Location(); err != nil {
		bad("TIMEZONE", "unknown time zone %q", c.Timezone)
	}
	if _, ok := levels[c.LogLevel]; !ok {
		bad("LOG_LEVEL", "%q is not one of debug, info, warn, error", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT", "%q is not one of text, json", c.LogFormat)
	}
	if c.CacheTTL <= 0 {
		bad("CACHE_TTL", "must be positive, got %s", c.CacheTTL)
	}
	if c.PageSize < 1 || c.PageSize > 20 {
		bad("PAGE_SIZE", "must be between 1 and 20, got %d", c.PageSize)
	}
	if u, err := url.Parse(c.TelegramAPIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.HasSuffix(c.TelegramAPIURL, "/") {
		bad("TELEGRAM_API_URL", "must be an http(s) URL without a trailing slash")
	}
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("WEBHOOK_URL", "must be an http(s) URL (Telegram itself requires https)")
		}
		if !secretRE.MatchString(c.WebhookSecret) {
			bad("WEBHOOK_SECRET", "required with WEBHOOK_URL: 1 to 256 of A-Z a-z 0-9 _ -")
		}
		if strings.TrimSpace(c.WebhookListen) == "" {
			bad("WEBHOOK_LISTEN", "required with WEBHOOK_URL")
		}
	}
	if c.Workers < 1 || c.Workers > 256 {
		bad("WORKERS", "must be between 1 and 256, got %d", c.Workers)
	}
	if c.ShutdownTimeout <= 0 {
		bad("SHUTDOWN_TIMEOUT", "must be positive, got %s", c.ShutdownTimeout)
	}
	if _, err := c.ReminderClock(); err != nil {
		bad("REMINDER_TIME", "%v", err)
	}
	if _, err := c.Ladder(); err != nil {
		bad("REMINDER_LADDER", "%v", err)
	}
	if _, err := c.MeetingOffsets(); err != nil {
		bad("MEETING_REMINDERS", "%v", err)
	}
	if err := checkSchedule(c.DigestSchedule); err != nil {
		bad("DIGEST_SCHEDULE", "%v", err)
	}
	if err := checkSchedule(c.WeeklySchedule); err != nil {
		bad("WEEKLY_SCHEDULE", "%v", err)
	}
	if err := checkSchedule(c.StatsSchedule); err != nil {
		bad("STATS_SCHEDULE", "%v", err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			bad("PUBLIC_URL", "must be an http(s) URL such as https://bot.example.gov.vn, without query or credentials")
		}
	}
	if c.HolidaysFile != "" {
		if fi, err := os.Stat(c.HolidaysFile); err != nil {
			bad("HOLIDAYS_FILE", "cannot read %q: %v", c.HolidaysFile, errors.Unwrap(err))
		} else if fi.IsDir() {
			bad("HOLIDAYS_FILE", "%q is a directory", c.HolidaysFile)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("config: %w", errors.Join(errs...))
}

// RequireBotToken returns an error if TELEGRAM_BOT_TOKEN is empty: the
// check for commands that talk to Telegram, on top of Validate.
func (c Config) RequireBotToken() error {
	if c.TelegramBotToken == "" {
		return errors.New("config: TELEGRAM_BOT_TOKEN is required to run the bot (the console does not need it)")
	}
	return nil
}

// Location returns the office's time zone named by Timezone, or the error
// of time.LoadLocation. An empty Timezone is refused (it would mean UTC).
func (c Config) Location() (*time.Location, error) {
	if c.Timezone == "" {
		return nil, errors.New("empty time zone")
	}
	return time.LoadLocation(c.Timezone)
}

// ReminderClock returns REMINDER_TIME as the time since local midnight.
// It must be HH:MM between 07:00 and 19:59: reminders never go out at
// night.
func (c Config) ReminderClock() (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(c.ReminderTime))
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", c.ReminderTime)
	}
	d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	if d < 7*time.Hour || d >= 20*time.Hour {
		return 0, fmt.Errorf("%s is at night; choose a time from 07:00 to 19:59", t.Format("15:04"))
	}
	return d, nil
}

// Ladder returns REMINDER_LADDER: the default days relative to a
// deadline on which units are reminded, or Off.
func (c Config) Ladder() (store.Reminders, error) {
	if strings.TrimSpace(c.ReminderLadder) == "" {
		return store.Reminders{}, errors.New("empty; write off to disable deadline reminders")
	}
	return store.ParseReminders(c.ReminderLadder)
}

// MeetingOffsets returns MEETING_REMINDERS: how long before a meeting
// its units are reminded, longest first, without repeats; nil for "off".
// Each is positive and at most 14 days.
func (c Config) MeetingOffsets() ([]time.Duration, error) {
	s := strings.TrimSpace(c.MeetingReminders)
	if strings.EqualFold(s, "off") {
		return nil, nil
	}
	var out []time.Duration
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		d, err := time.ParseDuration(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a duration such as 24h or 90m", f)
		}
		if d <= 0 || d > 14*24*time.Hour {
			return nil, fmt.Errorf("%s is not between 1m and 336h (14 days)", f)
		}
		out = append(out, d.Truncate(time.Minute))
	}
	if len(out) == 0 {
		return nil, errors.New("empty; write off to disable meeting reminders")
	}
	slices.SortFunc(out, func(a, b time.Duration) int { return cmp.Compare(b, a) })
	return slices.Compact(out), nil
}

// checkSchedule accepts "off", or parses a 5-field cron expression (or a
// descriptor such as @daily) the way the scheduler does, turning the parser's panics on some
// malformed input into errors, and refuses expressions that never fire.
// scheduler.ParseSchedule is the same check at the place of use.
func checkSchedule(spec string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%q is not a cron expression", spec)
		}
	}()
	if strings.TrimSpace(spec) == "" {
		return errors.New("empty; want a cron expression such as \"0 8 * * *\", or off")
	}
	if strings.EqualFold(strings.TrimSpace(spec), "off") {
		return nil
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("%q is not a cron expression (minute hour day-of-month month day-of-week): %v", spec, err)
	}
	if sched.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return fmt.Errorf("%q never fires", spec)
	}
	return nil
}

var levels = map[string]slog.Level{
	"debug": slog.LevelDebug,
	"info":  slog.LevelInfo,
	"warn":  slog.LevelWarn,
	"error": slog.LevelError,
}

// Level returns LogLevel as a slog.Level; an unknown name gives
// slog.LevelInfo (Validate refuses it).
func (c Config) Level() slog.Level {
	return levels[c.LogLevel] // the zero Level is LevelInfo
}

// String returns the settings as KEY=value pairs in field order, with the
// bot token and passwords in URLs masked.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("config{")
	for i, kv := range c.masked() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%s", kv[0], kv[1])
	}
	b.WriteByte('}')
	return b.String()
}

// GoString makes %#v as safe as %v.
func (c Config) GoString() string { return c.String() }

// LogValue implements slog.LogValuer: a group of the masked settings keyed
// by variable name, so logging a Config never prints a secret.
func (c Config) LogValue() slog.Value {
	kvs := c.masked()
	attrs := make([]slog.Attr, len(kvs))
	for i, kv := range kvs {
		attrs[i] = slog.String(kv[0], kv[1])
	}
	return slog.GroupValue(attrs...)
}

// Masked is what String and LogValue print for a secret that is set.
const Masked = "***"

// masked returns [variable, printable value] pairs in field order.
func (c Config) masked() [][2]string {
	v := reflect.ValueOf(c)
	fields := Fields()
	out := make([][2]string, 0, len(fields))
	for _, f := range fields {
		val := fmt.Sprint(v.Field(f.index).Interface())
		if fv := v.Field(f.index); fv.Kind() == reflect.Slice {
			parts := make([]string, fv.Len())
			for i := range parts {
				parts[i] = fmt.Sprint(fv.Index(i).Interface())
			}
			val = strings.Join(parts, ",") // as the variable is written
		}
		switch {
		case f.Secret && val != "":
			val = Masked
		default:
			val = maskURLPassword(val)
		}
		out = append(out, [2]string{f.Env, val})
	}
	return out
}

// maskURLPassword replaces the password of a URL-looking value with
// Masked. Values that do not parse but still look like
// scheme://user:pass@host lose everything before the last '@'.
func maskURLPassword(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	at := strings.LastIndex(s, "@")
	if at < i {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s[:i+3] + Masked + s[at:]
	}
	if _, has := u.User.Password(); !has {
		return s
	}
	u.User = url.UserPassword(u.User.Username(), "MASKEDPASSWORD")
	return strings.Replace(u.String(), "MASKEDPASSWORD", Masked, 1)
}
