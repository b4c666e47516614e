package handlers

// Data entry in chat: the office's administrators create meetings,
// directives and programs in guided conversations (one question at a
// time, entry_flow.go) or with one-line forms (entry_form.go), change
// them field by field, and extend deadlines. Every save goes through the
// store's Import (or ChangeDeadline, which keeps the deadline's history)
// with the administrator as the actor, so the store audits it.
//
// Files: entry.go (commands, buttons, loading and saving records),
// entry_fields.go (the fields of each kind of record), entry_flow.go (the
// conversations), entry_form.go (one-line forms), entry_input.go (reading
// typed days, times, years and units), entry_views.go (rendering).

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
)

// Editor is the write side data entry uses. store.Store satisfies it:
// the SQL store, or the cache in front of it (whose writes invalidate).
type Editor interface {
	Import(ctx context.Context, ds *store.Dataset, by store.Actor) (store.ImportResult, error)
	ChangeDeadline(ctx context.Context, d store.DeadlineInput) (store.Directive, error)
	Export(ctx context.Context, f store.ExportFilter) (*store.Dataset, error)
}

// Buttons of data entry on a record's card (admins only); each carries
// the record's id (1:ed:i42).
const (
	kindEditMeeting   cbKind = "em"
	kindEditDirective cbKind = "ed"
	kindEditProgram   cbKind = "ep"
	kindExtend        cbKind = "ex"
)

// isEntryKind reports whether k is a data-entry button.
func isEntryKind(k cbKind) bool {
	switch k {
	case kindEditMeeting, kindEditDirective, kindEditProgram, kindExtend:
		return true
	}
	return false
}

// entryWho says who may enter data, in refusals.
const entryWho = officeAdminWho

// adminViewer sees every record: data entry lists and checks keys over
// all of them, restricted ones included.
var adminViewer = store.NewViewer(true)

// entryGate returns the reply to a data-entry request that cannot go on
// (ok false): a user who is not an administrator, or a front end without
// writes or conversations.
func (h *Handlers) entryGate(ctx context.Context, r *request, what string) (v view, ok bool, err error) {
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		return view{}, false, err
	}
	if !admin {
		return refusedView(what, entryWho), false, nil
	}
	if h.deps.Editor == nil || h.deps.Conversations == nil {
		return message("ℹ️", "Nhập và sửa dữ liệu chưa được bật ở đây.", "Hãy dùng bot trên Telegram, hoặc lệnh meetbot import."), false, nil
	}
	return view{}, true, nil
}

// actorOf is who a change is audited as: the Telegram user, by name.
func actorOf(u models.User) store.Actor {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" && u.Username != "" {
		name = "@" + u.Username
	}
	if name == "" {
		name = "Telegram " + strconv.FormatInt(u.ID, 10)
	}
	return store.Actor{ID: u.ID, Name: name}
}

// --- commands ------------------------------------------------------------

// cmdNewMeeting: /newmeeting [one-line form].
func (h *Handlers) cmdNewMeeting(ctx context.Context, r *request, args string) (view, error) {
	return h.cmdNew(ctx, r, meetingSpec, args)
}

// cmdNewDirective: /newdirective [one-line form].
func (h *Handlers) cmdNewDirective(ctx context.Context, r *request, args string) (view, error) {
	return h.cmdNew(ctx, r, directiveSpec, args)
}

// cmdNewProgram: /newprogram [one-line form].
func (h *Handlers) cmdNewProgram(ctx context.Context, r *request, args string) (view, error) {
	return h.cmdNew(ctx, r, programSpec, args)
}

// cmdNew starts creating a record: without arguments the guided
// conversation from its first question; with a one-line form, the
// conversation with the form's answers, asking only the required fields
// the form lacks, then the summary.
func (h *Handlers) cmdNew(ctx context.Context, r *request, sp *entrySpec, args string) (view, error) {
	if v, ok, err := h.entryGate(ctx, r, "nhập "+sp.noun+" mới"); !ok || err != nil {
		return v, err
	}
	if isHelpArg(args) {
		return sp.formUsage(""), nil
	}
	data := map[string]string{keyMode: modeNew}
	step := ""
	if strings.TrimSpace(args) != "" {
		fv, prob := sp.parseForm(args, r.rd.today)
		if prob == nil {
			var err error
			if prob, err = h.resolveForm(ctx, sp, fv); err != nil {
				return view{}, err
			}
		}
		if prob != nil {
			return sp.formUsage(prob.String()), nil
		}
		maps.Copy(data, fv.data)
		data[keyQuick] = "1"
		step = sp.nextField(data, "")
	}
	return h.startFlowAt(ctx, r, sp.flow, step, data)
}

// isHelpArg reports a request for a command's grammar: "?", "help".
func isHelpArg(args string) bool {
	switch foldWords(args) {
	case "help", "huong dan", "cach dung":
		return true
	}
	return strings.TrimSpace(args) == "?"
}

