package handlers

import (
	"strings"

	"meetbot/store"
)

// The fields of each kind of record admins enter, in the order the
// guided conversation asks them. A field's key is its conversation step
// and the key of its answer in the conversation's data, where answers
// are kept as text:
//
//	text, code, kind      as typed
//	day                   ISO day, 2024-05-31
//	deadline              ISO day, or "standing" (thường xuyên)
//	clock                 15:04
//	unit                  the unit's code
//	units                 unit codes joined by ','
//	meeting               the meeting's key (what it shows: aux keys)
//	program               the program's code (its name: auxProgramName)
//	period                "2020-2025", "2020-" or "-2025"
//	year                  2030
//	flag                  "1" when set, else no answer
//
// Keys starting with '_' are the conversation's own (mode, originals,
// pages); field keys never do.

// fieldKind says how a field is asked and read.
type fieldKind uint8

const (
	fieldText        fieldKind = iota // one line
	fieldLong                         // several lines (body, summary)
	fieldCode                         // a directive's code: suggested, new
	fieldDay                          // a calendar day
	fieldDeadline                     // a day, or standing
	fieldClock                        // a time of day
	fieldUnit                         // one unit
	fieldUnits                        // several units
	fieldMeeting                      // a meeting, or none
	fieldProgram                      // a program, or none
	fieldProgramKind                  // chương trình, đề án, ...
	fieldPeriod                       // years from–to
	fieldYear                         // a year
	fieldFlag                         // yes or no (entry_restrict.go)
)

// entryField is one field of a record.
type entryField struct {
	key      string // step and answer key: letters only, short (choices are key.value)
	label    string // "Tiêu đề"
	question string // "Tiêu đề của chỉ đạo?"
	example  string // shown as "Ví dụ: …"
	kind     fieldKind
	required bool
	// extra fields are not asked when creating: set by the one-line form
	// or "Sửa".
	extra bool
	// fixed fields name the record and cannot change once it exists.
	fixed bool
	// position is the key of the field holding a person's position: an
	// answer "Name, Position" fills both.
	position string
	// names are the labels of the field in one-line forms, first the one
	// documented; matched folded.
	names []string
	max   int // longest answer, in characters
}

// entrySpec is one kind of record admins enter.
type entrySpec struct {
	flow   string // the conversation's kind
	record store.RecordKind
	cmd    string // the command creating one: "newdirective"
	noun   string // "chỉ đạo"
	icon   string
	fields []*entryField
	// positional lists the fields the unlabelled parts of a one-line form
	// fill, in order; lone is the field a single unlabelled part fills.
	positional []string
	lone       string
	example    string // a one-line form
	bare       string // a label without ':' in a form: "hạn 30/06/2024"
}

// Keys of the conversation's own data.
const (
	keyMode   = "_mode"   // modeNew or modeEdit
	keyID     = "_id"     // the record changed (edit)
	keyHead   = "_head"   // how questions name the record changed
	keyReview = "_review" // set: each answer returns to the summary
	keyQuick  = "_quick"  // set: a one-line form; ask only the missing required fields
	keyOrig   = "_o."     // prefix: the record's value before the edit
	keyPage   = "_pg"     // the page of a list of choices
	keyQuery  = "_q"      // what the user searched for among choices
	keySugg   = "_sugg"   // the suggested directive code
	keyTip    = "_tip"    // set: the one-line form was suggested
	keyReason = "reason"  // why the deadline changed (edit)

	auxMeetingID       = "_mi"
	auxMeetingTitle    = "_mt"
	auxMeetingDay      = "_md"
	auxMeetingChair    = "_mc"
	auxMeetingChairPos = "_mp"
	auxProgramName     = "_pn"

	modeNew  = "new"
	modeEdit = "edit"

	// valueStanding is a standing directive's deadline answer.
	valueStanding = "standing"
)

// Steps every entry conversation has besides its fields.
const (
	stepConfirm = "confirm" // the summary: save, change, cancel
	stepField   = "field"   // which field to change
)

// Longest answers.
const (
	maxShort = 300
	maxTitle = 500
	maxLong  = 3500
	maxCode  = 64
)

