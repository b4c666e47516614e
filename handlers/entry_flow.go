package handlers

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// The guided conversations of data entry, one per kind of record: a
// step per field, then the summary (stepConfirm: save, change, cancel);
// stepField chooses the field to change, and a directive's edit asks why
// its deadline changed (keyReason). Buttons answer with choices
// "<step>.<value>", so a button left on an earlier question is known
// for what it is and not taken as an answer to the current one.

func init() {
	for _, sp := range entrySpecs {
		steps := map[string]flowStep{}
		for _, f := range sp.fields {
			steps[f.key] = flowStep{
				ask: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation) (view, error) {
					return h.askField(ctx, r, sp, f, c)
				},
				answer: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
					return h.entryAnswer(ctx, r, sp, c, f.key, in, func(v string, text string) (string, view, error) {
						return h.answerField(ctx, r, sp, f, c, v, text)
					})
				},
			}
		}
		steps[stepConfirm] = flowStep{
			ask: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation) (view, error) {
				return h.askConfirm(ctx, r, sp, c)
			},
			answer: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
				return h.entryAnswer(ctx, r, sp, c, stepConfirm, in, func(v, text string) (string, view, error) {
					return h.answerConfirm(ctx, r, sp, c, v, text)
				})
			},
		}
		steps[stepField] = flowStep{
			ask: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation) (view, error) {
				return r.rd.entryFields(sp, c.Data), nil
			},
			answer: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
				return h.entryAnswer(ctx, r, sp, c, stepField, in, func(v, text string) (string, view, error) {
					return answerFieldChoice(sp, c, v, text)
				})
			},
		}
		if sp.record == store.RecordDirective {
			steps[keyReason] = flowStep{
				ask: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation) (view, error) {
					return r.rd.entryReason(sp, c.Data), nil
				},
				answer: func(h *Handlers, ctx context.Context, r *request, c *store.Conversation, in flowInput) (string, view, error) {
					return h.entryAnswer(ctx, r, sp, c, keyReason, in, func(v, text string) (string, view, error) {
						return answerReason(c, v, text)
					})
				},
			}
		}
		registerFlow(&flow{kind: sp.flow, first: sp.asked()[0].key, steps: steps})
	}
}

// entryAnswer takes an answer to step: a button of this step (its
// value without the "<step>." prefix) or typed text, handled by take.
// A button of another step is refused, and the question asked again.
// Moving to another step forgets the list page and search of this one.
func (h *Handlers) entryAnswer(ctx context.Context, r *request, sp *entrySpec, c *store.Conversation, step string, in flowInput,
	take func(value, text string) (string, view, error)) (string, view, error) {
	value := ""
	if in.Choice != "" {
		v, ok := strings.CutPrefix(in.Choice, step+".")
		if !ok {
			return step, message("⚠️", "Nút đó thuộc một câu hỏi trước.", "Hãy trả lời câu hỏi dưới đây."), nil
		}
		value = v
	} else if in.Text == "" {
		return step, message("⚠️", "Hãy gõ câu trả lời, hoặc bấm một nút.", ""), nil
	}
	next, reply, err := take(value, in.Text)
	if err != nil {
		return "", view{}, err
	}
	if next != step {
		delete(c.Data, keyPage)
		delete(c.Data, keyQuery)
		delete(c.Data, keySugg)
	}
	return next, reply, nil
}

// after returns the step after field key was answered: back to the
// summary when reviewing, the reason of a changed deadline, or the next
// field to ask.
func (sp *entrySpec) after(data map[string]string, key string) string {
	if sp.record == store.RecordDirective && key == "deadline" && data[keyMode] == modeEdit && changed(data, "deadline") {
		return keyReason
	}
	if data[keyReview] != "" {
		return stepConfirm
	}
	return sp.nextField(data, key)
}