// editTargetWords name the kind of record /edit changes, folded.
var editTargetWords = map[string]*entrySpec{
	"hop": meetingSpec, "cuoc hop": meetingSpec, "hoi nghi": meetingSpec, "meeting": meetingSpec,
	"chi dao": directiveSpec, "nhiem vu": directiveSpec, "directive": directiveSpec,
	"chuong trinh": programSpec, "de an": programSpec, "ct": programSpec, "program": programSpec,
}

// parseEditTarget reads what follows /edit: an optional kind ("họp",
// "chương trình"; a directive by default) and the record's number or
// code.
func parseEditTarget(args string) (*entrySpec, string) {
	fields := strings.Fields(args)
	for n := min(2, len(fields)); n >= 1; n-- {
		if sp, ok := editTargetWords[foldWords(strings.Join(fields[:n], " "))]; ok {
			return sp, strings.Join(fields[n:], " ")
		}
	}
	return directiveSpec, strings.Join(fields, " ")
}

// cmdEdit: /edit [họp|chương trình] <số|ký hiệu>: choose a field, answer
// it, save.
func (h *Handlers) cmdEdit(ctx context.Context, r *request, args string) (view, error) {
	if v, ok, err := h.entryGate(ctx, r, "sửa dữ liệu"); !ok || err != nil {
		return v, err
	}
	sp, ref := parseEditTarget(args)
	if ref == "" {
		return usage("edit", "Hãy cho biết số hoặc ký hiệu của bản ghi cần sửa."), nil
	}
	id, miss, err := h.findRecord(ctx, sp, ref)
	if err != nil || id == 0 {
		return miss, err
	}
	return h.startEdit(ctx, r, sp, id, stepField)
}

// findRecord resolves a record's number or code; when none matches it
// returns the reply saying so.
func (h *Handlers) findRecord(ctx context.Context, sp *entrySpec, ref string) (int64, view, error) {
	ref = strings.TrimSpace(ref)
	id, isID := parseID(ref)
	switch sp.record {
	case store.RecordDirective:
		d, miss, err := h.findDirective(ctx, ref)
		return d.ID, miss, err
	case store.RecordMeeting:
		if !isID {
			return 0, message("🔍", "Hãy gõ số của cuộc họp (xem /meetings), ví dụ: /edit họp 2", ""), nil
		}
		if _, err := h.deps.Store.Meeting(ctx, id); errors.Is(err, store.ErrNotFound) {
			return 0, message("🔍", fmt.Sprintf("Không tìm thấy cuộc họp số %d.", id), "Gõ /meetings để xem các cuộc họp."), nil
		} else if err != nil {
			return 0, view{}, fmt.Errorf("load meeting %d: %w", id, err)
		}
		return id, view{}, nil
	default:
		p, err := h.programByRef(ctx, ref)
		if err != nil {
			return 0, view{}, err
		}
		if p.ID == 0 {
			return 0, message("🔍", "Không tìm thấy chương trình “"+tghtml.Truncate(ref, 60)+"”.", "Gõ số của chương trình (xem /programs), ví dụ: /edit chương trình 2"), nil
		}
		return p.ID, view{}, nil
	}
}

// findDirective resolves a directive's number or code; when none
// matches it returns the reply saying so (and the zero Directive).
func (h *Handlers) findDirective(ctx context.Context, ref string) (store.Directive, view, error) {
	ref = strings.TrimSpace(ref)
	if id, isID := parseID(ref); isID {
		d, err := h.deps.Store.Directive(ctx, id)
		if err == nil {
			return d, view{}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.Directive{}, view{}, fmt.Errorf("load directive %d: %w", id, err)
		}
	}
	d, err := h.deps.Store.DirectiveByCode(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return store.Directive{}, message("🔍", "Không tìm thấy chỉ đạo “"+tghtml.Truncate(ref, 60)+"”.", "Gõ số hoặc ký hiệu của chỉ đạo (xem /directives), ví dụ 3 hoặc 15/CT-UBND."), nil
	}
	if err != nil {
		return store.Directive{}, view{}, fmt.Errorf("load directive by code: %w", err)
	}
	return d, view{}, nil
}

// programByRef finds a program by number or code; none gives the zero
// Program.
func (h *Handlers) programByRef(ctx context.Context, ref string) (store.Program, error) {
	if id, ok := parseID(ref); ok {
		p, err := h.deps.Store.Program(ctx, id)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			if err != nil {
				return store.Program{}, fmt.Errorf("load program %d: %w", id, err)
			}
			return p, nil
		}
	}
	return h.programByCode(ctx, ref)
}

// programByCode finds a program by code, in any case; none gives the
// zero Program.
func (h *Handlers) programByCode(ctx context.Context, code string) (store.Program, error) {
	ps, err := h.allPrograms(ctx)
	if err != nil {
		return store.Program{}, err
	}
	for _, p := range ps {
		if strings.EqualFold(p.Code, strings.TrimSpace(code)) {
			return p, nil
		}
	}
	return store.Program{}, nil
}

