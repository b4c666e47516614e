package handlers

import (
	"meetbot/store"
	"meetbot/tghtml"
)

// Restricted records (issue 5): only administrators and the units
// concerned see them (store.Viewer). Data entry sets and clears the flag
// with the field "Hạn chế" (key restrKey; its answer is valueOn, or
// empty for a public record); cards and lists mark such records with 🔒
// so that a member who sees one knows not to forward it.

const (
	// restrKey is the key of the field "Hạn chế".
	restrKey = "restr"
	// valueOn is the answer of a flag that is set.
	valueOn = "1"
	// restrictedIcon marks a restricted record in lists and results.
	restrictedIcon = "🔒"
)

// restrField is the field "Hạn chế" of a kind of record whose noun is
// noun ("chỉ đạo").
func restrField(noun string) *entryField {
	return &entryField{key: restrKey, label: "Hạn chế", question: "Hạn chế người xem " + noun + " này?",
		kind: fieldFlag, names: []string{"hạn chế", "hạn chế xem", "restricted"}}
}

// Typed answers of a flag, folded.
var (
	flagYes = []string{"co", "yes", "y", "1", "x", "true", "on", "han che", "co han che", "mat"}
	flagNo  = []string{"khong", "no", "n", "0", "false", "off", "cong khai", "khong han che"}
)

// parseFlag reads a typed yes or no: "có", "co", "yes", "hạn chế"; "không",
// "khong", "no", "công khai". ok is false when text is neither.
func parseFlag(text string) (on, ok bool) {
	f := foldWords(text)
	for _, w := range flagYes {
		if f == w {
			return true, true
		}
	}
	for _, w := range flagNo {
		if f == w {
			return false, true
		}
	}
	return false, false
}

// flagProblem is the reply to a flag's answer that is neither yes nor
// no.
const flagProblem = "không hiểu. Hãy ghi “có” (chỉ quản trị viên và đơn vị liên quan được xem) hoặc “không” (công khai), ví dụ: hạn chế: có."

// flagValue is a flag's answer as kept in the conversation's data.
func flagValue(on bool) string {
	if on {
		return valueOn
	}
	return ""
}

// restrictedWho says who sees a restricted record of kind.
func restrictedWho(kind store.RecordKind) string {
	switch kind {
	case store.RecordMeeting:
		return "chỉ quản trị viên, đơn vị tổ chức và đơn vị dự được xem"
	case store.RecordProgram:
		return "chỉ quản trị viên, cơ quan chủ trì và đơn vị thực hiện chỉ đạo thuộc chương trình được xem"
	}
	return "chỉ quản trị viên và đơn vị được giao được xem"
}

// flagText shows the answer of the field "Hạn chế" of sp: "Có — chỉ …"
// or "Không (công khai)".
func flagText(sp *entrySpec, v string) string {
	if v == valueOn {
		return "Có — " + restrictedWho(sp.record)
	}
	return "Không (công khai)"
}

// restrictedLine writes the card's line of a restricted record (nothing
// for a public one).
func restrictedLine(d *tghtml.Builder, restricted bool, kind store.RecordKind) {
	if restricted {
		d.Text(restrictedIcon + " Hạn chế: " + restrictedWho(kind)).NL()
	}
}

// restrictedMark is what goes before a restricted record's title in a
// list or a result: "🔒 ".
func restrictedMark(restricted bool) string {
	if restricted {
		return restrictedIcon + " "
	}
	return ""
}

// askFlag adds a flag question's buttons and says what the answer means.
func askFlag(sp *entrySpec, q *question) {
	q.choice(restrictedIcon+" Hạn chế", "on")
	q.choice("Công khai", "off")
	if q.data[keyMode] == modeEdit {
		q.current = flagText(sp, q.data[q.f.key])
	}
	q.line(restrictedIcon + " Hạn chế: " + restrictedWho(sp.record) + ".")
	q.line("Công khai: mọi người dùng bot đều xem được (mặc định).")
}

// answerFlag takes a flag's answer: the buttons "on" and "off", or yes
// or no typed.
func answerFlag(sp *entrySpec, f *entryField, c *store.Conversation, value, text string) (string, view, error) {
	switch value {
	case "on", "off":
		c.Data[f.key] = flagValue(value == "on")
	case "":
		on, ok := parseFlag(text)
		if !ok {
			return f.key, message("⚠️", f.label+": "+flagProblem, ""), nil
		}
		c.Data[f.key] = flagValue(on)
	default:
		return f.key, view{}, nil // a button this version does not know
	}
	if c.Data[f.key] == "" {
		delete(c.Data, f.key)
	}
	return sp.after(c.Data, f.key), view{}, nil
}

// restrictedData sets the field "Hạn chế" of a stored record's answers.
func restrictedData(data map[string]string, restricted bool) {
	if restricted {
		data[restrKey] = valueOn
	}
}

// putRestricted applies a changed answer of "Hạn chế" to a record to
// import.
func putRestricted(data map[string]string, to *bool) {
	if changed(data, restrKey) {
		*to = data[restrKey] == valueOn
	}
}

// auditFlag shows a flag's stored value in the history: "Có", "Không".
func auditFlag(v string) string {
	switch v {
	case "1", "true":
		return "Có"
	}
	return "Không"
}
