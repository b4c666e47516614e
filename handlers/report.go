package handlers

// Progress from the units: a member of a unit assigned to a directive
// reports it done ("✅ Đã hoàn thành", /done) or reports progress ("📝
// Báo cáo tiến độ", /progress: percent, a short note, optionally a
// document number). Reports wait for the office's review (review.go);
// the administrators' chat is told of each one.
//
// The buttons come on the directive's card and on the reminders the
// scheduler sends to the unit's chats; the scheduler encodes their data
// with scheduler.ReportDoneCallback and scheduler.ReportProgressCallback,
// which this package decodes (kindReportDone, kindReportProgress).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
)

// Reports is the side of the store that unit reports, their review and
// the audit log use. store.Store satisfies it; wire the cache-wrapped
// store so that every cached answer reflects a review at once.
type Reports interface {
	SubmitReport(ctx context.Context, r store.ReportInput) (store.PendingReport, error)
	ReviewReport(ctx context.Context, r store.Review) (store.PendingReport, error)
	PendingReports(ctx context.Context, f store.PendingFilter) (store.Page[store.PendingReport], error)
	History(ctx context.Context, kind store.RecordKind, id int64) ([]store.AuditEntry, error)
}

// Buttons of reports, review and history.
const (
	// kindReportDone, kindReportProgress: 1:rd:i<directive>[:u<unit>],
	// 1:rp:i<directive>[:u<unit>]; without a unit the user is asked
	// which of theirs.
	kindReportDone     cbKind = "rd"
	kindReportProgress cbKind = "rp"
	// kindReviewOK, kindReviewReturn: 1:ry:i<report>[:p<page>],
	// 1:rn:i<report>; the page is that of the /pending list the button
	// is on (none: a single report, in the administrators' chat).
	kindReviewOK     cbKind = "ry"
	kindReviewReturn cbKind = "rn"
	// kindPending: 1:rl:p<page>, the /pending list.
	kindPending cbKind = "rl"
	// kindHistory: 1:hi:i<id>:r<d|m|p>:p<page>, a record's audit log.
	kindHistory cbKind = "hi"
)

// isOfficeKind reports whether k is a button of this file or review.go.
func isOfficeKind(k cbKind) bool {
	switch k {
	case kindReportDone, kindReportProgress, kindReviewOK, kindReviewReturn, kindPending, kindHistory:
		return true
	}
	return false
}

// validateOffice checks the fields of the office's buttons; ok is false
// for other kinds.
func (cb callback) validateOffice() (ok bool, err error) {
	allowed := map[cbKind]string{kindReportDone: "iu", kindReportProgress: "iu", kindReviewOK: "ip", kindReviewReturn: "i",
		kindPending: "p", kindHistory: "irp"}
	tags, ok := allowed[cb.Kind]
	if !ok {
		return false, nil
	}
	present := map[byte]bool{'i': cb.ID != 0, 'u': cb.Unit != 0, 's': cb.Status != 0, 'm': cb.Meeting != 0, 'g': cb.Program != 0,
		'n': cb.Days != 0, 'r': cb.Range != "", 'p': cb.Page != 0, 'q': cb.Query != "", 't': cb.Short, 'c': cb.Choice != ""}
	for tag, on := range present {
		if on && !strings.ContainsRune(tags, rune(tag)) {
			return true, fmt.Errorf("field %c not taken by kind %q", tag, cb.Kind)
		}
	}
	switch {
	case strings.ContainsRune(tags, 'i') && cb.ID <= 0:
		return true, errors.New("id missing")
	case (cb.Kind == kindPending || cb.Kind == kindHistory) && cb.Page < 1:
		return true, errors.New("page missing")
	case cb.Kind == kindHistory && historyKinds[cb.Range] == "":
		return true, fmt.Errorf("record kind %q", cb.Range)
	}
	return true, nil
}

func init() {
	registerFlow(reportFlow)
	registerFlow(returnFlow)
}

// Limits of what a unit types.
const (
	maxNoteLen = 500 // a report's note, a return's reason
	maxDocLen  = 60  // a document number
)