// allPrograms lists every program (they are few: tens, not thousands).
func (h *Handlers) allPrograms(ctx context.Context) ([]store.Program, error) {
	var out []store.Program
	for off := 0; ; off += store.MaxLimit {
		pg, err := h.deps.Store.Programs(ctx, store.ProgramFilter{Viewer: adminViewer, Offset: off, Limit: store.MaxLimit})
		if err != nil {
			return nil, fmt.Errorf("list programs: %w", err)
		}
		out = append(out, pg.Items...)
		if !pg.HasNext() || len(pg.Items) == 0 {
			return out, nil
		}
	}
}

// reasonPrefix is what may introduce /extend's reason: "lý do:", "vì",
// as whole words (a reason may start "việc …", "viện …").
var reasonPrefix = regexp.MustCompile(`^(?i)(?:lý do|ly do|vì|vi)(?:\s*:|\s|$)\s*`)

// cmdExtend: /extend <số|ký hiệu> <dd/mm/yyyy|+N|cuối tháng|thường xuyên>
// [lý do]. Without a day it asks for one.
func (h *Handlers) cmdExtend(ctx context.Context, r *request, args string) (view, error) {
	if v, ok, err := h.entryGate(ctx, r, "gia hạn chỉ đạo"); !ok || err != nil {
		return v, err
	}
	ref, dayText, reason := splitExtendArgs(args)
	if ref == "" {
		return usage("extend", "Hãy cho biết số hoặc ký hiệu của chỉ đạo và thời hạn mới."), nil
	}
	d, miss, err := h.findDirective(ctx, ref)
	if err != nil || d.ID == 0 {
		return miss, err
	}
	if dayText == "" {
		return h.startEdit(ctx, r, directiveSpec, d.ID, "deadline")
	}
	base := r.rd.today
	if !d.Deadline.IsZero() {
		base = d.Deadline
	}
	day, _, prob := parseDayInput(dayText, r.rd.today, base, true) // standing: the zero Date
	if prob != "" {
		return usage("extend", prob), nil
	}
	if day == d.Deadline {
		return message("ℹ️", "Thời hạn của chỉ đạo đã là "+deadlineText(d.Deadline)+".", "Không có gì thay đổi."), nil
	}
	note, err := h.moveDeadline(ctx, r, d, day, reason)
	if err != nil {
		return view{}, err
	}
	return h.withCard(ctx, r, note, store.RecordDirective, d.ID)
}

// splitExtendArgs splits /extend's arguments: "ref day reason", where
// the day is the longest run of up to three words after ref that reads
// as one; '|' may separate the parts ("ref | day | reason", "ref day |
// reason").
func splitExtendArgs(args string) (ref, day, reason string) {
	if head, tail, ok := strings.Cut(args, "|"); ok {
		if len(strings.Fields(head)) == 1 { // ref | day [| reason]
			day, reason, _ := strings.Cut(tail, "|")
			return strings.TrimSpace(head), strings.TrimSpace(day), cleanReason(reason)
		}
		ref, day, reason := splitExtendArgs(head) // ref day | reason
		return ref, day, cleanReason(strings.TrimSpace(reason + " " + strings.ReplaceAll(tail, "|", " ")))
	}
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return "", "", ""
	}
	ref, rest := fields[0], fields[1:]
	probe := store.Date{Year: 2000, Month: 1, Day: 1}
	for n := min(3, len(rest)); n >= 1; n-- {
		if len(store.Tokens(rest[n-1])) == 0 {
			continue // "cuối tháng -": the dash starts the reason
		}
		text := strings.Join(rest[:n], " ")
		if _, _, prob := parseDayInput(text, probe, probe, true); prob == "" {
			return ref, text, cleanReason(strings.Join(rest[n:], " "))
		}
	}
	if len(rest) == 0 {
		return ref, "", ""
	}
	// Not a day: say so about the first word.
	return ref, rest[0], cleanReason(strings.Join(rest[1:], " "))
}

// cleanReason drops "lý do:" and separators before a reason.
func cleanReason(s string) string {
	s = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "-–:,"))
	return strings.TrimSpace(reasonPrefix.ReplaceAllString(s, ""))
}

// moveDeadline moves d's deadline to day through the store, which keeps
// the old one in the history, and returns the line that says so.
func (h *Handlers) moveDeadline(ctx context.Context, r *request, d store.Directive, day store.Date, reason string) (string, error) {
	_, err := h.deps.Editor.ChangeDeadline(ctx, store.DeadlineInput{DirectiveID: d.ID, Deadline: day, Reason: reason, By: actorOf(r.user), At: h.deps.Now()})
	if err != nil {
		return "", fmt.Errorf("change deadline of directive %d: %w", d.ID, err)
	}
	verb := "Đã gia hạn"
	if !d.Deadline.IsZero() && (day.IsZero() || day.Before(d.Deadline)) {
		verb = "Đã đổi hạn"
	}
	return verb + " chỉ đạo " + directiveName(d) + ": " + deadlineText(d.Deadline) + " → " + deadlineText(day) + ".", nil
}

// directiveName is how a directive is named in a line: its code, or its
// number.
func directiveName(d store.Directive) string {
	if d.Code != "" {
		return d.Code
	}
	return "số " + strconv.FormatInt(d.ID, 10)
}

