package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoadDefaults(t *testing.T) {
	got, err := LoadFrom(nil)
	if err != nil {
		t.Fatalf("LoadFrom(nil): %v", err)
	}
	want := Config{
		DatabasePath:     "meetbot.db",
		Timezone:         "Asia/Ho_Chi_Minh",
		LogLevel:         "info",
		LogFormat:        "text",
		CacheTTL:         10 * time.Minute,
		PageSize:         8,
		TelegramAPIURL:   "https://api.telegram.org",
		WebhookListen:    "127.0.0.1:8443",
		HTTPAddr:         "127.0.0.1:8080",
		Workers:          8,
		ShutdownTimeout:  20 * time.Second,
		ReminderTime:     "07:30",
		ReminderLadder:   "-7,-3,-1,0,1,3,7",
		ReminderWeekly:   true,
		MeetingReminders: "24h,2h",
		DigestSchedule:   "0 8 * * *",
		WeeklySchedule:   "30 7 * * 1",
		StatsSchedule:    "0 8 * * 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestLoadValues(t *testing.T) {
	holidays := filepath.Join(t.TempDir(), "holidays.yaml")
	if err := os.WriteFile(holidays, []byte("days_off: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadFrom(map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:ABC-def_789",
		"DATABASE_PATH":      "/var/lib/meetbot/data.db",
		"REDIS_URL":          "redis://127.0.0.1:6379/2",
		"TIMEZONE":           "UTC",
		"LOG_LEVEL":          "debug",
		"LOG_FORMAT":         "json",
		"CACHE_TTL":          "90s",
		"PAGE_SIZE":          "20",
		"TELEGRAM_API_URL":   "http://127.0.0.1:8081",
		"WEBHOOK_URL":        "https://bot.example.gov.vn/telegram/hook",
		"WEBHOOK_SECRET":     "s3cret_Value-1",
		"WEBHOOK_LISTEN":     ":8443",
		"HTTP_ADDR":          "off",
		"WORKERS":            "16",
		"SHUTDOWN_TIMEOUT":   "5s",
		"ADMIN_IDS":          "111,222333",
		"ADMIN_CHAT_ID":      "-1001234567890",
		"LEADERSHIP_CHAT_ID": "-1009876543210",
		"REMINDER_TIME":      "08:15",
		"REMINDER_LADDER":    "-5,0,2",
		"REMINDER_WEEKLY":    "false",
		"MEETING_REMINDERS":  "48h,3h",
		"DIGEST_SCHEDULE":    "30 16 * * 1-5",
		"WEEKLY_SCHEDULE":    "0 8 * * 1",
		"STATS_SCHEDULE":     "off",
		"PUBLIC_URL":         "https://bot.example.gov.vn/meetbot",
		"HOLIDAYS_FILE":      holidays,
	})
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	want := Config{
		TelegramBotToken: "123456:ABC-def_789",
		DatabasePath:     "/var/lib/meetbot/data.db",
		RedisURL:         "redis://127.0.0.1:6379/2",
		Timezone:         "UTC",
		LogLevel:         "debug",
		LogFormat:        "json",
		CacheTTL:         90 * time.Second,
		PageSize:         20,
		TelegramAPIURL:   "http://127.0.0.1:8081",
		WebhookURL:       "https://bot.example.gov.vn/telegram/hook",
		WebhookSecret:    "s3cret_Value-1",
		WebhookListen:    ":8443",
		HTTPAddr:         "off",
		Workers:          16,
		ShutdownTimeout:  5 * time.Second,
		AdminIDs:         []int64{111, 222333},
		AdminChatID:      -1001234567890,
		LeadershipChatID: -1009876543210,
		ReminderTime:     "08:15",
		ReminderLadder:   "-5,0,2",
		ReminderWeekly:   false,
		MeetingReminders: "48h,3h",
		DigestSchedule:   "30 16 * * 1-5",
		WeeklySchedule:   "0 8 * * 1",
		StatsSchedule:    "off",
		PublicURL:        "https://bot.example.gov.vn/meetbot",
		HolidaysFile:     holidays,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if d, err := got.ReminderClock(); err != nil || d != 8*time.Hour+15*time.Minute {
		t.Errorf("ReminderClock() = %v, %v; want 8h15m", d, err)
	}
	if l, err := got.Ladder(); err != nil || !cmp.Equal(l.Offsets, []int{-5, 0, 2}) {
		t.Errorf("Ladder() = %v, %v", l, err)
	}
	if m, err := got.MeetingOffsets(); err != nil || !cmp.Equal(m, []time.Duration{48 * time.Hour, 3 * time.Hour}) {
		t.Errorf("MeetingOffsets() = %v, %v", m, err)
	}
	if got.Level() != slog.LevelDebug {
		t.Errorf("Level() = %v, want DEBUG", got.Level())
	}
	loc, err := got.Location()
	if err != nil || loc.String() != "UTC" {
		t.Errorf("Location() = %v, %v; want UTC", loc, err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		environ map[string]string
		want    string // substring of the error
	}{
		{"page size zero", map[string]string{"PAGE_SIZE": "0"}, "PAGE_SIZE: must be between 1 and 20"},
		{"page size too big", map[string]string{"PAGE_SIZE": "21"}, "PAGE_SIZE: must be between 1 and 20"},
		{"page size not a number", map[string]string{"PAGE_SIZE": "eight"}, "PageSize"},
		{"unknown zone", map[string]string{"TIMEZONE": "Asia/Hanoii"}, `TIMEZONE: unknown time zone "Asia/Hanoii"`},
		{"log level", map[string]string{"LOG_LEVEL": "verbose"}, "LOG_LEVEL"},
		{"log level case", map[string]string{"LOG_LEVEL": "INFO"}, "LOG_LEVEL"},
		{"log format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"cache ttl zero", map[string]string{"CACHE_TTL": "0s"}, "CACHE_TTL: must be positive"},
		{"cache ttl syntax", map[string]string{"CACHE_TTL": "ten minutes"}, "CacheTTL"},
		{"empty database path", map[string]string{"DATABASE_PATH": " "}, "DATABASE_PATH"},
		{"redis scheme", map[string]string{"REDIS_URL": "http://localhost:6379"}, "REDIS_URL: scheme"},
		{"redis no host", map[string]string{"REDIS_URL": "redis:///0"}, "REDIS_URL: no host"},
		{"token shape", map[string]string{"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN"},
		{"several", map[string]string{"PAGE_SIZE": "0", "LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"api url trailing slash", map[string]string{"TELEGRAM_API_URL": "https://api.telegram.org/"}, "TELEGRAM_API_URL"},
		{"api url scheme", map[string]string{"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"},
		{"webhook without secret", map[string]string{"WEBHOOK_URL": "https://x.vn/hook"}, "WEBHOOK_SECRET: required"},
		{"webhook secret charset", map[string]string{"WEBHOOK_URL": "https://x.vn/hook", "WEBHOOK_SECRET": "bad secret!"}, "WEBHOOK_SECRET"},
		{"webhook url", map[string]string{"WEBHOOK_URL": "x.vn/hook", "WEBHOOK_SECRET": "ok"}, "WEBHOOK_URL"},
		{"workers", map[string]string{"WORKERS": "0"}, "WORKERS"},
		{"shutdown", map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, "SHUTDOWN_TIMEOUT"},
		{"admin chat not a number", map[string]string{"ADMIN_CHAT_ID": "@admins"}, "AdminChatID"},
		{"reminder time syntax", map[string]string{"REMINDER_TIME": "7h30"}, `REMINDER_TIME: "7h30" is not a time of day HH:MM`},
		{"reminder time at night", map[string]string{"REMINDER_TIME": "02:00"}, "REMINDER_TIME: 02:00 is at night"},
		{"reminder time evening", map[string]string{"REMINDER_TIME": "20:00"}, "REMINDER_TIME: 20:00 is at night"},
		{"ladder word", map[string]string{"REMINDER_LADDER": "-7,-3,soon"}, `REMINDER_LADDER: reminders "-7,-3,soon": "soon" is not a whole number`},
		{"ladder too far", map[string]string{"REMINDER_LADDER": "-1000"}, "REMINDER_LADDER: reminders: -1000 days is outside ±365"},
		{"weekly not a bool", map[string]string{"REMINDER_WEEKLY": "weekly"}, "ReminderWeekly"},
		{"meeting offset syntax", map[string]string{"MEETING_REMINDERS": "1 day"}, `MEETING_REMINDERS: "1" is not a duration`},
		{"meeting offset negative", map[string]string{"MEETING_REMINDERS": "24h,-2h"}, "MEETING_REMINDERS: -2h is not between"},
		{"meeting offsets empty", map[string]string{"MEETING_REMINDERS": " , "}, "MEETING_REMINDERS: empty"},
		{"digest too many fields", map[string]string{"DIGEST_SCHEDULE": "0 0 8 * * *"}, "DIGEST_SCHEDULE"},
		{"digest out of range", map[string]string{"DIGEST_SCHEDULE": "0 25 * * *"}, "DIGEST_SCHEDULE"},
		{"digest word", map[string]string{"DIGEST_SCHEDULE": "every morning"}, "DIGEST_SCHEDULE"},
		{"digest panicking prefix", map[string]string{"DIGEST_SCHEDULE": "CRON_TZ=Asia/Ho_Chi_Minh"}, `DIGEST_SCHEDULE: "CRON_TZ=Asia/Ho_Chi_Minh" is not a cron expression`},
		{"weekly never fires", map[string]string{"WEEKLY_SCHEDULE": "0 8 30 2 *"}, "WEEKLY_SCHEDULE: \"0 8 30 2 *\" never fires"},
		{"stats schedule", map[string]string{"STATS_SCHEDULE": "monday 8"}, "STATS_SCHEDULE"},
		{"public url not http", map[string]string{"PUBLIC_URL": "bot.example.gov.vn"}, "PUBLIC_URL"},
		{"public url with credentials", map[string]string{"PUBLIC_URL": "https://u:p@bot.example.gov.vn"}, "PUBLIC_URL"},
		{"holidays file missing", map[string]string{"HOLIDAYS_FILE": "/nonexistent/holidays.yaml"}, "HOLIDAYS_FILE: cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFrom(tt.environ)
			if err == nil {
				t.Fatalf("LoadFrom(%v) = nil error, want one containing %q", tt.environ, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestEmptyMeansDefault(t *testing.T) {
	// An empty variable (TIMEZONE= in .env) takes the default, as env does.
	cfg, err := LoadFrom(map[string]string{"TIMEZONE": "", "PAGE_SIZE": ""})
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	if cfg.Timezone != "Asia/Ho_Chi_Minh" || cfg.PageSize != 8 {
		t.Errorf("got TIMEZONE=%q PAGE_SIZE=%d, want the defaults", cfg.Timezone, cfg.PageSize)
	}
	// A Config built in code with no zone is refused rather than read as UTC.
	cfg.Timezone = ""
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "TIMEZONE") {
		t.Errorf("Validate with empty Timezone = %v, want a TIMEZONE error", err)
	}
}

func TestValidateReportsAll(t *testing.T) {
	_, err := LoadFrom(map[string]string{"PAGE_SIZE": "0", "LOG_FORMAT": "xml", "LOG_LEVEL": "loud"})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, key := range []string{"PAGE_SIZE", "LOG_FORMAT", "LOG_LEVEL"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not mention %s", err, key)
		}
	}
}

func TestRequireBotToken(t *testing.T) {
	if err := (Config{}).RequireBotToken(); err == nil {
		t.Error("RequireBotToken with no token = nil, want an error")
	}
	if err := (Config{TelegramBotToken: "1:a"}).RequireBotToken(); err != nil {
		t.Errorf("RequireBotToken with a token = %v, want nil", err)
	}
}

const (
	secretToken   = "123456789:AAHsecretTOKENvalue_xyz"
	secretPass    = "hunter2pass"
	secretWebhook = "whSECRETvalue"
)

func TestSecretsNeverPrinted(t *testing.T) {
	cfg, err := LoadFrom(map[string]string{
		"TELEGRAM_BOT_TOKEN": secretToken,
		"REDIS_URL":          "redis://meetbot:" + secretPass + "@cache.internal:6379/0",
		"WEBHOOK_URL":        "https://bot.example.gov.vn/hook",
		"WEBHOOK_SECRET":     secretWebhook,
	})
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("start", "config", cfg)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "config", cfg)
	outputs := map[string]string{
		"String": cfg.String(),
		"%v":     fmt.Sprintf("%v", cfg),
		"%+v":    fmt.Sprintf("%+v", cfg),
		"%#v":    fmt.Sprintf("%#v", cfg),
		"%v ptr": fmt.Sprintf("%v", &cfg),
		"%s":     fmt.Sprintf("%s", cfg),
		"slog":   text.String(),
		"json":   js.String(),
	}
	for name, out := range outputs {
		for _, secret := range []string{secretToken, "AAHsecret", secretPass, secretWebhook} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output contains a secret: %s", name, out)
			}
		}
		if !strings.Contains(out, "cache.internal:6379") {
			t.Errorf("%s output lost the non-secret part of REDIS_URL: %s", name, out)
		}
	}

	want := "config{TELEGRAM_BOT_TOKEN=*** DATABASE_PATH=meetbot.db REDIS_URL=redis://meetbot:***@cache.internal:6379/0 " +
		"TIMEZONE=Asia/Ho_Chi_Minh LOG_LEVEL=info LOG_FORMAT=text CACHE_TTL=10m0s PAGE_SIZE=8 " +
		"TELEGRAM_API_URL=https://api.telegram.org WEBHOOK_URL=https://bot.example.gov.vn/hook WEBHOOK_LISTEN=127.0.0.1:8443 " +
		"WEBHOOK_SECRET=*** HTTP_ADDR=127.0.0.1:8080 WORKERS=8 SHUTDOWN_TIMEOUT=20s ADMIN_IDS= ADMIN_CHAT_ID=0 LEADERSHIP_CHAT_ID=0 " +
		"REMINDER_TIME=07:30 REMINDER_LADDER=-7,-3,-1,0,1,3,7 REMINDER_WEEKLY=true MEETING_REMINDERS=24h,2h " +
		"DIGEST_SCHEDULE=0 8 * * * WEEKLY_SCHEDULE=30 7 * * 1 STATS_SCHEDULE=0 8 * * 1 PUBLIC_URL= HOLIDAYS_FILE=}"
	if got := cfg.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}

	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil {
		t.Fatalf("json log: %v", err)
	}
	group, _ := rec["config"].(map[string]any)
	if got := group["TELEGRAM_BOT_TOKEN"]; got != Masked {
		t.Errorf("json TELEGRAM_BOT_TOKEN = %v, want %q", got, Masked)
	}
}

func TestEmptySecretShownEmpty(t *testing.T) {
	cfg, err := LoadFrom(nil)
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	if !strings.Contains(cfg.String(), "TELEGRAM_BOT_TOKEN= ") {
		t.Errorf("an unset token should print empty, got %s", cfg)
	}
}

func TestErrorsNeverPrintSecrets(t *testing.T) {
	tests := []struct {
		name    string
		environ map[string]string
	}{
		{"bad token", map[string]string{"TELEGRAM_BOT_TOKEN": "AAHsecret token with spaces"}},
		{"redis wrong scheme", map[string]string{"REDIS_URL": "http://u:" + secretPass + "@h:1"}},
		{"redis unparsable", map[string]string{"REDIS_URL": "redis://u:" + secretPass + "@[::1"}},
		{"redis control char", map[string]string{"REDIS_URL": "redis://u:" + secretPass + "@h\x7f:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFrom(tt.environ)
			if err == nil {
				t.Fatal("want an error")
			}
			if strings.Contains(err.Error(), "AAHsecret") || strings.Contains(err.Error(), secretPass) {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestMaskURLPassword(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no url", "meetbot.db", "meetbot.db"},
		{"no userinfo", "redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/15"},
		{"user only", "redis://meetbot@h:6379", "redis://meetbot@h:6379"},
		{"password only", "redis://:" + secretPass + "@h:6379/0", "redis://:***@h:6379/0"},
		{"user and password", "postgres://bot:" + secretPass + "@db/meetbot?sslmode=disable", "postgres://bot:***@db/meetbot?sslmode=disable"},
		{"unparsable", "redis://u:" + secretPass + "@[::1", "redis://***@[::1"},
		{"at in password", "redis://u:p@ss" + secretPass + "@h:1", "redis://u:***@h:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maskURLPassword(tt.in); got != tt.want {
				t.Errorf("maskURLPassword(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewLogger(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, Config{LogLevel: "warn", LogFormat: "json"})
	log.Info("hidden")
	log.Warn("shown", "n", 1)
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("want one JSON record, got %q: %v", buf.String(), err)
	}
	if rec["msg"] != "shown" || rec["level"] != "WARN" {
		t.Errorf("record = %v", rec)
	}

	buf.Reset()
	log = NewLogger(&buf, Config{LogLevel: "debug", LogFormat: "text"})
	log.Debug("details", "k", "v")
	if got := buf.String(); !strings.Contains(got, "level=DEBUG msg=details k=v") {
		t.Errorf("text record = %q", got)
	}
}

func TestSchedulesOff(t *testing.T) {
	cfg, err := LoadFrom(map[string]string{"DIGEST_SCHEDULE": "off", "WEEKLY_SCHEDULE": "OFF", "MEETING_REMINDERS": "off", "REMINDER_LADDER": "off"})
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	if m, err := cfg.MeetingOffsets(); m != nil || err != nil {
		t.Errorf("MeetingOffsets() = %v, %v; want nil", m, err)
	}
	if l, err := cfg.Ladder(); !l.Off || err != nil {
		t.Errorf("Ladder() = %v, %v; want off", l, err)
	}
}

func TestEnvQuote(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "07:30", "07:30"},
		{"commas", "-7,-3,0", "-7,-3,0"},
		{"empty", "", ""},
		{"cron", "0 8 * * *", `"0 8 * * *"`},
		{"quote and dollar", `a"b$c`, `"a\"b\$c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := envQuote(tt.in); got != tt.want {
				t.Errorf("envQuote(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