// memberWho says who may report, in refusals.
const memberWho = "thành viên nhóm Telegram của đơn vị được giao (chủ trì hoặc phối hợp)"

// reportUnits returns the assigned units the user may report for on d:
// those whose share is not done, among the units of the bound group the
// user writes in, or (elsewhere) the units the user is a member of.
// member tells whether the user belongs to any assigned unit at all.
func (h *Handlers) reportUnits(ctx context.Context, r *request, d store.Directive) (units []store.UnitRef, member bool) {
	mine := h.reportingUnits(ctx, r)
	for _, a := range d.Assignments {
		if !slices.Contains(mine, a.Unit.ID) {
			continue
		}
		member = true
		if !a.Done() && d.ClosedOn.IsZero() {
			units = append(units, a.Unit)
		}
	}
	return units, member
}

// reportingUnits returns the units the user reports for here: those of
// the bound group they write in, or elsewhere those they are a member of.
func (h *Handlers) reportingUnits(ctx context.Context, r *request) []int64 {
	if cu := h.chatUnits(ctx, r); len(cu) > 0 {
		ids := make([]int64, len(cu))
		for i, u := range cu {
			ids[i] = u.ID
		}
		return ids
	}
	return h.memberUnits(ctx, r)
}

// reportButtons adds "✅ Đã hoàn thành" and "📝 Báo cáo tiến độ" to a
// directive's card for a member of an assigned unit whose share is not
// done. Not in inline messages (no chat to talk in).
func (h *Handlers) reportButtons(ctx context.Context, r *request, v view, d store.Directive) view {
	if r.chatID == 0 || h.deps.Reports == nil || h.deps.Conversations == nil {
		return v
	}
	units, _ := h.reportUnits(ctx, r, d)
	if len(units) == 0 {
		return v
	}
	var unit int64
	if len(units) == 1 {
		unit = units[0].ID
	}
	var k keyboard
	if v.kb != nil {
		k.rows = slices.Clone(v.kb.InlineKeyboard)
	}
	k.row(button("✅ Đã hoàn thành", callback{Kind: kindReportDone, ID: d.ID, Unit: unit}),
		button("📝 Báo cáo tiến độ", callback{Kind: kindReportProgress, ID: d.ID, Unit: unit}))
	v.kb = k.markup()
	return v
}

