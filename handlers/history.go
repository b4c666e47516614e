package handlers

// /history: a record's audit log, newest first — who, when, what changed
// (old → new), and notes — for those who may see the record.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"meetbot/store"
	"meetbot/tghtml"
)

// historyKinds maps the r field of a history button to the record kind.
var historyKinds = map[string]store.RecordKind{"d": store.RecordDirective, "m": store.RecordMeeting, "p": store.RecordProgram}

// historyCode is the r field of a history button for kind.
func historyCode(kind store.RecordKind) string {
	for c, k := range historyKinds {
		if k == kind {
			return c
		}
	}
	return ""
}

// historyPerPage is the number of entries per page of a history, and
// historyChanges the field changes shown per entry: with each piece cut
// (auditEntry), a page stays under Telegram's 4096 characters.
const (
	historyPerPage = 6
	historyChanges = 4
)

// cmdHistory: /history [họp|chương trình] <số|ký hiệu>.
func (h *Handlers) cmdHistory(ctx context.Context, r *request, args string) (view, error) {
	if h.deps.Reports == nil {
		return message("ℹ️", "Lịch sử thay đổi chưa được bật ở đây.", ""), nil
	}
	sp, ref := parseEditTarget(args)
	if strings.TrimSpace(ref) == "" {
		return usage("history", "Hãy cho biết số hoặc ký hiệu của bản ghi."), nil
	}
	id, miss, err := h.findRecord(ctx, sp, ref)
	if err != nil || id == 0 {
		return miss, err
	}
	v, err := h.showHistory(ctx, r, sp.record, id, 1)
	if errors.Is(err, store.ErrNotFound) {
		// Hidden from this user: the same answer as a missing record.
		return missingRecord(sp.record, ref), nil
	}
	return v, err
}

// missingRecord is findRecord's answer to a record that does not exist.
func missingRecord(kind store.RecordKind, ref string) view {
	ref = strings.TrimSpace(ref)
	switch kind {
	case store.RecordDirective:
		return message("🔍", "Không tìm thấy chỉ đạo “"+tghtml.Truncate(ref, 60)+"”.", "Gõ số hoặc ký hiệu của chỉ đạo (xem /directives), ví dụ 3 hoặc 15/CT-UBND.")
	case store.RecordMeeting:
		id, _ := parseID(ref)
		return message("🔍", fmt.Sprintf("Không tìm thấy cuộc họp số %d.", id), "Gõ /meetings để xem các cuộc họp.")
	}
	return message("🔍", "Không tìm thấy chương trình “"+tghtml.Truncate(ref, 60)+"”.", "Gõ số của chương trình (xem /programs), ví dụ: /edit chương trình 2")
}

// showHistory renders page of record id's audit log, if the user may see
// the record (otherwise an error wrapping ErrNotFound).
func (h *Handlers) showHistory(ctx context.Context, r *request, kind store.RecordKind, id int64, page int) (view, error) {
	if h.deps.Reports == nil {
		return view{}, fmt.Errorf("history without a store: %w", store.ErrNotFound)
	}
	var title string
	switch kind {
	case store.RecordDirective:
		d, err := h.loadDirective(ctx, r, id)
		if err != nil {
			return view{}, fmt.Errorf("load directive %d: %w", id, err)
		}
		title = "chỉ đạo " + directiveName(d) + ": " + d.Title
	case store.RecordMeeting:
		m, err := h.loadMeeting(ctx, r, id)
		if err != nil {
			return view{}, fmt.Errorf("load meeting %d: %w", id, err)
		}
		title = "cuộc họp: " + m.Title
	case store.RecordProgram:
		p, err := h.loadProgram(ctx, r, id)
		if err != nil {
			return view{}, fmt.Errorf("load program %d: %w", id, err)
		}
		title = "chương trình: " + p.Name
	default:
		return view{}, fmt.Errorf("history of %q: %w", kind, errBadCallback)
	}
	es, err := h.deps.Reports.History(ctx, kind, id)
	if err != nil {
		return view{}, fmt.Errorf("history of %s %d: %w", kind, id, err)
	}
	return r.rd.history(kind, id, tghtml.Truncate(title, 150), es, page), nil
}

