package scheduler

// The weekly statistics to the leadership chat: per unit, the four-way
// state of its shares of directives, as a chart (a photo) and a table.
//
// They go through the outbox like the digests, so they go out once a
// week however many instances run and whatever restarts: an item keyed
// by the ISO week (kind "stats", anchor "2026-W49") is planned when
// STATS_SCHEDULE fires on a working day (a firing on a day off — Monday
// a public holiday — is carried to the next working day, at the same
// time; a week whose every day from the firing on is off gets none),
// then composed once (EnqueueBatch refuses a second composer) into the
// photo's message and the table's messages, which dispatchers claim
// under a lease and send in order.
//
// The outbox stores text, so the photo's message (kind "stats-chart")
// carries the caption and the chart is drawn when it is sent, from the
// counts as of that day: messages expire at 20:00 on the day they were
// composed, so the chart and the table describe the same day (a report
// confirmed between composing and sending shows in the chart only).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/chart"
	"meetbot/store"
	"meetbot/tghtml"
)

// StatsSource counts each unit's shares of directives by state;
// *sqlstore.Store and the cache satisfy it.
type StatsSource interface {
	Stats(ctx context.Context, q store.StatsQuery) ([]store.UnitStats, error)
}

// Kinds of the weekly statistics: the item and the table's messages, and
// the chart's message (sent as a photo, its text the caption).
const (
	KindStats      store.ReminderKind = "stats"
	KindStatsChart store.ReminderKind = "stats-chart"
)

// DefaultStatsSchedule is STATS_SCHEDULE's default: Monday 08:00.
const DefaultStatsSchedule = "0 8 * * 1"

// famStats is the family of the weekly statistics.
const famStats family = "stats"

// statsEnabled reports whether the weekly statistics are planned.
func (s *Service) statsEnabled() bool {
	return s.stats != nil && s.cfg.LeadershipChatID != 0 && s.deps.Stats != nil
}

// planStats returns the week's statistics item when its schedule is due
// today.
func (s *Service) planStats(now time.Time) []store.OutboxItem {
	if !s.statsEnabled() {
		return nil
	}
	_, due, ok := s.dueFire(s.stats, now)
	if !ok {
		return nil
	}
	return []store.OutboxItem{{Kind: KindStats, Anchor: isoWeek(store.DateIn(now, s.cfg.Location)), DueAt: due.UTC()}}
}

// checkStats says why a statistics item no longer applies ("" if it
// does).
func (c *composer) checkStats(g *group, it store.OutboxItem) string {
	switch {
	case c.s.cfg.LeadershipChatID == 0 || c.s.deps.Stats == nil:
		return "the weekly statistics are off"
	case it.Anchor != isoWeek(c.today):
		return "statistics of another week"
	}
	g.expire(c.s.dayEnd(c.now))
	return ""
}

// statsParts returns the messages of the week's statistics: the chart's
// caption (kind KindStatsChart, sent as a photo) and the table, split to
// fit.
func (c *composer) statsParts() ([]Rendered, []store.ReminderKind, error) {
	stats, err := c.s.deps.Stats.Stats(c.ctx, store.StatsQuery{AsOf: c.today, Viewer: system})
	if err != nil {
		return nil, nil, fmt.Errorf("weekly statistics: %w", err)
	}
	if len(stats) == 0 {
		var d tghtml.Builder
		d.Text("📊 ").B("Thống kê thực hiện chỉ đạo theo đơn vị").NL().Text("Chưa có chỉ đạo nào được giao cho đơn vị để thống kê.")
		return []Rendered{{Text: d.String()}}, []store.ReminderKind{KindStats}, nil
	}
	parts := []Rendered{{Text: chart.Caption(stats, len(chart.Select(stats, chart.DefaultMaxUnits)), c.today)}}
	kinds := []store.ReminderKind{KindStatsChart}
	for _, p := range chart.Messages(stats, c.today, false, tghtml.MaxMessageLen) {
		parts = append(parts, Rendered{Text: p})
		kinds = append(kinds, KindStats)
	}
	return parts, kinds, nil
}

// deliver sends one message: the statistics chart as a photo (drawn now,
// from the counts as of today), anything else as text.
func (s *Service) deliver(ctx context.Context, m store.OutboxMessage) (*models.Message, error) {
	if m.Kind != KindStatsChart {
		return s.deps.Sender.SendMessage(ctx, params(m))
	}
	if s.deps.Stats == nil {
		return nil, errors.New("weekly statistics: no stats source")
	}
	today := store.DateIn(s.deps.Now(), s.cfg.Location)
	stats, err := s.deps.Stats.Stats(ctx, store.StatsQuery{AsOf: today, Viewer: system})
	if err != nil {
		return nil, fmt.Errorf("weekly statistics: %w", err)
	}
	img, err := chart.Render(stats, chart.Options{Subtitle: "Tính đến " + today.DMY()})
	if err != nil {
		return nil, fmt.Errorf("weekly statistics: %w", err)
	}
	return s.deps.Sender.SendPhoto(ctx, &tgbot.SendPhotoParams{
		ChatID:          m.ChatID,
		MessageThreadID: m.ThreadID,
		Photo:           &models.InputFileUpload{Filename: "thong-ke-" + today.String() + ".png", Data: bytes.NewReader(img.PNG)},
		Caption:         m.Text,
		ParseMode:       models.ParseModeHTML,
	})
}