// Typed words that act like the common buttons.
var (
	skipWords = []string{"bo qua", "khong", "khong co", "skip", "de trong"}
	keepWords = []string{"giu nguyen", "khong doi", "keep"}
)

// answerField takes the answer to field f: value is a button's, text a
// typed answer.
func (h *Handlers) answerField(ctx context.Context, r *request, sp *entrySpec, f *entryField, c *store.Conversation, value, text string) (string, view, error) {
	stay := func(prob string) (string, view, error) {
		if prob == "" {
			return f.key, view{}, nil
		}
		return f.key, message("⚠️", prob, ""), nil
	}
	done := func() (string, view, error) { return sp.after(c.Data, f.key), view{}, nil }
	// read takes the typed text as readValue reads it, or says what is
	// wrong after prefix.
	read := func(prefix string) (string, view, error) {
		fv := &formValues{data: map[string]string{}}
		if prob := sp.readValue(fv, f, text, r.rd.today); prob != "" {
			return stay(prefix + prob)
		}
		maps.Copy(c.Data, fv.data)
		return done()
	}
	folded := foldWords(text)
	switch {
	case value == "keep" || (value == "" && slices.Contains(keepWords, folded) && c.Data[keyReview] != ""):
		return done() // as it is
	case value == "skip" || (value == "" && slices.Contains(skipWords, folded)):
		if f.required {
			return stay(f.label + " là mục bắt buộc.")
		}
		clearField(c.Data, f)
		return done()
	}
	switch f.kind {
	case fieldDay, fieldDeadline:
		if d, ok := strings.CutPrefix(value, "d"); ok {
			if day, err := store.ParseDate(d); err != nil || day.IsZero() {
				return stay("")
			}
			c.Data[f.key] = d
			return done()
		}
		if value == valueStanding && f.kind == fieldDeadline {
			c.Data[f.key] = valueStanding
			return done()
		}
		if value != "" {
			return stay("")
		}
		return read("")
	case fieldClock:
		if hm, ok := strings.CutPrefix(value, "h"); ok && len(hm) == 4 {
			clock, prob := parseClock(hm[:2] + ":" + hm[2:])
			if prob != "" {
				return stay("")
			}
			c.Data[f.key] = clock
			return done()
		}
		if value != "" {
			return stay("")
		}
		return read("")
	case fieldPeriod, fieldYear:
		return read("")
	case fieldProgramKind:
		if i, err := strconv.Atoi(strings.TrimPrefix(value, "k")); value != "" && err == nil && i >= 0 && i < len(programKinds) {
			c.Data[f.key] = programKinds[i]
			return done()
		}
	case fieldUnit, fieldUnits:
		return h.answerUnits(ctx, sp, f, c, value, text)
	case fieldMeeting:
		return h.answerMeeting(ctx, r, sp, f, c, value, text)
	case fieldProgram:
		return h.answerProgram(ctx, sp, f, c, value, text)
	case fieldFlag:
		return answerFlag(sp, f, c, value, text)
	case fieldCode:
		if value == "sugg" && c.Data[keySugg] != "" {
			text, value = c.Data[keySugg], ""
		}
		if text != "" && c.Data[keyMode] == modeNew {
			prob, err := h.codeTaken(ctx, strings.TrimSpace(text))
			if err != nil {
				return "", view{}, err
			}
			if prob != "" {
				delete(c.Data, keySugg) // suggest afresh
				return stay(prob)
			}
		}
	}
	if f.key == "issuer" && value == "chair" {
		c.Data["issuer"] = c.Data[auxMeetingChair]
		if c.Data["ipos"] == "" {
			c.Data["ipos"] = c.Data[auxMeetingChairPos]
		}
		return done()
	}
	if value != "" {
		return stay("") // a button this version does not know
	}
	return read(f.label + ": ")
}