// visibleDirective loads the directive ref names (a number, else a
// code) if the user may see it; a hidden one is answered as missing.
func (h *Handlers) visibleDirective(ctx context.Context, r *request, ref string) (store.Directive, view, error) {
	ref = strings.TrimSpace(ref)
	miss := message("🔍", "Không tìm thấy chỉ đạo “"+tghtml.Truncate(ref, 60)+"”.", "Gõ số hoặc ký hiệu của chỉ đạo (xem /directives), ví dụ 3 hoặc 15/CT-UBND.")
	var d store.Directive
	err := store.ErrNotFound
	if id, ok := parseID(ref); ok {
		d, err = h.deps.Store.Directive(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		d, err = h.deps.Store.DirectiveByCode(ctx, ref)
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && !h.viewerOf(ctx, r).CanSeeDirective(d)) {
		return store.Directive{}, miss, nil
	}
	if err != nil {
		return store.Directive{}, view{}, fmt.Errorf("load directive %q: %w", ref, err)
	}
	return d, view{}, nil
}

// reportGate checks that reports can be taken here and that the user may
// report on d; it returns the units to choose from, or the reply.
func (h *Handlers) reportGate(ctx context.Context, r *request, d store.Directive, what string) ([]store.UnitRef, view, bool) {
	if h.deps.Reports == nil || h.deps.Conversations == nil {
		return nil, message("ℹ️", "Báo cáo tiến độ chưa được bật ở đây.", "Hãy dùng bot trên Telegram."), false
	}
	units, member := h.reportUnits(ctx, r, d)
	if !member {
		return nil, refusedView(what, memberWho), false
	}
	if len(units) == 0 {
		return nil, message("ℹ️", "Phần việc của đơn vị bạn trong chỉ đạo "+directiveName(d)+" đã hoàn thành.", "Không cần báo cáo thêm."), false
	}
	return units, view{}, true
}

// cmdDone: /done <số|ký hiệu> [ghi chú]: the unit reports its share done.
func (h *Handlers) cmdDone(ctx context.Context, r *request, args string) (view, error) {
	ref, note, _ := strings.Cut(strings.TrimSpace(args), " ")
	note = strings.TrimSpace(note)
	if ref == "" {
		return usage("done", "Hãy cho biết số hoặc ký hiệu của chỉ đạo đã hoàn thành."), nil
	}
	if utf8.RuneCountInString(note) > maxNoteLen {
		return usage("done", fmt.Sprintf("Ghi chú dài %d ký tự; tối đa %d ký tự.", utf8.RuneCountInString(note), maxNoteLen)), nil
	}
	d, miss, err := h.visibleDirective(ctx, r, ref)
	if err != nil || d.ID == 0 {
		return miss, err
	}
	units, v, ok := h.reportGate(ctx, r, d, "báo cáo hoàn thành chỉ đạo này")
	if !ok {
		return v, nil
	}
	data := map[string]string{keyRepDirective: strconv.FormatInt(d.ID, 10), keyRepMode: modeDone, keyRepNote: note, keyRepQuick: "1"}
	if len(units) == 1 {
		data[keyRepUnit] = strconv.FormatInt(units[0].ID, 10)
		return h.submitReport(ctx, r, data)
	}
	data[keyRepUnits] = unitIDs(units)
	return h.startFlowAt(ctx, r, reportFlow.kind, stepRepUnit, data)
}

// cmdProgress: /progress <số|ký hiệu> <phần trăm> <ghi chú>.
func (h *Handlers) cmdProgress(ctx context.Context, r *request, args string) (view, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return usage("progress", "Hãy cho biết số hoặc ký hiệu của chỉ đạo, phần trăm đã làm và ghi chú ngắn."), nil
	}
	if len(fields) < 2 {
		return usage("progress", "Thiếu phần trăm đã làm (0–100) và ghi chú."), nil
	}
	pct, prob := parsePercent(fields[1])
	if prob != "" {
		return usage("progress", prob), nil
	}
	note := strings.TrimSpace(strings.Join(fields[2:], " "))
	if prob := checkNote(note, "ghi chú"); prob != "" {
		return usage("progress", prob), nil
	}
	d, miss, err := h.visibleDirective(ctx, r, fields[0])
	if err != nil || d.ID == 0 {
		return miss, err
	}
	units, v, ok := h.reportGate(ctx, r, d, "báo cáo tiến độ chỉ đạo này")
	if !ok {
		return v, nil
	}
	data := map[string]string{keyRepDirective: strconv.FormatInt(d.ID, 10), keyRepMode: modeProgress,
		keyRepPercent: strconv.Itoa(pct), keyRepNote: note, keyRepQuick: "1"}
	if len(units) == 1 {
		data[keyRepUnit] = strconv.FormatInt(units[0].ID, 10)
		return h.submitReport(ctx, r, data)
	}
	data[keyRepUnits] = unitIDs(units)
	return h.startFlowAt(ctx, r, reportFlow.kind, stepRepUnit, data)
}

// parsePercent reads "50", "50%", returning the problem if it is not a
// whole number in 0–100.
func parsePercent(s string) (int, string) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 100 {
		return 0, "Phần trăm phải là số nguyên từ 0 đến 100, không phải “" + tghtml.Truncate(s, 20) + "”."
	}
	return n, ""
}

