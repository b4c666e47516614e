package handlers

// The office's review of unit reports: /pending lists the reports
// waiting, oldest first, each with "✅ Xác nhận" and "↩️ Trả lại" (which
// asks for a reason). A review goes through Reports.ReviewReport with the
// administrator as the actor, and the unit's bound chats are told.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"meetbot/store"
	"meetbot/tghtml"
)

// reviewWhat is what a refusal of a review says.
const reviewWhat = "xác nhận hoặc trả lại báo cáo của đơn vị"

// cmdPending: /pending, for administrators.
func (h *Handlers) cmdPending(ctx context.Context, r *request, _ string) (view, error) {
	if admin, err := h.isAdmin(ctx, r); err != nil || !admin {
		return refusedView("xem báo cáo chờ xác nhận", officeAdminWho), err
	}
	if h.deps.Reports == nil {
		return message("ℹ️", "Báo cáo của đơn vị chưa được bật ở đây.", ""), nil
	}
	return h.showPending(ctx, r, 1)
}

// showPending is a page of the pending reports, oldest first.
func (h *Handlers) showPending(ctx context.Context, r *request, page int) (view, error) {
	pg, err := h.deps.Reports.PendingReports(ctx, store.PendingFilter{Offset: r.offset(page), Limit: r.rd.size})
	if err != nil {
		return view{}, fmt.Errorf("list pending reports: %w", err)
	}
	if stale(pg, page) && page > 1 {
		return h.showPending(ctx, r, max(1, pages(pg.Total, r.rd.size)))
	}
	return r.rd.pendingList(pg, page), nil
}

// pendingList renders a page of pending reports.
func (rd renderer) pendingList(pg store.Page[store.PendingReport], page int) view {
	var b tghtml.Builder
	var k keyboard
	rd.listHead(&b, "📥", "Báo cáo chờ xác nhận", []string{"Cũ nhất trước"}, pg.Total, pg.Offset, "báo cáo")
	if len(pg.Items) == 0 {
		b.I("Không có báo cáo nào chờ xác nhận.").NL()
	}
	for i, p := range pg.Items {
		n := pg.Offset + i + 1
		b.B(strconv.Itoa(n) + ". ")
		rd.pendingItem(&b, p)
		b.NL()
		k.row(button(fmt.Sprintf("✅ Xác nhận %d", n), callback{Kind: kindReviewOK, ID: p.Report.ID, Page: page}),
			button(fmt.Sprintf("↩️ Trả lại %d", n), callback{Kind: kindReviewReturn, ID: p.Report.ID}))
	}
	k.row(rd.pager(callback{Kind: kindPending}, pg.Total, pg.Offset)...)
	return view{html: b.String(), kb: k.markup()}
}

// onOfficeButton answers the buttons of reports, review and history. It
// returns the views to send (replace: in place of the button's message)
// and the notice to answer the button with (alert: shown as a popup).
func (h *Handlers) onOfficeButton(ctx context.Context, r *request, cb callback) (vs []view, notice string, alert bool) {
	fail := func(err error) ([]view, string, bool) {
		if errors.Is(err, store.ErrNotFound) {
			return nil, expiredNotice, false
		}
		h.deps.Log.Error("handle button", "update_id", r.updateID, "err", err)
		return nil, systemErrorText, true
	}
	switch cb.Kind {
	case kindReportDone, kindReportProgress:
		if r.chatID == 0 {
			return nil, "Hãy mở chat riêng với bot hoặc nhóm của đơn vị để báo cáo.", true
		}
		// Pressing a unit's button in its group makes the user its member.
		h.noteMember(ctx, r)
		v, err := h.startReport(ctx, r, cb)
		if err != nil {
			return fail(err)
		}
		return []view{v}, "", false
	case kindHistory:
		v, err := h.showHistory(ctx, r, historyKinds[cb.Range], cb.ID, cb.Page)
		if err != nil {
			return fail(err)
		}
		v.replace = true
		return []view{v}, "", false
	}
	// The rest is the office's.
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		return fail(err)
	}
	if !admin {
		return nil, "🔒 Chỉ " + officeAdminWho + " mới " + reviewWhat + ".", true
	}
	if h.deps.Reports == nil {
		return nil, expiredNotice, false
	}
	switch cb.Kind {
	case kindPending:
		v, err := h.showPending(ctx, r, cb.Page)
		if err != nil {
			return fail(err)
		}
		v.replace = true
		return []view{v}, "", false
	case kindReviewOK:
		p, err := h.deps.Reports.ReviewReport(ctx, store.Review{ReportID: cb.ID, Accept: true, By: actorOf(r.user), At: h.deps.Now()})
		notice = "✅ Đã xác nhận báo cáo."
		switch {
		case errors.Is(err, store.ErrConflict):
			notice = "Báo cáo này đã được xử lý trước đó."
		case err != nil:
			return fail(err)
		default:
			h.notifyUnit(ctx, r, p)
		}
		var v view
		if cb.Page > 0 {
			v, err = h.showPending(ctx, r, cb.Page)
			if err != nil {
				return fail(err)
			}
		} else {
			v = message("ℹ️", notice, "Gõ /pending để xem các báo cáo còn chờ.")
			if err == nil {
				v = r.rd.reviewed(p)
			}
		}
		v.replace = true
		return []view{v}, notice, false
	case kindReviewReturn:
		if h.deps.Conversations == nil || r.chatID == 0 {
			return nil, "Chức năng này chỉ dùng được trên Telegram.", true
		}
		v, err := h.startFlow(ctx, r, returnFlow.kind, map[string]string{keyRetReport: strconv.FormatInt(cb.ID, 10)})
		if err != nil {
			return fail(err)
		}
		return []view{v}, "", false
	}
	return nil, expiredNotice, false
}