// clearField forgets the answer to f, and what is shown of it.
func clearField(data map[string]string, f *entryField) {
	switch f.kind {
	case fieldMeeting:
		clearMeeting(data)
	case fieldProgram:
		delete(data, auxProgramName)
	}
	delete(data, f.key)
}

// otherRole is the units field whose units a units field excludes (a
// unit leads or co-operates, not both).
func otherRole(sp *entrySpec, key string) string {
	if sp.record != store.RecordDirective {
		return ""
	}
	switch key {
	case "lead":
		return "support"
	case "support":
		return "lead"
	}
	return ""
}

// answerUnits takes the answer of a unit picker: "t<id>" toggles a unit
// (picks it, for one unit), "p<n>" shows page n, "ok" is done; typed
// units replace the choice.
func (h *Handlers) answerUnits(ctx context.Context, sp *entrySpec, f *entryField, c *store.Conversation, value, text string) (string, view, error) {
	done := func() (string, view, error) { return sp.after(c.Data, f.key), view{}, nil }
	switch {
	case strings.HasPrefix(value, "t"):
		id, err := parsePositive(value[1:])
		if err != nil {
			return f.key, view{}, nil
		}
		u, err := h.deps.Store.Unit(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return f.key, message("⚠️", "Đơn vị này không còn trong danh sách.", ""), nil
		}
		if err != nil {
			return "", view{}, fmt.Errorf("load unit %d: %w", id, err)
		}
		if f.kind == fieldUnit {
			c.Data[f.key] = u.Code
			return done()
		}
		codes := splitCodes(c.Data[f.key])
		if i := slices.Index(codes, u.Code); i >= 0 {
			codes = slices.Delete(codes, i, i+1)
		} else {
			codes = append(codes, u.Code)
		}
		c.Data[f.key] = strings.Join(codes, ",")
		return f.key, view{}, nil
	case strings.HasPrefix(value, "p"):
		if n, err := parsePositive(value[1:]); err == nil {
			c.Data[keyPage] = strconv.FormatInt(n, 10)
		}
		return f.key, view{}, nil
	case value == "ok":
		if f.required && c.Data[f.key] == "" {
			return f.key, message("⚠️", "Hãy chọn ít nhất một đơn vị.", ""), nil
		}
		return done()
	case value != "":
		return f.key, view{}, nil
	}
	codes, prob, err := h.unitList(ctx, text)
	if err != nil {
		return "", view{}, err
	}
	if prob == "" && f.kind == fieldUnit && len(codes) > 1 {
		prob = "Chỉ chọn một đơn vị."
	}
	if prob != "" {
		return f.key, message("⚠️", prob, ""), nil
	}
	if other := otherRole(sp, f.key); other != "" {
		for _, code := range codes {
			if slices.Contains(splitCodes(c.Data[other]), code) {
				return f.key, message("⚠️", "Đơn vị “"+code+"” đã là "+strings.ToLower(sp.field(other).label)+".", ""), nil
			}
		}
	}
	c.Data[f.key] = strings.Join(codes, ",")
	return done()
}

// isNone reports the answer "no meeting" or "no program": the picker's
// button, or "none" typed. (The typed skip words, "không", "bỏ qua", are
// taken before: answerField.)
func isNone(value, text string) bool {
	return value == "none" || (value == "" && foldWords(text) == "none")
}