// withCard returns a confirmation line above the record's card.
func (h *Handlers) withCard(ctx context.Context, r *request, note string, kind store.RecordKind, id int64) (view, error) {
	var card view
	var err error
	switch kind {
	case store.RecordDirective:
		card, err = h.showDirective(ctx, r, id)
	case store.RecordMeeting:
		card, err = h.showMeeting(ctx, r, id)
	default:
		card, err = h.showProgram(ctx, r, id)
	}
	if err != nil {
		return view{}, err
	}
	return r.rd.saved(note, card), nil
}

// --- buttons on cards ------------------------------------------------------

// entryButtons adds the data-entry row ("✏️ Sửa", and "⏰ Gia hạn" for a
// directive) to a record's card when the user is an administrator. A
// card in an inline message has no chat to hold a conversation: none
// there.
func (h *Handlers) entryButtons(ctx context.Context, r *request, v view, kind store.RecordKind, id int64) view {
	if r.chatID == 0 || h.deps.Editor == nil || h.deps.Conversations == nil {
		return v
	}
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		h.deps.Log.Error("look up admin for card buttons", "update_id", r.updateID, "err", err)
		return v
	}
	if !admin {
		return v
	}
	var row []models.InlineKeyboardButton
	switch kind {
	case store.RecordDirective:
		row = append(row, button("✏️ Sửa", callback{Kind: kindEditDirective, ID: id}), button("⏰ Gia hạn", callback{Kind: kindExtend, ID: id}))
	case store.RecordMeeting:
		row = append(row, button("✏️ Sửa", callback{Kind: kindEditMeeting, ID: id}))
	case store.RecordProgram:
		row = append(row, button("✏️ Sửa", callback{Kind: kindEditProgram, ID: id}))
	}
	var k keyboard
	if v.kb != nil {
		k.rows = slices.Clone(v.kb.InlineKeyboard)
	}
	k.row(row...)
	v.kb = k.markup()
	return v
}

// onEntryButton answers "✏️ Sửa" and "⏰ Gia hạn": the conversation
// starts below the card, which stays as it is. It returns the views to
// send and the notice to answer the button with.
func (h *Handlers) onEntryButton(ctx context.Context, r *request, cb callback) ([]view, string) {
	if r.chatID == 0 {
		return nil, "Hãy mở chat riêng với bot để sửa."
	}
	sp, step := directiveSpec, stepField
	switch cb.Kind {
	case kindEditMeeting:
		sp = meetingSpec
	case kindEditProgram:
		sp = programSpec
	case kindExtend:
		step = "deadline"
	}
	v, ok, err := h.entryGate(ctx, r, "sửa dữ liệu")
	if err == nil && ok {
		v, err = h.startEdit(ctx, r, sp, cb.ID, step)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, expiredNotice
	}
	if err != nil {
		return []view{h.errorView(r, err)}, ""
	}
	return []view{v}, ""
}

// --- loading and saving ------------------------------------------------------

// startEdit starts the conversation that changes record id at step:
// the record's values become the answers, and the originals are kept to
// show what changed.
func (h *Handlers) startEdit(ctx context.Context, r *request, sp *entrySpec, id int64, step string) (view, error) {
	data, err := h.loadEntry(ctx, r, sp, id)
	if err != nil {
		return view{}, err
	}
	for k, v := range maps.Clone(data) {
		data[keyOrig+k] = v
	}
	data[keyMode], data[keyID], data[keyReview] = modeEdit, strconv.FormatInt(id, 10), "1"
	return h.startFlowAt(ctx, r, sp.flow, step, data)
}