// checkNote returns the problem of a required short text (a note, a
// reason), "" if it is fine.
func checkNote(s, what string) string {
	switch n := utf8.RuneCountInString(s); {
	case strings.TrimSpace(s) == "":
		return "Hãy nhập " + what + " (tối đa 500 ký tự)."
	case n > maxNoteLen:
		return fmt.Sprintf("%s dài %d ký tự; tối đa %d ký tự. Hãy viết ngắn gọn hơn.", capitalize(what), n, maxNoteLen)
	}
	return ""
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// unitIDs joins the units' ids with commas.
func unitIDs(us []store.UnitRef) string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = strconv.FormatInt(u.ID, 10)
	}
	return strings.Join(ids, ",")
}

// --- the report conversation ---------------------------------------------------

// Answers of the report conversation.
const (
	keyRepDirective = "d"
	keyRepUnit      = "u"
	keyRepUnits     = "units" // the units to choose from
	keyRepMode      = "mode"
	keyRepPercent   = "pct"
	keyRepNote      = "note"
	keyRepDoc       = "doc"
	keyRepDocAsked  = "doc_asked"
	keyRepQuick     = "quick" // by command: submit as soon as complete
	modeDone        = "done"
	modeProgress    = "progress"
)

// Steps of the report conversation.
const (
	stepRepUnit    = "unit"
	stepRepConfirm = "confirm"
	stepRepPercent = "percent"
	stepRepNote    = "note"
	stepRepDoc     = "doc"
)

var reportFlow = &flow{kind: "report", first: stepRepUnit, steps: map[string]flowStep{
	stepRepUnit:    {ask: (*Handlers).askRepUnit, answer: (*Handlers).answerRepUnit},
	stepRepConfirm: {ask: (*Handlers).askRepConfirm, answer: (*Handlers).answerRepConfirm},
	stepRepPercent: {ask: (*Handlers).askRepPercent, answer: (*Handlers).answerRepPercent},
	stepRepNote:    {ask: (*Handlers).askRepNote, answer: (*Handlers).answerRepNote},
	stepRepDoc:     {ask: (*Handlers).askRepDoc, answer: (*Handlers).answerRepDoc},
}}

// nextRepStep returns the first question without an answer, "" when the
// report is complete.
func nextRepStep(data map[string]string) string {
	switch {
	case data[keyRepUnit] == "":
		return stepRepUnit
	case data[keyRepMode] == modeDone:
		if data[keyRepQuick] == "" {
			return stepRepConfirm
		}
		return ""
	case data[keyRepPercent] == "":
		return stepRepPercent
	case data[keyRepNote] == "":
		return stepRepNote
	case data[keyRepDocAsked] == "" && data[keyRepQuick] == "":
		return stepRepDoc
	}
	return ""
}

// advanceReport goes to the next question, or submits a complete report.
func (h *Handlers) advanceReport(ctx context.Context, r *request, c *store.Conversation) (string, view, error) {
	if next := nextRepStep(c.Data); next != "" {
		return next, view{}, nil
	}
	v, err := h.submitReport(ctx, r, c.Data)
	return "", v, err
}

// repDirective loads the conversation's directive (a reply when gone).
func (h *Handlers) repDirective(ctx context.Context, c *store.Conversation) (store.Directive, error) {
	id, _ := strconv.ParseInt(c.Data[keyRepDirective], 10, 64)
	d, err := h.deps.Store.Directive(ctx, id)
	if err != nil {
		return d, fmt.Errorf("load directive %d: %w", id, err)
	}
	return d, nil
}

// repHead names the directive and unit in a question.
func repHead(d store.Directive, unit string) string {
	s := "Chỉ đạo " + directiveName(d) + ": " + tghtml.Truncate(d.Title, 120)
	if unit != "" {
		s += "\nĐơn vị: " + unit
	}
	return s
}

// repUnitName is the name of the unit chosen, from the directive.
func repUnitName(d store.Directive, data map[string]string) string {
	id, _ := strconv.ParseInt(data[keyRepUnit], 10, 64)
	for _, a := range d.Assignments {
		if a.Unit.ID == id {
			return a.Unit.Name
		}
	}
	return ""
}

