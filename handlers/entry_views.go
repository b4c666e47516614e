package handlers

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// The views of data entry: questions, the summary, the choice of a field
// to change, and the line a card shows when a deadline has changed.

// summaryValueLen bounds a value shown in a summary.
const summaryValueLen = 300

// question is a data-entry question being drawn: its text and buttons.
type question struct {
	rd      renderer
	sp      *entrySpec
	f       *entryField
	data    map[string]string
	lines   []string
	hints   []string
	k       keyboard
	pending []models.InlineKeyboardButton // quick choices, two a row
	current string                        // the answer so far, shown; "" for none
	noSkip  bool                          // the field's own buttons skip it
}

// newQuestion starts drawing the question of field f.
func (rd renderer) newQuestion(sp *entrySpec, f *entryField, data map[string]string) *question {
	q := &question{rd: rd, sp: sp, f: f, data: data}
	if data[f.key] != "" {
		q.current = displayValue(sp, f, data, "", nil)
	}
	return q
}

// button is a button answering this question with value.
func (q *question) button(label, value string) models.InlineKeyboardButton {
	return choiceButton(label, q.f.key+"."+value)
}

// choice adds a quick answer, two a row.
func (q *question) choice(label, value string) {
	q.pending = append(q.pending, q.button(label, value))
	if len(q.pending) == 2 {
		q.flush()
	}
}

// day adds a quick day, its date in the label.
func (q *question) day(label string, d store.Date) {
	q.choice(label+" · "+d.DMY(), "d"+d.String())
}

func (q *question) flush() {
	q.k.row(q.pending...)
	q.pending = nil
}

// row adds a row of buttons.
func (q *question) row(bs ...models.InlineKeyboardButton) {
	q.flush()
	q.k.row(bs...)
}

// pager adds "‹ Trước", "Trang i/n", "Sau ›" when there are pages.
func (q *question) pager(page, pages int) {
	if pages <= 1 {
		return
	}
	var row []models.InlineKeyboardButton
	if page > 1 {
		row = append(row, q.button("‹ Trước", "p"+strconv.Itoa(page-1)))
	}
	row = append(row, button(fmt.Sprintf("Trang %d/%d", page, pages), callback{Kind: kindNoop}))
	if page < pages {
		row = append(row, q.button("Sau ›", "p"+strconv.Itoa(page+1)))
	}
	q.row(row...)
}

// line adds a line of text under the question.
func (q *question) line(s string) { q.lines = append(q.lines, s) }

// hint adds an italic hint at the end.
func (q *question) hint(s string) { q.hints = append(q.hints, s) }

// units draws what a unit picker says: the units chosen, how to choose,
// which units the list leaves out (excluded: the other role's label, if
// any), and for several units the "Xong" button.
func (q *question) units(f *entryField, chosen []string, names map[string]string, excluded string) {
	ns := unitLabels(chosen, names)
	q.current = ""
	if f.kind == fieldUnits {
		if len(ns) > 0 {
			q.line(fmt.Sprintf("Đã chọn (%d): %s", len(ns), strings.Join(ns, "; ")))
		} else {
			q.line("Chưa chọn đơn vị nào.")
		}
		label := "✅ Xong"
		if len(ns) == 0 && !f.required {
			label = "⏭ Bỏ qua"
		}
		q.row(q.button(label, "ok"))
		q.noSkip = true
		q.hint("Bấm tên đơn vị để chọn hoặc bỏ chọn, rồi bấm “Xong”. Hoặc gõ ký hiệu, tên hay tên gọi tắt, cách nhau bằng dấu phẩy (thay cho lựa chọn trên), ví dụ: xin-man, meo vac.")
	} else {
		if len(ns) > 0 {
			q.current = ns[0]
		}
		q.hint("Bấm tên đơn vị, hoặc gõ ký hiệu, tên hay tên gọi tắt, ví dụ: bdbp.")
	}
	if excluded != "" {
		q.hint("Các đơn vị đã là " + strings.ToLower(excluded) + " không có trong danh sách này.")
	}
}

// unitLabels shows units by name (names: by code), or by code when the
// name is not known.
func unitLabels(codes []string, names map[string]string) []string {
	var out []string
	for _, c := range codes {
		out = append(out, cmp.Or(names[c], c))
	}
	return out
}