// startReport answers "✅ Đã hoàn thành" and "📝 Báo cáo tiến độ": the
// conversation starts below the message, which stays as it is.
func (h *Handlers) startReport(ctx context.Context, r *request, cb callback) (view, error) {
	d, err := h.loadDirective(ctx, r, cb.ID)
	if err != nil {
		return view{}, notFound(err, fmt.Sprintf("load directive %d", cb.ID), fmt.Sprintf("Không tìm thấy chỉ đạo số %d.", cb.ID), "Gõ /directives để xem các chỉ đạo.")
	}
	what, mode := "báo cáo hoàn thành chỉ đạo này", modeDone
	if cb.Kind == kindReportProgress {
		what, mode = "báo cáo tiến độ chỉ đạo này", modeProgress
	}
	units, v, ok := h.reportGate(ctx, r, d, what)
	if !ok {
		return v, nil
	}
	data := map[string]string{keyRepDirective: strconv.FormatInt(d.ID, 10), keyRepMode: mode}
	if cb.Unit != 0 {
		var chosen []store.UnitRef
		for _, u := range units {
			if u.ID == cb.Unit {
				chosen = append(chosen, u)
			}
		}
		if len(chosen) == 0 {
			// Not this user's unit, or its share is done.
			if !slices.Contains(h.reportingUnits(ctx, r), cb.Unit) {
				return refusedView(what, memberWho), nil
			}
			return message("ℹ️", "Phần việc của đơn vị trong chỉ đạo "+directiveName(d)+" đã hoàn thành.", "Không cần báo cáo thêm."), nil
		}
		units = chosen
	}
	if len(units) == 1 {
		data[keyRepUnit] = strconv.FormatInt(units[0].ID, 10)
	} else {
		data[keyRepUnits] = unitIDs(units)
	}
	return h.startFlowAt(ctx, r, reportFlow.kind, nextRepStep(data), data)
}

// notifyUnit tells the unit's bound chats (and forum topics) that the
// office confirmed or returned its report. Failures are logged.
func (h *Handlers) notifyUnit(ctx context.Context, r *request, p store.PendingReport) {
	if h.deps.Registry == nil {
		return
	}
	bs, err := h.deps.Registry.Bindings(ctx)
	if err != nil {
		h.deps.Log.Error("bindings for a review notice", "update_id", r.updateID, "err", err)
		return
	}
	v := r.rd.unitNotice(p)
	for _, b := range bs {
		if b.Active && b.UnitID == p.Unit.ID {
			h.tell(ctx, r, b.ChatID, b.ThreadID, v)
		}
	}
}