func (h *Handlers) askRepUnit(ctx context.Context, r *request, c *store.Conversation) (view, error) {
	d, err := h.repDirective(ctx, c)
	if err != nil {
		return view{}, err
	}
	var d2 tghtml.Builder
	d2.Text("🏢 Bạn báo cáo cho đơn vị nào?").NL().Text(repHead(d, "")).NL()
	var k keyboard
	ids := strings.Split(c.Data[keyRepUnits], ",")
	for _, a := range d.Assignments {
		if slices.Contains(ids, strconv.FormatInt(a.Unit.ID, 10)) {
			k.row(choiceButton(tghtml.Truncate(a.Unit.Name, buttonLabelLen), stepRepUnit+"."+strconv.FormatInt(a.Unit.ID, 10)))
		}
	}
	return view{html: d2.String(), kb: k.markup()}, nil
}

func (h *Handlers) answerRepUnit(ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
	v, ok := strings.CutPrefix(in.Choice, stepRepUnit+".")
	if !ok || !slices.Contains(strings.Split(c.Data[keyRepUnits], ","), v) {
		return stepRepUnit, message("⚠️", "Hãy bấm chọn một đơn vị ở trên."), nil
	}
	c.Data[keyRepUnit] = v
	return h.advanceReport(ctx, r, c)
}

func (h *Handlers) askRepConfirm(ctx context.Context, r *request, c *store.Conversation) (view, error) {
	d, err := h.repDirective(ctx, c)
	if err != nil {
		return view{}, err
	}
	var b tghtml.Builder
	b.Text("✅ Xác nhận đơn vị đã hoàn thành?").NL().Text(repHead(d, repUnitName(d, c.Data))).NL()
	if n := c.Data[keyRepNote]; n != "" {
		b.Text("Ghi chú: " + n).NL()
	}
	b.I("Báo cáo sẽ được gửi văn phòng xác nhận.").NL()
	var k keyboard
	k.row(choiceButton("✅ Xác nhận hoàn thành", stepRepConfirm+".yes"))
	return view{html: b.String(), kb: k.markup()}, nil
}

func (h *Handlers) answerRepConfirm(ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
	yes := in.Choice == stepRepConfirm+".yes"
	switch foldWords(in.Text) {
	case "co", "dong y", "xac nhan", "ok", "yes", "vang":
		yes = true
	}
	if !yes {
		return stepRepConfirm, message("⚠️", "Hãy bấm “✅ Xác nhận hoàn thành”, hoặc “✖ Huỷ”."), nil
	}
	c.Data[keyRepQuick] = "1"
	return h.advanceReport(ctx, r, c)
}

func (h *Handlers) askRepPercent(ctx context.Context, r *request, c *store.Conversation) (view, error) {
	d, err := h.repDirective(ctx, c)
	if err != nil {
		return view{}, err
	}
	var b tghtml.Builder
	b.Text("📝 Đơn vị đã làm được bao nhiêu phần trăm?").NL().Text(repHead(d, repUnitName(d, c.Data))).NL()
	b.I("Bấm một mức, hoặc gõ số từ 0 đến 100.").NL()
	var k keyboard
	k.row(choiceButton("25%", stepRepPercent+".25"), choiceButton("50%", stepRepPercent+".50"), choiceButton("75%", stepRepPercent+".75"))
	return view{html: b.String(), kb: k.markup()}, nil
}

func (h *Handlers) answerRepPercent(ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
	text := in.Text
	if v, ok := strings.CutPrefix(in.Choice, stepRepPercent+"."); ok {
		text = v
	} else if in.Choice != "" {
		return stepRepPercent, message("⚠️", "Hãy bấm một mức phần trăm, hoặc gõ số từ 0 đến 100."), nil
	}
	pct, prob := parsePercent(text)
	if prob != "" {
		return stepRepPercent, message("⚠️", prob, "Ví dụ: 60"), nil
	}
	c.Data[keyRepPercent] = strconv.Itoa(pct)
	return h.advanceReport(ctx, r, c)
}