var meetingSpec = &entrySpec{
	flow: "entry-meeting", record: store.RecordMeeting, cmd: "newmeeting", noun: "cuộc họp", icon: "🏛",
	positional: []string{"title", "date", "place"}, lone: "title",
	example: "/newmeeting Giao ban công tác biên phòng quý II | 15/05/2024 14:00 | Bộ Chỉ huy BĐBP tỉnh | đơn vị dự: bdbp, xin-man, meo-vac",
	bare:    "ngày 15/05/2024 14:00",
	fields: []*entryField{
		{key: "title", label: "Tên cuộc họp", question: "Tên cuộc họp, hội nghị?", example: "Giao ban công tác biên phòng quý II/2024",
			kind: fieldText, required: true, names: []string{"tên", "tiêu đề"}, max: maxTitle},
		{key: "date", label: "Ngày họp", question: "Họp ngày nào?", example: "15/05/2024, hoặc kèm giờ: 15/05/2024 14:00",
			kind: fieldDay, required: true, names: []string{"thời gian", "ngày", "lúc", "vào"}},
		{key: "time", label: "Giờ họp", question: "Họp lúc mấy giờ?", example: "08:00 hoặc 14:30",
			kind: fieldClock, names: []string{"giờ"}},
		{key: "place", label: "Địa điểm", question: "Họp ở đâu?", example: "Hội trường Bộ Chỉ huy BĐBP tỉnh",
			kind: fieldText, names: []string{"địa điểm", "tại", "nơi họp"}, max: maxShort},
		{key: "chair", label: "Người chủ trì", question: "Ai chủ trì cuộc họp (họ tên)?", example: "Nguyễn Văn Sơn, Chủ tịch UBND tỉnh",
			kind: fieldText, position: "cpos", names: []string{"chủ trì", "người chủ trì"}, max: maxShort},
		{key: "cpos", label: "Chức vụ người chủ trì", question: "Chức vụ của người chủ trì?", example: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
			kind: fieldText, names: []string{"chức vụ"}, max: maxShort},
		{key: "org", label: "Đơn vị tổ chức", question: "Đơn vị nào tổ chức cuộc họp?",
			kind: fieldUnit, names: []string{"đơn vị tổ chức", "tổ chức", "cơ quan tổ chức"}},
		{key: "att", label: "Đơn vị dự", question: "Những đơn vị nào dự họp?",
			kind: fieldUnits, names: []string{"đơn vị dự", "thành phần", "dự", "tham dự"}},
		{key: "summary", label: "Kết quả", question: "Tóm tắt kết quả cuộc họp?", example: "Thống nhất kế hoạch tuần tra chung quý III",
			kind: fieldLong, names: []string{"kết quả", "tóm tắt", "nội dung"}, max: maxLong},
		{key: "source", label: "Nguồn", question: "Nguồn thông tin (số thông báo kết luận, văn bản hoặc bài báo)?", example: "Thông báo số 25/TB-VPUBND",
			kind: fieldText, names: []string{"nguồn", "văn bản"}, max: maxShort},
		{key: "url", label: "Đường dẫn", question: "Đường dẫn (link) tới văn bản hoặc bài báo?", example: "https://hagiang.gov.vn/…",
			kind: fieldText, extra: true, names: []string{"link", "đường dẫn"}, max: maxShort},
		restrField("cuộc họp"),
	},
}

var directiveSpec = &entrySpec{
	flow: "entry-directive", record: store.RecordDirective, cmd: "newdirective", noun: "chỉ đạo", icon: "📌",
	positional: []string{"code", "title"}, lone: "title",
	example: "/newdirective HNXM-2024/08 | Tuần tra khu vực mốc 200 | hạn 30/06/2024 | chủ trì: xin-man, meo-vac | phối hợp: bdbp",
	bare:    "hạn 30/06/2024",
	fields: []*entryField{
		{key: "meeting", label: "Cuộc họp", question: "Chỉ đạo này được đưa ra tại cuộc họp nào?",
			kind: fieldMeeting, names: []string{"cuộc họp", "họp", "hội nghị"}},
		{key: "code", label: "Ký hiệu", question: "Ký hiệu (số) của chỉ đạo?", example: "15/CT-UBND hoặc HNXM-2024/08",
			kind: fieldCode, required: true, fixed: true, names: []string{"ký hiệu", "mã", "số hiệu"}, max: maxCode},
		{key: "title", label: "Tiêu đề", question: "Tiêu đề ngắn gọn của chỉ đạo (việc phải làm)?", example: "Tuần tra, kiểm soát khu vực mốc 200",
			kind: fieldText, required: true, names: []string{"tiêu đề", "tên"}, max: maxTitle},
		{key: "body", label: "Nội dung", question: "Nội dung chi tiết của chỉ đạo?", example: "Phối hợp tuần tra song phương mỗi tháng một lần; báo cáo kết quả về Ban Chỉ huy",
			kind: fieldLong, names: []string{"nội dung", "chi tiết"}, max: maxLong},
		{key: "issuer", label: "Người chỉ đạo", question: "Ai chỉ đạo (họ tên)?", example: "Nguyễn Văn Sơn, Chủ tịch UBND tỉnh",
			kind: fieldText, position: "ipos", names: []string{"người chỉ đạo", "người ký"}, max: maxShort},
		{key: "ipos", label: "Chức vụ người chỉ đạo", question: "Chức vụ của người chỉ đạo?", example: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
			kind: fieldText, names: []string{"chức vụ"}, max: maxShort},
		{key: "issued", label: "Ngày chỉ đạo", question: "Ngày chỉ đạo (ngày họp hoặc ngày ký văn bản)?", example: "17/04/2024",
			kind: fieldDay, names: []string{"ngày", "ngày chỉ đạo", "ngày ký"}},
		{key: "doc", label: "Văn bản", question: "Số, ký hiệu văn bản chỉ đạo?", example: "Thông báo số 12/TB-UBND",
			kind: fieldText, extra: true, names: []string{"văn bản", "số văn bản"}, max: maxShort},
		{key: "program", label: "Chương trình", question: "Chỉ đạo thuộc chương trình, đề án nào?",
			kind: fieldProgram, names: []string{"chương trình", "đề án", "thuộc"}},
		{key: "lead", label: "Đơn vị chủ trì", question: "Đơn vị nào chủ trì thực hiện?",
			kind: fieldUnits, required: true, names: []string{"chủ trì", "đơn vị chủ trì"}},
		{key: "support", label: "Đơn vị phối hợp", question: "Đơn vị nào phối hợp thực hiện?",
			kind: fieldUnits, names: []string{"phối hợp", "đơn vị phối hợp"}},
		{key: "deadline", label: "Thời hạn", question: "Thời hạn hoàn thành?", example: "30/06/2024, +30 (sau 30 ngày), cuối tháng, hoặc thường xuyên",
			kind: fieldDeadline, required: true, names: []string{"hạn", "thời hạn", "hạn chót"}},
		{key: "dnote", label: "Ghi chú thời hạn", question: "Ghi chú về thời hạn (nếu có)?", example: "Báo cáo kết quả trước ngày 25 hằng tháng",
			kind: fieldText, names: []string{"ghi chú", "ghi chú hạn"}, max: maxShort},
		restrField("chỉ đạo"),
	},
}