// loadEntry returns a stored record as answers (see entryField for each
// kind's form), with keyHead naming the record in questions.
func (h *Handlers) loadEntry(ctx context.Context, r *request, sp *entrySpec, id int64) (map[string]string, error) {
	loc := r.rd.loc
	data := map[string]string{}
	set := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			data[k] = v
		}
	}
	switch sp.record {
	case store.RecordDirective:
		d, err := h.deps.Store.Directive(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("load directive %d: %w", id, err)
		}
		set(keyHead, directiveName(d))
		set("code", d.Code)
		set("title", d.Title)
		set("body", d.Body)
		set("issuer", d.IssuerName)
		set("ipos", d.IssuerPosition)
		set("issued", d.IssuedOn.String())
		set("doc", d.SourceDoc)
		set("dnote", d.DeadlineNote)
		set("deadline", deadlineValue(d.Deadline))
		restrictedData(data, d.Restricted)
		var lead, support []string
		for _, a := range d.Assignments {
			if a.Role == store.RoleSupport {
				support = append(support, a.Unit.Code)
			} else {
				lead = append(lead, a.Unit.Code)
			}
		}
		set("lead", strings.Join(lead, ","))
		set("support", strings.Join(support, ","))
		if d.MeetingID != 0 {
			m, err := h.deps.Store.Meeting(ctx, d.MeetingID)
			if err != nil {
				return nil, fmt.Errorf("load meeting %d of directive %d: %w", d.MeetingID, id, err)
			}
			setMeeting(data, m, loc)
		}
		if d.ProgramID != 0 {
			p, err := h.deps.Store.Program(ctx, d.ProgramID)
			if err != nil {
				return nil, fmt.Errorf("load program %d of directive %d: %w", d.ProgramID, id, err)
			}
			setProgram(data, p)
		}
	case store.RecordMeeting:
		m, err := h.deps.Store.Meeting(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("load meeting %d: %w", id, err)
		}
		set(keyHead, tghtml.Truncate(m.Title, 60))
		set("title", m.Title)
		set("date", store.DateIn(m.StartsAt, loc).String())
		if hasClock(m.StartsAt, loc) {
			set("time", m.StartsAt.In(loc).Format("15:04"))
		}
		set("place", m.Place)
		set("chair", m.ChairName)
		set("cpos", m.ChairPosition)
		set("org", m.Organiser.Code)
		var att []string
		for _, u := range m.Attendees {
			att = append(att, u.Code)
		}
		set("att", strings.Join(att, ","))
		set("summary", m.Summary)
		set("source", m.Source)
		set("url", m.SourceURL)
		restrictedData(data, m.Restricted)
	default:
		p, err := h.deps.Store.Program(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("load program %d: %w", id, err)
		}
		set(keyHead, tghtml.Truncate(p.Name, 60))
		set("name", p.Name)
		set("kind", p.Kind)
		set("period", periodValue(p.StartYear, p.EndYear))
		if p.VisionYear != 0 {
			set("vision", strconv.Itoa(p.VisionYear))
		}
		set("owner", p.Owner.Code)
		set("desc", p.Description)
		restrictedData(data, p.Restricted)
	}
	return data, nil
}

// setMeeting records a chosen meeting: its key as the answer, and what
// the questions and the summary show of it.
func setMeeting(data map[string]string, m store.Meeting, loc *time.Location) {
	data["meeting"] = m.Key
	data[auxMeetingID] = strconv.FormatInt(m.ID, 10)
	data[auxMeetingTitle] = m.Title
	data[auxMeetingDay] = store.DateIn(m.StartsAt, loc).String()
	data[auxMeetingChair] = m.ChairName
	data[auxMeetingChairPos] = m.ChairPosition
}

// clearMeeting forgets the chosen meeting.
func clearMeeting(data map[string]string) {
	for _, k := range []string{"meeting", auxMeetingID, auxMeetingTitle, auxMeetingDay, auxMeetingChair, auxMeetingChairPos} {
		delete(data, k)
	}
}

// setProgram records a chosen program: its code, and its name to show.
func setProgram(data map[string]string, p store.Program) {
	data["program"] = p.Code
	data[auxProgramName] = p.Name
}

// putChanged sets each string of a record to import to its answer,
// where the answer changed (keyed as in fields).
func putChanged(data map[string]string, fields map[string]*string) {
	for key, to := range fields {
		if changed(data, key) {
			*to = data[key]
		}
	}
}

// changed reports whether the answer to key differs from the record's
// value (always, for a new record with an answer).
func changed(data map[string]string, key string) bool {
	return data[key] != data[keyOrig+key]
}

// saveEntry saves the conversation's record and returns the reply: the
// saved record's card, or what to fix (ok false: the summary is asked
// again).
func (h *Handlers) saveEntry(ctx context.Context, r *request, sp *entrySpec, c *store.Conversation) (v view, ok bool, err error) {
	if missing := sp.missing(c.Data); missing != nil {
		return message("⚠️", "Còn thiếu: "+missing.label+".", "Bấm “✏️ Sửa” để nhập."), false, nil
	}
	if prob, err := h.checkEntry(ctx, sp, c.Data); err != nil || prob != "" {
		return message("⚠️", "Chưa lưu được: "+prob, "Bấm “✏️ Sửa” để sửa."), false, err
	}
	by := actorOf(r.user)
	id, _ := strconv.ParseInt(c.Data[keyID], 10, 64)
	ds := &store.Dataset{}
	var lookup func() (int64, error)
	switch sp.record {
	case store.RecordDirective:
		rec, err := h.directiveRecord(ctx, c.Data, id)
		if err != nil {
			return view{}, false, err
		}
		ds.Directives = []store.DirectiveRecord{rec}
		lookup = func() (int64, error) {
			d, err := h.deps.Store.DirectiveByCode(ctx, rec.Code)
			return d.ID, err
		}
	case store.RecordMeeting:
		rec, err := h.meetingRecordFor(ctx, r, c.Data, id)
		if err != nil {
			return view{}, false, err
		}
		ds.Meetings = []store.MeetingRecord{rec}
		lookup = func() (int64, error) { return h.meetingByKey(ctx, r, rec) }
	default:
		rec, err := h.programRecordFor(ctx, c.Data, id)
		if err != nil {
			return view{}, false, err
		}
		ds.Programs = []store.ProgramRecord{rec}
		lookup = func() (int64, error) {
			p, err := h.programByCode(ctx, rec.Code)
			if err == nil && p.ID == 0 {
				err = fmt.Errorf("program %q after saving it: %w", rec.Code, store.ErrNotFound)
			}
			return p.ID, err
		}
	}
	res, err := h.deps.Editor.Import(ctx, ds, by)
	if es, isImport := store.ImportErrorsOf(err); isImport {
		return importProblems(sp, es), false, nil
	}
	if err != nil {
		return view{}, false, fmt.Errorf("save %s: %w", sp.record, err)
	}
	if id == 0 {
		if id, err = lookup(); err != nil {
			return view{}, false, fmt.Errorf("find the saved %s: %w", sp.record, err)
		}
	}
	note := "Đã lưu " + sp.noun + " mới."
	if c.Data[keyMode] == modeEdit {
		note = "Đã lưu thay đổi."
		if !res.Changed() {
			note = "Không có gì thay đổi."
		}
	}
	// A deadline changed in an edit goes through ChangeDeadline, which
	// keeps the old one in the history; the import left it as it was.
	if sp.record == store.RecordDirective && c.Data[keyMode] == modeEdit && changed(c.Data, "deadline") {
		d, err := h.deps.Store.Directive(ctx, id)
		if err != nil {
			return view{}, false, fmt.Errorf("load directive %d: %w", id, err)
		}
		day, _ := deadlineOf(c.Data["deadline"])
		if day != d.Deadline {
			moved, err := h.moveDeadline(ctx, r, d, day, c.Data[keyReason])
			if err != nil {
				return view{}, false, err
			}
			note = moved
			if res.Changed() {
				note = "Đã lưu thay đổi. " + moved
			}
		}
	}
	v, err = h.withCard(ctx, r, note, sp.record, id)
	return v, err == nil, err
}

