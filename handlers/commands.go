package handlers

import (
	"context"
	"errors"

	"meetbot/store"
	"meetbot/tghtml"
)

// commandFunc answers a command's arguments. Bad arguments are answered
// with a view (usage and an example), not an error; errors are store
// failures, mapped to replies by errorView.
type commandFunc func(h *Handlers, ctx context.Context, r *request, args string) (view, error)

// commands maps command names to their handlers; commandDocs documents
// them.
var commands = map[string]commandFunc{
	"start": (*Handlers).cmdStart,
	"help": func(_ *Handlers, _ context.Context, r *request, args string) (view, error) {
		return r.rd.helpFor(args), nil
	},
	"meetings":   (*Handlers).cmdMeetings,
	"meeting":    (*Handlers).cmdMeeting,
	"directives": (*Handlers).cmdDirectives,
	"directive":  (*Handlers).cmdDirective,
	"programs": func(h *Handlers, ctx context.Context, r *request, _ string) (view, error) {
		return h.showPrograms(ctx, r, 1)
	},
	"program":   (*Handlers).cmdProgram,
	"deadlines": (*Handlers).cmdDeadlines,
	"overdue":   (*Handlers).cmdOverdue,
	"search":    (*Handlers).cmdSearch,
	"units": func(h *Handlers, ctx context.Context, r *request, _ string) (view, error) {
		return h.show(ctx, r, callback{Kind: kindUnits})
	},
	"stats":      (*Handlers).cmdStats,
	"calendar":   (*Handlers).cmdCalendar,
	"register":   (*Handlers).cmdRegister,
	"unregister": (*Handlers).cmdUnregister,
	"status":     (*Handlers).cmdStatus,
	"cancel":     (*Handlers).cmdCancel,
	// Data entry (entry.go).
	"newmeeting":   (*Handlers).cmdNewMeeting,
	"newdirective": (*Handlers).cmdNewDirective,
	"newprogram":   (*Handlers).cmdNewProgram,
	"edit":         (*Handlers).cmdEdit,
	"extend":       (*Handlers).cmdExtend,
	// Files (files.go).
	"template": (*Handlers).cmdTemplate,
	"import":   (*Handlers).cmdImport,
	"export":   (*Handlers).cmdExport,
	// Reports, review, history, administrators (report.go, review.go,
	// history.go, admin.go).
	"done":     (*Handlers).cmdDone,
	"progress": (*Handlers).cmdProgress,
	"pending":  (*Handlers).cmdPending,
	"history":  (*Handlers).cmdHistory,
	"admin":    (*Handlers).cmdAdmin,
}

// cmdStart: /start [d_<id>|m_<id>|p_<id>]. A deep link opens the record;
// anything else gets the welcome.
func (h *Handlers) cmdStart(ctx context.Context, r *request, args string) (view, error) {
	p, ok := parseStartPayload(args)
	if !ok {
		return r.rd.start(), nil
	}
	return h.show(ctx, r, callback{Kind: p.Kind, ID: p.ID})
}

// cmdMeetings: /meetings [sắp tới|đã qua|mm/yyyy].
func (h *Handlers) cmdMeetings(ctx context.Context, r *request, args string) (view, error) {
	rng, ok := parseMeetingsArgs(args)
	if !ok {
		return usage("meetings", "Không hiểu “"+tghtml.Truncate(args, 40)+"”: hãy gõ “sắp tới”, “đã qua” hoặc tháng dạng mm/yyyy."), nil
	}
	return h.showMeetings(ctx, r, rng, 1)
}

// cmdMeeting: /meeting <id>.
func (h *Handlers) cmdMeeting(ctx context.Context, r *request, args string) (view, error) {
	if args == "" {
		return usage("meeting", "Hãy cho biết số của cuộc họp (xem /meetings)."), nil
	}
	id, ok := parseID(args)
	if !ok {
		return usage("meeting", "Số cuộc họp phải là một số nguyên dương, không phải “"+tghtml.Truncate(args, 40)+"”."), nil
	}
	return h.showMeeting(ctx, r, id)
}

// cmdProgram: /program <id>.
func (h *Handlers) cmdProgram(ctx context.Context, r *request, args string) (view, error) {
	if args == "" {
		return usage("program", "Hãy cho biết số của chương trình (xem /programs)."), nil
	}
	id, ok := parseID(args)
	if !ok {
		return usage("program", "Số chương trình phải là một số nguyên dương, không phải “"+tghtml.Truncate(args, 40)+"”."), nil
	}
	return h.showProgram(ctx, r, id)
}

