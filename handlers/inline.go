package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/store"
)

const (
	// inlineLimit is the number of results per inline answer (Telegram
	// takes at most 50).
	inlineLimit = 50
	// inlineCacheTime is how long Telegram may reuse an inline answer, in
	// seconds: short, so reported progress shows within a minute, yet long
	// enough to absorb a user typing.
	inlineCacheTime = 60
	// maxInlineOffset bounds the offset read back from next_offset.
	maxInlineOffset = 100_000
)

// inlineKinds are what inline mode offers; units are not shareable cards.
var inlineKinds = []store.RecordKind{store.RecordMeeting, store.RecordDirective, store.RecordProgram}

// onInline answers an inline query with cards of meetings, directives
// and programs, up to 50 per call, paging through next_offset (the offset
// of the next result, in decimal). An empty query shows the open
// directives most urgent first: overdue ones (longest overdue first),
// then by deadline. A failure is logged and answered with no results, so
// the client does not wait.
func (h *Handlers) onInline(ctx context.Context, updateID int64, q *models.InlineQuery) {
	r := h.newRequest(updateID, models.Chat{}, 0)
	if q.From != nil {
		r.user = *q.From
	}
	offset, err := strconv.Atoi(q.Offset)
	if err != nil || offset < 0 || offset > maxInlineOffset {
		offset = 0
	}
	var cards []card
	var total int
	if key, _ := searchKey(strings.TrimSpace(q.Query)); key == "" {
		var pg store.Page[store.Directive]
		pg, err = h.deps.Store.Directives(ctx, store.DirectiveFilter{
			Status: store.SetPending | store.SetOverdue, AsOf: r.rd.today, Order: store.OrderUrgent, Viewer: h.viewerOf(ctx, r),
			Offset: offset, Limit: inlineLimit,
		})
		for _, d := range pg.Items {
			cards = append(cards, cardOfDirective(d))
		}
		total = pg.Total
	} else {
		var pg store.Page[store.SearchHit]
		pg, err = h.deps.Store.Search(ctx, store.SearchQuery{Text: key, Kinds: inlineKinds, Viewer: h.viewerOf(ctx, r), Offset: offset, Limit: inlineLimit})
		for _, hit := range pg.Items {
			if hit.Kind != store.RecordUnit {
				cards = append(cards, cardOfHit(hit))
			}
		}
		total = pg.Total
	}
	results := make([]models.InlineQueryResult, 0, len(cards))
	next := ""
	if err != nil {
		h.deps.Log.Error("inline query", "update_id", updateID, "err", err)
		cards = nil
	} else if offset+len(cards) < total && len(cards) > 0 {
		next = strconv.Itoa(offset + len(cards))
	}
	for _, c := range cards {
		results = append(results, r.rd.inlineArticle(c))
	}
	_, err = h.deps.Sender.AnswerInlineQuery(ctx, &bot.AnswerInlineQueryParams{
		InlineQueryID: q.ID,
		Results:       results,
		CacheTime:     inlineCacheTime,
		// Restricted records make results depend on who asks.
		IsPersonal: true,
		NextOffset: next,
	})
	if err != nil {
		h.deps.Log.Error("answer inline query", "update_id", updateID, "err", err)
	}
}