// done returns the question as a view.
func (q *question) done() view {
	q.flush()
	f, data := q.f, q.data
	review := data[keyReview] != ""
	// Skipping: "Bỏ qua" while creating, "Để trống" to clear a value when
	// changing one; a picker of several units skips with its own button,
	// and meetings and programs offer "none".
	canSkip := !f.required && !q.noSkip && f.kind != fieldMeeting && f.kind != fieldProgram && !(f.kind == fieldFlag && review)
	skipHint := canSkip && !review && data[f.key] == ""
	var bottom []models.InlineKeyboardButton
	switch {
	case skipHint:
		bottom = append(bottom, q.button("⏭ Bỏ qua", "skip"))
	case canSkip && review && data[f.key] != "":
		bottom = append(bottom, q.button("🗑 Để trống", "skip"))
	}
	if review && !q.noSkip {
		bottom = append(bottom, q.button("↩ Giữ nguyên", "keep"))
	}
	q.k.row(bottom...)

	var d tghtml.Builder
	q.rd.entryHead(&d, q.sp, data, f)
	d.Text("❓ ").B(f.question).NL()
	if q.current != "" {
		d.Text("Hiện tại: " + tghtml.Truncate(q.current, summaryValueLen)).NL()
	}
	for _, l := range q.lines {
		d.Text(l).NL()
	}
	if f.example != "" {
		d.I("Ví dụ: " + f.example).NL()
	}
	for _, h := range q.hints {
		d.I(h).NL()
	}
	switch {
	case skipHint && f.kind == fieldFlag:
		d.I("Bấm “Bỏ qua” thì " + q.sp.noun + " này công khai.").NL()
	case skipHint:
		d.I("Không có thì bấm “Bỏ qua”.").NL()
	}
	if data[keyMode] == modeNew && data[keyTip] == "" && data[keyQuick] == "" && f == q.sp.asked()[0] {
		d.NL().Text("💡 Lần sau có thể gõ một dòng, ví dụ: ").Code(q.sp.example).NL()
		d.Text("Gõ /" + q.sp.cmd + " ? để xem cách viết.").NL()
	}
	return view{html: d.String(), kb: q.k.markup()}
}

// entryHead writes the first line of a data-entry message: which record,
// and for a new one's questions, which step of how many.
func (rd renderer) entryHead(d *tghtml.Builder, sp *entrySpec, data map[string]string, f *entryField) {
	if data[keyMode] == modeEdit {
		d.Text("✏️ ").B("Sửa " + sp.noun + " " + data[keyHead]).NL()
	} else {
		d.Text(sp.icon + " ").B(capitalFirst(sp.noun) + " mới")
		if f != nil && data[keyQuick] == "" && data[keyReview] == "" {
			for i, a := range sp.asked() {
				if a == f {
					d.Textf(" · bước %d/%d", i+1, len(sp.asked()))
				}
			}
		}
		d.NL()
	}
	d.NL()
}

// displayValue shows the answer to f, a field of sp (prefix keyOrig: the
// value before the edit); names gives units' names by code. A flag is
// always shown, set or not.
func displayValue(sp *entrySpec, f *entryField, data map[string]string, prefix string, names map[string]string) string {
	v := data[prefix+f.key]
	if f.kind == fieldFlag {
		return flagText(sp, v)
	}
	if v == "" {
		return ""
	}
	switch f.kind {
	case fieldDay:
		if d, err := store.ParseDate(v); err == nil {
			return d.DMY()
		}
	case fieldDeadline:
		if d, ok := deadlineOf(v); ok {
			return capitalFirst(deadlineText(d))
		}
	case fieldUnit, fieldUnits:
		return strings.Join(unitLabels(splitCodes(v), names), "; ")
	case fieldMeeting:
		s := data[prefix+auxMeetingTitle]
		if d, err := store.ParseDate(data[prefix+auxMeetingDay]); err == nil && !d.IsZero() {
			s += " (" + d.DMY() + ")"
		}
		return s
	case fieldProgram:
		return data[prefix+auxProgramName]
	case fieldPeriod:
		start, end := periodOf(v)
		return fmtPeriod(store.Program{StartYear: start, EndYear: end})
	case fieldProgramKind:
		return wording.ProgramKind(v)
	}
	return v
}