// checkEntry checks what the store cannot: a new directive's code must
// be new (an import would update the directive that has it), and a
// deadline cannot come before the issue date. It returns the problem.
func (h *Handlers) checkEntry(ctx context.Context, sp *entrySpec, data map[string]string) (string, error) {
	if sp.record != store.RecordDirective {
		return "", nil
	}
	if data[keyMode] == modeNew {
		if prob, err := h.codeTaken(ctx, data["code"]); err != nil || prob != "" {
			return prob, err
		}
	}
	issued, _ := store.ParseDate(data["issued"])
	deadline, _ := deadlineOf(data["deadline"])
	if !issued.IsZero() && !deadline.IsZero() && deadline.Before(issued) {
		return "Thời hạn (" + deadline.DMY() + ") trước ngày chỉ đạo (" + issued.DMY() + ").", nil
	}
	return "", nil
}

// codeTaken says whether a directive already has code.
func (h *Handlers) codeTaken(ctx context.Context, code string) (string, error) {
	d, err := h.deps.Store.DirectiveByCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up directive code: %w", err)
	}
	return fmt.Sprintf("Ký hiệu “%s” đã dùng cho chỉ đạo số %d (%s). Hãy chọn ký hiệu khác.", code, d.ID, tghtml.Truncate(d.Title, 60)), nil
}

// directiveRecord builds the record to import: a new one from the
// answers, or the stored one (exported) with the changed answers.
func (h *Handlers) directiveRecord(ctx context.Context, data map[string]string, id int64) (store.DirectiveRecord, error) {
	var rec store.DirectiveRecord
	if id != 0 {
		ds, err := h.deps.Editor.Export(ctx, store.ExportFilter{Viewer: adminViewer, DirectiveIDs: []int64{id}})
		if err != nil {
			return rec, fmt.Errorf("export directive %d: %w", id, err)
		}
		if len(ds.Directives) != 1 {
			return rec, fmt.Errorf("export directive %d: %d records: %w", id, len(ds.Directives), store.ErrNotFound)
		}
		rec = ds.Directives[0]
	}
	putChanged(data, map[string]*string{"code": &rec.Code, "title": &rec.Title, "body": &rec.Body, "issuer": &rec.IssuerName,
		"ipos": &rec.IssuerPosition, "meeting": &rec.Meeting, "doc": &rec.SourceDoc, "program": &rec.Program, "dnote": &rec.DeadlineNote})
	putRestricted(data, &rec.Restricted)
	if changed(data, "issued") {
		rec.IssuedOn, _ = store.ParseDate(data["issued"])
	}
	if id == 0 {
		rec.Deadline, _ = deadlineOf(data["deadline"])
	}
	if id == 0 || changed(data, "lead") || changed(data, "support") {
		// Keep each unit's progress; only the list and the roles change.
		had := map[string]store.AssignmentRecord{}
		for _, a := range rec.Assignments {
			had[a.Unit] = a
		}
		rec.Assignments = nil
		for _, role := range []struct {
			key  string
			role store.Role
		}{{"lead", store.RoleLead}, {"support", store.RoleSupport}} {
			for _, code := range splitCodes(data[role.key]) {
				a := had[code]
				a.Unit, a.Role = code, role.role
				rec.Assignments = append(rec.Assignments, a)
			}
		}
	}
	return rec, nil
}