// answerMeeting takes the directive's meeting: "i<id>" or "none" from a
// button; typed, a meeting's number or words of its title (several
// matches are offered as buttons).
func (h *Handlers) answerMeeting(ctx context.Context, r *request, sp *entrySpec, f *entryField, c *store.Conversation, value, text string) (string, view, error) {
	done := func() (string, view, error) { return sp.after(c.Data, f.key), view{}, nil }
	switch {
	case isNone(value, text):
		clearField(c.Data, f)
		return done()
	case strings.HasPrefix(value, "i"):
		id, err := parsePositive(value[1:])
		if err != nil {
			return f.key, view{}, nil
		}
		m, err := h.deps.Store.Meeting(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return f.key, message("⚠️", "Cuộc họp này không còn nữa.", ""), nil
		}
		if err != nil {
			return "", view{}, fmt.Errorf("load meeting %d: %w", id, err)
		}
		setMeeting(c.Data, m, r.rd.loc)
		return done()
	case value != "":
		return f.key, view{}, nil
	}
	var m store.Meeting
	var prob string
	var err error
	if _, isID := parseID(text); isID {
		m, prob, err = h.meetingRef(ctx, text)
	} else {
		// Several matches are offered as buttons; one or none, as
		// meetingRef would say, without searching again.
		var hits []store.SearchHit
		if hits, err = h.searchKind(ctx, text, store.RecordMeeting); err != nil {
			return "", view{}, err
		}
		if len(hits) > 1 {
			c.Data[keyQuery] = tghtml.Truncate(text, 60)
			return f.key, view{}, nil
		}
		m, prob, err = h.meetingOfHits(ctx, text, hits)
	}
	if err != nil {
		return "", view{}, err
	}
	if prob != "" {
		return f.key, message("⚠️", capitalFirst(prob), ""), nil
	}
	setMeeting(c.Data, m, r.rd.loc)
	return done()
}

// answerProgram takes the directive's program, like answerMeeting.
func (h *Handlers) answerProgram(ctx context.Context, sp *entrySpec, f *entryField, c *store.Conversation, value, text string) (string, view, error) {
	done := func() (string, view, error) { return sp.after(c.Data, f.key), view{}, nil }
	switch {
	case isNone(value, text):
		clearField(c.Data, f)
		return done()
	case strings.HasPrefix(value, "p"):
		if n, err := parsePositive(value[1:]); err == nil {
			c.Data[keyPage] = strconv.FormatInt(n, 10)
		}
		return f.key, view{}, nil
	case strings.HasPrefix(value, "i"):
		id, err := parsePositive(value[1:])
		if err != nil {
			return f.key, view{}, nil
		}
		p, err := h.deps.Store.Program(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return f.key, message("⚠️", "Chương trình này không còn nữa.", ""), nil
		}
		if err != nil {
			return "", view{}, fmt.Errorf("load program %d: %w", id, err)
		}
		setProgram(c.Data, p)
		return done()
	case value != "":
		return f.key, view{}, nil
	}
	p, prob, err := h.programRef(ctx, text)
	if err != nil {
		return "", view{}, err
	}
	if prob != "" {
		return f.key, message("⚠️", capitalFirst(prob), ""), nil
	}
	setProgram(c.Data, p)
	return done()
}

// capitalFirst upper-cases the first letter of a problem written to
// follow "Phần 3: ".
func capitalFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// answerConfirm takes the summary's answer: save, or change a field.
func (h *Handlers) answerConfirm(ctx context.Context, r *request, sp *entrySpec, c *store.Conversation, value, text string) (string, view, error) {
	switch folded := foldWords(text); {
	case value == "save" || (value == "" && slices.Contains([]string{"luu", "ok", "save", "dong y"}, folded)):
		// The right to enter data may have been taken away meanwhile.
		admin, err := h.isAdmin(ctx, r)
		if err != nil {
			return "", view{}, err
		}
		if !admin {
			return "", refusedView("lưu "+sp.noun, entryWho), nil
		}
		v, ok, err := h.saveEntry(ctx, r, sp, c)
		if err != nil {
			return "", view{}, err
		}
		if !ok {
			return stepConfirm, v, nil
		}
		return "", v, nil
	case value == "edit" || (value == "" && slices.Contains([]string{"sua", "edit", "sua lai"}, folded)):
		return stepField, view{}, nil
	}
	return stepConfirm, message("ℹ️", "Bấm “💾 Lưu” để lưu, “✏️ Sửa” để sửa một mục, hoặc “✖ Huỷ”.", ""), nil
}