// entrySummary is the summary asked before saving: every field of a new
// record, or what an edit changed (before and after).
func (rd renderer) entrySummary(sp *entrySpec, data map[string]string, names map[string]string) view {
	var d tghtml.Builder
	var k keyboard
	edit := data[keyMode] == modeEdit
	if edit {
		d.Text("✏️ ").B("Sửa " + sp.noun + " " + data[keyHead] + " — kiểm tra trước khi lưu").NL().NL()
	} else {
		d.Text("📝 ").B(capitalFirst(sp.noun) + " mới — kiểm tra trước khi lưu").NL().NL()
	}
	n := 0
	for _, f := range sp.fields {
		v := displayValue(sp, f, data, "", names)
		if edit {
			if !changed(data, f.key) {
				continue
			}
			n++
			d.B(f.label + ":").Text(" " + orDash(tghtml.Truncate(v, summaryValueLen))).NL()
			d.Text("   ").I("trước đây: " + orDash(tghtml.Truncate(displayValue(sp, f, data, keyOrig, names), summaryValueLen))).NL()
			continue
		}
		if f.extra && v == "" {
			continue
		}
		d.B(f.label + ":").Text(" " + orDash(tghtml.Truncate(v, summaryValueLen))).NL()
	}
	if edit && data[keyReason] != "" && changed(data, "deadline") {
		d.B("Lý do đổi hạn:").Text(" " + data[keyReason]).NL()
	}
	if edit && n == 0 {
		d.I("Chưa sửa mục nào.").NL()
		k.row(choiceButton("✏️ Sửa", stepConfirm+".edit"))
		return view{html: d.String(), kb: k.markup()}
	}
	d.NL().I("Bấm “💾 Lưu” để lưu, “✏️ Sửa” để sửa một mục.").NL()
	k.row(choiceButton("💾 Lưu", stepConfirm+".save"), choiceButton("✏️ Sửa", stepConfirm+".edit"))
	return view{html: d.String(), kb: k.markup()}
}

// orDash shows an empty value as "—".
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// entryFields asks which field to change.
func (rd renderer) entryFields(sp *entrySpec, data map[string]string) view {
	var d tghtml.Builder
	var k keyboard
	rd.entryHead(&d, sp, data, nil)
	d.Text("❓ ").B("Sửa mục nào?").NL()
	var row []models.InlineKeyboardButton
	for _, f := range sp.editable(data) {
		label := f.label
		if data[keyMode] == modeEdit && changed(data, f.key) {
			label = "✎ " + label
		}
		row = append(row, choiceButton(label, stepField+"."+f.key))
		if len(row) == 2 {
			k.row(row...)
			row = nil
		}
	}
	k.row(row...)
	k.row(choiceButton("‹ Xem lại", stepField+".back"))
	return view{html: d.String(), kb: k.markup()}
}

// entryReason asks why a directive's deadline changes.
func (rd renderer) entryReason(sp *entrySpec, data map[string]string) view {
	var d tghtml.Builder
	var k keyboard
	rd.entryHead(&d, sp, data, nil)
	old, _ := deadlineOf(data[keyOrig+"deadline"])
	now, _ := deadlineOf(data["deadline"])
	d.Text("Thời hạn: " + deadlineText(old) + " → " + deadlineText(now)).NL()
	d.Text("❓ ").B("Lý do đổi hạn?").NL()
	d.I("Ví dụ: Chờ ý kiến của phía bạn về thủ tục mở lối thông quan").NL()
	k.row(choiceButton("⏭ Bỏ qua", keyReason+".skip"))
	return view{html: d.String(), kb: k.markup()}
}

// saved is a confirmation line above the card of the record saved.
func (rd renderer) saved(note string, card view) view {
	var d tghtml.Builder
	d.Text("✅ " + note)
	card.html = d.String() + "\n\n" + card.html
	card.notice = ""
	return card
}

// originalDeadline is what a card says of a deadline that has changed:
// "Hạn ban đầu: 31/05/2024 · đã đổi hạn 2 lần (gần nhất: lý do)"; ""
// when it never changed.
func originalDeadline(hist []store.DeadlineChange) string {
	if len(hist) == 0 {
		return ""
	}
	s := fmt.Sprintf("Hạn ban đầu: %s · đã đổi hạn %d lần", deadlineText(hist[0].From), len(hist))
	if last := hist[len(hist)-1]; last.Reason != "" {
		s += " (lần gần nhất: " + tghtml.Truncate(last.Reason, noteLen) + ")"
	}
	return s
}
