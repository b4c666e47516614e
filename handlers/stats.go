package handlers

// /stats: per unit, the four-way state of its shares of directives, as a
// chart (a photo) and an aligned table, counting only what the viewer may
// see. /calendar (calendar.go) sends the calendar of meetings and
// deadlines. Both register themselves here, so the shared tables of
// commands stay as they were.

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/chart"
	"meetbot/store"
	"meetbot/tghtml"
)

// StatsReader counts each unit's shares of directives by state;
// *sqlstore.Store and *cache.Cache satisfy it.
type StatsReader interface {
	Stats(ctx context.Context, q store.StatsQuery) ([]store.UnitStats, error)
}

// cmdStats: /stats [unit|tất cả]. In a chat bound to one unit the
// default is that unit; elsewhere every unit.
func (h *Handlers) cmdStats(ctx context.Context, r *request, args string) (view, error) {
	if h.deps.Stats == nil {
		return message("ℹ️", "Thống kê chưa được bật ở đây."), nil
	}
	unitID, reply, done, err := h.pickUnit(ctx, r, "stats", args)
	if done || err != nil {
		return reply, err
	}
	viewer := h.viewerOf(ctx, r)
	stats, err := h.deps.Stats.Stats(ctx, store.StatsQuery{AsOf: r.rd.today, Viewer: viewer, UnitID: unitID})
	if err != nil {
		return view{}, fmt.Errorf("stats: %w", err)
	}
	if len(stats) == 0 {
		if unitID != 0 {
			return message("📊", "Đơn vị này chưa được giao chỉ đạo nào (trong những chỉ đạo bạn được xem).", "Gõ /stats tất cả để xem mọi đơn vị."), nil
		}
		return message("📊", "Chưa có chỉ đạo nào được giao cho đơn vị để thống kê."), nil
	}
	img, err := chart.Render(stats, chart.Options{Subtitle: "Tính đến " + r.rd.today.DMY()})
	if err != nil {
		h.deps.Log.Error("draw stats chart", "update_id", r.updateID, "err", err)
	} else {
		h.sendPhoto(ctx, r, img.PNG, "thong-ke-"+r.rd.today.String()+".png", chart.Caption(stats, img.Shown, r.rd.today))
	}
	parts := chart.Messages(stats, r.rd.today, !viewer.Admin, tghtml.MaxMessageLen)
	h.sendParts(ctx, r, parts[:len(parts)-1], nil, false)
	return view{html: parts[len(parts)-1]}, nil
}

// sendPhoto sends a picture to the request's chat; a failure is logged
// (the text reply still goes).
func (h *Handlers) sendPhoto(ctx context.Context, r *request, png []byte, name, caption string) {
	_, err := h.deps.Sender.SendPhoto(ctx, &bot.SendPhotoParams{
		ChatID:          r.chatID,
		MessageThreadID: r.thread,
		Photo:           &models.InputFileUpload{Filename: name, Data: bytes.NewReader(png)},
		Caption:         caption,
		ParseMode:       models.ParseModeHTML,
	})
	if err != nil {
		h.deps.Log.Error("send photo", "update_id", r.updateID, "err", err)
	}
}

// pickUnit reads the unit argument of /stats and /calendar: empty means
// the chat's unit (if it is bound to exactly one) or all, "tất cả" all.
// A text matching several units or none is answered with the reply to
// send (done is true).
func (h *Handlers) pickUnit(ctx context.Context, r *request, cmd, text string) (unitID int64, reply view, done bool, err error) {
	choose := func(typed string, cands []store.Unit) view { return unitCodeChoice(typed, cands, cmd) }
	return h.unitArg(ctx, r, strings.TrimSpace(text), choose, func(text string) view {
		return message("🏢", "Không tìm thấy đơn vị “"+tghtml.Truncate(text, 60)+"”.",
			"Gõ /units để xem ký hiệu, tên và tên gọi tắt của các đơn vị, ví dụ: /"+cmd+" xin-man")
	})
}
