package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"meetbot/store"
	"meetbot/tghtml"
)

// One-line forms: "/newdirective HNXM-2024/08 | Tuần tra mốc 200 | hạn
// 30/06/2024 | chủ trì: xin-man, meo-vac | phối hợp: bdbp".
//
//	form     = part *( "|" part )
//	part     = label ":" value      ; any field, by one of its names
//	         / label " " value      ; days, deadlines, times, periods, years,
//	                                ; when the value reads or has digits:
//	                                ; "hạn 30/06/2024", "tầm nhìn 2030"
//	         / value                ; unlabelled: the kind's positional fields
//	                                ; in order (directive: code, title; a
//	                                ; lone unlabelled part is the title)
//
// Labels compare folded ("don vi chu tri" is "đơn vị chủ trì"). A part
// whose text before ':' is no label is a value (titles may hold colons).
// Units are codes, names or aliases separated by commas; a meeting or a
// program is its number, code or a few words of its name. Problems name
// the part: "Phần 3 (“hạn 31/04/2024”): …".

// formPart is one part of a form.
type formPart struct {
	n     int    // its place, from 1
	text  string // as typed
	value string // without its label
}

// formValues are a form's answers: those read already in data, by field
// key, and the parts naming units, meetings or programs in refs, which
// the store resolves (resolveForm).
type formValues struct {
	data  map[string]string
	parts map[string]formPart
	refs  []string // field keys, in the kind's field order
}

// formProblem is what is wrong with a form.
type formProblem struct {
	part formPart
	msg  string
}

// String says which part is wrong, and why.
func (p *formProblem) String() string {
	if p.part.n == 0 {
		return p.msg
	}
	return fmt.Sprintf("Phần %d (“%s”): %s", p.part.n, tghtml.Truncate(p.part.text, 40), p.msg)
}

// labelled reports the field a part names and the value after the label.
func (sp *entrySpec) labelled(p string, today store.Date) (*entryField, string, bool) {
	if before, after, found := strings.Cut(p, ":"); found {
		lab := foldWords(before)
		for _, f := range sp.fields {
			for _, name := range f.names {
				if foldWords(name) == lab {
					return f, strings.TrimSpace(after), true
				}
			}
		}
	}
	words := strings.Fields(p)
	for _, f := range sp.fields {
		switch f.kind {
		case fieldDay, fieldDeadline, fieldClock, fieldPeriod, fieldYear:
		default:
			continue
		}
		for _, name := range f.names {
			nw := strings.Fields(foldWords(name))
			if len(words) <= len(nw) {
				continue
			}
			match := true
			for i, w := range nw {
				match = match && foldWords(words[i]) == w
			}
			value := strings.Join(words[len(nw):], " ")
			// A value that does not read is still this field's when it
			// has digits ("hạn 31/04/2024": say what is wrong with the
			// day); without, it is text ("Hạn chế khai thác …").
			if match && (sp.readValue(&formValues{data: map[string]string{}}, f, value, today) == "" || strings.ContainsAny(value, "0123456789")) {
				return f, value, true
			}
		}
	}
	return nil, "", false
}

// parseForm reads a one-line form. It needs no store: units, meetings
// and programs are left in refs for resolveForm.
func (sp *entrySpec) parseForm(text string, today store.Date) (*formValues, *formProblem) {
	fv := &formValues{data: map[string]string{}, parts: map[string]formPart{}}
	type slot struct {
		f    *entryField
		part formPart
	}
	var slots []slot
	var plain []formPart
	for i, raw := range strings.Split(text, "|") {
		p := strings.TrimSpace(raw)
		if p == "" {
			continue
		}
		part := formPart{n: i + 1, text: p, value: p}
		if f, value, ok := sp.labelled(p, today); ok {
			part.value = value
			slots = append(slots, slot{f, part})
			continue
		}
		plain = append(plain, part)
	}
	positional := sp.positional
	if len(plain) == 1 && sp.lone != "" {
		positional = []string{sp.lone}
	}
	if len(plain) > len(positional) {
		return nil, &formProblem{plain[len(positional)], "không rõ là mục nào. Hãy ghi nhãn trước giá trị, ví dụ “" + sp.labelExample() + "”; gõ /" + sp.cmd + " ? để xem các nhãn."}
	}
	for i, part := range plain {
		slots = append(slots, slot{sp.field(positional[i]), part})
	}
	slices.SortFunc(slots, func(a, b slot) int { return a.part.n - b.part.n })
	for _, s := range slots {
		if prev, dup := fv.parts[s.f.key]; dup {
			return nil, &formProblem{s.part, fmt.Sprintf("mục “%s” đã có ở phần %d.", s.f.label, prev.n)}
		}
		fv.parts[s.f.key] = s.part
		if s.part.value == "" {
			return nil, &formProblem{s.part, "thiếu giá trị sau nhãn."}
		}
		if prob := sp.readValue(fv, s.f, s.part.value, today); prob != "" {
			return nil, &formProblem{s.part, prob}
		}
	}
	for _, f := range sp.fields {
		if _, ok := fv.parts[f.key]; ok && isRef(f.kind) {
			fv.refs = append(fv.refs, f.key)
		}
	}
	return fv, nil
}