// answerFieldChoice takes the field to change: a button, or its name
// typed.
func answerFieldChoice(sp *entrySpec, c *store.Conversation, value, text string) (string, view, error) {
	if value == "back" {
		return stepConfirm, view{}, nil
	}
	for _, f := range sp.editable(c.Data) {
		if value == f.key || (value == "" && foldWords(text) == foldWords(f.label)) {
			c.Data[keyReview] = "1"
			return f.key, view{}, nil
		}
	}
	if value != "" {
		return stepField, view{}, nil
	}
	return stepField, message("⚠️", "Hãy bấm nút của mục cần sửa.", ""), nil
}

// answerReason takes why a deadline changed.
func answerReason(c *store.Conversation, value, text string) (string, view, error) {
	switch {
	case value == "skip" || (value == "" && slices.Contains(skipWords, foldWords(text))):
		delete(c.Data, keyReason)
	case value != "":
		return keyReason, view{}, nil
	case len([]rune(text)) > maxShort:
		return keyReason, message("⚠️", fmt.Sprintf("Lý do dài %d ký tự, tối đa %d.", len([]rune(text)), maxShort), ""), nil
	default:
		c.Data[keyReason] = text
	}
	return stepConfirm, view{}, nil
}

// --- asking --------------------------------------------------------------------

// askField asks field f, with its buttons: a list to choose from (units,
// meetings, programs), quick days, the suggested code.
func (h *Handlers) askField(ctx context.Context, r *request, sp *entrySpec, f *entryField, c *store.Conversation) (view, error) {
	q := r.rd.newQuestion(sp, f, c.Data)
	today := r.rd.today
	switch f.kind {
	case fieldCode:
		if c.Data[keyMode] == modeNew && c.Data[keySugg] == "" {
			s, err := h.suggestCode(ctx, r, c.Data)
			if err != nil {
				return view{}, err
			}
			c.Data[keySugg] = s
		}
		if s := c.Data[keySugg]; s != "" {
			q.choice("Dùng "+tghtml.Truncate(s, 30), "sugg")
		}
	case fieldDay:
		if f.key == "date" {
			q.day("Hôm nay", today)
			q.day("Ngày mai", today.AddDays(1))
			q.day("+7 ngày", today.AddDays(7))
		} else {
			q.day("Hôm nay", today)
			if md, err := store.ParseDate(c.Data[auxMeetingDay]); err == nil && !md.IsZero() && md != today {
				q.day("Ngày họp", md)
			}
		}
	case fieldDeadline:
		base := today
		if d, ok := deadlineOf(c.Data[keyOrig+f.key]); ok && !d.IsZero() && c.Data[keyMode] == modeEdit {
			base = d
		}
		q.day("+7 ngày", base.AddDays(7))
		q.day("+30 ngày", base.AddDays(30))
		q.day("Cuối tháng", monthEndAfter(base))
		q.choice("♾ Thường xuyên", valueStanding)
	case fieldClock:
		for _, hm := range []string{"07:30", "08:00", "13:30", "14:00"} {
			q.choice(hm, "h"+strings.ReplaceAll(hm, ":", ""))
		}
	case fieldProgramKind:
		for i, k := range programKinds {
			q.choice(wording.ProgramKind(k), "k"+strconv.Itoa(i))
		}
	case fieldUnit, fieldUnits:
		if err := h.unitPicker(ctx, sp, f, c.Data, today, q); err != nil {
			return view{}, err
		}
	case fieldMeeting:
		if err := h.meetingPicker(ctx, r, c.Data, q); err != nil {
			return view{}, err
		}
	case fieldProgram:
		if err := h.programPicker(ctx, c.Data, q); err != nil {
			return view{}, err
		}
	case fieldFlag:
		askFlag(sp, q)
	case fieldText:
		if f.key == "issuer" && c.Data[auxMeetingChair] != "" {
			q.choice("👤 "+tghtml.Truncate(c.Data[auxMeetingChair], 36), "chair")
		}
	}
	v := q.done()
	if f == sp.asked()[0] {
		c.Data[keyTip] = "1" // the one-line form is suggested once
	}
	return v, nil
}