// cmdDirective: /directive <id|code>. A number is an id (then, failing
// that, a code); anything else a code such as 15/CT-UBND.
func (h *Handlers) cmdDirective(ctx context.Context, r *request, args string) (view, error) {
	if args == "" {
		return usage("directive", "Hãy cho biết số hoặc ký hiệu của chỉ đạo (xem /directives)."), nil
	}
	id, ok := parseID(args)
	if !ok {
		return h.showDirectiveByCode(ctx, r, args)
	}
	v, err := h.showDirective(ctx, r, id)
	if errors.Is(err, store.ErrNotFound) {
		if v2, err2 := h.showDirectiveByCode(ctx, r, args); err2 == nil {
			return v2, nil
		}
	}
	return v, err
}

// unitArg resolves the unit part of /directives, /overdue and /deadlines:
// empty means the chat's unit (if it is bound to exactly one), "tất cả" all
// units. When the text matches several units it returns the choice to
// send instead (done is true); when it matches none, unknown's reply.
func (h *Handlers) unitArg(ctx context.Context, r *request, text string, choose func(typed string, cands []store.Unit) view, unknown func(text string) view) (unitID int64, reply view, done bool, err error) {
	switch {
	case text == "":
		id, err := h.boundUnit(ctx, r)
		return id, view{}, false, err
	case isAllUnits(text):
		return 0, view{}, false, nil
	}
	u, cands, err := h.resolveUnit(ctx, text)
	switch {
	case err != nil:
		return 0, view{}, true, err
	case len(cands) > 1:
		return 0, choose(text, cands), true, nil
	case u.ID == 0:
		return 0, unknown(text), true, nil
	}
	return u.ID, view{}, false, nil
}

// unknownUnit answers a unit that matches nothing.
func unknownUnit(text string) view {
	return message("🏢", "Không tìm thấy đơn vị “"+tghtml.Truncate(text, 60)+"”.",
		"Gõ /units để xem ký hiệu, tên và tên gọi tắt của các đơn vị.",
		"Tình trạng đặt ở cuối: quá hạn, trong hạn, hoàn thành, hoàn thành đúng hạn, hoàn thành quá hạn, chưa hoàn thành, thường xuyên.")
}

// cmdDirectives: /directives [unit] [status].
func (h *Handlers) cmdDirectives(ctx context.Context, r *request, args string) (view, error) {
	rest, set := splitStatus(args)
	unitID, reply, done, err := h.unitArg(ctx, r, rest, choiceButtons(func(id int64) callback {
		return callback{Kind: kindDirectives, Unit: id, Status: set, Page: 1}
	}), unknownUnit)
	if done || err != nil {
		return reply, err
	}
	return h.showDirectives(ctx, r, callback{Kind: kindDirectives, Unit: unitID, Status: set, Page: 1})
}

// cmdOverdue: /overdue [unit].
func (h *Handlers) cmdOverdue(ctx context.Context, r *request, args string) (view, error) {
	rest, _ := splitStatus(args) // "/overdue quá hạn" says the same twice
	unitID, reply, done, err := h.unitArg(ctx, r, rest, choiceButtons(func(id int64) callback {
		return callback{Kind: kindOverdue, Unit: id, Page: 1}
	}), unknownUnit)
	if done || err != nil {
		return reply, err
	}
	return h.showOverdue(ctx, r, callback{Kind: kindOverdue, Unit: unitID, Page: 1})
}

// cmdDeadlines: /deadlines [days] [unit], days in 1–365 (default 7); no
// unit means the chat's unit in a chat bound to one, else all.
func (h *Handlers) cmdDeadlines(ctx context.Context, r *request, args string) (view, error) {
	days, rest, ok := parseDeadlinesArgs(args)
	bad := func(text string) view {
		return usage("deadlines", "Không hiểu “"+tghtml.Truncate(text, 40)+"”: số ngày phải từ 1 đến 365, có thể kèm tên đơn vị.")
	}
	if !ok {
		return bad(args), nil
	}
	unitID, reply, done, err := h.unitArg(ctx, r, rest, choiceButtons(func(id int64) callback {
		return callback{Kind: kindDeadlines, Days: days, Unit: id, Page: 1}
	}), bad)
	if done || err != nil {
		return reply, err
	}
	return h.showDeadlines(ctx, r, callback{Kind: kindDeadlines, Days: days, Unit: unitID, Page: 1})
}

// cmdSearch: /search <text>; also any plain text in a private chat.
func (h *Handlers) cmdSearch(ctx context.Context, r *request, args string) (view, error) {
	if args == "" {
		return usage("search", "Hãy nhập từ khoá cần tìm."), nil
	}
	key, shortened := searchKey(args)
	if key == "" {
		return usage("search", "Từ khoá cần có ít nhất một chữ hoặc số."), nil
	}
	return h.showSearch(ctx, r, key, shortened, 1)
}