var programSpec = &entrySpec{
	flow: "entry-program", record: store.RecordProgram, cmd: "newprogram", noun: "chương trình", icon: "📚",
	positional: []string{"name", "kind", "period"}, lone: "name",
	example: "/newprogram Xuân Biên phòng ấm lòng dân bản | chương trình | 2024-2025 | chủ trì: bdbp",
	bare:    "tầm nhìn 2030",
	fields: []*entryField{
		{key: "name", label: "Tên", question: "Tên chương trình, đề án?", example: "Con nuôi đồn Biên phòng",
			kind: fieldText, required: true, names: []string{"tên", "tiêu đề"}, max: maxTitle},
		{key: "kind", label: "Loại", question: "Thuộc loại nào?", example: "chương trình, đề án, dự án, mô hình, phong trào",
			kind: fieldProgramKind, names: []string{"loại"}, max: 40},
		{key: "period", label: "Giai đoạn", question: "Giai đoạn thực hiện (từ năm – đến năm)?", example: "2020-2025, hoặc 2024 nếu chỉ biết năm bắt đầu",
			kind: fieldPeriod, names: []string{"giai đoạn", "thời gian"}},
		{key: "vision", label: "Tầm nhìn", question: "Tầm nhìn đến năm nào?", example: "2030",
			kind: fieldYear, names: []string{"tầm nhìn"}},
		{key: "owner", label: "Cơ quan chủ trì", question: "Cơ quan, đơn vị nào chủ trì?",
			kind: fieldUnit, names: []string{"chủ trì", "cơ quan chủ trì", "đơn vị chủ trì"}},
		{key: "desc", label: "Mô tả", question: "Mô tả ngắn về chương trình?", example: "Mỗi đồn Biên phòng nhận đỡ đầu học sinh nghèo đến hết lớp 12",
			kind: fieldLong, names: []string{"mô tả", "nội dung"}, max: maxLong},
		restrField("chương trình"),
	},
}

// entrySpecs are the kinds of records admins enter.
var entrySpecs = []*entrySpec{meetingSpec, directiveSpec, programSpec}

// programKinds are the kinds offered as buttons (any other is typed).
var programKinds = []string{"chương trình", "đề án", "dự án", "mô hình", "phong trào"}

// field returns the field with key, or nil.
func (sp *entrySpec) field(key string) *entryField {
	for _, f := range sp.fields {
		if f.key == key {
			return f
		}
	}
	return nil
}

// asked returns the fields a new record's conversation asks.
func (sp *entrySpec) asked() []*entryField {
	var out []*entryField
	for _, f := range sp.fields {
		if !f.extra {
			out = append(out, f)
		}
	}
	return out
}

// nextField returns the step after the field after (from the start when
// after is ""): the next field asked that has no answer yet (in a
// one-line form's conversation, only required ones), or the summary.
func (sp *entrySpec) nextField(data map[string]string, after string) string {
	started := after == ""
	for _, f := range sp.fields {
		if !started {
			started = f.key == after
			continue
		}
		if f.extra || data[f.key] != "" || (data[keyQuick] != "" && !f.required) {
			continue
		}
		return f.key
	}
	return stepConfirm
}

// missing returns the first required field without an answer, or nil.
func (sp *entrySpec) missing(data map[string]string) *entryField {
	for _, f := range sp.fields {
		if f.required && strings.TrimSpace(data[f.key]) == "" {
			return f
		}
	}
	return nil
}

// editable returns the fields that "Sửa" offers.
func (sp *entrySpec) editable(data map[string]string) []*entryField {
	var out []*entryField
	for _, f := range sp.fields {
		if f.fixed && data[keyMode] == modeEdit {
			continue
		}
		out = append(out, f)
	}
	return out
}