func (h *Handlers) askRepNote(_ context.Context, _ *request, c *store.Conversation) (view, error) {
	return message("✍️", fmt.Sprintf("Ghi chú ngắn về tiến độ (%s%%), tối đa 500 ký tự:", c.Data[keyRepPercent]),
		"Ví dụ: Đã tổ chức 3 buổi tuyên truyền tại các xã biên giới."), nil
}

func (h *Handlers) answerRepNote(ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
	if in.Choice != "" {
		return stepRepNote, message("⚠️", "Hãy gõ ghi chú ngắn về tiến độ."), nil
	}
	if prob := checkNote(in.Text, "ghi chú"); prob != "" {
		return stepRepNote, message("⚠️", prob), nil
	}
	c.Data[keyRepNote] = in.Text
	return h.advanceReport(ctx, r, c)
}

func (h *Handlers) askRepDoc(context.Context, *request, *store.Conversation) (view, error) {
	var k keyboard
	k.row(choiceButton("⏭ Bỏ qua", stepRepDoc+".skip"))
	v := message("📄", "Số văn bản báo cáo, nếu có:", "Ví dụ: 45/BC-UBND. Không có thì bấm “⏭ Bỏ qua”.")
	v.kb = k.markup()
	return v, nil
}

func (h *Handlers) answerRepDoc(ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
	switch {
	case in.Choice == stepRepDoc+".skip":
	case in.Choice != "":
		return stepRepDoc, message("⚠️", "Hãy gõ số văn bản, hoặc bấm “⏭ Bỏ qua”."), nil
	case utf8.RuneCountInString(in.Text) > maxDocLen:
		return stepRepDoc, message("⚠️", fmt.Sprintf("Số văn bản dài quá %d ký tự.", maxDocLen), "Ví dụ: 45/BC-UBND"), nil
	default:
		c.Data[keyRepDoc] = in.Text
	}
	c.Data[keyRepDocAsked] = "1"
	return h.advanceReport(ctx, r, c)
}

// submitReport sends the complete report in data to the office: it waits
// for review. The administrators' chat, if configured, is told.
func (h *Handlers) submitReport(ctx context.Context, r *request, data map[string]string) (view, error) {
	did, _ := strconv.ParseInt(data[keyRepDirective], 10, 64)
	uid, _ := strconv.ParseInt(data[keyRepUnit], 10, 64)
	pct, _ := strconv.Atoi(data[keyRepPercent])
	in := store.ReportInput{DirectiveID: did, UnitID: uid, At: h.deps.Now(), Percent: pct, Done: data[keyRepMode] == modeDone,
		Note: data[keyRepNote], DocNumber: data[keyRepDoc], By: actorOf(r.user)}
	p, err := h.deps.Reports.SubmitReport(ctx, in)
	switch {
	case errors.Is(err, store.ErrReportPending):
		return message("ℹ️", "Đơn vị đã gửi báo cáo hoàn thành chỉ đạo này; báo cáo đang chờ văn phòng xác nhận.", "Không cần gửi lại. Đơn vị sẽ được báo kết quả tại nhóm của đơn vị."), nil
	case errors.Is(err, store.ErrConflict):
		return message("ℹ️", "Phần việc của đơn vị trong chỉ đạo này đã hoàn thành.", "Không cần báo cáo thêm."), nil
	case errors.Is(err, store.ErrNotFound):
		return message("🔍", "Chỉ đạo này không còn giao cho đơn vị.", "Gõ /directives để xem các chỉ đạo."), nil
	case err != nil:
		return view{}, fmt.Errorf("submit report on directive %d: %w", did, err)
	}
	h.notifyAdmins(ctx, r, p)
	var b tghtml.Builder
	if p.Report.Done {
		b.Text("✅ Đã gửi báo cáo hoàn thành chỉ đạo ")
	} else {
		b.Textf("📝 Đã gửi báo cáo tiến độ %d%% chỉ đạo ", p.Report.Percent)
	}
	b.Text(reportDirectiveName(p) + " của " + p.Unit.Name + ".").NL()
	b.Text("Văn phòng sẽ xem và xác nhận; đơn vị sẽ được báo kết quả tại nhóm của đơn vị.").NL()
	var k keyboard
	k.row(button("📌 Xem chỉ đạo", callback{Kind: kindDirective, ID: p.DirectiveID}))
	return view{html: b.String(), kb: k.markup()}, nil
}