// unitNotice is what the unit's chat is told of a review.
func (rd renderer) unitNotice(p store.PendingReport) view {
	var b tghtml.Builder
	var k keyboard
	what := fmt.Sprintf("báo cáo tiến độ %d%%", p.Report.Percent)
	if p.Report.Done {
		what = "báo cáo hoàn thành"
	}
	if p.Report.Status == store.ReportConfirmed {
		b.Text("✅ ").B("Văn phòng đã xác nhận " + what).NL()
	} else {
		b.Text("↩️ ").B("Văn phòng trả lại " + what).NL()
	}
	b.Text("Chỉ đạo ")
	if p.DirectiveCode != "" {
		b.Code(p.DirectiveCode).Text(" ")
	}
	b.Text(tghtml.Truncate(p.DirectiveTitle, listTitleLen)).NL()
	b.Text("Đơn vị: " + p.Unit.Name).NL()
	switch {
	case p.Report.Status == store.ReportConfirmed && p.Report.Done:
		b.Text("Phần việc của đơn vị được ghi nhận hoàn thành ngày " + fmtDate(store.DateIn(p.Report.At, rd.loc)) + ".").NL()
	case p.Report.Status == store.ReportConfirmed:
		b.Textf("Tiến độ được ghi nhận: %d%%.", p.Report.Percent).NL()
	default:
		b.Text("Lý do: " + p.Report.ReviewNote).NL()
		b.I("Hãy bổ sung và báo cáo lại.").NL()
		k.row(button("✅ Đã hoàn thành", callback{Kind: kindReportDone, ID: p.DirectiveID, Unit: p.Unit.ID}),
			button("📝 Báo cáo tiến độ", callback{Kind: kindReportProgress, ID: p.DirectiveID, Unit: p.Unit.ID}))
	}
	k.row(button("📌 Xem chỉ đạo", callback{Kind: kindDirective, ID: p.DirectiveID}))
	return view{html: b.String(), kb: k.markup()}
}

// reviewed is what takes the place of a single report's message once it
// is reviewed.
func (rd renderer) reviewed(p store.PendingReport) view {
	var b tghtml.Builder
	if p.Report.Status == store.ReportConfirmed {
		b.Text("✅ ").B("Đã xác nhận báo cáo").NL()
	} else {
		b.Text("↩️ ").B("Đã trả lại báo cáo").NL()
	}
	rd.pendingItem(&b, p)
	if p.Report.ReviewNote != "" {
		b.Text("   Lý do: " + p.Report.ReviewNote).NL()
	}
	if p.Report.ReviewedBy != "" {
		b.I("Người xử lý: " + p.Report.ReviewedBy).NL()
	}
	var k keyboard
	k.row(button("📌 Xem chỉ đạo", callback{Kind: kindDirective, ID: p.DirectiveID}))
	return view{html: b.String(), kb: k.markup()}
}

// --- returning a report, with a reason -----------------------------------

const (
	keyRetReport  = "report"
	stepRetReason = "reason"
)

var returnFlow = &flow{kind: "return-report", first: stepRetReason, steps: map[string]flowStep{
	stepRetReason: {ask: (*Handlers).askRetReason, answer: (*Handlers).answerRetReason},
}}

func (h *Handlers) askRetReason(_ context.Context, _ *request, _ *store.Conversation) (view, error) {
	return message("↩️", "Lý do trả lại báo cáo (bắt buộc, tối đa 500 ký tự):",
		"Ví dụ: Chưa có số liệu cụ thể, đề nghị bổ sung."), nil
}

func (h *Handlers) answerRetReason(ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
	if in.Choice != "" {
		return stepRetReason, message("⚠️", "Hãy gõ lý do trả lại báo cáo."), nil
	}
	if prob := checkNote(in.Text, "lý do"); prob != "" {
		return stepRetReason, message("⚠️", prob), nil
	}
	if admin, err := h.isAdmin(ctx, r); err != nil || !admin {
		return "", refusedView(reviewWhat, officeAdminWho), err
	}
	id, _ := strconv.ParseInt(c.Data[keyRetReport], 10, 64)
	p, err := h.deps.Reports.ReviewReport(ctx, store.Review{ReportID: id, Accept: false, Reason: in.Text, By: actorOf(r.user), At: h.deps.Now()})
	switch {
	case errors.Is(err, store.ErrConflict):
		return "", message("ℹ️", "Báo cáo này đã được xử lý trước đó.", "Gõ /pending để xem các báo cáo còn chờ."), nil
	case errors.Is(err, store.ErrNotFound):
		return "", message("🔍", "Không tìm thấy báo cáo này.", "Gõ /pending để xem các báo cáo còn chờ."), nil
	case err != nil:
		return "", view{}, fmt.Errorf("return report %d: %w", id, err)
	}
	h.notifyUnit(ctx, r, p)
	v := r.rd.reviewed(p)
	var k keyboard
	k.rows = v.kb.InlineKeyboard
	k.row(button("📥 Báo cáo còn chờ", callback{Kind: kindPending, Page: 1}))
	v.kb = k.markup()
	return "", v, nil
}