// meetingRecordFor builds the meeting record to import. A stored meeting
// is read back as a record (Export selects by directive only); a new one
// gets a key made of its title and day.
func (h *Handlers) meetingRecordFor(ctx context.Context, r *request, data map[string]string, id int64) (store.MeetingRecord, error) {
	loc := r.rd.loc
	var rec store.MeetingRecord
	var oldStart, oldEnd time.Time
	if id != 0 {
		m, err := h.deps.Store.Meeting(ctx, id)
		if err != nil {
			return rec, fmt.Errorf("load meeting %d: %w", id, err)
		}
		rec = meetingRecord(m, loc)
		oldStart, oldEnd = m.StartsAt, m.EndsAt
	}
	putChanged(data, map[string]*string{"title": &rec.Title, "place": &rec.Place, "chair": &rec.ChairName, "cpos": &rec.ChairPosition,
		"org": &rec.Organiser, "summary": &rec.Summary, "source": &rec.Source, "url": &rec.SourceURL})
	putRestricted(data, &rec.Restricted)
	if changed(data, "att") {
		rec.Attendees = splitCodes(data["att"])
	}
	if changed(data, "date") || changed(data, "time") {
		start := startsAt(data, loc)
		rec.StartsAt = start.In(loc).Format(time.RFC3339)
		if !oldEnd.IsZero() {
			// The meeting moves whole: it keeps its length.
			rec.EndsAt = start.Add(oldEnd.Sub(oldStart)).In(loc).Format(time.RFC3339)
		}
	}
	if id == 0 {
		key, err := h.newMeetingKey(ctx, r, data)
		if err != nil {
			return rec, err
		}
		rec.Key = key
	}
	return rec, nil
}

// startsAt is the meeting's start from its day and time answers.
func startsAt(data map[string]string, loc *time.Location) time.Time {
	day, _ := store.ParseDate(data["date"])
	t := day.Start(loc)
	if hm, err := time.Parse("15:04", data["time"]); err == nil {
		t = time.Date(day.Year, day.Month, day.Day, hm.Hour(), hm.Minute(), 0, 0, loc)
	}
	return t
}

// meetingRecord returns a stored meeting in the import shape.
func meetingRecord(m store.Meeting, loc *time.Location) store.MeetingRecord {
	rec := store.MeetingRecord{Key: m.Key, Title: m.Title, StartsAt: m.StartsAt.In(loc).Format(time.RFC3339), Place: m.Place,
		ChairName: m.ChairName, ChairPosition: m.ChairPosition, Organiser: m.Organiser.Code, Summary: m.Summary,
		Source: m.Source, SourceURL: m.SourceURL, Note: m.Note, Restricted: m.Restricted}
	if !m.EndsAt.IsZero() {
		rec.EndsAt = m.EndsAt.In(loc).Format(time.RFC3339)
	}
	for _, u := range m.Attendees {
		rec.Attendees = append(rec.Attendees, u.Code)
	}
	return rec
}

// newMeetingKey makes a key for a new meeting: its title's words and its
// day ("giao-ban-quy-ii-2024-20240515"), with "-2", "-3"... when another
// meeting of that day has it.
func (h *Handlers) newMeetingKey(ctx context.Context, r *request, data map[string]string) (string, error) {
	day, _ := store.ParseDate(data["date"])
	base := slug(data["title"], 40, "hop") + "-" + strings.ReplaceAll(day.String(), "-", "")
	from := day.Start(r.rd.loc)
	pg, err := h.deps.Store.Meetings(ctx, store.MeetingFilter{From: from.UTC(), To: from.AddDate(0, 0, 1).UTC(), Viewer: adminViewer, Limit: store.MaxLimit})
	if err != nil {
		return "", fmt.Errorf("meetings of %s: %w", day, err)
	}
	taken := map[string]bool{}
	for _, m := range pg.Items {
		taken[m.Key] = true
	}
	return freeKey(base, taken), nil
}

// freeKey returns base, or base-2, base-3... the first that is not
// taken.
func freeKey(base string, taken map[string]bool) string {
	key := base
	for n := 2; taken[key]; n++ {
		key = base + "-" + strconv.Itoa(n)
	}
	return key
}

// meetingByKey finds the meeting just saved from rec.
func (h *Handlers) meetingByKey(ctx context.Context, r *request, rec store.MeetingRecord) (int64, error) {
	start, err := store.ParseTime(rec.StartsAt, r.rd.loc)
	if err != nil {
		return 0, fmt.Errorf("start of meeting %q: %w", rec.Key, err)
	}
	pg, err := h.deps.Store.Meetings(ctx, store.MeetingFilter{From: start, To: start.Add(time.Second), Viewer: adminViewer, Limit: store.MaxLimit})
	if err != nil {
		return 0, fmt.Errorf("find meeting %q: %w", rec.Key, err)
	}
	for _, m := range pg.Items {
		if m.Key == rec.Key {
			return m.ID, nil
		}
	}
	return 0, fmt.Errorf("meeting %q after saving it: %w", rec.Key, store.ErrNotFound)
}