// isRef reports kinds whose values the store resolves.
func isRef(k fieldKind) bool {
	switch k {
	case fieldUnit, fieldUnits, fieldMeeting, fieldProgram:
		return true
	}
	return false
}

// labelExample is a labelled part to show in problems.
func (sp *entrySpec) labelExample() string {
	for _, f := range sp.fields {
		if !slices.Contains(sp.positional, f.key) && f.kind == fieldText {
			return f.names[0] + ": …"
		}
	}
	return sp.fields[len(sp.fields)-1].names[0] + ": …"
}

// readValue reads the value of a field that needs no store into
// fv.data; it returns the problem, if any.
func (sp *entrySpec) readValue(fv *formValues, f *entryField, value string, today store.Date) string {
	switch f.kind {
	case fieldDay:
		if f.key == "date" && sp == meetingSpec {
			day, clock, prob := parseWhen(value, today)
			if prob != "" {
				return prob
			}
			fv.data[f.key] = day
			if clock != "" && fv.data["time"] == "" {
				fv.data["time"] = clock
			}
			return ""
		}
		d, _, prob := parseDayInput(value, today, today, false)
		if prob == "" {
			fv.data[f.key] = d.String()
		}
		return prob
	case fieldDeadline:
		d, standing, prob := parseDayInput(value, today, today, true)
		if prob != "" {
			return prob
		}
		fv.data[f.key] = d.String()
		if standing {
			fv.data[f.key] = valueStanding
		}
		return ""
	case fieldClock:
		c, prob := parseClock(value)
		if prob == "" {
			fv.data[f.key] = c
		}
		return prob
	case fieldPeriod:
		p, vision, prob := parsePeriod(value)
		if prob != "" {
			return prob
		}
		fv.data[f.key] = p
		if vision != 0 && fv.data["vision"] == "" {
			fv.data["vision"] = fmt.Sprint(vision)
		}
		return ""
	case fieldYear:
		y, prob := parseYear(value)
		if prob == "" {
			fv.data[f.key] = fmt.Sprint(y)
		}
		return prob
	case fieldUnit, fieldUnits, fieldMeeting, fieldProgram:
		return "" // resolveForm
	case fieldFlag:
		on, ok := parseFlag(value)
		if !ok {
			return flagProblem
		}
		fv.data[f.key] = flagValue(on)
		return ""
	}
	if n := len([]rune(value)); f.max > 0 && n > f.max {
		return fmt.Sprintf("dài %d ký tự, tối đa %d.", n, f.max)
	}
	if f.kind == fieldProgramKind {
		value = programKindOf(value)
	}
	if f.position != "" {
		name, pos := splitPerson(value)
		if pos != "" && fv.data[f.position] == "" {
			fv.data[f.position] = pos
		}
		value = name
	}
	fv.data[f.key] = value
	return ""
}

// programKindOf returns a known kind as it is written ("de an" → "đề
// án"), anything else as typed.
func programKindOf(text string) string {
	for _, k := range programKinds {
		if foldWords(k) == foldWords(text) {
			return k
		}
	}
	return strings.TrimSpace(text)
}