// unitsPerPage is the number of units a picker shows at once.
const unitsPerPage = 8

// unitPicker lists the units to choose from, a page at a time, ticking
// those chosen.
func (h *Handlers) unitPicker(ctx context.Context, sp *entrySpec, f *entryField, data map[string]string, today store.Date, q *question) error {
	us, err := h.deps.Store.Units(ctx, store.UnitFilter{IncludeRetired: true})
	if err != nil {
		return fmt.Errorf("list units: %w", err)
	}
	var exclude []string
	excluded := ""
	if other := otherRole(sp, f.key); other != "" {
		exclude = splitCodes(data[other])
		if len(exclude) > 0 {
			excluded = sp.field(other).label
		}
	}
	chosen := splitCodes(data[f.key])
	names := map[string]string{}
	var list []store.Unit
	for _, u := range us {
		names[u.Code] = u.Name // retired ones too: an old record may name them
		if u.Active(today) && !slices.Contains(exclude, u.Code) {
			list = append(list, u)
		}
	}
	pages := max(1, (len(list)+unitsPerPage-1)/unitsPerPage)
	page, _ := strconv.Atoi(data[keyPage])
	page = min(max(page, 1), pages)
	for _, u := range list[(page-1)*unitsPerPage : min(len(list), page*unitsPerPage)] {
		label := u.Name
		if slices.Contains(chosen, u.Code) {
			label = "✓ " + label
		}
		q.row(q.button(tghtml.Truncate(label, buttonLabelLen), "t"+strconv.FormatInt(u.ID, 10)))
	}
	q.pager(page, pages)
	q.units(f, chosen, names, excluded)
	return nil
}

// meetingPicker offers recent meetings, or those matching what the user
// searched for.
func (h *Handlers) meetingPicker(ctx context.Context, r *request, data map[string]string, q *question) error {
	type item struct {
		id    int64
		day   store.Date
		title string
	}
	var items []item
	if s := data[keyQuery]; s != "" {
		hits, err := h.searchKind(ctx, s, store.RecordMeeting)
		if err != nil {
			return err
		}
		for _, hit := range hits {
			items = append(items, item{hit.ID, hit.Date, hit.Title})
		}
		q.line("Các cuộc họp khớp với “" + s + "”:")
	} else {
		tomorrow := r.rd.today.AddDays(1).Start(r.rd.loc).UTC()
		pg, err := h.deps.Store.Meetings(ctx, store.MeetingFilter{To: tomorrow, Desc: true, Viewer: adminViewer, Limit: choicesMax})
		if err != nil {
			return fmt.Errorf("recent meetings: %w", err)
		}
		for _, m := range pg.Items {
			items = append(items, item{m.ID, store.DateIn(m.StartsAt, r.rd.loc), m.Title})
		}
		if len(items) > 0 {
			q.line("Các cuộc họp gần đây:")
		}
	}
	for _, it := range items {
		label := fmtDate(it.day) + " · " + it.title
		if strconv.FormatInt(it.id, 10) == data[auxMeetingID] {
			label = "✓ " + label
		}
		q.row(q.button(tghtml.Truncate(label, buttonLabelLen), "i"+strconv.FormatInt(it.id, 10)))
	}
	q.row(q.button("🚫 Không gắn với cuộc họp nào", "none"))
	q.hint("Hoặc gõ số cuộc họp, hay vài từ trong tên cuộc họp để tìm.")
	return nil
}

// programsPerPage is the number of programs a picker shows at once.
const programsPerPage = 8