// reportDirectiveName names a report's directive: its code, or number.
func reportDirectiveName(p store.PendingReport) string {
	if p.DirectiveCode != "" {
		return p.DirectiveCode
	}
	return "số " + strconv.FormatInt(p.DirectiveID, 10)
}

// notifyAdmins tells the administrators' chat (Config.AdminChatID) of a
// submitted report, with the buttons to review it. A failure is logged.
func (h *Handlers) notifyAdmins(ctx context.Context, r *request, p store.PendingReport) {
	if h.cfg.AdminChatID == 0 {
		return
	}
	var b tghtml.Builder
	b.Text("📥 ").B("Báo cáo mới chờ xác nhận").NL()
	r.rd.pendingItem(&b, p)
	var k keyboard
	k.row(button("✅ Xác nhận", callback{Kind: kindReviewOK, ID: p.Report.ID}), button("↩️ Trả lại", callback{Kind: kindReviewReturn, ID: p.Report.ID}))
	h.tell(ctx, r, h.cfg.AdminChatID, 0, view{html: b.String(), kb: k.markup()})
}

// tell sends v to a chat other than the request's. A failure is logged.
func (h *Handlers) tell(ctx context.Context, r *request, chatID int64, thread int, v view) {
	parts := tghtml.Split(v.html, tghtml.MaxMessageLen)
	for i, part := range parts {
		p := &bot.SendMessageParams{ChatID: chatID, MessageThreadID: thread, Text: part, ParseMode: models.ParseModeHTML, LinkPreviewOptions: noPreview()}
		if v.kb != nil && i == len(parts)-1 {
			p.ReplyMarkup = v.kb
		}
		if _, err := h.deps.Sender.SendMessage(ctx, p); err != nil {
			h.deps.Log.Error("notify chat", "update_id", r.updateID, "chat", chatID, "err", err)
			return
		}
	}
}

// pendingItem writes what a report says: directive, unit, progress,
// note, document, who sent it and when.
func (rd renderer) pendingItem(b *tghtml.Builder, p store.PendingReport) {
	b.Text("📌 ")
	if p.DirectiveCode != "" {
		b.Code(p.DirectiveCode).Text(" ")
	}
	b.Text(tghtml.Truncate(p.DirectiveTitle, listTitleLen)).NL()
	b.Text("   🏢 " + p.Unit.Name + " — ")
	if p.Report.Done {
		b.B("báo cáo đã hoàn thành")
	} else {
		b.B(fmt.Sprintf("tiến độ %d%%", p.Report.Percent))
	}
	if !p.Deadline.IsZero() {
		b.Text(" · Hạn " + fmtDate(p.Deadline))
	}
	b.NL()
	if p.Report.Note != "" {
		b.Text("   Ghi chú: " + tghtml.Truncate(p.Report.Note, 300)).NL()
	}
	if p.Report.DocNumber != "" {
		b.Text("   Văn bản: " + p.Report.DocNumber).NL()
	}
	b.Text("   Gửi lúc " + fmtShortWhen(p.Report.At, rd.loc))
	if p.Report.Reporter != "" {
		b.Text(" · " + p.Report.Reporter)
	}
	b.NL()
}

// reportState marks a report on a directive's card that the office has
// not confirmed: waiting for review, or returned with its reason.
func reportState(b *tghtml.Builder, p store.ProgressReport) {
	switch p.Status {
	case store.ReportPending:
		b.Text(" ").I("— chờ văn phòng xác nhận")
	case store.ReportReturned:
		b.Text(" ").I("— văn phòng đã trả lại")
		if p.ReviewNote != "" {
			b.I(": " + tghtml.Truncate(p.ReviewNote, 120))
		}
	}
	if p.Done && p.Status != store.ReportConfirmed {
		b.Text(" ").I("(báo cáo hoàn thành)")
	}
}