// resolveForm resolves a form's units, meeting and program with the
// store and checks what needs it (a new directive's code, lead and
// co-operating units apart). It returns the problem, if any.
func (h *Handlers) resolveForm(ctx context.Context, sp *entrySpec, fv *formValues) (*formProblem, error) {
	for _, key := range fv.refs {
		f, part := sp.field(key), fv.parts[key]
		switch f.kind {
		case fieldUnits, fieldUnit:
			codes, prob, err := h.unitList(ctx, part.value)
			if err != nil {
				return nil, err
			}
			if prob == "" && f.kind == fieldUnit && len(codes) > 1 {
				prob = "chỉ chọn một đơn vị."
			}
			if prob != "" {
				return &formProblem{part, prob}, nil
			}
			fv.data[key] = strings.Join(codes, ",")
		case fieldMeeting:
			m, prob, err := h.meetingRef(ctx, part.value)
			if err != nil || prob != "" {
				return &formProblem{part, prob}, err
			}
			setMeeting(fv.data, m, h.cfg.Location)
		case fieldProgram:
			p, prob, err := h.programRef(ctx, part.value)
			if err != nil || prob != "" {
				return &formProblem{part, prob}, err
			}
			setProgram(fv.data, p)
		}
	}
	if sp.record != store.RecordDirective {
		return nil, nil
	}
	if prob := overlap(fv.data); prob != "" {
		return &formProblem{fv.parts["support"], prob}, nil
	}
	if code := fv.data["code"]; code != "" {
		prob, err := h.codeTaken(ctx, code)
		if err != nil || prob != "" {
			return &formProblem{fv.parts["code"], prob}, err
		}
	}
	return nil, nil
}

// overlap names a unit chosen both to lead and to co-operate.
func overlap(data map[string]string) string {
	lead := splitCodes(data["lead"])
	for _, c := range splitCodes(data["support"]) {
		if slices.Contains(lead, c) {
			return "đơn vị “" + c + "” đã là đơn vị chủ trì."
		}
	}
	return ""
}

// meetingRef finds the meeting a user names: its number, or words of its
// title that match exactly one meeting.
func (h *Handlers) meetingRef(ctx context.Context, text string) (store.Meeting, string, error) {
	if id, ok := parseID(text); ok {
		m, err := h.deps.Store.Meeting(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return m, fmt.Sprintf("không có cuộc họp số %d (xem /meetings).", id), nil
		}
		if err != nil {
			return m, "", fmt.Errorf("load meeting %d: %w", id, err)
		}
		return m, "", nil
	}
	hits, err := h.searchKind(ctx, text, store.RecordMeeting)
	if err != nil {
		return store.Meeting{}, "", err
	}
	return h.meetingOfHits(ctx, text, hits)
}

// meetingOfHits is meetingRef's answer for words, given what searching
// for them found (hits): the one meeting, or the problem.
func (h *Handlers) meetingOfHits(ctx context.Context, text string, hits []store.SearchHit) (store.Meeting, string, error) {
	if len(hits) == 0 {
		return store.Meeting{}, "không tìm thấy cuộc họp “" + tghtml.Truncate(text, 40) + "”. Hãy ghi số cuộc họp (xem /meetings).", nil
	}
	if len(hits) > 1 {
		return store.Meeting{}, fmt.Sprintf("“%s” khớp với %d cuộc họp (%s). Hãy ghi số cuộc họp.", tghtml.Truncate(text, 40), len(hits), hitList(hits)), nil
	}
	m, err := h.deps.Store.Meeting(ctx, hits[0].ID)
	if err != nil {
		return m, "", fmt.Errorf("load meeting %d: %w", hits[0].ID, err)
	}
	return m, "", nil
}

// programRef finds the program a user names: its number, its code, or
// words of its name that match exactly one program.
func (h *Handlers) programRef(ctx context.Context, text string) (store.Program, string, error) {
	p, err := h.programByRef(ctx, text)
	if err != nil || p.ID != 0 {
		return p, "", err
	}
	hits, err := h.searchKind(ctx, text, store.RecordProgram)
	if err != nil || len(hits) == 0 {
		return store.Program{}, "không tìm thấy chương trình “" + tghtml.Truncate(text, 40) + "” (xem /programs).", err
	}
	if len(hits) > 1 {
		return store.Program{}, fmt.Sprintf("“%s” khớp với %d chương trình (%s). Hãy ghi số chương trình.", tghtml.Truncate(text, 40), len(hits), hitList(hits)), nil
	}
	p, err = h.deps.Store.Program(ctx, hits[0].ID)
	if err != nil {
		return p, "", fmt.Errorf("load program %d: %w", hits[0].ID, err)
	}
	return p, "", nil
}

// choicesMax is the number of records offered as choices.
const choicesMax = 6