// programRecordFor builds the program record to import.
func (h *Handlers) programRecordFor(ctx context.Context, data map[string]string, id int64) (store.ProgramRecord, error) {
	var rec store.ProgramRecord
	if id != 0 {
		p, err := h.deps.Store.Program(ctx, id)
		if err != nil {
			return rec, fmt.Errorf("load program %d: %w", id, err)
		}
		rec = store.ProgramRecord{Code: p.Code, Name: p.Name, Kind: p.Kind, StartYear: p.StartYear, EndYear: p.EndYear,
			VisionYear: p.VisionYear, Owner: p.Owner.Code, Description: p.Description, Restricted: p.Restricted}
	}
	putChanged(data, map[string]*string{"name": &rec.Name, "kind": &rec.Kind, "owner": &rec.Owner, "desc": &rec.Description})
	putRestricted(data, &rec.Restricted)
	if changed(data, "period") {
		rec.StartYear, rec.EndYear = periodOf(data["period"])
	}
	if changed(data, "vision") {
		rec.VisionYear, _ = strconv.Atoi(data["vision"])
	}
	if id == 0 {
		ps, err := h.allPrograms(ctx)
		if err != nil {
			return rec, err
		}
		taken := map[string]bool{}
		for _, p := range ps {
			taken[strings.ToLower(p.Code)] = true
		}
		rec.Code = freeKey(slug(rec.Name, 40, "chuong-trinh"), taken)
	}
	return rec, nil
}

// slug returns the folded words of s joined by '-', ASCII letters and
// digits only, cut to at most n bytes at a word; fallback when empty.
func slug(s string, n int, fallback string) string {
	var b strings.Builder
	for _, w := range store.Tokens(store.Fold(s)) {
		w = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, w)
		if w == "" {
			continue
		}
		if b.Len() > 0 && b.Len()+1+len(w) > n {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	if b.Len() == 0 {
		return fallback
	}
	return cutBytes(b.String(), n)
}

// --- problems of an import ----------------------------------------------------

// importProblem words, for a record entered in chat, a problem the store
// found (store.ImportError's Problem and Args); files have their own
// wording, with lines and sheets (importer).
func importProblem(e store.ImportError) string {
	switch e.Problem {
	case store.ProblemRequired:
		return "chưa có (bắt buộc)"
	case store.ProblemUnknown:
		noun := map[string]string{"unit": "đơn vị", "meeting": "cuộc họp", "program": "chương trình"}[e.Arg(0)]
		return "không có " + cmp.Or(noun, "mục") + " “" + e.Arg(1) + "”"
	case store.ProblemNoUnit:
		return "cần ít nhất một đơn vị chủ trì"
	case store.ProblemAssignedTwice:
		return "đơn vị “" + e.Arg(0) + "” được chọn hai lần"
	case store.ProblemHasProgress:
		return "đơn vị “" + e.Arg(0) + "” đã có tiến độ nên không bỏ ra khỏi chỉ đạo được"
	case store.ProblemBefore:
		if e.Arg(0) == "start_year" {
			return "năm kết thúc trước năm bắt đầu"
		}
		return "trước " + strings.ToLower(cmp.Or(importFieldLabels[e.Arg(0)], e.Arg(0)))
	case store.ProblemDuplicate:
		return "“" + e.Arg(0) + "” đã có"
	case store.ProblemReminders:
		return "lịch nhắc hạn “" + e.Arg(0) + "” không hợp lệ"
	case store.ProblemTime:
		return "“" + e.Arg(0) + "” không phải là giờ hợp lệ (HH:MM)"
	}
	return "không hợp lệ"
}

// importFieldLabels name the store's fields as the questions do.
var importFieldLabels = map[string]string{
	"code": "Ký hiệu", "title": "Tiêu đề", "key": "Mã cuộc họp", "starts_at": "Ngày họp", "ends_at": "Giờ kết thúc",
	"meeting": "Cuộc họp", "program": "Chương trình", "organiser": "Đơn vị tổ chức", "attendees": "Đơn vị dự",
	"owner": "Cơ quan chủ trì", "assignments": "Đơn vị thực hiện", "name": "Tên", "end_year": "Giai đoạn",
	"reminders": "Lịch nhắc hạn", "deadline": "Thời hạn", "issued_on": "Ngày chỉ đạo",
}

var indexSuffix = regexp.MustCompile(`\[\d+\].*$`)

// importProblems is the reply to a save the store refused, one line per
// problem, naming the field in Vietnamese.
func importProblems(sp *entrySpec, es store.ImportErrors) view {
	var lines []string
	for _, e := range es {
		field := importFieldLabels[indexSuffix.ReplaceAllString(e.Field, "")]
		if field == "" {
			field = sp.noun
		}
		lines = append(lines, "• "+field+": "+importProblem(e))
	}
	return message("⚠️", "Chưa lưu được "+sp.noun+":", append(lines, "Bấm “✏️ Sửa” để sửa.")...)
}