// history renders a page of audit entries, newest first.
func (rd renderer) history(kind store.RecordKind, id int64, title string, es []store.AuditEntry, page int) view {
	size := historyPerPage
	n := pages(len(es), size)
	page = min(max(page, 1), n)
	from := (page - 1) * size
	var b tghtml.Builder
	b.Text("🕘 ").B("Lịch sử thay đổi").NL().I(title).NL()
	if n > 1 {
		b.Textf("Trang %d/%d · ", page, n)
	}
	b.Textf("%d lần thay đổi, mới nhất trước", len(es)).NL().NL()
	if len(es) == 0 {
		b.I("Chưa có thay đổi nào được ghi lại.").NL()
	}
	for _, e := range es[from:min(from+size, len(es))] {
		rd.auditEntry(&b, e)
		b.NL()
	}
	var k keyboard
	cb := callback{Kind: kindHistory, ID: id, Range: historyCode(kind)}
	sizeRd := rd
	sizeRd.size = size
	k.row(sizeRd.pager(cb, len(es), from)...)
	switch kind {
	case store.RecordDirective:
		k.row(button("📌 Xem chỉ đạo", callback{Kind: kindDirective, ID: id}))
	case store.RecordMeeting:
		k.row(button("🏛 Xem cuộc họp", callback{Kind: kindMeeting, ID: id}))
	case store.RecordProgram:
		k.row(button("📚 Xem chương trình", callback{Kind: kindProgram, ID: id}))
	}
	return view{html: b.String(), kb: k.markup()}
}

// auditActions words the audit log's actions.
var auditActions = map[string]string{
	store.ActionCreated:         "Tạo mới",
	store.ActionUpdated:         "Sửa",
	store.ActionDeadline:        "Đổi thời hạn",
	store.ActionProgress:        "Ghi nhận tiến độ",
	store.ActionReportSubmitted: "Đơn vị gửi báo cáo",
	store.ActionReportConfirmed: "Văn phòng xác nhận báo cáo",
	store.ActionReportReturned:  "Văn phòng trả lại báo cáo",
}

// auditFields names the store's columns as the screens do.
var auditFields = map[string]string{
	"code": "Ký hiệu", "title": "Tiêu đề", "body": "Nội dung", "issuer_name": "Người chỉ đạo", "issuer_position": "Chức vụ người chỉ đạo",
	"issued_on": "Ngày chỉ đạo", "meeting_id": "Cuộc họp", "source_doc": "Văn bản", "program_id": "Chương trình",
	"deadline": "Thời hạn", "deadline_note": "Ghi chú thời hạn", "closed_on": "Ngày kết thúc", "restricted": "Hạn chế",
	"reminders": "Lịch nhắc hạn", "assignments": "Đơn vị thực hiện", "starts_at": "Thời gian", "ends_at": "Giờ kết thúc",
	"place": "Địa điểm", "chair_name": "Người chủ trì", "chair_position": "Chức vụ người chủ trì", "organiser_id": "Đơn vị tổ chức",
	"summary": "Kết quả", "source": "Nguồn", "source_url": "Đường dẫn nguồn", "note": "Ghi chú", "attendees": "Thành phần",
	"name": "Tên", "kind": "Loại", "start_year": "Năm bắt đầu", "end_year": "Năm kết thúc", "vision_year": "Tầm nhìn",
	"owner_id": "Cơ quan chủ trì", "description": "Mô tả",
}

// auditEntry writes one audit entry: when, who, what, the changes and
// the note, each piece cut so that a page stays under Telegram's limit.
func (rd renderer) auditEntry(b *tghtml.Builder, e store.AuditEntry) {
	b.Text("• " + fmtShortWhen(e.At, rd.loc) + " — ").B(tghtml.Truncate(actorName(e.Actor), 60)).NL()
	act := auditActions[e.Action]
	if act == "" {
		act = e.Action
	}
	if e.Unit.Name != "" {
		act += " · " + e.Unit.Name
	}
	b.Text("   " + tghtml.Truncate(act, 120)).NL()
	for i, c := range e.Changes {
		if i == historyChanges {
			b.Textf("   … và %d thay đổi khác", len(e.Changes)-i).NL()
			break
		}
		label := auditFields[c.Field]
		if label == "" {
			label = c.Field
		}
		b.Text("   " + label)
		switch {
		case c.Field == "restricted":
			b.Text(": " + auditFlag(c.Old) + " → " + auditFlag(c.New))
		case c.Old != "" || c.New != "":
			b.Text(": " + auditValue(c.Old, 60) + " → " + auditValue(c.New, 60))
		}
		b.NL()
	}
	if note := strings.TrimSpace(e.Note); note != "" {
		b.Text("   Ghi chú: " + tghtml.Truncate(note, 160)).NL()
	}
}

// actorName is who made a change, as shown.
func actorName(a store.Actor) string {
	switch {
	case a.Name != "":
		return a.Name
	case a.ID != 0:
		return "Telegram " + strconv.FormatInt(a.ID, 10)
	}
	return "hệ thống"
}

// auditValue shows a stored value: days as dd/mm/yyyy, nothing as
// "(trống)", long text cut.
func auditValue(v string, n int) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return "(trống)"
	}
	if d, err := store.ParseDate(v); err == nil && len(v) == len("2006-01-02") {
		return d.DMY()
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.Format("02/01/2006 15:04")
	}
	return "“" + tghtml.Truncate(v, n) + "”"
}