// searchKind searches records of one kind, for choices.
func (h *Handlers) searchKind(ctx context.Context, text string, kind store.RecordKind) ([]store.SearchHit, error) {
	key, _ := searchKey(text)
	if key == "" {
		return nil, nil
	}
	pg, err := h.deps.Store.Search(ctx, store.SearchQuery{Text: key, Kinds: []store.RecordKind{kind}, Viewer: adminViewer, Limit: choicesMax})
	if err != nil {
		return nil, fmt.Errorf("search %ss: %w", kind, err)
	}
	return pg.Items, nil
}

// hitList names a few search hits with their numbers: "số 3: Giao ban…".
func hitList(hits []store.SearchHit) string {
	var out []string
	for _, h := range hits[:min(len(hits), 3)] {
		out = append(out, fmt.Sprintf("số %d: %s", h.ID, tghtml.Truncate(h.Title, 40)))
	}
	if len(hits) > 3 {
		out = append(out, "…")
	}
	return strings.Join(out, "; ")
}

// formUsage is the grammar of the kind's one-line form, after problem
// (if any).
func (sp *entrySpec) formUsage(problem string) view {
	var d tghtml.Builder
	if problem != "" {
		d.Text("⚠️ " + problem).NL().NL()
	}
	d.B("/" + sp.cmd).Text(" — nhập " + sp.noun + " mới (quản trị viên văn phòng)").NL()
	d.Text("• Gõ /" + sp.cmd + " không kèm gì: bot hỏi lần lượt từng mục.").NL()
	var pos []string
	for _, k := range sp.positional {
		pos = append(pos, strings.ToLower(sp.field(k).label))
	}
	d.Text("• Hoặc gõ một dòng, các phần cách nhau bằng “|”: " + strings.Join(pos, " | ") + " | nhãn: giá trị | …").NL()
	d.Text("  Các phần đầu không cần nhãn (" + strings.Join(pos, ", ") + ")")
	if sp.lone != sp.positional[0] {
		d.Text("; nếu chỉ có một phần không nhãn, đó là " + strings.ToLower(sp.field(sp.lone).label))
	}
	d.Text(".").NL().NL()
	d.B("Các nhãn").Text(" (* là mục bắt buộc):").NL()
	for _, f := range sp.fields {
		d.Text("• ").Code(f.names[0] + ":").Text(" " + f.label)
		if f.required {
			d.Text("*")
		}
		if h := valueHelp(sp, f); h != "" {
			d.Text(" — " + h)
		}
		d.NL()
	}
	d.Text("Sau nhãn của ngày, giờ, năm có thể bỏ dấu “:”, ví dụ ").Code(sp.bare).Text(".").NL()
	d.NL().Text("Mục bắt buộc còn thiếu thì bot hỏi tiếp; cuối cùng bot tóm tắt để bấm “💾 Lưu”.").NL()
	d.Text("Ví dụ: ").Code(sp.example).NL()
	return view{html: d.String()}
}

// valueHelp says how to write a field's value in a form.
func valueHelp(sp *entrySpec, f *entryField) string {
	switch f.kind {
	case fieldDay:
		if sp == meetingSpec && f.key == "date" {
			return "dd/mm/yyyy, có thể kèm giờ HH:MM"
		}
		return "dd/mm/yyyy"
	case fieldDeadline:
		return "dd/mm/yyyy, +30 (sau 30 ngày), cuối tháng hoặc thường xuyên"
	case fieldClock:
		return "HH:MM"
	case fieldUnit:
		return "ký hiệu, tên hoặc tên gọi tắt của một đơn vị"
	case fieldUnits:
		return "ký hiệu, tên hoặc tên gọi tắt, cách nhau bằng dấu phẩy"
	case fieldMeeting:
		return "số cuộc họp hoặc vài từ trong tên"
	case fieldProgram:
		return "số, ký hiệu hoặc vài từ trong tên"
	case fieldPeriod:
		return "2020-2025, có thể thêm “, tầm nhìn 2030”"
	case fieldYear:
		return "năm, ví dụ 2030"
	case fieldProgramKind:
		return strings.Join(programKinds, ", ")
	case fieldFlag:
		return "có hoặc không; có: " + restrictedWho(sp.record) + " (mặc định: không, công khai)"
	}
	if f.position != "" {
		return "họ tên, có thể kèm chức vụ sau dấu phẩy"
	}
	return ""
}