// programPicker lists the programs, a page at a time.
func (h *Handlers) programPicker(ctx context.Context, data map[string]string, q *question) error {
	page, _ := strconv.Atoi(data[keyPage])
	page = max(page, 1)
	pg, err := h.deps.Store.Programs(ctx, store.ProgramFilter{Viewer: adminViewer, Offset: (page - 1) * programsPerPage, Limit: programsPerPage})
	if err != nil {
		return fmt.Errorf("list programs: %w", err)
	}
	for _, p := range pg.Items {
		label := p.Name
		if p.Code == data["program"] {
			label = "✓ " + label
		}
		q.row(q.button(tghtml.Truncate(label, buttonLabelLen), "i"+strconv.FormatInt(p.ID, 10)))
	}
	q.pager(page, max(1, (pg.Total+programsPerPage-1)/programsPerPage))
	q.row(q.button("🚫 Không thuộc chương trình nào", "none"))
	q.hint("Hoặc gõ số, ký hiệu hay vài từ trong tên chương trình.")
	return nil
}

var trailingNumber = regexp.MustCompile(`^(.*?)(\d+)$`)

// suggestCode suggests a code for a new directive that no directive has:
// the next number after the codes of its meeting's directives
// (HNXM-2024/07 → HNXM-2024/08), else CD-<year>/<next number>.
func (h *Handlers) suggestCode(ctx context.Context, r *request, data map[string]string) (string, error) {
	prefix, width, next := "", 2, 1
	consider := func(code string) {
		if m := trailingNumber.FindStringSubmatch(code); m != nil && (prefix == "" || m[1] == prefix) {
			if n, err := strconv.Atoi(m[2]); err == nil && (prefix == "" || n >= next) {
				prefix, width, next = m[1], len(m[2]), n+1
			}
		}
	}
	if id, err := strconv.ParseInt(data[auxMeetingID], 10, 64); err == nil && id > 0 {
		pg, err := h.deps.Store.Directives(ctx, store.DirectiveFilter{MeetingID: id, Viewer: adminViewer, Limit: store.MaxLimit})
		if err != nil {
			return "", fmt.Errorf("directives of meeting %d: %w", id, err)
		}
		for _, d := range pg.Items {
			consider(d.Code)
		}
	}
	if prefix == "" {
		prefix = fmt.Sprintf("CD-%d/", r.rd.today.Year)
		hits, err := h.searchKind(ctx, prefix, store.RecordDirective)
		if err != nil {
			return "", err
		}
		for _, hit := range hits {
			if strings.HasPrefix(hit.Code, prefix) {
				consider(hit.Code)
			}
		}
	}
	for range 20 {
		code := fmt.Sprintf("%s%0*d", prefix, width, next)
		_, err := h.deps.Store.DirectiveByCode(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			return code, nil
		}
		if err != nil {
			return "", fmt.Errorf("look up directive code: %w", err)
		}
		next++
	}
	return "", nil
}

// askConfirm shows the summary of the record before it is saved.
func (h *Handlers) askConfirm(ctx context.Context, r *request, sp *entrySpec, c *store.Conversation) (view, error) {
	names, err := h.unitNames(ctx, sp, c.Data)
	if err != nil {
		return view{}, err
	}
	return r.rd.entrySummary(sp, c.Data, names), nil
}

// unitNames returns the names of the units an answer names, by code
// (nil when no field is about units).
func (h *Handlers) unitNames(ctx context.Context, sp *entrySpec, data map[string]string) (map[string]string, error) {
	need := false
	for _, f := range sp.fields {
		need = need || ((f.kind == fieldUnit || f.kind == fieldUnits) && (data[f.key] != "" || data[keyOrig+f.key] != ""))
	}
	if !need {
		return nil, nil
	}
	us, err := h.deps.Store.Units(ctx, store.UnitFilter{IncludeRetired: true})
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	names := map[string]string{}
	for _, u := range us {
		names[u.Code] = u.Name
	}
	return names, nil
}
