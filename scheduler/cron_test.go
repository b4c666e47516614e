package scheduler

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/robfig/cron/v3"

	"meetbot/store"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		name, spec string
		wantErr    string
	}{
		{name: "daily at eight", spec: "0 8 * * *"},
		{name: "weekdays", spec: "30 16 * * 1-5"},
		{name: "descriptor", spec: "@daily"},
		{name: "with zone", spec: "CRON_TZ=Asia/Ho_Chi_Minh 30 7 * * 1"},
		{name: "empty", spec: " ", wantErr: "empty"},
		{name: "bare zone panics in the parser", spec: "CRON_TZ=Asia/Ho_Chi_Minh", wantErr: "is not a cron expression"},
		{name: "bare TZ panics too", spec: "TZ=UTC", wantErr: "is not a cron expression"},
		{name: "hour out of range", spec: "0 25 * * *", wantErr: "is not a cron expression"},
		{name: "six fields", spec: "0 0 8 * * *", wantErr: "is not a cron expression"},
		{name: "words", spec: "every morning", wantErr: "is not a cron expression"},
		{name: "never fires", spec: "0 8 30 2 *", wantErr: "never fires"},
		{name: "unknown zone", spec: "CRON_TZ=Asia/Hanoii 0 8 * * *", wantErr: "is not a cron expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSchedule(tt.spec)
			if tt.wantErr == "" {
				if err != nil || s == nil {
					t.Fatalf("ParseSchedule(%q) = %v, %v", tt.spec, s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseSchedule(%q) error = %v, want %q", tt.spec, err, tt.wantErr)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	h := newHarness(t, baseConfig(), testData(d(2025, 5, 16)))
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"digest schedule", func(c *Config) { c.DigestSchedule = "CRON_TZ=UTC" }, "DIGEST_SCHEDULE"},
		{"weekly schedule", func(c *Config) { c.WeeklySchedule = "61 * * * *" }, "WEEKLY_SCHEDULE"},
		{"reminder at night", func(c *Config) { c.ReminderTime = 5 * time.Hour }, "outside 07:00"},
		{"bad ladder", func(c *Config) { c.Ladder = store.Reminders{Offsets: []int{400}} }, "ladder"},
		{"negative meeting offset", func(c *Config) { c.MeetingOffsets = []time.Duration{-time.Hour} }, "not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			tt.edit(&cfg)
			_, err := New(cfg, Deps{Records: h.db, Store: h.db, Sender: h.sender})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	cfg := baseConfig()
	cfg.DigestSchedule, cfg.WeeklySchedule = "off", "OFF"
	if _, err := New(cfg, Deps{Records: h.db, Store: h.db, Sender: h.sender}); err != nil {
		t.Errorf("schedules off: %v", err)
	}
}

// TestChainKeepsPanickingJobAlive: with the chain the scheduler uses, a
// job that panics once still runs the next time. The reverse order,
// which the robfig/cron documentation suggests, stops it for good: the
// second half documents why the order matters.
func TestChainKeepsPanickingJobAlive(t *testing.T) {
	l := cronLogger{slog.New(slog.DiscardHandler)}
	var runs atomic.Int32
	job := cron.FuncJob(func() {
		if runs.Add(1) == 1 {
			panic("a pass failed badly")
		}
	})
	wrapped := cron.NewChain(jobWrappers(l)...).Then(job)
	for range 3 {
		wrapped.Run()
	}
	if got := runs.Load(); got != 3 {
		t.Errorf("with SkipIfStillRunning then Recover, the job ran %d times out of 3", got)
	}

	runs.Store(0)
	reversed := cron.NewChain(cron.Recover(l), cron.SkipIfStillRunning(l)).Then(job)
	for range 3 {
		reversed.Run()
	}
	if got := runs.Load(); got != 1 {
		t.Errorf("the reversed chain ran the job %d times; robfig/cron changed, revisit jobWrappers", got)
	}
}

// blockingStore holds a pass inside the store until released, to see
// Stop wait for it.
type blockingStore struct {
	Store
	entered chan struct{}
	release chan struct{}
}

func (b *blockingStore) SetSchedulerState(ctx context.Context, key, value string) error {
	if key == stateLastTick {
		select {
		case b.entered <- struct{}{}:
		default:
		}
		select {
		case <-b.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return b.Store.SetSchedulerState(ctx, key, value)
}

// startBlocked starts a scheduler whose passes stop in a blockingStore.
func startBlocked(t *testing.T) (*Service, *blockingStore) {
	t.Helper()
	h := newHarness(t, baseConfig(), testData(d(2025, 5, 16)))
	bs := &blockingStore{Store: h.db, entered: make(chan struct{}, 1), release: make(chan struct{})}
	svc, err := New(h.cfg, Deps{Records: h.db, Store: bs, Sender: h.sender, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return svc, bs
}

func TestStartTicksAndStopWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc, bs := startBlocked(t)
		time.Sleep(61 * time.Second) // the minute tick fires in the bubble's time
		synctest.Wait()
		select {
		case <-bs.entered:
		default:
			t.Fatal("no pass started within a minute")
		}
		stopped := make(chan error, 1)
		go func() { stopped <- svc.Stop(context.Background()) }()
		synctest.Wait()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a pass was running", err)
		default:
		}
		close(bs.release)
		if err := <-stopped; err != nil {
			t.Errorf("Stop = %v", err)
		}
	})
}

func TestStopTimesOutAndCancelsThePass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc, bs := startBlocked(t)
		time.Sleep(61 * time.Second)
		<-bs.entered
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := svc.Stop(ctx); err == nil {
			t.Error("Stop with a pass stuck past the deadline returned nil")
		}
	})
}
